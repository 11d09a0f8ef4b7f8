"""Việc cần làm: the counts per role (:mod:`parindex.season.todo`), the page, the landing
after sign-in, and a bounded number of queries however many units a period has."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    person,
    round_1_fixture,
    season_fixture,
)
from parindex.criteria.models import CriterionNode
from parindex.organizations.models import Level, Unit
from parindex.periods.models import AppraiserAssignment, DeadlineStage
from parindex.season.deadlines import deadline_extend
from parindex.season.stages import period_open_explanation
from parindex.season.todo import (
    appraiser_todos,
    season_todos,
    todo_for,
    unit_todos,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
LEAVES = 12
"""Leaves of the sample criteria set (parindex/conftest.py)."""


def _page(client: Client) -> str:
    response = client.get("/viec-can-lam/")
    assert response.status_code == 200
    return response.content.decode()


def _return_for_explanation(season: Season, code: str = "1.1") -> Answer:
    answer = season.answer(season.a, code)
    appraisal_save(
        answer=answer,
        actor=season.appraiser,
        version=answer.version,
        value=answer.self_value,
        comment="Đề nghị gửi kế hoạch đã ký.",
        needs_explanation=True,
    )
    return answer


# --------------------------------------------------------------------------- unit


def test_unit_staff_sees_the_deadline_and_the_items_entered(season: Season) -> None:
    [todo] = unit_todos(season.other_staff)  # unit B: 2 of 12 leaves
    assert todo.assessment == season.b
    assert todo.deadline is not None and todo.deadline.days_left == 10
    assert todo.line == "Phiếu 2024: còn 10 ngày, đã nhập 2/12"
    assert todo.pending.startswith("Còn 10 nội dung chưa nhập.")
    assert [link.url for link in todo.links] == [reverse("assessments:detail", args=[season.b.pk])]
    page = _page(client_for(season.other_staff))
    assert "Phiếu 2024: còn 10 ngày, đã nhập 2/12" in page
    assert "Mở phiếu tự đánh giá" in page


def test_the_leader_is_told_to_send_and_nothing_once_sent(season: Season) -> None:
    leader_b = person("lanh.dao.b", Role.UNIT_LEADER, season.unit_b)
    [todo] = unit_todos(leader_b)
    assert todo.pending == "Còn 10 nội dung chưa nhập. Lãnh đạo đơn vị cần gửi hồ sơ tự đánh giá."
    [sent] = unit_todos(season.unit_leader)  # unit A submitted every leaf
    assert sent.line == "Phiếu 2024: còn 10 ngày, đã nhập 12/12"
    assert sent.pending == ""


def test_an_extension_moves_the_units_deadline(season: Season) -> None:
    deadline_extend(
        period=season.period,
        unit=season.unit_b,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + 20 * DAY,
        reason="Đơn vị sáp nhập",
        actor=season.chair,
    )
    [todo] = unit_todos(season.other_staff)
    assert todo.deadline is not None and todo.deadline.extended
    assert todo.line.startswith("Phiếu 2024: còn 20 ngày")
    assert "(đã gia hạn)" in _page(client_for(season.other_staff))
    [other] = unit_todos(season.unit_staff)  # unit A keeps the period's deadline
    assert other.deadline is not None and not other.deadline.extended


def test_a_group_left_out_counts_its_leaves_as_entered(season: Season) -> None:
    """As the self-assessment screen counts: the leaves under a group the unit asked to
    leave out are done (once, even if one of them was also answered)."""
    nodes = CriterionNode.objects.filter(criteria_set=season.criteria_set)
    group = nodes.get(code="3")
    below = nodes.filter(code__startswith="3.", children__isnull=True)
    assert below.count() >= 2
    Answer.objects.create(assessment=season.b, node=group, self_not_applicable=True)
    Answer.objects.create(
        assessment=season.b, node=below.get(code="3.2"), self_value="1", explanation="x"
    )
    [todo] = unit_todos(season.other_staff)
    assert todo.answered == 2 + below.count()


def test_a_passed_deadline_says_so(season: Season) -> None:
    season.period.__class__.objects.filter(pk=season.period.pk).update(
        self_assessment_deadline=timezone.now() - 2 * DAY
    )
    [todo] = unit_todos(season.other_staff)
    assert todo.line == "Phiếu 2024: đã quá hạn 2 ngày, đã nhập 2/12"


def test_explanation_stage_counts_and_links(round_1: Season) -> None:
    _return_for_explanation(round_1, "1.1")
    _return_for_explanation(round_1, "1.2")
    period_open_explanation(
        period=round_1.period, actor=round_1.chair, deadline=timezone.now() + 5 * DAY
    )
    [todo] = unit_todos(round_1.unit_leader)
    assert todo.asked == 2 and todo.unanswered == 2
    assert todo.line == "Phiếu 2024: còn 5 ngày, đã nhập 12/12, 2 nội dung cần giải trình"
    assert todo.deadline is not None and todo.deadline.label == "Hạn giải trình"
    assert todo.pending == "Còn 2 nội dung chưa giải trình. Lãnh đạo đơn vị cần gửi giải trình."
    labels = [link.label for link in todo.links]
    assert labels == ["Mở phiếu tự đánh giá", "Giải trình"]
    assert str(round_1.a.pk) in todo.links[1].url and "giai-trinh" in todo.links[1].url
    # Unit B has nothing to explain: no deadline, no pending step.
    [b] = unit_todos(round_1.other_staff)
    assert (b.deadline, b.pending, b.asked) == (None, "", 0)


# --------------------------------------------------------------------------- appraiser


def test_appraiser_progress_per_unit(round_1: Season) -> None:
    [todo] = appraiser_todos(round_1.appraiser)  # field 1 of unit A: 3 leaves
    [share] = todo.units
    assert share.line == "Sở Tư pháp 0/3"
    assert todo.deadline is None or todo.deadline.label == "Hạn thẩm định vòng 1"
    _return_for_explanation(round_1)
    [todo] = appraiser_todos(round_1.appraiser)
    assert todo.units[0].line == "Sở Tư pháp 1/3"
    assert (todo.appraised, todo.assigned, todo.asked) == (1, 3, 1)
    [other] = appraiser_todos(round_1.appraiser_b)
    assert [u.line for u in other.units] == [f"Sở Tài chính 0/{LEAVES}"]
    page = _page(client_for(round_1.appraiser))
    assert "Sở Tư pháp" in page and ">1/3<" in page
    assert "Đã thẩm định 1/3 nội dung được giao" in page
    assert f"{reverse('appraisal:queue', args=[round_1.period.pk])}?don-vi={round_1.unit_a.pk}" in (
        page
    )


def test_appraiser_during_self_assessment_sees_who_has_sent(season: Season) -> None:
    [todo] = appraiser_todos(season.appraiser)
    assert todo.submitted == 1  # unit A
    assert "thẩm định vòng 1 bắt đầu sau hạn tự đánh giá" in todo.note
    assert "Đã gửi hồ sơ: 1/1 đơn vị." in _page(client_for(season.appraiser))


def test_an_unassigned_appraiser_has_nothing_to_do(season: Season) -> None:
    nobody = person("tham.dinh.3", Role.APPRAISER, season.office)
    assert todo_for(nobody).empty
    assert "Hiện không có việc cần làm." in _page(client_for(nobody))


# --------------------------------------------------------------------------- chair


def test_chair_sees_the_seasons_progress_and_next_step(season: Season) -> None:
    [todo] = season_todos(season.chair)
    assert (todo.units, todo.submitted, todo.not_submitted) == (3, 1, 2)
    assert todo.progress_line == "Đã gửi hồ sơ 1/3 đơn vị"
    assert todo.step_line.startswith(
        "Bước tiếp theo: Bắt đầu thẩm định vòng 1, sau Hạn tự đánh giá "
    )
    assert todo.step_line.endswith("(còn 10 ngày)")
    page = _page(client_for(season.chair))
    assert "Đã gửi hồ sơ 1/3 đơn vị" in page
    assert reverse("season:dashboard", args=[season.period.pk]) in page
    assert "Nhắc 2 đơn vị chưa gửi" in page


def test_chair_in_round_1_sees_items_appraised(round_1: Season) -> None:
    _return_for_explanation(round_1)
    [todo] = season_todos(round_1.chair)
    items = Answer.objects.filter(assessment__period=round_1.period).count()
    assert todo.progress_line == f"Đã gửi hồ sơ 1/3 đơn vị; đã thẩm định 1/{items} nội dung"
    assert todo.step_label == "Mở giải trình"


def test_observer_sees_the_progress_without_the_reminder(
    season: Season, observer_client: Client
) -> None:
    page = _page(observer_client)
    assert "Đã gửi hồ sơ 1/3 đơn vị" in page
    assert "chưa gửi</a>" not in page


def test_superuser_sees_every_period_as_the_chair(season: Season, superuser: User) -> None:
    todo = todo_for(superuser)
    assert [s.period for s in todo.seasons] == [season.period]
    assert todo.units == [] and todo.appraisals == []


def test_a_finalised_period_is_not_a_todo(season: Season) -> None:
    season.period.__class__.objects.filter(pk=season.period.pk).update(status="finalised")
    assert todo_for(season.chair).empty
    assert todo_for(season.unit_staff).empty


# --------------------------------------------------------------------------- page, sign-in


def test_visitors_are_sent_to_sign_in(client: Client, db: None) -> None:
    response = client.get("/viec-can-lam/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_sign_in_lands_on_the_todo_page_unless_next(
    client: Client, season: Season, fast_password_hasher: None
) -> None:
    season.other_staff.set_password("mat-khau-rat-dai-123")
    season.other_staff.save()
    credentials = {"username": "can.bo.b", "password": "mat-khau-rat-dai-123"}
    response = client.post("/tai-khoan/dang-nhap/", credentials)
    assert response.status_code == 302
    assert response["Location"] == "/viec-can-lam/"
    assert "Phiếu 2024: còn 10 ngày, đã nhập 2/12" in client.get("/viec-can-lam/").content.decode()
    client.logout()
    response = client.post("/tai-khoan/dang-nhap/?next=/ke-hoach/", credentials)
    assert response["Location"] == "/ke-hoach/"


def test_the_navbar_links_the_todo_page(season: Season) -> None:
    page = _page(client_for(season.unit_staff))
    assert 'href="/viec-can-lam/"' in page
    assert 'id="chuong-thong-bao"' in page


# --------------------------------------------------------------------------- queries


def _more_units(season: Season, n: int) -> None:
    """``n`` more sở in the period, each in progress with two answers, all given to
    ``appraiser_b``; one staff member each."""
    assignment = AppraiserAssignment.objects.get(period=season.period, appraiser=season.appraiser_b)
    nodes = list(Answer.objects.filter(assessment=season.b).values_list("node_id", "self_value"))
    for i in range(n):
        unit = Unit.objects.create(
            code=f"T-SO-{i}",
            name=f"Sở số {i}",
            level=Level.DEPARTMENT,
            parent=season.unit_a.parent,
            group=season.unit_a.group,
            position=10 + i,
        )
        assessment = Assessment.objects.create(
            period=season.period, unit=unit, status=AssessmentStatus.IN_PROGRESS
        )
        Answer.objects.bulk_create(
            Answer(assessment=assessment, node_id=node_id, self_value=value)
            for node_id, value in nodes
        )
        assignment.units.add(unit)


def _queries(user: User) -> int:
    with CaptureQueriesContext(connection) as captured:
        todo_for(user)
    return len(captured)


def _page_queries(user: User) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as captured:
        _page(client)
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_units(
    season: Season, django_assert_max_num_queries: Any
) -> None:
    people = (season.chair, season.appraiser_b, season.other_staff)
    before = [_queries(u) for u in people]
    page_before = _page_queries(season.chair)
    _more_units(season, 40)
    after = [_queries(u) for u in people]
    assert after == before
    assert _page_queries(season.chair) == page_before
    [todo] = season_todos(season.chair)
    assert (todo.units, todo.submitted) == (43, 1)
    [mine] = appraiser_todos(season.appraiser_b)
    assert len(mine.units) == 41
    for user in people:
        with django_assert_max_num_queries(12):
            todo_for(user)
