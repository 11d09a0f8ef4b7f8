"""What a step will do to the units' scores, listed before the chair confirms it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, Q

from parindex.assessments.models import Answer, Assessment
from parindex.criteria.models import CriterionNode
from parindex.periods.models import (
    Period,
    PeriodGroup,
)

CONSEQUENCE_NAMES = 20
"""Units named (by name) in the consequences of a step; the others are counted."""


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
