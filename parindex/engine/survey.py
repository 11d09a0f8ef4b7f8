"""Citizen-satisfaction survey (khảo sát sự hài lòng): from the forms (phiếu) citizens fill
in to each unit's satisfaction index and its survey points.

A questionnaire has factors (yếu tố), each with one or more questions answered on an
integer scale (1 = rất không hài lòng … 5 = rất hài lòng by default); a question may be
left blank. For each unit:

- a form is *valid* when at least ``min_answered_share`` of all the questionnaire's
  questions are answered; invalid forms are counted and otherwise ignored;
- a factor's *rate* is the share of its answers (on valid forms) at or above
  ``satisfied_at``, in percent;
- the *index* is the weighted mean of the rates of the factors that have answers (their
  weights renormalised over those factors);
- the *points* are ``clamp(a × index + b, 0, survey_max)``, rounded as configured.

:func:`compute` streams: it reads each form once and keeps only integer counters per unit
(a histogram of the answer values per factor). Every number derived from them is an exact
fraction of integers until one final ``Decimal`` division, so points land on the right side
of a rounding boundary: 1/3 + 2/3 is exactly 1, never 0.99.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from math import lcm
from operator import countOf
from typing import Final

from parindex.engine.errors import InputError
from parindex.engine.model import HUNDRED, ZERO, Rounding

PRECISION: Final = 28
"""Significant digits of the reported non-terminating numbers (rates, means, index, margin
of error). Points are computed from the exact fractions, not from these."""

Z_95: Final = Decimal("1.96")
"""z-score of a 95 % confidence level, for the margin of error."""

STANDARD_FACTOR_NAMES: Final = (
    "Tiếp cận dịch vụ",
    "Thủ tục hành chính",
    "Công chức giải quyết công việc",
    "Kết quả dịch vụ",
    "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
)
"""The five factors of the standard questionnaire, in order."""

DISPLAY_ROUNDING: Final = Rounding("half_up", 2)


@dataclass(frozen=True, slots=True)
class FactorDef:
    """A factor of the questionnaire: its questions (codes, e.g. column headers of the
    import file) and its weight in the index."""

    code: str
    name: str
    questions: tuple[str, ...]
    weight: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Conversion:
    """Index (percent) to points: ``a × index + b``, then clamped to ``0..survey_max``."""

    a: Decimal
    b: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class SurveyConfig:
    """Everything about a survey that affects numbers. Check it with :func:`check_config`;
    :func:`compute` refuses an invalid one."""

    factors: tuple[FactorDef, ...]
    survey_max: Decimal
    """Points of the survey component (e.g. 10)."""
    scale_min: int = 1
    scale_max: int = 5
    satisfied_at: int = 4
    """An answer counts as satisfied when its value is at least this."""
    min_answered_share: Decimal = Decimal("0.5")
    """A form is valid when at least this share of all the questions are answered."""
    min_forms: int = 30
    """A unit with fewer valid forms is flagged ``too_few`` (it is still scored)."""
    conversion: Conversion | None = None
    """None: ``index × survey_max ÷ 100`` (see :attr:`effective_conversion`)."""
    rounding: Rounding = Rounding()
    """How points are rounded (mode and places)."""

    @property
    def effective_conversion(self) -> Conversion:
        if self.conversion is not None:
            return self.conversion
        return Conversion(a=self.survey_max.scaleb(-2), b=ZERO)  # exact: survey_max ÷ 100

    @property
    def questions(self) -> tuple[str, ...]:
        """Every question code, factor by factor."""
        return tuple(code for factor in self.factors for code in factor.questions)


@dataclass(frozen=True, slots=True)
class Form:
    """One filled-in form: question code → answer, None (or an absent code) when blank."""

    unit: str
    answers: Mapping[str, int | None]


@dataclass(frozen=True, slots=True)
class FactorResult:
    code: str
    answers: int
    """Answers to the factor's questions on valid forms."""
    satisfied: int
    """Answers at or above ``satisfied_at``."""
    rate: Decimal | None
    """satisfied ÷ answers × 100 (percent), None without answers."""
    mean_score: Decimal | None
    """Mean answer value, None without answers."""
    distribution: tuple[int, ...]
    """Number of answers of each value, ``scale_min`` first."""


