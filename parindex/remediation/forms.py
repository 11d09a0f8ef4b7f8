"""Forms of the remediation pages: a task's fields (one form per selected lost item, and
the edit form), completing, dropping, commenting. Files are read from ``request.FILES``
(``files``, several at once) and checked by the evidence machinery."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.accounts.models import User
from parindex.core.forms import styled
from parindex.evidence.models import Evidence
from parindex.remediation.services import MAX_TEXT
from parindex.teams.models import Section


class OfficerField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class TaskFieldsForm(forms.Form):
    """What to do, who does it, by when: a row of "giao nhiệm vụ" or the edit form.

    No ``required`` attribute in the page: the lost-points page holds one such row per item
    and only the ticked ones are validated (on the server), so an empty row the leader did
    not tick must not stop the browser from sending the others."""

    use_required_attribute = False

    action = forms.CharField(
        label="Biện pháp khắc phục",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần ghi biện pháp khắc phục."},
    )
    officer = OfficerField(
        label="Cán bộ thực hiện",
        queryset=User.objects.none(),
        required=False,
        empty_label="— Không chọn —",
        error_messages={"invalid_choice": "Cán bộ đã chọn không thuộc đơn vị."},
    )
    section = forms.ModelChoiceField(
        label="Bộ phận thực hiện",
        queryset=Section.objects.none(),
        required=False,
        empty_label="— Không chọn —",
        error_messages={"invalid_choice": "Bộ phận đã chọn không thuộc đơn vị."},
    )
    due_date = forms.DateField(
        label="Hạn hoàn thành",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={
            "required": "Cần chọn hạn hoàn thành.",
            "invalid": "Hạn hoàn thành không đúng dạng ngày.",
        },
    )
    expected_evidence = forms.CharField(
        label="Tài liệu kiểm chứng dự kiến",
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, officers: Any, sections: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers  # type: ignore[attr-defined]
        self.fields["section"].queryset = sections  # type: ignore[attr-defined]
        styled(self)

    def error_lines(self, prefix: str = "") -> list[str]:
        """Every error in words, each with its field's label (``prefix`` first)."""
        lines = []
        for name, errors in self.errors.items():
            label = self.fields[name].label if name in self.fields else ""
            for error in errors:
                lines.append(f"{prefix}{label + ': ' if label else ''}{error}")
        return lines


class CompleteForm(forms.Form):
    result = forms.CharField(
        label="Kết quả thực hiện",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần ghi kết quả thực hiện."},
    )
    evidence = forms.ModelMultipleChoiceField(
        label="Dùng tệp đơn vị đã tải lên",
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tài liệu đã chọn không phải của đơn vị."},
    )

    def __init__(self, *args: Any, library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = library  # type: ignore[attr-defined]
        styled(self)


class EvidenceForm(forms.Form):
    evidence = forms.ModelMultipleChoiceField(
        label="Dùng tệp đơn vị đã tải lên",
        queryset=Evidence.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Tài liệu đã chọn không phải của đơn vị."},
    )

    def __init__(self, *args: Any, library: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["evidence"].queryset = library  # type: ignore[attr-defined]


class DropForm(forms.Form):
    reason = forms.CharField(
        label="Lý do không thực hiện",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần ghi lý do không thực hiện nhiệm vụ."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self)


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Nội dung trao đổi",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Cần nhập nội dung trao đổi."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self)
