"""The signed decision of a published version (see :mod:`parindex.results.decision`).

- ``/ket-qua/<kỳ>/quyet-dinh/`` (``results_manage:decision_upload``): the council's page of
  the current version's decision; the chair's POST uploads (or replaces) the signed PDF.
  The form is also on the results desk.
- ``/ket-qua/<kỳ>/quyet-dinh/go/`` (``results_manage:decision_remove``): POST takes it off.
- ``/cong-bo/<kỳ>/quyet-dinh.pdf`` (``public:decision``): anyone downloads the decision of
  a published version (``?phien-ban=N`` for an earlier one); 404 otherwise.

Thin: the chokepoints are :func:`parindex.results.manage_permissions.get_results_period`
and :mod:`parindex.results.published`; writes go through :mod:`parindex.results.decision`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.core.converters import parse_id
from parindex.core.replica import read_alias
from parindex.core.storage import file_response
from parindex.periods.models import Period
from parindex.periods.permissions import is_chair
from parindex.results import published
from parindex.results.decision import decision_remove, decision_upload, signed_decision_of
from parindex.results.manage_permissions import get_results_period
from parindex.results.models import ResultVersion

PDF = "application/pdf"
VERSION_FIELD = "phien_ban"
"""The form's hidden field: the pk of the version the page showed."""
NOT_PUBLISHED = (
    "Kỳ đánh giá này chưa công bố kết quả: chỉ đính kèm quyết định công bố đã ký số vào "
    "phiên bản đang công bố."
)
VERSION_CHANGED = (
    "Một phiên bản khác đã được công bố từ lúc bạn mở trang này: chưa đính kèm tệp. Xem lại "
    "phiên bản đang công bố rồi tải lên lại."
)


def _current(period: Period) -> ResultVersion | None:
    return ResultVersion.objects.current().filter(period=period).first()


def _desk(period: Period) -> str:
    return reverse("results_manage:desk", kwargs={"pk": period.pk}) + "#quyet-dinh"


def _render(
    request: HttpRequest,
    period: Period,
    version: ResultVersion | None,
    errors: list[str],
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "period": period,
        "version": version,
        "decision": signed_decision_of(version) if version is not None else None,
        "can_manage": is_chair(request.user),
        "errors": errors,
    }
    return render(request, "results/manage/decision_upload.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest, pk: int) -> HttpResponse:
    """Quyết định công bố: the current version's signed decision; POST attaches a new one."""
    period = get_results_period(request.user, pk, manage=request.method == "POST")
    version = _current(period)
    if request.method == "GET":
        return _render(request, period, version, [])
    if version is None:
        return _render(request, period, None, [NOT_PUBLISHED], status=400)
    seen = request.POST.get(VERSION_FIELD, "")
    if seen and seen != str(version.pk):
        return _render(request, period, version, [VERSION_CHANGED], status=409)
    try:
        decision = decision_upload(
            version=version, actor=request_user(request), upload=request.FILES.get("file")
        )
    except ValidationError as error:
        return _render(request, period, version, list(error.messages), status=400)
    messages.success(
        request,
        f"Đã đính kèm quyết định công bố đã ký số “{decision.original_name}” vào phiên bản "
        f"{version.number} (người ký: {decision.signer}).",
    )
    return redirect(_desk(period))


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Gỡ quyết định: take the signed decision off the current version."""
    period = get_results_period(request.user, pk, manage=True)
    version = _current(period)
    if version is None:
        messages.info(request, NOT_PUBLISHED)
        return redirect(_desk(period))
    try:
        decision_remove(version=version, actor=request_user(request))
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã gỡ quyết định công bố của phiên bản {version.number}.")
    return redirect(_desk(period))


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The signed PDF of a published version's decision (the current version, or
    ``?phien-ban=N``), for anyone; 404 when there is none."""
    raw = request.GET.get("phien-ban", "").strip()
    number = parse_id(raw) if raw else None
    if raw and (number is None or number < 1):
        raise Http404("Không có phiên bản kết quả này")
    # The version from the replica (immutable); its decision from the primary, since a
    # decision can still be replaced or removed after publication.
    version = published.get_public_version(pk, number, using=read_alias())
    decision = signed_decision_of(version) if version.is_public else None
    if decision is None:
        raise Http404("Phiên bản này chưa có quyết định công bố đã ký số")
    name = decision.original_name
    if not name.lower().endswith(".pdf"):
        name += ".pdf"
    return file_response(decision.file, name=name, content_type=PDF, cache_control="no-cache")
