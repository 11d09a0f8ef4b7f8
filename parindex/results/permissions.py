"""Who may see which results: the one place the rule lives.

Finalised periods are public (no login needed). A period that is not finalised yet is
visible only to signed-in staff. Anything else is a 404, so the existence of unpublished
periods is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.periods.models import Period, PeriodQuerySet, PeriodStatus


def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def visible_periods(user: Any) -> PeriodQuerySet:
    """Periods ``user`` may see: every finalised one, and all of them for staff."""
    periods: PeriodQuerySet = Period.objects.select_related("jurisdiction")
    return periods if _is_staff(user) else periods.finalised()


def can_see_period(user: Any, period: Period) -> bool:
    return period.status == PeriodStatus.FINALISED or _is_staff(user)


def get_period_for_user(user: Any, pk: int) -> Period:
    """The period ``pk`` if ``user`` may see it, else :class:`Http404`."""
    period = Period.objects.select_related("jurisdiction").filter(pk=pk).first()
    if period is None or not can_see_period(user, period):
        raise Http404("Không tìm thấy kỳ đánh giá")
    return period


def can_export_period(user: Any, period: Period) -> bool:
    """The evaluation file (all raw scores) is for staff only."""
    return _is_staff(user) and can_see_period(user, period)
