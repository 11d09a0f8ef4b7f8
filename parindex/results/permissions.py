"""Who may see the *live* results pages (``/ky-danh-gia/…``): the one place the rule lives.

Those pages compute through the engine on every request from the scores as they stand,
unpublished, and the evaluation file holds every item score: they are the internal
preview for the staff (``is_staff``) of the jurisdiction that runs the period, and for
superusers. For anyone else, a staff member of another province included, they do not
exist (404), whatever the period's status: the public sees only published versions,
through :mod:`parindex.results.published` (``/cong-bo/…``).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.organizations.jurisdiction import jurisdiction_of
from parindex.periods.models import Period, PeriodQuerySet


def _is_staff(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_staff)


def can_preview_results(user: Any) -> bool:
    """Whether ``user`` may open the internal live results pages at all."""
    return _is_staff(user)


def visible_periods(user: Any) -> PeriodQuerySet:
    """Periods ``user`` may preview live: every period for a superuser, the periods of the
    staff member's own jurisdiction, none for anyone else."""
    periods: PeriodQuerySet = Period.objects.select_related("jurisdiction")
    if not _is_staff(user):
        return periods.none()
    if user.is_superuser:
        return periods
    jurisdiction = jurisdiction_of(user)
    return periods.filter(jurisdiction=jurisdiction) if jurisdiction else periods.none()


def can_see_period(user: Any, period: Period) -> bool:
    return visible_periods(user).filter(pk=period.pk).exists()


def get_preview_period(user: Any, pk: int) -> Period:
    """The period ``pk`` if ``user`` may preview it, else :class:`Http404` (unknown and
    another jurisdiction's look the same)."""
    period = visible_periods(user).filter(pk=pk).first()
    if period is None:
        raise Http404("Không tìm thấy kỳ đánh giá")
    return period


def can_export_period(user: Any, period: Period) -> bool:
    """The evaluation file (all raw scores) is for the same people as the preview."""
    return can_see_period(user, period)
