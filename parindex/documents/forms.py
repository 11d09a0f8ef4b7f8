"""Forms of the documents pages."""

from __future__ import annotations

from typing import Any

from django import forms

from parindex.core.forms import styled
from parindex.documents.kinds.notice import FORMS as NOTICE_FORMS
from parindex.documents.kinds.results_report import EDITABLE_SECTIONS
from parindex.documents.models import DocumentFormat, DocumentKind
from parindex.documents.validation import MAX_TEMPLATE_BYTES

FORMAT_CHOICES = [
    (DocumentFormat.DOCX, "Word (DOCX)"),
    (DocumentFormat.PDF, "PDF"),
    (DocumentFormat.XLSX, "Excel (XLSX, các bảng và biểu đồ)"),
]


class GenerateForm(forms.Form):
    kind = forms.ChoiceField(label="Văn bản", choices=())
    format = forms.ChoiceField(label="Định dạng", choices=FORMAT_CHOICES)
    group = forms.ChoiceField(label="Nhóm đơn vị", choices=(), required=False)
    round = forms.TypedChoiceField(label="Vòng thẩm định", choices=(), coerce=int, required=False)

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, str]],
        groups: list[tuple[str, str]] | None = None,
        rounds: list[int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("kind", kinds)
        if groups:
            self._choices("group", [("", "Mọi nhóm"), *groups])
        else:
            del self.fields["group"]
        if rounds:
            self._choices("round", [(r, f"Vòng {r}") for r in rounds])
        else:
            del self.fields["round"]
        styled(self)

    def _choices(self, name: str, choices: list[tuple[Any, str]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices


class TextForm(forms.Form):
    """What the chair writes before issuing a period document."""

    parent_agency = forms.CharField(label="Cơ quan chủ quản", max_length=200, required=False)
    agency = forms.CharField(
        label="Cơ quan ban hành",
        max_length=200,
        required=False,
        help_text="Để trống: Sở/Phòng Nội vụ (báo cáo), Hội đồng thẩm định (thông báo).",
    )
    number = forms.CharField(
        label="Số, ký hiệu", max_length=60, required=False, help_text="Ví dụ: 251/BC-SNV."
    )
    place = forms.CharField(label="Địa danh", max_length=100, required=False)
    issued_on = forms.DateField(
        label="Ngày ban hành",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Để trống khi còn là dự thảo (in “ngày … tháng … năm …”).",
    )
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=200, required=False)
    signer_name = forms.CharField(label="Họ tên người ký", max_length=200, required=False)
    recipients = forms.CharField(
        label="Nơi nhận",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Mỗi dòng một nơi nhận.",
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        if kind == DocumentKind.NOTICE:
            self.fields["form"] = forms.ChoiceField(
                label="Hình thức", choices=list(NOTICE_FORMS.items()), initial="notice"
            )
            self.fields["body"] = forms.CharField(
                label="Nội dung bổ sung",
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
        else:
            for key, label in EDITABLE_SECTIONS:
                self.fields[key] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=20_000,
                    widget=forms.Textarea(attrs={"rows": 6}),
                )
        styled(self)

    def section_keys(self) -> list[str]:
        if self.kind == DocumentKind.NOTICE:
            return ["form", "body"]
        return [key for key, _label in EDITABLE_SECTIONS]

    def service_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        sections = {key: str(data.pop(key) or "") for key in self.section_keys()}
        data["sections"] = sections
        return data


class TemplateUploadForm(forms.Form):
    kind = forms.ChoiceField(label="Loại văn bản", choices=DocumentKind.choices)
    file = forms.FileField(label="Tệp mẫu (.docx)")
    note = forms.CharField(label="Ghi chú", max_length=300, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        styled(self)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_TEMPLATE_BYTES:
            raise forms.ValidationError("Tệp mẫu lớn hơn 10 MB.")
        return upload
