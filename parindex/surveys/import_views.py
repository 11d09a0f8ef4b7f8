"""The council's import pages (``/khao-sat/<period>/nhap/…``): the upload of a file of
forms, the batch's progress bar while the worker imports it, and the blank templates."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from parindex.accounts.requests import request_user
from parindex.periods.models import Period
from parindex.surveys import selectors
from parindex.surveys.exports import XLSX_CONTENT_TYPE
from parindex.surveys.forms import UploadForm, form_problems
from parindex.surveys.import_template import template_csv, template_xlsx
from parindex.surveys.imports import batches_release_interrupted
from parindex.surveys.models import ImportBatch
from parindex.surveys.queueing import import_batch_create


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    period = selectors.get_survey_period(request.user, pk, manage=request.method == "POST")
    errors: list[str] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = form_problems(form)
        else:
            try:
                return _queue(request, period, form.cleaned_data["file"])
            except ValidationError as exc:
                errors = list(exc.messages)
    else:
        batches_release_interrupted(period=period)
    return render(
        request,
        "surveys/import.html",
        {
            "period": period,
            "questionnaire": selectors.questionnaire_of(period),
            "errors": errors,
            "batches": ImportBatch.objects.filter(period=period)[:20],
        },
        status=400 if errors else 200,
    )


def _queue(request: HttpRequest, period: Period, upload: UploadedFile[bytes]) -> HttpResponse:
    """Queue the uploaded file's import and show its batch (an already imported file: its
    finished batch, with a word that it is not imported again)."""
    batch, new = import_batch_create(
        period=period,
        name=upload.name or "",
        data=upload.read(),
        actor=request_user(request),
    )
    if not new:
        messages.info(
            request,
            f"Tệp này đã được nhập lúc "
            f"{timezone.localtime(batch.created_at):%H:%M %d/%m/%Y}; không nhập lại.",
        )
    return redirect("surveys:batch", pk=period.pk, batch_id=batch.pk)


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
    questionnaire = selectors.questionnaire_of(period)
    if questionnaire is None:
        raise Http404("Kỳ đánh giá chưa có phiếu khảo sát.")
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        response = HttpResponse(template_csv(questionnaire), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(template_xlsx(questionnaire), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="mau-phieu-khao-sat-{period.year}.{fmt}"'
    )
    return response
