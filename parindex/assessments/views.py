"""Self-assessment pages of a unit (phiếu tự đánh giá): the list, the screen with its items,
live points, autosave, submit and withdraw, the summary and the history.

Thin: every assessment comes through :func:`~parindex.assessments.permissions.
get_assessment_for_user` (404 when not the user's), every write through a service of
:mod:`~parindex.assessments.services.self_assessment`, every number from the scoring engine there.
htmx requests get fragments; the same URLs work as plain forms without JavaScript.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_POST

from parindex.accounts.models import User
from parindex.accounts.requests import request_user
from parindex.assessments.errors import Conflict
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.permissions import (
    assessments_visible_to,
    code_on_the_way,
    get_assessment_for_user,
    node_codes_visible_to,
    require_node_visible,
    require_whole_assessment,
)
from parindex.assessments.selectors.appraisal_sheet import XLSX_CONTENT_TYPE, appraisal_sheet_xlsx
from parindex.assessments.selectors.history import answer_history, assessment_history_csv
from parindex.assessments.selectors.screen import (
    Screen,
    Summary,
    answer_points_preview,
    assessment_list_rows,
    assessments_for_list,
    self_assessment_screen,
    self_assessment_summary,
)
from parindex.assessments.selectors.state import assessment_leaf, group_node
from parindex.assessments.selectors.unit_appraisal import (
    appraisal_visible,
    unit_appraisal_view,
    with_appraisal,
)
from parindex.assessments.services import self_assessment as writes
from parindex.assessments.services.self_assessment import answer_save
from parindex.core.converters import parse_id
from parindex.core.formatting import fmt_time, format_vn
from parindex.core.text import fold
from parindex.criteria.models import CriterionNode, RuleType

PAGE_SIZE = 50
FIELD_PARAM = "linh-vuc"
SCREEN_TARGET = "man-hinh"
EVIDENCE_TEMPLATE = "evidence/_item_evidence.html"


def _htmx_target(request: HttpRequest) -> str | None:
    htmx = getattr(request, "htmx", None)
    return cast(str | None, htmx.target) if htmx else None


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _evidence_template() -> str | None:
    """The evidence widget's template once the evidence app provides it."""
    try:
        get_template(EVIDENCE_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return EVIDENCE_TEMPLATE


def _leaf(request: HttpRequest, assessment: Assessment, node_id: int) -> CriterionNode:
    """The leaf ``node_id`` of ``assessment`` if the user may read its item, else 404."""
    node = assessment_leaf(assessment, node_id)
    if node is None:
        raise Http404("Không tìm thấy tiêu chí trong phiếu chấm điểm này.")
    require_node_visible(request.user, assessment, node.code)
    return node


def _screen(request: HttpRequest, assessment: Assessment, field_code: str | None = None) -> Any:
    """The screen for the user, without the fields an appraiser was not given."""
    screen = self_assessment_screen(assessment, request.user, field_code=field_code)
    codes = node_codes_visible_to(request.user, assessment)
    if codes is None:
        return screen
    rows = [r for r in screen.rows if code_on_the_way(r.node.code, codes)]
    fields = [r for r in rows if r.depth == 0]
    field = screen.field if screen.field in fields else (fields[0] if fields else None)
    return dataclasses.replace(
        screen,
        rows=rows,
        fields=fields,
        field=field,
        field_rows=[r for r in rows if field is not None and r.field_code == field.field_code],
        answered=sum(r.answered for r in rows if r.is_leaf),
        leaves=sum(1 for r in rows if r.is_leaf),
    )


def _context(request: HttpRequest, screen: Screen, **extra: Any) -> dict[str, Any]:
    assessment = screen.assessment
    return {
        # An appraiser given some fields sees those only: no whole-assessment pages.
        "whole_assessment": node_codes_visible_to(request.user, assessment) is None,
        "assessment": assessment,
        "period": assessment.period,
        "unit": assessment.unit,
        "screen": screen,
        "field_param": FIELD_PARAM,
        "evidence_template": _evidence_template(),
        **extra,
    }


def _unavailable(
    request: HttpRequest, assessment: Assessment, error: ValidationError
) -> HttpResponse:
    context = {"assessment": assessment, "problems": error.messages}
    return render(request, "assessments/unavailable.html", context, status=409)


# --------------------------------------------------------------------------- pages


@login_required
@require_GET
def assessment_list(request: HttpRequest) -> HttpResponse:
    """Phiếu tự đánh giá của đơn vị: the user's assessments with status and deadline."""
    assessments = assessments_for_list(assessments_visible_to(request.user))
    page = Paginator(assessments, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "assessments/list.html",
        {"page": page, "rows": assessment_list_rows(page), "field_param": FIELD_PARAM},
    )


@login_required
@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The screen: the tree of fields on the left, the selected field's items on the right."""
    assessment = get_assessment_for_user(request.user, pk)
    try:
        screen = _screen(request, assessment, request.GET.get(FIELD_PARAM))
    except ValidationError as error:  # the unit's group has no criteria set in the period
        return _unavailable(request, assessment, error)
    partial = _htmx_target(request) == SCREEN_TARGET
    template = "assessments/_screen.html" if partial else "assessments/detail.html"
    return render(request, template, _context(request, with_appraisal(screen)))


@login_required
@require_GET
def item_detail(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    """One item as stored now (the "reload" after a conflict)."""
    assessment = get_assessment_for_user(request.user, pk)
    node = _leaf(request, assessment, node_id)
    screen = with_appraisal(_screen(request, assessment))
    return render(
        request, "assessments/_item.html", _context(request, screen, row=screen.row(node.pk))
    )


@login_required
@require_GET
def assessment_summary(request: HttpRequest, pk: int) -> HttpResponse:
    """Tổng hợp: self-assessed points per field and the index so far, with a chart."""
    assessment = get_assessment_for_user(request.user, pk)
    require_whole_assessment(request.user, assessment)
    try:
        summary = self_assessment_summary(assessment)
        appraisal = (
            unit_appraisal_view(assessment) if appraisal_visible(assessment.period) else None
        )
    except ValidationError as error:
        return _unavailable(request, assessment, error)
    return render(
        request,
        "assessments/summary.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "summary": summary,
            "appraisal": appraisal,
            "chart": _chart(summary),
            "field_param": FIELD_PARAM,
        },
    )


@login_required
@require_GET
def assessment_appraisal(request: HttpRequest, pk: int) -> HttpResponse:
    """Kết quả thẩm định: every item with the self and the appraised score, its status and
    the appraiser's reason; the index from the appraised values; after finalising, the
    points lost with their reasons."""
    assessment = get_assessment_for_user(request.user, pk)
    require_whole_assessment(request.user, assessment)
    visible = appraisal_visible(assessment.period)
    try:
        view = unit_appraisal_view(assessment) if visible else None
    except ValidationError as error:
        return _unavailable(request, assessment, error)
    return render(
        request,
        "assessments/appraisal.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "view": view,
            "field_param": FIELD_PARAM,
        },
    )


