"""Evidence pages: the evidence block of an item (htmx partial), downloads, trust store.

Views are thin: find the row through the permission chokepoints (404 for what the user may
not see, 403 for what they may see but not change), call a service, render.

The item block posts with htmx and gets the refreshed block back (status 200 even with
errors, which are shown in it). Without JavaScript the same forms post normally and are
redirected back to ``next`` (or to the item's own page) with a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.csp import CSP
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.models import User
from parindex.accounts.requests import request_user
from parindex.assessments.models import Answer
from parindex.assessments.permissions import get_assessment_for_user
from parindex.core.converters import parse_id
from parindex.core.storage import file_response
from parindex.evidence import selectors
from parindex.evidence.forms import CiteForm, TrustAnchorForm
from parindex.evidence.links import evidence_attach_existing, evidence_cite, evidence_detach
from parindex.evidence.models import Evidence
from parindex.evidence.trust_store import (
    trust_anchor_add,
    trust_anchor_set_active,
    trust_anchors_for,
    trust_anchors_managed_by,
    trust_store_jurisdiction,
)
from parindex.evidence.uploads import UploadResult, evidence_upload_result, upload_notice
from parindex.evidence.verification import evidence_recheck_all
from parindex.periods.models import PeriodStatus
from parindex.periods.permissions import is_chair, periods_visible_to

MAX_FILES_PER_UPLOAD = 20


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))  # django_htmx.middleware.HtmxDetails


def _messages_of(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _render_item(
    request: HttpRequest,
    answer: Answer,
    *,
    errors: list[str] | None = None,
    notice: str = "",
    cite: dict[str, str] | None = None,
) -> HttpResponse:
    """The refreshed block (htmx), or back to the page the form was on (no JavaScript)."""
    if not _is_htmx(request) and request.method == "POST":
        for error in errors or []:
            messages.error(request, error)
        if notice:
            messages.success(request, notice)
        target = request.POST.get("next", "")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return redirect(target)
        return redirect("evidence:item", answer_id=answer.pk)
    item = selectors.item_evidence(
        request.user, answer.assessment, answer, errors=errors, notice=notice, cite=cite
    )
    return render(request, "evidence/_item_evidence_body.html", item.context())


@login_required
@require_GET
def item(request: HttpRequest, answer_id: int) -> HttpResponse:
    """The evidence block of one item: the block itself for htmx (``?phan=danh-sach``:
    only the file list, which polls while a signature check is pending), else a page."""
    answer = selectors.get_answer_for_user(request.user, answer_id)
    context = selectors.item_evidence(request.user, answer.assessment, answer).context()
    if request.GET.get("phan") == "danh-sach":
        return render(request, "evidence/_item_links.html", context)
    if _is_htmx(request):
        return render(request, "evidence/_item_evidence_body.html", context)
    return render(request, "evidence/item_page.html", context)


def _answer_for_write(request: HttpRequest, answer_id: int) -> Answer:
    answer = selectors.get_answer_for_user(request.user, answer_id)
    get_assessment_for_user(request.user, answer.assessment_id, write=True)  # 403
    return answer


@login_required
@require_POST
def upload(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = _answer_for_write(request, answer_id)
    files = request.FILES.getlist("files")
    if not files:
        return _render_item(request, answer, errors=["Hãy chọn ít nhất một tệp để tải lên."])
    if len(files) > MAX_FILES_PER_UPLOAD:
        return _render_item(
            request,
            answer,
            errors=[f"Mỗi lần tải lên tối đa {MAX_FILES_PER_UPLOAD} tệp."],
        )
    errors: list[str] = []
    results: list[UploadResult] = []
    for uploaded in files:
        try:
            results.append(
                evidence_upload_result(
                    assessment=answer.assessment,
                    answer=answer,
                    uploaded_file=uploaded,
                    actor=request_user(request),
                )
            )
        except ValidationError as exc:
            errors.extend(m for m in _messages_of(exc) if m not in errors)
    notice = upload_notice(results)
    return _render_item(request, answer, errors=errors, notice=notice)


@login_required
@require_POST
def attach(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = _answer_for_write(request, answer_id)
    pk = parse_id(request.POST.get("evidence", ""))
    evidence = (
        None
        if pk is None
        else Evidence.objects.filter(
            pk=pk,
            period_id=answer.assessment.period_id,
            unit_id=answer.assessment.unit_id,
        ).first()
    )
    if evidence is None:
        return _render_item(request, answer, errors=["Hãy chọn một tệp đã tải lên của đơn vị."])
    try:
        evidence_attach_existing(answer=answer, evidence=evidence, actor=request_user(request))
    except ValidationError as exc:
        return _render_item(request, answer, errors=_messages_of(exc))
    return _render_item(request, answer, notice=f"Đã dùng lại tệp “{evidence.original_name}”.")


@login_required
@require_POST
def cite(request: HttpRequest, answer_id: int) -> HttpResponse:
    answer = _answer_for_write(request, answer_id)
    form = CiteForm(request.POST)
    submitted = {
        k: str(request.POST.get(k, ""))[:500] for k in ("number", "date", "issuer", "title")
    }
    if not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        return _render_item(request, answer, errors=errors, cite=submitted)
    data = form.cleaned_data
    try:
        link = evidence_cite(
            answer=answer,
            number=data["number"],
            date=data["date"],
            issuer=data["issuer"],
            title=data["title"],
            actor=request_user(request),
        )
    except ValidationError as exc:
        return _render_item(request, answer, errors=_messages_of(exc), cite=submitted)
    return _render_item(request, answer, notice=f"Đã dẫn chiếu văn bản số {link.document_number}.")


@login_required
@require_POST
def detach(request: HttpRequest, link_id: int) -> HttpResponse:
    link = selectors.get_link_for_user(request.user, link_id)
    answer = link.answer
    get_assessment_for_user(request.user, answer.assessment_id, write=True)  # 403
    try:
        evidence_detach(link=link, actor=request_user(request))
    except ValidationError as exc:
        return _render_item(request, answer, errors=_messages_of(exc))
    return _render_item(request, answer, notice="Đã gỡ tài liệu khỏi nội dung.")


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Streamed, or a presigned redirect (``STORAGE_S3_PRESIGNED_DOWNLOADS``), after the
    permission check (404 for a file that is not the user's)."""
    evidence = selectors.get_evidence_for_user(request.user, pk)
    return file_response(
        evidence.file,
        name=evidence.original_name,
        content_type=evidence.content_type or "application/octet-stream",
    )


