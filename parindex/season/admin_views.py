"""Season administration (quản lý kỳ đánh giá, /dieu-hanh/ky/): the chair and the Sở /
Phòng Nội vụ managers create a period (usually by copying the previous one), set its
deadlines, bind a criteria set to each unit group, assign appraisers and, for a 6-month
period, list the criteria not assessed.

Thin: every period comes through :func:`parindex.periods.permissions.get_period_for_admin`
(404 when not the user's), every write through :mod:`parindex.periods.services`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.core.forms import add_service_errors
from parindex.organizations.models import UnitGroup
from parindex.periods.models import AppraiserAssignment, Period, PeriodGroup, PeriodKind
from parindex.periods.models import PeriodStatus as Status
from parindex.periods.permissions import (
    get_period_for_admin,
    is_chair,
    periods_administered_by,
    require_period_admin,
)
from parindex.periods.selectors import EXCLUDED_LABEL
from parindex.periods.services import assignment_delete
from parindex.season.admin_forms import (
    AssignmentForm,
    BindForm,
    DeadlinesForm,
    ExcludedNodesForm,
    PeriodCreateForm,
)
from parindex.season.setup import (
    DEADLINE_LABELS,
    assignment_save,
    period_copy,
    period_deadlines_set,
    period_excluded_nodes_set,
    period_group_bind,
    period_group_unbind,
    period_new,
)

GET_POST = require_http_methods(["GET", "POST"])


@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """The periods of the user's jurisdictions, newest first."""
    require_period_admin(request.user)
    periods = periods_administered_by(request.user).select_related("jurisdiction")
    return render(request, "season/setup/list.html", {"periods": periods})


@login_required
@GET_POST
def period_create_view(request: HttpRequest) -> HttpResponse:
    """Tạo kỳ đánh giá: by copying an earlier one, or blank."""
    require_period_admin(request.user)
    if request.method == "POST":
        form = PeriodCreateForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["source"] is not None:
                    period = period_copy(
                        source=data["source"],
                        year=data["year"],
                        kind=data["kind"],
                        name=data["name"],
                        actor=request_user(request),
                    )
                else:
                    period = period_new(
                        jurisdiction=data["jurisdiction"],
                        year=data["year"],
                        kind=data["kind"],
                        name=data["name"],
                        actor=request_user(request),
                    )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã tạo kỳ đánh giá {period.name}.")
                return redirect("season_setup:detail", period_id=period.pk)
        return render(request, "season/setup/create.html", {"form": form}, status=400)
    latest = periods_administered_by(request.user).order_by("-year", "kind").first()
    initial: dict[str, Any] = {"kind": PeriodKind.ANNUAL}
    if latest is not None:
        initial.update(source=latest.pk, year=latest.year + 1, kind=latest.kind)
    form = PeriodCreateForm(initial=initial, user=request.user)
    return render(request, "season/setup/create.html", {"form": form})


def _detail(
    request: HttpRequest,
    period: Period,
    *,
    deadlines_form: DeadlinesForm | None = None,
    bind_form: BindForm | None = None,
    status: int = 200,
) -> HttpResponse:
    bindings = list(
        PeriodGroup.objects.filter(period=period)
        .select_related("group", "criteria_set")
        .order_by("group__position", "group__name")
    )
    assignments = list(
        AppraiserAssignment.objects.filter(period=period)
        .select_related("appraiser", "appraiser__unit")
        .prefetch_related("units")
        .order_by("appraiser__full_name", "appraiser__username")
    )
    prepared = period.status == Status.PREPARED
    return render(
        request,
        "season/setup/detail.html",
        {
            "period": period,
            "bindings": bindings,
            "assignments": assignments,
            "deadlines_form": deadlines_form or DeadlinesForm.for_period(period),
            "bind_form": bind_form or BindForm(user=request.user),
            "can_bind": prepared,
            "can_change": period.status != Status.FINALISED,
            "is_interim": period.kind == PeriodKind.INTERIM,
            "excluded_label": EXCLUDED_LABEL,
            "can_dashboard": is_chair(request.user),
            "can_exclude": period.status in (Status.PREPARED, Status.SELF_ASSESSMENT),
        },
        status=status,
    )


@login_required
def period_detail(request: HttpRequest, period_id: int) -> HttpResponse:
    """One period's set-up: deadlines, groups and sets, appraisers, 6-month list."""
    return _detail(request, get_period_for_admin(request.user, period_id))