@dataclass(frozen=True, slots=True)
class UnitSurvey:
    unit: str
    forms: int
    """Every form received."""
    valid_forms: int
    invalid_forms: int
    factors: tuple[FactorResult, ...]
    index: Decimal | None
    """Weighted mean of the factor rates (percent), None when no factor with a positive
    weight has answers."""
    margin_of_error: Decimal | None
    """95 % margin of error of the index, in percentage points, treating the index as a
    proportion of ``valid_forms`` respondents; None without an index."""
    too_few: bool
    """Fewer valid forms than ``min_forms``."""
    points: Decimal | None
    """Survey points, rounded per the config; None without an index (the caller decides
    what a unit without valid forms gets)."""

    def factor(self, code: str) -> FactorResult:
        for result in self.factors:
            if result.code == code:
                return result
        raise KeyError(code)


def standard_factors(question_counts: Sequence[int] = (1, 1, 1, 1, 1)) -> tuple[FactorDef, ...]:
    """The five standard factors (codes ``YT1``..``YT5``, weight 1) with the given number
    of questions each, coded ``Q1``, ``Q2``, … consecutively across factors."""
    if len(question_counts) != len(STANDARD_FACTOR_NAMES):
        raise ValueError(f"need {len(STANDARD_FACTOR_NAMES)} question counts")
    factors: list[FactorDef] = []
    first = 1
    for number, (name, count) in enumerate(
        zip(STANDARD_FACTOR_NAMES, question_counts, strict=True), 1
    ):
        if count < 1:
            raise ValueError("every factor needs at least one question")
        questions = tuple(f"Q{q}" for q in range(first, first + count))
        factors.append(FactorDef(f"YT{number}", name, questions))
        first += count
    return tuple(factors)


def rounded(value: Decimal | None, rounding: Rounding = DISPLAY_ROUNDING) -> Decimal | None:
    """``value`` rounded for display (half-up, 2 places by default); None stays None."""
    return None if value is None else rounding.apply(value)


# -- validation


def check_config(config: SurveyConfig) -> list[str]:
    """Every problem of ``config``, as Vietnamese messages (empty when it is valid)."""
    problems: list[str] = []
    if not config.factors:
        problems.append("bộ câu hỏi không có yếu tố nào")
    factor_codes: set[str] = set()
    owner: dict[str, str] = {}
    for factor in config.factors:
        if not factor.code.strip():
            problems.append(f"yếu tố {factor.name!r}: mã yếu tố trống")
        elif factor.code in factor_codes:
            problems.append(f"mã yếu tố {factor.code} bị trùng")
        factor_codes.add(factor.code)
        if not factor.questions:
            problems.append(f"yếu tố {factor.code}: không có câu hỏi nào")
        for question in factor.questions:
            if not question.strip():
                problems.append(f"yếu tố {factor.code}: mã câu hỏi trống")
            elif question in owner:
                problems.append(
                    f"mã câu hỏi {question} bị trùng (yếu tố {owner[question]}"
                    f" và yếu tố {factor.code})"
                    if owner[question] != factor.code
                    else f"mã câu hỏi {question} bị trùng trong yếu tố {factor.code}"
                )
            else:
                owner[question] = factor.code
        if not factor.weight.is_finite():
            problems.append(f"yếu tố {factor.code}: trọng số {factor.weight} không hợp lệ")
        elif factor.weight < 0:
            problems.append(f"yếu tố {factor.code}: trọng số {factor.weight} không được âm")
    weights = [f.weight for f in config.factors if f.weight.is_finite() and f.weight > 0]
    if config.factors and not weights:
        problems.append("tổng trọng số các yếu tố phải lớn hơn 0")

    if config.scale_min >= config.scale_max:
        problems.append(
            f"thang điểm: giá trị nhỏ nhất ({config.scale_min}) phải nhỏ hơn"
            f" giá trị lớn nhất ({config.scale_max})"
        )
    elif not config.scale_min <= config.satisfied_at <= config.scale_max:
        problems.append(
            f"mức hài lòng (satisfied_at) {config.satisfied_at} nằm ngoài thang"
            f" {config.scale_min}..{config.scale_max}"
        )
    share = config.min_answered_share
    if not share.is_finite() or not ZERO <= share <= 1:
        problems.append(f"tỷ lệ câu trả lời tối thiểu {share} nằm ngoài khoảng 0..1")
    if config.min_forms < 1:
        problems.append(f"số phiếu tối thiểu {config.min_forms} phải lớn hơn hoặc bằng 1")
    survey_max, places = config.survey_max, config.rounding.places
    if not survey_max.is_finite() or survey_max < 0:
        problems.append(f"điểm tối đa khảo sát (survey_max) {survey_max} phải là một số >= 0")
    elif config.rounding.apply(survey_max) != survey_max:
        # Rounded points could exceed the maximum (7.5 rounds half-up to 8).
        problems.append(
            f"điểm tối đa khảo sát (survey_max) {survey_max} có nhiều hơn {places}"
            " chữ số thập phân (số chữ số làm tròn)"
        )
    if config.conversion is not None:
        for name, value in (("a", config.conversion.a), ("b", config.conversion.b)):
            if not value.is_finite():
                problems.append(f"quy đổi điểm: hệ số {name} = {value} không hợp lệ")
    return problems


