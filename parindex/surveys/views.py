"""Survey pages. Thin: permissions through :mod:`parindex.surveys.selectors`, writes through
the services, numbers from the engine.

Council pages (``/khao-sat/<period>/…``, chair and observers; the chair acts): progress
against the sample plan, the questionnaire, import with a progress bar, the computation
(in the worker, with a progress bar), results with a chart, exports and the printable QR
codes. Public pages (``/phieu/<key>/``, no account): the unit's form, light enough for a
slow phone, rate-limited.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.core.cells import inert
from parindex.core.converters import parse_id
from parindex.core.ratelimit import client_address, over_limit
from parindex.engine.survey import rounded
from parindex.periods.models import Period
from parindex.periods.permissions import is_chair
from parindex.surveys import jobs, selectors
from parindex.surveys.exports import (
    XLSX_OPTIONS,
    csv_lines,
    responses_csv,
    responses_export_start,
)
from parindex.surveys.imports import (
    batches_release_interrupted,
    import_batch_create,
    template_csv,
    template_xlsx,
)
from parindex.surveys.models import (
    Channel,
    ImportBatch,
    Questionnaire,
    ResponseExport,
    RoundingMode,
    SamplePlan,
    SurveyResult,
)
from parindex.surveys.scoring import survey_compute_start
from parindex.surveys.services import (
    OUTLINE_HELP,
    parse_outline,
    questionnaire_clone,
    questionnaire_create_default,
    questionnaire_outline,
    questionnaire_update,
    response_submit_online,
    sample_plan_update,
    sample_plans_ensure,
    survey_maxima,
    tokens_issue,
)

PAGE_SIZE = 100
PUBLIC_LIMIT = 20
"""Forms one address may send per unit page in ``PUBLIC_WINDOW`` seconds."""
PUBLIC_WINDOW = 600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _questionnaire(period: Period) -> Questionnaire | None:
    return Questionnaire.objects.filter(period=period).first()


def _fail(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# --------------------------------------------------------------------------- council pages


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """The periods whose survey the user oversees."""
    periods = selectors.survey_periods_for(request.user)
    return render(request, "surveys/index.html", {"periods": periods})


@login_required
def overview(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    query = request.GET.get("q", "").strip()
    page = Paginator(selectors.plans_matching(period, query), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    questionnaire = _questionnaire(period)
    previous = (
        Questionnaire.objects.filter(period__jurisdiction=period.jurisdiction_id)
        .exclude(period=period)
        .select_related("period")
        .order_by("-period__year")
        .first()
    )
    return render(
        request,
        "surveys/overview.html",
        {
            "period": period,
            "questionnaire": questionnaire,
            "factors": questionnaire.factors.prefetch_related("questions") if questionnaire else [],
            "previous": previous,
            "rows": selectors.progress_rows(period, list(page.object_list)),
            "page": page,
            "query": query,
            "totals": selectors.period_totals(period),
            "batches": ImportBatch.objects.filter(period=period)[:5],
            "computation": selectors.last_computation(period),
            "can_manage": is_chair(request.user),
        },
    )


@login_required
@require_POST
def setup(request: HttpRequest, pk: int) -> HttpResponse:
    """Create the questionnaire (default or cloned) and the sample plans."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    action = request.POST.get("action", "")
    try:
        if action == "default":
            questionnaire_create_default(period=period, actor=request_user(request))
            messages.success(request, "Đã tạo phiếu khảo sát theo mẫu 5 yếu tố.")
        elif action == "clone":
            source = get_object_or_404(
                Questionnaire,
                pk=parse_id(request.POST.get("source", "")) or 0,
                period__jurisdiction=period.jurisdiction_id,
            )
            questionnaire_clone(source=source, period=period, actor=request_user(request))
            messages.success(request, f"Đã sao chép phiếu khảo sát của {source.period.name}.")
        elif action == "plans":
            created = sample_plans_ensure(period=period, actor=request_user(request))
            messages.success(request, f"Đã lập kế hoạch khảo sát cho {created} đơn vị.")
        else:
            messages.error(request, "Thao tác không hợp lệ.")
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("surveys:overview", pk=period.pk)


