"""Where the plan meets the criteria: "Dùng giá trị này" on the unit's self-assessment
screen, and the set's choice of its plan-completion criterion (the set's page)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from parindex.accounts.requests import request_user
from parindex.assessments.errors import Conflict
from parindex.assessments.permissions import get_assessment_for_user
from parindex.criteria.forms import PlanCriterionForm
from parindex.criteria.models import CriterionNode
from parindex.criteria.permissions import can_manage_set, get_criteria_set_for_user
from parindex.criteria.services.plan_criterion import criteria_set_set_plan_criterion
from parindex.engine import InputError
from parindex.plans.services.use import plan_value_use

FIELD_PARAM = "linh-vuc"
"""The self-assessment screen's field parameter (``assessments.views.FIELD_PARAM``)."""


def _version(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _item_url(assessment_id: int, node: CriterionNode | None) -> str:
    url = reverse("assessments:detail", args=[assessment_id])
    if node is None:
        return url
    root = node
    while root.parent_id is not None:
        root = CriterionNode.objects.only("pk", "code", "parent_id").get(pk=root.parent_id)
    return f"{url}?{FIELD_PARAM}={root.code}#muc-{node.pk}"


@login_required
@require_POST
def use_value(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Save the plan's value for the plan criterion and cite the plan (unit's people)."""
    assessment = get_assessment_for_user(request.user, assessment_id, write=True)
    node = None
    try:
        outcome = plan_value_use(
            assessment=assessment,
            actor=request_user(request),
            version=_version(request.POST.get("version", "")),
        )
    except Conflict as conflict:
        messages.warning(request, conflict.message)
        node = conflict.current.node
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        node = outcome.suggestion.node
        note = ""
        if outcome.cited:
            note = " Đã dẫn chiếu kế hoạch làm tài liệu kiểm chứng."
        elif not outcome.citable:
            note = " Kế hoạch chưa ghi số, ngày ban hành nên chưa dẫn chiếu làm tài liệu."
        messages.success(
            request,
            f"Đã lưu tiêu chí {node.code} theo kế hoạch CCHC: {outcome.suggestion.value_text} "
            f"({outcome.suggestion.points_text} điểm).{note}",
        )
    return redirect(_item_url(assessment.pk, node))


@login_required
@require_POST
def set_criterion(request: HttpRequest, pk: int) -> HttpResponse:
    """Name the set's plan-completion criterion: the set's own managers only."""
    criteria_set = get_criteria_set_for_user(request.user, pk)
    if not can_manage_set(request.user, criteria_set):
        raise PermissionDenied("Chỉ cán bộ quản trị của tỉnh ban hành được sửa bộ tiêu chí.")
    form = PlanCriterionForm(request.POST)
    if not form.is_valid():
        for problem in form.errors.get("plan_criterion_code", []):
            messages.error(request, str(problem))
        return redirect("criteria:detail", pk=criteria_set.pk)
    code = form.cleaned_data["plan_criterion_code"]
    try:
        criteria_set_set_plan_criterion(
            criteria_set=criteria_set, code=code, actor=request_user(request)
        )
    except InputError as exc:
        messages.error(request, "; ".join(exc.problems))
    else:
        messages.success(
            request,
            f"Tiêu chí mức độ thực hiện kế hoạch CCHC: {code}."
            if code
            else "Đã bỏ chỉ định tiêu chí mức độ thực hiện kế hoạch CCHC.",
        )
    return redirect("criteria:detail", pk=criteria_set.pk)
