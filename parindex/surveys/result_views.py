"""The council's results pages (``/khao-sat/<period>/ket-qua/…``) and its downloads: the
units' points with a chart, one unit's factors, the results as CSV or Excel, and the forms
(CSV streamed in the request, Excel written by the worker: its page and its file)."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from parindex.accounts.requests import request_user
from parindex.core import xlsx_charts as charts
from parindex.core.cells import inert
from parindex.core.storage import file_response
from parindex.engine.survey import rounded
from parindex.periods.models import Period
from parindex.periods.permissions import is_chair
from parindex.surveys import jobs, selectors
from parindex.surveys.exports import XLSX_CONTENT_TYPE, XLSX_OPTIONS, csv_lines, responses_csv
from parindex.surveys.models import Questionnaire, ResponseExport, SurveyResult
from parindex.surveys.queueing import responses_export_start
from parindex.surveys.templatetags.survey_format import trimmed
from parindex.surveys.views import refused


def _factor_names(questionnaire: Questionnaire | None) -> dict[str, str]:
    if questionnaire is None:
        return {}
    return dict(questionnaire.factors.values_list("code", "name"))


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    rows = selectors.results_of(period)
    questionnaire = selectors.questionnaire_of(period)
    scored = [r for r in rows if r.points is not None]
    chart = {
        "title": "Điểm khảo sát",
        "labels": [r.unit.short_name or r.unit.name for r in scored],
        "values": [format(r.points, "f") for r in scored],
        "display": [trimmed(r.points, 2) for r in scored],
        "max": format(_survey_max(period), "f"),
        "mean": None,
    }
    return render(
        request,
        "surveys/results.html",
        {
            "period": period,
            "rows": rows,
            "chart": chart,
            "factor_names": _factor_names(questionnaire),
            "can_manage": is_chair(request.user),
        },
    )


def _survey_max(period: Period) -> Decimal:
    """The largest survey maximum of the period's criteria sets (the chart's axis)."""
    return max(selectors.survey_maxima(period), default=Decimal(100))


@login_required
def unit_result(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    result = get_object_or_404(
        SurveyResult.objects.select_related("unit"), period=period, unit_id=unit_id
    )
    names = _factor_names(selectors.questionnaire_of(period))
    factors = [{**f, "name": names.get(f["code"], f["code"])} for f in result.factors]
    chart = {
        "title": "Tỷ lệ hài lòng (%)",
        "labels": [f["name"] for f in factors if f["rate"] is not None],
        "values": [f["rate"] for f in factors if f["rate"] is not None],
        "display": [
            trimmed(rounded(Decimal(f["rate"])), 2) for f in factors if f["rate"] is not None
        ],
        "max": "100",
        "mean": format(result.index, "f") if result.index is not None else None,
        "mean_display": trimmed(result.index, 2) if result.index is not None else "",
    }
    return render(
        request,
        "surveys/unit.html",
        {"period": period, "result": result, "factors": factors, "chart": chart},
    )


@login_required
def export_responses(request: HttpRequest, pk: int, fmt: str = "csv") -> HttpResponseBase:
    """Every form of the period, in the import template's columns plus the unit's name and
    the source. CSV is streamed (a million rows never sit in memory); the Excel workbook is
    written by the worker: this address leads to its page (:func:`response_exports`)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    period = selectors.get_survey_period(request.user, pk)
    if selectors.questionnaire_of(period) is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    if fmt == "xlsx":
        return redirect("surveys:exports", pk=period.pk)
    streamed = StreamingHttpResponse(responses_csv(period), content_type="text/csv; charset=utf-8")
    streamed["Content-Disposition"] = f'attachment; filename="phieu-khao-sat-{period.year}.csv"'
    return streamed


