"""The council's audit trail (Nhật ký), mounted at /nhat-ky/: the filtered list and its
CSV and XLSX exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from parindex.audit.exports import XLSX_CONTENT_TYPE, audit_csv, audit_xlsx
from parindex.audit.forms import FIELDS, AuditFilterForm
from parindex.audit.models import AuditEvent
from parindex.audit.permissions import audit_scope_for
from parindex.audit.selectors import (
    COUNT_CAP,
    EXPORT_LIMIT,
    PAGE_SIZE,
    XLSX_LIMIT,
    CappedPaginator,
    events_for,
    rows_for_export,
    rows_of,
)

PAGE = "trang"


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, QuerySet[AuditEvent]]:
    """The reader's scope (404 for anyone else), the filters and the events they keep."""
    scope = audit_scope_for(request.user)
    form = AuditFilterForm(request.GET, scope=scope)
    return form, events_for(scope, form.filters())


def _query(request: HttpRequest) -> str:
    """The filters of the request as a query string (no page number)."""
    query = request.GET.copy()
    for key in list(query):
        if key not in FIELDS:
            del query[key]
    return query.urlencode()


@login_required
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    """Nhật ký: the events of the reader's jurisdiction, newest first, 50 a page."""
    form, events = _filtered(request)
    paginator = CappedPaginator(events, PAGE_SIZE)
    page = paginator.get_page(request.GET.get(PAGE))
    context = {
        "form": form,
        "page": page,
        "rows": rows_of(page.object_list),
        "count": paginator.count,
        "capped": paginator.capped,
        "count_cap": COUNT_CAP,
        "export_limit": EXPORT_LIMIT,
        "xlsx_limit": XLSX_LIMIT,
        "query": _query(request),
    }
    return render(request, "audit/log.html", context)


def _file_name(extension: str) -> str:
    return f"nhat-ky-{timezone.localdate():%Y%m%d}.{extension}"


@login_required
@require_GET
def audit_log_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered list as CSV (UTF-8 with BOM), streamed."""
    _form, events = _filtered(request)
    response = StreamingHttpResponse(
        audit_csv(rows_for_export(events)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name("csv")}"'
    return response


@login_required
@require_GET
def audit_log_xlsx(request: HttpRequest) -> HttpResponse:
    """The filtered list as an Excel workbook."""
    _form, events = _filtered(request)
    title = f"Nhật ký thay đổi, xuất lúc {timezone.localtime():%H:%M %d/%m/%Y}"
    data = audit_xlsx(rows_for_export(events, XLSX_LIMIT), title=title)
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_file_name("xlsx")}"'
    return response
