"""Public results pages (``/cong-bo/``): published versions only, no login needed.

Everything is read through :mod:`parindex.results.published` (the one place that decides
what the public may see) and every number is a stored snapshot of the engine's output:
the views only pick, lay out and format (Vietnamese style, with the group's decimal
places). A group's ranking reads one page of rows (100) whatever the size of the group,
with a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, overload

from django.db.models import Q
from django.db.models.fields.json import KeyTransform
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from parindex.core.converters import parse_id
from parindex.core.formatting import format_vn
from parindex.core.replica import read_alias
from parindex.engine.model import NodeResult
from parindex.results import published
from parindex.results.models import ResultGroup, ResultRow, ResultVersion, VersionStatus

PAGE_SIZE = 100
"""Rows per page of a ranking (and units in its bar chart and heat map)."""
VERSION_PARAM = "phien-ban"
PAGE_PARAM = "trang"
SEARCH_MAX = 100
TABLE_TARGET = "bang-xep-hang"


# --------------------------------------------------------------------------- helpers


def _requested_version(request: HttpRequest) -> int | None:
    """``?phien-ban=N``: a version number, None for the current version."""
    raw = request.GET.get(VERSION_PARAM, "").strip()
    if not raw:
        return None
    number = parse_id(raw)  # None for 5,000 digits too, never int()'s ValueError
    if number is None or number < 1:
        raise Http404("Không có phiên bản kết quả này")
    return number


def _version_query(version: ResultVersion, requested: int | None) -> str:
    """The query string that keeps a requested (older) version on the next page."""
    return f"?{VERSION_PARAM}={version.number}" if requested is not None else ""


def _page_number(request: HttpRequest, pages: int) -> int:
    raw = request.GET.get(PAGE_PARAM, "").strip()
    number = parse_id(raw)
    if number is None:  # not a number: the first page; too many digits: the last
        number = pages if raw.isascii() and raw.isdigit() else 1
    return min(max(number, 1), pages)


@overload
def exact(value: Decimal, places: int) -> Decimal: ...
@overload
def exact(value: None, places: int) -> None: ...
@overload
def exact(value: Decimal | None, places: int) -> Decimal | None: ...
def exact(value: Decimal | None, places: int) -> Decimal | None:
    """A stored number with the group's places ("74.2200" → "74.22"): only the padding
    zeros of the database column are dropped, never a digit."""
    if value is None:
        return None
    shown = value.quantize(Decimal(1).scaleb(-places))
    return shown if shown == value else value.normalize()


def _decimal(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None


def heat_class(percent: Any) -> str:
    """CSS class of a heat map cell: ``heat-0`` (under 10 %) … ``heat-10`` (100 %)."""
    value = _decimal(percent)
    if value is None:
        return "heat-na"
    return f"heat-{min(10, max(0, int(value // 10)))}"


def _versions_context(version: ResultVersion) -> dict[str, Any]:
    """The period's published versions and how ``version`` stands among them."""
    versions = published.period_versions(version)
    current = next((v for v in versions if v.status == VersionStatus.PUBLISHED), None)
    corrected = next((v for v in versions if v.pk == version.supersedes_id), None)
    return {
        "versions": versions,
        "current_version": current,
        "corrected_version": corrected,
        "is_superseded": version.status == VersionStatus.SUPERSEDED,
    }


# --------------------------------------------------------------------------- pages


def home(request: HttpRequest) -> HttpResponse:
    """Kết quả đã công bố: every period's current version, newest first, with its groups."""
    items = [
        (version, published.version_groups(version))
        for version in published.public_versions(using=read_alias())
    ]
    return render(request, "results/public/home.html", {"items": items})


def period(request: HttpRequest, pk: int) -> HttpResponse:
    """A published period without a group: its first group's ranking (same version)."""
    requested = _requested_version(request)
    version = published.get_public_version(pk, requested, using=read_alias())
    groups = published.version_groups(version)
    if not groups:
        context = {"version": version, "period": version.period, **_versions_context(version)}
        return render(request, "results/public/period_empty.html", context)
    url = reverse("public:ranking", kwargs={"pk": pk, "group_code": groups[0].code})
    return redirect(url + _version_query(version, requested))


@dataclass(frozen=True)
class HeatCell:
    code: str
    percent: str | None
    css: str


