"""Reads of published results: the one place that decides what the public may see.

Only versions in status *published* (the current one) or *superseded* (an earlier version
that a correction replaced) are ever returned; drafts, failed computations and periods
without a publication are a 404 for everyone here. Every query has a fixed cost whatever
the number of units (rows are read a page at a time).

Reads go to the primary unless told otherwise: the entry points (:func:`public_versions`,
:func:`get_public_version`) take ``using``, which the public pages set to
:func:`parindex.core.replica.read_alias` (the read replica when one is configured), and every
read derived from a version, group or row stays on the database that object came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models import QuerySet
from django.http import Http404

from parindex.core.replica import db_of
from parindex.core.text import fold
from parindex.results.models import ResultGroup, ResultRow, ResultVersion, VersionStatus


def public_versions(using: str = DEFAULT_DB_ALIAS) -> QuerySet[ResultVersion]:
    """Current published versions, newest period first, with period and jurisdiction."""
    return (
        ResultVersion.objects.using(using)
        .current()
        .select_related("period", "period__jurisdiction")
        .order_by("-period__year", "period__kind", "period__name")
    )


def get_public_version(
    period_pk: int, number: int | None = None, *, using: str = DEFAULT_DB_ALIAS
) -> ResultVersion:
    """The period's current published version, or its version ``number`` if published
    once (superseded versions stay visible); :class:`Http404` otherwise."""
    versions = (
        ResultVersion.objects.using(using)
        .published()
        .select_related("period", "period__jurisdiction", "signed_decision")
    )
    if number is None:
        version = versions.filter(period_id=period_pk, status=VersionStatus.PUBLISHED).first()
    else:
        version = versions.filter(period_id=period_pk, number=number).first()
    if version is None:
        raise Http404("Không tìm thấy kết quả đã công bố của kỳ đánh giá này")
    return version


def period_versions(version: ResultVersion) -> list[ResultVersion]:
    """Every published version of ``version``'s period, newest first."""
    return list(
        ResultVersion.objects.using(db_of(version))
        .published()
        .filter(period_id=version.period_id)
        .order_by("-number")
        .only("pk", "number", "status", "decision_number", "decision_date", "reason", "period")
    )


def version_groups(version: ResultVersion) -> list[ResultGroup]:
    return list(
        ResultGroup.objects.using(db_of(version))
        .filter(version=version)
        .defer("document", "nodes")
        .order_by("position", "name")
    )


def get_group(version: ResultVersion, code: str) -> ResultGroup:
    group = (
        ResultGroup.objects.using(db_of(version))
        .filter(version=version, code=code)
        .defer("document")
        .first()
    )
    if group is None:
        raise Http404("Không tìm thấy nhóm đơn vị")
    return group


def group_rows(group: ResultGroup, query: str = "") -> QuerySet[ResultRow]:
    """The group's rows in rank order; ``query`` matches code or name without diacritics."""
    rows = ResultRow.objects.using(db_of(group)).filter(result_group=group).defer("detail")
    for word in fold(query).split():
        rows = rows.filter(search_text__contains=word)
    return rows.order_by("position")


def get_row(group: ResultGroup, unit_code: str) -> ResultRow:
    row = ResultRow.objects.using(db_of(group)).filter(result_group=group, code=unit_code).first()
    if row is None:
        raise Http404("Không tìm thấy đơn vị trong nhóm này")
    return row


@dataclass(frozen=True)
class YearMean:
    year: int
    period_name: str
    mean: Decimal
    units: int


def group_means_over_years(group: ResultGroup) -> list[YearMean]:
    """The group's mean index in every published period of the same jurisdiction (by
    group code), oldest first: one query."""
    version = group.version
    groups = (
        ResultGroup.objects.using(db_of(group))
        .filter(
            code=group.code,
            version__status=VersionStatus.PUBLISHED,
            version__period__jurisdiction_id=version.period.jurisdiction_id,
            version__period__kind=version.period.kind,
        )
        .values_list("version__period__year", "version__period__name", "stats", "units_count")
        .order_by("version__period__year")
    )
    return [
        YearMean(year, name, Decimal(stats["mean"]), units)
        for year, name, stats, units in groups
        if stats.get("mean") is not None
    ]


def unit_history(row: ResultRow) -> list[tuple[int, ResultRow]]:
    """The unit's rows in every current published version (by unit code, same
    jurisdiction), oldest first: one query."""
    period = row.version.period
    rows = (
        ResultRow.objects.using(db_of(row))
        .filter(
            code=row.code,
            version__status=VersionStatus.PUBLISHED,
            version__period__jurisdiction_id=period.jurisdiction_id,
            version__period__kind=period.kind,
        )
        .select_related("version__period")
        .defer("detail")
        .order_by("version__period__year")
    )
    return [(r.version.period.year, r) for r in rows]