def check_form(config: SurveyConfig, form: Form, where: str) -> list[str]:
    """Every problem of one form, each message prefixed with ``where`` (e.g. ``dòng 12``
    gives ``dòng 12, cột Q3: …``). A valid config is assumed. Too few answers is not a
    problem: such a form is counted as invalid by :func:`compute`."""
    problems: list[str] = []
    if not isinstance(form.unit, str) or not form.unit.strip():
        problems.append(_at(where, f"thiếu mã đơn vị ({form.unit!r})"))
    known = frozenset(config.questions)
    low, high = config.scale_min, config.scale_max
    for code, value in form.answers.items():
        column = _at(where, f"cột {code}")
        if code not in known:
            problems.append(f"{column}: không có câu hỏi {code} trong bộ câu hỏi")
        elif value is None:
            continue
        elif isinstance(value, bool):
            problems.append(f"{column}: cần một số nguyên {low}..{high}, không phải true/false")
        elif type(value) is not int:
            problems.append(f"{column}: cần một số nguyên {low}..{high}, không phải {value!r}")
        elif not low <= value <= high:
            problems.append(f"{column}: giá trị {value} nằm ngoài thang {low}..{high}")
    return problems


def _at(where: str, detail: str) -> str:
    return f"{where}, {detail}" if where else detail


# -- computation

_VALID: Final = 0
_INVALID: Final = 1
_HEADER: Final = 2
"""Counter layout per unit: [valid forms, invalid forms, then one histogram per factor]."""


