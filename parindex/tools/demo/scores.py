"""Deterministic sample scores that fit every rule of a criteria set.

Each unit has a persistent quality (how well it does CCHC work) and each year adds a trend
and noise, so year-over-year changes and ranks mean something. Each leaf has a fixed
difficulty. Randomness comes from :class:`random.Random` seeded by strings, which is
stable across runs and Python processes (no hash randomisation).
"""

# Seeded, reproducible sample data, not security: the standard generator is what we want.
# ruff: noqa: S311

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from parindex import engine
from parindex.engine.model import NOT_APPLICABLE, ZERO, Ratio, Value, _NotApplicable
from parindex.tools.demo.criteria_data import TIER_MEASURES

QUARTER = Decimal("0.25")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class UnitScores:
    values: dict[str, Value | _NotApplicable]
    survey_points: Decimal | None
    survey_not_applicable: bool
    bonus: Decimal
    penalty: Decimal


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return low if value < low else high if value > high else value


def quality(seed: int, unit_code: str) -> float:
    """A unit's persistent quality, 0.62..0.98."""
    return random.Random(f"parindex-demo:{seed}:quality:{unit_code}").uniform(0.62, 0.98)


def yearly_performance(seed: int, unit_code: str, year: int, base_year: int) -> float:
    """Quality plus a per-unit trend per year since ``base_year`` and yearly noise."""
    rng = random.Random(f"parindex-demo:{seed}:trend:{unit_code}")
    trend = rng.gauss(0.015, 0.025)
    noise = random.Random(f"parindex-demo:{seed}:year:{unit_code}:{year}").gauss(0, 0.02)
    return _clamp(quality(seed, unit_code) + trend * (year - base_year) + noise, 0.3, 0.995)


def _difficulty(seed: int, code: str) -> float:
    return random.Random(f"parindex-demo:{seed}:difficulty:{code}").uniform(-0.08, 0.12)


def unit_scores(
    criteria: engine.CriteriaSet,
    *,
    seed: int,
    unit_code: str,
    year: int,
    base_year: int,
    not_applicable: tuple[str, ...] = (),
    survey: bool = True,
    optimism: float = 0.0,
) -> UnitScores:
    """Final scores of one unit for one year: a valid value for every applicable leaf.

    ``optimism`` raises the unit's performance for the year (a self-assessment grades a
    little better than the appraisers); the random draws are the same either way."""
    p = yearly_performance(seed, unit_code, year, base_year)
    if optimism:
        p = _clamp(p + optimism, 0.3, 0.995)
    rng = random.Random(f"parindex-demo:{seed}:scores:{unit_code}:{year}")
    parents = {node.parent for node in criteria.nodes if node.parent is not None}
    parent_of = {node.code: node.parent for node in criteria.nodes}
    excluded = set(not_applicable)

    def is_excluded(code: str | None) -> bool:
        while code is not None:
            if code in excluded:
                return True
            code = parent_of.get(code)
        return False

    values: dict[str, Value | _NotApplicable] = {code: NOT_APPLICABLE for code in not_applicable}
    for node in criteria.nodes:
        if node.code in parents or is_excluded(node.code):
            continue
        q = _clamp(p - _difficulty(seed, node.code) + rng.gauss(0, 0.06))
        values[node.code] = leaf_value(node, q, rng)

    survey_points: Decimal | None = None
    if survey and criteria.survey_max is not None:
        share = _clamp(0.72 + 0.25 * p + rng.gauss(0, 0.025))
        survey_points = min(
            (criteria.survey_max * Decimal(str(round(share, 4)))).quantize(CENT, ROUND_HALF_UP),
            criteria.survey_max,
        )
    bonus = penalty = ZERO
    draw = rng.random()
    if p > 0.85 and draw < 0.25:
        bonus = rng.choice([Decimal("0.5"), Decimal("1"), Decimal("1.5"), Decimal("2")])
    elif p < 0.7 and draw < 0.2:
        penalty = rng.choice([Decimal("0.5"), Decimal("1"), Decimal("2"), Decimal("3")])
    if criteria.bonus_max is not None:
        bonus = min(bonus, criteria.bonus_max)
    if criteria.penalty_max is not None:
        penalty = min(penalty, criteria.penalty_max)
    return UnitScores(
        values=values,
        survey_points=survey_points,
        survey_not_applicable=bool(criteria.survey_max is not None and not survey),
        bonus=bonus,
        penalty=penalty,
    )


def leaf_value(node: engine.NodeDef, q: float, rng: random.Random) -> Value:
    """A value for one leaf that its rule accepts; ``q`` (0..1) is how well it went."""
    rule = node.rule
    kind = rule.type if rule is not None else "manual"
    if kind == "boolean":
        return rng.random() < 0.2 + 0.8 * q
    if kind == "percent":
        return _percent(q, rng)
    if kind == "ratio":
        return _ratio(q, rng)
    if kind == "deduction":
        assert rule is not None and rule.per_item is not None
        allowed = int(node.max / rule.per_item)
        count = round((1 - q) * allowed * 1.3 + rng.gauss(0, 0.4))
        return Decimal(max(0, min(count, allowed + 1)))
    if kind == "tiers":
        assert rule is not None
        measure = TIER_MEASURES.get(node.code) or _tier_measure(rule)
        if measure == "ratio":
            return _ratio(q, rng)
        if measure == "percent":
            return _percent(q, rng, above=True)
        top = max(tier.min for tier in rule.tiers)
        return Decimal(max(0, min(int(q * float(top) + rng.random() * 1.2), int(top) + 1)))
    # manual: points in steps of 0.25 (0.05 below 0.5 max), never above max
    step = QUARTER if node.max >= QUARTER * 2 else Decimal("0.05")
    points = (node.max * Decimal(str(round(q, 4))) / step).quantize(Decimal(1), ROUND_HALF_UP)
    return min(points * step, node.max)


def _tier_measure(rule: engine.Rule) -> str:
    top = max((tier.min for tier in rule.tiers), default=ZERO)
    if top <= 1:
        return "ratio"
    return "percent" if top >= 10 else "count"


def _percent(q: float, rng: random.Random, *, above: bool = False) -> Decimal:
    """A percentage; ``above`` allows results over 100 (e.g. budget revenue vs plan)."""
    if q > 0.93 and not above:
        return Decimal(100)
    value = 100 * (0.55 + 0.5 * q) + rng.gauss(0, 3)
    value = max(0.0, value if above else min(100.0, value))
    return Decimal(str(round(value, 1)))


def _ratio(q: float, rng: random.Random) -> Ratio:
    denominator = rng.choice([rng.randint(3, 20), rng.randint(20, 150), rng.randint(150, 2500)])
    if q > 0.95:
        numerator = denominator
    else:
        share = _clamp(0.6 + 0.42 * q + rng.gauss(0, 0.04))
        numerator = min(denominator, max(0, round(denominator * share)))
    return Ratio(Decimal(numerator), Decimal(denominator))
