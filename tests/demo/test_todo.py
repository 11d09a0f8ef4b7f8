"""Every role's to-do page (Việc cần làm) shows the right counts on the demo data: each
printed account signs in, lands on /viec-can-lam/ and finds the numbers that independent
queries of the database give."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save
from parindex.core.formatting import fmt_datetime
from parindex.criteria.models import CriterionNode
from parindex.organizations.models import Unit
from parindex.periods.models import AppraiserAssignment, Period, PeriodGroup, PeriodStatus
from parindex.season.stages import period_start_appraisal
from parindex.tools.demo import season
from parindex.tools.demo.build import ACCOUNTS, DEMO_PASSWORD

from .conftest import Demo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_password_hasher"),
]

PASSWORDS = {a.username: a.password for a in ACCOUNTS}


@pytest.fixture
def sign_in(settings: Settings) -> object:
    """Sign in with the printed password (no second factor in this test) and follow the
    landing redirect; returns (client, the landing page)."""
    settings.TWO_FACTOR_REQUIRED_ROLES = []

    def _sign_in(username: str) -> tuple[Client, str]:
        client = Client()
        response = client.post(
            "/tai-khoan/dang-nhap/",
            {"username": username, "password": PASSWORDS.get(username, DEMO_PASSWORD)},
        )
        assert response.status_code == 302, username
        assert response["Location"] == "/viec-can-lam/", username
        page = client.get("/viec-can-lam/")
        assert page.status_code == 200
        return client, page.content.decode()

    return _sign_in


def _current() -> Period:
    return Period.objects.get(year=season.SEASON_YEAR, status=PeriodStatus.SELF_ASSESSMENT)


def _days_left(deadline: object) -> int:
    return (timezone.localdate(deadline) - timezone.localdate()).days  # type: ignore[arg-type]


def _leaves(period: Period, unit: Unit) -> int:
    binding = PeriodGroup.objects.get(period=period, group=unit.group)
    return CriterionNode.objects.filter(
        criteria_set=binding.criteria_set, children__isnull=True
    ).count()


def _answered(assessment: Assessment) -> int:
    return (
        Answer.objects.filter(assessment=assessment, node__children__isnull=True)
        .filter(Q(self_value__isnull=False) | Q(self_not_applicable=True))
        .count()
    )


@pytest.mark.parametrize(
    ("username", "unit_code"),
    [
        ("so.canbo", season.JUSTICE_CODE),
        ("so.lanhdao", season.JUSTICE_CODE),
        ("xa.demo", season.VAN_SON_CODE),
        ("lanhdao.xa", season.VAN_SON_CODE),
    ],
)
def test_unit_staff_and_leaders(demo: Demo, sign_in: object, username: str, unit_code: str) -> None:
    _, page = sign_in(username)  # type: ignore[operator]
    period = _current()
    unit = Unit.objects.get(code=unit_code)
    assessment = Assessment.objects.get(period=period, unit=unit)
    answered, leaves = _answered(assessment), _leaves(period, unit)
    assert 0 < answered < leaves
    days = _days_left(period.self_assessment_deadline)
    assert f"Phiếu {season.SEASON_YEAR}: còn {days} ngày, đã nhập {answered}/{leaves}" in page
    assert f"Hạn tự đánh giá {fmt_datetime(period.self_assessment_deadline)}" in page
    assert f"/danh-gia/{assessment.pk}/" in page
    if User.objects.get(username=username).role == "unit_leader":
        assert "Lãnh đạo đơn vị cần gửi hồ sơ tự đánh giá." in page
    else:
        assert f"Còn {leaves - answered} nội dung chưa nhập." in page


def _codes(assignment: AppraiserAssignment) -> Q:
    """The items of the fields or criteria given (and those below them)."""
    codes = Q()
    for code in assignment.node_codes:
        codes |= Q(node__code=code) | Q(node__code__startswith=f"{code}.")
    return codes


def _assigned(assignment: AppraiserAssignment, unit: Unit) -> Q:
    return Q(assessment__period=assignment.period, assessment__unit=unit) & _codes(assignment)


def test_appraiser_during_self_assessment(demo: Demo, sign_in: object) -> None:
    _, page = sign_in("thamdinh")  # type: ignore[operator]
    period = _current()
    assignment = AppraiserAssignment.objects.get(period=period, appraiser__username="thamdinh")
    units = assignment.units.all()
    sent = Assessment.objects.filter(
        period=period, unit__in=units, status=AssessmentStatus.SUBMITTED
    ).count()
    assert 0 < sent < units.count()
    assert f"Đã gửi hồ sơ: {sent}/{units.count()} đơn vị." in page
    assert "Thẩm định được phân công" in page


def test_appraiser_per_unit_progress_in_round_1(demo: Demo, sign_in: object) -> None:
    period = _current()
    period_start_appraisal(period=period, actor=User.objects.get(username="chutich"))
    appraiser = User.objects.get(username="thamdinh")
    assignment = AppraiserAssignment.objects.get(period=period, appraiser=appraiser)
    van_son = Unit.objects.get(code=season.VAN_SON_CODE)
    answered = Answer.objects.filter(_assigned(assignment, van_son)).filter(
        self_value__isnull=False
    )
    for answer in answered.select_related("node", "assessment__period")[:2]:
        appraisal_save(
            answer=answer, actor=appraiser, version=answer.version, value=answer.self_value
        )
    _, page = sign_in("thamdinh")  # type: ignore[operator]
    assigned = Answer.objects.filter(_assigned(assignment, van_son)).count()
    appraised = (
        Answer.objects.filter(_assigned(assignment, van_son)).filter(appraisal_round=1).count()
    )
    assert appraised == 2 and assigned > 2
    assert f'data-unit="{van_son.pk}">{appraised}/{assigned}<' in page
    assert van_son.short_name in page
    total = Answer.objects.filter(
        Q(assessment__period=period, assessment__unit__in=assignment.units.all())
        & _codes(assignment)
    )
    assert f"Đã thẩm định 2/{total.count()} nội dung được giao" in page
    period.refresh_from_db()
    assert f"Hạn thẩm định vòng 1 {fmt_datetime(period.appraisal_1_deadline)}" in page


@pytest.mark.parametrize("username", ["chutich", "quansat", "admin"])
def test_chair_observer_and_administrator(demo: Demo, sign_in: object, username: str) -> None:
    _, page = sign_in(username)  # type: ignore[operator]
    period = _current()
    assessments = Assessment.objects.filter(period=period)
    submitted = assessments.filter(submitted_at__isnull=False).count()
    total = assessments.count()
    assert 0 < submitted < total
    assert f"Đã gửi hồ sơ {submitted}/{total} đơn vị" in page
    deadline = period.self_assessment_deadline
    assert (
        f"Bước tiếp theo: Bắt đầu thẩm định vòng 1, sau Hạn tự đánh giá "
        f"{fmt_datetime(deadline)} (còn {_days_left(deadline)} ngày)"
    ) in page
    assert f"/tham-dinh/{period.pk}/dieu-hanh/" in page
    # The finalised periods are done: not on the page.
    for finalised in Period.objects.filter(status=PeriodStatus.FINALISED):
        assert f'data-period="{finalised.pk}"' not in page
    reminder = f"Nhắc {total - submitted} đơn vị chưa gửi"
    assert (reminder in page) == (username != "quansat")
