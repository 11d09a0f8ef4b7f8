"""Reading notices: the bell's count, a person's list, one notice of theirs."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.accounts.models import User
from parindex.notices.models import Notice

LIST_LIMIT = 200


def _user(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def unread_count(user: Any) -> int:
    """Unread notices of a signed-in user (0 for anyone else)."""
    u = _user(user)
    return Notice.objects.for_user(u).unread().count() if u is not None else 0


def notices_of(user: Any, *, limit: int = LIST_LIMIT) -> list[Notice]:
    """The user's latest notices, newest first."""
    u = _user(user)
    return list(Notice.objects.for_user(u)[:limit]) if u is not None else []


def get_notice_for_user(user: Any, pk: int) -> Notice:
    """One of the user's own notices, else 404."""
    u = _user(user)
    notice = Notice.objects.for_user(u).filter(pk=pk).first() if u is not None else None
    if notice is None:
        raise Http404("Không tìm thấy thông báo.")
    return notice
