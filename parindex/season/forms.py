"""Forms of the chair's dashboard: the next step (with its deadline) and a unit's extension."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from parindex.organizations.models import Unit
from parindex.periods.models import DeadlineStage, Period
from parindex.season.consequences import NO_APPRAISAL_CONFIRM

DATETIME_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]


class StepForm(forms.Form):
    """The confirmation of the next step: its deadline, the box for finalising a period
    nobody appraised, and ``seen``, the consequences' fingerprint the page showed."""

    step = forms.CharField(max_length=40)
    deadline = forms.DateTimeField(
        label="Hạn",
        required=False,
        input_formats=DATETIME_FORMATS,
        error_messages={
            "invalid": (
                "Thời hạn không hợp lệ: nhập theo dạng dd/mm/yyyy HH:MM, ví dụ 31/03/2025 17:00."
            )
        },
    )
    confirm_unappraised = forms.BooleanField(label=NO_APPRAISAL_CONFIRM, required=False)
    seen = forms.CharField(max_length=200, required=False)


class ExtensionForm(forms.Form):
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=Unit.objects.none())
    stage = forms.ChoiceField(label="Giai đoạn", choices=DeadlineStage.choices)
    until = forms.DateTimeField(
        label="Gia hạn đến",
        input_formats=DATETIME_FORMATS,
        help_text="dd/mm/yyyy HH:MM",
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy HH:MM", "autocomplete": "off"}),
    )
    reason = forms.CharField(
        label="Lý do", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Unit], self.fields["unit"])
        field.queryset = Unit.objects.filter(assessments__period=period).order_by(
            "position", "name"
        )
