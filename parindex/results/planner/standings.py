"""What the planner reads: the unit's final values (for the unit only) and the other
units' indexes of its group, from the published version or one cached evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache

from parindex import engine
from parindex.assessments.models import Assessment, ItemScore
from parindex.assessments.values import stored_to_engine
from parindex.engine.model import (
    NOT_APPLICABLE,
    Adjustment,
    EvaluationInput,
    UnitInput,
    Value,
    _NotApplicable,
)
from parindex.engine.whatif import Standings
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodGroup
from parindex.results.models import ResultGroup, ResultRow, ResultVersion
from parindex.results.selectors import period_evaluation_input

CACHE_SECONDS = 600
"""How long the engine-computed indexes of a group's other units are kept."""

SOURCE_PUBLISHED = "published"
SOURCE_COMPUTED = "computed"


def unit_input(
    period: Period, binding: PeriodGroup, unit: Unit, criteria: engine.CriteriaSet
) -> EvaluationInput:
    """The engine's input of one unit's final scores in ``period`` (two queries): what
    :func:`period_evaluation_input` holds for that unit."""
    assessment = Assessment.objects.filter(period=period, unit=unit).first()
    unit_in = UnitInput(unit.code, unit.name, binding.group.name)
    if assessment is None:
        return EvaluationInput(criteria=criteria, units=[unit_in])
    scores: dict[str, Value] = {}
    not_applicable: set[str] = set()
    items = ItemScore.objects.filter(assessment=assessment).values_list(
        "node__code", "value", "not_applicable"
    )
    for node_code, value, is_na in items.order_by("node__position"):
        if is_na:
            not_applicable.add(node_code)
        elif value is not None:
            scores[node_code] = stored_to_engine(value)
    survey: dict[str, Decimal | _NotApplicable] = {}
    if criteria.survey_max is not None:
        if assessment.survey_not_applicable:
            survey[unit.code] = NOT_APPLICABLE
        elif assessment.survey_points is not None:
            survey[unit.code] = assessment.survey_points.normalize()
    adjustments: dict[str, Adjustment] = {}
    if assessment.bonus or assessment.penalty:
        adjustments[unit.code] = Adjustment(
            assessment.bonus.normalize(), assessment.penalty.normalize()
        )
    return EvaluationInput(
        criteria=criteria,
        units=[unit_in],
        scores={unit.code: scores} if scores else {},
        not_applicable={unit.code: frozenset(not_applicable)} if not_applicable else {},
        survey=survey,
        adjustments=adjustments,
    )


@dataclass(frozen=True)
class Published:
    """The unit's line in the period's current published version."""

    version: ResultVersion
    index: Decimal
    rank: int | None
    class_label: str


@dataclass(frozen=True)
class Others:
    standings: Standings
    source: str
    published: Published | None = None


def _published_others(period: Period, binding: PeriodGroup, unit: Unit, ties: str) -> Others | None:
    version = ResultVersion.objects.current().filter(period=period).first()
    if version is None:
        return None
    group = ResultGroup.objects.filter(version=version, code=binding.group.code).first()
    if group is None:
        return None
    others: list[Decimal] = []
    published: Published | None = None
    rows = ResultRow.objects.filter(result_group=group).values_list(
        "code", "index", "rank", "class_label", "detail__index"
    )
    for code, index, rank, class_label, exact in rows:
        if code == unit.code:
            shown = Decimal(exact) if isinstance(exact, str) else index
            published = Published(version, shown, rank, class_label)
        else:
            others.append(index)
    return Others(Standings(others, ties), SOURCE_PUBLISHED, published)


def _cache_key(period: Period, binding: PeriodGroup) -> str:
    return (
        f"parindex:planner:indexes:{period.pk}:{binding.pk}:{binding.criteria_set_id}:"
        f"{period.status}"
    )


def group_indexes(
    period: Period, binding: PeriodGroup, criteria: engine.CriteriaSet
) -> dict[str, Decimal]:
    """Unit code → rounded index of every unit of the group, from one engine evaluation
    (cached, see the module's docstring)."""
    key = _cache_key(period, binding)
    cached = cache.get(key)
    if isinstance(cached, dict):
        return {code: Decimal(index) for code, index in cached.items()}
    data = period_evaluation_input(period, binding, criteria=criteria)
    results = engine.evaluate(data)
    indexes = {result.unit: result.index for result in results.units}
    cache.set(key, {code: str(index) for code, index in indexes.items()}, CACHE_SECONDS)
    return indexes


def other_units(
    period: Period, binding: PeriodGroup, unit: Unit, criteria: engine.CriteriaSet
) -> Others:
    """The other units of the unit's group, ranked (see the module's docstring)."""
    published = _published_others(period, binding, unit, criteria.ties)
    if published is not None:
        return published
    indexes = group_indexes(period, binding, criteria)
    others = [index for code, index in indexes.items() if code != unit.code]
    return Others(Standings(others, criteria.ties), SOURCE_COMPUTED)
