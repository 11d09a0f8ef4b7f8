"""The filters of the council's audit trail (Nhật ký), read from the query string."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.audit.actions import action_choices
from parindex.audit.selectors import Filters, Scope, period_choices, unit_choices

PERIOD = "ky"
UNIT = "don-vi"
PERSON = "nguoi"
ITEM = "tieu-chi"
ACTION = "hanh-dong"
DATE_FROM = "tu-ngay"
DATE_TO = "den-ngay"
FIELDS = (PERIOD, UNIT, PERSON, ITEM, ACTION, DATE_FROM, DATE_TO)
"""The query-string names of the filters (also kept in the export links)."""


def _choice_errors(label: str) -> dict[str, str]:
    return {"invalid_choice": f"{label}: lựa chọn không hợp lệ."}


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": f"{label}: ngày không hợp lệ (chọn ngày trên lịch)."},
    )


class AuditFilterForm(forms.Form):
    """Kỳ đánh giá, đơn vị, người thực hiện, tiêu chí, hành động, từ ngày – đến ngày."""

    def __init__(self, data: Any, *, scope: Scope) -> None:
        super().__init__(data)
        self.fields[PERIOD] = forms.ModelChoiceField(
            label="Kỳ đánh giá",
            queryset=period_choices(scope),
            required=False,
            empty_label="Tất cả kỳ",
            error_messages=_choice_errors("Kỳ đánh giá"),
        )
        self.fields[UNIT] = forms.ModelChoiceField(
            label="Đơn vị",
            queryset=unit_choices(scope),
            required=False,
            empty_label="Tất cả đơn vị",
            error_messages=_choice_errors("Đơn vị"),
        )
        self.fields[PERSON] = forms.CharField(
            label="Người thực hiện",
            required=False,
            max_length=100,
            strip=True,
            widget=forms.TextInput(attrs={"placeholder": "Họ tên hoặc tên đăng nhập"}),
            error_messages={"max_length": "Người thực hiện: tối đa 100 ký tự."},
        )
        self.fields[ITEM] = forms.CharField(
            label="Tiêu chí (mã)",
            required=False,
            max_length=50,
            strip=True,
            widget=forms.TextInput(attrs={"placeholder": "Ví dụ: 1.2"}),
            error_messages={"max_length": "Tiêu chí (mã): tối đa 50 ký tự."},
        )
        self.fields[ACTION] = forms.ChoiceField(
            label="Hành động",
            required=False,
            choices=[("", "Tất cả hành động"), *action_choices()],
            error_messages=_choice_errors("Hành động"),
        )
        self.fields[DATE_FROM] = _date_field("Từ ngày")
        self.fields[DATE_TO] = _date_field("Đến ngày")
        for field in self.fields.values():
            select = isinstance(field.widget, forms.Select)
            classes = "form-select form-select-sm" if select else "form-control form-control-sm"
            field.widget.attrs["class"] = classes

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-describedby"] = f"id_{name}_error"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        item = (data.get(ITEM) or "").strip().rstrip(".")
        if item and not all(part.isalnum() for part in item.split(".")):
            self.add_error(ITEM, "Tiêu chí (mã): chỉ gồm chữ, số và dấu chấm, ví dụ 1.2.")
        else:
            data[ITEM] = item
        start, end = data.get(DATE_FROM), data.get(DATE_TO)
        if start and end and end < start:
            self.add_error(DATE_TO, "Đến ngày phải cùng hoặc sau Từ ngày.")
        return data

    def filters(self) -> Filters:
        """The valid filters (a field with an error is left out; the page shows why)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return Filters(
            period=data.get(PERIOD),
            unit=data.get(UNIT),
            person=data.get(PERSON) or "",
            item=data.get(ITEM) or "",
            action=data.get(ACTION) or "",
            date_from=data.get(DATE_FROM),
            date_to=data.get(DATE_TO),
        )