def _decimal(raw: str, label: str, problems: list[str], *, blank: Decimal | None) -> Decimal | None:
    text = raw.strip().replace(",", ".")
    if not text:
        return blank
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(f"{label}: “{raw[:20]}” không phải số.")
        return blank
    if not value.is_finite() or abs(value) > 10_000:
        problems.append(f"{label}: “{raw[:20]}” không hợp lệ.")
        return blank
    return value


def _integer(raw: str, label: str, problems: list[str], default: int) -> int:
    text = raw.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 7:
        problems.append(f"{label}: “{raw[:20]}” phải là số nguyên không âm.")
        return default
    return int(text)


@login_required
@require_http_methods(["GET", "POST"])
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The chair edits the questionnaire: wording, scale, factors and questions (an outline),
    what counts as satisfied, the minimums and the conversion to points."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    questionnaire = _questionnaire(period)
    if questionnaire is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    errors: list[str] = []
    data = request.POST
    if request.method == "POST":
        problems: list[str] = []
        try:
            factors = parse_outline(data.get("outline", ""))
        except ValidationError as exc:
            problems.extend(exc.messages)
            factors = []
        share = _decimal(
            data.get("min_answered_share", ""),
            "Tỷ lệ câu trả lời tối thiểu",
            problems,
            blank=questionnaire.min_answered_share,
        )
        intercept = _decimal(
            data.get("points_intercept", ""), "Hằng số quy đổi (b)", problems, blank=Decimal(0)
        )
        slope = _decimal(data.get("points_slope", ""), "Hệ số quy đổi (a)", problems, blank=None)
        satisfied = _integer(data.get("satisfied_at", ""), "Mức hài lòng", problems, 4)
        min_forms = _integer(data.get("min_forms", ""), "Số phiếu hợp lệ tối thiểu", problems, 30)
        places = _integer(data.get("rounding_places", ""), "Số chữ số thập phân", problems, 2)
        if not problems:
            try:
                questionnaire_update(
                    questionnaire=questionnaire,
                    name=data.get("name", ""),
                    introduction=data.get("introduction", ""),
                    scale_labels=data.get("scale_labels", "").splitlines(),
                    satisfied_at=satisfied,
                    min_answered_share=share or Decimal(0),
                    min_forms=min_forms,
                    points_slope=slope,
                    points_intercept=intercept or Decimal(0),
                    rounding_mode=data.get("rounding_mode", ""),
                    rounding_places=places,
                    factors=factors,
                    actor=request_user(request),
                )
            except ValidationError as exc:
                problems.extend(exc.messages)
            else:
                messages.success(request, "Đã lưu phiếu khảo sát.")
                return redirect("surveys:overview", pk=period.pk)
        errors = problems
    form = {
        "name": data.get("name", questionnaire.name),
        "introduction": data.get("introduction", questionnaire.introduction),
        "scale_labels": data.get("scale_labels", "\n".join(questionnaire.scale_labels)),
        "satisfied_at": data.get("satisfied_at", questionnaire.satisfied_at),
        "min_answered_share": data.get(
            "min_answered_share", format(questionnaire.min_answered_share.normalize(), "f")
        ),
        "min_forms": data.get("min_forms", questionnaire.min_forms),
        "points_slope": data.get(
            "points_slope",
            ""
            if questionnaire.points_slope is None
            else format(questionnaire.points_slope.normalize(), "f"),
        ),
        "points_intercept": data.get(
            "points_intercept", format(questionnaire.points_intercept.normalize(), "f")
        ),
        "rounding_mode": data.get("rounding_mode", questionnaire.rounding_mode),
        "rounding_places": data.get("rounding_places", questionnaire.rounding_places),
        "outline": data.get("outline", questionnaire_outline(questionnaire)),
    }
    return render(
        request,
        "surveys/questionnaire_edit.html",
        {
            "period": period,
            "form": form,
            "errors": errors,
            "outline_help": OUTLINE_HELP,
            "rounding_modes": RoundingMode.choices,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def compute(request: HttpRequest, pk: int) -> HttpResponse:
    """Tính điểm khảo sát: queue the computation and show its progress."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    try:
        started = survey_compute_start(period=period, actor=request_user(request))
    except ValidationError as exc:
        _fail(request, exc)
        return redirect("surveys:overview", pk=period.pk)
    return redirect("surveys:computation", pk=period.pk, computation_id=started.pk)


@login_required
def computation(request: HttpRequest, pk: int, computation_id: int) -> HttpResponse:
    """One computation: its progress bar (the htmx fragment polls itself every second while
    it runs), then what it found, or why it failed."""
    period = selectors.get_survey_period(request.user, pk)
    found = selectors.get_computation(period, computation_id)
    context = {
        "period": period,
        "computation": found,
        "notices": selectors.computation_notices(found),
    }
    if request.headers.get("HX-Request"):
        return render(request, "surveys/_computation_progress.html", context)
    return render(request, "surveys/computation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk, manage=request.method == "POST")
    errors: list[str] = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            errors.append("Hãy chọn tệp CSV hoặc Excel để nhập.")
        else:
            try:
                batch, new = import_batch_create(
                    period=period,
                    name=upload.name or "",
                    data=upload.read(),
                    actor=request_user(request),
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                if new:
                    from parindex.surveys.tasks import import_survey_batch

                    import_survey_batch.enqueue(batch.pk)
                else:
                    messages.info(
                        request,
                        f"Tệp này đã được nhập lúc "
                        f"{timezone.localtime(batch.created_at):%H:%M %d/%m/%Y}; không nhập lại.",
                    )
                return redirect("surveys:batch", pk=period.pk, batch_id=batch.pk)
    else:
        batches_release_interrupted(period=period)
    return render(
        request,
        "surveys/import.html",
        {
            "period": period,
            "questionnaire": _questionnaire(period),
            "errors": errors,
            "batches": ImportBatch.objects.filter(period=period)[:20],
        },
        status=400 if errors else 200,
    )


@login_required
def batch(request: HttpRequest, pk: int, batch_id: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    batches_release_interrupted(period=period)  # a worker that stopped: the page says so
    found = get_object_or_404(ImportBatch, pk=batch_id, period=period)
    context = {"period": period, "batch": found}
    if request.headers.get("HX-Request"):
        return render(request, "surveys/_batch_progress.html", context)
    return render(request, "surveys/batch.html", context)


@login_required
def template_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    questionnaire = _questionnaire(period)
    if questionnaire is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(template_csv(questionnaire), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(template_xlsx(questionnaire), content_type=XLSX)
    response["Content-Disposition"] = (
        f'attachment; filename="mau-phieu-khao-sat-{period.year}.{fmt}"'
    )
    return response


def _factor_names(questionnaire: Questionnaire | None) -> dict[str, str]:
    if questionnaire is None:
        return {}
    return dict(questionnaire.factors.values_list("code", "name"))


@login_required
def results(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    rows = selectors.results_of(period)
    questionnaire = _questionnaire(period)
    scored = [r for r in rows if r.points is not None]
    chart = {
        "title": "Điểm khảo sát",
        "labels": [r.unit.short_name or r.unit.name for r in scored],
        "values": [format(r.points, "f") for r in scored],
        "display": [format(r.points, "f").replace(".", ",") for r in scored],
        "max": format(_survey_max(period), "f"),
        "mean": None,
    }
    return render(
        request,
        "surveys/results.html",
        {
            "period": period,
            "rows": rows,
            "chart": chart,
            "factor_names": _factor_names(questionnaire),
            "can_manage": is_chair(request.user),
        },
    )


def _survey_max(period: Period) -> Decimal:
    """The largest survey maximum of the period's criteria sets (the chart's axis)."""
    return max(survey_maxima(period), default=Decimal(100))


@login_required
def unit_result(request: HttpRequest, pk: int, unit_id: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk)
    result = get_object_or_404(
        SurveyResult.objects.select_related("unit"), period=period, unit_id=unit_id
    )
    names = _factor_names(_questionnaire(period))
    factors = [{**f, "name": names.get(f["code"], f["code"])} for f in result.factors]
    chart = {
        "title": "Tỷ lệ hài lòng (%)",
        "labels": [f["name"] for f in factors if f["rate"] is not None],
        "values": [f["rate"] for f in factors if f["rate"] is not None],
        "display": [
            format(rounded(Decimal(f["rate"])), "f").replace(".", ",")
            for f in factors
            if f["rate"] is not None
        ],
        "max": "100",
        "mean": format(result.index, "f") if result.index is not None else None,
        "mean_display": format(result.index, ".2f").replace(".", ",") if result.index else "",
    }
    return render(
        request,
        "surveys/unit.html",
        {"period": period, "result": result, "factors": factors, "chart": chart},
    )


@login_required
def export_responses(request: HttpRequest, pk: int, fmt: str = "csv") -> HttpResponseBase:
    """Every form of the period, in the import template's columns plus the unit's name and
    the source. CSV is streamed (a million rows never sit in memory); the Excel workbook is
    written by the worker: this address leads to its page (:func:`response_exports`)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    period = selectors.get_survey_period(request.user, pk)
    if _questionnaire(period) is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    if fmt == "xlsx":
        return redirect("surveys:exports", pk=period.pk)
    streamed = StreamingHttpResponse(responses_csv(period), content_type="text/csv; charset=utf-8")
    streamed["Content-Disposition"] = f'attachment; filename="phieu-khao-sat-{period.year}.csv"'
    return streamed


@login_required
@require_http_methods(["GET", "POST"])
def response_exports(request: HttpRequest, pk: int) -> HttpResponse:
    """The Excel export of the forms: the latest one (its progress, or its file) and the
    button that starts a new one in the worker (one at a time per period)."""
    period = selectors.get_survey_period(request.user, pk)
    if _questionnaire(period) is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    if request.method == "POST":
        try:
            export, new = responses_export_start(period=period, actor=request_user(request))
        except ValidationError as exc:
            _fail(request, exc)
            return redirect("surveys:exports", pk=period.pk)
        if not new:
            messages.info(request, "Tệp Excel đang được tạo; hãy chờ lượt này xong.")
        return redirect("surveys:export", pk=period.pk, export_id=export.pk)
    latest = selectors.last_export(period)
    if latest is not None and latest.is_active:
        return redirect("surveys:export", pk=period.pk, export_id=latest.pk)
    return render(
        request, "surveys/exports.html", {"period": period, "export": latest, "latest": True}
    )


@login_required
def response_export(request: HttpRequest, pk: int, export_id: int) -> HttpResponse:
    """One Excel export: its progress bar (the htmx fragment polls itself every second
    while it runs), then the link to the file, or why it failed."""
    period = selectors.get_survey_period(request.user, pk)
    jobs.release_interrupted(
        ResponseExport.objects.filter(period=period, pk=export_id),
        active=ResponseExport.ACTIVE,
        failed=ResponseExport.Status.FAILED,
        error=jobs.interrupted_reason(),
    )
    found = selectors.get_export(period, export_id)
    context = {"period": period, "export": found}
    if request.headers.get("HX-Request"):
        return render(request, "surveys/_export_progress.html", context)
    return render(request, "surveys/exports.html", context)


@login_required
def response_export_file(request: HttpRequest, pk: int, export_id: int) -> HttpResponseBase:
    """The workbook of a finished export (404 while it runs, once replaced or failed)."""
    period = selectors.get_survey_period(request.user, pk)
    found = selectors.get_export(period, export_id)
    if found.status != found.Status.DONE or not found.file:
        raise Http404("Tệp Excel chưa có hoặc đã được thay bằng tệp mới hơn.")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Tệp Excel không còn trên máy chủ; hãy tạo lại.") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"phieu-khao-sat-{period.year}.xlsx",
        content_type=XLSX,
    )