class _Plan:
    """A valid config compiled for counting: where each question's histogram starts, and
    every Decimal of the config as an exact integer ratio."""

    def __init__(self, config: SurveyConfig) -> None:
        problems = check_config(config)
        if problems:
            raise InputError(problems)
        self.config = config
        self.low, self.high = config.scale_min, config.scale_max
        self.width = self.high - self.low + 1
        self.size = _HEADER + self.width * len(config.factors)
        self.known = frozenset(config.questions)
        # counts[offset[code] + value] is the counter of that answer value.
        self.offset: dict[str, int] = {}
        for i, factor in enumerate(config.factors):
            for question in factor.questions:
                self.offset[question] = _HEADER + i * self.width - self.low
        share, share_of = config.min_answered_share.as_integer_ratio()
        self.needed = -(-share * len(self.known) // share_of)  # ⌈share × questions⌉
        denominators = [f.weight.as_integer_ratio()[1] for f in config.factors]
        common = lcm(*denominators)
        self.weights = [
            n * (common // d) for n, d in (f.weight.as_integer_ratio() for f in config.factors)
        ]
        conversion = config.effective_conversion
        self.a = conversion.a.as_integer_ratio()
        self.b = conversion.b.as_integer_ratio()
        self.survey_max = config.survey_max.as_integer_ratio()

    def new_counts(self) -> list[int]:
        return [0] * self.size


def compute(
    config: SurveyConfig,
    forms: Iterable[Form],
    *,
    units: Iterable[str] = (),
    counted: Iterable[UnitCounts] = (),
) -> dict[str, UnitSurvey]:
    """Each unit's survey result, keyed by unit code in sorted order. ``forms`` is read once
    (a generator is fine); ``units`` are reported even when they received no form;
    ``counted`` are forms counted elsewhere (:class:`UnitCounts`), added to the same
    counters, so that counted forms give exactly the numbers the forms themselves give.

    Raises :class:`InputError` for an invalid config (the :func:`check_config` messages),
    at the first form :func:`check_form` would reject (``phiếu thứ N`` counts from 1), or
    for counts that no forms can give (:func:`_add_counts`).
    """
    plan = _Plan(config)
    counters: dict[str, list[int]] = {}
    for unit in units:
        if type(unit) is not str or not unit.strip():
            raise InputError([f"mã đơn vị {unit!r} không hợp lệ"])
        counters[unit] = plan.new_counts()
    for item in counted:
        _add_counts(plan, counters, item)
    known, offset, needed = plan.known, plan.offset, plan.needed
    low, high = plan.low, plan.high
    # Hot loop (a million forms): plain int counters, blanks counted in C, one dict lookup
    # per answer. ``offset[code]`` raises KeyError for an unknown question, blank or not.
    for number, form in enumerate(forms, 1):
        unit = form.unit
        counts = counters.get(unit)
        if counts is None:
            if type(unit) is not str or not unit.strip():
                raise _bad_form(config, form, number)
            counts = counters[unit] = plan.new_counts()
        answers = form.answers
        try:
            if len(answers) - countOf(answers.values(), None) >= needed:
                counts[_VALID] += 1
                for code, value in answers.items():
                    base = offset[code]
                    if value is not None:
                        if type(value) is not int or value < low or value > high:
                            raise _bad_form(config, form, number)
                        counts[base + value] += 1
            else:
                counts[_INVALID] += 1
                if not known.issuperset(answers):
                    raise _bad_form(config, form, number)
                for value in answers.values():
                    if value is not None and (
                        type(value) is not int or value < low or value > high
                    ):
                        raise _bad_form(config, form, number)
        except KeyError:
            raise _bad_form(config, form, number) from None
    return {unit: _finish(plan, unit, counters[unit]) for unit in sorted(counters)}


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """A unit's forms counted elsewhere (the database aggregates a million forms faster
    than it can hand them over one by one): how many forms were valid (at least
    :func:`answers_needed` answers) and invalid, and for each question how many *valid*
    forms gave each value, ``scale_min`` first. Several for one unit add up."""

    unit: str
    valid_forms: int
    invalid_forms: int
    answers: Mapping[str, Sequence[int]]


def answers_needed(config: SurveyConfig) -> int:
    """Answers (not blank) a form needs to be valid: ⌈min_answered_share × questions⌉."""
    return _Plan(config).needed


def _add_counts(plan: _Plan, counters: dict[str, list[int]], item: UnitCounts) -> None:
    """Add one unit's counted forms to its counters, after checking them: an unknown
    question, a negative or non-integer count, or a histogram not as wide as the scale is
    an :class:`InputError`."""
    _check_counts(plan, item)
    counts = counters.get(item.unit)
    if counts is None:
        counts = counters[item.unit] = plan.new_counts()
    counts[_VALID] += item.valid_forms
    counts[_INVALID] += item.invalid_forms
    for code, histogram in item.answers.items():
        start = plan.offset[code] + plan.low
        for i, count in enumerate(histogram):
            counts[start + i] += count


def _check_counts(plan: _Plan, item: UnitCounts) -> None:
    where = f"đơn vị {item.unit!r}"
    if type(item.unit) is not str or not item.unit.strip():
        raise InputError([f"mã đơn vị {item.unit!r} không hợp lệ"])
    problems = [
        f"{where}: số phiếu {name} {value!r} phải là số nguyên không âm"
        for name, value in (("hợp lệ", item.valid_forms), ("không hợp lệ", item.invalid_forms))
        if type(value) is not int or value < 0
    ]
    for code, histogram in item.answers.items():
        if code not in plan.known:
            problems.append(f"{where}: không có câu hỏi {code} trong bộ câu hỏi")
        elif len(histogram) != plan.width or any(type(n) is not int or n < 0 for n in histogram):
            problems.append(
                f"{where}, câu {code}: cần {plan.width} số đếm nguyên không âm (mức "
                f"{plan.low}..{plan.high}), không phải {list(histogram)!r}"
            )
    if problems:
        raise InputError(problems)


def compute_unit(
    config: SurveyConfig, forms: Iterable[Form], *, unit: str | None = None
) -> UnitSurvey:
    """One unit's survey result. Every form must be for ``unit`` (default: the first
    form's unit); without forms, ``unit`` is required and the result has no index."""
    expected = unit

    def checked() -> Iterator[Form]:
        nonlocal expected
        for number, form in enumerate(forms, 1):
            if expected is None:
                expected = form.unit
            elif form.unit != expected:
                raise InputError(
                    [f"phiếu thứ {number}: của đơn vị {form.unit!r}, không phải {expected!r}"]
                )
            yield form

    results = compute(config, checked(), units=() if unit is None else (unit,))
    if expected is None:
        raise InputError(["không có phiếu nào và không nêu đơn vị"])
    return results[expected]


def _bad_form(config: SurveyConfig, form: Form, number: int) -> InputError:
    return InputError(check_form(config, form, f"phiếu thứ {number}") or [f"phiếu thứ {number}"])


def _finish(plan: _Plan, unit: str, counts: list[int]) -> UnitSurvey:
    config, width, low = plan.config, plan.width, plan.low
    satisfied_from = config.satisfied_at - low
    factors: list[FactorResult] = []
    # The index as an exact fraction: Σ wᵢ·100·sᵢ/aᵢ ÷ Σ wᵢ over factors with answers.
    terms: list[tuple[int, int, int]] = []
    with localcontext() as ctx:
        ctx.prec = PRECISION
        for i, factor in enumerate(config.factors):
            start = _HEADER + i * width
            histogram = tuple(counts[start : start + width])
            answers = sum(histogram)
            satisfied = sum(histogram[satisfied_from:])
            rate: Decimal | None = None
            mean: Decimal | None = None
            if answers:
                total = sum(count * value for value, count in enumerate(histogram, low))
                rate = Decimal(100 * satisfied) / answers
                mean = Decimal(total) / answers
                terms.append((plan.weights[i], satisfied, answers))
            factors.append(FactorResult(factor.code, answers, satisfied, rate, mean, histogram))

        valid = counts[_VALID]
        index: Decimal | None = None
        margin: Decimal | None = None
        points: Decimal | None = None
        weight = sum(w for w, _, _ in terms)
        if weight:
            common = lcm(*(answers for _, _, answers in terms))
            numerator = 100 * sum(w * s * (common // a) for w, s, a in terms)
            denominator = common * weight  # index = numerator / denominator, exactly
            index = Decimal(numerator) / denominator
            margin = _margin_of_error(numerator, denominator, valid)
            points = _points(plan, numerator, denominator)

    return UnitSurvey(
        unit=unit,
        forms=valid + counts[_INVALID],
        valid_forms=valid,
        invalid_forms=counts[_INVALID],
        factors=tuple(factors),
        index=index,
        margin_of_error=margin,
        too_few=valid < config.min_forms,
        points=points,
    )


def _margin_of_error(numerator: int, denominator: int, n: int) -> Decimal | None:
    """1.96 × √(p(1 − p) ÷ n) × 100 with p = numerator ÷ (100 × denominator)."""
    if n == 0:
        return None
    scale = 100 * denominator
    variance = Decimal(numerator * (scale - numerator)) / (scale * scale * n)
    return Z_95 * variance.sqrt() * HUNDRED


def _points(plan: _Plan, numerator: int, denominator: int) -> Decimal:
    """clamp(a × index + b, 0, survey_max), rounded; exact up to the final rounding."""
    (an, ad), (bn, bd), (sn, sd) = plan.a, plan.b, plan.survey_max
    rounding = plan.config.rounding
    # x = a·N/D + b = (an·N·bd + bn·ad·D) / (ad·D·bd)
    top = an * numerator * bd + bn * ad * denominator
    bottom = ad * denominator * bd
    if top <= 0:
        return rounding.apply(ZERO)
    if top * sd >= sn * bottom:
        return rounding.apply(plan.config.survey_max)
    # One division, precise enough that no exact fraction off a rounding boundary can be
    # rounded onto or across it: |x − k·10⁻ᵖ| ≥ 1 / (bottom·10ᵖ) when not equal.
    with localcontext() as ctx:
        ctx.prec = max(PRECISION, len(str(top)) + max(rounding.places, 0) + 3)
        return rounding.apply(Decimal(top) / bottom)
