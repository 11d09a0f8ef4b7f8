"""Giải trình from the unit's own pages (/danh-gia/<id>/giai-trinh/): the items returned
for explanation with the appraisers' comments, one answer per item saved on its own (htmx:
the other items' typed text is never reposted nor re-rendered), the explanation deadline,
and the unit leader's "Gửi giải trình" / "Rút lại".

Thin: the assessment comes through :func:`~parindex.assessments.permissions.
get_assessment_for_user` (404 when not the user's); answers are saved by
:func:`~parindex.assessments.services.appraisal.explanation_respond`, the leader's steps by
:mod:`~parindex.assessments.services.explanation`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.assessments.errors import Conflict
from parindex.assessments.models import Assessment
from parindex.assessments.permissions import (
    can_edit_as_unit,
    can_submit,
    get_assessment_for_user,
)
from parindex.assessments.selectors.appraisal import explanation_rows
from parindex.assessments.services import explanation as steps
from parindex.assessments.services.appraisal import explanation_respond
from parindex.core.converters import parse_id
from parindex.core.formatting import fmt_time
from parindex.periods.selectors import days_left

EVIDENCE_TEMPLATE = "evidence/_item_evidence.html"


def _evidence_template() -> str | None:
    try:
        get_template(EVIDENCE_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return EVIDENCE_TEMPLATE


def _page_url(assessment: Assessment) -> str:
    return reverse("assessments:explanation", kwargs={"pk": assessment.pk})


@login_required
@require_http_methods(["GET", "POST"])
def explanation(request: HttpRequest, pk: int) -> HttpResponse:
    """Giải trình: the returned items, each with its own answer form (POST: one item)."""
    assessment = get_assessment_for_user(request.user, pk)
    rows = explanation_rows(assessment, request.user)
    if request.method == "POST":
        return _save_one(request, assessment, rows)
    deadline = steps.explanation_deadline(assessment)
    closed = steps.explanation_open_reason(assessment)
    is_unit = can_edit_as_unit(request.user, assessment)
    sent = assessment.explanation_sent_at is not None
    leader_open = can_submit(request.user, assessment) and closed is None
    return render(
        request,
        "assessments/explanation.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "rows": rows,
            "deadline": deadline,
            "days_left": days_left(deadline),
            "closed": closed,
            "is_unit": is_unit,
            "can_respond": is_unit and closed is None and not sent,
            "can_send": leader_open and not sent and bool(rows),
            "can_withdraw": leader_open and sent,
            "evidence_template": _evidence_template(),
        },
    )


def _save_one(request: HttpRequest, assessment: Assessment, rows: list[Any]) -> HttpResponse:
    row = next((r for r in rows if str(r.answer.pk) == request.POST.get("answer", "")), None)
    if row is None:
        raise Http404("Không tìm thấy nội dung cần giải trình.")
    answer = row.answer
    version = parse_id(request.POST.get("version", ""))
    outcome: dict[str, Any] = {"answer": answer}
    try:
        saved = explanation_respond(
            answer=answer,
            actor=request_user(request),
            version=-1 if version is None else version,
            response=request.POST.get("response", ""),  # too long: refused, not cut
        )
    except Conflict as exc:
        outcome["problem"] = exc.message
    except PermissionDenied:
        raise
    except ValidationError as exc:
        outcome["problem"] = f"Tiêu chí {answer.node.code}: {' '.join(exc.messages)}"
    else:
        outcome["answer"], outcome["saved"] = saved, True
    if getattr(request, "htmx", False):  # shown in the item's status line, whatever it says
        return render(request, "assessments/_explanation_result.html", outcome)
    if outcome.get("saved"):
        messages.success(request, f"Đã lưu giải trình tiêu chí {answer.node.code}.")
    else:
        messages.error(request, outcome["problem"])
    return redirect(f"{_page_url(assessment)}#muc-{answer.pk}")


@login_required
@require_POST
def explanation_send(request: HttpRequest, pk: int) -> HttpResponse:
    """Gửi giải trình (the unit leader, before the explanation deadline)."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    try:
        steps.explanation_send(assessment=assessment, actor=request_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Đã gửi giải trình của {assessment.unit.name} lúc "
            f"{fmt_time(assessment.explanation_sent_at)}. Lãnh đạo đơn vị có thể rút lại "
            "trước hạn giải trình để sửa.",
        )
    return redirect(_page_url(assessment))


@login_required
@require_POST
def explanation_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Rút lại giải trình (the unit leader, before the deadline): editable again."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    try:
        steps.explanation_withdraw(assessment=assessment, actor=request_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Đã rút lại giải trình của {assessment.unit.name}: đơn vị sửa rồi gửi lại trước hạn.",
        )
    return redirect(_page_url(assessment))