@login_required
@require_GET
def assessment_appraisal_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The unit's own sheet (XLSX): both scores and the reasons, once appraisal started."""
    assessment = get_assessment_for_user(request.user, pk)
    require_whole_assessment(request.user, assessment)
    if not appraisal_visible(assessment.period):
        raise Http404("Chưa có kết quả thẩm định.")
    try:
        view = unit_appraisal_view(assessment)
    except ValidationError as error:
        return _unavailable(request, assessment, error)
    response = HttpResponse(appraisal_sheet_xlsx(view), content_type=XLSX_CONTENT_TYPE)
    name = slugify(fold(assessment.unit.code)) or "don-vi"
    response["Content-Disposition"] = (
        f'attachment; filename="ket-qua-tham-dinh-{name}-{assessment.period.year}.xlsx"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _chart(summary: Summary) -> dict[str, Any]:
    """The chart's data: the engine's field percentages (strings), formatted alike."""
    return {
        "labels": [f"{f.code}. {f.name}" for f in summary.fields],
        "values": [str(f.percent) for f in summary.fields],
        "display": [format_vn(f.percent, summary.index_places) for f in summary.fields],
        "title": "Tỷ lệ điểm tự đánh giá (%)",
    }


@login_required
@require_GET
def history_csv(request: HttpRequest, pk: int) -> HttpResponse:
    """Lịch sử thay đổi của phiếu (CSV, UTF-8 with BOM for spreadsheets)."""
    assessment = get_assessment_for_user(request.user, pk)
    require_whole_assessment(request.user, assessment)
    response = HttpResponse(
        "\ufeff" + assessment_history_csv(assessment), content_type="text/csv; charset=utf-8"
    )
    name = slugify(fold(assessment.unit.code)) or "don-vi"
    response["Content-Disposition"] = (
        f'attachment; filename="lich-su-{name}-{assessment.period.year}.csv"'
    )
    return response


@login_required
@require_GET
def item_history(request: HttpRequest, pk: int, answer_id: int) -> HttpResponse:
    """The timeline of one item (a fragment for htmx, else a page)."""
    assessment = get_assessment_for_user(request.user, pk)
    answer = (
        Answer.objects.select_related("node").filter(pk=answer_id, assessment=assessment).first()
    )
    if answer is None:
        raise Http404("Không tìm thấy nội dung chấm điểm.")
    require_node_visible(request.user, assessment, answer.node.code)
    template = "assessments/_history.html" if _is_htmx(request) else "assessments/history.html"
    context = {
        "assessment": assessment,
        "answer": answer,
        "entries": answer_history(answer),
        "whole_assessment": node_codes_visible_to(request.user, assessment) is None,
    }
    return render(request, template, context)


# --------------------------------------------------------------------------- items


@dataclass(frozen=True)
class ItemInput:
    """A posted item, shaped for :func:`~parindex.assessments.services.self_assessment.
    answer_save`."""

    version: int | None
    value: Any
    not_applicable: bool
    na_justification: str
    explanation: str
    both_given: bool = False
    """A ratio or tiers item got both a number and a ratio."""


def _item_input(post: QueryDict, node: CriterionNode) -> ItemInput:
    ratio = {"numerator": post.get("numerator", ""), "denominator": post.get("denominator", "")}
    has_ratio = any(v.strip() for v in ratio.values())
    number = post.get("value", "")
    value: Any = number  # "b/a" typed in one input is a ratio too (values.parse_input)
    takes_ratio = node.rule_type in (RuleType.RATIO, RuleType.TIERS)
    if takes_ratio and has_ratio:
        value = ratio
    raw_version = post.get("version", "").strip()
    return ItemInput(
        version=parse_id(raw_version),
        value=value,
        not_applicable=post.get("not_applicable") in ("on", "true", "1"),
        na_justification=post.get("na_justification", ""),
        explanation=post.get("explanation", ""),
        both_given=takes_ratio and has_ratio and bool(number.strip()),
    )


def _save(
    assessment: Assessment, node: CriterionNode, item: ItemInput, actor: User
) -> dict[str, Any]:
    """Call the service; the outcome as template context (answer, errors or conflict)."""
    if item.version is None:
        return {"errors": {"__all__": ["Phiên bản của mục không hợp lệ; hãy tải lại trang."]}}
    if item.both_given:
        message = f"Tiêu chí {node.code}: chỉ nhập một số hoặc một tỷ lệ, không nhập cả hai."
        return {"errors": {"value": [message]}}
    try:
        answer = answer_save(
            assessment=assessment,
            node=node,
            actor=actor,
            version=item.version,
            value=item.value,
            not_applicable=item.not_applicable,
            na_justification=item.na_justification,
            explanation=item.explanation,
        )
    except Conflict as conflict:
        return {"conflict": conflict}
    except ValidationError as error:
        return {"errors": getattr(error, "message_dict", None) or {"__all__": error.messages}}
    return {"answer": answer, "created": answer.version == 1}


@login_required
@require_POST
def item_save(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    """Autosave of one item: the status fragment (saved / error / conflict) for htmx."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    node = _leaf(request, assessment, node_id)
    outcome = _save(assessment, node, _item_input(request.POST, node), request_user(request))
    screen = self_assessment_screen(assessment, request.user)
    row = screen.row(node.pk)
    if not _is_htmx(request):
        _flash(request, node, outcome)
        url = reverse("assessments:detail", kwargs={"pk": pk})
        return redirect(f"{url}?{FIELD_PARAM}={row.field_code if row else ''}#muc-{node.pk}")
    context = _context(request, screen, row=row, field_row=screen.field_of(row) if row else None)
    return render(request, "assessments/_save_result.html", {**context, **outcome})


def _flash(request: HttpRequest, node: CriterionNode, outcome: dict[str, Any]) -> None:
    if "answer" in outcome:
        saved_at = timezone.localtime(outcome["answer"].updated_at).strftime("%H:%M")
        messages.success(request, f"Đã lưu tiêu chí {node.code} lúc {saved_at}.")
    elif "conflict" in outcome:
        messages.warning(request, outcome["conflict"].message)
    else:
        for problems in outcome["errors"].values():
            for problem in problems:
                messages.error(request, problem)


@login_required
@require_POST
def item_preview(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    """The engine's points for what is typed (nothing is saved)."""
    assessment = get_assessment_for_user(request.user, pk)
    node = _leaf(request, assessment, node_id)
    item = _item_input(request.POST, node)
    context: dict[str, Any] = {
        "preview": True,
        "not_applicable": item.not_applicable,
        "max": node.max_points,
        "places": node.criteria_set.rounding_places,
    }
    try:
        context["points"] = answer_points_preview(
            assessment=assessment,
            node=node,
            value=item.value,
            not_applicable=item.not_applicable,
        )
    except ValidationError as error:
        context["error"] = " ".join(error.messages)
    return render(request, "assessments/_points.html", context)


@login_required
@require_POST
def group_not_applicable(request: HttpRequest, pk: int, node_id: int) -> HttpResponse:
    """Đề nghị không áp dụng a whole group (lĩnh vực, nhóm tiêu chí), with the reason, or
    take the request back; back to the group on the screen."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    node = group_node(assessment, node_id)
    if node is None:
        raise Http404("Không tìm thấy nhóm tiêu chí trong phiếu chấm điểm này.")
    version = parse_id(request.POST.get("version", "").strip())
    not_applicable = request.POST.get("not_applicable") in ("on", "true", "1")
    try:
        if version is None:
            raise ValidationError("Phiên bản của mục không hợp lệ; hãy tải lại trang.")
        writes.group_not_applicable_save(
            assessment=assessment,
            node=node,
            actor=request_user(request),
            version=version,
            not_applicable=not_applicable,
            na_justification=request.POST.get("na_justification", ""),
        )
    except Conflict as conflict:
        messages.warning(request, conflict.message)
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
    else:
        what = "Đã lưu đề nghị không áp dụng" if not_applicable else "Đã bỏ đề nghị không áp dụng"
        messages.success(request, f"{what} nhóm tiêu chí {node.code}.")
    field = node.code.split(".")[0]
    url = reverse("assessments:detail", kwargs={"pk": pk})
    return redirect(f"{url}?{FIELD_PARAM}={field}#nhom-{node.pk}")


# --------------------------------------------------------------------------- submit, withdraw


@login_required
@require_POST
def assessment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Gửi hồ sơ (the unit leader): the self-assessment becomes read-only."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    try:
        writes.assessment_submit(assessment=assessment, actor=request_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Đã gửi hồ sơ tự đánh giá của {assessment.unit.name} lúc "
            f"{fmt_time(assessment.submitted_at)}. Hồ sơ chuyển sang chế độ chỉ xem; "
            "lãnh đạo đơn vị có thể rút hồ sơ trước hạn để sửa.",
        )
    return redirect("assessments:detail", pk=pk)


@login_required
@require_POST
def assessment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Rút hồ sơ (the unit leader, before the deadline): editable again."""
    assessment = get_assessment_for_user(request.user, pk, write=True)
    try:
        writes.assessment_withdraw(assessment=assessment, actor=request_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Đã rút hồ sơ tự đánh giá của {assessment.unit.name}: đơn vị tiếp tục chỉnh sửa "
            "và gửi lại trước hạn.",
        )
    return redirect("assessments:detail", pk=pk)
