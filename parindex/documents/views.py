"""The documents pages: a unit's documents, a period's documents, the texts the chair
writes, a job's progress, downloads (signed-in and public)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from parindex.accounts.requests import request_user
from parindex.assessments.models import Assessment
from parindex.core.forms import add_service_errors
from parindex.core.storage import file_response
from parindex.documents.errors import DocumentError
from parindex.documents.forms import GenerateForm, TextForm
from parindex.documents.generate import CONTENT_TYPES, Request
from parindex.documents.kinds import KINDS
from parindex.documents.kinds.period_common import document_text
from parindex.documents.models import DocumentKind, GeneratedDocument
from parindex.documents.permissions import (
    get_document_for_user,
    get_period_for_documents,
    get_public_document,
    get_unit_documents_assessment,
)
from parindex.documents.render.pdf import pdf_available
from parindex.documents.selectors import (
    appraisal_rounds,
    is_stale,
    period_documents,
    unit_documents,
)
from parindex.documents.services import document_request, document_text_save
from parindex.periods.permissions import is_chair
from parindex.results.selectors import period_groups

UNIT_KINDS = [(k, s.label) for k, s in KINDS.items() if s.per_unit]
PERIOD_KINDS = [(k, s.label) for k, s in KINDS.items() if not s.per_unit]


@login_required
@require_http_methods(["GET", "POST"])
def unit(request: HttpRequest, assessment_id: int) -> HttpResponse:
    """A unit's self-assessment report and appraisal minutes: make them, follow, download."""
    assessment = get_unit_documents_assessment(request.user, assessment_id)
    rounds = appraisal_rounds(assessment)
    form = GenerateForm(request.POST or None, kinds=UNIT_KINDS, rounds=rounds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _request(request, form, data, assessment=assessment):
            return redirect("documents:unit", assessment_id=assessment.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "documents/unit.html",
        {
            "assessment": assessment,
            "period": assessment.period,
            "unit": assessment.unit,
            "form": form,
            "rounds": rounds,
            "documents": _rows(unit_documents(assessment.period, assessment.unit)),
            "pdf_available": pdf_available(),
        },
        status=status,
    )


def _request(
    request: HttpRequest,
    form: GenerateForm,
    data: dict[str, object],
    *,
    assessment: Assessment | None = None,
    period_id: int | None = None,
) -> bool:
    kind = str(data["kind"])
    round_ = data.get("round") if kind == DocumentKind.MINUTES else None
    try:
        if assessment is not None:
            doc_request = Request(
                kind,
                assessment.period,
                unit=assessment.unit,
                round=round_ or None,  # type: ignore[arg-type]
            )
        else:
            period = get_period_for_documents(request.user, period_id or 0, manage=True)
            doc_request = Request(kind, period, group_code=str(data.get("group") or ""))
        document = document_request(
            actor=request_user(request), request=doc_request, fmt=str(data["format"])
        )
    except DocumentError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(
        request,
        f"Đang tạo {document.get_kind_display().lower()} ({document.format.upper()}); trang tự"
        " cập nhật khi xong.",
    )
    return True


@login_required
@require_http_methods(["GET", "POST"])
def period(request: HttpRequest, period_id: int) -> HttpResponse:
    """The council's documents of a period: the results report and the notice."""
    found = get_period_for_documents(request.user, period_id)
    groups = [(pg.group.code, pg.group.name) for pg in period_groups(found)]
    form = GenerateForm(request.POST or None, kinds=PERIOD_KINDS, groups=groups)
    if request.method == "POST":
        if not is_chair(request.user):
            raise PermissionDenied("Chỉ chủ tịch hội đồng được tạo văn bản của kỳ đánh giá.")
        if form.is_valid() and _request(request, form, form.cleaned_data, period_id=found.pk):
            return redirect("documents:period", period_id=found.pk)
    return render(
        request,
        "documents/period.html",
        {
            "period": found,
            "form": form,
            "documents": _rows(period_documents(found)),
            "can_manage": is_chair(request.user),
            "pdf_available": pdf_available(),
            "assessments": Assessment.objects.filter(period=found)
            .select_related("unit")
            .order_by("unit__position", "unit__name"),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def texts(request: HttpRequest, period_id: int, kind: str) -> HttpResponse:
    """What the chair writes in the results report or the notice before issuing it."""
    if kind not in (DocumentKind.RESULTS, DocumentKind.NOTICE):
        raise Http404("Không tìm thấy văn bản.")
    found = get_period_for_documents(request.user, period_id, manage=request.method == "POST")
    text = document_text(found, kind)
    initial = {
        name: getattr(text, name)
        for name in (
            "parent_agency",
            "agency",
            "number",
            "place",
            "issued_on",
            "signer_title",
            "signer_name",
            "recipients",
        )
    }
    initial.update(text.sections or {})
    form = TextForm(request.POST or None, kind=kind, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            document_text_save(
                actor=request_user(request), period=found, kind=kind, data=form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã lưu nội dung; hãy tạo lại văn bản để in nội dung mới.")
            return redirect("documents:period", period_id=found.pk)
    return render(
        request,
        "documents/texts.html",
        {
            "period": found,
            "kind": kind,
            "kind_label": DocumentKind(kind).label,
            "form": form,
            "text": text,
            "can_manage": is_chair(request.user),
        },
        status=400 if request.method == "POST" else 200,
    )


def _rows(documents: list[GeneratedDocument]) -> list[tuple[GeneratedDocument, bool]]:
    return [(document, is_stale(document)) for document in documents]


@login_required
def status(request: HttpRequest, document_id: int) -> HttpResponse:
    """One document's row, polled while it is being made."""
    document = get_document_for_user(request.user, document_id)
    return render(
        request,
        "documents/_row.html",
        {"document": document, "stale": is_stale(document)},
    )


def _file_response(document: GeneratedDocument) -> HttpResponseBase:
    if not document.file:
        raise Http404("Văn bản chưa tạo xong.")
    return file_response(
        document.file,
        name=document.file_name,
        content_type=CONTENT_TYPES.get(document.format, "application/octet-stream"),
        missing="Tệp văn bản không còn trong kho lưu trữ; hãy tạo lại.",
    )


@login_required
def download(request: HttpRequest, document_id: int) -> HttpResponseBase:
    return _file_response(get_document_for_user(request.user, document_id))


def public_download(request: HttpRequest, period_id: int, document_id: int) -> HttpResponseBase:
    """A results report or notice made from published results: anyone may download it."""
    return _file_response(get_public_document(period_id, document_id))
