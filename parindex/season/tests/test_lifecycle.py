"""The period lifecycle: stages move assessments with them, deadlines lock, extensions."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.notices.models import Notice
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import DeadlineExtension, DeadlineStage, PeriodStatus
from parindex.periods.selectors import deadline_passed
from parindex.season.deadlines import deadline_extend, deadlines_enforce
from parindex.season.stages import (
    period_open_explanation,
    period_open_self_assessment,
    period_start_appraisal,
    period_start_round_2,
)
from parindex.season.steps import next_step, period_advance

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def _statuses(season: Season) -> dict[str, str]:
    return dict(Assessment.objects.filter(period=season.period).values_list("unit__code", "status"))


def test_open_self_assessment_creates_every_units_assessment(season: Season) -> None:
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT
    assert set(_statuses(season)) == {"T-SNV", "T-STP", "T-STC"}
    assert season.period.self_assessment_deadline is not None
    event = AuditEvent.objects.get(action="period.self_assessment_opened")
    assert event.after is not None and event.after["assessments_created"] == 3
    assert AuditEvent.objects.filter(action="period.status_changed").count() == 1


def test_open_self_assessment_refuses_a_past_deadline_and_non_chairs(
    province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet, season: Season
) -> None:
    from parindex.periods.models import PeriodKind
    from parindex.periods.services import period_create

    other = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Năm 2025",
        groups={departments_group: criteria_set},
        actor=None,
    )
    with pytest.raises(PermissionDenied):
        period_open_self_assessment(period=other, actor=season.appraiser)
    with pytest.raises(ValidationError) as exc:
        period_open_self_assessment(period=other, actor=season.chair, deadline=timezone.now() - DAY)
    assert "sau thời điểm hiện tại" in exc.value.message_dict["deadline"][0]
    other.refresh_from_db()
    assert other.status == PeriodStatus.PREPARED


def test_start_appraisal_locks_every_assessment(season: Season) -> None:
    assert next_step(season.period) is not None
    assert next_step(season.period).key == "start_appraisal"  # type: ignore[union-attr]
    period_start_appraisal(
        period=season.period, actor=season.chair, deadline=timezone.now() + 5 * DAY
    )
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1
    assert set(_statuses(season).values()) == {AssessmentStatus.IN_APPRAISAL}
    # Every leaf has an item to appraise, answered or not.
    assert Answer.objects.filter(assessment=season.office_assessment).count() == 12
    event = AuditEvent.objects.get(action="period.appraisal_started")
    assert event.before is not None and event.before["assessments"]["submitted"] == 1
    assert event.after is not None and event.after["locked"] == 3


def test_forbidden_transitions(season: Season) -> None:
    with pytest.raises(ValidationError) as exc:
        period_open_explanation(period=season.period, actor=season.chair)
    assert "Đang tự đánh giá" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        period_start_round_2(period=season.period, actor=season.chair)
    with pytest.raises(ValidationError):
        period_open_self_assessment(period=season.period, actor=season.chair)
    period_start_appraisal(period=season.period, actor=season.chair)
    with pytest.raises(ValidationError):
        period_start_appraisal(period=season.period, actor=season.chair)
    # No item asks for an explanation: no explanation round, straight to finalising.
    with pytest.raises(ValidationError) as exc:
        period_open_explanation(period=season.period, actor=season.chair)
    assert "chốt kết quả" in exc.value.messages[0]
    assert next_step(season.period).key == "finalise"  # type: ignore[union-attr]


def test_explanation_round_and_round_2(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value=True,
        comment="Đề nghị gửi kế hoạch đã ký.",
        needs_explanation=True,
    )
    assert next_step(round_1.period).key == "open_explanation"  # type: ignore[union-attr]
    period_advance(period=round_1.period, actor=round_1.chair, deadline=timezone.now() + DAY)
    assert _statuses(round_1) == {
        "T-SNV": AssessmentStatus.IN_APPRAISAL,
        "T-STP": AssessmentStatus.NEEDS_EXPLANATION,
        "T-STC": AssessmentStatus.IN_APPRAISAL,
    }
    round_1.period.refresh_from_db()
    assert round_1.period.status == PeriodStatus.EXPLANATION
    # The unit's people are told in the app, with a link to their explanation page.
    notices = Notice.objects.filter(link__contains="/giai-trinh/")
    assert notices.exists()
    assert {n.recipient.unit.code for n in notices} == {"T-STP"}  # type: ignore[union-attr]
    period_advance(period=round_1.period, actor=round_1.chair)
    round_1.period.refresh_from_db()
    assert round_1.period.status == PeriodStatus.APPRAISAL_2
    assert set(_statuses(round_1).values()) == {AssessmentStatus.IN_APPRAISAL}
    assert next_step(round_1.period).key == "finalise"  # type: ignore[union-attr]


def test_deadline_enforcement_moves_the_period_when_no_extension(season: Season) -> None:
    now = timezone.now()
    assert deadlines_enforce(now=now) == []  # deadline in 10 days
    deadline = season.period.self_assessment_deadline
    assert deadline is not None
    lines = deadlines_enforce(now=deadline + datetime.timedelta(minutes=1))
    assert len(lines) == 1
    assert "hết hạn tự đánh giá" in lines[0] and "Thẩm định vòng 1" in lines[0]
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1
    assert set(_statuses(season).values()) == {AssessmentStatus.IN_APPRAISAL}
    assert deadlines_enforce(now=deadline + 2 * DAY) == []  # idempotent


def test_extension_with_reason_lets_one_unit_continue(season: Season) -> None:
    with pytest.raises(ValidationError) as exc:
        deadline_extend(
            period=season.period,
            unit=season.unit_b,
            stage=DeadlineStage.SELF_ASSESSMENT,
            until=timezone.now() + 20 * DAY,
            reason="  ",
            actor=season.chair,
        )
    assert exc.value.message_dict["reason"] == ["Cần ghi lý do gia hạn."]
    with pytest.raises(PermissionDenied):
        deadline_extend(
            period=season.period,
            unit=season.unit_b,
            stage=DeadlineStage.SELF_ASSESSMENT,
            until=timezone.now() + 20 * DAY,
            reason="Lý do",
            actor=season.appraiser,
        )
    extension = deadline_extend(
        period=season.period,
        unit=season.unit_b,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + 20 * DAY,
        reason="Đơn vị sáp nhập, thay đổi lãnh đạo.",
        actor=season.chair,
    )
    assert extension.granted_by == season.chair
    event = AuditEvent.objects.get(action="deadline.extended")
    assert (
        event.after is not None and event.after["reason"] == "Đơn vị sáp nhập, thay đổi lãnh đạo."
    )
    assert event.before is None

    deadline = season.period.self_assessment_deadline
    assert deadline is not None
    after_deadline = deadline + datetime.timedelta(hours=1)
    lines = deadlines_enforce(now=after_deadline)
    season.refresh()
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT  # B still works
    assert _statuses(season) == {
        "T-SNV": AssessmentStatus.IN_APPRAISAL,
        "T-STP": AssessmentStatus.IN_APPRAISAL,
        "T-STC": AssessmentStatus.IN_PROGRESS,
    }
    assert len(lines) == 2 and all("khóa hồ sơ" in line for line in lines)
    assert deadlines_enforce(now=after_deadline) == []

    # A second grant replaces the first (audited before → after) and unlocks a locked unit.
    deadline_extend(
        period=season.period,
        unit=season.unit_a,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + 15 * DAY,
        reason="Bổ sung tài liệu",
        actor=season.chair,
    )
    assert _statuses(season)["T-STP"] == AssessmentStatus.SUBMITTED
    replaced = deadline_extend(
        period=season.period,
        unit=season.unit_b,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + 25 * DAY,
        reason="Gia hạn thêm",
        actor=season.chair,
    )
    assert DeadlineExtension.objects.filter(unit=season.unit_b).count() == 1
    assert replaced.reason == "Gia hạn thêm"
    last = AuditEvent.objects.filter(action="deadline.extended").order_by("-id").first()
    assert last is not None and last.before is not None
    assert last.before["reason"] == "Đơn vị sáp nhập, thay đổi lãnh đạo."

    # Once every extension passed, the period moves on.
    lines = deadlines_enforce(now=timezone.now() + 30 * DAY)
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1
    assert any("chuyển sang" in line for line in lines)


def test_extension_refused_after_the_stage(round_1: Season) -> None:
    with pytest.raises(ValidationError) as exc:
        deadline_extend(
            period=round_1.period,
            unit=round_1.unit_a,
            stage=DeadlineStage.SELF_ASSESSMENT,
            until=timezone.now() + DAY,
            reason="Muộn",
            actor=round_1.chair,
        )
    assert "không thể gia hạn" in exc.value.message_dict["stage"][0]


def test_explanation_deadline_enforced_with_extension(round_1: Season) -> None:
    for assessment in (round_1.a, round_1.b):
        answer = Answer.objects.filter(assessment=assessment, node__code="2").get()
        actor = round_1.appraiser_b if assessment == round_1.b else round_1.chair
        appraisal_save(
            answer=answer,
            actor=actor,
            version=answer.version,
            value="5",
            comment="Đề nghị giải trình.",
            needs_explanation=True,
        )
    period_open_explanation(
        period=round_1.period, actor=round_1.chair, deadline=timezone.now() + DAY
    )
    deadline_extend(
        period=round_1.period,
        unit=round_1.unit_b,
        stage=DeadlineStage.EXPLANATION,
        until=timezone.now() + 3 * DAY,
        reason="Ốm",
        actor=round_1.chair,
    )
    round_1.refresh()
    assert deadline_passed(round_1.period, round_1.unit_a.pk, DeadlineStage.EXPLANATION) is False
    lines = deadlines_enforce(now=timezone.now() + 2 * DAY)
    assert len(lines) == 1 and "Sở Tư pháp" in lines[0]
    assert _statuses(round_1)["T-STP"] == AssessmentStatus.IN_APPRAISAL
    assert _statuses(round_1)["T-STC"] == AssessmentStatus.NEEDS_EXPLANATION
    # An extension granted to the locked unit while the round is open unlocks it.
    deadline_extend(
        period=round_1.period,
        unit=round_1.unit_a,
        stage=DeadlineStage.EXPLANATION,
        until=timezone.now() + 3 * DAY,
        reason="Mất điện",
        actor=round_1.chair,
    )
    assert _statuses(round_1)["T-STP"] == AssessmentStatus.NEEDS_EXPLANATION
    lines = deadlines_enforce(now=timezone.now() + 4 * DAY)
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.APPRAISAL_2
    assert "hết hạn giải trình" in lines[0]


def test_admin_action_opens_the_confirmation_page(superuser_client: Client, season: Season) -> None:
    response = superuser_client.post(
        "/quan-tri/periods/period/",
        {"action": "move_to_next_status", "_selected_action": [season.period.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tham-dinh/{season.period.pk}/dieu-hanh/chuyen-buoc/"
    season.refresh()
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT
    page = superuser_client.get(response["Location"])
    assert "2/3 đơn vị chưa gửi hồ sơ tự đánh giá" in page.content.decode()
    seen = page.content.decode().split('name="seen" value="')[1].split('"')[0]
    superuser_client.post(response["Location"], {"step": "start_appraisal", "seen": seen})
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1
    assert season.a.status == AssessmentStatus.IN_APPRAISAL


def test_admin_assignment_pages(superuser_client: Client, season: Season) -> None:
    response = superuser_client.get("/quan-tri/periods/appraiserassignment/")
    assert response.status_code == 200
    assert "Lê Thẩm Định" in response.content.decode()
    assignment = season.period.assignments.get(appraiser=season.appraiser)
    page = superuser_client.get(f"/quan-tri/periods/appraiserassignment/{assignment.pk}/change/")
    assert page.status_code == 200
    response = superuser_client.post(
        f"/quan-tri/periods/appraiserassignment/{assignment.pk}/change/",
        {
            "period": season.period.pk,
            "appraiser": season.appraiser.pk,
            "node_codes": '["1", "2"]',
            "units": [season.unit_a.pk, season.unit_b.pk],
        },
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.node_codes == ["1", "2"]
    event = AuditEvent.objects.get(action="assignment.changed")
    assert event.after is not None and event.after["units"] == ["T-STC", "T-STP"]


def test_extension_must_end_after_the_general_deadline(season: Season) -> None:
    with pytest.raises(ValidationError) as exc:
        deadline_extend(
            period=season.period,
            unit=season.unit_b,
            stage=DeadlineStage.SELF_ASSESSMENT,
            until=timezone.now() + 5 * DAY,  # the period's deadline is in 10 days
            reason="Sớm hơn",
            actor=season.chair,
        )
    assert "sau hạn chung" in exc.value.message_dict["until"][0]
    assert not DeadlineExtension.objects.exists()


# --------------------------------------------------------------------------- deadline window


@pytest.mark.parametrize(
    "far",
    [
        datetime.datetime(9999, 12, 31, 23, 59, tzinfo=HANOI),  # would overflow +timedelta
        datetime.datetime(2099, 12, 31, 17, 0, tzinfo=HANOI),
    ],
)
def test_a_deadline_years_ahead_is_refused_without_overflow(
    season: Season, far: datetime.datetime
) -> None:
    with pytest.raises(ValidationError) as exc:
        period_start_appraisal(period=season.period, actor=season.chair, deadline=far)
    [message] = exc.value.message_dict["deadline"]
    assert message.startswith(f"Thời hạn {far:%d/%m/%Y %H:%M} quá xa: chỉ đặt thời hạn trong")
    season.refresh()
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT
    with pytest.raises(ValidationError) as exc:
        deadline_extend(
            period=season.period,
            unit=season.unit_b,
            stage=DeadlineStage.SELF_ASSESSMENT,
            until=far,
            reason="Thay đổi lãnh đạo",
            actor=season.chair,
        )
    assert "quá xa" in exc.value.message_dict["until"][0]
    assert not DeadlineExtension.objects.exists()


def test_the_window_ends_about_two_years_ahead(season: Season) -> None:
    from parindex.season.guards import MAX_DEADLINE_DAYS

    assert MAX_DEADLINE_DAYS == 731
    with pytest.raises(ValidationError, match="quá xa"):
        period_start_appraisal(
            period=season.period, actor=season.chair, deadline=timezone.now() + 732 * DAY
        )
    period_start_appraisal(
        period=season.period, actor=season.chair, deadline=timezone.now() + 700 * DAY
    )
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1


# --------------------------------------------------------------------------- consequences


def test_the_consequences_of_starting_appraisal_name_the_units_not_submitted(
    season: Season,
) -> None:
    from parindex.season.consequences import step_consequences

    found = step_consequences(season.period, "start_appraisal")
    assert found is not None
    assert (found.units, found.not_submitted, found.items) == (3, 2, 36)
    assert set(found.not_submitted_names) == {"Sở Nội vụ", "Sở Tài chính"}
    assert (found.unscored, found.units_unscored) == (22, 2)
    assert not found.nothing_appraised
    lines = found.lines()
    assert lines[0].startswith(
        "2/3 đơn vị chưa gửi hồ sơ tự đánh giá (hồ sơ bị khóa theo nội dung đã nhập): "
    )
    assert lines[1] == (
        "2 đơn vị có tiêu chí chưa có điểm (22 nội dung, tính 0 điểm): Sở Nội vụ, Sở Tài chính."
    )
    assert step_consequences(season.period, "no_such_step") is None


def test_the_consequences_of_finalising_count_what_keeps_the_self_score(round_1: Season) -> None:
    from parindex.season.consequences import CONSEQUENCE_NAMES, step_consequences

    found = step_consequences(round_1.period, "finalise")
    assert found is not None and found.nothing_appraised
    assert (found.appraised, found.self_only, found.unscored) == (0, 14, 22)
    assert "Chưa thẩm định nội dung nào: cả 14 nội dung giữ điểm tự chấm." in found.lines()

    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(answer=answer, actor=round_1.appraiser, version=answer.version, value=True)
    found = step_consequences(round_1.period, "finalise")
    assert found is not None and not found.nothing_appraised
    assert (found.appraised, found.self_only, found.unscored) == (1, 13, 22)
    assert "13/36 nội dung chưa thẩm định, sẽ giữ điểm tự chấm." in found.lines()
    assert CONSEQUENCE_NAMES == 20


def test_finalising_through_advance_needs_the_confirmation_when_nothing_was_appraised(
    round_1: Season,
) -> None:
    assert next_step(round_1.period).key == "finalise"  # type: ignore[union-attr]
    with pytest.raises(ValidationError) as exc:
        period_advance(period=round_1.period, actor=round_1.chair)
    assert "Tôi xác nhận chốt kết quả khi chưa thẩm định" in exc.value.messages[0]
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.APPRAISAL_1

    period_advance(period=round_1.period, actor=round_1.chair, confirm_unappraised=True)
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.FINALISED