@login_required
@require_http_methods(["GET", "POST"])
def response_exports(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel export of the forms: the latest one (its progress, or its file) and the
    button that starts a new one in the worker (one at a time per period)."""
    period = selectors.get_survey_period(request.user, pk)
    if selectors.questionnaire_of(period) is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    if request.method == "POST":
        try:
            export, new = responses_export_start(period=period, actor=request_user(request))
        except ValidationError as exc:
            refused(request, exc)
            return redirect("surveys:exports", pk=period.pk)
        if not new:
            messages.info(request, "Tệp Excel đang được tạo; hãy chờ lượt này xong.")
        return redirect("surveys:export", pk=period.pk, export_id=export.pk)
    latest = selectors.last_export(period)
    if latest is not None and latest.is_active:
        return redirect("surveys:export", pk=period.pk, export_id=latest.pk)
    return render(
        request, "surveys/exports.html", {"period": period, "export": latest, "latest": True}
    )


@login_required
def response_export(request: HttpRequest, pk: int, export_id: int) -> HttpResponse:
    """One Excel export: its progress bar (the htmx fragment polls itself every second
    while it runs), then the link to the file, or why it failed."""
    period = selectors.get_survey_period(request.user, pk)
    jobs.release_interrupted(
        ResponseExport.objects.filter(period=period, pk=export_id),
        active=ResponseExport.ACTIVE,
        failed=ResponseExport.Status.FAILED,
        error=jobs.interrupted_reason(),
    )
    found = selectors.get_export(period, export_id)
    context = {"period": period, "export": found}
    if request.headers.get("HX-Request"):
        return render(request, "surveys/_export_progress.html", context)
    return render(request, "surveys/exports.html", context)


@login_required
def response_export_file(request: HttpRequest, pk: int, export_id: int) -> HttpResponseBase:
    """The workbook of a finished export (404 while it runs, once replaced or failed)."""
    period = selectors.get_survey_period(request.user, pk)
    found = selectors.get_export(period, export_id)
    if found.status != found.Status.DONE or not found.file:
        raise Http404("Tệp Excel chưa có hoặc đã được thay bằng tệp mới hơn.")
    return file_response(
        found.file,
        name=f"phieu-khao-sat-{period.year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
        missing="Tệp Excel không còn trên máy chủ; hãy tạo lại.",
    )


def _result_table(period: Period) -> tuple[list[str], list[list[Any]]]:
    questionnaire = selectors.questionnaire_of(period)
    names = _factor_names(questionnaire)
    header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Số phiếu",
        "Phiếu hợp lệ",
        *[f"Tỷ lệ hài lòng: {name} (%)" for name in names.values()],
        "Chỉ số hài lòng (%)",
        "Sai số 95% (điểm %)",
        "Điểm khảo sát",
        "Chưa đủ phiếu",
    ]
    places = questionnaire.rounding_places if questionnaire else 2
    quantum = Decimal(1).scaleb(-places)  # points are stored with 4 places, shown with the set's
    body: list[list[Any]] = []
    for r in selectors.results_of(period):
        rates = {f["code"]: f["rate"] for f in r.factors}
        body.append(
            [
                r.unit.code,
                r.unit.name,
                r.forms,
                r.valid_forms,
                *[rates.get(code) or "" for code in names],
                "" if r.index is None else format(r.index, "f"),
                "" if r.margin_of_error is None else format(r.margin_of_error, "f"),
                "" if r.points is None else format(r.points.quantize(quantum), "f"),
                "có" if r.too_few else "",
            ]
        )
    return header, body


@login_required
def export_results(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    period = selectors.get_survey_period(request.user, pk)
    header, body = _result_table(period)
    if fmt == "csv":
        text = "".join(csv_lines(header, iter(body)))
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(_results_xlsx(header, body), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-khao-sat-{period.year}.{fmt}"'
    return response


def _results_xlsx(header: list[str], body: list[list[Any]]) -> bytes:
    """The results table as a workbook: rates, index, margin and points as numbers."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {**XLSX_OPTIONS, "constant_memory": False, "in_memory": True}
    )
    sheet = book.add_worksheet("Kết quả khảo sát")
    bold = book.add_format({"bold": True, "text_wrap": True, "bg_color": "#DDEBF7"})
    sheet.write_row(0, 0, [inert(h) for h in header], bold)
    for n, row in enumerate(body, start=1):
        for col, value in enumerate(row):
            if isinstance(value, str) and value and col >= 4 and col < len(header) - 1:
                sheet.write_number(n, col, float(value))
            else:
                sheet.write(n, col, inert(value))
    sheet.set_column(1, 1, 40)
    sheet.freeze_panes(1, 2)
    _points_chart(book, sheet, header, len(body))
    book.close()
    return buffer.getvalue()


POINTS_CHART = "Điểm khảo sát của các đơn vị"


def _points_chart(book: Any, sheet: Any, header: list[str], units: int) -> None:
    """A bar chart of the table's "Điểm khảo sát" column per unit, below the table (on
    its own chart sheet above 60 units, none above 200; see :mod:`parindex.core.xlsx_charts`).
    No cell is written: the table stays the sheet's only content."""
    where = charts.placement(units)
    if where is charts.Placement.SKIPPED or "Điểm khảo sát" not in header:
        return
    col = header.index("Điểm khảo sát")
    chart = charts.bar_chart(
        book,
        title=POINTS_CHART,
        categories=charts.CellRange(sheet.name, 1, 1, units, 1),
        series=[
            charts.Series(
                "Điểm khảo sát", charts.CellRange(sheet.name, 1, col, units, col), data_labels=True
            )
        ],
        y_title="Điểm khảo sát",
        horizontal=where is charts.Placement.IN_SHEET,
    )
    if where is charts.Placement.IN_SHEET:
        charts.insert_chart(sheet, (units + 2, 1), chart, rows=units, horizontal=True)
    else:
        charts.add_chart_sheet(book, "Biểu đồ điểm khảo sát", chart)
