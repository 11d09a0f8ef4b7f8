"""Who may manage a period's results: the chokepoint of the council's results pages.

The council chair (and superusers) compute, publish, correct and set the leader rating
rules; observers of the same jurisdiction only look. Anyone else, and every period of
another jurisdiction, is "not found" (404); an observer who tries to change something
gets 403. The rule is the period one (:mod:`parindex.periods.permissions`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from parindex.periods.models import Period
from parindex.periods.permissions import get_overseen_period, is_overseer, overseen_periods


def results_periods_for(user: Any) -> QuerySet[Period]:
    """The periods whose results ``user`` oversees, newest first; 404 for other roles."""
    if not is_overseer(user):
        raise Http404("Không tìm thấy trang quản lý kết quả.")
    return overseen_periods(user).select_related("jurisdiction").order_by("-year", "kind", "name")


def get_results_period(user: Any, pk: int, *, manage: bool = False) -> Period:
    """The period whose results ``user`` oversees (404 otherwise; 403 for an observer's
    change)."""
    return get_overseen_period(user, pk, manage=manage, what="kết quả")
