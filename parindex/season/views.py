"""The chair's dashboard (điều hành, /tham-dinh/<kỳ>/dieu-hanh/): where the season stands, the
one next step with what it will do, and the units' extensions.

The next step goes through its confirmation page (/tham-dinh/<kỳ>/dieu-hanh/chuyen-buoc/):
GET shows what the step does, to whom, and its consequences; POST runs it after checking
that the consequences are still those the page showed (otherwise the page is shown again
with the new numbers).

Thin: the period comes through the permission chokepoints (404 when not the user's), every
write through :mod:`parindex.season`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.assessments.selectors.appraisal import can_appraise_period
from parindex.core.formatting import fmt_datetime
from parindex.core.forms import add_service_errors
from parindex.periods.models import DeadlineStage, Period, PeriodStatus
from parindex.periods.permissions import (
    get_period_for_chair,
    get_period_for_user,
    is_chair,
    is_overseer,
)
from parindex.season.consequences import (
    NO_APPRAISAL_CONFIRM,
    StepConsequences,
    step_consequences,
)
from parindex.season.dashboard import period_dashboard
from parindex.season.deadlines import deadline_extend
from parindex.season.forms import ExtensionForm, StepForm
from parindex.season.steps import Step, next_step, run_step, step_deadline

ORDER_PARAM = {"ten": "name"}
"""?sap-xep=… → the dashboard's order (default: least advanced first)."""


def _period_for_oversight(request: HttpRequest, period_id: int) -> Period:
    """The chair's and observers' view of a period: 404 if not theirs, 403 for others."""
    period = get_period_for_user(request.user, period_id)
    if not is_overseer(request.user):
        raise PermissionDenied("Chỉ hội đồng thẩm định xem được trang điều hành.")
    return period


def _dashboard(
    request: HttpRequest,
    period: Period,
    extension_form: ExtensionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    dashboard = period_dashboard(
        period,
        order=ORDER_PARAM.get(request.GET.get("sap-xep", ""), "status"),
        overdue_only=request.GET.get("loc") == "qua-han",
    )
    manage = is_chair(request.user)
    step = next_step(period) if manage else None
    consequences = step_consequences(period, step.key) if step is not None else None
    return render(
        request,
        "season/dashboard.html",
        {
            "period": period,
            "dashboard": dashboard,
            "chart": dashboard.chart(),
            "step": step,
            "consequences": consequences,
            "can_manage": manage,
            "extension_form": extension_form
            or ExtensionForm(
                period=period,
                initial={
                    "stage": DeadlineStage.EXPLANATION
                    if period.status in (PeriodStatus.APPRAISAL_1, PeriodStatus.EXPLANATION)
                    else DeadlineStage.SELF_ASSESSMENT
                },
            ),
            "can_extend": manage
            and period.status
            in (
                PeriodStatus.PREPARED,
                PeriodStatus.SELF_ASSESSMENT,
                PeriodStatus.APPRAISAL_1,
                PeriodStatus.EXPLANATION,
            ),
            "can_queue": can_appraise_period(request.user, period),
        },
        status=status,
    )


@login_required
@require_GET
def dashboard(request: HttpRequest, period_id: int) -> HttpResponse:
    """Điều hành: units × status (sorted, ?sap-xep=ten by name; ?loc=qua-han the overdue
    ones), appraisers' progress, days left, next step, extensions."""
    return _dashboard(request, _period_for_oversight(request, period_id))


def _confirmation(
    request: HttpRequest,
    period: Period,
    step: Step,
    form: StepForm,
    consequences: StepConsequences | None,
    *,
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "season/confirm_step.html",
        {
            "period": period,
            "step": step,
            "form": form,
            "consequences": consequences,
            "lines": consequences.lines() if consequences is not None else [],
            "fingerprint": consequences.fingerprint if consequences is not None else "",
            "current_deadline": step_deadline(period, step),
            "no_appraisal_confirm": NO_APPRAISAL_CONFIRM,
            "changed": changed,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def advance(request: HttpRequest, period_id: int) -> HttpResponse:
    """Chuyển bước: GET shows the confirmation page of the one next step; POST runs it,
    unless the period moved on or its consequences changed since the page was shown."""
    period = get_period_for_chair(request.user, period_id)
    back = reverse("season:dashboard", args=[period.pk])
    step = next_step(period)
    if step is None:
        messages.info(request, "Kỳ đánh giá đã chốt kết quả: không còn bước nào.")
        return redirect(back)
    if request.method == "GET":
        form = StepForm(initial={"step": step.key})
        return _confirmation(request, period, step, form, step_consequences(period, step.key))
    form = StepForm(request.POST)
    if request.POST.get("step") != step.key:
        messages.error(request, "Kỳ đánh giá đã chuyển trạng thái; vui lòng xem lại.")
        return redirect(back)
    consequences = step_consequences(period, step.key)
    if not form.is_valid():
        return _confirmation(request, period, step, form, consequences, status=400)
    seen = form.cleaned_data["seen"]
    if seen and consequences is not None and seen != consequences.fingerprint:
        return _confirmation(request, period, step, form, consequences, changed=True, status=409)
    try:
        moved = run_step(
            period=period,
            step=step.key,
            actor=request_user(request),
            deadline=form.cleaned_data.get("deadline"),
            confirm_unappraised=form.cleaned_data["confirm_unappraised"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _confirmation(request, period, step, form, consequences, status=400)
    messages.success(
        request, f"{step.label}: kỳ đánh giá chuyển sang “{moved.get_status_display()}”."
    )
    return redirect(back)


@login_required
@require_POST
def extend(request: HttpRequest, period_id: int) -> HttpResponse:
    """Gia hạn cho một đơn vị, with the reason."""
    period = get_period_for_chair(request.user, period_id)
    form = ExtensionForm(request.POST, period=period)
    if form.is_valid():
        data = form.cleaned_data
        try:
            extension = deadline_extend(
                period=period,
                unit=data["unit"],
                stage=data["stage"],
                until=data["until"],
                reason=data["reason"],
                actor=request_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Đã gia hạn {extension.get_stage_display().lower()} cho "
                f"{extension.unit.name} đến {fmt_datetime(extension.until)}.",
            )
            return redirect("season:dashboard", period_id=period.pk)
    return _dashboard(request, period, extension_form=form, status=400)
