"""The oversight of remediation tasks (Theo dõi khắc phục), mounted at /khac-phuc/theo-doi/:
the Phòng/Sở Nội vụ's page of a period's tasks across units, and its XLSX export.

Thin: the period through :func:`~parindex.periods.permissions.get_overseen_period` (404 for
anyone but the chair, an observer or a superuser of its jurisdiction), the tasks through
:func:`~parindex.remediation.oversight.overseen_tasks`, the numbers from its selectors.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from parindex.core.text import fold
from parindex.periods.models import Period
from parindex.periods.permissions import get_overseen_period
from parindex.remediation.models import TaskStatus
from parindex.remediation.oversight import (
    Filters,
    filter_tasks,
    group_choices,
    overseen_tasks,
    period_oversight,
)
from parindex.remediation.oversight_xlsx import XLSX_CONTENT_TYPE, oversight_xlsx

GROUP = "nhom"
UNIT = "don-vi"
STATUS = "trang-thai"
OVERDUE = "qua-han"
CODE = "tieu-chi"
FIELDS = (GROUP, UNIT, STATUS, OVERDUE, CODE)
"""The query-string names of the filters (kept in the page links and the export link)."""
TASK_PAGE = "trang"
UNIT_PAGE = "trang-don-vi"
WHAT = "theo dõi khắc phục"


class OversightFilterForm(forms.Form):
    """Nhóm đơn vị, đơn vị (tên, không cần dấu), trạng thái, chỉ quá hạn, tiêu chí (mã)."""

    def __init__(self, data: Any, *, period: Period) -> None:
        super().__init__(data)
        self.fields[GROUP] = forms.ModelChoiceField(
            label="Nhóm đơn vị",
            queryset=group_choices(period),
            to_field_name="code",
            required=False,
            empty_label="Tất cả nhóm",
            error_messages={"invalid_choice": "Nhóm đơn vị: lựa chọn không hợp lệ."},
        )
        self.fields[UNIT] = forms.CharField(
            label="Đơn vị",
            required=False,
            max_length=100,
            widget=forms.TextInput(attrs={"placeholder": "Tên hoặc mã, không cần dấu"}),
            error_messages={"max_length": "Đơn vị: tối đa 100 ký tự."},
        )
        self.fields[STATUS] = forms.ChoiceField(
            label="Trạng thái",
            required=False,
            choices=[("", "Mọi trạng thái"), *TaskStatus.choices],
            error_messages={"invalid_choice": "Trạng thái: lựa chọn không hợp lệ."},
        )
        self.fields[CODE] = forms.CharField(
            label="Tiêu chí (mã)",
            required=False,
            max_length=30,
            widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 1.2"}),
            error_messages={"max_length": "Tiêu chí (mã): tối đa 30 ký tự."},
        )
        self.fields[OVERDUE] = forms.BooleanField(label="Chỉ nhiệm vụ quá hạn", required=False)
        for name, field in self.fields.items():
            if name == OVERDUE:
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = (data.get(CODE) or "").replace("\x00", "").strip().rstrip(".")
        if code and not all(part.isalnum() for part in code.split(".")):
            self.add_error(CODE, "Tiêu chí (mã): chỉ gồm chữ, số và dấu chấm, ví dụ 1.2.")
        else:
            data[CODE] = code
        return data

    def filters(self) -> Filters:
        """The valid filters (a field with an error is left out; the page says why)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        group = data.get(GROUP)
        return Filters(
            group=group.code if group is not None else "",
            unit=fold(data.get(UNIT) or ""),
            status=data.get(STATUS) or "",
            overdue=bool(data.get(OVERDUE)),
            code=data.get(CODE) or "",
        )

    def describe(self) -> str:
        """The filters in words (the export's heading)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        parts = []
        if data.get(GROUP) is not None:
            parts.append(f"Nhóm: {data[GROUP].name}")
        if data.get(UNIT):
            parts.append(f"Đơn vị: {data[UNIT]}")
        if data.get(STATUS):
            parts.append(f"Trạng thái: {TaskStatus(data[STATUS]).label}")
        if data.get(OVERDUE):
            parts.append("Chỉ nhiệm vụ quá hạn")
        if data.get(CODE):
            parts.append(f"Tiêu chí: {data[CODE]}")
        return "; ".join(parts)


def _query(request: HttpRequest, *, keep: tuple[str, ...] = FIELDS) -> str:
    """The filters of the request as a query string (no page numbers)."""
    query = request.GET.copy()
    for key in list(query):
        if key not in keep:
            del query[key]
    return query.urlencode()


@login_required
@require_GET
def period_tasks(request: HttpRequest, period_id: int) -> HttpResponse:
    """Theo dõi khắc phục: the cards, the tables per unit and per criterion, the list."""
    period = get_overseen_period(request.user, period_id, what=WHAT)
    form = OversightFilterForm(request.GET, period=period)
    oversight = period_oversight(
        period,
        overseen_tasks(request.user, period),
        form.filters(),
        today=timezone.localdate(),
        unit_page=request.GET.get(UNIT_PAGE),
        task_page=request.GET.get(TASK_PAGE),
    )
    context = {
        "period": period,
        "form": form,
        "o": oversight,
        "query": _query(request),
        "task_query": _query(request, keep=(*FIELDS, UNIT_PAGE)),
        "unit_query": _query(request, keep=(*FIELDS, TASK_PAGE)),
    }
    return render(request, "remediation/oversight.html", context)


@login_required
@require_GET
def period_tasks_xlsx(request: HttpRequest, period_id: int) -> HttpResponse:
    """The filtered list and the two summary tables as an Excel workbook."""
    period = get_overseen_period(request.user, period_id, what=WHAT)
    form = OversightFilterForm(request.GET, period=period)
    tasks = filter_tasks(overseen_tasks(request.user, period), form.filters(), timezone.localdate())
    data = oversight_xlsx(period, tasks, filters_text=form.describe())
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    name = slugify(fold(period.name)) or "ky-danh-gia"
    response["Content-Disposition"] = (
        f'attachment; filename="nhiem-vu-khac-phuc-{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    )
    return response
