"""Scoring a period: points per node, totals, index, class, rank, self-assessment, group
statistics (:mod:`~parindex.engine.groups`) and year-over-year change. The one function
every number in parindex comes from."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, localcontext

from parindex.engine.groups import group_stats
from parindex.engine.model import (
    HUNDRED,
    SURVEY,
    ZERO,
    Adjustment,
    Classification,
    CriteriaSet,
    EvaluationInput,
    FieldResult,
    GroupFieldStat,
    GroupResult,
    PreviousResult,
    Results,
    Rounding,
    SelfResult,
    UnitInput,
    UnitResult,
    Value,
    _NotApplicable,
)
from parindex.engine.tree import CompiledTree, compile_tree

PRECISION = 60
"""Decimal digits for intermediate results. Every division is b × max ÷ a, so a result that
is exactly representable is exact; 60 digits keep any other far from a rounding boundary."""

NO_ADJUSTMENT = Adjustment()


def evaluate(data: EvaluationInput, tree: CompiledTree | None = None) -> Results:
    """Score every unit of ``data``. The input must be valid: build it with
    ``evalfile.parse`` or check values with ``rules.check_value``."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # scoring allocates millions of short-lived Decimals and makes no cycles
    try:
        return _evaluate(data, tree)
    finally:
        if gc_was_enabled:
            gc.enable()


def _evaluate(data: EvaluationInput, tree: CompiledTree | None) -> Results:
    criteria = data.criteria
    with localcontext() as ctx:
        ctx.prec = PRECISION
        tree = tree or compile_tree(criteria)
        warnings: list[str] = []
        units = [
            _score_unit(
                criteria,
                tree,
                unit,
                data.scores.get(unit.code, {}),
                data.not_applicable.get(unit.code, frozenset()),
                data.survey.get(unit.code),
                data.adjustments.get(unit.code, NO_ADJUSTMENT),
                warnings,
            )
            for unit in data.units
        ]
        if data.self_scores is not None or data.self_not_applicable:
            _score_self_assessments(criteria, tree, units, data)
        ranked = _rank(criteria, units)
        if data.previous is not None:
            compare_with_previous(units, data.previous, criteria.effective_index_rounding)
        groups = [group_stats(name, members, tree, criteria) for name, members in ranked]
    return Results(criteria=criteria, units=units, groups=groups, warnings=sorted(warnings))


def _score_unit(
    criteria: CriteriaSet,
    tree: CompiledTree,
    unit: UnitInput,
    entries: Mapping[str, Value],
    not_applicable: frozenset[str],
    survey_entry: Decimal | _NotApplicable | None,
    adjustment: Adjustment,
    warnings: list[str],
) -> UnitResult:
    node_points, node_max, missing, na_codes = _score_tree(
        tree, entries, not_applicable, criteria.rounding, unit.code, warnings
    )
    fields, points, max_ = _fields(tree, node_points, node_max)

    survey, survey_applicable = ZERO, False
    if criteria.survey_max is not None:
        if isinstance(survey_entry, _NotApplicable):
            na_codes.append(SURVEY)
        else:
            survey_applicable = True
            max_ += criteria.survey_max
            if survey_entry is None:
                missing.append(SURVEY)
            else:
                survey = survey_entry

    bonus = _capped(adjustment.bonus, criteria.bonus_max, "bonus", unit.code, warnings)
    penalty = _capped(adjustment.penalty, criteria.penalty_max, "penalty", unit.code, warnings)
    total = points + survey + bonus - penalty
    if total < 0:
        total = ZERO

    index_rounding = criteria.effective_index_rounding
    if max_ > 0:
        index_exact = min(total * HUNDRED / max_, HUNDRED)
    else:
        index_exact = ZERO
        warnings.append(f"unit {unit.code}: không có tiêu chí nào được áp dụng (max = 0)")
    index = index_rounding.apply(index_exact)

    return UnitResult(
        unit=unit.code,
        name=unit.name,
        group=unit.group,
        points=points,
        survey=survey,
        survey_applicable=survey_applicable,
        bonus=bonus,
        penalty=penalty,
        total=total,
        max=max_,
        index_exact=index_exact,
        index=index,
        fields=fields,
        not_applicable=na_codes,
        missing=missing,
        layout=tree.layout,
        node_points=node_points,
        node_max=node_max,
        class_label=_classify(criteria.classification, index, fields),
    )


