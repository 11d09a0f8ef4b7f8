"""The council's results pages (``/ket-qua/…``): compute a period's draft with a progress
bar, preview it group by group, publish it with its decision, correct a published version,
and set the leader rating rules.

Publishing goes through its confirmation page (``/ket-qua/<kỳ>/cong-bo/``): the desk's form
sends the decision there by GET; the page shows the version it creates, what changes
against the published version and the decision, and POST publishes (unless the draft was
computed again or another version published since the page was shown). Discarding the
draft too (``/ket-qua/<kỳ>/huy-ban-nhap/``): GET shows the draft that goes, POST discards.

Thin: the chokepoint is :func:`parindex.results.manage_permissions.get_results_period`
(chair acts, observer looks, anyone else 404), writes go through
:mod:`parindex.results.services`, and every number shown is the engine's, as stored in the
draft's rows (exact strings of ``parindex evaluate``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from parindex.accounts.requests import request_user
from parindex.core.text import fold
from parindex.periods.models import Period, PeriodStatus
from parindex.periods.permissions import is_chair
from parindex.results.forms import (
    RATINGS,
    PublishForm,
    RuleLine,
    padded,
    parse_leader_rules,
    rule_lines,
)
from parindex.results.manage_permissions import get_results_period, results_periods_for
from parindex.results.models import (
    LeaderRatingRule,
    ResultGroup,
    ResultRow,
    ResultVersion,
    VersionStatus,
)
from parindex.results.publish_review import PublishReview, publish_review
from parindex.results.services import (
    class_labels_of,
    decision_problems,
    leader_rules_for,
    leader_rules_update,
    results_compute_start,
    results_discard_draft,
    results_publish,
)

PAGE_SIZE = 100
UNPUBLISHED = (VersionStatus.COMPUTING, VersionStatus.DRAFT, VersionStatus.FAILED)
TABLE_TARGET = "bang-ban-nhap"


def _draft(period: Period) -> ResultVersion | None:
    """The period's latest unpublished computation: computing, draft or failed."""
    return (
        ResultVersion.objects.filter(period=period, status__in=UNPUBLISHED)
        .select_related("created_by")
        .order_by("-pk")
        .first()
    )


def _current(period: Period) -> ResultVersion | None:
    return ResultVersion.objects.current().filter(period=period).first()


def _public_versions(period: Period) -> list[ResultVersion]:
    return list(
        ResultVersion.objects.published()
        .filter(period=period)
        .select_related("published_by")
        .order_by("-number")
    )


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class PeriodSummary:
    period: Period
    draft: ResultVersion | None
    current: ResultVersion | None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The periods whose results the user oversees, with their draft and current version."""
    periods = list(results_periods_for(request.user))
    drafts: dict[int, ResultVersion] = {}
    current: dict[int, ResultVersion] = {}
    versions = (
        ResultVersion.objects.filter(period__in=periods)
        .exclude(status=VersionStatus.SUPERSEDED)
        .only(
            "pk",
            "period_id",
            "status",
            "number",
            "decision_number",
            "decision_date",
            "progress_done",
            "progress_total",
            "computed_at",
            "published_at",
        )
        .order_by("pk")
    )
    for version in versions:
        if version.status == VersionStatus.PUBLISHED:
            current[version.period_id] = version
        else:
            drafts[version.period_id] = version
    return render(
        request,
        "results/manage/index.html",
        {
            "items": [PeriodSummary(p, drafts.get(p.pk), current.get(p.pk)) for p in periods],
            "can_manage": is_chair(request.user),
        },
    )


# --------------------------------------------------------------------------- the desk


def _rows(group: ResultGroup, query: str) -> QuerySet[ResultRow]:
    """The group's rows in rank order with the engine's exact strings; ``query`` matches
    code or name without diacritics."""
    rows = (
        ResultRow.objects.filter(result_group=group)
        .defer("detail")
        .annotate(
            points_text=KT("detail__points"),
            survey_text=KT("detail__survey"),
            total_text=KT("detail__total"),
            index_text=KT("detail__index"),
            index_change_text=KT("detail__index_change"),
        )
    )
    for word in fold(query).split():
        rows = rows.filter(search_text__contains=word)
    return rows.order_by("position")


def _group_context(request: HttpRequest, draft: ResultVersion) -> dict[str, Any]:
    groups = list(
        ResultGroup.objects.filter(version=draft).defer("document", "nodes").order_by("position")
    )
    if not groups:
        return {"groups": []}
    wanted = request.GET.get("nhom", "")
    group = next((g for g in groups if g.code == wanted), groups[0])
    query = request.GET.get("q", "").strip()[:100]
    page = Paginator(_rows(group, query), PAGE_SIZE).get_page(request.GET.get("trang"))
    stats = group.stats
    names = {f["code"]: f for f in group.fields}
    field_stats = [
        (f, names.get(f["code"], {}).get("name", ""), names.get(f["code"], {}).get("max"))
        for f in stats.get("fields", [])
    ]
    rows = list(page.object_list)
    counts = stats.get("classes", {})
    order = [label for label in stats.get("class_order", []) if label in counts]
    order += [label for label in counts if label not in order]
    return {
        "groups": groups,
        "group": group,
        "query": query,
        "page": page,
        "rows": rows,
        "stats": stats,
        "field_stats": field_stats,
        "classes": [(label, counts[label]) for label in order],
        "has_survey": group.survey_max is not None,
        "has_previous": ResultRow.objects.filter(result_group=group)
        .filter(Q(previous_rank__isnull=False) | Q(index_change__isnull=False))
        .exists(),
    }


def _render_desk(
    request: HttpRequest,
    period: Period,
    *,
    publish_form: PublishForm | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = _draft(period)
    current = _current(period)
    context: dict[str, Any] = {
        "period": period,
        "draft": draft,
        "current": current,
        "versions": _public_versions(period),
        "can_manage": is_chair(request.user),
        "finalised": period.status == PeriodStatus.FINALISED,
        "table_target": TABLE_TARGET,
    }
    if draft is not None and draft.status == VersionStatus.DRAFT:
        context.update(_group_context(request, draft))
        if request.headers.get("HX-Request") and request.headers.get("HX-Target") == TABLE_TARGET:
            return render(request, "results/manage/_draft_table.html", context)
        context["publish_form"] = publish_form or PublishForm(
            current_number=current.number if current is not None else None
        )
    return render(request, "results/manage/desk.html", context, status=status)


@login_required
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    """The period's results desk: draft, warnings, preview, publication, versions."""
    period = get_results_period(request.user, pk)
    return _render_desk(request, period)


