"""Forms of the page "Phân công nhiệm vụ trong đơn vị": their choices are the unit's own
people and sections; the services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.organizations.models import Unit
from parindex.teams.models import Section
from parindex.teams.selectors import unit_people
from parindex.teams.services import NAME_MAX, NOTE_MAX

NOT_OURS = "Cán bộ, công chức đã chọn không thuộc đơn vị."


class PersonChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


class PeopleChoice(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.username)


class SectionForm(forms.Form):
    name = forms.CharField(
        label="Tên bộ phận",
        max_length=NAME_MAX,
        error_messages={
            "required": "Cần nhập tên bộ phận.",
            "max_length": f"Tên bộ phận tối đa {NAME_MAX} ký tự.",
        },
    )
    members = PeopleChoice(
        label="Cán bộ, công chức",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": NOT_OURS, "invalid_pk_value": NOT_OURS},
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = unit_people(unit)  # type: ignore[attr-defined]
        self.fields["name"].widget.attrs["class"] = "form-control"


class AssignmentForm(forms.Form):
    """One row of the tree: the officer and/or section for one code (both empty: nobody)."""

    node = forms.CharField(max_length=30, error_messages={"required": "Thiếu mã nội dung."})
    officer = PersonChoice(
        label="Cán bộ phụ trách",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": NOT_OURS},
    )
    section: forms.ModelChoiceField = forms.ModelChoiceField(  # type: ignore[type-arg]
        label="Bộ phận phụ trách",
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Bộ phận đã chọn không thuộc đơn vị."},
    )
    note = forms.CharField(
        label="Ghi chú",
        max_length=NOTE_MAX,
        required=False,
        error_messages={"max_length": f"Ghi chú tối đa {NOTE_MAX} ký tự."},
    )

    def __init__(self, *args: Any, unit: Unit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = unit_people(unit)  # type: ignore[attr-defined]
        self.fields["section"].queryset = Section.objects.filter(unit=unit)  # type: ignore[attr-defined]

    def problems(self) -> str:
        """Every error in one line, each after its field's label."""
        parts = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else None
            text = " ".join(str(e) for e in errors)
            parts.append(f"{label}: {text}" if label else text)
        return " ".join(parts)
