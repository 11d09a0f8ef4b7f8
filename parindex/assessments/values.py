"""A criterion's value: what people may type for a leaf, how it is stored, how it is shown.

One layer for everyone who enters a value — the unit (self-assessment screen and API), the
appraiser and the planner's what-if inputs — so the same text always gives the same number
or the same refusal (the accepted inputs are listed in docs/values.md):

* :func:`parse_input`: typed or sent input → the engine's value for a leaf's rule, checked by
  the engine's own rule check; raises :class:`BadValue` with a Vietnamese problem that says
  how to type the value. Callers add the criterion ("Tiêu chí 1.2, tỷ lệ phần trăm: ...").
* :func:`value_text`: a stored value for people ("Đạt", "7/9", "87,5%", "3 lần", "2,5 điểm",
  "—" when empty).
* The stored JSON encoding (as in the evaluation file), one for self-assessed, appraised and
  final values: a decimal string, true/false, or {"numerator": "...", "denominator": "..."}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from parindex.core.text import fold
from parindex.engine.evalfile import num
from parindex.engine.model import Ratio, Rule, Value
from parindex.engine.rules import check_value

EMPTY_TEXT: Final = "—"
"""How an empty value is shown, everywhere (screens, history, audit summaries)."""
NOT_APPLICABLE_TEXT: Final = "không áp dụng"
MAX_NUMBER_TEXT: Final = 40
"""Longest number text read (as the forms' inputs)."""

TRUE_WORDS: Final = frozenset({"true", "1", "co", "dat", "yes", "on", "x"})
FALSE_WORDS: Final = frozenset({"false", "0", "khong", "khong dat", "no", "off"})
"""Yes/no as typed, compared after :func:`~parindex.core.text.fold` ("Có" → "co")."""

EXAMPLES: Final = "ví dụ: 12; 1,5; 1.234,5"

_DIGITS = re.compile(r"[0-9]+")
_COMMA_DECIMAL = re.compile(r"[0-9]*,[0-9]+")  # 1,5  ,5
_DOT_DECIMAL = re.compile(r"[0-9]*\.[0-9]+")  # 1.5  .5  (1.234: see _GROUPED)
_GROUPED = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")  # 1.234  1.234.567
_GROUPED_DECIMAL = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+,[0-9]+")  # 1.234,5
_ENGLISH = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+")  # 1,234.5
_EXPONENT = re.compile(r"[0-9.,]+[eE][+-]?[0-9]+")  # 1e3
_SPACES = " \t\r\n\u00a0\u202f"

_LABELS: Final = {
    "manual": "điểm tự chấm",
    "boolean": "đạt / không đạt",
    "ratio": "tỷ lệ (tử số / mẫu số)",
    "percent": "tỷ lệ phần trăm",
    "tiers": "giá trị đo được",
    "deduction": "số lần",
}
_SUFFIXES: Final = {"manual": " điểm", "percent": "%", "deduction": " lần"}


class BadValue(Exception):
    """Input that is not a value for the leaf. ``problem`` is a short Vietnamese phrase (no
    criterion, no final period); ``key`` the input it is about: "value", "numerator" or
    "denominator"."""

    def __init__(self, problem: str, key: str = "value") -> None:
        super().__init__(problem)
        self.problem = problem
        self.key = key

    def message(self, code: str, label: str) -> str:
        """The problem as a sentence naming the criterion and what was typed."""
        return f"Tiêu chí {code}, {label}: {self.problem}."


def input_label(rule_type: str, *, appraisal: bool = False) -> str:
    """What is typed for a leaf with this rule, as a field label in messages."""
    if appraisal and rule_type == "manual":
        return "điểm thẩm định"
    return _LABELS.get(rule_type, "giá trị")


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip(_SPACES))


def _shown(raw: Any) -> str:
    return "".join(ch for ch in str(raw) if ch.isprintable())[:MAX_NUMBER_TEXT]


def _not_a_number(raw: Any) -> BadValue:
    return BadValue(f"“{_shown(raw)}” không phải là một số ({EXAMPLES})")


