"""Bulk import of survey forms collected on paper or by a contractor (CSV or XLSX).

The file has one header row with the template's columns (:func:`template_headers`): the
form's code, the unit's code, the collection date, the channel, one column per scale
question (the question code), one per respondent question and the comment. Every row is
checked (Vietnamese messages naming the row and the column); if any row is wrong nothing is
stored. Re-importing a file already imported (same SHA-256) stores nothing again, and a row
whose form code is already stored with the same content is skipped, so overlapping batches
do not duplicate forms either.

An import reads the file once, in one transaction: every row is checked, and while no row
is wrong the checked rows are written in chunks (``COPY`` on PostgreSQL, ``bulk_create``
elsewhere); a wrong row anywhere rolls everything back, after the whole file was checked so
that every problem is reported. Progress goes to the batch through a second connection.

Every reader is bounded (:mod:`parindex.core.bounded`, settings ``IMPORT_MAX_*``): an XLSX
is measured unpacked before any reader opens it, in the web process when the file is
uploaded and again in the worker; a CSV field longer than the limit, a row with too many
columns or too many rows refuse the file with the line number. Any failure in the worker,
expected or not, leaves the batch FAILED with a Vietnamese reason (never "running"), and a
failed or interrupted batch (:mod:`parindex.surveys.jobs`) may be imported again.
"""

from __future__ import annotations

import csv
import datetime
import functools
import hashlib
import io
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.bounded import InputLimitError, check_shape, check_xlsx, limits
from parindex.core.cells import inert, inert_row
from parindex.core.progress import ProgressColumns
from parindex.core.text import fold
from parindex.periods.models import Period, PeriodStatus
from parindex.surveys import jobs
from parindex.surveys.models import (
    Channel,
    ImportBatch,
    Questionnaire,
    ResponseSource,
    SamplePlan,
    SurveyResponse,
)
from parindex.surveys.services import question_codes

logger = logging.getLogger(__name__)

KEY = "Mã phiếu"
UNIT = "Mã đơn vị"
DATE = "Ngày thu phiếu"
CHANNEL = "Hình thức"
COMMENT = "Góp ý"

MAX_FILE_MB = 200
MAX_ERRORS = 200
"""Messages kept per import; the count of the others is added."""
CHUNK = 5000
PROGRESS_EVERY = 20_000
ANALYZE_AFTER = 50_000
"""Rows stored by one import after which PostgreSQL's statistics of the table are renewed."""
MAX_KEY = 64
MAX_COMMENT = 4000
ZIPPED = (".xlsx", ".xlsm", ".ods")
"""Workbooks that are ZIP archives: measured unpacked before a reader opens them."""
IMPORT_FAILED = (
    "Không nhập được tệp do lỗi của hệ thống; không phiếu nào được lưu. Hãy thử lại sau ít "
    "phút, nếu vẫn không được hãy báo quản trị hệ thống."
)
"""What the page says of an unexpected error (the details go to the log, not the page)."""

_fold = functools.lru_cache(maxsize=4096)(fold)
"""fold() of the cells that repeat on every row (channel, respondent choices)."""


def template_headers(questionnaire: Questionnaire) -> list[str]:
    """The columns of the import file, in order."""
    respondent = list(questionnaire.respondent_questions.values_list("code", flat=True))
    return [KEY, UNIT, DATE, CHANNEL, *question_codes(questionnaire), *respondent, COMMENT]