@login_required
@require_POST
def deadlines(request: HttpRequest, period_id: int) -> HttpResponse:
    """Sửa thời hạn của các giai đoạn."""
    period = get_period_for_admin(request.user, period_id)
    form = DeadlinesForm(request.POST)
    if form.is_valid():
        try:
            period_deadlines_set(
                period=period,
                deadlines={field: form.cleaned_data[field] for field in DEADLINE_LABELS},
                actor=request_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thời hạn của kỳ đánh giá.")
            return redirect("season_setup:detail", period_id=period.pk)
    return _detail(request, period, deadlines_form=form, status=400)


@login_required
@require_POST
def bind(request: HttpRequest, period_id: int) -> HttpResponse:
    """Gắn (hoặc đổi) bộ tiêu chí của một nhóm đơn vị."""
    period = get_period_for_admin(request.user, period_id)
    form = BindForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            binding = period_group_bind(
                period=period,
                group=form.cleaned_data["group"],
                criteria_set=form.cleaned_data["criteria_set"],
                actor=request_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Nhóm {binding.group.name} chấm theo {binding.criteria_set.name}.",
            )
            return redirect("season_setup:detail", period_id=period.pk)
    return _detail(request, period, bind_form=form, status=400)


@login_required
@require_POST
def unbind(request: HttpRequest, period_id: int, group_id: int) -> HttpResponse:
    """Bỏ một nhóm đơn vị khỏi kỳ đánh giá."""
    period = get_period_for_admin(request.user, period_id)
    group = get_object_or_404(UnitGroup, pk=group_id)
    try:
        period_group_unbind(period=period, group=group, actor=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã bỏ nhóm {group.name} khỏi kỳ đánh giá.")
    return redirect("season_setup:detail", period_id=period.pk)


def _assignment_of(period: Period, assignment_id: int) -> AppraiserAssignment:
    found = (
        AppraiserAssignment.objects.filter(period=period, pk=assignment_id)
        .select_related("appraiser")
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy phân công thẩm định.")
    return found


@login_required
@GET_POST
def assignment_edit(
    request: HttpRequest, period_id: int, assignment_id: int | None = None
) -> HttpResponse:
    """Phân công thẩm định: a new one, or one of the period's changed."""
    period = get_period_for_admin(request.user, period_id)
    assignment = _assignment_of(period, assignment_id) if assignment_id is not None else None
    if request.method == "POST":
        form = AssignmentForm(request.POST, period=period)
        if form.is_valid():
            try:
                saved = assignment_save(
                    period=period,
                    appraiser=form.cleaned_data["appraiser"],
                    node_codes=form.cleaned_data["node_codes"],
                    units=form.chosen_units(),
                    actor=request_user(request),
                    assignment=assignment,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"Đã lưu phân công thẩm định của {saved.appraiser}.")
                return redirect("season_setup:detail", period_id=period.pk)
        status = 400
    else:
        initial: dict[str, Any] = {}
        if assignment is not None:
            initial = {
                "appraiser": assignment.appraiser_id,
                "node_codes": list(assignment.node_codes),
                "units": list(assignment.units.values_list("pk", flat=True)),
            }
        form = AssignmentForm(initial=initial, period=period)
        status = 200
    return render(
        request,
        "season/setup/assignment_form.html",
        {"period": period, "form": form, "assignment": assignment},
        status=status,
    )


@login_required
@GET_POST
def assignment_remove(request: HttpRequest, period_id: int, assignment_id: int) -> HttpResponse:
    """Xoá một phân công: a confirmation page, then the deletion."""
    period = get_period_for_admin(request.user, period_id)
    assignment = _assignment_of(period, assignment_id)
    if request.method == "POST":
        name = str(assignment.appraiser)
        assignment_delete(assignment=assignment, actor=request_user(request))
        messages.success(request, f"Đã xoá phân công thẩm định của {name}.")
        return redirect("season_setup:detail", period_id=period.pk)
    return render(
        request,
        "season/setup/assignment_delete.html",
        {"period": period, "assignment": assignment, "units": assignment.units.count()},
    )


@login_required
@GET_POST
def excluded(request: HttpRequest, period_id: int) -> HttpResponse:
    """Các tiêu chí chưa đánh giá ở kỳ 6 tháng."""
    period = get_period_for_admin(request.user, period_id)
    if period.kind != PeriodKind.INTERIM:
        raise Http404("Chỉ kỳ 6 tháng có danh sách tiêu chí chưa đánh giá.")
    status = 200
    if request.method == "POST":
        form = ExcludedNodesForm(request.POST, period=period)
        if form.is_valid():
            try:
                period_excluded_nodes_set(
                    period=period,
                    node_codes=form.cleaned_data["node_codes"],
                    actor=request_user(request),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, "Đã lưu danh sách tiêu chí chưa đánh giá ở kỳ 6 tháng.")
                return redirect("season_setup:detail", period_id=period.pk)
        status = 400
    else:
        form = ExcludedNodesForm(
            initial={"node_codes": list(period.excluded_node_codes or [])}, period=period
        )
    return render(
        request,
        "season/setup/excluded.html",
        {"period": period, "form": form, "excluded_label": EXCLUDED_LABEL},
        status=status,
    )
