"""The person behind a request, typed: one helper for every view, API operation and admin."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from parindex.accounts.models import User


def request_user(request: HttpRequest) -> User:
    """The signed-in account making ``request``. Views that write are behind sign-in, so
    anything else is "not found" (404), never a crash."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        raise Http404("Không tìm thấy trang.")
    return user


def admin_actor(request: HttpRequest) -> User | None:
    """The account acting in the admin site, for the audit trail (None: not an account)."""
    return request.user if isinstance(request.user, User) else None
