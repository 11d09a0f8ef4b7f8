"""The administrator's Word templates: see which one each kind uses, download it (or the
built-in one) to edit in Word or LibreOffice, upload it back, go back to the built-in one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.core.forms import add_service_errors
from parindex.core.storage import file_response
from parindex.documents.forms import TemplateUploadForm
from parindex.documents.generate import CONTENT_TYPES
from parindex.documents.models import DocumentFormat, DocumentKind, DocumentTemplate
from parindex.documents.permissions import get_template_jurisdiction, template_jurisdictions
from parindex.documents.render.frame import build_frame
from parindex.documents.selectors import template_rows
from parindex.documents.services import template_reset, template_upload

PARAM = "dia-ban"


def _page_url(code: str) -> str:
    return f"{reverse('documents:templates')}?{PARAM}={code}"


@login_required
@require_http_methods(["GET", "POST"])
def templates(request: HttpRequest) -> HttpResponse:
    choices = template_jurisdictions(request.user)
    default = choices[0].code if choices and choices[0] is not None else ""
    code = request.POST.get(PARAM, request.GET.get(PARAM, default))
    jurisdiction = get_template_jurisdiction(request.user, code)
    form = TemplateUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            template = template_upload(
                actor=request_user(request),
                kind=form.cleaned_data["kind"],
                jurisdiction=jurisdiction,
                name=upload.name,
                data=upload.read(),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                f"Đã nhận mẫu “{template.original_name}” cho {template.get_kind_display().lower()};"
                " từ nay văn bản tạo mới dùng mẫu này.",
            )
            return redirect(_page_url(code))
    return render(
        request,
        "documents/templates.html",
        {
            "form": form,
            "rows": template_rows(jurisdiction),
            "jurisdiction": jurisdiction,
            "code": code,
            "choices": [
                (j.code if j else "", j.name if j else "Dùng chung cả hệ thống") for j in choices
            ],
            "param": PARAM,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    code = request.POST.get(PARAM, "")
    jurisdiction = get_template_jurisdiction(request.user, code)
    kind = request.POST.get("kind", "")
    if kind not in DocumentKind.values:
        raise Http404("Không có loại văn bản này.")
    count = template_reset(actor=request_user(request), kind=kind, jurisdiction=jurisdiction)
    if count:
        messages.success(request, f"{DocumentKind(kind).label}: đã quay về mẫu mặc định.")
    else:
        messages.info(request, f"{DocumentKind(kind).label} đang dùng mẫu mặc định.")
    return redirect(_page_url(code))


@login_required
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    template = DocumentTemplate.objects.filter(pk=pk).first()
    if template is None:
        raise Http404("Không tìm thấy mẫu văn bản.")
    code = template.jurisdiction.code if template.jurisdiction else ""
    get_template_jurisdiction(request.user, code)
    return file_response(
        template.file, name=template.original_name, content_type=CONTENT_TYPES[DocumentFormat.DOCX]
    )


@login_required
def builtin(request: HttpRequest, kind: str) -> HttpResponse:
    """The built-in template of ``kind``, to start editing from."""
    template_jurisdictions(request.user)
    if kind not in DocumentKind.values:
        raise Http404("Không có loại văn bản này.")
    response = HttpResponse(build_frame(), content_type=CONTENT_TYPES[DocumentFormat.DOCX])
    response["Content-Disposition"] = f'attachment; filename="mau-{kind}.docx"'
    return response
