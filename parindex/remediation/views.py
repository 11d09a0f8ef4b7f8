"""The remediation pages (/khac-phuc/): a unit's lost points with the tasks made of them,
its task list, a task's page, and one POST endpoint per move, comment and evidence change.

Each view gets its object through :mod:`parindex.remediation.permissions` (404 for "not
yours", 403 for a reader who may not do what they asked) and calls one service; a refusal
re-renders the page with the reasons (status 400), never a 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.assessments.models import Assessment
from parindex.audit.selectors import rows_of
from parindex.core.forms import add_service_errors
from parindex.evidence.files import allowed_extensions
from parindex.evidence.models import Evidence
from parindex.periods.models import UnsignedEvidencePolicy
from parindex.remediation import selectors
from parindex.remediation.forms import (
    CommentForm,
    CompleteForm,
    DropForm,
    EvidenceForm,
    TaskFieldsForm,
)
from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.remediation.permissions import (
    can_manage,
    can_work,
    get_assessment_for_remediation,
    get_task_for_user,
    is_unit_leader,
    require_manage,
    require_work,
    tasks_visible_to,
)
from parindex.remediation.services import (
    TaskSpec,
    task_comment_add,
    task_complete,
    task_drop,
    task_evidence_add,
    task_evidence_remove,
    task_reopen,
    task_start,
    task_update,
    tasks_create_many,
)
from parindex.remediation.workflow import MOVES, available_moves

PAGE_SIZE = 50


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --------------------------------------------------------------------------- lost points


def _row_form(
    request: HttpRequest, assessment: Assessment, node_id: int, selected: set[int]
) -> TaskFieldsForm:
    """The form of one lost item: bound to the POST when the item was selected; else
    unbound, keeping what was typed in it."""
    prefix = f"r{node_id}"
    choices = {
        "officers": selectors.unit_officers(assessment.unit_id),
        "sections": selectors.unit_sections(assessment.unit_id),
    }
    if request.method == "POST" and node_id in selected:
        return TaskFieldsForm(request.POST, prefix=prefix, **choices)
    initial: dict[str, Any] = {}
    if request.method == "POST":
        initial = {
            name: request.POST.get(f"{prefix}-{name}", "")
            for name in ("action", "officer", "section", "due_date", "expected_evidence")
        }
    return TaskFieldsForm(prefix=prefix, initial=initial, **choices)


def _selected(request: HttpRequest) -> set[int]:
    return {int(v) for v in request.POST.getlist("chon") if v.isdigit() and len(v) <= 18}


@login_required
@require_http_methods(["GET", "POST"])
def lost(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Điểm bị trừ và biện pháp khắc phục: the items that lost points, their tasks, and
    (for the unit's leader) the form that turns the selected items into tasks."""
    manage = request.method == "POST"
    assessment = get_assessment_for_remediation(request.user, assessment_id, manage=manage)
    found = selectors.lost_items_for(assessment)
    selected = _selected(request) if manage else set()
    rows = [(item, _row_form(request, assessment, item.node_id, selected)) for item in found.items]
    errors: list[str] = []
    if manage:
        errors = _create_tasks(request, assessment, found, rows, selected)
        if not errors:
            return redirect("remediation:lost", assessment_id=assessment.pk)
    return render(
        request,
        "remediation/lost.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "found": found,
            "rows": rows,
            "selected": selected,
            "errors": errors,
            "can_create": found.settled and is_unit_leader(request.user, assessment.unit_id),
            "today": selectors.today(),
        },
        status=400 if errors else 200,
    )