def template_csv(questionnaire: Questionnaire) -> bytes:
    """A UTF-8 CSV template (with BOM, so that Excel shows the diacritics)."""
    out = io.StringIO()
    csv.writer(out).writerow(inert_row(template_headers(questionnaire)))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def template_xlsx(questionnaire: Questionnaire) -> bytes:
    """An XLSX template: sheet "Phiếu" with the header row, sheet "Hướng dẫn" explaining
    every column, the answer scale and the allowed values."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet("Phiếu")
    headers = template_headers(questionnaire)
    for col, header in enumerate(headers):
        sheet.write(0, col, inert(header), bold)
        sheet.set_column(col, col, max(10, len(header) + 2))
    sheet.freeze_panes(1, 0)
    guide = book.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 18)
    guide.set_column(1, 1, 90)
    scale = (
        ", ".join(
            f"{questionnaire.scale_min + i} = {label}"
            for i, label in enumerate(questionnaire.scale_labels)
        )
        or f"{questionnaire.scale_min}..{questionnaire.scale_max}"
    )
    rows: list[tuple[str, str]] = [
        (
            KEY,
            "Bắt buộc, duy nhất trong kỳ (tối đa 64 ký tự). "
            "Nhập lại cùng mã sẽ không tạo phiếu mới.",
        ),
        (UNIT, "Bắt buộc: mã đơn vị được khảo sát (xem kế hoạch khảo sát)."),
        (DATE, "Không bắt buộc, dạng ngày/tháng/năm, ví dụ 15/10/2025."),
        (CHANNEL, "Không bắt buộc: " + "; ".join(Channel.labels) + "."),
    ]
    for factor in questionnaire.factors.prefetch_related("questions"):
        for question in factor.questions.all():
            rows.append(
                (
                    question.code,
                    f"{factor.name}: {question.text}. Mức {scale}; để trống nếu không trả lời.",
                )
            )
    for asked in questionnaire.respondent_questions.all():
        rows.append((asked.code, f"{asked.text}: " + "; ".join(asked.choices) + "."))
    rows.append((COMMENT, f"Không bắt buộc, tối đa {MAX_COMMENT} ký tự."))
    guide.write(0, 0, "Cột", bold)
    guide.write(0, 1, "Cách ghi", bold)
    for n, (column, text) in enumerate(rows, start=1):
        guide.write(n, 0, inert(column))
        guide.write(n, 1, inert(text), wrap)
    book.close()
    return buffer.getvalue()


# --------------------------------------------------------------------------- reading


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _refused(exc: InputLimitError) -> ValidationError:
    return ValidationError(str(exc))


def check_workbook(name: str, data: bytes) -> None:
    """Refuse (ValidationError) a workbook that unpacks past ``IMPORT_MAX_UNPACKED_BYTES``,
    before any reader opens it (a CSV or an old .xls has nothing to unpack)."""
    if name.lower().endswith(ZIPPED):
        try:
            check_xlsx(data, what=f"Tệp “{name}”")
        except InputLimitError as exc:
            raise _refused(exc) from exc


def read_table(name: str, data: bytes) -> Iterator[list[str]]:
    """The rows of a CSV (UTF-8, comma, semicolon or tab) or XLSX/XLS/ODS file (first
    sheet), every cell as stripped text. Bounded by the ``IMPORT_MAX_*`` settings: past
    them a ValidationError names the line (and the column)."""
    lower = name.lower()
    what = f"Tệp “{name}”"
    bound = limits()
    if lower.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(
                "Tệp CSV phải được lưu với bảng mã UTF-8 (trong Excel: “CSV UTF-8”)."
            ) from exc
        first = text.split("\n", 1)[0]
        delimiter = max(",;\t", key=first.count)
        yield from _csv_table(what, text, delimiter)
        return
    if lower.endswith((*ZIPPED, ".xls")):
        check_workbook(name, data)
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheet = book.get_sheet_by_index(0)
            check_shape(rows=sheet.total_height, columns=sheet.total_width, what=what)
            rows = sheet.iter_rows()
        except InputLimitError as exc:
            raise _refused(exc) from exc
        except Exception as exc:  # a damaged or password-protected workbook
            raise ValidationError(f"Không đọc được tệp Excel “{name}”: {exc}.") from exc
        longest = bound.field_chars
        for number, cells in enumerate(rows, start=1):
            row = [_cell(c) for c in cells]
            if row and max(map(len, row)) > longest:
                column = next(i for i, value in enumerate(row, start=1) if len(value) > longest)
                raise ValidationError(
                    f"{what}, dòng {_number(number)}, cột {column}: nội dung dài "
                    f"{_number(len(row[column - 1]))} ký tự, tối đa {_number(longest)} ký tự."
                )
            yield row
        return
    raise ValidationError("Chỉ nhận tệp CSV hoặc Excel (.xlsx).")


def _csv_table(what: str, text: str, delimiter: str) -> Iterator[list[str]]:
    """The CSV reader of :func:`read_table`: the fast path of a million-row import, so the
    field limit is the csv module's own (raised as csv.Error, reported here with the line)
    and only the row's length is checked in Python."""
    bound = limits()
    # As parindex.core.bounded.csv_rows: the parser refuses a field past the limit.
    csv.field_size_limit(max(bound.field_chars + 1, 1024))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns, rows = bound.columns, bound.rows + 1  # the header row is not a form
    try:
        for count, row in enumerate(reader, start=1):
            if len(row) > columns:
                raise ValidationError(
                    f"{what}, dòng {_number(reader.line_num)}: có {_number(len(row))} cột, "
                    f"tối đa {_number(columns)} cột."
                )
            if count > rows:
                raise ValidationError(
                    f"{what}: quá {_number(bound.rows)} dòng (dòng {_number(reader.line_num)}); "
                    "hãy chia nhỏ tệp."
                )
            yield [c.strip() for c in row]
    except csv.Error as exc:
        line = _number(reader.line_num)
        if "field larger than field limit" in str(exc):
            raise ValidationError(
                f"{what}, dòng {line}: có ô dài hơn {_number(bound.field_chars)} ký tự "
                "(giới hạn của một ô); hãy sửa ô này rồi nhập lại."
            ) from exc
        raise ValidationError(f"{what}, dòng {line}: không đọc được ({exc}).") from exc


