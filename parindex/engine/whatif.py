"""What-if scoring of one unit and its improvement list (kế hoạch cải thiện). Pure: no
Django, ``Decimal`` only, every number from :func:`parindex.engine.evaluate`.

A unit's planner changes some of its leaf values (and its survey points) and asks what its
index, class and rank in its group would be. Re-scoring a whole group (11,000 communes) on
every keystroke is wasteful: only the unit's own numbers change, and its rank is decided by
how many *other* units are above it. So:

- :func:`apply_changes` builds an input holding the unit alone, with the changed values;
  :func:`evaluate` scores it exactly as it scores the unit inside its group (a unit's points,
  index and class never depend on the other units);
- :func:`rank_among` (or :class:`Standings`, prepared once for many queries) ranks the new
  index against the others' indexes exactly as :func:`parindex.engine.evaluate.assign_ranks`
  would rank the whole group: ``shared`` ties give 1, 2, 2, 4 and ``dense`` ties 1, 2, 2, 3,
  by the rounded index;
- :func:`improvement_plan` lists the applicable leaves by *recoverable points* (the most the
  engine can give the leaf − its final points), with the unit's result when every leaf gets
  its best value (caps of parent criteria applied by the engine).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from typing import Final

from parindex.engine.errors import InputError
from parindex.engine.evaluate import PRECISION, evaluate
from parindex.engine.model import (
    HUNDRED,
    TIE_RULES,
    ZERO,
    CriteriaSet,
    EvaluationInput,
    NodeResult,
    Ratio,
    Rule,
    UnitInput,
    UnitResult,
    Value,
    _NotApplicable,
)
from parindex.engine.rules import check_value, make_scorer
from parindex.engine.tree import CompiledTree, compile_tree

__all__ = [
    "KEEP",
    "Improvement",
    "ImprovementPlan",
    "Standings",
    "WhatIf",
    "apply_changes",
    "best_value",
    "improvement_plan",
    "leaf_fields",
    "rank_among",
    "score_alone",
    "what_if",
]


class _Keep:
    """The survey is left as it is (see :func:`apply_changes`)."""

    _instance: _Keep | None = None

    def __new__(cls) -> _Keep:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

SurveyChange = Decimal | None | _Keep
"""A new survey score, None to clear it (missing), or :data:`KEEP`."""


# --------------------------------------------------------------------------- ranking


def _check_ties(ties: str) -> None:
    if ties not in TIE_RULES:
        raise ValueError(f"unknown tie rule {ties!r}")


def rank_among(index: Decimal, others: Iterable[Decimal], ties: str = "shared") -> int:
    """The rank a unit of rounded ``index`` gets in a group whose other units have the
    rounded indexes ``others``: 1 + the number of others above it (``shared``), or 1 + the
    number of distinct indexes above it (``dense``). Equal indexes share a rank."""
    _check_ties(ties)
    if ties == "dense":
        return 1 + len({other for other in others if other > index})
    return 1 + sum(1 for other in others if other > index)


class Standings:
    """The other units' indexes of a group, sorted once: :meth:`rank` answers
    :func:`rank_among` in O(log n) for as many what-if indexes as needed."""

    __slots__ = ("_ascending", "_distinct", "ties")

    def __init__(self, others: Iterable[Decimal], ties: str = "shared") -> None:
        _check_ties(ties)
        self.ties = ties
        self._ascending = sorted(others)
        self._distinct = sorted(set(self._ascending))

    def __len__(self) -> int:
        return len(self._ascending)

    def rank(self, index: Decimal) -> int:
        values = self._distinct if self.ties == "dense" else self._ascending
        return 1 + len(values) - bisect_right(values, index)

    @property
    def group_size(self) -> int:
        """Units in the group, the planned one included."""
        return len(self._ascending) + 1


# --------------------------------------------------------------------------- one unit alone


def _unit(data: EvaluationInput, unit_code: str) -> UnitInput:
    for unit in data.units:
        if unit.code == unit_code:
            return unit
    raise KeyError(unit_code)


def _leaves(criteria: CriteriaSet) -> dict[str, Rule | None]:
    parents = {node.parent for node in criteria.nodes if node.parent is not None}
    return {node.code: node.rule for node in criteria.nodes if node.code not in parents}


def _max_of(criteria: CriteriaSet) -> dict[str, Decimal]:
    return {node.code: node.max for node in criteria.nodes}


def apply_changes(
    data: EvaluationInput,
    unit_code: str,
    values: Mapping[str, Value | None] | None = None,
    survey: SurveyChange = KEEP,
) -> EvaluationInput:
    """An input holding only the unit ``unit_code`` of ``data`` with its final values, the
    leaves in ``values`` replaced (None clears a leaf: scored 0 and listed as missing) and,
    unless :data:`KEEP`, its survey replaced.

    Not-applicable leaves (and leaves under a not-applicable criterion) stay not applicable:
    a value given for them is dropped, as is a survey for a unit that is not surveyed or a
    set without a survey. Bonus and penalty are kept. A code that is not a leaf of the set,
    or a value the leaf's rule refuses, raises :class:`InputError` naming it.
    """
    unit = _unit(data, unit_code)
    criteria = data.criteria
    leaves = _leaves(criteria)
    maxima = _max_of(criteria)
    not_applicable = data.not_applicable.get(unit_code, frozenset())
    excluded = _excluded(criteria, not_applicable)
    scores: dict[str, Value] = dict(data.scores.get(unit_code, {}))
    problems: list[str] = []
    for code, value in (values or {}).items():
        if code not in leaves:
            problems.append(f"{code}: không phải tiêu chí lá của bộ tiêu chí")
            continue
        if code in excluded:
            continue
        if value is None:
            scores.pop(code, None)
            continue
        problem = check_value(leaves[code] or Rule(), maxima[code], value)
        if problem:
            problems.append(f"{code}: {problem}")
            continue
        scores[code] = value
    current_survey = data.survey.get(unit_code)
    new_survey: Decimal | _NotApplicable | None = current_survey
    surveyed = criteria.survey_max is not None and not isinstance(current_survey, _NotApplicable)
    if surveyed and not isinstance(survey, _Keep):
        assert criteria.survey_max is not None
        if survey is not None and not ZERO <= survey <= criteria.survey_max:
            problems.append(f"survey: {survey} nằm ngoài khoảng 0..{criteria.survey_max}")
        new_survey = survey
    if problems:
        raise InputError(problems)
    adjustment = data.adjustments.get(unit_code)
    return EvaluationInput(
        criteria=criteria,
        units=[unit],
        scores={unit_code: scores} if scores else {},
        not_applicable={unit_code: not_applicable} if not_applicable else {},
        survey={unit_code: new_survey} if new_survey is not None else {},
        adjustments={unit_code: adjustment} if adjustment is not None else {},
    )


def _excluded(criteria: CriteriaSet, not_applicable: frozenset[str]) -> set[str]:
    """The not-applicable codes and every node below one of them."""
    if not not_applicable:
        return set()
    parent_of = {node.code: node.parent for node in criteria.nodes}
    excluded: set[str] = set()
    for node in criteria.nodes:
        code: str | None = node.code
        while code is not None:
            if code in not_applicable:
                excluded.add(node.code)
                break
            code = parent_of.get(code)
    return excluded


def score_alone(
    data: EvaluationInput,
    unit_code: str,
    values: Mapping[str, Value | None] | None = None,
    survey: SurveyChange = KEEP,
    *,
    tree: CompiledTree | None = None,
) -> UnitResult:
    """The engine's result of the unit with the changes of :func:`apply_changes`; its
    ``rank`` is that of a group of one (use :class:`Standings` for the real rank)."""
    [result] = evaluate(apply_changes(data, unit_code, values, survey), tree).units
    return result


@dataclass(frozen=True)
class WhatIf:
    """A unit's actual result and its result with the what-if values, both ranked against
    the same other units."""

    actual: UnitResult
    actual_rank: int
    result: UnitResult
    rank: int
    group_size: int

    @property
    def index_change(self) -> Decimal:
        return self.result.index - self.actual.index

    @property
    def total_change(self) -> Decimal:
        return self.result.total - self.actual.total

    @property
    def rank_change(self) -> int:
        """Actual rank − what-if rank: positive when the unit moves up."""
        return self.actual_rank - self.rank

    @property
    def class_changed(self) -> bool:
        return self.result.class_label != self.actual.class_label

    def changed_nodes(self) -> Iterator[tuple[str, NodeResult | None, NodeResult | None]]:
        """(code, actual, what-if) of every node whose points changed, in display order
        (None: not applicable)."""
        layout = self.actual.layout
        for slot in layout.display:
            code = layout.codes[slot]
            old, new = self.actual.node(code), self.result.node(code)
            if (old.points if old else None) != (new.points if new else None):
                yield code, old, new


def what_if(
    data: EvaluationInput,
    unit_code: str,
    standings: Standings,
    values: Mapping[str, Value | None] | None = None,
    survey: SurveyChange = KEEP,
    *,
    tree: CompiledTree | None = None,
) -> WhatIf:
    """Score the unit as it is and with the what-if values; rank both among ``standings``
    (the other units of its group)."""
    tree = tree or compile_tree(data.criteria)
    actual = score_alone(data, unit_code, tree=tree)
    result = score_alone(data, unit_code, values, survey, tree=tree)
    actual.rank = standings.rank(actual.index)
    result.rank = standings.rank(result.index)
    return WhatIf(actual, actual.rank, result, result.rank, standings.group_size)


# --------------------------------------------------------------------------- improvement list


def best_value(rule: Rule | None, max_points: Decimal) -> Value | None:
    """A value that earns a leaf the most its rule gives: the max for a manual leaf, "đạt",
    a ratio of 1, 100 %, no deduction, or the tier with the most points (None: a tiers rule
    without tiers, which gives nothing)."""
    kind = (rule or Rule()).type
    if kind == "boolean":
        return True
    if kind == "ratio":
        return Ratio(Decimal(1), Decimal(1))
    if kind == "percent":
        return HUNDRED
    if kind == "deduction":
        return ZERO
    if kind == "tiers":
        assert rule is not None
        if not rule.tiers:
            return None
        return max(rule.tiers, key=lambda tier: (tier.points, -tier.min)).min
    return max_points


@dataclass(frozen=True)
class Improvement:
    """A leaf where points can still be gained."""

    code: str
    name: str
    field: str
    """The code of its field (lĩnh vực)."""
    points: Decimal
    """Final points."""
    max: Decimal
    """Applicable max."""
    best: Decimal
    """The most the engine gives the leaf (its max, unless the rule cannot reach it)."""
    missing: bool
    """The leaf has no final value (scored 0)."""

    @property
    def recoverable(self) -> Decimal:
        return self.best - self.points


@dataclass(frozen=True)
class ImprovementPlan:
    """The leaves ordered by recoverable points, most first (ties in display order), and
    the unit's result when every applicable leaf gets its best value."""

    result: UnitResult
    best: UnitResult
    items: tuple[Improvement, ...] = field(default=())
    at_best: int = 0
    """Applicable leaves already at their best."""

    @property
    def leaf_total(self) -> Decimal:
        """The sum of the leaves' recoverable points (before caps of parent criteria)."""
        return sum((item.recoverable for item in self.items), ZERO)

    @property
    def gain(self) -> Decimal:
        """Points gained if every leaf is recovered, as the engine adds them up (a parent
        criterion's cap can make this less than :attr:`leaf_total`)."""
        return self.best.total - self.result.total

    @property
    def index_gain(self) -> Decimal:
        return self.best.index - self.result.index


