"""Who plans what: the periods a user may plan for and the unit they plan for (anything
else is a 404)."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodStatus
from parindex.periods.permissions import UNIT_ROLES, is_overseer, periods_visible_to
from parindex.results.models import ResultVersion, VersionStatus


def _user(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def _has_final_scores() -> Q:
    published = ResultVersion.objects.filter(
        period_id=OuterRef("pk"), status=VersionStatus.PUBLISHED
    )
    return Q(status=PeriodStatus.FINALISED) | Q(Exists(published))


def plannable_periods(user: Any) -> QuerySet[Period]:
    """The periods ``user`` may plan for, newest first."""
    u = _user(user)
    if u is None:
        return Period.objects.none()
    if is_overseer(u):
        periods = periods_visible_to(u)
    elif u.role in UNIT_ROLES and u.unit_id is not None:
        own = Assessment.objects.filter(period_id=OuterRef("pk"), unit_id=u.unit_id)
        periods = Period.objects.filter(Exists(own))
    else:
        return Period.objects.none()
    return (
        periods.filter(_has_final_scores())
        .select_related("jurisdiction")
        .order_by("-year", "kind", "name")
    )


def get_plan_period(user: Any, pk: int) -> Period | None:
    """The period ``pk`` if ``user`` may plan for it (the view answers 404 otherwise)."""
    return plannable_periods(user).filter(pk=pk).first()


def get_plan_unit(user: Any, period: Period, code: str | None) -> Unit | None:
    """The unit ``user`` plans for in ``period``.

    Unit users: their own unit (``code`` may only name it). Overseers: the unit ``code``
    among the units assessed in the period; None when no code was given (choose one).
    Raises :class:`LookupError` when the unit is not theirs (the view answers 404).
    """
    u = _user(user)
    if u is None:
        raise LookupError("không có người dùng")
    code = (code or "").strip()
    if "\x00" in code:  # no unit's code (PostgreSQL refuses NUL in a query): not found
        raise LookupError(code)
    if is_overseer(u):
        if not code:
            return None
        assessment = (
            Assessment.objects.filter(period=period, unit__code=code).select_related("unit").first()
        )
        if assessment is None:
            raise LookupError(code)
        return assessment.unit
    unit = u.unit
    if unit is None or (code and code != unit.code):
        raise LookupError(code)
    if not Assessment.objects.filter(period=period, unit=unit).exists():
        raise LookupError(unit.code)
    return unit


def period_units(period: Period, query: str = "") -> QuerySet[Unit]:
    """The units assessed in ``period`` (for an overseer to choose), search ignoring
    diacritics, in their groups' order."""
    units = Unit.objects.filter(assessments__period=period).select_related("group")
    if query.strip():
        units = units.search(query)
    return units.order_by("group__position", "group__name", "position", "name", "code")
