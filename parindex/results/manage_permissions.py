"""Who may manage a period's results: the chokepoint of the council's results pages.

The council chair (and superusers) compute, publish, correct and set the leader rating
rules; observers of the same jurisdiction only look. Anyone else, and every period of
another jurisdiction, is "not found" (404); an observer who tries to change something
gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from parindex.accounts.models import User
from parindex.assessments.permissions import (
    OVERSIGHT_ROLES,
    get_period_for_user,
    is_chair,
    periods_visible_to,
)
from parindex.periods.models import Period


def oversees_results(user: Any) -> bool:
    """Chair, observer or superuser (signed in and active)."""
    return (
        isinstance(user, User)
        and user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.role in OVERSIGHT_ROLES)
    )


def results_periods_for(user: Any) -> QuerySet[Period]:
    """The periods whose results ``user`` oversees, newest first; 404 for other roles."""
    if not oversees_results(user):
        raise Http404("Không tìm thấy trang quản lý kết quả.")
    return periods_visible_to(user).select_related("jurisdiction").order_by("-year", "kind", "name")


def get_results_period(user: Any, pk: int, *, manage: bool = False) -> Period:
    """The period whose results ``user`` oversees: 404 for anyone else or another
    jurisdiction; with ``manage``, 403 unless the user is the chair (or a superuser)."""
    period = get_period_for_user(user, pk)
    if not oversees_results(user):
        raise Http404("Không tìm thấy kết quả của kỳ đánh giá.")
    if manage and not is_chair(user):
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị kỳ đánh giá được thực hiện.")
    return period