def parse_number(raw: Any, *, whole: bool = False, percent: bool = False) -> Decimal:
    """A number typed the Vietnamese way or sent as JSON.

    Decimal comma ("1,5", ",5"), or a dot when it cannot be a thousands separator ("1.5",
    ".5", "1.2345"); dots between groups of three digits are thousands separators when the
    number also has a decimal comma ("1.234,5"), has several groups ("1.234.567") or must be
    whole (``whole``: "1.234" = 1234); otherwise "1.234" is ambiguous and refused. A final
    "%" only when ``percent``. Surrounding spaces are ignored; signs are kept (the rules
    refuse negatives). Exponents, infinities, other digits and anything else are refused.
    ``bool`` is not a number here: callers that let the engine name it pass it on first.
    """
    if isinstance(raw, bool):
        raise _not_a_number(raw)
    if isinstance(raw, int):
        if raw.bit_length() > 128:
            raise BadValue(f"số dài quá {MAX_NUMBER_TEXT} chữ số")
        return Decimal(raw)
    if isinstance(raw, float | Decimal):
        number = Decimal(repr(raw)) if isinstance(raw, float) else raw
        if not number.is_finite():
            raise _not_a_number(raw)
        return number if number else abs(number)
    if not isinstance(raw, str):
        raise _not_a_number(raw)
    text = raw.strip(_SPACES)
    if len(text) > MAX_NUMBER_TEXT:
        raise BadValue(f"“{_shown(text)}…” dài quá {MAX_NUMBER_TEXT} ký tự")
    if text.endswith("%"):
        if not percent:
            raise BadValue(
                f"“{_shown(text)}”: chỉ tiêu chí chấm theo tỷ lệ phần trăm mới nhập dấu %;"
                " hãy nhập số không kèm dấu %"
            )
        text = text[:-1].rstrip(_SPACES)
    sign, body = ("-", text[1:]) if text.startswith("-") else ("", text.removeprefix("+"))
    if _DIGITS.fullmatch(body) or (_DOT_DECIMAL.fullmatch(body) and not _GROUPED.fullmatch(body)):
        plain = body
    elif _COMMA_DECIMAL.fullmatch(body):
        plain = body.replace(",", ".")
    elif _GROUPED_DECIMAL.fullmatch(body):
        plain = body.replace(".", "").replace(",", ".")
    elif _GROUPED.fullmatch(body):
        if not whole and body.count(".") == 1:
            digits, comma = body.replace(".", ""), body.replace(".", ",")
            raise BadValue(
                f"“{_shown(text)}” không rõ là số nào: nhập {sign}{digits} nếu là số nguyên"
                f" (dấu chấm phân cách hàng nghìn), hoặc {sign}{comma} nếu là số thập phân"
            )
        plain = body.replace(".", "")
    elif _ENGLISH.fullmatch(body):
        raise BadValue(
            f"“{_shown(text)}” không rõ là số nào: dùng dấu phẩy cho phần thập phân và dấu"
            " chấm phân cách hàng nghìn (ví dụ: 1.234,5)"
        )
    elif _EXPONENT.fullmatch(body):
        raise BadValue(
            f"“{_shown(text)}” không phải là một số viết được ở đây: không dùng dạng số mũ,"
            " hãy viết đủ các chữ số (ví dụ: 1000)"
        )
    else:
        raise _not_a_number(raw)
    try:
        number = Decimal(sign + plain)
    except InvalidOperation:  # pragma: no cover - the patterns admit only numbers
        raise _not_a_number(raw) from None
    return number if number else abs(number)  # never "-0"


def parse_boolean(raw: Any) -> bool:
    """Yes/no: a JSON boolean, 1/0, or the words "có/không", "đạt/không đạt", "true/false",
    "1/0", "yes/no", a checkbox's "on" (any case, with or without diacritics)."""
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int | Decimal) and raw in (0, 1):
        return bool(raw)
    folded = fold(raw) if isinstance(raw, str) else ""
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    raise BadValue("cần chọn “Đạt” hoặc “Không đạt” (nhập có/không, đạt/không đạt hoặc 1/0)")


_PARTS: Final = (("numerator", "tử số"), ("denominator", "mẫu số"))


def parse_ratio(raw: Any) -> Ratio | None:
    """A ratio b/a: {"numerator": b, "denominator": a} (two inputs or JSON), "b/a" typed in
    one input ("7/9"), or a :class:`Ratio`; None when both parts are empty."""
    if isinstance(raw, Ratio):
        return raw
    if isinstance(raw, str) and "/" in raw:
        top, _, bottom = raw.partition("/")
        if "/" in bottom:
            raise BadValue(f"“{_shown(raw)}”: cần đúng một tử số và một mẫu số (ví dụ: 7/9)")
        raw = {"numerator": top, "denominator": bottom}
    if not isinstance(raw, Mapping):
        raise BadValue("cần nhập tử số và mẫu số (ví dụ: 7/9)")
    parts = [raw.get(key) for key, _ in _PARTS]
    if all(is_blank(part) for part in parts):
        return None
    numbers: list[Decimal] = []
    for (key, label), part in zip(_PARTS, parts, strict=True):
        if is_blank(part):
            raise BadValue(f"cần nhập {label}", key)
        try:
            numbers.append(parse_number(part))
        except BadValue as bad:
            raise BadValue(f"{label}: {bad.problem}", key) from None
    return Ratio(numbers[0], numbers[1])


def _takes_ratio(rule: Rule, raw: Any) -> bool:
    if rule.type == "ratio":
        return True
    return rule.type == "tiers" and (
        isinstance(raw, Mapping | Ratio) or (isinstance(raw, str) and "/" in raw)
    )