def _create_tasks(
    request: HttpRequest,
    assessment: Assessment,
    found: selectors.LostItems,
    rows: list[tuple[selectors.LostItem, TaskFieldsForm]],
    selected: set[int],
) -> list[str]:
    """Validate the selected rows and make their tasks; the problems, else []."""
    if not found.settled:
        return [found.reason]
    chosen = [(item, form) for item, form in rows if item.node_id in selected]
    if not chosen:
        return ["Chưa chọn tiêu chí nào để giao nhiệm vụ khắc phục."]
    errors: list[str] = []
    specs: list[TaskSpec] = []
    for item, form in chosen:
        if not form.is_valid():
            errors.extend(form.error_lines(f"Tiêu chí {item.item.node.code}: "))
            continue
        data = form.cleaned_data
        specs.append(
            TaskSpec(
                node=item.item.node,
                action=data["action"],
                due_date=data["due_date"],
                officer=data["officer"],
                section=data["section"],
                expected_evidence=data["expected_evidence"],
            )
        )
    if errors:
        return errors
    try:
        tasks = tasks_create_many(assessment=assessment, specs=specs, actor=request_user(request))
    except ValidationError as exc:
        return list(exc.messages)
    messages.success(request, f"Đã giao {len(tasks)} nhiệm vụ khắc phục.")
    return []


# --------------------------------------------------------------------------- the list


@login_required
@require_http_methods(["GET"])
def task_list(request: HttpRequest) -> HttpResponse:
    """The tasks the user sees (their unit's), with filters and overdue marked."""
    visible = tasks_visible_to(request.user)
    filters = selectors.filters_from(request.GET)
    shown = selectors.tasks_filtered(visible, filters)
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "remediation/list.html",
        {
            "page": page,
            "tasks": list(page.object_list),
            "filters": filters,
            "counts": selectors.task_counts(visible),
            "choices": selectors.filter_choices(visible),
            "statuses": TaskStatus.choices,
            "overdue_key": selectors.OVERDUE,
            "today": selectors.today(),
            "many_units": visible.values("unit_id").distinct().count() > 1,
        },
    )


# --------------------------------------------------------------------------- a task


def _task_context(request: HttpRequest, task: RemediationTask, **extra: Any) -> dict[str, Any]:
    attached = selectors.task_evidence(task)
    library = selectors.unit_library(task, [e.pk for e in attached])
    period = task.period
    context: dict[str, Any] = {
        "task": task,
        "moves": [(verb, MOVES[verb].label) for verb in available_moves(task, request.user)],
        "can_manage": can_manage(request.user, task),
        "can_work": can_work(request.user, task),
        "overdue": selectors.is_overdue(task),
        "today": selectors.today(),
        "evidence": attached,
        "library": library,
        "comments": list(task.comments.select_related("author")),
        "history": rows_of(selectors.task_history(task)),
        "complete_form": CompleteForm(library=_library_qs(task)),
        "drop_form": DropForm(),
        "comment_form": CommentForm(),
        "errors": [],
        "accept": ",".join(f".{e}" for e in allowed_extensions(period)),
        "types_label": ", ".join(e.upper() for e in allowed_extensions(period)),
        "max_mb": period.evidence_max_mb,
        "refuse_unsigned": period.unsigned_evidence == UnsignedEvidencePolicy.REFUSE,
    }
    context.update(extra)
    return context


def _library_qs(task: RemediationTask) -> Any:
    return Evidence.objects.filter(period_id=task.period_id, unit_id=task.unit_id)


