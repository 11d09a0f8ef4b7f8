"""Báo cáo tự đánh giá: the unit writes its report's narrative sections
(/danh-gia/<id>/bao-cao/), and the council reads every unit's kiến nghị, đề xuất on the
criteria of a period (/tham-dinh/<kỳ>/kien-nghi/, and as XLSX).

Thin: the assessment comes through :func:`~parindex.assessments.permissions.
get_assessment_for_user` (404 when not the user's; 403 on a write by someone who may only
read), the period through :func:`~parindex.periods.permissions.get_overseen_period` (404
unless the user oversees it); the write is :func:`~parindex.assessments.services.report.
self_assessment_report_save`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts.requests import request_user
from parindex.assessments.models import REPORT_SECTIONS, Assessment, SelfAssessmentReport
from parindex.assessments.permissions import (
    can_edit_as_unit,
    get_assessment_for_user,
    require_whole_assessment,
)
from parindex.assessments.selectors.report import (
    XLSX_CONTENT_TYPE,
    period_proposals,
    proposals_xlsx,
    self_assessment_report,
)
from parindex.assessments.selectors.state import closed_reason
from parindex.assessments.services.report import FIELD_LABELS, self_assessment_report_save
from parindex.core.forms import add_service_errors
from parindex.periods.permissions import get_overseen_period

PAGE_SIZE = 50
SEARCH_PARAM = "q"

HINTS: dict[str, str] = {
    "implementation": (
        "Căn cứ văn bản chỉ đạo của cấp trên; việc tổ chức họp, phân công cán bộ rà soát, "
        "tập hợp tài liệu kiểm chứng; tổng điểm tự đánh giá và điểm từng lĩnh vực (ví dụ: "
        "“Công tác chỉ đạo điều hành: 14,35/15 điểm, đạt 95,66%”), tác động của CCHC."
    ),
    "shortcomings": (
        "Những điểm còn hạn chế khi tự đánh giá: tiêu chí khó lượng hóa ở thời điểm đánh giá, "
        "ứng dụng công nghệ thông tin còn hạn chế, tài liệu kiểm chứng chưa minh chứng đủ nội "
        "dung từng tiêu chí…"
    ),
    "causes": (
        "Vì sao còn tồn tại: phần mềm một cửa, hộ tịch, thanh toán trực tuyến thường xuyên bị "
        "lỗi; một số ngành chưa quan tâm nên hồ sơ thiếu tài liệu kiểm chứng…"
    ),
    "solutions": (
        "Nâng cao trách nhiệm người đứng đầu; tuyên truyền CCHC; tập huấn, bồi dưỡng kỹ năng "
        "chuyển đổi số; tăng tỷ lệ hồ sơ trực tuyến; duy trì các tiêu chí đạt điểm tối đa, "
        "khắc phục các tiêu chí điểm thấp."
    ),
    "proposals": (
        "Về nội dung và về cách chấm điểm, ghi rõ mã tiêu chí (ví dụ: “Tiêu chí thành phần "
        "3.1.2: thêm mức hoàn thành từ 70% đến dưới 100% kế hoạch được 0,5 điểm”); các kiến "
        "nghị khác với cấp trên."
    ),
    "report_number": "Ví dụ: 101/BC-UBND",
    "signer_name": "Ví dụ: Nguyễn Thị Thủy",
    "signer_title": "Ví dụ: CHỦ TỊCH, PHÓ CHỦ TỊCH",
}


class ReportForm(forms.Form):
    """The report's fields for rendering and re-showing what was typed; the service checks
    (lengths, who, when)."""

    report_number = forms.CharField(label=FIELD_LABELS["report_number"], required=False)
    signer_name = forms.CharField(label=FIELD_LABELS["signer_name"], required=False)
    signer_title = forms.CharField(label=FIELD_LABELS["signer_title"], required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for number, (name, heading) in enumerate(REPORT_SECTIONS, start=1):
            self.fields[name] = forms.CharField(
                label=f"{number}. {heading}",
                required=False,
                strip=False,
                widget=forms.Textarea(attrs={"rows": 8}),
            )
        for name, field in self.fields.items():  # Django links the hint (aria-describedby)
            field.help_text = HINTS.get(name, "")
            field.widget.attrs["class"] = "form-control"


def _initial(report: SelfAssessmentReport) -> dict[str, str]:
    return {name: getattr(report, name) for name in FIELD_LABELS}


def _render(
    request: HttpRequest,
    assessment: Assessment,
    report: SelfAssessmentReport,
    form: ReportForm,
    status: int = 200,
) -> HttpResponse:
    for name in form.errors:
        if name in form.fields:
            form.fields[name].widget.attrs["class"] = "form-control is-invalid"
    is_unit = can_edit_as_unit(request.user, assessment)
    closed = closed_reason(assessment) if is_unit else None
    sections = [(heading, getattr(report, name)) for name, heading in REPORT_SECTIONS]
    return render(
        request,
        "assessments/report_unit.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "report": report,
            "form": form,
            "sections": sections,
            "is_unit": is_unit,
            "closed": closed,
            "editable": is_unit and closed is None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """Báo cáo tự đánh giá: the form of the sections for the unit while it may edit its
    self-assessment, else the report as saved (read-only)."""
    assessment = get_assessment_for_user(request.user, pk, write=request.method == "POST")
    require_whole_assessment(request.user, assessment)
    saved = self_assessment_report(assessment)
    if request.method != "POST":
        return _render(request, assessment, saved, ReportForm(initial=_initial(saved)))
    form = ReportForm(request.POST)
    form.is_valid()  # every field optional: the service checks what matters
    data = {name: request.POST.get(name, "") for name in FIELD_LABELS}
    try:
        self_assessment_report_save(assessment=assessment, actor=request_user(request), data=data)
    except ValidationError as error:
        add_service_errors(form, error)
        return _render(request, assessment, saved, form, status=400)
    saved_at = timezone.localtime().strftime("%H:%M")
    messages.success(request, f"Đã lưu báo cáo tự đánh giá lúc {saved_at}.")
    return redirect("assessments:report", pk=assessment.pk)


# --------------------------------------------------------------------------- the council


@login_required
@require_GET
def proposals(request: HttpRequest, period_id: int) -> HttpResponse:
    """Kiến nghị, đề xuất: every unit's proposals on the criteria of the period, with a
    search that ignores diacritics (?q=)."""
    period = get_overseen_period(request.user, period_id, what="kiến nghị")
    query = request.GET.get(SEARCH_PARAM, "")[:200]
    found = period_proposals(period, query)
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "assessments/report_proposals.html",
        {"period": period, "proposals": found, "page": page, "search_param": SEARCH_PARAM},
    )


@login_required
@require_GET
def proposals_export(request: HttpRequest, period_id: int) -> HttpResponse:
    """The same list (as searched) as an XLSX file."""
    period = get_overseen_period(request.user, period_id, what="kiến nghị")
    found = period_proposals(period, request.GET.get(SEARCH_PARAM, "")[:200])
    response = HttpResponse(proposals_xlsx(found), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="kien-nghi-{period.year}-{period.pk}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response
