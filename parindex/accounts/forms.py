from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp import match_token
from django_otp.models import Device

from parindex.accounts.services import has_totp


class LoginForm(AuthenticationForm):
    """Sign-in with Vietnamese labels; asks for the authenticator code when the account has
    two-factor authentication."""

    username = forms.CharField(
        label="Tên đăng nhập",
        widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control"}),
    )
    password = forms.CharField(
        label="Mật khẩu",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        ),
    )
    otp_token = forms.CharField(
        label="Mã xác thực (nếu tài khoản bật xác thực hai bước)",
        required=False,
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )
    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.otp_device: Device | None = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and has_totp(user):
            token = (cleaned.get("otp_token") or "").strip().replace(" ", "")
            if not token:
                raise forms.ValidationError(
                    "Tài khoản này bật xác thực hai bước: hãy nhập mã từ ứng dụng xác thực."
                )
            self.otp_device = match_token(user, token)
            if self.otp_device is None:
                raise forms.ValidationError("Mã xác thực không đúng hoặc đã hết hạn.")
        return cleaned


class TotpConfirmForm(forms.Form):
    token = forms.CharField(
        label="Mã 6 số từ ứng dụng xác thực",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}
        ),
    )
