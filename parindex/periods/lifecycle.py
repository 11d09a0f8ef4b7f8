"""The season of a period: opening and closing its stages, deadlines, extensions, reminders.

Chuẩn bị → tự đánh giá (đến hạn) → thẩm định vòng 1 → giải trình (đến hạn) → thẩm định
vòng 2 → chốt kết quả. Each step here moves the period with
:func:`parindex.periods.services.period_set_status` (forward only, audited) and moves the
units' assessments with it; closing the last stage is
:func:`parindex.assessments.appraisal.period_finalise`.

Deadlines lock editing by themselves (the editing services compare ``now`` with
:func:`parindex.periods.selectors.effective_deadline`); :func:`deadlines_enforce`, run every
15 minutes by ``parindex enforce_deadlines``, makes the statuses follow: a unit whose own
deadline passed is locked, and the period moves on once no unit holds a later extension.

Every function that changes data writes audit events in its own transaction. ``actor`` None
means the system (the periodic job).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import answers_appraisable_by
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.criteria.models import CriterionNode
from parindex.organizations.models import Unit
from parindex.periods.models import (
    AppraiserAssignment,
    DeadlineExtension,
    DeadlineStage,
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.permissions import is_chair, periods_visible_to
from parindex.periods.selectors import STAGE_DEADLINE_FIELD
from parindex.periods.services import STATUS_ORDER, period_set_status

SELF_ASSESSMENT_OPEN = (
    AssessmentStatus.NOT_STARTED,
    AssessmentStatus.IN_PROGRESS,
    AssessmentStatus.SUBMITTED,
)
"""Assessment statuses of a unit still in (or before) its self-assessment."""

UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_LEADER)
REMINDER_ACTION = "reminder.sent"
MAX_DEADLINE_DAYS = 731
"""How far ahead a deadline (of a stage, or a unit's extension) may be set: about two
years. A season runs for months; a date further away is a typo (2099, 9999), and one near
the end of the calendar overflows the date arithmetic."""
CONSEQUENCE_NAMES = 20
"""Units named (by name) in the consequences of a step; the others are counted."""


def fmt_datetime(value: datetime.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the site's time zone; "—" for none."""
    if value is None:
        return "—"
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _status_label(status: str) -> str:
    return str(PeriodStatus(status).label)


def _check_actor(actor: User | None, period: Period) -> None:
    """A person who moves a period must chair it; None is the system (periodic job)."""
    if actor is None:
        return
    if not is_chair(actor) or not periods_visible_to(actor).filter(pk=period.pk).exists():
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị kỳ đánh giá được thực hiện.")


def _lock_period(period: Period, expected: Iterable[str], step: str) -> Period:
    locked = Period.objects.select_for_update().get(pk=period.pk)
    allowed = tuple(expected)
    if locked.status not in allowed:
        wanted = ", ".join(f"“{_status_label(s)}”" for s in allowed)
        raise ValidationError(
            f"Không thể {step}: kỳ đánh giá đang ở trạng thái “{_status_label(locked.status)}” "
            f"(cần {wanted})."
        )
    return locked


def deadline_problem(
    deadline: datetime.datetime, now: datetime.datetime, *, what: str = "Thời hạn"
) -> str | None:
    """Why ``deadline`` cannot be set at ``now`` (None if it can): not after now, or more
    than :data:`MAX_DEADLINE_DAYS` days ahead. Compares the calendar year first, so a date
    near year 9999 never reaches the datetime arithmetic (which would overflow)."""
    shown = deadline.strftime("%d/%m/%Y %H:%M")
    latest = timezone.localdate(now) + datetime.timedelta(days=MAX_DEADLINE_DAYS)
    too_far = (
        f"{what} {shown} quá xa: chỉ đặt thời hạn trong vòng {MAX_DEADLINE_DAYS} ngày "
        f"(khoảng 2 năm) kể từ hôm nay, tức là đến hết ngày {latest:%d/%m/%Y}."
    )
    if deadline.year > latest.year:
        return too_far
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= now:
        return f"{what} phải sau thời điểm hiện tại."
    if timezone.localdate(deadline) > latest:
        return too_far
    return None


def _set_deadline(
    locked: Period, field: str, deadline: datetime.datetime | None, now: datetime.datetime
) -> dict[str, str | None]:
    """Set ``field`` when a deadline is given (in the window of :func:`deadline_problem`);
    the audit diff."""
    before: datetime.datetime | None = getattr(locked, field)
    if deadline is None:
        return {}
    if (problem := deadline_problem(deadline, now)) is not None:
        raise ValidationError({"deadline": [problem]})
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    setattr(locked, field, deadline)
    locked.save(update_fields=[field])
    return {
        f"{field}_before": before.isoformat() if before else None,
        field: deadline.isoformat(),
    }


def _descendant_unit_ids(root_id: int) -> set[int]:
    """Every unit below ``root_id`` (one query per level; trees are 2–3 deep)."""
    found: set[int] = set()
    frontier = {root_id}
    while frontier:
        children = (
            set(Unit.objects.filter(parent_id__in=frontier).values_list("id", flat=True)) - found
        )
        found |= children
        frontier = children
    return found


def period_units(period: Period) -> list[Unit]:
    """The active units the period scores: those of its unit groups under its jurisdiction."""
    groups = PeriodGroup.objects.filter(period=period).values_list("group_id", flat=True)
    below = _descendant_unit_ids(period.jurisdiction_id)
    return list(
        Unit.objects.active()
        .filter(group_id__in=list(groups), id__in=below)
        .order_by("position", "name")
    )


def _ensure_assessments(period: Period) -> int:
    """Create the missing assessment of every unit the period scores; how many were new."""
    have = set(Assessment.objects.filter(period=period).values_list("unit_id", flat=True))
    new = [Assessment(period=period, unit=u) for u in period_units(period) if u.pk not in have]
    Assessment.objects.bulk_create(new)
    return len(new)


def _ensure_answers(period: Period) -> int:
    """Give every assessment an (empty) item for each leaf of its set, so appraisers see
    the items a unit left blank too. How many were created."""
    sets = dict(PeriodGroup.objects.filter(period=period).values_list("group_id", "criteria_set"))
    leaves: dict[int, list[int]] = {}
    for set_id in set(sets.values()):
        leaves[set_id] = list(
            CriterionNode.objects.filter(criteria_set_id=set_id, children__isnull=True)
            .order_by("position")
            .values_list("id", flat=True)
        )
    existing: dict[int, set[int]] = {}
    for assessment_id, node_id in Answer.objects.filter(assessment__period=period).values_list(
        "assessment_id", "node_id"
    ):
        existing.setdefault(assessment_id, set()).add(node_id)
    new: list[Answer] = []
    for pk, group_id in Assessment.objects.filter(period=period).values_list(
        "id", "unit__group_id"
    ):
        bound = sets.get(group_id) if group_id is not None else None
        if bound is None:
            continue
        have = existing.get(pk, set())
        new.extend(
            Answer(assessment_id=pk, node_id=node_id)
            for node_id in leaves[bound]
            if node_id not in have
        )
    Answer.objects.bulk_create(new, batch_size=1000)
    return len(new)


def _status_counts(period: Period) -> dict[str, int]:
    counts = {s: 0 for s in AssessmentStatus.values}
    for status in Assessment.objects.filter(period=period).values_list("status", flat=True):
        counts[status] += 1
    return counts


# --------------------------------------------------------------------------- stages


@transaction.atomic
def period_open_self_assessment(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Chuẩn bị → tự đánh giá: every unit of the period gets its assessment; ``deadline``
    (optional, in the future) becomes the self-assessment deadline."""
    _check_actor(actor, period)
    locked = _lock_period(period, [PeriodStatus.PREPARED], "mở tự đánh giá")
    changed = _set_deadline(locked, "self_assessment_deadline", deadline, timezone.now())
    created = _ensure_assessments(locked)
    period_set_status(period=locked, status=PeriodStatus.SELF_ASSESSMENT, actor=actor)
    record(
        actor=actor,
        action="period.self_assessment_opened",
        target=locked,
        summary=(
            f"Mở tự đánh giá {locked.name}, hạn {fmt_datetime(locked.self_assessment_deadline)}"
            f"; tạo {created} phiếu chấm điểm"
        ),
        before={"status": PeriodStatus.PREPARED},
        after={"status": PeriodStatus.SELF_ASSESSMENT, "assessments_created": created, **changed},
    )
    period.status = locked.status
    period.self_assessment_deadline = locked.self_assessment_deadline
    return locked


@transaction.atomic
def period_start_appraisal(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Tự đánh giá → thẩm định vòng 1: every assessment is locked (đang thẩm định), every
    leaf gets an item to appraise; ``deadline`` is the round's deadline."""
    _check_actor(actor, period)
    locked = _lock_period(period, [PeriodStatus.SELF_ASSESSMENT], "bắt đầu thẩm định vòng 1")
    changed = _set_deadline(locked, "appraisal_1_deadline", deadline, timezone.now())
    before = _status_counts(locked)
    locked_count = Assessment.objects.filter(period=locked, status__in=SELF_ASSESSMENT_OPEN).update(
        status=AssessmentStatus.IN_APPRAISAL
    )
    items = _ensure_answers(locked)
    period_set_status(period=locked, status=PeriodStatus.APPRAISAL_1, actor=actor)
    record(
        actor=actor,
        action="period.appraisal_started",
        target=locked,
        summary=f"Bắt đầu thẩm định vòng 1 {locked.name}: khóa {locked_count} phiếu chấm điểm",
        before={"status": PeriodStatus.SELF_ASSESSMENT, "assessments": before},
        after={
            "status": PeriodStatus.APPRAISAL_1,
            "assessments": _status_counts(locked),
            "locked": locked_count,
            "items_created": items,
            **changed,
        },
    )
    period.status = locked.status
    period.appraisal_1_deadline = locked.appraisal_1_deadline
    return locked


@transaction.atomic
def period_open_explanation(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Thẩm định vòng 1 → giải trình: units with an item marked "cần giải trình" see those
    items and answer until ``deadline`` (the explanation deadline)."""
    _check_actor(actor, period)
    locked = _lock_period(period, [PeriodStatus.APPRAISAL_1], "mở giải trình")
    asked = Assessment.objects.filter(
        period=locked, answers__needs_explanation=True, answers__appraisal_round=1
    ).distinct()
    if not asked.exists():
        raise ValidationError(
            "Không có nội dung nào được yêu cầu giải trình: có thể chốt kết quả ngay."
        )
    changed = _set_deadline(locked, "explanation_deadline", deadline, timezone.now())
    before = _status_counts(locked)
    count = Assessment.objects.filter(pk__in=list(asked.values_list("pk", flat=True))).update(
        status=AssessmentStatus.NEEDS_EXPLANATION
    )
    period_set_status(period=locked, status=PeriodStatus.EXPLANATION, actor=actor)
    record(
        actor=actor,
        action="period.explanation_opened",
        target=locked,
        summary=(
            f"Mở giải trình {locked.name}: {count} đơn vị cần giải trình, hạn "
            f"{fmt_datetime(locked.explanation_deadline)}"
        ),
        before={"status": PeriodStatus.APPRAISAL_1, "assessments": before},
        after={
            "status": PeriodStatus.EXPLANATION,
            "assessments": _status_counts(locked),
            "needs_explanation": count,
            **changed,
        },
    )
    period.status = locked.status
    period.explanation_deadline = locked.explanation_deadline
    return locked


@transaction.atomic
def period_start_round_2(
    *, period: Period, actor: User | None, deadline: datetime.datetime | None = None
) -> Period:
    """Giải trình → thẩm định vòng 2: explanations are closed; appraisers settle them."""
    _check_actor(actor, period)
    locked = _lock_period(period, [PeriodStatus.EXPLANATION], "bắt đầu thẩm định vòng 2")
    changed = _set_deadline(locked, "appraisal_2_deadline", deadline, timezone.now())
    before = _status_counts(locked)
    count = Assessment.objects.filter(
        period=locked, status=AssessmentStatus.NEEDS_EXPLANATION
    ).update(status=AssessmentStatus.IN_APPRAISAL)
    period_set_status(period=locked, status=PeriodStatus.APPRAISAL_2, actor=actor)
    record(
        actor=actor,
        action="period.round_2_started",
        target=locked,
        summary=f"Bắt đầu thẩm định vòng 2 {locked.name}: đóng giải trình của {count} đơn vị",
        before={"status": PeriodStatus.EXPLANATION, "assessments": before},
        after={
            "status": PeriodStatus.APPRAISAL_2,
            "assessments": _status_counts(locked),
            "closed": count,
            **changed,
        },
    )
    period.status = locked.status
    period.appraisal_2_deadline = locked.appraisal_2_deadline
    return locked


@dataclass(frozen=True)
class Step:
    """The next lifecycle step of a period, as the dashboard offers it."""

    key: str
    label: str
    confirm: str
    deadline_label: str | None
    """The deadline the step may set (None: the step sets none)."""


STEPS = {
    "open_self_assessment": Step(
        "open_self_assessment",
        "Mở tự đánh giá",
        "Mở tự đánh giá cho tất cả đơn vị?",
        "Hạn tự đánh giá",
    ),
    "start_appraisal": Step(
        "start_appraisal",
        "Bắt đầu thẩm định vòng 1",
        "Khóa hồ sơ tự đánh giá của tất cả đơn vị và bắt đầu thẩm định vòng 1?",
        "Hạn thẩm định vòng 1",
    ),
    "open_explanation": Step(
        "open_explanation",
        "Mở giải trình",
        "Mở giải trình cho các đơn vị có nội dung cần giải trình?",
        "Hạn giải trình",
    ),
    "start_round_2": Step(
        "start_round_2",
        "Thẩm định vòng 2",
        "Đóng giải trình và bắt đầu thẩm định vòng 2?",
        "Hạn thẩm định vòng 2",
    ),
    "finalise": Step(
        "finalise",
        "Chốt kết quả",
        "Chốt kết quả kỳ đánh giá? Sau khi chốt, điểm không thể thay đổi.",
        None,
    ),
}


def next_step(period: Period) -> Step | None:
    """The one step the period may take now (appraisal round 1 without any item that needs
    explanation goes straight to finalising)."""
    status = period.status
    if status == PeriodStatus.PREPARED:
        return STEPS["open_self_assessment"]
    if status == PeriodStatus.SELF_ASSESSMENT:
        return STEPS["start_appraisal"]
    if status == PeriodStatus.APPRAISAL_1:
        asked = Answer.objects.filter(
            assessment__period=period, needs_explanation=True, appraisal_round=1
        ).exists()
        return STEPS["open_explanation"] if asked else STEPS["finalise"]
    if status == PeriodStatus.EXPLANATION:
        return STEPS["start_round_2"]
    if status == PeriodStatus.APPRAISAL_2:
        return STEPS["finalise"]
    return None


NO_APPRAISAL_CONFIRM = (
    "Tôi xác nhận chốt kết quả khi chưa thẩm định nội dung nào: mọi đơn vị giữ điểm tự chấm "
    "(nội dung đơn vị không chấm được 0 điểm)."
)
"""The label of the box the chair ticks to finalise a period nobody appraised."""
NO_APPRAISAL_REFUSED = (
    "Chưa có nội dung nào được thẩm định: chốt kết quả lúc này giữ nguyên điểm tự chấm của mọi "
    "đơn vị. Nếu đúng là muốn vậy, hãy đánh dấu ô “Tôi xác nhận chốt kết quả khi chưa thẩm "
    "định …” trên trang Điều hành rồi chốt lại."
)


@dataclass(frozen=True)
class StepConsequences:
    """What a step does to the units' scores, listed before the chair confirms it (the
    start of appraisal round 1 and finalising)."""

    step: str
    units: int
    """Assessments of the period."""
    not_submitted: int
    """Units that have not submitted their self-assessment."""
    not_submitted_names: tuple[str, ...]
    """The first :data:`CONSEQUENCE_NAMES` of them, by name."""
    items: int
    """Items (leaves) to score, of every unit."""
    appraised: int
    """Items appraised (round 1 or 2)."""
    self_only: int
    """Items not appraised that keep the unit's own score."""
    unscored: int
    """Items with no score at all (0 points)."""
    units_unscored: int
    """Units with at least one such item."""

    @property
    def nothing_appraised(self) -> bool:
        """Finalising a period in which no item was appraised (needs an explicit
        confirmation, see :func:`run_step`)."""
        return self.step == "finalise" and self.units > 0 and self.appraised == 0

    def lines(self) -> list[str]:
        """The consequences, one Vietnamese sentence each."""
        found: list[str] = []
        if self.not_submitted:
            names = ", ".join(self.not_submitted_names)
            more = self.not_submitted - len(self.not_submitted_names)
            if more > 0:
                names += f" và {more} đơn vị khác"
            locked = (
                " (hồ sơ bị khóa theo nội dung đã nhập)" if self.step == "start_appraisal" else ""
            )
            found.append(
                f"{self.not_submitted}/{self.units} đơn vị chưa gửi hồ sơ tự đánh giá{locked}: "
                f"{names}."
            )
        if self.step == "finalise":
            if self.nothing_appraised:
                found.append(
                    f"Chưa thẩm định nội dung nào: cả {self.self_only} nội dung giữ điểm tự chấm."
                )
            elif self.self_only:
                found.append(
                    f"{self.self_only}/{self.items} nội dung chưa thẩm định, sẽ giữ điểm tự chấm."
                )
        if self.unscored:
            found.append(
                f"{self.units_unscored} đơn vị có tiêu chí chưa có điểm ({self.unscored} nội "
                "dung, tính 0 điểm)."
            )
        return found


def step_consequences(period: Period, step: str) -> StepConsequences | None:
    """The consequences of ``step`` for ``period`` (None for a step without any):
    ``start_appraisal`` locks the self-assessments as they are; ``finalise`` makes the
    appraised values, else the units' own ones, the official scores."""
    if step not in ("start_appraisal", "finalise"):
        return None
    finalising = step == "finalise"
    sets = dict(PeriodGroup.objects.filter(period=period).values_list("group_id", "criteria_set"))
    parent_of: dict[int, int | None] = {}
    leaves: dict[int, list[int]] = {set_id: [] for set_id in set(sets.values())}
    with_children: set[int] = set()
    nodes = CriterionNode.objects.filter(criteria_set_id__in=list(leaves)).values_list(
        "id", "parent_id", "criteria_set_id"
    )
    rows = list(nodes)
    for node_id, parent_id, _set_id in rows:
        parent_of[node_id] = parent_id
        if parent_id is not None:
            with_children.add(parent_id)
    for node_id, _parent_id, node_set in rows:
        if node_id not in with_children:
            leaves[node_set].append(node_id)
    # (assessment, node) → (scored, not applicable, appraised) as finalising would take it
    final: dict[tuple[int, int], tuple[bool, bool, bool]] = {}
    for (
        assessment_id,
        node_id,
        has_self,
        self_na,
        has_appraised,
        appraised_na,
        round_,
    ) in (
        Answer.objects.filter(assessment__period=period)
        .annotate(
            has_self=ExpressionWrapper(Q(self_value__isnull=False), output_field=BooleanField()),
            has_appraised=ExpressionWrapper(
                Q(appraised_value__isnull=False), output_field=BooleanField()
            ),
        )
        .values_list(
            "assessment_id",
            "node_id",
            "has_self",
            "self_not_applicable",
            "has_appraised",
            "appraised_not_applicable",
            "appraisal_round",
        )
    ):
        if finalising and round_ > 0:
            final[assessment_id, node_id] = (has_appraised or appraised_na, appraised_na, True)
        else:
            final[assessment_id, node_id] = (has_self or self_na, self_na, False)
    units = not_submitted = items = appraised = self_only = unscored = units_unscored = 0
    names: list[str] = []
    for pk, group_id, name, submitted_at in (
        Assessment.objects.filter(period=period)
        .order_by("unit__position", "unit__name")
        .values_list("pk", "unit__group_id", "unit__name", "submitted_at")
    ):
        units += 1
        if submitted_at is None:
            not_submitted += 1
            if len(names) < CONSEQUENCE_NAMES:
                names.append(name)
        bound = sets.get(group_id) if group_id is not None else None
        if bound is None:
            continue
        missing = 0
        for leaf in leaves[bound]:
            ancestor, excluded = parent_of.get(leaf), False
            while ancestor is not None and not excluded:  # under a not-applicable node
                excluded = final.get((pk, ancestor), (False, False, False))[1]
                ancestor = parent_of.get(ancestor)
            if excluded:
                continue
            items += 1
            scored, _na, was_appraised = final.get((pk, leaf), (False, False, False))
            if was_appraised:
                appraised += 1
            elif scored:
                self_only += 1
            if not scored:
                missing += 1
        unscored += missing
        units_unscored += bool(missing)
    return StepConsequences(
        step=step,
        units=units,
        not_submitted=not_submitted,
        not_submitted_names=tuple(names),
        items=items,
        appraised=appraised,
        self_only=self_only,
        unscored=unscored,
        units_unscored=units_unscored,
    )


def period_advance(
    *,
    period: Period,
    actor: User | None,
    deadline: datetime.datetime | None = None,
    confirm_unappraised: bool = False,
) -> Period:
    """Take :func:`next_step` (the admin action and the dashboard buttons)."""
    step = next_step(period)
    if step is None:
        raise ValidationError(f"Kỳ đánh giá {period.name} đã ở trạng thái cuối.")
    return run_step(
        period=period,
        step=step.key,
        actor=actor,
        deadline=deadline,
        confirm_unappraised=confirm_unappraised,
    )


def run_step(
    *,
    period: Period,
    step: str,
    actor: User | None,
    deadline: datetime.datetime | None = None,
    confirm_unappraised: bool = False,
) -> Period:
    """Run the lifecycle step named ``step`` (see :data:`STEPS`). Finalising a period in
    which no item was appraised needs ``confirm_unappraised`` (the chair's explicit
    confirmation, :data:`NO_APPRAISAL_CONFIRM`)."""
    if step == "open_self_assessment":
        return period_open_self_assessment(period=period, actor=actor, deadline=deadline)
    if step == "start_appraisal":
        return period_start_appraisal(period=period, actor=actor, deadline=deadline)
    if step == "open_explanation":
        return period_open_explanation(period=period, actor=actor, deadline=deadline)
    if step == "start_round_2":
        return period_start_round_2(period=period, actor=actor, deadline=deadline)
    if step == "finalise":
        from parindex.assessments.appraisal import period_finalise  # imports this module

        return period_finalise(period=period, actor=actor, confirm_unappraised=confirm_unappraised)
    raise ValidationError(f"Bước {step!r} không hợp lệ.")


# --------------------------------------------------------------------------- extensions


def _restore_status(assessment: Assessment) -> str:
    """Where an assessment locked by its deadline goes back to when the deadline moves."""
    if assessment.submitted_at is not None:
        return AssessmentStatus.SUBMITTED
    answered = Answer.objects.filter(assessment=assessment).filter(
        Q(self_value__isnull=False) | Q(self_not_applicable=True)
    )
    return AssessmentStatus.IN_PROGRESS if answered.exists() else AssessmentStatus.NOT_STARTED


@transaction.atomic
def deadline_extend(
    *,
    period: Period,
    unit: Unit,
    stage: str,
    until: datetime.datetime,
    reason: str,
    actor: User | None,
) -> DeadlineExtension:
    """Give ``unit`` a later deadline for ``stage`` (replacing an earlier extension).

    The reason is mandatory and recorded. A unit already locked by its passed deadline is
    unlocked while the period is still in that stage.
    """
    _check_actor(actor, period)
    locked = Period.objects.select_for_update().get(pk=period.pk)
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if not reason:
        errors.setdefault("reason", []).append("Cần ghi lý do gia hạn.")
    if stage not in DeadlineStage.values:
        errors.setdefault("stage", []).append(f"Giai đoạn {stage!r} không hợp lệ.")
    else:
        last = (
            PeriodStatus.SELF_ASSESSMENT
            if stage == DeadlineStage.SELF_ASSESSMENT
            else PeriodStatus.EXPLANATION
        )
        if STATUS_ORDER.index(locked.status) > STATUS_ORDER.index(last):
            errors.setdefault("stage", []).append(
                f"Kỳ đánh giá đã qua giai đoạn {DeadlineStage(stage).label.lower()} "
                f"(đang ở “{_status_label(locked.status)}”): không thể gia hạn."
            )
    if (problem := deadline_problem(until, timezone.now(), what="Thời hạn gia hạn")) is not None:
        errors.setdefault("until", []).append(problem)
    elif timezone.is_naive(until):
        until = timezone.make_aware(until)
    if "until" not in errors and stage in DeadlineStage.values:
        general: datetime.datetime | None = getattr(
            locked, STAGE_DEADLINE_FIELD[DeadlineStage(stage)]
        )
        if general is not None and until <= general:
            errors.setdefault("until", []).append(
                f"Thời hạn gia hạn phải sau hạn chung của kỳ đánh giá ({fmt_datetime(general)})."
            )
    assessment = Assessment.objects.filter(period=locked, unit=unit).first()
    if assessment is None:
        errors.setdefault("unit", []).append(
            f"Đơn vị {unit.name} không tham gia kỳ đánh giá {locked.name}."
        )
    if errors:
        raise ValidationError(errors)
    assert assessment is not None

    previous = DeadlineExtension.objects.filter(period=locked, unit=unit, stage=stage).first()
    before = {"until": previous.until.isoformat(), "reason": previous.reason} if previous else None
    extension, _ = DeadlineExtension.objects.update_or_create(
        period=locked,
        unit=unit,
        stage=stage,
        defaults={"until": until, "reason": reason, "granted_by": actor},
    )
    unlocked_to = ""
    if (
        stage == DeadlineStage.SELF_ASSESSMENT
        and locked.status == PeriodStatus.SELF_ASSESSMENT
        and assessment.status == AssessmentStatus.IN_APPRAISAL
    ):
        unlocked_to = _restore_status(assessment)
    elif (
        stage == DeadlineStage.EXPLANATION
        and locked.status == PeriodStatus.EXPLANATION
        and assessment.status == AssessmentStatus.IN_APPRAISAL
        and assessment.answers.filter(needs_explanation=True, appraisal_round=1).exists()
    ):
        unlocked_to = AssessmentStatus.NEEDS_EXPLANATION
    if unlocked_to:
        Assessment.objects.filter(pk=assessment.pk).update(status=unlocked_to)
    record(
        actor=actor,
        action="deadline.extended",
        target=extension,
        summary=(
            f"Gia hạn {DeadlineStage(stage).label.lower()} cho {unit.name} ({locked.name}) "
            f"đến {fmt_datetime(until)}: {reason}"
        ),
        before=before,
        after={
            "period": locked.pk,
            "unit": unit.code,
            "stage": stage,
            "until": until.isoformat(),
            "reason": reason,
            **({"status": unlocked_to} if unlocked_to else {}),
        },
    )
    return extension


# --------------------------------------------------------------------------- periodic job


def _extensions(period: Period, stage: str) -> dict[int, datetime.datetime]:
    return dict(
        DeadlineExtension.objects.filter(period=period, stage=stage).values_list("unit_id", "until")
    )


def deadlines_enforce(*, now: datetime.datetime | None = None) -> list[str]:
    """The periodic job (``parindex enforce_deadlines``): make statuses follow deadlines.

    * Self-assessment: each unit whose own deadline (its extension, else the period's)
      passed is locked; once the period's deadline passed and no unit holds a later
      extension, the period moves to appraisal round 1.
    * Explanation: the same, then the period moves to appraisal round 2.

    Idempotent; returns one Vietnamese line per thing done.
    """
    now = now or timezone.now()
    lines: list[str] = []
    candidates = Period.objects.filter(
        Q(status=PeriodStatus.SELF_ASSESSMENT, self_assessment_deadline__isnull=False)
        | Q(status=PeriodStatus.EXPLANATION, explanation_deadline__isnull=False)
    ).order_by("pk")
    for period in candidates:
        with transaction.atomic():
            locked = Period.objects.select_for_update().get(pk=period.pk)
            if locked.status == PeriodStatus.SELF_ASSESSMENT:
                lines.extend(_enforce_self_assessment(locked, now))
            elif locked.status == PeriodStatus.EXPLANATION:
                lines.extend(_enforce_explanation(locked, now))
    return lines


def _enforce_self_assessment(period: Period, now: datetime.datetime) -> list[str]:
    deadline = period.self_assessment_deadline
    assert deadline is not None
    extensions = _extensions(period, DeadlineStage.SELF_ASSESSMENT)
    lines: list[str] = []
    if deadline < now and all(until <= now for until in extensions.values()):
        moved = period_start_appraisal(period=period, actor=None)
        lines.append(
            f"{period.name}: hết hạn tự đánh giá ({fmt_datetime(deadline)}), chuyển sang "
            f"“{_status_label(moved.status)}” và khóa hồ sơ của các đơn vị."
        )
        return lines
    for assessment in Assessment.objects.filter(
        period=period, status__in=SELF_ASSESSMENT_OPEN
    ).select_related("unit"):
        own = extensions.get(assessment.unit_id, deadline)
        if own < now:
            before = assessment.status
            assessment.status = AssessmentStatus.IN_APPRAISAL
            assessment.save(update_fields=["status"])
            record(
                actor=None,
                action="assessment.locked",
                target=assessment,
                summary=(
                    f"Hết hạn tự đánh giá của {assessment.unit.name} ({fmt_datetime(own)}): "
                    "khóa hồ sơ"
                ),
                before={"status": before},
                after={"status": assessment.status},
            )
            lines.append(
                f"{period.name}: hết hạn tự đánh giá của {assessment.unit.name} "
                f"({fmt_datetime(own)}), khóa hồ sơ."
            )
    return lines


def _enforce_explanation(period: Period, now: datetime.datetime) -> list[str]:
    deadline = period.explanation_deadline
    assert deadline is not None
    extensions = _extensions(period, DeadlineStage.EXPLANATION)
    lines: list[str] = []
    if deadline < now and all(until <= now for until in extensions.values()):
        moved = period_start_round_2(period=period, actor=None)
        lines.append(
            f"{period.name}: hết hạn giải trình ({fmt_datetime(deadline)}), chuyển sang "
            f"“{_status_label(moved.status)}”."
        )
        return lines
    for assessment in Assessment.objects.filter(
        period=period, status=AssessmentStatus.NEEDS_EXPLANATION
    ).select_related("unit"):
        own = extensions.get(assessment.unit_id, deadline)
        if own < now:
            assessment.status = AssessmentStatus.IN_APPRAISAL
            assessment.save(update_fields=["status"])
            record(
                actor=None,
                action="assessment.locked",
                target=assessment,
                summary=(
                    f"Hết hạn giải trình của {assessment.unit.name} ({fmt_datetime(own)}): "
                    "khóa giải trình"
                ),
                before={"status": AssessmentStatus.NEEDS_EXPLANATION},
                after={"status": AssessmentStatus.IN_APPRAISAL},
            )
            lines.append(
                f"{period.name}: hết hạn giải trình của {assessment.unit.name} "
                f"({fmt_datetime(own)}), khóa giải trình."
            )
    return lines


# --------------------------------------------------------------------------- reminders


@dataclass
class _Reminder:
    target: Assessment | AppraiserAssignment
    kind: str
    recipients: list[str]
    subject: str
    body: str


def _unit_emails(unit_id: int) -> list[str]:
    return sorted(
        User.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _when(deadline: datetime.datetime, today: datetime.date, days: int) -> str | None:
    """ "before" when ``deadline`` is ``days`` days away, "missed" the day after it."""
    day = timezone.localdate(deadline)
    if (day - today).days == days:
        return "before"
    if (today - day).days == 1:
        return "missed"
    return None


def _already_sent(target: Assessment | AppraiserAssignment, kind: str, today: str) -> bool:
    return AuditEvent.objects.filter(
        action=REMINDER_ACTION,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        after__kind=kind,
        after__date=today,
    ).exists()


SIGNATURE = "\n\nThư gửi tự động từ phần mềm parindex (Chỉ số cải cách hành chính)."


def _unit_reminders(period: Period, today: datetime.date, days: int) -> list[_Reminder]:
    reminders: list[_Reminder] = []
    if period.self_assessment_deadline is not None and period.status in (
        PeriodStatus.SELF_ASSESSMENT,
        PeriodStatus.APPRAISAL_1,
    ):
        extensions = _extensions(period, DeadlineStage.SELF_ASSESSMENT)
        for assessment in Assessment.objects.filter(
            period=period, submitted_at__isnull=True
        ).select_related("unit"):
            if assessment.status not in (*SELF_ASSESSMENT_OPEN, AssessmentStatus.IN_APPRAISAL):
                continue
            deadline = extensions.get(assessment.unit_id, period.self_assessment_deadline)
            when = _when(deadline, today, days)
            if when is None or (when == "before" and assessment.status not in SELF_ASSESSMENT_OPEN):
                continue
            unit = assessment.unit
            if when == "before":
                subject = f"[Chỉ số CCHC] Còn {days} ngày đến hạn tự đánh giá – {period.name}"
                body = (
                    f"Kính gửi {unit.name},\n\n"
                    f"Hạn gửi hồ sơ tự đánh giá Chỉ số cải cách hành chính {period.name} là "
                    f"{fmt_datetime(deadline)} (còn {days} ngày). Đơn vị chưa gửi hồ sơ; "
                    "đề nghị hoàn thành việc tự chấm điểm, tài liệu kiểm chứng và gửi hồ sơ "
                    "đúng hạn (mục “Đánh giá” trên parindex)."
                )
            else:
                subject = f"[Chỉ số CCHC] Đã quá hạn tự đánh giá – {period.name}"
                body = (
                    f"Kính gửi {unit.name},\n\n"
                    f"Hạn gửi hồ sơ tự đánh giá {period.name} đã kết thúc lúc "
                    f"{fmt_datetime(deadline)} nhưng đơn vị chưa gửi hồ sơ. Hồ sơ đã được "
                    "khóa để thẩm định theo nội dung đã nhập. Nếu có lý do chính đáng, đề "
                    "nghị liên hệ cơ quan thường trực để được xem xét gia hạn."
                )
            reminders.append(
                _Reminder(
                    assessment,
                    f"self_assessment_{when}",
                    _unit_emails(unit.pk),
                    subject,
                    body + SIGNATURE,
                )
            )
    if period.explanation_deadline is not None and period.status in (
        PeriodStatus.EXPLANATION,
        PeriodStatus.APPRAISAL_2,
    ):
        extensions = _extensions(period, DeadlineStage.EXPLANATION)
        pending = (
            Answer.objects.filter(
                assessment__period=period, needs_explanation=True, appraisal_round=1
            )
            .filter(unit_response="")
            .values_list("assessment_id", flat=True)
        )
        counts: dict[int, int] = {}
        for assessment_id in pending:
            counts[assessment_id] = counts.get(assessment_id, 0) + 1
        for assessment in Assessment.objects.filter(pk__in=counts).select_related("unit"):
            deadline = extensions.get(assessment.unit_id, period.explanation_deadline)
            when = _when(deadline, today, days)
            if when is None:
                continue
            if when == "before" and assessment.status != AssessmentStatus.NEEDS_EXPLANATION:
                continue
            unit = assessment.unit
            n = counts[assessment.pk]
            if when == "before":
                subject = f"[Chỉ số CCHC] Còn {days} ngày đến hạn giải trình – {period.name}"
                body = (
                    f"Kính gửi {unit.name},\n\n"
                    f"Đơn vị còn {n} nội dung được tổ thẩm định yêu cầu giải trình chưa trả "
                    f"lời. Hạn giải trình là {fmt_datetime(deadline)} (còn {days} ngày)."
                )
            else:
                subject = f"[Chỉ số CCHC] Đã quá hạn giải trình – {period.name}"
                body = (
                    f"Kính gửi {unit.name},\n\n"
                    f"Hạn giải trình {period.name} đã kết thúc lúc {fmt_datetime(deadline)}; "
                    f"{n} nội dung yêu cầu giải trình chưa được đơn vị trả lời. Tổ thẩm "
                    "định sẽ chấm vòng 2 theo hồ sơ hiện có."
                )
            reminders.append(
                _Reminder(
                    assessment,
                    f"explanation_{when}",
                    _unit_emails(unit.pk),
                    subject,
                    body + SIGNATURE,
                )
            )
    return reminders


def _appraiser_reminders(period: Period, today: datetime.date, days: int) -> list[_Reminder]:
    if period.status == PeriodStatus.APPRAISAL_1:
        deadline, round_, label = period.appraisal_1_deadline, 1, "thẩm định vòng 1"
        pending_filter = Q(appraisal_round__lt=1)
    elif period.status == PeriodStatus.APPRAISAL_2:
        deadline, round_, label = period.appraisal_2_deadline, 2, "thẩm định vòng 2"
        pending_filter = Q(needs_explanation=True, appraisal_round__lt=2)
    else:
        return []
    if deadline is None:
        return []
    when = _when(deadline, today, days)
    if when is None:
        return []
    reminders: list[_Reminder] = []
    for assignment in AppraiserAssignment.objects.filter(period=period).select_related("appraiser"):
        appraiser = assignment.appraiser
        if not appraiser.is_active or not appraiser.email:
            continue
        pending = answers_appraisable_by(appraiser, period).filter(pending_filter).count()
        if not pending:
            continue
        name = appraiser.get_full_name() or appraiser.get_username()
        if when == "before":
            subject = f"[Chỉ số CCHC] Còn {days} ngày đến hạn {label} – {period.name}"
            body = (
                f"Kính gửi {name},\n\n"
                f"Anh/chị còn {pending} nội dung được phân công chưa thẩm định. Hạn {label} "
                f"{period.name} là {fmt_datetime(deadline)} (còn {days} ngày)."
            )
        else:
            subject = f"[Chỉ số CCHC] Đã quá hạn {label} – {period.name}"
            body = (
                f"Kính gửi {name},\n\n"
                f"Hạn {label} {period.name} đã kết thúc lúc {fmt_datetime(deadline)}; anh/chị "
                f"còn {pending} nội dung được phân công chưa thẩm định."
            )
        reminders.append(
            _Reminder(
                assignment,
                f"appraisal_{round_}_{when}",
                [appraiser.email],
                subject,
                body + SIGNATURE,
            )
        )
    return reminders


def reminders_send(*, days: int = 3, now: datetime.datetime | None = None) -> list[str]:
    """Email reminders (``parindex send_reminders``), at most once a day per recipient:

    * units not yet submitted, ``days`` days before their self-assessment deadline and the
      day after they missed it;
    * units with unanswered explanation requests, likewise for the explanation deadline;
    * appraisers with unappraised items before the round's deadline and the day after.

    Each sent reminder is recorded as a ``reminder.sent`` audit event, which is also what
    keeps a second run on the same day from sending it again. Returns one line per email.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    now = now or timezone.now()
    today = timezone.localdate(now)
    stamp = today.isoformat()
    reminders: list[_Reminder] = []
    for period in Period.objects.exclude(
        status__in=[PeriodStatus.PREPARED, PeriodStatus.FINALISED]
    ).order_by("pk"):
        reminders.extend(_unit_reminders(period, today, days))
        reminders.extend(_appraiser_reminders(period, today, days))
    lines: list[str] = []
    with transaction.atomic():
        to_send = [
            r for r in reminders if r.recipients and not _already_sent(r.target, r.kind, stamp)
        ]
        for reminder in to_send:
            record(
                actor=None,
                action=REMINDER_ACTION,
                target=reminder.target,
                summary=f"Gửi nhắc việc “{reminder.subject}” tới {', '.join(reminder.recipients)}",
                after={"kind": reminder.kind, "date": stamp, "to": reminder.recipients},
            )
            lines.append(f"{reminder.subject} → {', '.join(reminder.recipients)}")
        if to_send:
            send_mass_mail(
                [(r.subject, r.body, None, r.recipients) for r in to_send],
            )
    return lines