def _score_tree(
    tree: CompiledTree,
    entries: Mapping[str, Value],
    not_applicable: frozenset[str],
    rounding: Rounding,
    unit_code: str,
    warnings: list[str],
) -> tuple[Sequence[Decimal | None], Sequence[Decimal | None], list[str], list[str]]:
    """Points and applicable max of every slot, the missing leaves and the outermost
    not-applicable nodes."""
    if not_applicable:
        return _tree_with_exclusions(tree, entries, not_applicable, rounding, unit_code, warnings)
    node_points, node_max, missing = _full_tree(tree, entries, rounding)
    return node_points, node_max, missing, []


def _fields(
    tree: CompiledTree, node_points: Sequence[Decimal | None], node_max: Sequence[Decimal | None]
) -> tuple[list[FieldResult], Decimal, Decimal]:
    """The applicable fields with their exact percentages, their points and their maxima."""
    fields: list[FieldResult] = []
    points = ZERO
    max_ = ZERO
    for i in tree.fields:
        field_points, field_max = node_points[i], node_max[i]
        if field_points is None or field_max is None:
            continue
        fields.append(
            FieldResult(tree.codes[i], field_points, field_max, field_points * HUNDRED / field_max)
        )
        points += field_points
        max_ += field_max
    return fields, points, max_


def _score_self_assessments(
    criteria: CriteriaSet, tree: CompiledTree, units: Sequence[UnitResult], data: EvaluationInput
) -> None:
    """Each unit with self-assessed entries (values or not applicable) gets its
    :class:`SelfResult`: the same rules and rounding, no survey, bonus or penalty. Values
    under a self-not-applicable node are ignored without a warning (``warnings`` are the
    appraisal's)."""
    self_scores = data.self_scores or {}
    self_na = data.self_not_applicable
    index_rounding = criteria.effective_index_rounding
    for result in units:
        entries = self_scores.get(result.unit) or {}
        not_applicable = self_na.get(result.unit) or frozenset()
        if not entries and not not_applicable:
            continue
        node_points, node_max, missing, na_codes = _score_tree(
            tree, entries, not_applicable, criteria.rounding, result.unit, []
        )
        fields, points, max_ = _fields(tree, node_points, node_max)
        percent_exact = points * HUNDRED / max_ if max_ > 0 else ZERO
        result.self_result = SelfResult(
            points=points,
            max=max_,
            percent_exact=percent_exact,
            percent=index_rounding.apply(percent_exact),
            fields=fields,
            not_applicable=na_codes,
            missing=missing,
            layout=tree.layout,
            node_points=node_points,
            node_max=node_max,
        )


def _full_tree(
    tree: CompiledTree, entries: Mapping[str, Value], rounding: Rounding
) -> tuple[list[Decimal], Sequence[Decimal], list[str]]:
    """The common case: every node applies, so maxima are the precomputed ones."""
    zero = rounding.apply(ZERO)
    values = map(entries.get, tree.leaf_codes)
    points: list[Decimal] = [
        zero if value is None else score(value)
        for score, value in zip(tree.leaf_scorers, values, strict=True)
    ]
    missing: list[str] = []
    if len(entries) < tree.leaf_count:
        missing = [code for code in tree.leaf_codes if code not in entries]
    at = points.__getitem__
    append = points.append
    for kids, max_ in tree.internal_plan:  # slots in order: children are already there
        total = sum(map(at, kids), ZERO)
        append(total if total < max_ else max_)
    return points, tree.full_max, missing


def _tree_with_exclusions(
    tree: CompiledTree,
    entries: Mapping[str, Value],
    not_applicable: frozenset[str],
    rounding: Rounding,
    unit_code: str,
    warnings: list[str],
) -> tuple[list[Decimal | None], list[Decimal | None], list[str], list[str]]:
    """Some nodes are not applicable: they and their subtrees leave points and maxima, and
    a parent whose children are all excluded is excluded too."""
    codes = tree.codes
    excluded: set[int] = set()
    for code in not_applicable:
        excluded.update(tree.subtree[tree.layout.index[code]])
    points: list[Decimal | None] = [None] * tree.size
    maxes: list[Decimal | None] = [None] * tree.size
    missing: list[str] = []
    scorers = tree.leaf_scorers
    zero = rounding.apply(ZERO)
    for i in range(tree.size):  # children before parents
        if i in excluded:
            if codes[i] in entries:
                warnings.append(
                    f"unit {unit_code}, node {codes[i]}: bỏ qua giá trị vì tiêu chí không áp dụng"
                )
            continue
        kids = tree.children[i]
        if not kids:
            value = entries.get(codes[i])
            if value is None:
                missing.append(codes[i])
                points[i] = zero
            else:
                points[i] = scorers[i](value)
            maxes[i] = tree.max[i]
            continue
        applicable = [k for k in kids if maxes[k] is not None]
        if not applicable:
            excluded.add(i)
            continue
        total = sum((points[k] or ZERO for k in applicable), ZERO)
        sub_max = sum((maxes[k] or ZERO for k in applicable), ZERO)
        points[i] = min(total, tree.max[i])
        maxes[i] = min(sub_max, tree.max[i])
    na_codes = [
        codes[i]
        for i in tree.layout.display
        if i in excluded and (tree.parent[i] < 0 or tree.parent[i] not in excluded)
    ]
    return points, maxes, missing, na_codes