# --------------------------------------------------------------------------- checking


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
class _Checker:
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
    def build(cls, questionnaire: Questionnaire, period: Period) -> _Checker:
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


# --------------------------------------------------------------------------- the service


def _questionnaire(period: Period) -> Questionnaire:
    questionnaire = Questionnaire.objects.filter(period=period).first()
    if questionnaire is None:
        raise ValidationError(f"Kỳ đánh giá {period.name} chưa có phiếu khảo sát.")
    return questionnaire


def import_batch_create(
    *, period: Period, name: str, data: bytes, actor: User | None
) -> tuple[ImportBatch, bool]:
    """Register an uploaded file for import (the file is kept with the batch). Returns the
    batch and whether it is new: a file already imported into the period returns its
    finished batch and stores nothing again."""
    if period.status == PeriodStatus.FINALISED:
        raise ValidationError(f"Kỳ đánh giá {period.name} đã chốt kết quả; không nhập thêm phiếu.")
    _questionnaire(period)
    if len(data) > MAX_FILE_MB * 1024 * 1024:
        raise ValidationError(f"Tệp lớn hơn {MAX_FILE_MB} MB; hãy chia thành nhiều tệp.")
    if not _suffix(name):
        raise ValidationError("Chỉ nhận tệp CSV hoặc Excel (.xlsx).")
    if not data.strip():
        raise ValidationError("Tệp rỗng.")
    check_workbook(name, data)
    digest = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        batches_release_interrupted(period=period)
        existing = (
            ImportBatch.objects.select_for_update().filter(period=period, sha256=digest).first()
        )
        if existing is not None and existing.status != ImportBatch.Status.FAILED:
            return existing, False
        batch = existing or ImportBatch(period=period, sha256=digest)
        batch.file_name = name[:255]
        batch.status = ImportBatch.Status.QUEUED
        batch.errors = []
        batch.rows_total = batch.rows_done = batch.stored = batch.skipped = 0
        batch.finished_at = None
        batch.created_at = timezone.now()  # a failed batch queued again starts its clock anew
        batch.created_by = actor if actor is not None and actor.pk else None
        batch.file.save(f"{digest}{_suffix(name)}", ContentFile(data), save=False)
        batch.save()
        record(
            actor=actor,
            action="survey.import_queued",
            target=batch,
            summary=f"Nhận tệp phiếu khảo sát “{name}” ({period.name})",
            after={"sha256": digest, "bytes": len(data)},
        )
    return batch, True


def _suffix(name: str) -> str:
    lower = name.lower()
    for ext in (".csv", ".xlsx", ".xlsm", ".xls", ".ods"):
        if lower.endswith(ext):
            return ext
    return ""


def batches_release_interrupted(*, period: Period) -> int:
    """Mark failed, with the reason, the period's batches whose worker stopped (queued or
    running for longer than :data:`parindex.surveys.jobs.STALE_AFTER`): the page stops
    waiting and the same file may be imported again. Returns how many were released."""
    return jobs.release_interrupted(
        ImportBatch.objects.filter(period=period),
        active=ImportBatch.ACTIVE,
        failed=ImportBatch.Status.FAILED,
        errors=[jobs.interrupted_reason()],
    )


