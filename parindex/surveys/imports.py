"""Bulk import of survey forms collected on paper or by a contractor (CSV or XLSX): the
batch registered for a file, and the one pass that checks and stores its rows.

The file has one header row with the template's columns
(:func:`parindex.surveys.import_template.template_headers`): the form's code, the unit's
code, the collection date, the channel, one column per scale question (the question code),
one per respondent question and the comment. Every row is checked
(:mod:`parindex.surveys.import_checking`, Vietnamese messages naming the row and the
column); if any row is wrong nothing is stored. Re-importing a file already imported (same
SHA-256) stores nothing again, and a row whose form code is already stored with the same
content is skipped, so overlapping batches do not duplicate forms either.

An import reads the file once (:mod:`parindex.surveys.import_reading`), in one transaction:
every row is checked, and while no row is wrong the checked rows are written in chunks
(``COPY`` on PostgreSQL, ``bulk_create`` elsewhere); a wrong row anywhere rolls everything
back, after the whole file was checked so that every problem is reported. Progress goes to
the batch through a second connection.

Every reader is bounded (:mod:`parindex.core.bounded`, settings ``IMPORT_MAX_*``): an XLSX
is measured unpacked before any reader opens it, in the web process when the file is
uploaded and again in the worker; a CSV field longer than the limit, a row with too many
columns or too many rows refuse the file with the line number. Any failure in the worker,
expected or not, leaves the batch FAILED with a Vietnamese reason (never "running"), and a
failed or interrupted batch (:mod:`parindex.surveys.jobs`) may be imported again. The web
page queues a file through :func:`parindex.surveys.queueing.import_batch_create`.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from types import TracebackType
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.progress import ProgressColumns
from parindex.jobs.checkpoint import checkpoint
from parindex.jobs.errors import retryable
from parindex.periods.models import Period, PeriodStatus
from parindex.surveys import jobs
from parindex.surveys.import_checking import Parsed, RowChecker
from parindex.surveys.import_reading import check_workbook, read_table
from parindex.surveys.import_template import KEY
from parindex.surveys.models import (
    ImportBatch,
    Questionnaire,
    ResponseSource,
    SurveyResponse,
)
from parindex.surveys.selectors import questionnaire_required

logger = logging.getLogger(__name__)

MAX_FILE_MB = 200
CHUNK = 5000
PROGRESS_EVERY = 20_000
ANALYZE_AFTER = 50_000
"""Rows stored by one import after which PostgreSQL's statistics of the table are renewed."""
IMPORT_FAILED = (
    "Không nhập được tệp do lỗi của hệ thống; không phiếu nào được lưu. Hãy thử lại sau ít "
    "phút, nếu vẫn không được hãy báo quản trị hệ thống."
)
"""What the page says of an unexpected error (the details go to the log, not the page)."""


# --------------------------------------------------------------------------- the batch


def import_batch_register(
    *, period: Period, name: str, data: bytes, actor: User | None
) -> tuple[ImportBatch, bool]:
    """Register a file for import (the file is kept with the batch, queued); nothing runs
    it yet (see :func:`responses_import` and
    :func:`parindex.surveys.queueing.import_batch_create`). Returns the batch and whether it
    is new: a file already imported into the period returns its finished batch and stores
    nothing again."""
    if period.status == PeriodStatus.FINALISED:
        raise ValidationError(f"Kỳ đánh giá {period.name} đã chốt kết quả; không nhập thêm phiếu.")
    questionnaire_required(period)
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
        questionnaire = questionnaire_required(batch.period)
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
    except Exception as error:  # a failure must reach the page, never leave the batch running
        if retryable(error):
            raise  # rolled back; the worker runs it again after a back-off (parindex/jobs)
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
        checkpoint("survey_import")

    def close(self) -> None:
        self.columns.close()


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


# --------------------------------------------------------------------------- the one pass


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
    checker = RowChecker.build(questionnaire, batch.period)
    now = timezone.now()
    with transaction.atomic():
        with _Store(batch, checker, first_import=_first_import(batch), now=now) as store:
            rows = read_table(name, data)
            header = next(rows, None)
            if header is None:
                raise ValidationError("Tệp không có dòng tiêu đề.")
            if not checker.header(header):
                raise ValidationError(checker.messages())
            count = _check_and_store(rows, checker, store, progress)
        batch.rows_total = batch.rows_done = count
        if count == 0 and not checker.problem_count:
            checker.problem("Tệp không có phiếu nào (chỉ có dòng tiêu đề).")
        if checker.problem_count:
            raise ValidationError(checker.messages())
        if connection.vendor == "postgresql" and store.stored >= ANALYZE_AFTER:
            # Fresh statistics, so that the next import's look-ups use the unique index.
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {SurveyResponse._meta.db_table}")
        _finish(batch, store, count)


def _first_import(batch: ImportBatch) -> bool:
    """Whether the period has no form yet. Imports of one period queue behind each other
    (the period row is locked until commit), so a period without forms now has none from
    anyone else until we commit: the first import of a period skips the look-up of already
    stored form codes."""
    Period.objects.select_for_update().filter(pk=batch.period_id).values_list("pk").first()
    return not SurveyResponse.objects.filter(period_id=batch.period_id).exists()