PDF = "application/pdf"
PREVIEW_CSP = {
    # The browser's own PDF viewer shows the file: Chrome's is an <embed> in a synthetic
    # page (object-src; its inline styles are refused under default-src 'none', see
    # crbug.com/271452), so the site's policy (object-src 'none') would blank it. The
    # content is never HTML (explicit type, nosniff), so only framing is restricted: to
    # the site itself (a same-origin <iframe> may show it; other sites may not).
    "object-src": [CSP.SELF],
    "frame-ancestors": [CSP.SELF],
}


@login_required
@require_GET
@csp_override(PREVIEW_CSP)
@xframe_options_sameorigin
def preview(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Xem: a PDF shown in the browser (``inline``), with the download's permission check.
    Only PDFs: any other type is 404 here (it is downloaded, never rendered by the site)."""
    evidence = selectors.get_evidence_for_user(request.user, pk)
    if evidence.content_type != PDF:
        raise Http404("Chỉ xem trực tiếp được tệp PDF; hãy tải tệp này xuống.")
    # Always streamed: the preview is framed by the site, whose policy frames only itself.
    return file_response(
        evidence.file,
        name=evidence.original_name,
        content_type=PDF,
        disposition="inline",
        redirect=False,
    )


# ---------------------------------------------------------------------------------------
# Trust store


def _require_chair(request: HttpRequest) -> User:
    if not is_chair(request.user):
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị hệ thống quản lý kho chứng thư.")
    return request_user(request)


@login_required
@require_http_methods(["GET", "POST"])
def trust_store(request: HttpRequest) -> HttpResponse:
    actor = _require_chair(request)
    form = TrustAnchorForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            try:
                created = trust_anchor_add(
                    pem_or_der=form.certificate_bytes(),
                    name=form.cleaned_data["name"],
                    actor=actor,
                )
            except ValidationError as exc:
                errors = _messages_of(exc)
            else:
                messages.success(
                    request,
                    f"Đã thêm {len(created)} chứng thư: "
                    + ", ".join(f"“{a.name}”" for a in created)
                    + ". Bấm “Kiểm tra lại toàn bộ tài liệu” để áp dụng cho tài liệu đã tải lên.",
                )
                return redirect("evidence:trust_store")
        else:
            errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
    jurisdiction = trust_store_jurisdiction(actor)
    managed = set(trust_anchors_managed_by(actor).values_list("pk", flat=True))
    context: dict[str, Any] = {
        "anchors": [
            (anchor, anchor.pk in managed)
            for anchor in trust_anchors_for(jurisdiction)
            .select_related("added_by", "jurisdiction")
            .order_by("-is_active", "name")
        ],
        "jurisdiction": jurisdiction,
        "form": form,
        "errors": errors,
        "now": timezone.now(),
    }
    return render(
        request,
        "evidence/trust_store.html",
        context,
        status=400 if errors else 200,
    )


@login_required
@require_POST
def trust_anchor_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _require_chair(request)
    # The chokepoint: another jurisdiction's anchor, or (for a chair) an installation-wide
    # one, is not theirs to switch.
    anchor = trust_anchors_managed_by(actor).filter(pk=pk).first()
    if anchor is None:
        raise Http404("Không tìm thấy chứng thư.")
    active = request.POST.get("active") == "1"
    trust_anchor_set_active(anchor=anchor, active=active, actor=actor)
    messages.success(
        request,
        f"Đã {'bật' if active else 'tắt'} chứng thư “{anchor.name}”. "
        "Bấm “Kiểm tra lại toàn bộ tài liệu” để áp dụng cho tài liệu đã tải lên.",
    )
    return redirect("evidence:trust_store")


@login_required
@require_POST
def recheck(request: HttpRequest) -> HttpResponse:
    """Check again the PDFs of every period the chair runs that is not finalised."""
    actor = _require_chair(request)
    total = 0
    for period in periods_visible_to(actor).exclude(status=PeriodStatus.FINALISED):
        total += evidence_recheck_all(period=period, actor=actor)
    messages.success(
        request,
        f"Đang kiểm tra lại chữ ký số của {total} tài liệu; kết quả hiện dần trên từng tệp."
        if total
        else "Không có tài liệu PDF nào cần kiểm tra lại.",
    )
    return redirect("evidence:trust_store")
