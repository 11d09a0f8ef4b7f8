"""The CCHC plan pages (/ke-hoach-cchc/): the list, a plan's tree with its completion,
adding, editing and closing items (htmx loads each form in place; the forms post and
redirect, so the pages work without JavaScript), the import and its template, and the
evidence files. Views parse, ask :mod:`parindex.plans.permissions`, call one service or
selector, and render or redirect."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.core.forms import add_service_errors
from parindex.core.storage import content_disposition, file_response
from parindex.plans import selectors
from parindex.plans.forms import (
    DoneForm,
    ImportForm,
    ItemEditForm,
    ItemForm,
    PlanEditForm,
    PlanForm,
)
from parindex.plans.models import PlanItem, ReformPlan
from parindex.plans.permissions import (
    can_write_plan,
    get_item_for_user,
    get_plan_for_user,
    is_plan_overseer,
    writable_units,
)
from parindex.plans.services import (
    plan_create,
    plan_item_add,
    plan_item_delete,
    plan_item_mark_done,
    plan_item_mark_undone,
    plan_item_update,
    plan_update,
)
from parindex.plans.services.imports import PlanImportError, plan_import_xlsx
from parindex.plans.xlsx import TEMPLATE_NAME, XLSX_CONTENT_TYPE, template_xlsx

MAX_SHOWN_ERRORS = 200


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _detail(plan_id: int, anchor: str = "") -> str:
    return reverse("plans:detail", args=[plan_id]) + (f"#{anchor}" if anchor else "")


def _year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The plans of the user's units by year; for overseers, every unit's plan with its
    completion, searchable without diacritics."""
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    year = _year(request.GET.get("nam", ""))
    units = list(writable_units(request.user).order_by("position", "name"))
    own = selectors.plan_rows(
        ReformPlan.objects.filter(unit__in=units).order_by("-year", "unit__name")
    )
    overseer = is_plan_overseer(request.user)
    listed = selectors.plan_rows(
        selectors.visible_plans(request.user, year=year, query=query).exclude(unit__in=units)
    )
    return render(
        request,
        "plans/index.html",
        {
            "own": own,
            "listed": listed,
            "overseer": overseer,
            "can_create": bool(units),
            "query": query,
            "year": year,
            "years": selectors.plan_years(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    units = [(u.pk, u.name) for u in writable_units(request.user).order_by("position", "name")]
    if not units:
        raise Http404("Không tìm thấy trang.")
    initial = {"year": timezone.localdate().year}
    form = PlanForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = writable_units(request.user).filter(pk=data["unit"]).get()
        try:
            plan = plan_create(
                unit=unit,
                year=data["year"],
                number=data["number"],
                issued_on=data["issued_on"],
                title=data["title"],
                actor=request_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lập kế hoạch CCHC năm {plan.year} của {unit.name}.")
            return redirect("plans:detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/plan_form.html", {"form": form}, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan's tree with product, deadline, lead, support and status, and its
    completion at 30/6 and at year end."""
    plan = get_plan_for_user(request.user, pk)
    page = selectors.plan_page(plan, timezone.localdate())
    can_write = can_write_plan(request.user, plan)
    form = ItemForm(parents=page.parents) if can_write else None
    return render(
        request,
        "plans/detail.html",
        {"plan": plan, "page": page, "can_write": can_write, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    initial = {"number": plan.number, "issued_on": plan.issued_on, "title": plan.title}
    form = PlanEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan_update(plan=plan, actor=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin kế hoạch.")
            return redirect("plans:detail", pk=plan.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/plan_form.html", {"form": form, "plan": plan}, status=status)


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """An item form: the fragment for htmx (loaded in place), else a page of its own."""
    fragment = _is_htmx(request) and request.method == "GET"
    context = {**context, "fragment": fragment}
    name = f"plans/_{template}.html" if fragment else "plans/item_page.html"
    return render(
        request, name, {**context, "form_template": f"plans/_{template}.html"}, status=status
    )


@login_required
@require_POST
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    page = selectors.plan_page(plan, timezone.localdate())
    form = ItemForm(request.POST, parents=page.parents)
    if form.is_valid():
        data = dict(form.cleaned_data)
        parent_id = data.pop("parent")
        parent = plan.items.filter(pk=parent_id).first() if parent_id else None
        try:
            item = plan_item_add(plan=plan, parent=parent, actor=request_user(request), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm {item.get_kind_display().lower()} {item}.")
            return redirect(_detail(plan.pk, f"nd-{item.pk}"))
    context = {"plan": plan, "page": page, "can_write": True, "form": form}
    return render(request, "plans/detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    fields = ("code", "title", "product", "deadline", "lead", "support")
    form = ItemEditForm(request.POST or None, initial={f: getattr(item, f) for f in fields})
    if request.method == "POST" and form.is_valid():
        try:
            plan_item_update(item=item, actor=request_user(request), **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu {item.get_kind_display().lower()} {item.code}.")
            return redirect(_detail(item.plan_id, f"nd-{item.pk}"))
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "item_edit", {"item": item, "form": form}, status=status)


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    count = plan_item_delete(item=item, actor=request_user(request))
    messages.success(
        request,
        f"Đã xoá {item.get_kind_display().lower()} {item}"
        + (f" cùng {count - 1} nội dung bên dưới." if count > 1 else "."),
    )
    return redirect(_detail(item.plan_id))


@login_required
@require_http_methods(["GET", "POST"])
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    initial: dict[str, Any] = {"result_document": item.result_document}
    if item.done_on:
        initial["done_on"] = item.done_on
    form = DoneForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_item_mark_done(
                item=item,
                done_on=data["done_on"],
                result_document=data["result_document"],
                file=data["file"],
                actor=request_user(request),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã xác nhận hoàn thành {item}.")
            return redirect(_detail(item.plan_id, f"nd-{item.pk}"))
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "item_done", {"item": item, "form": form}, status=status)


@login_required
@require_POST
def item_undone(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_item_for_user(request.user, pk, write=True)
    plan_item_mark_undone(item=item, actor=request_user(request))
    messages.success(request, f"Đã bỏ xác nhận hoàn thành {item}.")
    return redirect(_detail(item.plan_id, f"nd-{item.pk}"))


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An item's evidence file, for whoever may read the plan (streamed or presigned)."""
    item: PlanItem = get_item_for_user(request.user, pk)
    if not item.evidence_file:
        raise Http404("Nội dung này không có tệp kiểm chứng.")
    return file_response(
        item.evidence_file,
        name=item.evidence_name or "kiem-chung",
        content_type="application/octet-stream",
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_items(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan_for_user(request.user, pk, write=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = plan_import_xlsx(
                plan=plan,
                file=form.cleaned_data["file"],
                actor=request_user(request),
                replace=form.cleaned_data["replace"],
            )
        except PlanImportError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"Đã nhập {count} nội dung vào kế hoạch.")
            return redirect("plans:detail", pk=plan.pk)
    context = {
        "plan": plan,
        "form": form,
        "errors": errors[:MAX_SHOWN_ERRORS],
        "more_errors": max(0, len(errors) - MAX_SHOWN_ERRORS),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "plans/import.html", context, status=status)


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(TEMPLATE_NAME)
    return response
