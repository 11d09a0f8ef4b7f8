"""``parindex demo`` on the shared build (see ``conftest.py``): the sample province with its
current season, its accounts and criteria, as ``make run`` shows it. That a second run
changes nothing and ``--reset`` gives the same data: ``parindex/tools/tests/test_demo.py``.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth import authenticate
from django.db.models import F
from django.test import RequestFactory
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.selectors.state import can_self_assess
from parindex.assessments.services.self_assessment import assessment_submit
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.services import criteria_set_delete
from parindex.organizations.models import Unit
from parindex.periods.models import AppraiserAssignment, Period, PeriodStatus
from parindex.periods.services import period_delete
from parindex.results.models import ResultVersion
from parindex.results.selectors import period_results
from parindex.season.deadlines import deadlines_enforce
from parindex.tools.demo import season, units_data
from parindex.tools.demo.build import ACCOUNTS
from parindex.tools.demo.interim import INTERIM_DISTRICT_CODE, interim_period
from parindex.tools.tests.helpers import (
    FINALISED,
    account_row,
    index_tables,
    lighten_season,
    run_demo,
    season_period,
    season_snapshot,
)

from .conftest import Demo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_password_hasher"),
]


def test_demo_creates_the_province(demo: Demo) -> None:
    output = demo.output
    assert "Đã tạo dữ liệu mẫu Tỉnh Minh Hà (dữ liệu mẫu)" in output
    assert "kỳ đánh giá Năm 2025 đang tự đánh giá, hạn 17:00 " in output
    assert "Tài khoản dùng thử:" in output
    assert re.search(r"Tài khoản\s+Mật khẩu\s+Vai trò\s+Đơn vị", output)
    assert re.search(r"admin\s+parindex-admin\s+quản trị hệ thống", account_row(output, "admin"))
    for account in ACCOUNTS:
        row = account_row(output, account.username)
        assert account.password in row and account.label in row
    assert "Sở Tư pháp" in account_row(output, "so.canbo")
    assert "UBND xã Vân Sơn" in account_row(output, "lanhdao.xa")
    assert "Mở http://127.0.0.1:" in output

    province = Unit.objects.get(code=units_data.PROVINCE_CODE)
    assert province.name == "Tỉnh Minh Hà (dữ liệu mẫu)"
    assert Unit.objects.filter(group__code="mh-so-ban-nganh").count() == 20
    assert Unit.objects.filter(group__code="mh-so-ban-nganh", has_procedures=False).count() == 3
    assert Unit.objects.filter(group__code="mh-ubnd-cap-huyen").count() == 8
    assert Unit.objects.filter(group__code="mh-ubnd-cap-xa").count() == 60
    assert CriteriaSet.objects.filter(jurisdiction=province).count() == 9
    periods = list(Period.objects.filter(jurisdiction=province).order_by("year"))
    assert [p.name for p in periods] == [*FINALISED, "Năm 2025"]
    assert [p.status for p in periods] == [
        PeriodStatus.FINALISED,
        PeriodStatus.FINALISED,
        PeriodStatus.SELF_ASSESSMENT,
    ]
    assert periods[1].previous == periods[0] and periods[2].previous == periods[1]
    assert Assessment.objects.filter(period__in=periods[:2]).count() == 2 * 88
    published = ResultVersion.objects.current().filter(period__in=periods).order_by("period__year")
    assert [(v.period.year, v.number, v.units_count) for v in published] == [
        (2023, 1, 88),
        (2024, 1, 88),
    ]
    assert all(v.decision_number and v.signer_name for v in published)

    first = index_tables()
    assert len(first) == 6
    for rows in first.values():
        assert len({index for _u, index, _r, _c in rows}) > len(rows) // 2  # varied scores
    first_season = season_snapshot()
    assert len(first_season[0]) == 88 and first_season[1]


def test_demo_season_is_in_progress(demo: Demo) -> None:
    """The full season, as ``make run`` shows it."""
    output = demo.output
    period = season_period()
    province = period.jurisdiction
    assert period.name == "Năm 2025" and period.kind == "annual"
    assert period.status == PeriodStatus.SELF_ASSESSMENT
    assert period.previous == Period.objects.get(jurisdiction=province, year=2024)
    assert period.unsigned_evidence == "flag" and period.evidence_types == "pdf"
    today = timezone.localdate()
    for name, days in [
        ("self_assessment_deadline", 14),
        ("appraisal_1_deadline", 21),
        ("explanation_deadline", 28),
        ("appraisal_2_deadline", 35),
    ]:
        local = timezone.localtime(getattr(period, name))
        assert str(local.tzinfo) == "Asia/Ho_Chi_Minh"
        assert (local.date() - today).days == days and local.time() == datetime.time(17)

    # Criteria sets cloned from 2024, one per group.
    for binding in period.groups.select_related("criteria_set", "group"):
        cloned = AuditEvent.objects.get(
            action="criteria_set.cloned", target_id=str(binding.criteria_set_id)
        )
        assert isinstance(cloned.before, dict)
        source = CriteriaSet.objects.get(pk=cloned.before["source_id"])
        assert source.year == 2024 and binding.criteria_set.year == 2025
        assert source.level == binding.criteria_set.level == binding.group.level

    # Every unit has its assessment; a mix of statuses in every group.
    assessments = list(Assessment.objects.filter(period=period).select_related("unit__group"))
    assert len(assessments) == 88
    counts = Counter(a.status for a in assessments)
    assert set(counts) == {
        AssessmentStatus.NOT_STARTED,
        AssessmentStatus.IN_PROGRESS,
        AssessmentStatus.SUBMITTED,
    }
    assert 25 <= counts[AssessmentStatus.NOT_STARTED] <= 35  # about a third
    assert counts[AssessmentStatus.IN_PROGRESS] >= 30
    assert counts[AssessmentStatus.SUBMITTED] >= 12
    groups = {b.group.code: b.group_id for b in period.groups.select_related("group")}
    for group in ("mh-so-ban-nganh", "mh-ubnd-cap-huyen", "mh-ubnd-cap-xa"):
        assert len({a.status for a in assessments if a.unit.group_id == groups[group]}) == 3
    assert f"{counts[AssessmentStatus.SUBMITTED]} đã gửi" in output

    answered = Counter(
        Answer.objects.filter(assessment__period=period).values_list("assessment_id", flat=True)
    )
    leaves: dict[int | None, int] = {
        b.group_id: CriterionNode.objects.filter(
            criteria_set_id=b.criteria_set_id, children__isnull=True
        ).count()
        for b in period.groups.all()
    }
    for a in assessments:
        n, total = answered[a.pk], leaves[a.unit.group_id]
        if a.status == AssessmentStatus.NOT_STARTED:
            assert n == 0
        elif a.status == AssessmentStatus.IN_PROGRESS:
            assert 0 < n < total
        else:  # every item that applies to the unit, sent by its leader
            assert n == total if a.unit.has_procedures else 0 < n < total
            assert a.submitted_by is not None and a.submitted_by.unit_id == a.unit_id
            assert a.submitted_by.role == Role.UNIT_LEADER and a.submitted_at is not None
    # Everything through the services, by the unit's own people, audited.
    saves = AuditEvent.objects.filter(
        action="answer.self_saved",
        target_id__in=[
            str(pk)
            for pk in Answer.objects.filter(assessment__period=period).values_list("pk", flat=True)
        ],
    )
    assert saves.count() == sum(answered.values())
    assert not saves.filter(actor=None).exists()
    submitted = AuditEvent.objects.filter(
        action="assessment.submitted", target_id__in=[str(a.pk) for a in assessments]
    )
    assert submitted.count() == counts[AssessmentStatus.SUBMITTED]
    wrong_unit = Answer.objects.filter(assessment__period=period).exclude(
        updated_by__unit=F("assessment__unit")
    )
    assert not wrong_unit.exists()

    # The printed accounts' units are in progress with a few items, open to try.
    for code, staff, leader in [
        (season.VAN_SON_CODE, "xa.demo", "lanhdao.xa"),
        (season.JUSTICE_CODE, "so.canbo", "so.lanhdao"),
    ]:
        assessment = next(a for a in assessments if a.unit.code == code)
        assert assessment.status == AssessmentStatus.IN_PROGRESS
        assert answered[assessment.pk] == season.FEW_ITEMS
        editor = User.objects.get(username=staff)
        assert {a.updated_by for a in Answer.objects.filter(assessment=assessment)} == {editor}
        assert can_self_assess(editor, assessment)
        assessment_submit(assessment=assessment, actor=User.objects.get(username=leader))
        assert assessment.status == AssessmentStatus.SUBMITTED

    # Internal accounts save the other units' progress; nobody signs in with them.
    # (and the 6-month period's communes, which all took part in it).
    internal = User.objects.filter(username__startswith=season.UNIT_ACCOUNT_PREFIX)
    interim = interim_period(period.jurisdiction)
    assert interim is not None
    working = {a.unit.code for a in assessments if a.status != AssessmentStatus.NOT_STARTED} | set(
        interim.assessments.values_list("unit__code", flat=True)
    )
    assert internal.count() == len(working - set(season.TRY_OUT_UNITS))
    assert not any(u.has_usable_password() for u in internal)

    # The council's appraisers, each with its fields of every unit.
    assignments = {
        a.appraiser.username: a
        for a in AppraiserAssignment.objects.filter(period=period).select_related("appraiser")
    }
    assert sorted(assignments) == sorted(a.username for a in season.APPRAISERS)
    assert assignments["thamdinh"].node_codes == ["1", "4", "5", "8"]
    assert assignments["thamdinh.tuphap"].node_codes == ["2"]
    assert assignments["thamdinh"].units.count() == 88
    assert assignments["thamdinh.khcn"].units.count() == 28  # the ISO item: sở and huyện
    assert AuditEvent.objects.filter(action="assignment.created").count() == 6

    # Deadlines are in the future: the periodic job has nothing to do yet.
    assert deadlines_enforce() == []


def test_demo_sets_accounts_and_criteria(demo: Demo) -> None:
    admin = authenticate(RequestFactory().post("/"), username="admin", password="parindex-admin")
    assert isinstance(admin, User) and admin.is_superuser and admin.is_staff
    assert admin.unit is not None
    assert admin.unit.code == units_data.HOME_AFFAIRS_CODE
    expected = {
        "chutich": (Role.CHAIR, "MH-SNV", True),
        "sonoivu": (Role.CHAIR, "MH-SNV", True),
        "quansat": (Role.OBSERVER, "MH-SNV", False),
        "thamdinh": (Role.APPRAISER, "MH-SNV", False),
        "thamdinh.tuphap": (Role.APPRAISER, "MH-STP", False),
        "thamdinh.vpubnd": (Role.APPRAISER, "MH-VPUBND", False),
        "thamdinh.taichinh": (Role.APPRAISER, "MH-STC", False),
        "thamdinh.tttt": (Role.APPRAISER, "MH-STTTT", False),
        "thamdinh.khcn": (Role.APPRAISER, "MH-SKHCN", False),
        "so.canbo": (Role.UNIT_STAFF, "MH-STP", False),
        "so.lanhdao": (Role.UNIT_LEADER, "MH-STP", False),
        "xa.demo": (Role.UNIT_STAFF, season.VAN_SON_CODE, False),
        "lanhdao.xa": (Role.UNIT_LEADER, season.VAN_SON_CODE, False),
        "noivu.huyen": (Role.CHAIR, INTERIM_DISTRICT_CODE, False),
    }
    assert {a.username for a in ACCOUNTS} == {"admin", *expected}
    period = season_period()
    for username, (role, unit_code, is_staff) in expected.items():
        user = authenticate(RequestFactory().post("/"), username=username, password="parindex-demo")
        assert isinstance(user, User), username
        assert (user.role, user.unit.code if user.unit else None, user.is_staff) == (
            role,
            unit_code,
            is_staff,
        ), username
        assert not user.is_superuser
        if role == Role.APPRAISER:
            assert AppraiserAssignment.objects.filter(period=period, appraiser=user).exists()
    hidden = User.objects.filter(username__startswith=season.UNIT_ACCOUNT_PREFIX).first()
    assert hidden is not None and not hidden.has_usable_password()

    sets = CriteriaSet.objects.filter(jurisdiction__code=units_data.PROVINCE_CODE)
    assert sets.count() == 9
    for criteria_set in sets:
        leaves = CriterionNode.objects.filter(criteria_set=criteria_set, children__isnull=True)
        assert 60 <= leaves.count() <= 100
        assert "dữ liệu mẫu" in criteria_set.name
        assert criteria_set.bonus_max == 2 and criteria_set.penalty_max == 3
        assert not leaves.filter(guidance="").exists()
        assert not leaves.filter(evidence="").exists()
    commune_2024 = sets.get(level="commune", year=2024)
    assert commune_2024.nodes.get(code="3.11.1").floor == Decimal("0.8")
    assert sets.get(level="commune", year=2025).nodes.get(code="3.11.1").floor == Decimal("0.8")
    assert sets.get(level="commune", year=2023).nodes.get(code="3.11.1").floor == (Decimal("0.7"))
    for criteria_set in sets.filter(year=2025):  # every appraiser's codes are in every set
        codes = set(criteria_set.nodes.values_list("code", flat=True))
        assert {"1", "2", "3", "4", "5", "6", "7", "7.5"} <= codes


def test_units_without_procedures_have_max_60_and_no_survey(demo: Demo) -> None:
    period = Period.objects.get(jurisdiction__code=units_data.PROVINCE_CODE, year=2024)
    results = dict((b.group.code, r) for b, r in period_results(period))
    departments = results["mh-so-ban-nganh"]
    without = {"MH-VPUBND", "MH-TTT", "MH-BQLKCN"}
    for r in departments.units:
        if r.unit in without:
            assert r.max == 60 and not r.survey_applicable
            assert set(r.not_applicable) >= {"3", "7.3", "7.5", "survey"}
        else:
            assert r.max == 100 and r.survey_applicable
        assert not r.missing
    assert not departments.warnings
    communes = results["mh-ubnd-cap-xa"]
    assert all(r.max == 100 and not r.missing for r in communes.units)
    assert any(r.bonus for res in results.values() for r in res.units)
    assert any(r.penalty for res in results.values() for r in res.units)
    # In the season they leave the items that do not apply to them empty.
    saved = Answer.objects.filter(
        assessment__period=season_period(), assessment__unit__code__in=without
    )
    assert not saved.filter(node__code__startswith="3.").exists()
    assert not saved.filter(node__code__startswith="7.3.").exists()


def test_demo_completes_demo_data_made_before_the_season(
    demo: Demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An older demo (two finalised periods, three accounts without roles) gets the season
    and the accounts on the next plain ``parindex demo``."""
    lighten_season(monkeypatch)  # the season it adds
    period_delete(period=season_period(), actor=None)
    for criteria_set in CriteriaSet.objects.filter(
        jurisdiction__code=units_data.PROVINCE_CODE, year=season.SEASON_YEAR
    ):
        criteria_set_delete(criteria_set=criteria_set, actor=None)
    older = {"admin", "sonoivu", "xa.demo"}
    User.objects.exclude(username__in=older).filter(unit__code__startswith="MH-").delete()
    User.objects.filter(username__in=older).update(role=Role.UNIT_STAFF, is_staff=False)
    User.objects.filter(username="admin").update(is_staff=True)

    output = run_demo()
    assert "Dữ liệu mẫu đã có" in output
    assert "Đã bổ sung kỳ đánh giá đang diễn ra" in output
    assert "kỳ đánh giá Năm 2025 đang tự đánh giá" in output
    assert "(*) tài khoản đã có từ trước" in output
    assert "sonoivu (*)" in account_row(output, "sonoivu")
    assert "chutich (*)" not in account_row(output, "chutich")
    assert season_period().assessments.count() == 88
    sonoivu = User.objects.get(username="sonoivu")
    assert sonoivu.role == Role.CHAIR and sonoivu.is_staff
    assert User.objects.get(username="admin").role == Role.CHAIR
    assert User.objects.get(username="xa.demo").role == Role.UNIT_STAFF
    assert User.objects.get(username="chutich").role == Role.CHAIR

    assert "Đã bổ sung" not in run_demo()
