"""Who may see the *live* results pages (``/ky-danh-gia/…``): the one place the rule lives.

Those pages compute through the engine on every request from the scores as they stand:
they are the internal preview for signed-in staff (``is_staff``), for every period. For
anyone else they do not exist (404), whatever the period's status: the public sees only
published versions, through :mod:`parindex.results.published` (``/cong-bo/…``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.periods.models import Period, PeriodQuerySet


def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_preview_results(user: Any) -> bool:
    """Whether ``user`` may open the internal live results pages."""
    return _is_staff(user)


def visible_periods(user: Any) -> PeriodQuerySet:
    """Periods ``user`` may preview live: all of them for staff, none for anyone else."""
    periods: PeriodQuerySet = Period.objects.select_related("jurisdiction")
    return periods if _is_staff(user) else periods.none()


def can_see_period(user: Any, period: Period) -> bool:
    return _is_staff(user)


def get_period_for_user(user: Any, pk: int) -> Period:
    """The period ``pk`` if ``user`` may see it, else :class:`Http404`."""
    if not _is_staff(user):
        raise Http404("Không tìm thấy kỳ đánh giá")
    period = Period.objects.select_related("jurisdiction").filter(pk=pk).first()
    if period is None or not can_see_period(user, period):
        raise Http404("Không tìm thấy kỳ đánh giá")
    return period


def can_export_period(user: Any, period: Period) -> bool:
    """The evaluation file (all raw scores) is for staff only."""
    return _is_staff(user) and can_see_period(user, period)