def import_batch_run(
    *, batch: ImportBatch, on_progress: Callable[[ImportBatch], None] | None = None
) -> ImportBatch:
    """Check and store every row of the batch's file in one pass and one transaction; all
    or nothing. A refused file leaves the batch FAILED with its messages (row and column)
    and no form stored; so does any other failure (with a plain message, the details in the
    log). Only a queued batch runs: a batch already taken, done, or released as interrupted
    is returned as it is."""
    table = ImportBatch.objects.filter(pk=batch.pk)
    if not table.filter(status=ImportBatch.Status.QUEUED).update(
        status=ImportBatch.Status.RUNNING, rows_total=0, rows_done=0
    ):
        batch.refresh_from_db()
        return batch
    batch.status, batch.rows_total, batch.rows_done = ImportBatch.Status.RUNNING, 0, 0
    progress: _Progress | None = None
    problems: list[str] = []
    try:
        questionnaire = _questionnaire(batch.period)
        with batch.file.open("rb") as handle:
            data = handle.read()
        name = batch.file_name
        # A CSV's line count is the progress bar's end (an upper bound: quoted line breaks).
        estimate = max(data.count(b"\n") - 1, 0) if name.lower().endswith(".csv") else 0
        table.update(rows_total=estimate)
        batch.rows_total = estimate
        progress = _Progress(batch, on_progress)
        _import_all(batch, questionnaire, name, data, progress)
    except ValidationError as exc:
        problems = list(exc.messages)
    except Exception:  # a failure must reach the page, never leave the batch running
        logger.exception("Survey import batch %s failed", batch.pk)
        problems = [IMPORT_FAILED]
    finally:
        if progress is not None:
            progress.close()
    if problems:
        table.update(
            status=ImportBatch.Status.FAILED,
            errors=problems,
            finished_at=timezone.now(),
            rows_total=batch.rows_total,
            rows_done=batch.rows_done,
        )
    batch.refresh_from_db()
    return batch


class _Progress:
    """Rows checked so far, for the page polling the batch (see
    :class:`parindex.core.progress.ProgressColumns`)."""

    def __init__(
        self, batch: ImportBatch, on_progress: Callable[[ImportBatch], None] | None
    ) -> None:
        self.batch = batch
        self.on_progress = on_progress
        self.columns = ProgressColumns(ImportBatch, batch.pk)

    def __call__(self, count: int) -> None:
        self.batch.rows_done = count
        self.columns.write(rows_done=count)
        if self.on_progress is not None:
            self.on_progress(self.batch)

    def close(self) -> None:
        self.columns.close()


def _messages(checker: _Checker) -> list[str]:
    messages = list(checker.problems)
    if checker.problem_count > len(messages):
        messages.append(f"… và {checker.problem_count - len(messages)} lỗi khác.")
    return messages


_COLUMNS = (
    "period_id",
    "unit_id",
    "source",
    "channel",
    "form_key",
    "batch_id",
    "answers",
    "respondent",
    "comment",
    "collected_on",
    "created_at",
)