def _check_and_store(
    rows: Iterator[list[str]], checker: RowChecker, store: _Store, progress: _Progress
) -> int:
    """Check every row after the header, handing the good ones to ``store`` while the file
    has no problem; returns how many rows were not blank."""
    seen: dict[str, int] = {}
    count = 0
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
                store.chunk.append((number, parsed))
                if len(store.chunk) >= CHUNK:
                    store.flush()
        if count % PROGRESS_EVERY == 0:
            progress(count)
    if store.chunk and not checker.problem_count:
        store.flush()
    return count


class _Store:
    """The checked rows waiting to be written (``chunk``, with their row numbers), and the
    count of the rows stored and skipped so far. A context manager: on PostgreSQL the rows
    go into one ``COPY`` kept open from chunk to chunk (:class:`_Copy`), ended on leaving."""

    def __init__(
        self, batch: ImportBatch, checker: RowChecker, *, first_import: bool, now: datetime.datetime
    ) -> None:
        self.batch = batch
        self.checker = checker
        self.first_import = first_import
        self.now = now
        self.chunk: list[tuple[int, Parsed]] = []
        self.stored = 0
        self.skipped = 0
        self.copy = _Copy(batch, now) if connection.vendor == "postgresql" else None

    def __enter__(self) -> _Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self.copy is not None:
            self.copy.end(kind, exc, traceback)

    def flush(self) -> None:
        """Write the chunk's new forms (unless the file has a problem by now); a form code
        already stored with the same unit and answers is skipped, with other content it is
        a problem."""
        existing = self._existing()
        fresh: list[Parsed] = []
        for number, parsed in self.chunk:
            found = existing.get(parsed.key)
            if found is None:
                fresh.append(parsed)
            elif found == (parsed.unit_id, parsed.answers):
                self.skipped += 1
            else:
                self.checker.problem(
                    f"Dòng {number}, cột “{KEY}”: mã phiếu {parsed.key} đã được nhập trước "
                    "đây với nội dung khác."
                )
        if not self.checker.problem_count:
            if self.copy is not None:
                self.copy.write(fresh)
            else:
                _insert(self.batch, fresh, self.now)
            self.stored += len(fresh)
        self.chunk.clear()

    def _existing(self) -> dict[str, tuple[int, dict[str, int | None]]]:
        """(unit, answers) of the chunk's form codes already stored in the period."""
        if self.first_import:
            return {}
        if self.copy is not None:
            self.copy.end()  # the connection runs no query while a COPY is open
        return {
            key: (unit_id, answers)
            for key, unit_id, answers in SurveyResponse.objects.filter(
                period_id=self.batch.period_id, form_key__in=[p.key for _, p in self.chunk]
            ).values_list("form_key", "unit_id", "answers")
        }


def _finish(batch: ImportBatch, store: _Store, count: int) -> None:
    stored, skipped = store.stored, store.skipped
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


class _Copy:
    """The import's ``COPY … FROM STDIN`` on PostgreSQL, opened at the first row and kept
    open while no query has to run on the connection (a first import: until the end), so
    PostgreSQL never waits for the next chunk. psycopg's queued writer sends from its own
    thread: Python checks and formats the next rows while PostgreSQL parses these ones (a
    blocking write left the two taking turns)."""

    def __init__(self, batch: ImportBatch, now: datetime.datetime) -> None:
        self.columns = (batch.period_id, ResponseSource.IMPORT.value, batch.pk, now)
        self._stack: ExitStack | None = None
        self._copy: Any = None

    def write(self, rows: list[Parsed]) -> None:
        if not rows:
            return
        if self._copy is None:
            table = SurveyResponse._meta.db_table
            sql = f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN"  # noqa: S608 (our names)
            with ExitStack() as stack:
                cursor = stack.enter_context(connection.cursor()).cursor
                self._copy = stack.enter_context(cursor.copy(sql, writer=QueuedLibpqWriter(cursor)))
                self._stack = stack.pop_all()
        period_id, source, batch_id, now = self.columns
        write_row, dumps = self._copy.write_row, orjson.dumps
        for p in rows:
            write_row(
                (
                    period_id,
                    p.unit_id,
                    source,
                    p.channel,
                    p.key,
                    batch_id,
                    dumps(p.answers).decode(),
                    dumps(p.respondent).decode(),
                    p.comment,
                    p.collected_on,
                    now,
                )
            )

    def end(
        self,
        kind: type[BaseException] | None = None,
        exc: BaseException | None = None,
        traceback: TracebackType | None = None,
    ) -> None:
        """End the COPY (if open): sent and checked by PostgreSQL, or, leaving on an
        exception, abandoned (the transaction then rolls back)."""
        stack, self._stack, self._copy = self._stack, None, None
        if stack is not None:
            stack.__exit__(kind, exc, traceback)


def _insert(batch: ImportBatch, rows: list[Parsed], now: datetime.datetime) -> None:
    """Store the rows elsewhere than on PostgreSQL (which uses :class:`_Copy`)."""
    if not rows:
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
    """Import a file now (the command line, tests, the benchmark): register the batch and
    run it. The web page queues it instead
    (:func:`parindex.surveys.queueing.import_batch_create`)."""
    batch, new = import_batch_register(period=period, name=name, data=data, actor=actor)
    if not new:
        return batch
    return import_batch_run(batch=batch)
