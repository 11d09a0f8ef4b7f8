"""The status of an assessment moves only through the workflow: every move in the table, the
refusals, and a whole season walked through the services with one audit event per move."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.services.self_assessment import (
    answer_save,
    assessment_submit,
    assessment_withdraw,
)
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    season_fixture,
)
from parindex.assessments.workflow import TRANSITIONS, move, status_counts
from parindex.audit.models import AuditEvent
from parindex.periods.models import DeadlineExtension, DeadlineStage
from parindex.season.deadlines import deadline_extend, deadlines_enforce
from parindex.season.finalise import period_finalise
from parindex.season.stages import (
    period_open_explanation,
    period_start_appraisal,
    period_start_round_2,
)

pytestmark = pytest.mark.django_db

S = AssessmentStatus
DAY = datetime.timedelta(days=1)
SHAPE = {"status", "submitted_at"}


def _moves(assessment: Assessment) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            target_type="assessments.assessment",
            target_id=str(assessment.pk),
            action__startswith="assessment.",
        ).order_by("id")
    )


def _before(event: AuditEvent) -> dict[str, Any]:
    assert isinstance(event.before, dict)
    return event.before


def _after(event: AuditEvent) -> dict[str, Any]:
    assert isinstance(event.after, dict)
    return event.after


def _put(assessment: Assessment, status: str) -> None:
    """Test set-up only: place the row in a status without a move."""
    submitted = timezone.now() if status == S.SUBMITTED else None
    Assessment.objects.filter(pk=assessment.pk).update(status=status, submitted_at=submitted)
    assessment.refresh_from_db()


@pytest.mark.parametrize(("before", "after"), sorted(TRANSITIONS))
def test_every_move_in_the_table_sets_the_status_and_writes_one_event(
    season: Season, before: str, after: str
) -> None:
    assessment = season.b
    _put(assessment, before)
    AuditEvent.objects.all().delete()

    moved = move([assessment], after, actor=season.chair, reason="thử")

    assert [a.pk for a in moved] == [assessment.pk]
    assessment.refresh_from_db()
    assert assessment.status == after
    [event] = _moves(assessment)
    assert event.action == TRANSITIONS[(before, after)].action
    assert event.actor == season.chair
    assert set(_before(event)) == set(_after(event)) == SHAPE
    assert (_before(event)["status"], _after(event)["status"]) == (before, after)
    assert event.summary.endswith("— thử")
    if after == S.SUBMITTED and before in (S.NOT_STARTED, S.IN_PROGRESS):  # sent now
        assert assessment.submitted_by == season.chair and _after(event)["submitted_at"]
    elif after not in (S.NOT_STARTED, S.IN_PROGRESS):  # who sent, and when, is kept
        assert _after(event)["submitted_at"] == _before(event)["submitted_at"]
    if after in (S.NOT_STARTED, S.IN_PROGRESS):
        assert assessment.submitted_at is None and _after(event)["submitted_at"] is None


@pytest.mark.parametrize(
    ("before", "after"),
    [(S.FINAL, S.IN_PROGRESS), (S.NOT_STARTED, S.NEEDS_EXPLANATION), (S.SUBMITTED, S.NOT_STARTED)],
)
def test_a_move_outside_the_table_is_refused_and_changes_nothing(
    season: Season, before: str, after: str
) -> None:
    _put(season.b, before)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as exc:
        move([season.b], after, actor=season.chair)

    assert "không thể chuyển sang" in exc.value.messages[0]
    season.b.refresh_from_db()
    assert season.b.status == before
    assert AuditEvent.objects.count() == events


def test_staying_in_the_same_status_is_no_move(season: Season) -> None:
    events = AuditEvent.objects.count()
    assert move([season.b], S.IN_PROGRESS, actor=None) == []
    assert AuditEvent.objects.count() == events


def test_status_counts_list_every_status(season: Season) -> None:
    counts = status_counts(Assessment.objects.filter(period=season.period))
    assert set(counts) == set(S.values)
    assert (counts[S.NOT_STARTED], counts[S.SUBMITTED], counts[S.IN_PROGRESS]) == (1, 1, 1)


def test_a_whole_season_moves_through_every_stage_with_one_event_per_move(
    season: Season,
) -> None:
    a = season.a
    _put(a, S.NOT_STARTED)
    AuditEvent.objects.all().delete()
    node = Answer.objects.select_related("node").get(assessment=a, node__code="2").node

    def save(value: str) -> None:
        answer = Answer.objects.get(assessment=a, node=node)
        answer_save(
            assessment=a, node=node, actor=season.unit_staff, version=answer.version, value=value
        )

    save("9")  # chưa bắt đầu → đang tự đánh giá
    assessment_submit(assessment=a, actor=season.unit_leader)
    assessment_withdraw(assessment=a, actor=season.unit_leader)
    save("9.5")
    assessment_submit(assessment=a, actor=season.unit_leader)
    # The deadline passes while unit B holds an extension: unit A alone is locked ...
    deadline = season.period.self_assessment_deadline
    assert deadline is not None
    DeadlineExtension.objects.create(
        period=season.period,
        unit=season.unit_b,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=deadline + 5 * DAY,
        reason="Bão lũ",
    )
    deadlines_enforce(now=deadline + DAY)
    # ... and given a later deadline, goes back to "đã gửi".
    deadline_extend(
        period=season.period,
        unit=season.unit_a,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=deadline + 3 * DAY,
        reason="Mất điện",
        actor=season.chair,
    )
    period_start_appraisal(period=season.period, actor=season.chair)
    answer = Answer.objects.get(assessment=a, node__code="1.1")
    appraisal_save(
        answer=answer,
        actor=season.appraiser,
        version=answer.version,
        value=True,
        comment="Đề nghị gửi kế hoạch đã ký.",
        needs_explanation=True,
    )
    period_open_explanation(period=season.period, actor=season.chair, deadline=deadline + 9 * DAY)
    period_start_round_2(period=season.period, actor=season.chair)
    period_finalise(period=season.period, actor=season.chair)

    events = _moves(a)
    assert [e.action.removeprefix("assessment.") for e in events] == [
        "self_started",
        "submitted",
        "withdrawn",
        "submitted",
        "locked",
        "unlocked",
        "locked",
        "explanation_requested",
        "explanation_closed",
        "finalised",
    ]
    assert [_after(e)["status"] for e in events] == [
        S.IN_PROGRESS,
        S.SUBMITTED,
        S.IN_PROGRESS,
        S.SUBMITTED,
        S.IN_APPRAISAL,
        S.SUBMITTED,
        S.IN_APPRAISAL,
        S.NEEDS_EXPLANATION,
        S.IN_APPRAISAL,
        S.FINAL,
    ]
    assert all(set(_before(e)) == set(_after(e)) == SHAPE for e in events)
    # Each move starts where the one before ended.
    assert [_before(e)["status"] for e in events[1:]] == [_after(e)["status"] for e in events[:-1]]
    a.refresh_from_db()
    assert a.status == S.FINAL
    assert a.submitted_by == season.unit_leader
