from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django_otp import match_token
from django_otp.models import Device

from parindex.accounts.models import User
from parindex.accounts.services import has_totp

LOCKED_OUT = "Tài khoản này đang tạm khóa vì nhập sai quá nhiều lần. Vui lòng thử lại sau ít phút."
WRONG_CODE = "Mã xác thực không đúng hoặc đã hết hạn."

_CODE_ATTRS = {"autocomplete": "one-time-code", "inputmode": "numeric", "class": "form-control"}


def _clean_token(value: str | None) -> str:
    return (value or "").strip().replace(" ", "")


def otp_failed(request: HttpRequest | None, username: str) -> None:
    """Count a wrong authenticator code like a wrong password: a django-axes failure for this
    user name and address (after LOGIN_FAILURE_LIMIT of them the pair is locked)."""
    user_login_failed.send(sender=__name__, credentials={"username": username}, request=request)


def otp_allowed(request: HttpRequest | None, username: str) -> bool:
    """False (and the request marked for the lock-out page) when the pair is locked."""
    if request is None or AxesProxyHandler.is_allowed(request, {"username": username}):
        return True
    request.axes_locked_out = True  # type: ignore[attr-defined]
    return False


class LoginForm(auth_forms.AuthenticationForm):
    """Sign-in with Vietnamese labels; asks for the authenticator code when the account has
    two-factor authentication. A wrong code counts towards the lock-out."""

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
        widget=forms.TextInput(attrs=_CODE_ATTRS),
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
            token = _clean_token(cleaned.get("otp_token"))
            if not token:
                raise forms.ValidationError(
                    "Tài khoản này bật xác thực hai bước: hãy nhập mã từ ứng dụng xác thực."
                )
            self.otp_device = match_token(user, token)
            if self.otp_device is None:
                otp_failed(self.request, user.get_username())
                raise forms.ValidationError(WRONG_CODE)
            # django_otp marks the session verified when the user logs in with this set.
            setattr(user, "otp_device", self.otp_device)  # noqa: B010
        return cleaned


class TotpConfirmForm(forms.Form):
    token = forms.CharField(
        label="Mã 6 số từ ứng dụng xác thực",
        max_length=12,
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )


class TotpProofForm(forms.Form):
    """A current authenticator code or the account's password, asked before two-factor
    authentication is turned off or its device replaced. Wrong ones count towards the
    lock-out."""

    ACTIONS = {"disable": "tắt xác thực hai bước", "replace": "thay thiết bị xác thực"}

    proof_token = forms.CharField(
        label="Mã xác thực hiện tại",
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs=_CODE_ATTRS),
    )
    proof_password = forms.CharField(
        label="hoặc mật khẩu của tài khoản",
        required=False,
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "class": "form-control"}
        ),
    )

    def __init__(
        self, *args: Any, user: User, request: HttpRequest, action: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.request = request
        self.action = action
        self.proof = ""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        token = _clean_token(cleaned.get("proof_token"))
        password = cleaned.get("proof_password") or ""
        action = self.ACTIONS.get(self.action, "tiếp tục")
        username = self.user.get_username()
        if not token and not password:
            raise forms.ValidationError(
                f"Để {action}, hãy nhập mã xác thực hiện tại hoặc mật khẩu của tài khoản."
            )
        if token:
            if not otp_allowed(self.request, username):
                raise forms.ValidationError(LOCKED_OUT)
            if match_token(self.user, token) is None:
                otp_failed(self.request, username)
                self.add_error("proof_token", WRONG_CODE)
                return cleaned
            self.proof = "mã xác thực"
            return cleaned
        checked = authenticate(self.request, username=username, password=password)
        if checked is None or checked.pk != self.user.pk:
            if getattr(self.request, "axes_locked_out", False):
                raise forms.ValidationError(LOCKED_OUT)
            self.add_error("proof_password", "Mật khẩu không đúng.")
            return cleaned
        self.proof = "mật khẩu"
        return cleaned


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """Django's form with Vietnamese labels; the view saves through the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Mật khẩu hiện tại"
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.error_messages = {
            **self.error_messages,
            "password_incorrect": "Mật khẩu hiện tại không đúng.",
            "password_mismatch": "Hai lần nhập mật khẩu mới không khớp nhau.",
        }
        for item in self.fields.values():
            item.widget.attrs.setdefault("class", "form-control")


class SetPasswordForm(auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "Mật khẩu mới"
        self.fields["new_password2"].label = "Nhập lại mật khẩu mới"
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": "Hai lần nhập mật khẩu mới không khớp nhau.",
        }
        for item in self.fields.values():
            item.widget.attrs.setdefault("class", "form-control")


class PasswordResetForm(auth_forms.PasswordResetForm):
    email = forms.EmailField(
        label="Địa chỉ thư điện tử của tài khoản",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "class": "form-control"}),
        error_messages={
            "required": "Hãy nhập địa chỉ thư điện tử.",
            "invalid": "Địa chỉ thư điện tử không đúng định dạng.",
        },
    )
