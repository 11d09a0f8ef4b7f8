"""The next round link (kỳ trước), mounted at /khac-phuc/ky-truoc/: attach an earlier
remediation task's evidence file to an item of the current self-assessment in one click.

The panel itself is drawn on the self-assessment screen by the ``carryover`` template tags;
this view takes its button. It answers as the evidence block's own forms do
(:mod:`parindex.evidence.views`): htmx gets the refreshed evidence block of the item (200,
errors shown in it), plus the item's panel out of band; without JavaScript the form is
redirected back to ``next``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from parindex.accounts.requests import request_user
from parindex.assessments.models import Answer
from parindex.assessments.permissions import get_assessment_for_user
from parindex.evidence import selectors as evidence_selectors
from parindex.remediation.carryover import (
    ScreenTasks,
    earlier_tasks_by_code,
    evidence_carry_over,
    get_earlier_evidence,
    panel_context,
)


def _refreshed(
    request: HttpRequest, answer: Answer, *, errors: list[str] | None = None, notice: str = ""
) -> HttpResponse:
    """The item's evidence block (htmx), or back to the page the button was on."""
    if not getattr(request, "htmx", False):
        for error in errors or []:
            messages.error(request, error)
        if notice:
            messages.success(request, notice)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("assessments:detail", pk=answer.assessment_id)
    item = evidence_selectors.item_evidence(
        request.user, answer.assessment, answer, errors=errors, notice=notice
    )
    block = render_to_string("evidence/_item_evidence_body.html", item.context(), request)
    # The item's panel too (out of band): the file just attached is marked so.
    tasks = ScreenTasks(earlier_tasks_by_code(answer.assessment, [answer.node.code]))
    panel = panel_context(request.user, answer.assessment, answer.node.code, answer, tasks)
    panel.update(pid=answer.node_id, oob=True)
    return HttpResponse(
        block + render_to_string("remediation/carryover_panel.html", panel, request)
    )


@login_required
@require_POST
def attach(request: HttpRequest, answer_id: int) -> HttpResponse:
    """Đính kèm vào tiêu chí này: the earlier file ``evidence`` onto item ``answer_id``."""
    answer = evidence_selectors.get_answer_for_user(request.user, answer_id)
    get_assessment_for_user(request.user, answer.assessment_id, write=True)  # 403
    evidence = get_earlier_evidence(answer, request.POST.get("evidence", ""))
    try:
        evidence_carry_over(answer=answer, evidence=evidence, actor=request_user(request))
    except ValidationError as exc:
        return _refreshed(request, answer, errors=[str(m) for m in exc.messages])
    return _refreshed(
        request,
        answer,
        notice=(
            f"Đã đính kèm tệp “{evidence.original_name}” của nhiệm vụ kỳ trước vào tiêu chí này."
        ),
    )
