"""Exports of a period's forms (phiếu): CSV streamed in the request, Excel by the worker.

Both carry the import template's columns plus the unit's name and the source, so that an
export can be imported into another installation. Every text cell goes through
:func:`parindex.core.cells.inert`: a comment typed into the public form as
``=HYPERLINK(…)`` comes out as text, never as a formula.

The CSV is streamed row by row (constant memory, a million forms included). An Excel
workbook of hundreds of thousands of forms takes longer than a request may last, so it is a
:class:`~parindex.surveys.models.ResponseExport` written by the task
:func:`parindex.surveys.tasks.export_survey_responses`:
:func:`parindex.surveys.queueing.responses_export_start` queues it (one at a time per period),
:func:`responses_export_run` writes it with its progress, the page polls it and then offers
the file. An export whose worker stopped is released as
interrupted (:mod:`parindex.surveys.jobs`).
"""

from __future__ import annotations

import csv
import logging
import tempfile
from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils import timezone

from parindex.core.cells import inert_row
from parindex.jobs.errors import retryable
from parindex.periods.models import Period
from parindex.surveys import selectors
from parindex.surveys.import_template import template_headers
from parindex.surveys.models import Questionnaire, ResponseExport
from parindex.surveys.selectors import question_codes, questionnaire_required

logger = logging.getLogger(__name__)

XLSX_MAX_ROWS = 1_048_575
"""Excel's row limit, less the header row."""
PROGRESS_EVERY = 10_000
"""Forms written between two progress reports."""
EXPORT_FAILED = (
    "Không tạo được tệp Excel do lỗi của hệ thống; hãy thử lại sau ít phút, nếu vẫn không "
    "được hãy báo quản trị hệ thống (hoặc tải tệp CSV)."
)
"""What the page says of an unexpected error (the details go to the log, not the page)."""
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}
"""XlsxWriter: rows are flushed as they are written; text is always written as text."""


def responses_header(questionnaire: Questionnaire) -> list[str]:
    return inert_row([*template_headers(questionnaire), "Tên đơn vị", "Nguồn"])


def responses_rows(period: Period, questionnaire: Questionnaire) -> Iterator[list[Any]]:
    """Every form of the period (streamed from the database), text made inert."""
    respondent = list(questionnaire.respondent_questions.values_list("code", flat=True))
    for row in selectors.response_rows(period, question_codes(questionnaire), respondent):
        yield inert_row(row)


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(header: list[str], rows: Iterator[list[Any]]) -> Iterator[str]:
    """A UTF-8 CSV (with BOM, so that Excel shows the diacritics) line by line; every text
    cell is made inert."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(inert_row(header))
    for row in rows:
        yield writer.writerow(inert_row(row))


def responses_csv(period: Period) -> Iterator[str]:
    """The forms of the period as CSV lines, for a streamed response."""
    questionnaire = questionnaire_required(period)
    return csv_lines(responses_header(questionnaire), responses_rows(period, questionnaire))


# --------------------------------------------------------------------------- Excel job


def responses_export_run(*, export: ResponseExport) -> ResponseExport:
    """Write a queued export (the worker's task): the forms written go to the row as they
    go, the file or the reason it failed at the end. Only a queued export runs."""
    table = ResponseExport.objects.filter(pk=export.pk)
    if not table.filter(status=ResponseExport.Status.QUEUED).update(
        status=ResponseExport.Status.RUNNING, rows_done=0
    ):
        export.refresh_from_db()
        return export
    try:
        period = Period.objects.get(pk=export.period_id)
        questionnaire = questionnaire_required(period)
        with tempfile.TemporaryFile() as handle:
            written = _write_xlsx(handle, period, questionnaire, table)
            handle.seek(0)
            export.file.save(
                f"phieu-khao-sat-{period.year}-{export.pk}.xlsx", File(handle), save=False
            )
    except ValidationError as exc:
        table.update(
            status=ResponseExport.Status.FAILED,
            error=" ".join(exc.messages),
            finished_at=timezone.now(),
        )
    except Exception as error:  # a failure must reach the page, never leave the export running
        if retryable(error):
            raise  # the worker runs it again after a back-off (parindex/jobs)
        logger.exception("Survey responses export %s failed", export.pk)
        table.update(
            status=ResponseExport.Status.FAILED, error=EXPORT_FAILED, finished_at=timezone.now()
        )
    else:
        table.update(
            status=ResponseExport.Status.DONE,
            file=export.file.name,
            rows_done=written,
            rows_total=written,
            finished_at=timezone.now(),
        )
        _drop_older_files(export)
    export.refresh_from_db()
    return export


def _write_xlsx(handle: Any, period: Period, questionnaire: Questionnaire, table: Any) -> int:
    import xlsxwriter

    book = xlsxwriter.Workbook(handle, XLSX_OPTIONS)
    sheet = book.add_worksheet("Phiếu")
    sheet.write_row(
        0,
        0,
        responses_header(questionnaire),
        book.add_format({"bold": True, "bg_color": "#DDEBF7"}),
    )
    written = 0
    for written, row in enumerate(responses_rows(period, questionnaire), start=1):
        if written > XLSX_MAX_ROWS:
            raise ValidationError(
                f"Kỳ có hơn {XLSX_MAX_ROWS:,} phiếu, quá giới hạn dòng của Excel: "
                "hãy tải tệp CSV.".replace(",", ".")
            )
        sheet.write_row(written, 0, row)
        if written % PROGRESS_EVERY == 0:
            table.update(rows_done=written)
    sheet.freeze_panes(1, 0)
    book.close()
    return written


def _drop_older_files(export: ResponseExport) -> None:
    """Only the newest workbook of a period is kept (the forms hold personal comments)."""
    older = (
        ResponseExport.objects.filter(period_id=export.period_id, pk__lt=export.pk)
        .exclude(file="")
        .only("pk", "file")
    )
    for previous in older:
        previous.file.delete(save=False)
        ResponseExport.objects.filter(pk=previous.pk).update(file="")
