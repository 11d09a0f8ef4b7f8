"""Read-only JSON API of published results (``/api/published/…``): anonymous, GET only.

Reads only through :mod:`parindex.results.published`, like the open data downloads: a
period without a publication, a draft, an unknown version, group or unit is a 404
(``{"detail": "Không tìm thấy."}``). Numbers are the exact decimal strings ``parindex
evaluate`` prints; ``version`` selects an earlier, superseded version.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.params.functions import Path, Query
from pydantic import WithJsonSchema

from parindex.core.converters import MAX_ID, Text
from parindex.core.replica import read_alias
from parindex.results.models import ResultGroup, ResultRow, ResultVersion, VersionStatus
from parindex.results.opendata import ranking_values
from parindex.results.published import (
    get_group,
    get_public_version,
    get_row,
    group_rows,
    period_versions,
    public_versions,
    unit_history,
)

router = Router(tags=["Kết quả đã công bố"])
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000
"""Far past the largest group (a province has a few hundred communes); a larger offset is
a 422, never an OFFSET the database cannot bind."""
MAX_YEAR = 9999

# Declared in the schema, checked in the operation (one message for both).
Limit = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT})]
Offset = Annotated[int, WithJsonSchema({"type": "integer", "minimum": 0, "maximum": MAX_OFFSET})]


LIMIT: Any = Query(100, description=f"Số đơn vị mỗi trang, 1..{MAX_LIMIT}")
OFFSET: Any = Query(0, description=f"Bỏ qua chừng này đơn vị đầu, 0..{MAX_OFFSET}")
SEARCH: Any = Query("", description="Tìm theo mã hoặc tên đơn vị (không phân biệt dấu)")


def _period_id() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="Mã số kỳ đánh giá")


def _version_number() -> Any:
    return Query(None, ge=1, le=MAX_ID, description="Số phiên bản (mặc định: phiên bản hiện hành)")


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class JurisdictionOut(Schema):
    code: str
    name: str


class DecisionOut(Schema):
    number: str
    date: datetime.date | None
    signer_name: str
    signer_title: str


class VersionOut(Schema):
    number: int
    current: bool
    source: str
    decision: DecisionOut
    reason: str
    published_at: datetime.datetime | None


class VersionRefOut(Schema):
    number: int
    current: bool
    decision_number: str
    decision_date: datetime.date | None
    reason: str


class GroupSummaryOut(Schema):
    code: str
    name: str
    units_count: int
    mean: str | None


class PeriodOut(Schema):
    id: int
    name: str
    year: int
    kind: str
    jurisdiction: JurisdictionOut
    version: VersionOut
    groups: list[GroupSummaryOut]


class PeriodRefOut(Schema):
    id: int
    name: str
    year: int
    kind: str
    jurisdiction: JurisdictionOut


class FieldOut(Schema):
    code: str
    name: str
    max: str | None = None


class FieldStatOut(Schema):
    code: str
    mean_points: str
    units_at_max: int
    units: int


class StatsOut(Schema):
    count: int | None = None
    mean: str | None = None
    max: str | None = None
    min: str | None = None
    spread: str | None = None
    above_mean: int | None = None
    fields: list[FieldStatOut] = []
    classes: dict[str, int] = {}
    class_order: list[str] = []


class GroupOut(Schema):
    code: str
    name: str
    criteria_name: str
    points_places: int
    index_places: int
    survey_max: str | None
    classified: bool
    units_count: int
    fields: list[FieldOut]
    stats: StatsOut


class RowOut(Schema):
    code: str
    name: str
    parent: str | None
    points: str | None
    survey: str | None
    bonus: str | None
    penalty: str | None
    total: str | None
    max: str | None
    index: str
    rank: int | None
    class_label: str | None
    leader_rating: str | None
    previous_index: str | None
    index_change: str | None
    previous_rank: int | None
    rank_change: int | None


class GroupPageOut(Schema):
    period: PeriodRefOut
    version: VersionOut
    versions: list[VersionRefOut]
    group: GroupOut
    count: int
    limit: int
    offset: int
    rows: list[RowOut]


class FieldPointsOut(Schema):
    code: str
    name: str
    points: str
    max: str
    percent: str


class NodePointsOut(Schema):
    code: str
    name: str
    parent: str | None
    points: str
    max: str


class YearOut(Schema):
    year: int
    period_id: int
    period_name: str
    index: str
    rank: int | None
    class_label: str | None


class UnitOut(RowOut):
    period: PeriodRefOut
    version: VersionOut
    group: GroupSummaryOut
    fields: list[FieldPointsOut]
    nodes: list[NodePointsOut]
    not_applicable: list[str]
    missing: list[str]
    history: list[YearOut]


# --------------------------------------------------------------------------- helpers


def _period(version: ResultVersion) -> dict[str, Any]:
    period = version.period
    return {
        "id": period.pk,
        "name": period.name,
        "year": period.year,
        "kind": period.kind,
        "jurisdiction": {"code": period.jurisdiction.code, "name": period.jurisdiction.name},
    }


def _version(version: ResultVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "current": version.status == VersionStatus.PUBLISHED,
        "source": version.source,
        "decision": {
            "number": version.decision_number,
            "date": version.decision_date,
            "signer_name": version.signer_name,
            "signer_title": version.signer_title,
        },
        "reason": version.reason,
        "published_at": version.published_at,
    }


def _summary(group: ResultGroup) -> dict[str, Any]:
    mean = (group.stats or {}).get("mean")
    return {
        "code": group.code,
        "name": group.name,
        "units_count": group.units_count,
        "mean": None if mean is None else str(mean),
    }


def _group(group: ResultGroup) -> dict[str, Any]:
    return {
        "code": group.code,
        "name": group.name,
        "criteria_name": group.criteria_name,
        "points_places": group.points_places,
        "index_places": group.index_places,
        "survey_max": None
        if group.survey_max is None
        else format(group.survey_max.normalize(), "f"),
        "classified": group.classified,
        "units_count": group.units_count,
        "fields": group.fields or [],
        "stats": group.stats or {},
    }


def _row(group: ResultGroup, row: ResultRow) -> dict[str, Any]:
    values = ranking_values(group, row)
    values.pop("group")
    return values


def _fixed(value: Decimal, places: int) -> str:
    """A stored number with the group's places, unless it has more (then all of them)."""
    fixed = value.quantize(Decimal(1).scaleb(-places))
    return format(fixed if fixed == value else value.normalize(), "f")


