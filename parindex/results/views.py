"""The results home page, and the internal live results pages (``/ky-danh-gia/…``).

The home page (``/``) shows everyone the published results (links to ``/cong-bo/…``, see
:mod:`parindex.results.public_views`) and, for staff, the internal preview as well. The
live pages compute a period's results through the engine on every request from the
scores as they stand: an internal preview for staff only (404 for anyone else, see
:mod:`parindex.results.permissions`). Thin: every number comes from the engine through
:mod:`parindex.results.selectors`; views only pick and format.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from parindex.core.formatting import format_vn
from parindex.core.replica import read_alias
from parindex.engine.evalfile import dumps
from parindex.periods.models import Period, PeriodGroup
from parindex.results import published, selectors
from parindex.results.models import ResultVersion
from parindex.results.permissions import (
    can_export_period,
    can_preview_results,
    get_preview_period,
    visible_periods,
)


def home(request: HttpRequest) -> HttpResponse:
    """Trang chủ: the published results for everyone, newest first, with their groups; for
    staff also every period's internal live preview."""
    items = [
        (version, published.version_groups(version))
        for version in published.public_versions(using=read_alias())
    ]
    preview = can_preview_results(request.user)
    periods = list(visible_periods(request.user).order_by("-year", "kind", "name"))
    bindings: dict[int, list[PeriodGroup]] = {}
    for pg in (
        PeriodGroup.objects.filter(period__in=periods)
        .select_related("group")
        .order_by("group__position", "group__name")
    ):
        bindings.setdefault(pg.period_id, []).append(pg)
    return render(
        request,
        "results/home.html",
        {
            "items": items,
            "preview": preview,
            "periods": [(period, bindings.get(period.pk, [])) for period in periods],
        },
    )


def _published_version(period: Period) -> ResultVersion | None:
    """The period's current published version, to link the live preview to it."""
    return published.public_versions().filter(period=period).first()


def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A period without a group: its first group's ranking."""
    period = get_preview_period(request.user, pk)
    first = selectors.period_groups(period)
    if not first:
        return render(request, "results/period_empty.html", {"period": period})
    return redirect("results:period_group", pk=period.pk, group_code=first[0].group.code)


def period_group(request: HttpRequest, pk: int, group_code: str) -> HttpResponse:
    """Bảng xếp hạng of one group: ranks, statistics, chart, search."""
    period = get_preview_period(request.user, pk)
    scored = selectors.group_results(period, group_code)
    if scored is None:
        raise Http404("Không tìm thấy nhóm đơn vị")
    results = scored.results
    criteria = results.criteria
    index_places = criteria.effective_index_rounding.places
    points_places = criteria.rounding.places
    query = request.GET.get("q", "").strip()
    rows = results.units
    if query:
        matching = selectors.units_matching([r.unit for r in rows], query)
        rows = [r for r in rows if r.unit in matching]
    stats = results.groups[0] if results.groups else None
    names = selectors.field_names(criteria)
    maxima = selectors.field_maxima(criteria)
    field_stats = (
        [(f, names.get(f.code, f.code), maxima.get(f.code)) for f in stats.fields] if stats else []
    )
    labels = selectors.unit_labels([r.unit for r in results.units], period.jurisdiction_id)
    chart = {
        "labels": [labels[r.unit].short if r.unit in labels else r.name for r in results.units],
        "values": [str(r.index) for r in results.units],
        "display": [format_vn(r.index, index_places) for r in results.units],
        "mean": str(stats.mean) if stats else None,
        "mean_display": format_vn(stats.mean, index_places) if stats else None,
        "title": "Chỉ số (%)",
    }
    context = {
        "period": period,
        "groups": selectors.period_groups(period),
        "current": scored.period_group,
        "results": results,
        "rows": rows,
        "labels": labels,
        "query": query,
        "stats": stats,
        "field_stats": field_stats,
        "chart": chart,
        "index_places": index_places,
        "points_places": points_places,
        "has_survey": criteria.survey_max is not None,
        "has_adjustments": any(r.bonus or r.penalty for r in results.units),
        "has_previous": scored.data.previous is not None,
        "previous_period": period.previous if scored.data.previous is not None else None,
        "can_export": can_export_period(request.user, period),
        "published_version": _published_version(period),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and htmx.target == "bang-xep-hang":
        return render(request, "results/_ranking_table.html", context)
    return render(request, "results/period_group.html", context)


def unit_detail(request: HttpRequest, pk: int, group_code: str, unit_code: str) -> HttpResponse:
    """One unit's result: totals, change, and every field and criterion with lost points."""
    period = get_preview_period(request.user, pk)
    scored = selectors.group_results(period, group_code)
    if scored is None:
        raise Http404("Không tìm thấy nhóm đơn vị")
    results = scored.results
    try:
        result = results.unit(unit_code)
    except KeyError:
        raise Http404("Không tìm thấy đơn vị trong nhóm này") from None
    rows = selectors.unit_breakdown(results, unit_code)
    criteria = results.criteria
    return render(
        request,
        "results/unit_detail.html",
        {
            "period": period,
            "current": scored.period_group,
            "result": result,
            "rows": rows,
            "lost": selectors.points_lost(rows)[:10],
            "count": len(results.units),
            "index_places": criteria.effective_index_rounding.places,
            "points_places": criteria.rounding.places,
            "has_survey": criteria.survey_max is not None,
            "survey_max": criteria.survey_max,
            "published_version": _published_version(period),
        },
    )


def period_export(request: HttpRequest, pk: int, group_code: str) -> HttpResponse:
    """Tải tệp đánh giá (JSON): the group's parindex-evaluation/1 file, for staff."""
    period = get_preview_period(request.user, pk)
    if not can_export_period(request.user, period):
        raise Http404("Không tìm thấy kỳ đánh giá")
    binding = next(
        (pg for pg in selectors.period_groups(period) if pg.group.code == group_code), None
    )
    if binding is None:
        raise Http404("Không tìm thấy nhóm đơn vị")
    document = selectors.period_document(period, binding)
    response = HttpResponse(dumps(document) + "\n", content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(period, binding)}"'
    return response


def export_filename(period: Period, binding: PeriodGroup) -> str:
    """ASCII file name of an export, e.g. ``danh-gia-2024-so-ban-nganh.json``."""
    return f"danh-gia-{period.year}-{period.kind}-{binding.group.code}.json"