def _result_table(period: Period) -> tuple[list[str], list[list[Any]]]:
    questionnaire = _questionnaire(period)
    names = _factor_names(questionnaire)
    header = [
        "Mã đơn vị",
        "Tên đơn vị",
        "Số phiếu",
        "Phiếu hợp lệ",
        *[f"Tỷ lệ hài lòng: {name} (%)" for name in names.values()],
        "Chỉ số hài lòng (%)",
        "Sai số 95% (điểm %)",
        "Điểm khảo sát",
        "Chưa đủ phiếu",
    ]
    places = questionnaire.rounding_places if questionnaire else 2
    quantum = Decimal(1).scaleb(-places)  # points are stored with 4 places, shown with the set's
    body: list[list[Any]] = []
    for r in selectors.results_of(period):
        rates = {f["code"]: f["rate"] for f in r.factors}
        body.append(
            [
                r.unit.code,
                r.unit.name,
                r.forms,
                r.valid_forms,
                *[rates.get(code) or "" for code in names],
                "" if r.index is None else format(r.index, "f"),
                "" if r.margin_of_error is None else format(r.margin_of_error, "f"),
                "" if r.points is None else format(r.points.quantize(quantum), "f"),
                "có" if r.too_few else "",
            ]
        )
    return header, body


@login_required
def export_results(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    period = selectors.get_survey_period(request.user, pk)
    header, body = _result_table(period)
    if fmt == "csv":
        text = "".join(csv_lines(header, iter(body)))
        response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        import xlsxwriter

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(
            buffer, {**XLSX_OPTIONS, "constant_memory": False, "in_memory": True}
        )
        sheet = book.add_worksheet("Kết quả khảo sát")
        bold = book.add_format({"bold": True, "text_wrap": True, "bg_color": "#DDEBF7"})
        sheet.write_row(0, 0, [inert(h) for h in header], bold)
        for n, row in enumerate(body, start=1):
            for col, value in enumerate(row):
                if isinstance(value, str) and value and col >= 4 and col < len(header) - 1:
                    sheet.write_number(n, col, float(value))
                else:
                    sheet.write(n, col, inert(value))
        sheet.set_column(1, 1, 40)
        sheet.freeze_panes(1, 2)
        book.close()
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="ket-qua-khao-sat-{period.year}.{fmt}"'
    return response


@login_required
@require_POST
def plan_update(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    """The chair changes one unit's plan, or issues one-time codes for its online form."""
    period = selectors.get_survey_period(request.user, pk, manage=True)
    plan = get_object_or_404(
        SamplePlan.objects.select_related("unit", "period"), pk=plan_id, period=period
    )
    try:
        if request.POST.get("action") == "tokens":
            raw = request.POST.get("count", "").strip()
            if parse_id(raw) is None:
                raise ValidationError({"count": ["Số mã cần phát phải là số nguyên dương."]})
            issued = tokens_issue(plan=plan, count=int(raw), actor=request_user(request))
            messages.success(request, f"Đã phát {len(issued)} mã phiếu trực tuyến.")
        else:
            raw = request.POST.get("target_forms", "").strip()
            if parse_id(raw) is None:
                raise ValidationError({"target_forms": ["Số phiếu cần thu phải là số nguyên."]})
            sample_plan_update(
                plan=plan,
                surveyed=request.POST.get("surveyed") == "on",
                target_forms=int(raw),
                channel=request.POST.get("channel", ""),
                tokens_required=request.POST.get("tokens_required") == "on",
                actor=request_user(request),
            )
            messages.success(request, f"Đã lưu kế hoạch khảo sát của {plan.unit.name}.")
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("surveys:qr", pk=period.pk, plan_id=plan.pk)


@login_required
def qr_sheet(request: HttpRequest, pk: int, plan_id: int) -> HttpResponse:
    """The unit's plan, and a printable page for the one-stop desk: the unit's link, its QR
    code and the unused one-time codes (each with its own link)."""
    period = selectors.get_survey_period(request.user, pk)
    plan = get_object_or_404(SamplePlan.objects.select_related("unit"), pk=plan_id, period=period)
    link = request.build_absolute_uri(reverse("surveys:public_form", args=[plan.public_key]))
    svg = segno.make(link, error="m").svg_inline(
        scale=6, title=f"Mã QR phiếu khảo sát {plan.unit.name}"
    )
    return render(
        request,
        "surveys/qr.html",
        {
            "period": period,
            "plan": plan,
            "link": link,
            "svg": svg,
            "tokens": list(plan.tokens.filter(used_at__isnull=True).order_by("pk")[:500]),
            "used": plan.tokens.filter(used_at__isnull=False).count(),
            "channels": Channel.choices,
            "can_manage": is_chair(request.user),
        },
    )


# --------------------------------------------------------------------------- public form


def _over_limit(request: HttpRequest, plan: SamplePlan) -> bool:
    """At most ``PUBLIC_LIMIT`` forms per address and unit in ``PUBLIC_WINDOW`` seconds
    (the shared cache counts; a desk's tablet shared by many citizens stays well below)."""
    key = f"khao-sat:{plan.pk}:{client_address(request)}"
    return over_limit(key, limit=PUBLIC_LIMIT, window=PUBLIC_WINDOW)


@require_http_methods(["GET", "POST"])
def public_form(request: HttpRequest, key: str) -> HttpResponse:
    plan = SamplePlan.objects.select_related("unit", "period").filter(public_key=key).first()
    if plan is None or not plan.surveyed:
        raise Http404("Không tìm thấy phiếu khảo sát.")
    questionnaire = _questionnaire(plan.period)
    if questionnaire is None:
        raise Http404("Không tìm thấy phiếu khảo sát.")
    token = (request.POST.get("ma") or request.GET.get("ma") or "").strip()[:32]
    errors: list[str] = []
    posted: dict[str, str] = {}
    if request.method == "POST":
        posted = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        if _over_limit(request, plan):
            errors.append("Đã gửi quá nhiều phiếu trong thời gian ngắn; xin thử lại sau ít phút.")
            status = 429
        else:
            try:
                response_submit_online(
                    plan=plan,
                    answers=request.POST,
                    respondent=request.POST,
                    comment=request.POST.get("gop_y", ""),
                    token=token,
                )
            except ValidationError as exc:
                errors.extend(exc.messages)
                status = 400
            else:
                return render(request, "surveys/public_thanks.html", {"plan": plan})
    else:
        status = 200
    factors = list(questionnaire.factors.prefetch_related("questions"))
    scale = list(
        zip(
            range(questionnaire.scale_min, questionnaire.scale_max + 1),
            questionnaire.scale_labels
            or [str(v) for v in range(questionnaire.scale_min, questionnaire.scale_max + 1)],
            strict=False,
        )
    )
    return render(
        request,
        "surveys/public_form.html",
        {
            "plan": plan,
            "questionnaire": questionnaire,
            "factors": factors,
            "respondent_questions": list(questionnaire.respondent_questions.all()),
            "scale": scale,
            "errors": errors,
            "posted": posted,
            "token": token,
        },
        status=status,
    )


def public_qr(request: HttpRequest, key: str) -> HttpResponse:
    plan = SamplePlan.objects.select_related("unit").filter(public_key=key, surveyed=True).first()
    if plan is None:
        raise Http404("Không tìm thấy phiếu khảo sát.")
    link = request.build_absolute_uri(reverse("surveys:public_form", args=[plan.public_key]))
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="svg", scale=6, title=plan.unit.name)
    return HttpResponse(buffer.getvalue(), content_type="image/svg+xml")
