"""Forms of the plan pages: they parse input only; the services check and store."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from parindex.core.forms import styled
from parindex.plans.models import ItemKind

DATE_INPUT = {"type": "date"}


def _date(label: str, *, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_INPUT, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "invalid": f"{label}: cần ngày dạng dd/mm/yyyy.",
            "required": f"Cần nhập {label.lower()}.",
        },
    )


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self)


class PlanForm(StyledForm):
    year = forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        error_messages={
            "required": "Cần nhập năm của kế hoạch.",
            "invalid": "Năm cần là một số, ví dụ 2025.",
            "min_value": "Năm cần từ 2000 đến 2100.",
            "max_value": "Năm cần từ 2000 đến 2100.",
        },
    )
    number = forms.CharField(label="Số, ký hiệu", required=False, help_text="Ví dụ: 12/KH-UBND")
    issued_on = _date("Ngày ban hành")
    title = forms.CharField(
        label="Trích yếu",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần nhập trích yếu (tên) của kế hoạch."},
    )
    unit = forms.TypedChoiceField(label="Đơn vị", coerce=int, choices=[])

    def __init__(self, *args: Any, units: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = units  # type: ignore[attr-defined]
        if len(units) <= 1:
            self.fields["unit"].widget = forms.HiddenInput()
            if units:
                self.fields["unit"].initial = units[0][0]


class PlanEditForm(PlanForm):
    """The plan's number, date and title (its unit and year stay)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, units=[], **kwargs)
        del self.fields["unit"]
        del self.fields["year"]


class ItemForm(StyledForm):
    kind = forms.ChoiceField(label="Loại", choices=ItemKind.choices)
    parent = forms.TypedChoiceField(
        label="Thuộc", coerce=int, required=False, empty_value=None, choices=[]
    )
    code = forms.CharField(label="STT", required=False)
    title = forms.CharField(
        label="Nội dung",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần nhập nội dung."},
    )
    product = forms.CharField(label="Sản phẩm", required=False)
    deadline = _date("Thời hạn")
    lead = forms.CharField(label="Chủ trì", required=False)
    support = forms.CharField(label="Phối hợp", required=False)

    def __init__(self, *args: Any, parents: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "(trực tiếp kế hoạch)"), *parents]  # type: ignore[attr-defined]


class ItemEditForm(ItemForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, parents=[], **kwargs)
        del self.fields["kind"]
        del self.fields["parent"]


class DoneForm(StyledForm):
    done_on = _date("Ngày hoàn thành", required=True)
    result_document = forms.CharField(
        label="Văn bản, sản phẩm hoàn thành",
        required=False,
        help_text="Số, ngày, trích yếu văn bản hoặc sản phẩm (ví dụ: Báo cáo số 45/BC-UBND "
        "ngày 20/6/2025).",
    )
    file = forms.FileField(
        label="Tệp kiểm chứng",
        required=False,
        help_text="PDF, Word hoặc Excel; tối đa 20 MB.",
        error_messages={"empty": "Tệp rỗng."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["initial"] = {"done_on": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class ImportForm(StyledForm):
    file = forms.FileField(
        label="Tệp kế hoạch (.xlsx)",
        error_messages={"required": "Hãy chọn tệp để nhập.", "empty": "Tệp rỗng."},
    )
    replace = forms.BooleanField(
        label="Thay toàn bộ nội dung hiện có của kế hoạch",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["replace"].widget.attrs["class"] = "form-check-input"

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not str(upload.name or "").lower().endswith((".xlsx", ".xlsm")):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx (theo tệp mẫu).")
        return upload
