"""The council's survey pages (``/khao-sat/<period>/…``, chair and observers; the chair
acts). Thin: permissions through :mod:`parindex.surveys.selectors`, input through
:mod:`parindex.surveys.forms`, writes through the services.

Here: the periods, a period's progress against the sample plan, the setup, the
questionnaire, the computation of points (queued for the worker, with a progress bar) and
each unit's plan with its printable QR codes. The import pages are in
:mod:`parindex.surveys.import_views`, the results and downloads in
:mod:`parindex.surveys.result_views`, the public form in :mod:`parindex.surveys.public_views`.
"""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.core.converters import parse_id
from parindex.periods.permissions import is_chair
from parindex.surveys import selectors
from parindex.surveys.forms import PlanForm, QuestionnaireForm, TokensForm, form_problems
from parindex.surveys.models import (
    Channel,
    ImportBatch,
    Questionnaire,
    RoundingMode,
    SamplePlan,
)
from parindex.surveys.outline import OUTLINE_HELP
from parindex.surveys.queueing import survey_compute_start
from parindex.surveys.services import (
    questionnaire_clone,
    questionnaire_create_default,
    questionnaire_set_device_guard,
    questionnaire_update,
    sample_plan_update,
    sample_plans_ensure,
    tokens_issue,
)

PAGE_SIZE = 100


def refused(request: HttpRequest, exc: ValidationError) -> None:
    """Show a service's refusal (each of its Vietnamese messages) on the next page."""
    for message in exc.messages:
        messages.error(request, message)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The periods whose survey the user oversees."""
    periods = selectors.survey_periods_for(request.user)
    return render(request, "surveys/index.html", {"periods": periods})


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.plans_matching(period, query), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    questionnaire = selectors.questionnaire_of(period)
    previous = (
        Questionnaire.objects.filter(period__jurisdiction=period.jurisdiction_id)
        .exclude(period=period)
        .select_related("period")
        .order_by("-period__year")
        .first()
    )
    return render(
        request,
        "surveys/overview.html",
        {
            "period": period,
            "questionnaire": questionnaire,
            "factors": questionnaire.factors.prefetch_related("questions") if questionnaire else [],
            "previous": previous,
            "rows": selectors.progress_rows(period, list(page.object_list)),
            "page": page,
            "query": query,
            "totals": selectors.period_totals(period),
            "batches": ImportBatch.objects.filter(period=period)[:5],
            "computation": selectors.last_computation(period),
            "can_manage": is_chair(request.user),
        },
    )


@login_required
@require_POST
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the questionnaire (default or cloned) and the sample plans."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    action = request.POST.get("action", "")
    try:
        if action == "default":
            questionnaire_create_default(period=period, actor=request_user(request))
            messages.success(request, "Đã tạo phiếu khảo sát theo mẫu 5 yếu tố.")
        elif action == "clone":
            source = get_object_or_404(
                Questionnaire,
                pk=parse_id(request.POST.get("source", "")) or 0,
                period__jurisdiction=period.jurisdiction_id,
            )
            questionnaire_clone(source=source, period=period, actor=request_user(request))
            messages.success(request, f"Đã sao chép phiếu khảo sát của {source.period.name}.")
        elif action == "plans":
            created = sample_plans_ensure(period=period, actor=request_user(request))
            messages.success(request, f"Đã lập kế hoạch khảo sát cho {created} đơn vị.")
        else:
            messages.error(request, "Thao tác không hợp lệ.")
    except ValidationError as exc:
        refused(request, exc)
    return redirect("surveys:overview", pk=period.pk)


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair edits the questionnaire: wording, scale, factors and questions (an outline),
    what counts as satisfied, the minimums and the conversion to points."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    questionnaire = selectors.questionnaire_of(period)
    if questionnaire is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    errors: list[str] = []
    if request.method == "POST":
        form = QuestionnaireForm(questionnaire, request.POST)
        if not form.is_valid():
            errors = form_problems(form)
        else:
            try:
                questionnaire_update(
                    questionnaire=questionnaire, **form.update(), actor=request_user(request)
                )
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                messages.success(request, "Đã lưu phiếu khảo sát.")
                return redirect("surveys:overview", pk=period.pk)
    else:
        form = QuestionnaireForm(questionnaire)
    return render(
        request,
        "surveys/questionnaire_edit.html",
        {
            "period": period,
            "questionnaire": questionnaire,
            "form": form.shown(),
            "errors": errors,
            "outline_help": OUTLINE_HELP,
            "rounding_modes": RoundingMode.choices,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    """Tính điểm khảo sát: queue the computation and show its progress."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    try:
        started = survey_compute_start(period=period, actor=request_user(request))
    except ValidationError as exc:
        refused(request, exc)
        return redirect("surveys:overview", pk=period.pk)
    return redirect("surveys:computation", pk=period.pk, computation_id=started.pk)