def parse_input(raw: Any, rule: Rule, max_points: Decimal) -> Value | None:
    """The engine value of what was typed or sent for a leaf with ``rule`` and
    ``max_points``, checked by the engine's own rule check; None when nothing was entered.

    Strings follow :func:`parse_number`, :func:`parse_boolean` and :func:`parse_ratio`;
    JSON numbers, booleans and {"numerator", "denominator"} objects map directly (a boolean
    given for a number is passed on, so the engine's check names it). Raises
    :class:`BadValue`.
    """
    if is_blank(raw):
        return None
    kind = rule.type
    parsed: Value | None
    if kind == "boolean":
        parsed = parse_boolean(raw)
    elif _takes_ratio(rule, raw):
        parsed = parse_ratio(raw)
    elif isinstance(raw, Mapping | Ratio) or (isinstance(raw, str) and "/" in raw):
        raise BadValue("cần một số, không phải tỷ lệ")
    elif isinstance(raw, bool):
        parsed = raw
    else:
        parsed = parse_number(raw, whole=kind == "deduction", percent=kind == "percent")
    if parsed is None:
        return None
    if problem := value_problem(rule, max_points, parsed):
        key = "value"
        if isinstance(parsed, Ratio):
            key = "denominator" if parsed.denominator <= 0 else "numerator"
        raise BadValue(problem, key)
    if isinstance(parsed, Decimal) and parsed < 0:  # tiers: thresholds are never negative
        raise BadValue(f"giá trị {number_text(parsed)} không được âm")
    return parsed


def value_problem(rule: Rule, max_points: Decimal, value: Value) -> str | None:
    """Why ``value`` is refused for a leaf, in plain Vietnamese for people, or None.

    The engine's own check (:func:`~parindex.engine.rules.check_value`) decides; its words
    belong to the ``parindex evaluate`` contract ("0..100", "numerator 900 > denominator
    739"), so the web says the same thing its own way, numbers with a decimal comma.
    """
    problem = check_value(rule, max_points, value)
    if problem is None or isinstance(value, bool):
        return problem
    kind = rule.type
    if isinstance(value, Ratio):
        b, a = number_text(value.numerator), number_text(value.denominator)
        if value.denominator <= 0:
            return f"mẫu số {a} phải lớn hơn 0"
        if value.numerator < 0:
            return f"tử số {b} không được âm"
        return f"tử số {b} lớn hơn mẫu số {a}"
    if not isinstance(value, Decimal):  # pragma: no cover - values are parsed first
        return problem
    shown = number_text(value)
    if kind == "manual":
        return f"điểm {shown} phải từ 0 đến {number_text(max_points)}"
    if kind == "percent":
        return f"tỷ lệ {shown}% phải từ 0 đến 100"
    if kind == "deduction":
        return f"số lần {shown} phải là số nguyên không âm"
    return problem


# --------------------------------------------------------------------------- stored values


def stored_to_engine(stored: Any) -> Value:
    """A stored JSON value as the engine's value (raises on malformed data)."""
    if isinstance(stored, bool):
        return stored
    if isinstance(stored, dict):
        return Ratio(Decimal(str(stored["numerator"])), Decimal(str(stored["denominator"])))
    return Decimal(str(stored))


def read_stored(stored: Any) -> Value | None:
    """A stored JSON value as the engine's value; None when empty or unreadable."""
    if stored is None:
        return None
    try:
        parsed = stored_to_engine(stored)
    except (InvalidOperation, KeyError, TypeError, ValueError):
        return None
    if isinstance(parsed, Ratio):
        finite = parsed.numerator.is_finite() and parsed.denominator.is_finite()
        return parsed if finite else None
    return parsed if not isinstance(parsed, Decimal) or parsed.is_finite() else None


def number_text(number: Decimal) -> str:
    """A number the Vietnamese way: decimal comma, no needless zeros ("2,5", "1234")."""
    return num(number).replace(".", ",")


def value_text(stored: Any, rule_type: str | None = None, *, not_applicable: bool = False) -> str:
    """A stored value in words: "Đạt", "7/9", "87,5%", "3 lần", "2,5 điểm" (the unit from
    ``rule_type`` when given), "không áp dụng", "—" when empty."""
    if not_applicable:
        return NOT_APPLICABLE_TEXT
    parsed = read_stored(stored)
    if parsed is None:
        return EMPTY_TEXT if stored is None else _shown(stored)
    if isinstance(parsed, bool):
        return "Đạt" if parsed else "Không đạt"
    if isinstance(parsed, Ratio):
        return f"{number_text(parsed.numerator)}/{number_text(parsed.denominator)}"
    return number_text(parsed) + _SUFFIXES.get(rule_type or "", "")
