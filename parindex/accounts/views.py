"""Sign-in (with optional TOTP) and two-factor enrolment."""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from parindex.accounts import services
from parindex.accounts.forms import LoginForm, TotpConfirmForm
from parindex.accounts.models import User


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)
        return response


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up, confirm or turn off the authenticator app (TOTP)."""
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST" and request.POST.get("action") == "disable":
        services.totp_disable(user=user, actor=user)
        messages.success(request, "Đã tắt xác thực hai bước.")
        return redirect("accounts:two_factor")
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.totp_confirm(user=user, token=form.cleaned_data["token"]):
            messages.success(request, "Đã bật xác thực hai bước.")
            return redirect("accounts:two_factor")
        form.add_error("token", "Mã không đúng, hãy thử mã mới nhất trong ứng dụng.")
    context: dict[str, object] = {"enabled": services.has_totp(user), "form": form}
    if not context["enabled"]:
        device = services.totp_begin(user=user)
        context["secret"] = b32encode(device.bin_key).decode()
        context["config_url"] = device.config_url
    return render(request, "accounts/two_factor.html", context)