# --------------------------------------------------------------------------- endpoints


@router.get(
    "/periods",
    response={200: list[PeriodOut], 422: ErrorOut},
    summary="Các kỳ đánh giá đã công bố kết quả",
    description="Phiên bản hiện hành của mỗi kỳ, quyết định công bố và các nhóm đơn vị. "
    "Lọc theo mã địa bàn (`jurisdiction`) và năm (`year`).",
)
def published_periods(
    request: HttpRequest,
    jurisdiction: Text | None = None,
    year: int | None = Query(None, ge=1, le=MAX_YEAR),
) -> list[dict[str, Any]]:
    versions = public_versions(using=read_alias()).prefetch_related(
        Prefetch(
            "groups",
            queryset=ResultGroup.objects.only(
                "pk", "version_id", "code", "name", "position", "units_count", "stats"
            ).order_by("position", "name"),
        )
    )
    if jurisdiction:
        versions = versions.filter(period__jurisdiction__code=jurisdiction)
    if year is not None:
        versions = versions.filter(period__year=year)
    return [
        {
            **_period(version),
            "version": _version(version),
            "groups": [_summary(group) for group in version.groups.all()],
        }
        for version in versions
    ]


@router.get(
    "/periods/{period_id}/groups/{group_code}",
    response={200: GroupPageOut, 404: ErrorOut, 422: ErrorOut},
    summary="Bảng xếp hạng của một nhóm (thống kê và các đơn vị, theo trang)",
    description="Các đơn vị theo thứ tự xếp hạng, `limit` đơn vị mỗi trang (tối đa "
    f"{MAX_LIMIT}) từ vị trí `offset` (0 đến {MAX_OFFSET}); `q` tìm theo mã hoặc tên, "
    "không phân biệt dấu; `version` chọn một phiên bản đã được đính chính.",
)
def published_group(
    request: HttpRequest,
    group_code: Text,
    period_id: int = _period_id(),
    version: int | None = _version_number(),
    # Bounds checked below (one Vietnamese message for the pair), declared in the schema.
    limit: Limit = LIMIT,
    offset: Offset = OFFSET,
    q: Text = SEARCH,
) -> Any:
    if not (1 <= limit <= MAX_LIMIT and 0 <= offset <= MAX_OFFSET):
        return Status(
            422,
            {
                "detail": "Tham số phân trang không hợp lệ.",
                "errors": [
                    f"limit phải từ 1 đến {MAX_LIMIT}, offset từ 0 đến {MAX_OFFSET} "
                    f"(nhận được limit={limit}, offset={offset})."
                ],
            },
        )
    found = get_public_version(period_id, version, using=read_alias())
    group = get_group(found, group_code)
    rows = group_rows(group, q)
    count = rows.count() if q.strip() else group.units_count
    page = rows.defer(None)[offset : offset + limit]
    return {
        "period": _period(found),
        "version": _version(found),
        "versions": [
            {
                "number": v.number,
                "current": v.status == VersionStatus.PUBLISHED,
                "decision_number": v.decision_number,
                "decision_date": v.decision_date,
                "reason": v.reason,
            }
            for v in period_versions(found)
        ],
        "group": _group(group),
        "count": count,
        "limit": limit,
        "offset": offset,
        "rows": [_row(group, row) for row in page],
    }


