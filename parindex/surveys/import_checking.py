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
        return not self.problem_count

    def row(self, number: int, row: Sequence[str]) -> Parsed | None:
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


@functools.lru_cache(maxsize=4096)
def _date(text: str) -> datetime.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    return None