@login_required
def computation(request: HttpRequest, pk: int, computation_id: int) -> HttpResponse:
    """One computation: its progress bar (the htmx fragment polls itself every second while
    it runs), then what it found, or why it failed."""
    period = selectors.get_survey_period(request.user, pk)
    found = selectors.get_computation(period, computation_id)
    context = {
        "period": period,
        "computation": found,
        "notices": selectors.computation_notices(found),
    }
    if request.headers.get("HX-Request"):
        return render(request, "surveys/_computation_progress.html", context)
    return render(request, "surveys/computation.html", context)


@login_required
@require_POST
def plan_update(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    """The chair changes one unit's plan, or issues one-time codes for its online form."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    plan = get_object_or_404(
        SamplePlan.objects.select_related("unit", "period"), pk=plan_id, period=period
    )
    try:
        if request.POST.get("action") == "tokens":
            _issue_tokens(request, plan)
        else:
            _update_plan(request, plan)
    except ValidationError as exc:
        refused(request, exc)
    return redirect("surveys:qr", pk=period.pk, plan_id=plan.pk)


def _issue_tokens(request: HttpRequest, plan: SamplePlan) -> None:
    form = TokensForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form_problems(form))
    issued = tokens_issue(plan=plan, count=form.cleaned_data["count"], actor=request_user(request))
    messages.success(request, f"Đã phát {len(issued)} mã phiếu trực tuyến.")


def _update_plan(request: HttpRequest, plan: SamplePlan) -> None:
    form = PlanForm(request.POST)
    if not form.is_valid():
        raise ValidationError(form_problems(form))
    sample_plan_update(plan=plan, **form.cleaned_data, actor=request_user(request))
    messages.success(request, f"Đã lưu kế hoạch khảo sát của {plan.unit.name}.")


@login_required
def qr_sheet(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    """The unit's plan, and a printable page for the one-stop desk: the unit's link, its QR
    code and the unused one-time codes (each with its own link)."""
    period = selectors.get_survey_period(request.user, pk)
    plan = get_object_or_404(SamplePlan.objects.select_related("unit"), pk=plan_id, period=period)
    link = request.build_absolute_uri(reverse("surveys:public_form", args=[plan.public_key]))
    svg = segno.make(link, error="m").svg_inline(
        scale=6, title=f"Mã QR phiếu khảo sát {plan.unit.name}"
    )
    return render(
        request,
        "surveys/qr.html",
        {
            "period": period,
            "plan": plan,
            "link": link,
            "svg": svg,
            "tokens": list(plan.tokens.filter(used_at__isnull=True).order_by("pk")[:500]),
            "used": plan.tokens.filter(used_at__isnull=False).count(),
            "channels": Channel.choices,
            "can_manage": is_chair(request.user),
        },
    )


@login_required
@require_POST
def device_guard(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair turns "one online form per device" on or off."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    questionnaire = selectors.questionnaire_of(period)
    if questionnaire is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    on = request.POST.get("one_form_per_device") == "1"
    questionnaire_set_device_guard(questionnaire=questionnaire, on=on, actor=request_user(request))
    messages.success(
        request,
        "Đã bật: mỗi thiết bị chỉ gửi một phiếu trực tuyến."
        if on
        else "Đã tắt giới hạn: một thiết bị được gửi nhiều phiếu (máy dùng chung tại "
        "bộ phận một cửa).",
    )
    return redirect("surveys:questionnaire", pk=period.pk)
