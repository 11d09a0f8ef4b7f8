"""The status of a self-assessment (``Assessment.status``): which moves exist, and the one
function that makes them.

Every move, whether a unit's own (starting, sending, taking back), a season step for a
whole period (locking at appraisal, asking for explanation, closing it, finalising) or a
deadline (locking late units, unlocking on an extension), goes through :func:`move`, which
checks the move against :data:`TRANSITIONS`, sets the status and writes one audit event per
assessment, always of the same shape::

    action  "assessment.<verb>" (the verb of the move, below)
    before  {"status": <old>, "submitted_at": <ISO time or None>}
    after   {"status": <new>, "submitted_at": <ISO time or None>}
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, AssessmentStatus
from parindex.audit.models import AuditEvent
from parindex.audit.services import event, record

S = AssessmentStatus
BATCH = 1000

EDITABLE = (S.NOT_STARTED, S.IN_PROGRESS)
"""Statuses in which the unit may still change its self-assessment."""
SELF_ASSESSMENT_OPEN = (S.NOT_STARTED, S.IN_PROGRESS, S.SUBMITTED)
"""Statuses of a unit still in (or before) its self-assessment."""


@dataclass(frozen=True)
class Move:
    """One kind of move: its audit action and how the trail names it."""

    action: str
    label: str


STARTED = Move("assessment.self_started", "Bắt đầu tự đánh giá")
SUBMITTED = Move("assessment.submitted", "Gửi hồ sơ tự đánh giá")
WITHDRAWN = Move("assessment.withdrawn", "Rút hồ sơ tự đánh giá")
LOCKED = Move("assessment.locked", "Khóa hồ sơ tự đánh giá")
UNLOCKED = Move("assessment.unlocked", "Mở lại hồ sơ tự đánh giá")
EXPLANATION_ASKED = Move("assessment.explanation_requested", "Yêu cầu giải trình")
EXPLANATION_CLOSED = Move("assessment.explanation_closed", "Khóa giải trình")
FINALISED = Move("assessment.finalised", "Chốt kết quả")

TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.NOT_STARTED, S.IN_PROGRESS): STARTED,
    (S.NOT_STARTED, S.SUBMITTED): SUBMITTED,
    (S.IN_PROGRESS, S.SUBMITTED): SUBMITTED,
    (S.SUBMITTED, S.IN_PROGRESS): WITHDRAWN,
    **{(status, S.IN_APPRAISAL): LOCKED for status in SELF_ASSESSMENT_OPEN},
    **{(S.IN_APPRAISAL, status): UNLOCKED for status in SELF_ASSESSMENT_OPEN},
    (S.IN_APPRAISAL, S.NEEDS_EXPLANATION): EXPLANATION_ASKED,
    (S.NEEDS_EXPLANATION, S.IN_APPRAISAL): EXPLANATION_CLOSED,
    **{(status, S.FINAL): FINALISED for status in S.values if status != S.FINAL},
}
"""Every move an assessment can make, (from, to) → its kind. Nothing leaves "Đã có kết quả"."""


EXPLANATION_SENT = Move("assessment.explanation_sent", "Gửi giải trình")
EXPLANATION_WITHDRAWN = Move("assessment.explanation_withdrawn", "Rút giải trình")


def mark_explanation(assessment: Assessment, *, sent: bool, actor: User | None) -> Move:
    """The unit leader sends its explanation (gửi giải trình) or takes it back (rút lại).

    Not a status: the assessment stays "Cần giải trình" until the season closes the
    explanation stage, which moves sent and unsent ones alike (so the season's steps need
    no new state); ``explanation_sent_at``/``_by`` say whether it was sent. Call inside
    the caller's transaction with the row locked; one audit event of the shape above, with
    ``explanation_sent_at`` in before/after."""
    if assessment.status != S.NEEDS_EXPLANATION:
        raise ValidationError(
            f"Hồ sơ của {assessment.unit.name} đang ở trạng thái "
            f"“{S(assessment.status).label}”: không trong thời gian giải trình."
        )
    was = assessment.explanation_sent_at
    if sent == (was is not None):
        raise ValidationError(
            "Giải trình đã được gửi." if sent else "Giải trình chưa được gửi: không có gì để rút."
        )
    kind = EXPLANATION_SENT if sent else EXPLANATION_WITHDRAWN
    assessment.explanation_sent_at = timezone.now() if sent else None
    assessment.explanation_sent_by = actor if sent else None
    assessment.save(update_fields=["explanation_sent_at", "explanation_sent_by"])
    sent_at = assessment.explanation_sent_at
    record(
        actor=actor,
        action=kind.action,
        target=assessment,
        summary=f"{kind.label}: {assessment.unit.name} ({assessment.period.name})",
        before={
            "status": assessment.status,
            "submitted_at": _submitted_at(assessment),
            "explanation_sent_at": was.isoformat() if was else None,
        },
        after={
            "status": assessment.status,
            "submitted_at": _submitted_at(assessment),
            "explanation_sent_at": sent_at.isoformat() if sent_at else None,
        },
    )
    return kind


def _submitted_at(assessment: Assessment) -> str | None:
    return assessment.submitted_at.isoformat() if assessment.submitted_at else None


def _check(assessment: Assessment, status: str) -> Move:
    kind = TRANSITIONS.get((assessment.status, status))
    if kind is None:
        raise ValidationError(
            f"Hồ sơ tự đánh giá của {assessment.unit.name} đang ở trạng thái "
            f"“{S(assessment.status).label}”: không thể chuyển sang “{S(status).label}”."
        )
    return kind


def move(
    assessments: Iterable[Assessment],
    status: str,
    *,
    actor: User | None,
    reason: str = "",
) -> list[Assessment]:
    """Move every assessment given to ``status``; the ones already there are left alone.

    Call inside the caller's transaction with the rows locked. Sending records who sent and
    when; going back to the self-assessment ("đang tự đánh giá", "chưa bắt đầu") clears it;
    other moves (unlocking a sent one on an extension included) keep it. ``reason`` (a
    deadline, an extension) ends the audit summary. Returns the assessments that moved,
    updated in place.
    """
    todo = [a for a in assessments if a.status != status]
    kinds = [_check(a, status) for a in todo]
    events: list[AuditEvent] = []
    now = timezone.now()
    for assessment, kind in zip(todo, kinds, strict=True):
        before = {"status": assessment.status, "submitted_at": _submitted_at(assessment)}
        assessment.status = status
        if kind is SUBMITTED:
            assessment.submitted_at, assessment.submitted_by = now, actor
        elif status in EDITABLE:
            assessment.submitted_at, assessment.submitted_by = None, None
        summary = f"{kind.label}: {assessment.unit.name} ({assessment.period.name})"
        events.append(
            event(
                actor=actor,
                action=kind.action,
                target=assessment,
                summary=f"{summary} — {reason}" if reason else summary,
                before=before,
                after={"status": status, "submitted_at": _submitted_at(assessment)},
            )
        )
    if status in EDITABLE or status == S.SUBMITTED:
        for assessment in todo:
            assessment.save(update_fields=["status", "submitted_at", "submitted_by"])
    else:
        pks = [a.pk for a in todo]
        for start in range(0, len(pks), BATCH):
            Assessment.objects.filter(pk__in=pks[start : start + BATCH]).update(status=status)
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    return todo


def move_all(
    assessments: QuerySet[Assessment], status: str, *, actor: User | None, reason: str = ""
) -> int:
    """:func:`move` for a whole query (a season step over a period's units); how many moved."""
    rows = list(assessments.select_related("unit", "period").select_for_update(of=("self",)))
    return len(move(rows, status, actor=actor, reason=reason))


def status_counts(assessments: Sequence[Assessment] | QuerySet[Assessment]) -> dict[str, int]:
    """How many assessments are in each status (every status present, zeros included)."""
    counts = dict.fromkeys(S.values, 0)
    rows = (
        assessments.values_list("status", flat=True)
        if isinstance(assessments, QuerySet)
        else [a.status for a in assessments]
    )
    for status in rows:
        counts[status] += 1
    return counts