def _capped(
    value: Decimal, cap: Decimal | None, what: str, unit_code: str, warnings: list[str]
) -> Decimal:
    if cap is not None and value > cap:
        shown, limit = format(value.normalize(), "f"), format(cap.normalize(), "f")
        warnings.append(f"unit {unit_code}: {what} {shown} vượt mức tối đa {limit}, tính {limit}")
        return cap
    return value


def _classify(
    classification: Classification | None, index: Decimal, fields: list[FieldResult]
) -> str | None:
    """The first band whose minimum the rounded index reaches and, when the band has a
    per-field minimum, whose minimum every applicable field meets; else ``otherwise``."""
    if classification is None:
        return None
    for band in classification.bands:
        reached = index > band.min if band.min_exclusive else index >= band.min
        if not reached:
            continue
        if band.field_min is not None and any(
            f.points * HUNDRED < band.field_min * f.max for f in fields
        ):
            continue
        return band.label
    return classification.otherwise


def _rank(criteria: CriteriaSet, units: list[UnitResult]) -> list[tuple[str, list[UnitResult]]]:
    """Rank units within their group; the groups in name order with their members. Reorders
    ``units`` by group (name order), then rank, then unit code, whatever order they came in."""
    by_group: dict[str, list[UnitResult]] = {}
    for result in units:
        by_group.setdefault(result.group, []).append(result)
    dense = criteria.ties == "dense"
    ranked = sorted(by_group.items())
    ordered: list[UnitResult] = []
    for _name, members in ranked:
        members.sort(key=lambda r: (-r.index, r.unit))
        assign_ranks(members, dense=dense)
        ordered.extend(members)
    units[:] = ordered
    return ranked


def assign_ranks(members: Sequence[UnitResult], *, dense: bool) -> None:
    """Members sorted by rounded index, highest first. Equal indexes share a rank:
    competition ranking (1, 2, 2, 4) or dense ranking (1, 2, 2, 3)."""
    previous: Decimal | None = None
    rank = 0
    for position, result in enumerate(members, start=1):
        if result.index != previous:
            rank = rank + 1 if dense else position
            previous = result.index
        result.rank = rank


def published_group_stats(
    name: str,
    indexes: Sequence[Decimal],
    fields: Iterable[Iterable[tuple[str, Decimal, Decimal]]],
    index_rounding: Rounding,
) -> GroupResult:
    """Group statistics from results published elsewhere (results of earlier years
    imported as published): the published indexes and each unit's (field code, points,
    max). The same definitions as the statistics of :func:`evaluate`, which has the exact
    indexes; here the published (rounded) ones are all there is."""
    with localcontext() as ctx:
        ctx.prec = PRECISION
        mean = index_rounding.apply(sum(indexes, ZERO) / len(indexes))
        highest, lowest = max(indexes), min(indexes)
        totals: dict[str, Decimal] = {}
        at_max: dict[str, int] = {}
        applicable: dict[str, int] = {}
        for unit_fields in fields:
            for code, points, max_ in unit_fields:
                totals[code] = totals.get(code, ZERO) + points
                at_max[code] = at_max.get(code, 0) + (points == max_)
                applicable[code] = applicable.get(code, 0) + 1
        field_stats = tuple(
            GroupFieldStat(
                code=code,
                mean_points=index_rounding.apply(total / applicable[code]),
                units_at_max=at_max[code],
                units=applicable[code],
            )
            for code, total in totals.items()
        )
    return GroupResult(
        group=name,
        count=len(indexes),
        mean=mean,
        max=highest,
        min=lowest,
        spread=highest - lowest,
        above_mean=sum(1 for index in indexes if index > mean),
        fields=field_stats,
    )


def compare_with_previous(
    units: Sequence[UnitResult], previous: Mapping[str, PreviousResult], rounding: Rounding
) -> None:
    """Year-over-year change per unit code: index change (this − last, in points of %) and
    rank change (last rank − this rank, so moving up is positive)."""
    for result in units:
        before = previous.get(result.unit)
        if before is None:
            continue
        result.previous_index = rounding.apply(before.index)
        result.index_change = result.index - result.previous_index
        result.previous_class = before.class_label
        if before.rank is not None:
            result.previous_rank = before.rank
            result.rank_change = before.rank - result.rank
