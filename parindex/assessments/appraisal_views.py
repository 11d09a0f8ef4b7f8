"""Appraisal pages (thẩm định): the appraiser's queue and item page and the unit's
explanation page (the chair's dashboard is :mod:`parindex.season.views`).

Thin: periods, items and assessments come through the permission chokepoints (404 when not
the user's), every write through :mod:`parindex.assessments.services.appraisal`, every number
from the engine there.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.assessments.errors import Conflict
from parindex.assessments.leaves import (
    Leaf,
    SetCache,
    appraised_points,
    points_preview,
    self_points,
)
from parindex.assessments.models import Answer, AssessmentStatus
from parindex.assessments.permissions import (
    answers_appraisable_by,
    can_edit_as_unit,
    get_answer_for_appraiser,
    get_assessment_for_user,
)
from parindex.assessments.selectors.appraisal import (
    QUEUE_STATUSES,
    appraisal_periods,
    appraisal_progress,
    appraisal_queue,
    can_appraise_period,
    explanation_items,
    item_status,
    item_timeline,
    node_rule_text,
    queue_choices,
    unit_explanation_assessments,
)
from parindex.assessments.services.appraisal import (
    MAX_COMMENT,
    ROUND_OF,
    appraisal_accept_self,
    appraisal_save,
    explanation_respond,
)
from parindex.assessments.values import read_stored, value_text
from parindex.core.converters import parse_id
from parindex.core.forms import add_service_errors
from parindex.engine import Ratio
from parindex.engine.evalfile import num
from parindex.periods.models import DeadlineStage, Period, PeriodStatus
from parindex.periods.permissions import (
    get_period_for_user,
    is_overseer,
    periods_visible_to,
)
from parindex.periods.selectors import days_left, effective_deadline

PAGE_SIZE = 50
EVIDENCE_TEMPLATE = "evidence/_item_evidence.html"


def _evidence_available() -> bool:
    try:
        get_template(EVIDENCE_TEMPLATE)
    except TemplateDoesNotExist:
        return False
    return True


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _period_for_queue(request: HttpRequest, period_id: int) -> Period:
    period = get_period_for_user(request.user, period_id)
    if not can_appraise_period(request.user, period):
        raise Http404("Không tìm thấy kỳ đánh giá.")
    return period


# --------------------------------------------------------------------------- home and queue


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Thẩm định: the periods the user appraises or chairs, and a unit's explanation round."""
    user = request.user
    if is_overseer(user):
        periods = list(periods_visible_to(user).order_by("-year", "kind", "name"))
    else:
        periods = appraisal_periods(user)
    rows = []
    for period in periods:
        has_queue = can_appraise_period(user, period)
        round_ = ROUND_OF.get(period.status)
        rows.append(
            {
                "period": period,
                "queue": has_queue,
                "dashboard": is_overseer(user),
                "round": round_,
                # Per-unit progress of the periods being appraised now ("Vân Sơn 8/31").
                "progress": appraisal_progress(user, period) if has_queue and round_ else [],
            }
        )
    return render(
        request,
        "appraisal/home.html",
        {"rows": rows, "explanations": unit_explanation_assessments(user)},
    )