def ranking(request: HttpRequest, pk: int, group_code: str) -> HttpResponse:
    """Bảng xếp hạng of one group of a published version: header, statistics, charts and
    the ranking, 100 units a page, searchable without diacritics."""
    requested = _requested_version(request)
    version = published.get_public_version(pk, requested, using=read_alias())
    groups = published.version_groups(version)
    group = next((g for g in groups if g.code == group_code), None)
    if group is None:
        raise Http404("Không tìm thấy nhóm đơn vị")
    group.version = version  # the reads below need it; it is already loaded

    query = request.GET.get("q", "").strip()[:SEARCH_MAX]
    matching = published.group_rows(group, query)
    count = matching.count() if query else group.units_count
    pages = max(1, -(-count // PAGE_SIZE))
    page = _page_number(request, pages)
    start = (page - 1) * PAGE_SIZE
    rows: list[ResultRow] = list(matching[start : start + PAGE_SIZE])
    everyone = published.group_rows(group)
    htmx = getattr(request, "htmx", None)
    table_only = bool(htmx and htmx.target == TABLE_TARGET)
    # the page's field percentages (heat map) in a second query on those rows only: the
    # database extracts them from 100 documents, not from the whole group before sorting
    field_scores: dict[int, list[dict[str, Any]]] = {}
    if not table_only:
        field_scores = dict(
            everyone.filter(pk__in=[row.pk for row in rows])
            .annotate(field_scores=KeyTransform("fields", "detail"))
            .values_list("pk", "field_scores")
        )
    for row in rows:
        _format_row(row, group, field_scores.get(row.pk) or [])
    context: dict[str, Any] = {
        "version": version,
        "period": version.period,
        "groups": groups,
        "group": group,
        "requested": requested,
        "rows": rows,
        "query": query,
        "count": count,
        "page": page,
        "pages": pages,
        "page_size": PAGE_SIZE,
        "first_position": start + 1,
        "last_position": start + len(rows),
        "page_numbers": _page_links(page, pages),
        "has_survey": group.survey_max is not None,
        "has_adjustments": everyone.filter(Q(bonus__gt=0) | Q(penalty__gt=0)).exists(),
        "has_previous": everyone.filter(
            Q(index_change__isnull=False) | Q(rank_change__isnull=False)
        ).exists(),
        "table_target": TABLE_TARGET,
    }
    if table_only:
        return render(request, "results/public/_ranking_table.html", context)

    context.update(_versions_context(version))
    context.update(_ranking_extras(group, rows, page, pages))
    return render(request, "results/public/ranking.html", context)


def _format_row(row: ResultRow, group: ResultGroup, field_scores: list[dict[str, Any]]) -> None:
    """The row's numbers with the group's places, and its heat map cells (display only)."""
    points, index = group.points_places, group.index_places
    row.points = exact(row.points, points)
    row.survey = exact(row.survey, points)
    row.total = exact(row.total, points)
    row.max = exact(row.max, points)
    row.bonus = exact(row.bonus, points)
    row.penalty = exact(row.penalty, points)
    row.index = exact(row.index, index)
    row.index_change = exact(row.index_change, index)
    row.previous_index = exact(row.previous_index, index)
    scores = {f["code"]: f for f in field_scores}
    cells = []
    for field in group.fields:
        score = scores.get(field["code"])
        percent = score["percent"] if score else None
        cells.append(HeatCell(field["code"], percent, heat_class(percent)))
    row.heat_cells = cells  # type: ignore[attr-defined]


def _page_links(page: int, pages: int) -> list[int | None]:
    """Page numbers to offer: the first, the last and two around the current one; None
    marks a gap ("…")."""
    wanted = {1, pages, *range(page - 2, page + 3)}
    numbers = sorted(n for n in wanted if 1 <= n <= pages)
    links: list[int | None] = []
    previous = 0
    for n in numbers:
        if previous and n - previous > 1:
            links.append(None)
        links.append(n)
        previous = n
    return links


def _ranking_extras(
    group: ResultGroup, rows: list[ResultRow], page: int, pages: int
) -> dict[str, Any]:
    """Statistics and charts of the full ranking page (not of an htmx table swap)."""
    stats = group.stats
    index_places = group.index_places
    maxima = {f["code"]: f for f in group.fields}
    field_stats = [
        {
            "code": f["code"],
            "name": maxima.get(f["code"], {}).get("name", f["code"]),
            "max": maxima.get(f["code"], {}).get("max"),
            "mean": f["mean_points"],
            "units_at_max": f["units_at_max"],
            "units": f["units"],
        }
        for f in stats.get("fields", [])
    ]
    units_chart = {
        "kind": "units",
        "title": "Chỉ số (%)",
        "labels": [row.short_name or row.name for row in rows],
        "values": [format(row.index, "f") for row in rows],
        "display": [format_vn(row.index) for row in rows],
        "mean": stats.get("mean"),
        "mean_display": format_vn(stats.get("mean"), index_places),
        "rows": len(rows),
    }
    means = published.group_means_over_years(group)
    years_chart = {
        "kind": "years",
        "title": "Chỉ số trung bình của nhóm (%)",
        "labels": [m.period_name for m in means],
        "values": [format(m.mean, "f") for m in means],
        "display": [format_vn(m.mean) for m in means],
        "units": [m.units for m in means],
    }
    counts: dict[str, int] = stats.get("classes", {})
    order = [label for label in stats.get("class_order", []) if label in counts]
    order += [label for label in counts if label not in order]
    classes_chart = {
        "kind": "classes",
        "title": "Số đơn vị theo xếp loại",
        "labels": order,
        "values": [counts[label] for label in order],
    }
    return {
        "stats": stats,
        "field_stats": field_stats,
        "means": means,
        "classes": [(label, counts[label]) for label in order],
        "units_chart": units_chart,
        "years_chart": years_chart,
        "classes_chart": classes_chart,
        "several_pages": pages > 1,
    }


@dataclass(frozen=True)
class NodeLine:
    """A line of a unit's criteria tree: the stored points of one node."""

    code: str
    name: str
    depth: int
    is_field: bool
    is_leaf: bool
    points: str | None
    max: str | None
    lost: Decimal | None
    not_applicable: bool
    missing: bool
    guidance: str


def unit(request: HttpRequest, pk: int, group_code: str, unit_code: str) -> HttpResponse:
    """One unit of a published version: totals, fields, every criterion, where it lost
    points and its index over the years."""
    requested = _requested_version(request)
    version = published.get_public_version(pk, requested, using=read_alias())
    group = published.get_group(version, group_code)
    group.version = version
    row = published.get_row(group, unit_code)
    row.version = version
    row.result_group = group
    detail: dict[str, Any] = row.detail
    tree = _tree(group, detail)
    lost = sorted(
        (line for line in tree if line.is_leaf and line.lost),
        key=lambda line: (-(line.lost or 0), line.code),
    )
    fields = _fields(group, detail)
    history = published.unit_history(row)
    index_places = group.index_places
    context: dict[str, Any] = {
        "version": version,
        "period": version.period,
        "group": group,
        "row": row,
        "detail": detail,
        "requested": requested,
        "version_query": _version_query(version, requested),
        "has_survey": group.survey_max is not None,
        "surveyed": row.survey is not None,
        "fields": fields,
        "tree": tree,
        "lost": lost,
        "history": [(year, exact(item.index, index_places), item) for year, item in history],
        "fields_chart": {
            "kind": "fields",
            "title": "Tỷ lệ điểm đạt (%)",
            "labels": [f"{f['code']}. {f['name']}" for f in fields if f["percent"] is not None],
            "values": [f["percent"] for f in fields if f["percent"] is not None],
            "display": [format_vn(f["percent"]) for f in fields if f["percent"] is not None],
            "rows": sum(1 for f in fields if f["percent"] is not None),
        },
        "history_chart": {
            "kind": "history",
            "title": "Chỉ số (%)",
            "labels": [item.version.period.name for _year, item in history],
            "values": [format(item.index.normalize(), "f") for _year, item in history],
            "display": [format_vn(exact(item.index, index_places)) for _year, item in history],
        },
        **_versions_context(version),
    }
    return render(request, "results/public/unit.html", context)


def _fields(group: ResultGroup, detail: dict[str, Any]) -> list[dict[str, Any]]:
    """The group's fields with the unit's stored points, applicable max and percent."""
    scores = {f["code"]: f for f in detail.get("fields", [])}
    lines = []
    for field in group.fields:
        score = scores.get(field["code"])
        lines.append(
            {
                "code": field["code"],
                "name": field["name"],
                "points": score["points"] if score else None,
                "max": score["max"] if score else None,
                "percent": score["percent"] if score else None,
                "css": heat_class(score["percent"] if score else None),
            }
        )
    return lines


def _tree(group: ResultGroup, detail: dict[str, Any]) -> list[NodeLine]:
    """Every node of the group's set in display order with the unit's stored points; a
    node the unit was not scored on (absent from its nodes) is not applicable."""
    nodes: list[dict[str, Any]] = group.nodes
    parent_of = {node["code"]: node.get("parent") for node in nodes}
    has_children = {node.get("parent") for node in nodes if node.get("parent")}
    scored = {n["code"]: n for n in detail.get("nodes", [])}
    missing = set(detail.get("missing", []))
    lines = []
    for node in nodes:
        code = node["code"]
        depth, parent = 0, node.get("parent")
        while parent:
            depth, parent = depth + 1, parent_of.get(parent)
        score = scored.get(code)
        lost = None
        if score is not None:
            lost = NodeResult(code, Decimal(score["points"]), Decimal(score["max"])).lost
        lines.append(
            NodeLine(
                code=code,
                name=node["name"],
                depth=depth,
                is_field=not node.get("parent"),
                is_leaf=code not in has_children,
                points=score["points"] if score else None,
                max=score["max"] if score else None,
                lost=lost,
                not_applicable=score is None,
                missing=code in missing,
                guidance=node.get("guidance", "") or "",
            )
        )
    return lines
