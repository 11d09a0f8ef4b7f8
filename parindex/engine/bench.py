"""National-scale benchmark of the engine, and the naive baseline it is compared with.

``generate`` builds (seeded) a criteria set of about 100 leaves and a period of N units in
three groups. ``naive_evaluate`` is what a first implementation typically does: for every
unit, walk the tree recursively from each field, finding children by scanning and
dispatching on the rule type at every leaf. It computes the same indexes (checked).
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from parindex.engine.evaluate import PRECISION, evaluate
from parindex.engine.model import (
    HUNDRED,
    NOT_APPLICABLE,
    ZERO,
    Adjustment,
    Band,
    Classification,
    CriteriaSet,
    EvaluationInput,
    NodeDef,
    Ratio,
    Rounding,
    Rule,
    Tier,
    UnitInput,
    Value,
    _NotApplicable,
)

GROUPS = (("Sở, ban, ngành", 0.08), ("UBND cấp huyện", 0.05), ("UBND cấp xã", 0.87))
FIELD_MAX = (14, 10, 19, 8, 13, 6, 20)
RULES = (
    Rule("manual"),
    Rule("boolean"),
    Rule("ratio"),
    Rule("ratio", floor=Decimal("0.7")),
    Rule("percent"),
    Rule("tiers", tiers=(Tier(Decimal(3), Decimal(1)), Tier(Decimal(1), Decimal("0.5")))),
    Rule("deduction", per_item=Decimal("0.25")),
)


def generate_criteria(leaves: int = 100) -> CriteriaSet:
    """Seven fields (Hà Nam's maxima), criteria of 3–4 sub-criteria, ``leaves`` leaves."""
    nodes: list[NodeDef] = []
    per_field = [leaves // len(FIELD_MAX)] * len(FIELD_MAX)
    for i in range(leaves % len(FIELD_MAX)):
        per_field[i] += 1
    rule_no = 0
    for f, (field_max, count) in enumerate(zip(FIELD_MAX, per_field, strict=True), start=1):
        nodes.append(NodeDef(str(f), f"Lĩnh vực {f}", Decimal(field_max)))
        leaf_max = (Decimal(field_max) / count).quantize(Decimal("0.01")) or Decimal("0.25")
        criteria = [list(range(start, min(start + 4, count))) for start in range(0, count, 4)]
        leaf_sum = leaf_max * count
        if leaf_sum < field_max:  # give the last leaf the remainder so children cover the field
            pass
        for c, members in enumerate(criteria, start=1):
            crit_code = f"{f}.{c}"
            crit_max = leaf_max * len(members)
            if c == len(criteria) and leaf_sum < field_max:
                crit_max += Decimal(field_max) - leaf_sum
            nodes.append(NodeDef(crit_code, f"Tiêu chí {crit_code}", crit_max, str(f)))
            for s, _ in enumerate(members, start=1):
                rule = RULES[rule_no % len(RULES)]
                rule_no += 1
                max_ = leaf_max
                if c == len(criteria) and s == len(members) and leaf_sum < field_max:
                    max_ += Decimal(field_max) - leaf_sum
                if rule.type == "tiers":  # full points from 3 items, half from 1
                    rule = Rule("tiers", tiers=(Tier(Decimal(3), max_), Tier(Decimal(1), max_ / 2)))
                nodes.append(
                    NodeDef(
                        f"{crit_code}.{s}",
                        f"Tiêu chí thành phần {crit_code}.{s}",
                        max_,
                        crit_code,
                        None if rule.type == "manual" else rule,
                    )
                )
    return CriteriaSet(
        name="Bộ tiêu chí sinh ngẫu nhiên (benchmark)",
        nodes=tuple(nodes),
        rounding=Rounding("truncate", 2),
        index_rounding=Rounding("half_up", 2),
        survey_max=Decimal(10),
        bonus_max=Decimal(2),
        penalty_max=Decimal(3),
        classification=Classification(
            (
                Band("Hoàn thành xuất sắc", Decimal(90), field_min=Decimal(80)),
                Band("Hoàn thành tốt", Decimal(80), min_exclusive=True, field_min=Decimal(70)),
                Band("Hoàn thành", Decimal(65), field_min=Decimal(50)),
            ),
            "Không hoàn thành",
        ),
    )


def _value(rule: Rule | None, max_: Decimal, quality: float, rnd: random.Random) -> Value:
    kind = rule.type if rule else "manual"
    share = min(1.0, max(0.0, rnd.gauss(quality, 0.12)))
    if kind == "manual":
        return (max_ * Decimal(str(round(share, 2)))).quantize(Decimal("0.25"))
    if kind == "boolean":
        return share > 0.5
    if kind == "ratio":
        denominator = rnd.randint(20, 2000)
        return Ratio(Decimal(round(denominator * share)), Decimal(denominator))
    if kind == "percent":
        return Decimal(str(round(share * 100, 2)))
    if kind == "tiers":
        return Decimal(round(share * 4))
    return Decimal(round((1 - share) * 4))


def generate(units: int = 13_000, leaves: int = 100, seed: int = 2024) -> EvaluationInput:
    rnd = random.Random(seed)  # noqa: S311 - reproducible sample data, not security
    criteria = generate_criteria(leaves)
    leaf_nodes = [n for n in criteria.nodes if not any(m.parent == n.code for m in criteria.nodes)]
    unit_list: list[UnitInput] = []
    scores: dict[str, dict[str, Value]] = {}
    not_applicable: dict[str, frozenset[str]] = {}
    survey: dict[str, Decimal | _NotApplicable] = {}
    adjustments: dict[str, Adjustment] = {}
    for i in range(units):
        draw = rnd.random()
        group = GROUPS[0][0] if draw < 0.08 else GROUPS[1][0] if draw < 0.13 else GROUPS[2][0]
        code = f"DV{i:05d}"
        unit_list.append(UnitInput(code, f"Đơn vị {i}", group))
        quality = rnd.uniform(0.55, 0.97)
        excluded = frozenset({"3"}) if rnd.random() < 0.04 else frozenset()
        if excluded:
            not_applicable[code] = excluded
            survey[code] = NOT_APPLICABLE
        else:
            survey[code] = Decimal(str(round(rnd.uniform(7.5, 10), 2)))
        scores[code] = {
            n.code: _value(n.rule, n.max, quality, rnd)
            for n in leaf_nodes
            if not (excluded and n.code.split(".")[0] in excluded) and rnd.random() > 0.002
        }
        if rnd.random() < 0.05:
            adjustments[code] = Adjustment(Decimal("0.5"), Decimal(rnd.choice((0, 1))))
    return EvaluationInput(criteria, unit_list, scores, not_applicable, survey, adjustments)


# ----------------------------------------------------------------------------- baseline


def naive_evaluate(data: EvaluationInput) -> dict[str, tuple[Decimal, int]]:
    """Per-unit recursive evaluation with no precomputed tree order: (index, rank) per unit."""
    criteria = data.criteria
    rounding = criteria.rounding
    with localcontext() as ctx:
        ctx.prec = PRECISION
        indexes: dict[str, Decimal] = {}
        for unit in data.units:
            entries = data.scores.get(unit.code, {})
            excluded = data.not_applicable.get(unit.code, frozenset())

            def node_score(
                node: NodeDef,
                entries: dict[str, Value] | Any = entries,
                excluded: frozenset[str] = excluded,
            ) -> tuple[Decimal, Decimal] | None:
                if node.code in excluded:
                    return None
                kids = [n for n in criteria.nodes if n.parent == node.code]
                if not kids:
                    value = entries.get(node.code)
                    points = ZERO if value is None else _naive_rule(node, value)
                    return rounding.apply(points), node.max
                results = [r for r in (node_score(k, entries, excluded) for k in kids) if r]
                if not results:
                    return None
                return (
                    min(sum((r[0] for r in results), ZERO), node.max),
                    min(sum((r[1] for r in results), ZERO), node.max),
                )

            points = max_ = ZERO
            for field in (n for n in criteria.nodes if n.parent is None):
                scored = node_score(field)
                if scored is not None:
                    points, max_ = points + scored[0], max_ + scored[1]
            entry = data.survey.get(unit.code)
            if criteria.survey_max is not None and not isinstance(entry, _NotApplicable):
                max_ += criteria.survey_max
                points += entry or ZERO
            adj = data.adjustments.get(unit.code, Adjustment())
            bonus = min(adj.bonus, criteria.bonus_max or adj.bonus)
            penalty = min(adj.penalty, criteria.penalty_max or adj.penalty)
            total = max(points + bonus - penalty, ZERO)
            indexes[unit.code] = criteria.effective_index_rounding.apply(
                min(total * HUNDRED / max_, HUNDRED) if max_ else ZERO
            )
        ranks: dict[str, tuple[Decimal, int]] = {}
        for group in {u.group for u in data.units}:
            peers = sorted(
                (u for u in data.units if u.group == group),
                key=lambda u: indexes[u.code],
                reverse=True,
            )
            for position, unit in enumerate(peers, start=1):
                tied = [p for p in peers[: position - 1] if indexes[p.code] == indexes[unit.code]]
                rank = ranks[tied[0].code][1] if tied else position
                ranks[unit.code] = (indexes[unit.code], rank)
    return ranks


def _naive_rule(node: NodeDef, value: Value) -> Decimal:
    rule = node.rule or Rule()
    if rule.type == "manual":
        assert isinstance(value, Decimal)
        return value
    if rule.type == "boolean":
        return node.max if value else ZERO
    if rule.type in ("ratio", "percent"):
        b, a = (
            (value.numerator, value.denominator)
            if isinstance(value, Ratio)
            else (Decimal(value), HUNDRED)
        )
        if rule.floor is not None and b / a < rule.floor:
            return ZERO
        if rule.full_at is not None and b / a >= rule.full_at:
            return node.max
        return b * node.max / a
    if rule.type == "tiers":
        x = value.numerator / value.denominator if isinstance(value, Ratio) else Decimal(value)
        for tier in sorted(rule.tiers, key=lambda t: t.min, reverse=True):
            if x >= tier.min:
                return tier.points
        return ZERO
    assert isinstance(value, Decimal) and rule.per_item is not None
    return max(ZERO, node.max - value * rule.per_item)


# ----------------------------------------------------------------------------- running


@dataclass
class Timing:
    label: str
    seconds: float


def timed(label: str, fn: Callable[[], Any]) -> tuple[Timing, Any]:
    start = time.perf_counter()
    result = fn()
    return Timing(label, time.perf_counter() - start), result


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_engine_bench(
    units: int, leaves: int, seed: int, naive: bool, repeat: int, out: Callable[[str], None]
) -> None:
    gen, data = timed("generate", lambda: generate(units, leaves, seed))
    n_leaves = sum(
        1 for n in data.criteria.nodes if not any(m.parent == n.code for m in data.criteria.nodes)
    )
    out(
        f"đầu vào: {len(data.units):,} đơn vị × {n_leaves} tiêu chí lá "
        f"({len(data.criteria.nodes)} nút), 3 nhóm; sinh dữ liệu {gen.seconds:.2f} s"
    )
    out(f"bộ nhớ sau khi sinh dữ liệu (peak RSS): {peak_rss_mib():.0f} MiB")
    seconds: list[float] = []
    results = None
    for attempt in range(1, repeat + 1):
        results = None  # let the previous run's results go before measuring memory again
        timing, results = timed("engine", lambda: evaluate(data))
        seconds.append(timing.seconds)
        out(
            f"lần {attempt}: đánh giá đầy đủ (điểm → chỉ số, xếp loại, xếp hạng, thống kê nhóm) "
            f"{timing.seconds:.3f} s"
        )
    assert results is not None
    best = min(seconds)
    out(
        f"engine: tốt nhất {best:.3f} s, trung vị {statistics.median(seconds):.3f} s, "
        f"chậm nhất {max(seconds):.3f} s; peak RSS {peak_rss_mib():.0f} MiB"
    )
    groups = ", ".join(f"{g.group}: {g.count} đv, TB {g.mean}" for g in results.groups)
    out(f"kiểm tra: {groups}")
    if naive:
        timing, baseline = timed("naive", lambda: naive_evaluate(data))
        mismatches = sum(1 for r in results.units if baseline[r.unit] != (r.index, r.rank))
        out(
            f"baseline ngây thơ (đệ quy từng đơn vị, không tiền xử lý cây): {timing.seconds:.3f} s"
            f" — chậm hơn {timing.seconds / best:.1f} lần; khác kết quả: {mismatches}"
        )
        out(f"peak RSS sau baseline: {peak_rss_mib():.0f} MiB")
