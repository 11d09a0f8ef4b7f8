"""Forms of the evidence pages. They only parse the request: the services check the rest."""

from __future__ import annotations

from typing import Any

from django import forms

MAX_CERTIFICATE_BYTES = 1024 * 1024


class CiteForm(forms.Form):
    """A citation of an existing document. Presence is checked by ``evidence_cite``."""

    number = forms.CharField(label="Số, ký hiệu", required=False, max_length=100)
    date = forms.DateField(
        label="Ngày ban hành",
        required=False,
        error_messages={"invalid": "Ngày ban hành không hợp lệ (dd/mm/yyyy)."},
    )
    issuer = forms.CharField(label="Cơ quan ban hành", required=False, max_length=255)
    title = forms.CharField(label="Trích yếu", required=False, max_length=500)


class TrustAnchorForm(forms.Form):
    name = forms.CharField(
        label="Tên gọi",
        required=False,
        max_length=200,
        help_text="Ví dụ: Root CA quốc gia (mới). Để trống để dùng tên trong chứng thư.",
    )
    certificate = forms.FileField(
        label="Tệp chứng thư",
        required=False,
        help_text="PEM, DER/CRT/CER hoặc P7B; một tệp PEM có thể chứa nhiều chứng thư.",
    )
    pem = forms.CharField(
        label="Hoặc dán nội dung PEM",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_CERTIFICATE_BYTES,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("certificate")
        if upload is not None and upload.size > MAX_CERTIFICATE_BYTES:
            raise forms.ValidationError("Tệp chứng thư quá lớn (tối đa 1 MB).")
        if upload is None and not (data.get("pem") or "").strip():
            raise forms.ValidationError("Hãy chọn tệp chứng thư hoặc dán nội dung PEM.")
        return data

    def certificate_bytes(self) -> bytes:
        upload = self.cleaned_data.get("certificate")
        if upload is not None:
            return bytes(upload.read())
        return str(self.cleaned_data.get("pem") or "").encode("utf-8")