@login_required
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar of the computation, polled by htmx every second; once the draft
    is no longer computing, htmx reloads the page to show it."""
    period = get_results_period(request.user, pk)
    draft = _draft(period)
    if not request.headers.get("HX-Request"):
        return redirect("results_manage:desk", pk=period.pk)
    if draft is None or draft.status != VersionStatus.COMPUTING:
        return HttpResponseClientRefresh()
    return render(request, "results/manage/_progress.html", {"period": period, "draft": draft})


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    """Tính kết quả: reset the draft and queue its computation."""
    period = get_results_period(request.user, pk, manage=True)
    try:
        results_compute_start(period=period, actor=request_user(request))
    except ValidationError as error:
        messages.warning(request, " ".join(error.messages))
    else:
        messages.info(request, f"Đã bắt đầu tính kết quả {period.name}.")
    return redirect("results_manage:desk", pk=period.pk)


def _render_publish(
    request: HttpRequest,
    period: Period,
    review: PublishReview,
    form: PublishForm,
    *,
    confirming: bool,
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    """The publish confirmation page: the decision to type (``confirming`` False), or the
    summary with the decision as hidden fields and the box to tick."""
    edit = QueryDict(mutable=True)
    if confirming:
        data = form.cleaned_data
        for name in ("decision_number", "signer_name", "signer_title", "reason"):
            edit[name] = data.get(name) or ""
        day = data.get("decision_date")
        edit["decision_date"] = day.strftime("%d/%m/%Y") if day else ""
        edit["sua"] = "1"
    return render(
        request,
        "results/manage/publish.html",
        {
            "period": period,
            "review": review,
            "draft": review.draft,
            "current": review.current,
            "publish_form": form,
            "confirming": confirming,
            "changed": changed,
            "edit_query": edit.urlencode(),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Công bố: GET shows the confirmation page (the decision from the desk's form, checked
    without publishing); POST makes the draft the current version with its decision (a
    correction when a version is already published)."""
    period = get_results_period(request.user, pk, manage=True)
    draft = _draft(period)
    if draft is None or draft.status != VersionStatus.DRAFT:
        messages.error(request, "Chưa có bản nháp đã tính xong để công bố: hãy tính kết quả.")
        return redirect("results_manage:desk", pk=period.pk)
    current = _current(period)
    number = current.number if current else None
    review = publish_review(draft, current)
    if request.method == "GET":
        if "decision_number" not in request.GET or "sua" in request.GET:
            form = PublishForm(initial=request.GET.dict(), current_number=number)
            return _render_publish(request, period, review, form, confirming=False)
        form = PublishForm(request.GET, current_number=number, reviewing=True)
        if form.is_valid() and (problems := decision_problems(period, form.decision(), current)):
            form.add_service_errors(ValidationError(problems))
        ok = not form.errors
        return _render_publish(
            request, period, review, form, confirming=ok, status=200 if ok else 400
        )
    form = PublishForm(request.POST, current_number=number)
    if not form.is_valid() and set(form.errors) == {"confirm"}:
        return _render_publish(request, period, review, form, confirming=True, status=400)
    if form.is_valid():
        seen = request.POST.get("seen", "")
        if seen and seen != review.fingerprint:
            return _render_publish(
                request, period, review, form, confirming=True, changed=True, status=409
            )
        try:
            version = results_publish(
                version=draft, decision=form.decision(), actor=request_user(request)
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            text = f"Đã công bố kết quả {period.name}, phiên bản {version.number}"
            if current is not None:
                text += f" (đính chính phiên bản {current.number})"
            messages.success(request, text + ".")
            return redirect("results_manage:desk", pk=period.pk)
    return _render_publish(request, period, review, form, confirming=False, status=400)


NO_DRAFT_TO_DISCARD = "Không có bản nháp nào để huỷ (có thể bản nháp đã được huỷ)."


def _discard_fingerprint(draft: ResultVersion) -> str:
    """What the confirmation page showed: the draft, its state and when it was computed
    (a draft computed again since then is a different draft)."""
    computed = draft.computed_at.isoformat() if draft.computed_at else ""
    return f"{draft.pk}:{draft.status}:{computed}"


@login_required
@require_http_methods(["GET", "POST"])
def discard(request: HttpRequest, pk: int) -> HttpResponse:
    """Huỷ bản nháp (never a published version): GET shows the confirmation page (the
    draft computed at …, its units, the published versions that stay); POST discards
    (unless the draft was computed again since the page was shown)."""
    period = get_results_period(request.user, pk, manage=True)
    draft = _draft(period)
    if draft is None or draft.status == VersionStatus.FAILED:
        messages.info(request, NO_DRAFT_TO_DISCARD)
        return redirect("results_manage:desk", pk=period.pk)
    fingerprint = _discard_fingerprint(draft)
    changed = False
    if request.method == "POST":
        seen = request.POST.get("seen", "")
        if not seen or seen == fingerprint:
            results_discard_draft(period=period, actor=request_user(request))
            messages.success(request, "Đã huỷ bản nháp kết quả.")
            return redirect("results_manage:desk", pk=period.pk)
        changed = True
    return render(
        request,
        "results/manage/discard.html",
        {
            "period": period,
            "draft": draft,
            "groups_count": ResultGroup.objects.filter(version=draft).count(),
            "current": _current(period),
            "versions_count": ResultVersion.objects.published().filter(period=period).count(),
            "fingerprint": fingerprint,
            "changed": changed,
        },
        status=409 if changed else 200,
    )


# --------------------------------------------------------------------------- leader rules


LINE_NUMBER = re.compile(r"^Dòng (\d+):")


@dataclass(frozen=True)
class RuleRow:
    number: int
    line: RuleLine
    options: list[str]
    invalid: bool


def _rule_rows(lines: list[RuleLine], labels: list[str], errors: list[str]) -> list[RuleRow]:
    bad = {int(m.group(1)) for e in errors if (m := LINE_NUMBER.match(e))}
    rows = []
    for number, line in enumerate(padded(lines, labels), start=1):
        options = list(labels)
        if line.class_label and line.class_label not in options:
            options.append(line.class_label)
        rows.append(RuleRow(number, line, options, number in bad))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def leader_rules(request: HttpRequest, pk: int) -> HttpResponse:
    """Đánh giá trách nhiệm người đứng đầu: the class of the unit → the head's rating."""
    period = get_results_period(request.user, pk, manage=request.method == "POST")
    labels = class_labels_of(period)
    errors: list[str] = []
    if request.method == "POST":
        parsed = parse_leader_rules(request.POST)
        errors = list(parsed.problems)
        if not errors:
            try:
                leader_rules_update(period=period, rules=parsed.rules, actor=request_user(request))
            except ValidationError as error:
                errors = list(error.messages)
            else:
                messages.success(
                    request,
                    "Đã lưu quy tắc đánh giá người đứng đầu; "
                    "áp dụng từ lần tính kết quả tiếp theo.",
                )
                return redirect("results_manage:leader_rules", pk=period.pk)
        lines = parsed.lines
    else:
        lines = rule_lines(leader_rules_for(period))
    return render(
        request,
        "results/manage/leader_rules.html",
        {
            "period": period,
            "labels": labels,
            "rows": _rule_rows(lines, labels, errors),
            "ratings": RATINGS,
            "errors": errors,
            "stored": LeaderRatingRule.objects.filter(period=period).exists(),
            "can_manage": is_chair(request.user),
        },
        status=400 if errors else 200,
    )
