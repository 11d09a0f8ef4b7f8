"""The page "Phân công nhiệm vụ trong đơn vị": the unit's sections and, per field or
criterion of its current criteria set, the officer and/or section who answer for it. Its
people read it; its leader changes it (a row at a time, with htmx)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts.middleware import is_htmx, refuse
from parindex.accounts.requests import request_user
from parindex.core.forms import add_service_errors
from parindex.organizations.models import Unit
from parindex.teams import services
from parindex.teams.forms import AssignmentForm, SectionForm
from parindex.teams.models import ItemAssignment, Section
from parindex.teams.permissions import get_unit_for_user, home_unit, is_unit_leader
from parindex.teams.selectors import teams_page


def _page_url(unit: Unit, anchor: str = "") -> str:
    url = reverse("teams:unit", args=[unit.pk])
    return f"{url}#{anchor}" if anchor else url


def _render(
    request: HttpRequest,
    unit: Unit,
    *,
    create_form: SectionForm | None = None,
    edit_form: tuple[int, SectionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    page = teams_page(unit)
    context: dict[str, Any] = {
        "page": page,
        "unit": unit,
        "can_edit": is_unit_leader(request.user, unit),
        "create_form": create_form or SectionForm(unit=unit),
        "edit_id": edit_form[0] if edit_form else None,
        "edit_form": edit_form[1] if edit_form else None,
    }
    return render(request, "teams/unit.html", context, status=status)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """/don-vi/phan-cong/: the page of the user's own unit."""
    return redirect("teams:unit", unit_id=home_unit(request.user).pk)


@login_required
@require_GET
def unit_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    return _render(request, get_unit_for_user(request.user, unit_id))


def _section(unit: Unit, pk: int) -> Section:
    section = Section.objects.filter(unit=unit, pk=pk).first()
    if section is None:
        raise Http404("Không tìm thấy bộ phận của đơn vị.")
    return section


@login_required
@require_POST
def section_create(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id, write=True)
    form = SectionForm(request.POST, unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            section = services.section_create(
                unit=unit,
                name=data["name"],
                members=list(data["members"]),
                actor=request_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm bộ phận {section.name}.")
            return redirect(_page_url(unit, "bo-phan"))
    return _render(request, unit, create_form=form, status=400)


@login_required
@require_POST
def section_update(request: HttpRequest, unit_id: int, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id, write=True)
    section = _section(unit, pk)
    form = SectionForm(request.POST, unit=unit)
    if form.is_valid():
        data = form.cleaned_data
        try:
            section = services.section_update(
                section=section,
                name=data["name"],
                members=list(data["members"]),
                actor=request_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu bộ phận {section.name}.")
            return redirect(_page_url(unit, f"bo-phan-{section.pk}"))
    return _render(request, unit, edit_form=(section.pk, form), status=400)


@login_required
@require_POST
def section_delete(request: HttpRequest, unit_id: int, pk: int) -> HttpResponse:
    unit = get_unit_for_user(request.user, unit_id, write=True)
    section = _section(unit, pk)
    services.section_delete(section=section, actor=request_user(request))
    messages.success(request, f"Đã xoá bộ phận {section.name}.")
    return redirect(_page_url(unit, "bo-phan"))


def _save_assignment(request: HttpRequest, unit: Unit, form: AssignmentForm) -> str:
    """Save the row (both empty: nobody answers for it any more); the problem, or ""."""
    if not form.is_valid():
        return form.problems()
    data, actor = form.cleaned_data, request_user(request)
    code = data["node"].strip()
    try:
        if data["officer"] is None and data["section"] is None:
            existing = ItemAssignment.objects.filter(unit=unit, node_code=code).first()
            if existing is not None:
                services.item_assignment_delete(assignment=existing, actor=actor)
        else:
            services.item_assignment_save(
                unit=unit,
                node_code=code,
                officer=data["officer"],
                section=data["section"],
                note=data["note"],
                actor=actor,
            )
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


@login_required
@require_POST
def assignment_save(request: HttpRequest, unit_id: int) -> HttpResponse:
    """One row of the tree (htmx: the row again, and who now covers the rows below it)."""
    unit = get_unit_for_user(request.user, unit_id, write=True)
    form = AssignmentForm(request.POST, unit=unit)
    problem = _save_assignment(request, unit, form)
    code = request.POST.get("node", "").strip()
    page = teams_page(unit)
    row = next((r for r in page.rows if r.node.code == code), None)
    if problem and row is not None:
        problem = f"{row.node.code}: {problem}"
    if row is None:
        return refuse(request, problem or "Không tìm thấy nội dung.", _page_url(unit), status=400)
    if is_htmx(request):
        context = {"page": page, "row": row, "problem": problem, "can_edit": True}
        return render(request, "teams/_row_saved.html", context)
    if problem:
        messages.error(request, problem)
    else:
        messages.success(request, f"Đã lưu phân công nội dung {row.node.code}.")
    return redirect(_page_url(unit, f"nd-{row.node.node_id}"))
