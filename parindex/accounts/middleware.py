"""Session rules applied on every request of a signed-in person.

* :class:`IdleTimeoutMiddleware`: the session ends after SESSION_IDLE_TIMEOUT_MINUTES
  without a request (0: never; SESSION_MAX_HOURS still bounds it).
* :class:`TwoFactorMiddleware`: a session of an account with a confirmed authenticator
  that did not give its code (an older session, or one opened another way) is ended; an
  account that must have a second factor (TWO_FACTOR_REQUIRED_ROLES) and has none reaches
  only the set-up page and the sign-out until it has confirmed one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

from parindex.accounts.models import User
from parindex.accounts.services import has_totp, two_factor_required

LAST_ACTIVITY_KEY = "parindex_last_activity"
"""Session key: when the session last served a request (seconds since the epoch)."""

EXPIRED = "Phiên làm việc đã hết hạn do {minutes} phút không thao tác. Vui lòng đăng nhập lại."
NEEDS_CODE = (
    "Tài khoản này bật xác thực hai bước: vui lòng đăng nhập lại và nhập mã từ ứng dụng xác thực."
)
NEEDS_SETUP = (
    "Tài khoản của bạn bắt buộc dùng xác thực hai bước: hãy cài ứng dụng xác thực và "
    "xác nhận mã trước khi tiếp tục."
)


def wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def refuse(request: HttpRequest, message: str, location: str, *, status: int) -> HttpResponse:
    """Send the browser to ``location`` with ``message``: a redirect for a page, the status
    with ``HX-Redirect`` for htmx (which follows it), the status with JSON for the API."""
    if wants_json(request) and not is_htmx(request):
        return JsonResponse({"detail": message}, status=status)
    messages.warning(request, message)
    if is_htmx(request):
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
        response["HX-Redirect"] = location
        return response
    return HttpResponseRedirect(location)


def _with_next(url: str, request: HttpRequest) -> str:
    if request.method == "GET" and not is_htmx(request):
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        minutes = int(getattr(settings, "SESSION_IDLE_TIMEOUT_MINUTES", 0) or 0)
        if minutes <= 0:
            return self.get_response(request)
        limit = minutes * 60
        now = time.time()
        if request.user.is_authenticated:
            last = request.session.get(LAST_ACTIVITY_KEY)
            if isinstance(last, int | float) and now - last > limit:
                logout(request)
                return refuse(
                    request,
                    EXPIRED.format(minutes=minutes),
                    _with_next(reverse("accounts:login"), request),
                    status=401,
                )
        response = self.get_response(request)
        if request.user.is_authenticated and hasattr(request, "session"):
            last = request.session.get(LAST_ACTIVITY_KEY)
            # Written at most every tenth of the timeout (and every minute at most), so that
            # not every request saves the session.
            if not isinstance(last, int | float) or now - last >= min(60, limit / 10):
                request.session[LAST_ACTIVITY_KEY] = int(now)
        return response


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if isinstance(user, User) and not user.is_verified():  # type: ignore[attr-defined]
            if has_totp(user):
                logout(request)
                return refuse(
                    request,
                    NEEDS_CODE,
                    _with_next(reverse("accounts:login"), request),
                    status=401,
                )
            if two_factor_required(user) and request.path not in self._open_paths():
                return refuse(
                    request,
                    NEEDS_SETUP,
                    _with_next(reverse("accounts:two_factor"), request),
                    status=403,
                )
        return self.get_response(request)

    @staticmethod
    def _open_paths() -> tuple[str, ...]:
        return (reverse("accounts:two_factor"), reverse("accounts:logout"))
