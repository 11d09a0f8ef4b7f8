"""Forms of the criteria pages: they parse input only; services do the work."""

from __future__ import annotations

from django import forms
from django.conf import settings

from parindex.organizations.models import Level, Unit

IMPORT_EXTENSIONS = (".xlsx", ".xlsm", ".json")


class CriteriaImportForm(forms.Form):
    file = forms.FileField(
        label="Tệp bộ tiêu chí",
        help_text="Bảng tính Excel (.xlsx) theo mẫu, hoặc tệp JSON đã xuất từ parindex.",
        error_messages={"required": "Hãy chọn tệp để nhập.", "empty": "Tệp rỗng."},
    )
    year = forms.IntegerField(
        label="Năm áp dụng",
        required=False,
        min_value=1990,
        max_value=2100,
        help_text="Để trống để dùng năm ghi trong tệp.",
    )
    level = forms.ChoiceField(
        label="Cấp áp dụng",
        required=False,
        choices=[("", "(theo tệp)"), *Level.choices],
    )
    jurisdiction = forms.ModelChoiceField(
        label="Đơn vị ban hành",
        required=False,
        queryset=Unit.objects.filter(is_active=True)
        .exclude(level=Level.COMMUNE)
        .order_by("position", "name"),
        empty_label="(không chọn)",
        help_text="Cơ quan ban hành hoặc địa bàn áp dụng bộ tiêu chí, ví dụ UBND tỉnh.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith(IMPORT_EXTENSIONS):
            raise forms.ValidationError("Chỉ nhận tệp .xlsx hoặc .json.")
        limit = settings.CRITERIA_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(f"Tệp quá lớn: tối đa {limit // (1024 * 1024)} MB.")
        return upload

    def is_json(self) -> bool:
        return str(self.cleaned_data["file"].name).lower().endswith(".json")


class CloneForm(forms.Form):
    year = forms.IntegerField(label="Sang năm", required=False, min_value=1990, max_value=2100)

    def target_year(self, source_year: int) -> int:
        return self.cleaned_data.get("year") or source_year + 1


class PlanCriterionForm(forms.Form):
    """The set's plan-completion criterion (checked by the service)."""

    plan_criterion_code = forms.CharField(
        label="Tiêu chí mức độ thực hiện kế hoạch CCHC",
        required=False,
        max_length=30,
        help_text="Mã tiêu chí thành phần, ví dụ 1.1.3; để trống nếu không dùng.",
        error_messages={"max_length": "Mã tiêu chí tối đa 30 ký tự."},
    )