@login_required
@require_GET
def queue(request: HttpRequest, period_id: int) -> HttpResponse:
    """Danh sách thẩm định: the user's items with filters and the bulk accept."""
    period = _period_for_queue(request, period_id)
    unit_text = request.GET.get("don-vi", "")
    unit_id = parse_id(unit_text)
    field = request.GET.get("linh-vuc", "").strip()[:30] or None
    status = request.GET.get("trang-thai", "")
    status = status if status in QUEUE_STATUSES else ""
    differs = request.GET.get("lech") == "1"
    rows = appraisal_queue(
        request.user, period, unit=unit_id, field=field, status=status or None, differs=differs
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    return render(
        request,
        "appraisal/queue.html",
        {
            "period": period,
            "page": page,
            "rows": page.object_list,
            "count": len(rows),
            "choices": queue_choices(request.user, period),
            "statuses": [(k, label) for k, (label, _badge) in QUEUE_STATUSES.items()],
            "selected": {
                "unit": unit_id,
                "field": field or "",
                "status": status,
                "differs": differs,
            },
            "query": query.urlencode(),
            "round": ROUND_OF.get(period.status),
            "can_manage": is_overseer(request.user),
            "progress": appraisal_progress(request.user, period),
        },
    )


@login_required
@require_POST
def accept_self(request: HttpRequest, period_id: int) -> HttpResponse:
    """Chấp nhận điểm tự chấm of the checked items."""
    period = _period_for_queue(request, period_id)
    back = _safe_next(request, reverse("appraisal:queue", args=[period.pk]))
    ids = [i for v in request.POST.getlist("muc") if (i := parse_id(v)) is not None]
    if not ids:
        messages.warning(request, "Chưa chọn nội dung nào.")
        return redirect(back)
    answers = list(answers_appraisable_by(request.user, period).filter(pk__in=ids))
    if len(answers) != len(set(ids)):
        raise Http404("Không tìm thấy nội dung cần thẩm định.")
    try:
        accepted = appraisal_accept_self(answers=answers, actor=request_user(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    skipped = len(answers) - accepted
    text = f"Đã chấp nhận điểm tự chấm của {accepted} nội dung."
    if skipped:
        text += f" Bỏ qua {skipped} nội dung đã thẩm định trong vòng này hoặc đơn vị chưa tự chấm."
    messages.success(request, text)
    return redirect(back)


# --------------------------------------------------------------------------- item


class AppraisalForm(forms.Form):
    value = forms.CharField(label="Giá trị thẩm định", required=False, max_length=40)
    numerator = forms.CharField(label="Tử số", required=False, max_length=40)
    denominator = forms.CharField(label="Mẫu số", required=False, max_length=40)
    not_applicable = forms.BooleanField(label="Không áp dụng", required=False)
    comment = forms.CharField(
        label="Ý kiến thẩm định",
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "Ý kiến thẩm định dài quá "
            + f"{MAX_COMMENT:,}".replace(",", ".")
            + " ký tự: hãy rút gọn rồi lưu lại (chưa lưu gì)."
        },
    )
    needs_explanation = forms.BooleanField(label="Cần giải trình", required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def raw_value(self, mode: str) -> Any:
        data = self.cleaned_data
        if mode == "ratio":
            if not data.get("numerator") and not data.get("denominator"):
                return None
            return {
                "numerator": data.get("numerator", ""),
                "denominator": data.get("denominator", ""),
            }
        return data.get("value") or None


def _input_mode(answer: Answer, leaf: Leaf) -> str:
    """How the value is typed: "boolean", "ratio", "number" or "none" (a parent node)."""
    if not leaf.is_leaf:
        return "none"
    if leaf.rule.type == "boolean":
        return "boolean"
    current = answer.appraised_value if answer.appraisal_round else answer.self_value
    if leaf.rule.type == "ratio" or (leaf.rule.type == "tiers" and isinstance(current, dict)):
        return "ratio"
    return "number"


def _initial(answer: Answer, round_: int | None) -> dict[str, Any]:
    appraised = answer.appraisal_round > 0
    value = answer.appraised_value if appraised else answer.self_value
    na = answer.appraised_not_applicable if appraised else answer.self_not_applicable
    initial: dict[str, Any] = {"version": answer.version, "not_applicable": na}
    parsed = read_stored(value)
    if isinstance(parsed, bool):
        initial["value"] = "true" if parsed else "false"
    elif isinstance(parsed, Ratio):
        initial["numerator"] = num(parsed.numerator).replace(".", ",")
        initial["denominator"] = num(parsed.denominator).replace(".", ",")
    elif parsed is not None:
        initial["value"] = num(parsed).replace(".", ",")
    if appraised and answer.appraisal_round == round_:
        initial["comment"] = answer.appraisal_comment
        initial["needs_explanation"] = answer.needs_explanation and round_ == 1
    return initial


def _item_context(
    request: HttpRequest, answer: Answer, form: AppraisalForm, **extra: Any
) -> dict[str, Any]:
    period = answer.assessment.period
    cache = SetCache()
    leaf = cache.for_node(answer.node)
    round_ = ROUND_OF.get(period.status)
    if answer.assessment.status == AssessmentStatus.FINAL:
        round_ = None
    following = [
        row
        for row in appraisal_queue(
            request.user, period, unit=answer.assessment.unit_id, status="pending"
        )
        if row.answer.pk != answer.pk
    ]
    return {
        "answer": answer,
        "assessment": answer.assessment,
        "period": period,
        "unit": answer.assessment.unit,
        "node": answer.node,
        "leaf": leaf,
        "rule_text": node_rule_text(answer.node, is_leaf=leaf.is_leaf),
        "mode": _input_mode(answer, leaf),
        "form": form,
        "round": round_,
        "self_points": self_points(answer, cache),
        "self_text": value_text(
            answer.self_value, answer.node.rule_type, not_applicable=answer.self_not_applicable
        ),
        "appraised_points": appraised_points(answer, cache),
        "shown_points": appraised_points(answer, cache),
        "appraised_text": value_text(
            answer.appraised_value,
            answer.node.rule_type,
            not_applicable=answer.appraised_not_applicable,
        ),
        "status": item_status(answer),
        "status_label": QUEUE_STATUSES[item_status(answer)][0],
        "status_badge": QUEUE_STATUSES[item_status(answer)][1],
        "timeline": item_timeline(answer),
        "evidence_available": _evidence_available(),
        "next_pending": following[0].answer if following else None,
        "back": _safe_next(request, reverse("appraisal:queue", args=[period.pk])),
        **extra,
    }


@login_required
@require_http_methods(["GET", "POST"])
def item(request: HttpRequest, answer_id: int) -> HttpResponse:
    """One item: the unit's self-assessment beside the appraisal form, and its timeline."""
    answer = get_answer_for_appraiser(request.user, answer_id)
    answer = Answer.objects.select_related(
        "assessment__period", "assessment__unit", "node", "updated_by"
    ).get(pk=answer.pk)
    round_ = ROUND_OF.get(answer.assessment.period.status)
    conflict: Conflict | None = None
    status = 200
    shown: Decimal | None = None
    if request.method == "POST":
        form = AppraisalForm(request.POST)
        if form.is_valid():
            leaf = SetCache().for_node(answer.node)
            try:
                appraisal_save(
                    answer=answer,
                    actor=request_user(request),
                    version=form.cleaned_data["version"],
                    value=form.raw_value(_input_mode(answer, leaf)),
                    not_applicable=form.cleaned_data["not_applicable"],
                    comment=form.cleaned_data["comment"],
                    needs_explanation=form.cleaned_data["needs_explanation"],
                )
            except Conflict as exc:
                conflict = exc
                answer.refresh_from_db()
                form = AppraisalForm(
                    initial={**_initial(answer, round_), **_posted(form), "version": answer.version}
                )
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
                shown, _problem = points_preview(
                    answer=answer,
                    value=form.raw_value(_input_mode(answer, leaf)),
                    not_applicable=form.cleaned_data["not_applicable"],
                )
            else:
                messages.success(request, f"Đã lưu kết quả thẩm định tiêu chí {answer.node.code}.")
                return redirect(_safe_next(request, reverse("appraisal:item", args=[answer.pk])))
        else:
            status = 400
    else:
        form = AppraisalForm(initial=_initial(answer, round_))
    return render(
        request,
        "appraisal/item.html",
        _item_context(
            request,
            answer,
            form,
            conflict=conflict,
            **({"shown_points": shown} if status == 400 else {}),
        ),
        status=status,
    )


def _posted(form: AppraisalForm) -> dict[str, Any]:
    """What the user typed, kept in the form after a conflict (the version is refreshed)."""
    return {k: v for k, v in form.cleaned_data.items() if k != "version"}


@login_required
@require_GET
def preview(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The engine's points for the typed value (htmx fragment; nothing is saved)."""
    answer = get_answer_for_appraiser(request.user, answer_id)
    answer = Answer.objects.select_related("node").get(pk=answer.pk)
    leaf = SetCache().for_node(answer.node)
    mode = _input_mode(answer, leaf)
    not_applicable = request.GET.get("not_applicable") in ("on", "1", "true")
    if mode == "ratio":
        value: Any = {
            "numerator": request.GET.get("numerator", ""),
            "denominator": request.GET.get("denominator", ""),
        }
    else:
        value = request.GET.get("value", "")
    points, problem = points_preview(answer=answer, value=value, not_applicable=not_applicable)
    own = self_points(answer)
    differs = not problem and (points, not_applicable) != (own, answer.self_not_applicable)
    return render(
        request,
        "appraisal/_preview.html",
        {
            "points": points,
            "problem": problem,
            "not_applicable": not_applicable,
            "differs": differs,
            "leaf": leaf,
        },
    )


# --------------------------------------------------------------------------- explanation


@login_required
@require_http_methods(["GET", "POST"])
def explanation(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """Giải trình: the unit's items marked "cần giải trình", the appraisers' comments and
    the unit's answers (unit staff and leaders write; the appraisers may read)."""
    assessment = get_assessment_for_user(request.user, assessment_id)
    unit_page = reverse("assessments:explanation", kwargs={"pk": assessment.pk})
    if request.method == "GET" and can_edit_as_unit(request.user, assessment):
        return redirect(unit_page)  # the unit explains from its own pages
    period = assessment.period
    deadline = effective_deadline(period, assessment.unit_id, DeadlineStage.EXPLANATION)
    items = explanation_items(assessment)
    if not can_edit_as_unit(request.user, assessment) and not is_overseer(request.user):
        mine = set(answers_appraisable_by(request.user, period).values_list("pk", flat=True))
        items = [a for a in items if a.pk in mine]
    if request.method == "POST":
        answer_id = request.POST.get("answer", "")
        answer = next((a for a in items if str(a.pk) == answer_id), None)
        if answer is None:
            raise Http404("Không tìm thấy nội dung cần giải trình.")
        version_text = request.POST.get("version", "")
        try:
            explanation_respond(
                answer=answer,
                actor=request_user(request),
                version=-1 if (version := parse_id(version_text)) is None else version,
                response=request.POST.get("response", ""),  # too long: refused, not cut
            )
        except Conflict as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, f"Tiêu chí {answer.node.code}: {' '.join(exc.messages)}")
        else:
            messages.success(request, f"Đã lưu giải trình tiêu chí {answer.node.code}.")
        return HttpResponseRedirect(f"{unit_page}#muc-{answer.pk}")
    if assessment.explanation_sent_at is not None:
        messages.info(
            request,
            f"{assessment.unit.name} đã gửi giải trình lúc "
            f"{timezone.localtime(assessment.explanation_sent_at):%H:%M %d/%m/%Y}.",
        )
    cache = SetCache()
    rows = [
        {
            "answer": a,
            "self_text": value_text(
                a.self_value, a.node.rule_type, not_applicable=a.self_not_applicable
            ),
            "self_points": self_points(a, cache),
            "appraised_text": value_text(
                a.appraised_value, a.node.rule_type, not_applicable=a.appraised_not_applicable
            ),
            "appraised_points": appraised_points(a, cache),
            "comment": _round_1_comment(a),
        }
        for a in items
    ]
    can_respond = (
        can_edit_as_unit(request.user, assessment)
        and period.status == PeriodStatus.EXPLANATION
        and assessment.status == AssessmentStatus.NEEDS_EXPLANATION
        and not (deadline is not None and timezone.now() > deadline)
    )
    return render(
        request,
        "appraisal/explanation.html",
        {
            "assessment": assessment,
            "period": period,
            "unit": assessment.unit,
            "rows": rows,
            "deadline": deadline,
            "days_left": days_left(deadline),
            "can_respond": can_respond,
            "evidence_available": _evidence_available(),
        },
    )


def _round_1_comment(answer: Answer) -> str:
    """The appraiser's comment that asked for the explanation (round 1)."""
    asked = answer.records.filter(round=1).order_by("-at", "-id").first()
    return asked.comment if asked is not None else answer.appraisal_comment
