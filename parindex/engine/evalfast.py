"""The quick pass over ``scores[]`` (and ``self_scores[]``): a national file has 1.3
million entries, nearly all of them valid.

:func:`scores_fast` accepts an entry only when the full check in
:meth:`parindex.engine.evalread.EvaluationReader.scores` would accept it without a word
and store the same value; at the first entry it is not sure of, it gives up (returns
None) and the full check reads the whole list again, so every message, and the order of
the messages, stays what the full check says. It builds no located ``where`` text and
reads each distinct number text once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.engine.evalcheck import _NUMBER
from parindex.engine.model import HUNDRED, ZERO, NodeDef, Ratio, Value

MEMO_LIMIT = 200_000
"""Distinct number texts remembered (a national file has tens of thousands)."""


def scores_fast(
    items: Sequence[Any],
    nodes: Mapping[str, NodeDef],
    leaves: set[str],
    known_units: set[str],
) -> tuple[dict[str, dict[str, Value]], dict[str, frozenset[str]]] | None:
    """The scores and not-applicable nodes of ``items``, or None when an entry needs the
    full check (a problem, or a form this pass does not take: it never guesses)."""
    kinds = {
        code: ((node.rule.type if node.rule is not None else "manual"), node.max)
        for code, node in nodes.items()
        if code in leaves
    }
    numbers = _Numbers()
    texts: dict[str, dict[str, Value]] = {code: {} for code in kinds}
    """Per leaf, value texts already accepted, with their value."""
    scores: dict[str, dict[str, Value]] = {}
    na: dict[str, set[str]] = {}
    current: Any = None  # entries come unit by unit: look the unit up once (a str)
    unit_scores: dict[str, Value] | None = None
    unit_na: set[str] | None = None
    for entry in items:
        if type(entry) is not dict:
            return None
        unit, code = entry.get("unit"), entry.get("code")
        if unit != current:
            if type(unit) is not str or unit not in known_units:
                return None
            current, unit_scores, unit_na = unit, scores.get(unit), na.get(unit)
        if type(code) is not str or code not in nodes:
            return None
        if (unit_scores is not None and code in unit_scores) or (
            unit_na is not None and code in unit_na
        ):
            return None  # a duplicate: the full check names the first entry
        is_na, raw = entry.get("not_applicable", False), entry.get("value")
        if is_na is True:
            if raw is not None:
                return None
            if unit_na is None:
                unit_na = na[current] = {code}
            else:
                unit_na.add(code)
            continue
        if is_na is not False or raw is None or code not in kinds:
            return None
        if type(raw) is str:
            known = texts[code]
            parsed = known.get(raw)
            if parsed is None:
                kind, max_points = kinds[code]
                parsed = _value(kind, max_points, raw, numbers)
                if parsed is None:
                    return None
                if len(known) < MEMO_LIMIT:
                    known[raw] = parsed
        else:
            kind, max_points = kinds[code]
            parsed = _value(kind, max_points, raw, numbers)
            if parsed is None:
                return None
        if unit_scores is None:
            unit_scores = scores[current] = {code: parsed}
        else:
            unit_scores[code] = parsed
    return scores, {unit: frozenset(codes) for unit, codes in na.items()}


def _value(kind: str, max_points: Decimal, raw: Any, numbers: _Numbers) -> Value | None:
    """A value :func:`parindex.engine.rules.check_value` accepts, parsed as
    ``EvaluationReader.value`` parses it; None for anything else."""
    if kind == "boolean":
        return raw if type(raw) is bool else None
    if type(raw) is dict:
        if kind not in ("ratio", "tiers"):
            return None
        b, a = numbers.get(raw.get("numerator")), numbers.get(raw.get("denominator"))
        if b is None or a is None or a <= 0 or b < 0 or b > a:
            return None
        return Ratio(b, a)
    if kind == "ratio":
        return None
    value = numbers.get(raw)
    if value is None:
        return None
    if kind == "manual":
        return value if ZERO <= value <= max_points else None
    if kind == "percent":
        return value if ZERO <= value <= HUNDRED else None
    if kind == "deduction":
        return value if not value < 0 and value == value.to_integral_value() else None
    return value if kind == "tiers" else None


class _Numbers:
    """``Checker.number`` for the forms it accepts silently: a decimal text matching its
    pattern as given, an int that is not a bool, a Decimal. Equal texts give one shared
    (immutable) Decimal."""

    def __init__(self) -> None:
        self._memo: dict[str, Decimal] = {}

    def get(self, raw: Any) -> Decimal | None:
        kind = type(raw)
        if kind is str:
            value = self._memo.get(raw)
            if value is not None:
                return value
            if not _NUMBER.match(raw):
                return None
            try:
                value = Decimal(raw)
            except InvalidOperation:
                return None
            if len(self._memo) < MEMO_LIMIT:
                self._memo[raw] = value
            return value
        if kind is int:
            return Decimal(raw)
        if kind is Decimal:
            return raw  # type: ignore[no-any-return]
        return None
