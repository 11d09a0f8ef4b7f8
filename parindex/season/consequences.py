"""What a step will do, and to whom, listed on the step's confirmation page before the
chair confirms it (and computed again when the chair confirms: the numbers may have
changed in between, see :attr:`StepConsequences.fingerprint`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q

from parindex.assessments.models import Answer, Assessment
from parindex.criteria.models import CriterionNode
from parindex.evidence.models import Evidence, SignatureStatus
from parindex.periods.models import (
    Period,
    PeriodGroup,
)
from parindex.periods.selectors import excluded_node_codes, period_units

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
    "định …” trên trang xác nhận rồi chốt lại."
)


STEPS_WITH_ITEMS = ("start_appraisal", "finalise")
"""The steps that fix the units' scores (their items are counted)."""

STEPS = ("open_self_assessment", "start_appraisal", "open_explanation", "start_round_2", "finalise")


def named(names: tuple[str, ...], total: int) -> str:
    """ "A, B và 3 đơn vị khác": the names listed, the others counted."""
    text = ", ".join(names)
    more = total - len(names)
    if more > 0:
        text += f" và {more} đơn vị khác"
    return text


@dataclass(frozen=True)
class StepConsequences:
    """What a step does and to whom, listed before the chair confirms it."""

    step: str
    units: int
    """Assessments of the period (for opening the self-assessment: the units it scores)."""
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
    unscored_names: tuple[str, ...] = ()
    """The first :data:`CONSEQUENCE_NAMES` of them."""
    new_assessments: int = 0
    """Opening the self-assessment: units that get their form."""
    new_names: tuple[str, ...] = ()
    unsigned_evidence: int = 0
    """Evidence files attached to an item without a valid digital signature."""
    pending_evidence: int = 0
    """Of them, files whose signature is still being checked."""
    asked_items: int = 0
    """Items returned to the units for explanation (round 1)."""
    asked_units: int = 0
    asked_names: tuple[str, ...] = ()
    unexplained_items: int = 0
    """Returned items the unit has not answered (no explanation typed)."""
    unexplained_units: int = 0
    unexplained_names: tuple[str, ...] = ()

    @property
    def nothing_appraised(self) -> bool:
        """Finalising a period in which no item was appraised (needs an explicit
        confirmation, see :func:`run_step`)."""
        return self.step == "finalise" and self.units > 0 and self.appraised == 0

    @property
    def fingerprint(self) -> str:
        """Every number above, as one string: the confirmation page sends it back, and a
        confirmation whose numbers changed in between is shown again, not run."""
        return "-".join(
            str(n)
            for n in (
                self.units,
                self.not_submitted,
                self.items,
                self.appraised,
                self.self_only,
                self.unscored,
                self.units_unscored,
                self.new_assessments,
                self.unsigned_evidence,
                self.pending_evidence,
                self.asked_items,
                self.asked_units,
                self.unexplained_items,
                self.unexplained_units,
            )
        )

    def lines(self) -> list[str]:
        """The consequences, one Vietnamese sentence each."""
        found: list[str] = []
        if self.step == "open_self_assessment":
            found.extend(self._opening_lines())
        if self.not_submitted and self.step in STEPS_WITH_ITEMS:
            locked = (
                " (hồ sơ bị khóa theo nội dung đã nhập)" if self.step == "start_appraisal" else ""
            )
            found.append(
                f"{self.not_submitted}/{self.units} đơn vị chưa gửi hồ sơ tự đánh giá{locked}: "
                f"{named(self.not_submitted_names, self.not_submitted)}."
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
                f"dung, tính 0 điểm): {named(self.unscored_names, self.units_unscored)}."
            )
        found.extend(self._explanation_lines())
        if self.unsigned_evidence:
            pending = (
                f", trong đó {self.pending_evidence} tệp đang kiểm tra chữ ký"
                if self.pending_evidence
                else ""
            )
            found.append(
                f"{self.unsigned_evidence} tệp tài liệu kiểm chứng chưa có chữ ký số hợp lệ"
                f"{pending}."
            )
        return found

    def _opening_lines(self) -> list[str]:
        if not self.units:
            return [
                "Kỳ đánh giá chưa có đơn vị nào để chấm: kiểm tra các nhóm đơn vị và bộ tiêu "
                "chí của kỳ."
            ]
        return [
            f"Tạo phiếu tự đánh giá cho {self.new_assessments}/{self.units} đơn vị: "
            f"{named(self.new_names, self.new_assessments)}."
        ]

    def _explanation_lines(self) -> list[str]:
        found: list[str] = []
        if self.step == "open_explanation" and self.asked_items:
            found.append(
                f"{self.asked_units} đơn vị được mở giải trình ({self.asked_items} nội dung cần "
                f"giải trình): {named(self.asked_names, self.asked_units)}."
            )
        if self.unexplained_items and self.step in ("start_round_2", "finalise"):
            closing = (
                "; sau khi đóng giải trình, đơn vị không gửi thêm được"
                if self.step == "start_round_2"
                else ""
            )
            found.append(
                f"{self.unexplained_items}/{self.asked_items} nội dung cần giải trình chưa được "
                f"đơn vị giải trình ({self.unexplained_units} đơn vị: "
                f"{named(self.unexplained_names, self.unexplained_units)}){closing}."
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
    unscored_names: list[str] = field(default_factory=list)

    def count_unit(self, name: str, *, submitted: bool) -> None:
        self.units += 1
        if not submitted:
            self.not_submitted += 1
            if len(self.names) < CONSEQUENCE_NAMES:
                self.names.append(name)

    def count_items(
        self,
        pk: int,
        name: str,
        leaves: list[int],
        parent_of: dict[int, int | None],
        final: _Final,
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
        if missing:
            self.units_unscored += 1
            if len(self.unscored_names) < CONSEQUENCE_NAMES:
                self.unscored_names.append(name)


def step_consequences(period: Period, step: str) -> StepConsequences | None:
    """The consequences of ``step`` (one of :data:`STEPS`, else None) for ``period``:
    opening the self-assessment gives the units their forms; ``start_appraisal`` locks
    the self-assessments as they are; opening the explanation sends the returned items
    to their units; round 2 closes the explanation; ``finalise`` makes the appraised
    values, else the units' own ones, the official scores."""
    if step not in STEPS:
        return None
    if step == "open_self_assessment":
        return _opening(period)
    tally = _Tally()
    if step in STEPS_WITH_ITEMS:
        _count_items(period, step, tally)
    asked = _returned(period, unexplained=False)
    unexplained = _returned(period, unexplained=True)
    unsigned, pending = (
        _unsigned_evidence(period) if step in ("start_appraisal", "finalise") else (0, 0)
    )
    return StepConsequences(
        step=step,
        units=tally.units or Assessment.objects.filter(period=period).count(),
        not_submitted=tally.not_submitted,
        not_submitted_names=tuple(tally.names),
        items=tally.items,
        appraised=tally.appraised,
        self_only=tally.self_only,
        unscored=tally.unscored,
        units_unscored=tally.units_unscored,
        unscored_names=tuple(tally.unscored_names),
        unsigned_evidence=unsigned,
        pending_evidence=pending,
        asked_items=asked[0],
        asked_units=asked[1],
        asked_names=asked[2],
        unexplained_items=unexplained[0],
        unexplained_units=unexplained[1],
        unexplained_names=unexplained[2],
    )


def _opening(period: Period) -> StepConsequences:
    """Opening the self-assessment: the units the period scores, those getting a form."""
    have = set(Assessment.objects.filter(period=period).values_list("unit_id", flat=True))
    units = period_units(period)
    new = [u.name for u in units if u.pk not in have]
    return StepConsequences(
        step="open_self_assessment",
        units=len(units),
        not_submitted=0,
        not_submitted_names=(),
        items=0,
        appraised=0,
        self_only=0,
        unscored=0,
        units_unscored=0,
        new_assessments=len(new),
        new_names=tuple(new[:CONSEQUENCE_NAMES]),
    )


def _count_items(period: Period, step: str, tally: _Tally) -> None:
    sets = _criteria_set_of_groups(period)
    parent_of, leaves = _criteria_tree(set(sets.values()), excluded_node_codes(period))
    final = _final_answers(period, finalising=step == "finalise")
    for pk, group_id, name, submitted_at in (
        Assessment.objects.filter(period=period)
        .order_by("unit__position", "unit__name")
        .values_list("pk", "unit__group_id", "unit__name", "submitted_at")
    ):
        tally.count_unit(name, submitted=submitted_at is not None)
        bound = sets.get(group_id) if group_id is not None else None
        if bound is not None:
            tally.count_items(pk, name, leaves[bound], parent_of, final)


def _returned(period: Period, *, unexplained: bool) -> tuple[int, int, tuple[str, ...]]:
    """Items returned for explanation in round 1 (only those the unit has not answered if
    ``unexplained``): (items, units, the first units' names)."""
    answers = Answer.objects.filter(
        assessment__period=period, needs_explanation=True, appraisal_round=1
    )
    if unexplained:
        answers = answers.filter(unit_response="")
    per_unit: dict[str, int] = {}
    for name in answers.order_by(
        "assessment__unit__position", "assessment__unit__name"
    ).values_list("assessment__unit__name", flat=True):
        per_unit[name] = per_unit.get(name, 0) + 1
    names = tuple(list(per_unit)[:CONSEQUENCE_NAMES])
    return sum(per_unit.values()), len(per_unit), names


def _unsigned_evidence(period: Period) -> tuple[int, int]:
    """Evidence files attached to an item of the period without a valid digital signature,
    and how many of them are still being checked."""
    files = (
        Evidence.objects.filter(period=period, links__isnull=False)
        .exclude(signature_status=SignatureStatus.VALID)
        .values_list("pk", "signature_status")
        .distinct()
    )
    rows = list(files)
    return len(rows), sum(status == SignatureStatus.PENDING for _pk, status in rows)


def items_to_score(period: Period) -> dict[int, tuple[int, int]]:
    """Assessment → (items answered by the unit, items to score): the leaves of its
    group's criteria set, less those under a node the unit marked not applicable and
    those "chưa đánh giá ở kỳ 6 tháng" in a 6-month period (an item is answered when it
    has a value or is marked not applicable). Counts every leaf, saved or not: during the
    self-assessment only the saved answers exist."""
    sets = _criteria_set_of_groups(period)
    parent_of, leaves = _criteria_tree(set(sets.values()), excluded_node_codes(period))
    final = _final_answers(period, finalising=False)
    counted: dict[int, tuple[int, int]] = {}
    for pk, group_id in Assessment.objects.filter(period=period).values_list(
        "pk", "unit__group_id"
    ):
        bound = sets.get(group_id) if group_id is not None else None
        if bound is None:
            counted[pk] = (0, 0)
            continue
        kept = [leaf for leaf in leaves[bound] if not _excluded(pk, leaf, parent_of, final)]
        answered = sum(final.get((pk, leaf), _NO_ANSWER)[0] for leaf in kept)
        counted[pk] = (answered, len(kept))
    return counted


def _criteria_set_of_groups(period: Period) -> dict[int, int]:
    """Unit group → the criteria set it is assessed against in ``period``."""
    return dict(PeriodGroup.objects.filter(period=period).values_list("group_id", "criteria_set"))


def _criteria_tree(
    set_ids: set[int], left_out: frozenset[str] = frozenset()
) -> tuple[dict[int, int | None], dict[int, list[int]]]:
    """Each node's parent, and each criteria set's leaves (nodes without children) but
    those ``left_out`` of the period (codes "chưa đánh giá ở kỳ 6 tháng", and what lies
    under them): they are not items to score."""
    parent_of: dict[int, int | None] = {}
    leaves: dict[int, list[int]] = {set_id: [] for set_id in set_ids}
    with_children: set[int] = set()
    rows = list(
        CriterionNode.objects.filter(criteria_set_id__in=list(leaves)).values_list(
            "id", "parent_id", "criteria_set_id", "code"
        )
    )
    code_of = {node_id: code for node_id, _parent, _set, code in rows}
    for node_id, parent_id, _set_id, _code in rows:
        parent_of[node_id] = parent_id
        if parent_id is not None:
            with_children.add(parent_id)

    def outside(node_id: int) -> bool:
        current: int | None = node_id
        for _ in range(len(rows) + 1):  # guards against a cycle
            if current is None:
                return False
            if code_of.get(current) in left_out:
                return True
            current = parent_of.get(current)
        return False

    for node_id, _parent_id, node_set, _code in rows:
        if node_id not in with_children and not (left_out and outside(node_id)):
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