def leaf_fields(criteria: CriteriaSet) -> dict[str, str]:
    """Node code → the code of its field (the node at the top of its branch)."""
    parent_of = {node.code: node.parent for node in criteria.nodes}
    fields: dict[str, str] = {}
    for node in criteria.nodes:
        code = node.code
        while (parent := parent_of.get(code)) is not None:
            code = parent
        fields[node.code] = code
    return fields


def improvement_plan(
    data: EvaluationInput, unit_code: str, *, tree: CompiledTree | None = None
) -> ImprovementPlan:
    """The improvement list of ``unit_code`` (see :class:`ImprovementPlan`)."""
    criteria = data.criteria
    tree = tree or compile_tree(criteria)
    result = score_alone(data, unit_code, tree=tree)
    names = {node.code: node.name for node in criteria.nodes}
    maxima = _max_of(criteria)
    fields = leaf_fields(criteria)
    leaves = _leaves(criteria)
    missing = set(result.missing)
    position = {slot: shown for shown, slot in enumerate(tree.layout.display)}
    best_values: dict[str, Value | None] = {}
    items: list[tuple[int, Improvement]] = []
    at_best = 0
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for slot, code in enumerate(tree.leaf_codes):
            scored = result.node(code)
            if scored is None:  # not applicable
                continue
            rule = leaves[code]
            scorer = make_scorer(rule or Rule(), maxima[code], criteria.rounding)
            value = best_value(rule, maxima[code])
            best = scorer(value) if value is not None else scored.points
            if best <= scored.points:
                at_best += 1
                continue
            best_values[code] = value
            items.append(
                (
                    position[slot],
                    Improvement(
                        code=code,
                        name=names[code],
                        field=fields[code],
                        points=scored.points,
                        max=scored.max,
                        best=best,
                        missing=code in missing,
                    ),
                )
            )
    items.sort(key=lambda pair: (-pair[1].recoverable, pair[0]))
    best_result = score_alone(data, unit_code, best_values, tree=tree)
    return ImprovementPlan(
        result=result,
        best=best_result,
        items=tuple(item for _, item in items),
        at_best=at_best,
    )
