"""What a step will do to the units' scores, listed before the chair confirms it."""

from __future__ import annotations

from dataclasses import dataclass, field

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


_Final = dict[tuple[int, int], tuple[bool, bool, bool]]
"""(assessment, node) → (scored, not applicable, appraised) as the step would take it."""

_NO_ANSWER = (False, False, False)


@dataclass
class _Tally:
    """The running totals of :func:`step_consequences`, unit by unit."""

    units: int = 0
    not_submitted: int = 0
    names: list[str] = field(default_factory=list)
    items: int = 0
    appraised: int = 0
    self_only: int = 0
    unscored: int = 0
    units_unscored: int = 0

    def count_unit(self, name: str, *, submitted: bool) -> None:
        self.units += 1
        if not submitted:
            self.not_submitted += 1
            if len(self.names) < CONSEQUENCE_NAMES:
                self.names.append(name)

    def count_items(
        self, pk: int, leaves: list[int], parent_of: dict[int, int | None], final: _Final
    ) -> None:
        """Count the unit's items (leaves not under a node it marked not applicable)."""
        missing = 0
        for leaf in leaves:
            if _excluded(pk, leaf, parent_of, final):
                continue
            self.items += 1
            scored, _na, was_appraised = final.get((pk, leaf), _NO_ANSWER)
            if was_appraised:
                self.appraised += 1
            elif scored:
                self.self_only += 1
            if not scored:
                missing += 1
        self.unscored += missing
        self.units_unscored += bool(missing)


def step_consequences(period: Period, step: str) -> StepConsequences | None:
    """The consequences of ``step`` for ``period`` (None for a step without any):
    ``start_appraisal`` locks the self-assessments as they are; ``finalise`` makes the
    appraised values, else the units' own ones, the official scores."""
    if step not in ("start_appraisal", "finalise"):
        return None
    sets = _criteria_set_of_groups(period)
    parent_of, leaves = _criteria_tree(set(sets.values()))
    final = _final_answers(period, finalising=step == "finalise")
    tally = _Tally()
    for pk, group_id, name, submitted_at in (
        Assessment.objects.filter(period=period)
        .order_by("unit__position", "unit__name")
        .values_list("pk", "unit__group_id", "unit__name", "submitted_at")
    ):
        tally.count_unit(name, submitted=submitted_at is not None)
        bound = sets.get(group_id) if group_id is not None else None
        if bound is not None:
            tally.count_items(pk, leaves[bound], parent_of, final)
    return StepConsequences(
        step=step,
        units=tally.units,
        not_submitted=tally.not_submitted,
        not_submitted_names=tuple(tally.names),
        items=tally.items,
        appraised=tally.appraised,
        self_only=tally.self_only,
        unscored=tally.unscored,
        units_unscored=tally.units_unscored,
    )


def _criteria_set_of_groups(period: Period) -> dict[int, int]:
    """Unit group → the criteria set it is assessed against in ``period``."""
    return dict(PeriodGroup.objects.filter(period=period).values_list("group_id", "criteria_set"))


def _criteria_tree(
    set_ids: set[int],
) -> tuple[dict[int, int | None], dict[int, list[int]]]:
    """Each node's parent, and each criteria set's leaves (nodes without children)."""
    parent_of: dict[int, int | None] = {}
    leaves: dict[int, list[int]] = {set_id: [] for set_id in set_ids}
    with_children: set[int] = set()
    rows = list(
        CriterionNode.objects.filter(criteria_set_id__in=list(leaves)).values_list(
            "id", "parent_id", "criteria_set_id"
        )
    )
    for node_id, parent_id, _set_id in rows:
        parent_of[node_id] = parent_id
        if parent_id is not None:
            with_children.add(parent_id)
    for node_id, _parent_id, node_set in rows:
        if node_id not in with_children:
            leaves[node_set].append(node_id)
    return parent_of, leaves


def _final_answers(period: Period, *, finalising: bool) -> _Final:
    """Every answer of ``period`` as the step takes it: finalising takes the appraised
    value of an appraised item, otherwise the unit's own."""
    final: _Final = {}
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
    return final


def _excluded(pk: int, leaf: int, parent_of: dict[int, int | None], final: _Final) -> bool:
    """Whether ``leaf`` lies under a node the unit (assessment ``pk``) marked not applicable."""
    ancestor = parent_of.get(leaf)
    while ancestor is not None:
        if final.get((pk, ancestor), _NO_ANSWER)[1]:
            return True
        ancestor = parent_of.get(ancestor)
    return False
