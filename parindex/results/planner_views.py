"""Kế hoạch cải thiện: the what-if planner and improvement list of a unit (signed in).

Thin: who may plan for which unit and every number come from :mod:`parindex.results.planner`
(the engine underneath); nothing here writes. A unit or period that is not the user's is
a 404. htmx posts get the result fragment; without JavaScript the form posts the page.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from parindex.core.text import fold
from parindex.periods.models import Period
from parindex.periods.permissions import is_overseer
from parindex.results.planner.access import (
    get_plan_period,
    get_plan_unit,
    period_units,
    plannable_periods,
)
from parindex.results.planner.form import SURVEY_FIELD, UNIT_PARAM, sections
from parindex.results.planner.improvements import improvements
from parindex.results.planner.improvements import improvements_csv as improvements_text
from parindex.results.planner.loading import Planner, load_planner
from parindex.results.planner.what_if import Outcome, compute_what_if, unchanged

PAGE_SIZE = 50


def _period(request: HttpRequest, pk: int) -> Period:
    period = get_plan_period(request.user, pk)
    if period is None:
        raise Http404("Không tìm thấy kỳ đánh giá.")
    return period


def _planner(request: HttpRequest, period: Period) -> Planner | None:
    """The planner of the unit the request names, or None when an overseer must choose."""
    try:
        unit = get_plan_unit(request.user, period, request.GET.get(UNIT_PARAM))
    except LookupError:
        raise Http404("Không tìm thấy đơn vị trong kỳ đánh giá này.") from None
    if unit is None:
        return None
    planner = load_planner(period, unit)
    if planner is None:
        raise Http404("Kỳ đánh giá không chấm nhóm của đơn vị này.")
    return planner


def _context(request: HttpRequest, planner: Planner, **extra: Any) -> dict[str, Any]:
    return {
        "period": planner.period,
        "planner": planner,
        "unit": planner.unit,
        "actual": planner.actual,
        "overseer": is_overseer(request.user),
        "unit_param": UNIT_PARAM,
        "survey_field": SURVEY_FIELD,
        "found": improvements(planner),
        "sections": sections(extra.pop("rows")),
        "survey_text": planner.survey_text,
        **extra,
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The periods the user may plan for."""
    return render(
        request,
        "results/planner/home.html",
        {
            "periods": list(plannable_periods(request.user)),
            "overseer": is_overseer(request.user),
            "unit_param": UNIT_PARAM,
        },
    )


@login_required
@require_GET
def planner(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's actual result, the what-if form and the improvement list; an overseer
    without ``?don-vi=`` chooses the unit first."""
    period = _period(request, pk)
    found = _planner(request, period)
    if found is None:
        query = request.GET.get("q", "").strip()
        page = Paginator(period_units(period, query), PAGE_SIZE).get_page(request.GET.get("trang"))
        return render(
            request,
            "results/planner/choose.html",
            {"period": period, "page": page, "query": query, "unit_param": UNIT_PARAM},
        )
    context = _context(request, found, rows=found.rows(), outcome=Outcome(unchanged(found), []))
    return render(request, "results/planner/detail.html", context)


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    """Tính thử: the engine's numbers for the posted values; nothing is saved."""
    period = _period(request, pk)
    found = _planner(request, period)
    if found is None:
        raise Http404("Chưa chọn đơn vị.")
    outcome = compute_what_if(found, request.POST)
    context = {
        "planner": found,
        "outcome": outcome,
        "actual": found.actual,
    }
    if getattr(request, "htmx", False):
        return render(request, "results/planner/_result.html", context)
    posted = {key: str(value) for key, value in request.POST.items()}
    rows = found.rows(posted)
    errors = dict(outcome.errors)
    for row in rows:
        row.error = errors.get(row.node.code, "")
    context = _context(
        request,
        found,
        rows=rows,
        outcome=outcome,
        survey_text=posted.get(SURVEY_FIELD, found.survey_text),
        survey_error=errors.get(SURVEY_FIELD, ""),
    )
    return render(
        request, "results/planner/detail.html", context, status=400 if outcome.errors else 200
    )


@login_required
@require_GET
def improvements_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Danh sách cải thiện (CSV, UTF-8 with BOM for spreadsheets)."""
    period = _period(request, pk)
    found = _planner(request, period)
    if found is None:
        raise Http404("Chưa chọn đơn vị.")
    text = improvements_text(found, improvements(found))
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    name = slugify(fold(found.unit.code)) or "don-vi"
    response["Content-Disposition"] = (
        f'attachment; filename="cai-thien-{name}-{period.year}-{period.kind}.csv"'
    )
    return response
