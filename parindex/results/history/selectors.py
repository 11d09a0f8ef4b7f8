"""Reads for the history import: the imported versions, and who may import where."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from parindex.organizations.models import Level, Unit
from parindex.results.models import ResultVersion, VersionSource


def history_versions(jurisdictions: Iterable[Unit]) -> QuerySet[ResultVersion]:
    """Imported versions of the jurisdictions' periods, newest year first, with groups."""
    return (
        ResultVersion.objects.published()
        .filter(source=VersionSource.IMPORTED, period__jurisdiction__in=list(jurisdictions))
        .select_related("period", "period__jurisdiction")
        .prefetch_related("groups")
        .order_by("-period__year", "period__kind", "-number")
    )


def jurisdictions_for(user: Any) -> QuerySet[Unit]:
    """The jurisdictions whose history ``user`` may import: the chair's province or district,
    every one for a superuser; none for anyone else."""
    from parindex.organizations.jurisdiction import jurisdiction_of
    from parindex.periods.permissions import is_chair

    units = Unit.objects.filter(level__in=[Level.PROVINCE, Level.DISTRICT]).order_by("name")
    if not is_chair(user):
        return units.none()
    if user.is_superuser:
        return units
    own = jurisdiction_of(user)
    return units.filter(pk=own.pk) if own is not None else units.none()
