"""A group's statistics from its scored, ranked (and compared) units: index statistics,
every node over the units, survey and self-assessment means, class counts and the change
from the previous results.

Called by :func:`parindex.engine.evaluate.evaluate` inside its decimal context. Every
statistic is one pass over the group's units (the node statistics one pass over each unit's
slots), so a group of 11,000 xã costs a few array additions per node and unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from parindex.engine.model import (
    ZERO,
    CriteriaSet,
    GroupChange,
    GroupClassStat,
    GroupFieldStat,
    GroupNodeStat,
    GroupPrevious,
    GroupResult,
    Rounding,
    UnitResult,
)
from parindex.engine.tree import CompiledTree


def group_stats(
    name: str, members: list[UnitResult], tree: CompiledTree, criteria: CriteriaSet
) -> GroupResult:
    """The statistics of one group (``members``: at least one unit)."""
    index_rounding = criteria.effective_index_rounding
    count = len(members)
    mean = index_rounding.apply(sum((r.index_exact for r in members), ZERO) / count)
    highest = max(r.index for r in members)
    lowest = min(r.index for r in members)
    totals, applies, at_max = _node_sums(members, tree)
    fields = tuple(
        GroupFieldStat(
            code=tree.codes[i],
            mean_points=index_rounding.apply(totals[i] / applies[i]),
            units_at_max=at_max[i],
            units=applies[i],
        )
        for i in tree.fields
        if applies[i]
    )
    nodes = tuple(
        GroupNodeStat(
            code=tree.codes[i],
            units=applies[i],
            units_at_max=at_max[i],
            mean_points=criteria.rounding.apply(totals[i] / applies[i]) if applies[i] else None,
        )
        for i in tree.layout.display
    )
    survey_mean, survey_units = _survey(members, criteria)
    self_mean, self_units = _self(members, index_rounding)
    previous, change, moves = _previous(members, mean, highest, lowest, index_rounding)
    return GroupResult(
        group=name,
        count=count,
        mean=mean,
        max=highest,
        min=lowest,
        spread=highest - lowest,
        above_mean=sum(1 for r in members if r.index > mean),
        fields=fields,
        survey_mean=survey_mean,
        survey_units=survey_units,
        self_mean=self_mean,
        self_units=self_units,
        classes=_classes(members, criteria),
        nodes=nodes,
        previous=previous,
        change=change,
        rose=moves[0] if moves else None,
        fell=moves[1] if moves else None,
        unchanged=moves[2] if moves else None,
    )


def _node_sums(
    members: Sequence[UnitResult], tree: CompiledTree
) -> tuple[list[Decimal], list[int], list[int]]:
    """Per slot: the sum of the points of the units it applies to, how many those are, and
    how many of them scored the slot's applicable max. Units where every node applies (the
    common case: their maxima are the tree's own tuple) are summed column by column."""
    size = tree.size
    totals = [ZERO] * size
    applies = [0] * size
    at_max = [0] * size
    full_max = tree.full_max
    full_rows: list[Sequence[Decimal | None]] = []
    for r in members:
        if r.node_max is full_max:
            full_rows.append(r.node_points)
            continue
        for slot, (points, max_) in enumerate(zip(r.node_points, r.node_max, strict=True)):
            if points is None or max_ is None:
                continue
            totals[slot] += points
            applies[slot] += 1
            at_max[slot] += points == max_
    if full_rows:
        n = len(full_rows)
        for slot, column in enumerate(zip(*full_rows, strict=True)):
            totals[slot] += sum(column, ZERO)  # full rows: every slot applies (no None)
            applies[slot] += n
            at_max[slot] += column.count(full_max[slot])
    return totals, applies, at_max


def _survey(
    members: Sequence[UnitResult], criteria: CriteriaSet
) -> tuple[Decimal | None, int | None]:
    """Mean survey points over the units the survey applies to (a missing survey counts 0)
    and how many those are; (None, None) without a survey component."""
    if criteria.survey_max is None:
        return None, None
    points = [r.survey for r in members if r.survey_applicable]
    if not points:
        return None, 0
    return criteria.rounding.apply(sum(points, ZERO) / len(points)), len(points)


def _self(members: Sequence[UnitResult], rounding: Rounding) -> tuple[Decimal | None, int | None]:
    """Mean of the exact self-assessed percentages of the units with a self result, rounded
    as the index; (None, None) when no unit has one."""
    percents = [r.self_result.percent_exact for r in members if r.self_result is not None]
    if not percents:
        return None, None
    return rounding.apply(sum(percents, ZERO) / len(percents)), len(percents)


def _classes(members: Sequence[UnitResult], criteria: CriteriaSet) -> tuple[GroupClassStat, ...]:
    """Every label of the scheme (best first, zero counts included) with how many units
    have it and, when any unit's previous result gave a class, how many had it then.
    Previous labels the scheme no longer has follow, with a count of 0."""
    if criteria.classification is None:
        return ()
    labels = criteria.class_labels
    counts = dict.fromkeys(labels, 0)
    previous: dict[str, int] | None = None
    for r in members:
        if r.class_label is not None and r.class_label in counts:
            counts[r.class_label] += 1
        if r.previous_class is not None:
            if previous is None:
                previous = {}
            previous[r.previous_class] = previous.get(r.previous_class, 0) + 1
    if previous is None:
        return tuple(GroupClassStat(label, counts[label]) for label in labels)
    extra = [label for label in previous if label not in counts]
    return tuple(
        GroupClassStat(label, counts.get(label, 0), previous.get(label, 0))
        for label in (*labels, *extra)
    )


def _previous(
    members: Sequence[UnitResult],
    mean: Decimal,
    highest: Decimal,
    lowest: Decimal,
    rounding: Rounding,
) -> tuple[GroupPrevious | None, GroupChange | None, tuple[int, int, int] | None]:
    """Statistics of the previous indexes of the units that have one, this period's rounded
    statistics minus them, and how many units rose, fell and stayed; all None when no unit
    has a previous index."""
    before = [r.previous_index for r in members if r.previous_index is not None]
    if not before:
        return None, None, None
    previous_mean = rounding.apply(sum(before, ZERO) / len(before))
    previous_max, previous_min = max(before), min(before)
    previous = GroupPrevious(
        count=len(before),
        mean=previous_mean,
        max=previous_max,
        min=previous_min,
        spread=previous_max - previous_min,
    )
    change = GroupChange(
        mean=mean - previous_mean,
        max=highest - previous_max,
        min=lowest - previous_min,
        spread=(highest - lowest) - previous.spread,
    )
    rose = fell = unchanged = 0
    for r in members:
        if r.index_change is None:
            continue
        if r.index_change > 0:
            rose += 1
        elif r.index_change < 0:
            fell += 1
        else:
            unchanged += 1
    return previous, change, (rose, fell, unchanged)