def _detail(
    request: HttpRequest, task: RemediationTask, status: int = 200, **extra: Any
) -> HttpResponse:
    context = _task_context(request, task, **extra)
    return render(request, "remediation/task.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_task_for_user(request.user, pk))


def _act(
    request: HttpRequest,
    task: RemediationTask,
    write: Callable[[], object],
    done: str,
    **forms: Any,
) -> HttpResponse:
    """Run ``write``: back to the task's page with ``done``, or the page again with the
    refusal (on the form of ``forms`` that has the field, else above)."""
    try:
        write()
    except ValidationError as exc:
        task.refresh_from_db()
        errors = list(exc.messages)
        for form in forms.values():
            if hasattr(exc, "error_dict") and set(exc.error_dict) & set(form.fields):
                add_service_errors(form, exc)
                errors = []
        return _detail(request, task, status=400, errors=errors, **forms)
    messages.success(request, done)
    return redirect("remediation:task", pk=task.pk)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Sửa nhiệm vụ: action, officer or section, due date, expected evidence (the leader)."""
    task = get_task_for_user(request.user, pk)
    require_manage(request.user, task)
    initial = {
        "action": task.action,
        "officer": task.officer_id,
        "section": task.section_id,
        "due_date": task.due_date,
        "expected_evidence": task.expected_evidence,
    }
    form = TaskFieldsForm(
        request.POST or None,
        initial=initial,
        officers=selectors.unit_officers(task.unit_id),
        sections=selectors.unit_sections(task.unit_id),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task_update(task=task, actor=request_user(request), **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã lưu nhiệm vụ khắc phục.")
            return redirect("remediation:task", pk=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "remediation/edit.html", {"task": task, "form": form}, status=status)


@login_required
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    require_work(request.user, task)
    actor = request_user(request)
    return _act(request, task, lambda: task_start(task=task, actor=actor), "Đã bắt đầu thực hiện.")


@login_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    require_work(request.user, task)
    form = CompleteForm(request.POST, library=_library_qs(task))
    if not form.is_valid():
        return _detail(request, task, status=400, complete_form=form)
    actor = request_user(request)
    return _act(
        request,
        task,
        lambda: task_complete(
            task=task,
            result=form.cleaned_data["result"],
            files=request.FILES.getlist("files"),
            evidence=form.cleaned_data["evidence"],
            actor=actor,
        ),
        "Đã hoàn thành nhiệm vụ khắc phục.",
        complete_form=form,
    )


@login_required
@require_POST
def drop(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    require_manage(request.user, task)
    form = DropForm(request.POST)
    if not form.is_valid():
        return _detail(request, task, status=400, drop_form=form)
    actor = request_user(request)
    return _act(
        request,
        task,
        lambda: task_drop(task=task, reason=form.cleaned_data["reason"], actor=actor),
        "Đã ghi nhận không thực hiện nhiệm vụ.",
        drop_form=form,
    )


@login_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    require_manage(request.user, task)
    actor = request_user(request)
    return _act(request, task, lambda: task_reopen(task=task, actor=actor), "Đã mở lại nhiệm vụ.")


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    """A comment (htmx: the refreshed discussion; else back to the task's page)."""
    task = get_task_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            task_comment_add(task=task, text=form.cleaned_data["text"], actor=request_user(request))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if not _is_htmx(request):
                messages.success(request, "Đã gửi trao đổi.")
                return redirect("remediation:task", pk=task.pk)
            form = CommentForm()
    if _is_htmx(request):
        context = {"task": task, "comments": list(task.comments.select_related("author"))}
        return render(request, "remediation/_comments.html", {**context, "comment_form": form})
    return _detail(request, task, status=400, comment_form=form)


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    require_work(request.user, task)
    form = EvidenceForm(request.POST, library=_library_qs(task))
    if not form.is_valid():
        return _detail(request, task, status=400, errors=form.errors.get("evidence", []))
    actor = request_user(request)
    return _act(
        request,
        task,
        lambda: task_evidence_add(
            task=task,
            files=request.FILES.getlist("files"),
            evidence=form.cleaned_data["evidence"],
            actor=actor,
        ),
        "Đã thêm tài liệu kiểm chứng.",
    )


@login_required
@require_POST
def evidence_remove(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_task_for_user(request.user, pk)
    require_work(request.user, task)
    raw = str(request.POST.get("evidence") or "")
    found = task.evidence.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) <= 18 else None
    if found is None:
        return _detail(request, task, status=400, errors=["Tài liệu không gắn với nhiệm vụ này."])
    actor = request_user(request)
    return _act(
        request,
        task,
        lambda: task_evidence_remove(task=task, evidence=found, actor=actor),
        f"Đã gỡ tài liệu “{found.original_name}”.",
    )
