"""Sign-in (with TOTP), two-factor enrolment, password change and reset, and the admin's
sign-in route (sent to the same sign-in)."""

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login

from parindex.accounts import services
from parindex.accounts.forms import (
    LoginForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    TotpConfirmForm,
    TotpProofForm,
)
from parindex.accounts.models import User
from parindex.core.ratelimit import client_address, over_limit


def reset_minutes() -> int:
    """How long a password-reset link is valid (PASSWORD_RESET_MINUTES)."""
    return max(1, int(settings.PASSWORD_RESET_TIMEOUT) // 60)


def safe_next(request: HttpRequest, value: str | None, default: str = "") -> str:
    """``value`` if it is a URL of this site, else ``default``."""
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return default


class LoginView(auth_views.LoginView):
    """The only sign-in: password, then the authenticator code when the account has one
    (django_otp marks the session verified). An account that must have a second factor
    (TWO_FACTOR_REQUIRED_ROLES) and has none is sent to set one up."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self) -> str:
        url = super().get_success_url()
        user = self.request.user
        if (
            isinstance(user, User)
            and services.two_factor_required(user)
            and not services.has_totp(user)
        ):
            return f"{reverse('accounts:two_factor')}?{urlencode({'next': url})}"
        return url


def admin_login(request: HttpRequest) -> HttpResponse:
    """/quan-tri/login/: the admin has no sign-in of its own (it would skip the second
    factor); visitors go to the site's sign-in and come back to ``next``."""
    target = safe_next(
        request, request.GET.get("next") or request.POST.get("next"), reverse("admin:index")
    )
    user = request.user
    if user.is_authenticated:
        if user.is_active and user.is_staff:
            return redirect(target)
        return render(request, "accounts/admin_denied.html", status=403)
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': target})}")


def _two_factor_page(
    request: HttpRequest,
    user: User,
    *,
    form: TotpConfirmForm | None = None,
    proof_form: TotpProofForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    enabled = services.has_totp(user)
    if proof_form is not None and not enabled and not error:
        # No device (any more): the proof form is not shown, so say what was wrong here.
        error = " ".join(str(m) for field in proof_form.errors.values() for m in field)
    context: dict[str, Any] = {
        "enabled": enabled,
        "required": services.two_factor_required(user),
        "next": safe_next(request, request.GET.get("next") or request.POST.get("next")),
        "error": error,
    }
    if enabled:
        context["proof_form"] = proof_form or TotpProofForm(user=user, request=request)
    else:
        device = services.totp_begin(user=user)
        context["form"] = form or TotpConfirmForm()
        context["secret"] = b32encode(device.bin_key).decode()
        context["config_url"] = device.config_url
    return render(request, "accounts/two_factor.html", context, status=status)


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up and confirm the authenticator app (TOTP); turn it off or replace it after a
    current code or the password."""
    user = request.user
    assert isinstance(user, User)
    if request.method != "POST":
        return _two_factor_page(request, user)
    action = request.POST.get("action", "")
    if action in TotpProofForm.ACTIONS:
        proof_form = TotpProofForm(request.POST, user=user, request=request, action=action)
        if not proof_form.is_valid():
            return _two_factor_page(request, user, proof_form=proof_form, status=400)
        replace = action == "replace"
        services.totp_disable(user=user, actor=user, proof=proof_form.proof, replace=replace)
        if replace:
            messages.info(request, "Đã gỡ thiết bị cũ: hãy thêm khóa mới vào ứng dụng xác thực.")
        else:
            messages.success(request, "Đã tắt xác thực hai bước.")
        return redirect("accounts:two_factor")
    if services.has_totp(user):
        return _two_factor_page(
            request,
            user,
            error="Tài khoản đã bật xác thực hai bước. Muốn dùng thiết bị khác, hãy chọn "
            "“Thay thiết bị” và xác nhận bằng mã hiện tại hoặc mật khẩu.",
            status=400,
        )
    form = TotpConfirmForm(request.POST)
    if form.is_valid():
        device = services.totp_confirm(user=user, token=form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)  # this session has just shown a valid code
            messages.success(request, "Đã bật xác thực hai bước.")
            return redirect(safe_next(request, request.POST.get("next")) or "accounts:two_factor")
        form.add_error("token", "Mã không đúng, hãy thử mã mới nhất trong ứng dụng.")
    return _two_factor_page(request, user, form=form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:  # type: ignore[override]
        user = form.user
        assert isinstance(user, User)
        services.password_set(user=user, password=form.cleaned_data["new_password1"], actor=user)
        update_session_auth_hash(self.request, user)  # this session stays, the others end
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


RESET_LIMIT = 5
"""Reset e-mails per address (and per client) an hour: a mailbox is not flooded."""


class PasswordResetView(auth_views.PasswordResetView):
    """The same "sent" page whether or not the address belongs to an account."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetForm
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:  # type: ignore[override]
        email = form.cleaned_data.get("email", "").strip().lower()
        if over_limit(
            f"quen-mat-khau:{client_address(self.request)}", limit=RESET_LIMIT, window=3600
        ) or over_limit(f"quen-mat-khau:{email}", limit=RESET_LIMIT, window=3600):
            # No mail, but the same page: nobody learns whether the address has an account.
            return HttpResponseRedirect(self.get_success_url())
        self.extra_email_context = {"timeout_minutes": reset_minutes()}
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "timeout_minutes": reset_minutes()}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = SetPasswordForm
    reset_url_token = "dat-mat-khau"  # noqa: S105 (a URL segment, not a password)
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[override]
        user = form.user
        assert isinstance(user, User)
        services.password_set(
            user=user, password=form.cleaned_data["new_password1"], actor=user, reset=True
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
