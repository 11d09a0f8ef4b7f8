"""Checking an import file against the period: the header row against the template's
columns, then every row (the form's code, the unit of the sample plan, the date, the channel,
the answers on the questionnaire's scale, the respondent's choices, the comment), each
problem a Vietnamese message naming the row and the column."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from parindex.core.text import fold
from parindex.periods.models import Period
from parindex.surveys.import_template import (
    CHANNEL,
    COMMENT,
    DATE,
    KEY,
    MAX_COMMENT,
    MAX_KEY,
    UNIT,
    template_headers,
)
from parindex.surveys.models import Channel, Questionnaire, SamplePlan
from parindex.surveys.selectors import question_codes

MAX_ERRORS = 200
"""Messages kept per import; the count of the others is added."""

_fold = functools.lru_cache(maxsize=4096)(fold)
"""fold() of the cells that repeat on every row (channel, respondent choices)."""


@dataclass(slots=True)
class Parsed:
    key: str
    unit_id: int
    collected_on: datetime.date | None
    channel: str
    answers: dict[str, int | None]
    respondent: dict[str, str]
    comment: str


@dataclass
class RowChecker:
    """What an import checks its rows against, and the problems found so far (the first
    :data:`MAX_ERRORS` messages, and their count)."""

    questionnaire: Questionnaire
    period: Period
    units: dict[str, int] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)
    questions: list[str] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    question_at: list[tuple[str, int | None]] = field(default_factory=list)
    """(code, column index) of the scale questions, from ``columns``."""
    scale: dict[str, int] = field(default_factory=dict)
    """The usual spelling of each scale value ("1" → 1)."""
    headers: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    problem_count: int = 0
    fast: _FastColumns | None = None
    """The header's column positions for :meth:`_fast_row` (set by :meth:`header`)."""

    @classmethod
    def build(cls, questionnaire: Questionnaire, period: Period) -> RowChecker:
        checker = cls(questionnaire=questionnaire, period=period)
        checker.units = {
            code.upper(): unit_id
            for code, unit_id in SamplePlan.objects.filter(
                period=period, surveyed=True
            ).values_list("unit__code", "unit_id")
        }
        for value, label in Channel.choices:
            checker.channels[fold(value)] = value
            checker.channels[fold(label)] = value
        checker.questions = question_codes(questionnaire)
        checker.question_at = [(code, None) for code in checker.questions]
        checker.scale = {
            str(v): v for v in range(questionnaire.scale_min, questionnaire.scale_max + 1)
        }
        for question in questionnaire.respondent_questions.all():
            checker.choices[question.code] = {fold(c): c for c in question.choices}
        return checker

    def problem(self, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_ERRORS:
            self.problems.append(message)

    def messages(self) -> list[str]:
        """The messages kept, and how many others there were."""
        messages = list(self.problems)
        if self.problem_count > len(messages):
            messages.append(f"… và {self.problem_count - len(messages)} lỗi khác.")
        return messages

    def header(self, row: Sequence[str]) -> bool:
        expected = template_headers(self.questionnaire)
        wanted = {fold(h): h for h in expected}
        seen: dict[str, int] = {}
        for index, raw in enumerate(row):
            if not raw:
                continue
            name = wanted.get(fold(raw))
            if name is None and raw.startswith("'"):  # made inert by an export (a "-" code)
                name = wanted.get(fold(raw[1:]))
            if name is None:
                self.problem(
                    f"Dòng 1, cột {index + 1}: tiêu đề “{raw[:40]}” không có trong mẫu nhập "
                    "(tải mẫu của kỳ đánh giá để xem các cột)."
                )
            elif name in seen:
                self.problem(f"Dòng 1, cột {index + 1}: cột “{name}” bị lặp.")
            else:
                seen[name] = index
        for required in (KEY, UNIT, *self.questions):
            if required not in seen:
                self.problem(f"Dòng 1: thiếu cột “{required}”.")
        self.columns = seen
        self.question_at = [(code, seen.get(code)) for code in self.questions]
        self.headers = list(row)
        if not self.problem_count:
            self.fast = _FastColumns.of(self, seen)
        return not self.problem_count

    def row(self, number: int, row: Sequence[str]) -> Parsed | None:
        """The row's form, or None after recording its problems (row ``number``)."""
        if self.fast is not None and (parsed := self._fast_row(self.fast, row)) is not None:
            return parsed
        return self._checked_row(number, row)

    def _fast_row(self, at: _FastColumns, row: Sequence[str]) -> Parsed | None:
        """The form of a row that :meth:`_checked_row` accepts, read straight from its
        columns (a million-row import spends its time here); None for any row that needs a
        closer look — too short, a blank or unknown code, anything not in the usual
        spelling — which :meth:`_checked_row` then checks and explains. It accepts nothing
        that one refuses and gives the same form."""
        if len(row) < at.width:
            return None
        key = row[at.key]
        unit_id = self.units.get(row[at.unit].upper())
        if not key or len(key) > MAX_KEY or unit_id is None:
            return None
        collected: datetime.date | None = None
        if at.date >= 0 and (raw := row[at.date]):
            collected = _date(raw)
            if collected is None:
                return None
        channel = Channel.INTERVIEW.value
        if at.channel >= 0 and (raw := row[at.channel]):
            found = self.channels.get(_fold(raw))
            if found is None:
                return None
            channel = found
        values = at.values
        try:
            answers = {code: values[row[index]] for code, index in at.questions}
        except KeyError:
            return None
        respondent: dict[str, str] = {}
        for code, index, allowed in at.respondent:
            if raw := row[index]:
                choice = allowed.get(_fold(raw))
                if choice is None:
                    return None
                respondent[code] = choice
        comment = row[at.comment].replace("\x00", "") if at.comment >= 0 else ""
        if len(comment) > MAX_COMMENT:
            return None
        return Parsed(key, unit_id, collected, channel, answers, respondent, comment)

    def _checked_row(self, number: int, row: Sequence[str]) -> Parsed | None:
        """Check every cell of the row, recording a message for each problem."""
        size = len(row)

        def get(column: str) -> str:
            index = self.columns.get(column)
            return row[index] if index is not None and index < size else ""

        where = f"Dòng {number}"
        before = self.problem_count
        key = get(KEY)
        if not key:
            self.problem(f"{where}, cột “{KEY}”: chưa có mã phiếu.")
        elif len(key) > MAX_KEY:
            self.problem(f"{where}, cột “{KEY}”: mã phiếu dài quá {MAX_KEY} ký tự.")
        unit_code = get(UNIT)
        unit_id = self.units.get(unit_code.upper())
        if not unit_code:
            self.problem(f"{where}, cột “{UNIT}”: chưa có mã đơn vị.")
        elif unit_id is None:
            self.problem(
                f"{where}, cột “{UNIT}”: đơn vị “{unit_code[:40]}” không thuộc diện khảo sát "
                f"của {self.period.name}."
            )
        collected: datetime.date | None = None
        if raw_date := get(DATE):
            collected = _date(raw_date)
            if collected is None:
                self.problem(
                    f"{where}, cột “{DATE}”: “{raw_date[:20]}” không phải ngày (dạng 15/10/2025)."
                )
        channel = Channel.INTERVIEW.value
        if raw_channel := get(CHANNEL):
            found = self.channels.get(_fold(raw_channel))
            if found is None:
                self.problem(
                    f"{where}, cột “{CHANNEL}”: “{raw_channel[:30]}” không phải hình thức "
                    f"khảo sát ({'; '.join(Channel.labels)})."
                )
            else:
                channel = found
        answers: dict[str, int | None] = {}
        low, high = self.questionnaire.scale_min, self.questionnaire.scale_max
        scale = self.scale
        for code, index in self.question_at:
            raw = row[index] if index is not None and index < size else ""
            if not raw:
                answers[code] = None
            elif (value := scale.get(raw)) is not None:
                answers[code] = value
            elif raw.isascii() and raw.isdigit() and len(raw) <= 6 and low <= int(raw) <= high:
                answers[code] = int(raw)
            else:
                self.problem(f"{where}, cột “{code}”: “{raw[:20]}” không phải mức {low}..{high}.")
        respondent: dict[str, str] = {}
        for code, allowed in self.choices.items():
            raw = get(code)
            if not raw:
                continue
            choice = allowed.get(_fold(raw))
            if choice is None:
                self.problem(
                    f"{where}, cột “{code}”: “{raw[:30]}” không phải lựa chọn của phiếu "
                    f"({'; '.join(allowed.values())})."
                )
            else:
                respondent[code] = choice
        comment = get(COMMENT).replace("\x00", "")
        if len(comment) > MAX_COMMENT:
            self.problem(
                f"{where}, cột “{COMMENT}”: dài {len(comment)} ký tự, tối đa {MAX_COMMENT}."
            )
        if self.problem_count > before or unit_id is None:
            return None
        return Parsed(key, unit_id, collected, channel, answers, respondent, comment)


@dataclass(frozen=True, slots=True)
class _FastColumns:
    """Where :meth:`RowChecker._fast_row` finds each cell (-1: the file has no such column)."""

    width: int
    key: int
    unit: int
    date: int
    channel: int
    comment: int
    questions: tuple[tuple[str, int], ...]
    respondent: tuple[tuple[str, int, dict[str, str]], ...]
    values: dict[str, int | None]
    """The usual spelling of each answer: "" → None (blank), "1" → 1, …"""

    @classmethod
    def of(cls, checker: RowChecker, columns: dict[str, int]) -> _FastColumns:
        questions = tuple((code, columns[code]) for code in checker.questions)
        respondent = tuple(
            (code, columns[code], allowed)
            for code, allowed in checker.choices.items()
            if code in columns
        )
        return cls(
            width=max(columns.values()) + 1,
            key=columns[KEY],
            unit=columns[UNIT],
            date=columns.get(DATE, -1),
            channel=columns.get(CHANNEL, -1),
            comment=columns.get(COMMENT, -1),
            questions=questions,
            respondent=respondent,
            values={"": None, **checker.scale},
        )


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> datetime.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None