def _import_all(
    batch: ImportBatch,
    questionnaire: Questionnaire,
    name: str,
    data: bytes,
    progress: _Progress,
) -> None:
    """One pass: check each row and, while no row is wrong, store the checked rows in
    chunks. Any problem raises ValidationError at the end (after every row was checked, so
    the message lists them all), which rolls back what was written. Rows whose form code is
    already stored with the same unit and answers are skipped; a different form under an
    existing code refuses the whole file."""
    checker = _Checker.build(questionnaire, batch.period)
    stored = skipped = count = 0
    now = timezone.now()
    with transaction.atomic():
        # Imports of one period queue behind each other (the period row is locked until
        # commit), so a period without forms now has none from anyone else until we commit:
        # the first import of a period skips the look-up of already stored form codes.
        Period.objects.select_for_update().filter(pk=batch.period_id).values_list("pk").first()
        first_import = not SurveyResponse.objects.filter(period_id=batch.period_id).exists()
        rows = read_table(name, data)
        header = next(rows, None)
        if header is None:
            raise ValidationError("Tệp không có dòng tiêu đề.")
        if not checker.header(header):
            raise ValidationError(_messages(checker))
        seen: dict[str, int] = {}
        chunk: list[tuple[int, Parsed]] = []

        def flush() -> None:
            nonlocal stored, skipped
            existing = (
                {}
                if first_import
                else {
                    key: (unit_id, answers)
                    for key, unit_id, answers in SurveyResponse.objects.filter(
                        period_id=batch.period_id, form_key__in=[p.key for _, p in chunk]
                    ).values_list("form_key", "unit_id", "answers")
                }
            )
            fresh: list[Parsed] = []
            for number, parsed in chunk:
                found = existing.get(parsed.key)
                if found is None:
                    fresh.append(parsed)
                elif found == (parsed.unit_id, parsed.answers):
                    skipped += 1
                else:
                    checker.problem(
                        f"Dòng {number}, cột “{KEY}”: mã phiếu {parsed.key} đã được nhập trước "
                        "đây với nội dung khác."
                    )
            if not checker.problem_count:
                _insert(batch, fresh, now)
                stored += len(fresh)
            chunk.clear()

        for number, row in enumerate(rows, start=2):
            if not any(row):
                continue
            count += 1
            parsed = checker.row(number, row)
            if parsed is not None:
                first = seen.setdefault(parsed.key, number)
                if first != number:
                    checker.problem(
                        f"Dòng {number}, cột “{KEY}”: mã phiếu {parsed.key} trùng dòng {first}."
                    )
                elif not checker.problem_count:
                    chunk.append((number, parsed))
                    if len(chunk) >= CHUNK:
                        flush()
            if count % PROGRESS_EVERY == 0:
                progress(count)
        if chunk and not checker.problem_count:
            flush()
        batch.rows_total = batch.rows_done = count
        if count == 0 and not checker.problem_count:
            checker.problem("Tệp không có phiếu nào (chỉ có dòng tiêu đề).")
        if checker.problem_count:
            raise ValidationError(_messages(checker))
        if connection.vendor == "postgresql" and stored >= ANALYZE_AFTER:
            # Fresh statistics, so that the next import's look-ups use the unique index.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {SurveyResponse._meta.db_table}")
        batch.status = ImportBatch.Status.DONE
        batch.stored, batch.skipped = stored, skipped
        batch.finished_at = timezone.now()
        batch.save(
            update_fields=["status", "stored", "skipped", "finished_at", "rows_total", "rows_done"]
        )
        record(
            actor=batch.created_by,
            action="survey.imported",
            target=batch,
            summary=(
                f"Nhập {stored} phiếu khảo sát từ “{batch.file_name}”"
                + (f", bỏ qua {skipped} phiếu đã có" if skipped else "")
            ),
            after={"stored": stored, "skipped": skipped, "rows": count},
        )


def _insert(batch: ImportBatch, rows: list[Parsed], now: datetime.datetime) -> None:
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = SurveyResponse._meta.db_table
        sql = f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN"  # noqa: S608 (our names)
        source = ResponseSource.IMPORT.value
        # Row by row: psycopg sends while this loop formats, so PostgreSQL parses one part
        # of the chunk while Python formats the next (one big write measured slower).
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for p in rows:
                copy.write_row(
                    (
                        batch.period_id,
                        p.unit_id,
                        source,
                        p.channel,
                        p.key,
                        batch.pk,
                        orjson.dumps(p.answers).decode(),
                        orjson.dumps(p.respondent).decode(),
                        p.comment,
                        p.collected_on,
                        now,
                    )
                )
        return
    SurveyResponse.objects.bulk_create(
        (
            SurveyResponse(
                period_id=batch.period_id,
                unit_id=p.unit_id,
                source=ResponseSource.IMPORT,
                channel=p.channel,
                form_key=p.key,
                batch=batch,
                answers=p.answers,
                respondent=p.respondent,
                comment=p.comment,
                collected_on=p.collected_on,
            )
            for p in rows
        ),
        batch_size=1000,
    )


def responses_import(*, period: Period, name: str, data: bytes, actor: User | None) -> ImportBatch:
    """Import a file now (the command line, tests, the benchmark): create the batch and
    run it. The web page enqueues :func:`parindex.surveys.tasks.import_survey_batch`."""
    batch, new = import_batch_create(period=period, name=name, data=data, actor=actor)
    if not new:
        return batch
    return import_batch_run(batch=batch)