@router.get(
    "/periods/{period_id}/groups/{group_code}/units/{unit_code}",
    response={200: UnitOut, 404: ErrorOut, 422: ErrorOut},
    summary="Kết quả chi tiết của một đơn vị",
    description="Điểm từng lĩnh vực và tiêu chí, tiêu chí không áp dụng, và chỉ số, thứ hạng "
    "của đơn vị qua các năm đã công bố.",
)
def published_unit(
    request: HttpRequest,
    group_code: Text,
    unit_code: Text,
    period_id: int = _period_id(),
    version: int | None = _version_number(),
) -> Any:
    found = get_public_version(period_id, version, using=read_alias())
    group = get_group(found, group_code)
    row = get_row(group, unit_code)
    detail: dict[str, Any] = row.detail or {}
    names = {n["code"]: n for n in (group.nodes or group.fields or [])}
    return {
        **_row(group, row),
        "period": _period(found),
        "version": _version(found),
        "group": _summary(group),
        "fields": [
            {
                "code": f["code"],
                "name": names.get(f["code"], {}).get("name", ""),
                "points": f["points"],
                "max": f["max"],
                "percent": f["percent"],
            }
            for f in detail.get("fields", [])
        ],
        "nodes": [
            {
                "code": n["code"],
                "name": names.get(n["code"], {}).get("name", ""),
                "parent": names.get(n["code"], {}).get("parent"),
                "points": n["points"],
                "max": n["max"],
            }
            for n in detail.get("nodes", [])
        ],
        "not_applicable": detail.get("not_applicable", []),
        "missing": detail.get("missing", []),
        "history": [
            {
                "year": year,
                "period_id": past.version.period_id,
                "period_name": past.version.period.name,
                "index": _fixed(past.index, group.index_places),
                "rank": past.rank,
                "class_label": past.class_label or None,
            }
            for year, past in unit_history(row)
        ],
    }
