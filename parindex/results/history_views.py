"""The council's page for importing results published before the system was used
(history): chair only, everyone else gets a 404. Thin: the form parses, the service
(:func:`parindex.results.history.services.history_import`) checks and stores."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from parindex.accounts.requests import request_user
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import PeriodKind
from parindex.results.history.files import MAX_FILE_MB
from parindex.results.history.parsed import HistoryFile
from parindex.results.history.selectors import history_versions, jurisdictions_for
from parindex.results.history.services import HistoryImport, history_import
from parindex.results.history.template import history_template_xlsx
from parindex.results.services import Decision

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_FILES = 20


class HistoryForm(forms.Form):
    """Which period the file holds and the decision that published it."""

    jurisdiction = forms.ModelChoiceField(
        label="Địa bàn", queryset=Unit.objects.none(), empty_label=None
    )
    year = forms.IntegerField(
        label="Năm",
        min_value=1990,
        max_value=2100,
        error_messages={"invalid": "Nhập năm bằng số, ví dụ 2022."},
    )
    kind = forms.ChoiceField(label="Loại kỳ", choices=PeriodKind.choices)
    name = forms.CharField(
        label="Tên kỳ đánh giá",
        required=False,
        max_length=200,
        help_text="Để trống: “Năm 2022”. Dùng khi hệ thống chưa có kỳ đánh giá của năm này.",
    )
    group = forms.ModelChoiceField(
        label="Nhóm đơn vị của cả tệp",
        queryset=UnitGroup.objects.order_by("position", "name"),
        required=False,
        empty_label="Theo nhóm ghi trong tệp",
        help_text="Chỉ chọn khi tệp không ghi nhóm (hoặc ghi tên nhóm khác với hệ thống).",
    )
    decision_number = forms.CharField(
        label="Số quyết định công bố",
        required=False,
        max_length=100,
        help_text="Ví dụ: 125/QĐ-UBND.",
    )
    decision_date = forms.DateField(
        label="Ngày ký",
        required=False,
        help_text="Ngày/tháng/năm, ví dụ 01/03/2023.",
        error_messages={
            "invalid": "Ngày ký không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)."
        },
    )
    signer_name = forms.CharField(label="Người ký", required=False, max_length=200)
    signer_title = forms.CharField(
        label="Chức vụ người ký", required=False, max_length=200, help_text="Ví dụ: Chủ tịch."
    )
    reason = forms.CharField(
        label="Lý do đính chính",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Chỉ cần khi năm này đã có kết quả nhập từ tệp và cần thay bằng kết quả khác.",
    )

    def __init__(self, *args: Any, jurisdictions: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        jurisdiction = self.fields["jurisdiction"]
        assert isinstance(jurisdiction, forms.ModelChoiceField)
        jurisdiction.queryset = jurisdictions
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["decision_date"].widget.attrs.update(
            {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        )
        self.fields["year"].widget.attrs.update({"inputmode": "numeric"})

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            number=data["decision_number"],
            date=data["decision_date"],
            signer_name=data["signer_name"],
            signer_title=data["signer_title"],
            reason=data["reason"],
        )


def _jurisdictions(request: HttpRequest) -> QuerySet[Unit]:
    """The chokepoint: the chair's jurisdictions; anyone else is answered 404."""
    jurisdictions = jurisdictions_for(request.user)
    if not jurisdictions.exists():
        raise Http404
    return jurisdictions


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    jurisdictions = _jurisdictions(request)
    errors: list[str] = []
    if request.method == "POST":
        form = HistoryForm(request.POST, jurisdictions=jurisdictions)
        uploads = request.FILES.getlist("files")
        errors.extend(_upload_problems(uploads))
        if form.is_valid() and not errors:
            outcome = _import(request, form, uploads, errors)
            if outcome is not None:
                _report(request, outcome)
                return redirect("results_history:upload")
    else:
        form = HistoryForm(
            jurisdictions=jurisdictions,
            initial={"jurisdiction": jurisdictions.first(), "kind": PeriodKind.ANNUAL},
        )
    return render(
        request,
        "results/history/upload.html",
        {
            "form": form,
            "errors": errors,
            "imported": history_versions(jurisdictions)[:50],
            "max_mb": MAX_FILE_MB,
        },
        status=400 if request.method == "POST" else 200,
    )


def _upload_problems(uploads: list[UploadedFile[Any]]) -> list[str]:
    """What is wrong with the uploaded files, refused before reading them into memory."""
    if not uploads:
        return ["Chọn tệp kết quả để nhập (Excel theo mẫu, hoặc JSON)."]
    if len(uploads) > MAX_FILES:
        return [f"Mỗi lần nhập tối đa {MAX_FILES} tệp."]
    return [
        f"Tệp {f.name}: lớn hơn {MAX_FILE_MB} MB."
        for f in uploads
        if (f.size or 0) > MAX_FILE_MB * 1024 * 1024
    ]


def _import(
    request: HttpRequest, form: HistoryForm, uploads: list[UploadedFile[Any]], errors: list[str]
) -> HistoryImport | None:
    """The service's outcome; None when it refused (its problems put next to their field
    on the form, or in ``errors``)."""
    files = [HistoryFile(f.name or "tep", f.read()) for f in uploads]
    group = form.cleaned_data["group"]
    try:
        return history_import(
            jurisdiction=form.cleaned_data["jurisdiction"],
            year=form.cleaned_data["year"],
            kind=form.cleaned_data["kind"],
            name=form.cleaned_data["name"],
            data=files[0].data,
            filename=files[0].name,
            more=files[1:],
            decision=form.decision(),
            group_code=group.code if group else "",
            actor=request_user(request),
        )
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            errors.extend(exc.messages)
            return None
        for key, problems in exc.message_dict.items():
            for problem in problems:
                if key in form.fields:
                    form.add_error(key, problem)
                else:
                    errors.append(problem)
        return None


def _report(request: HttpRequest, outcome: HistoryImport) -> None:
    """What the import did, as messages on the next page."""
    version = outcome.version
    period = version.period
    if outcome.created:
        messages.success(
            request,
            f"Đã nhập kết quả {period.name} ({period.jurisdiction.name}), phiên bản "
            f"{version.number}: {version.units_count} đơn vị.",
        )
        for warning in outcome.warnings:
            messages.warning(request, warning)
    else:
        messages.info(
            request,
            f"Kết quả này đã được nhập ({version.period.name}, phiên bản "
            f"{version.number}); không nhập lại.",
        )
    for later in outcome.linked:
        messages.info(
            request,
            f"{later.name} từ nay so sánh với kết quả {version.period.name}; nếu đã "
            "tính bản nháp của kỳ đó, hãy tính lại.",
        )


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    _jurisdictions(request)
    response = HttpResponse(history_template_xlsx(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-ket-qua-da-cong-bo.xlsx"'
    return response
