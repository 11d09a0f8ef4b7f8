"""Criteria set pages: list, detail (tree), downloads, import and clone.

Views are thin: parse the request, ask :mod:`~parindex.criteria.permissions`, call a selector
or a service, render or redirect. Reading needs a signed-in user; import and clone need a
manager (staff).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from parindex.accounts.requests import request_user
from parindex.core.formatting import vn_plain
from parindex.criteria import selectors
from parindex.criteria.forms import CloneForm, CriteriaImportForm
from parindex.criteria.permissions import (
    can_manage,
    can_manage_set,
    clone_target,
    criteria_sets_visible_to,
    get_criteria_set_for_user,
    may_issue_for,
    require_manager,
)
from parindex.criteria.services import (
    DuplicateCriteriaSet,
    ImportOverrides,
    SecondCopy,
    criteria_set_archive,
    criteria_set_clone,
    criteria_set_import_json,
    criteria_set_import_xlsx,
    criteria_set_restore,
    criteria_set_set_shared,
)
from parindex.criteria.xlsx.layout import XLSX_CONTENT_TYPE
from parindex.criteria.xlsx.places import plain_words
from parindex.engine import InputError
from parindex.organizations.jurisdiction import jurisdiction_of

MAX_SHOWN_ERRORS = 200
PAGE_SIZE = 50


@login_required
@require_GET
def criteria_set_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    archived = request.GET.get("luu_tru") == "1"
    visible = criteria_sets_visible_to(request.user)
    page = Paginator(
        selectors.criteria_sets_for_list(
            query, visible.archived() if archived else visible.active()
        ),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    rows = [(cs, vn_plain(cs.survey_max) if cs.survey_max is not None else "") for cs in page]
    return render(
        request,
        "criteria/set_list.html",
        {
            "page": page,
            "rows": rows,
            "query": query,
            "archived": archived,
            "can_manage": can_manage(request.user),
        },
    )


@login_required
@require_GET
def criteria_set_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_criteria_set_for_user(request.user, pk)
    tree = selectors.criteria_tree(criteria_set)
    return render(
        request,
        "criteria/set_detail.html",
        {
            "criteria_set": criteria_set,
            "tree": tree,
            "leaf_count": sum(1 for row in tree if row.is_leaf),
            "facts": selectors.criteria_set_facts(criteria_set),
            "bands": selectors.band_rows(criteria_set),
            "can_manage": can_manage(request.user),
            "can_share": can_manage_set(request.user, criteria_set),
            "next_year": criteria_set.year + 1,
        },
    )


@login_required
@require_GET
def criteria_set_export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_criteria_set_for_user(request.user, pk)
    return _download(
        selectors.criteria_set_xlsx(criteria_set),
        XLSX_CONTENT_TYPE,
        selectors.download_filename(criteria_set, "xlsx"),
    )


@login_required
@require_GET
def criteria_set_export_json(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = get_criteria_set_for_user(request.user, pk)
    return _download(
        selectors.criteria_set_json(criteria_set),
        "application/json; charset=utf-8",
        selectors.download_filename(criteria_set, "json"),
    )


@login_required
@require_GET
def blank_template(request: HttpRequest) -> HttpResponse:
    return _download(selectors.blank_template_xlsx(), XLSX_CONTENT_TYPE, "mau-bo-tieu-chi.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_import(request: HttpRequest) -> HttpResponse:
    require_manager(request.user)
    form = CriteriaImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    existing = None
    if request.method == "POST" and form.is_valid():
        overrides: ImportOverrides = {}
        if form.cleaned_data["level"]:
            overrides["level"] = form.cleaned_data["level"]
        if form.cleaned_data["year"]:
            overrides["year"] = form.cleaned_data["year"]
        if form.cleaned_data["jurisdiction"] is not None:
            overrides["jurisdiction"] = form.cleaned_data["jurisdiction"]
        elif not request.user.is_superuser:
            # Not the file's word: a set always lands in the manager's own province.
            overrides["jurisdiction"] = jurisdiction_of(request.user)
        upload = form.cleaned_data["file"]
        try:
            if not may_issue_for(request.user, overrides.get("jurisdiction")):
                raise InputError(
                    [
                        "Cơ quan ban hành: chỉ nhập được bộ tiêu chí của tỉnh, thành phố "
                        "(hoặc huyện) nơi bạn công tác."
                    ]
                )
            if form.is_json():
                criteria_set = criteria_set_import_json(
                    data=upload.read(), actor=request_user(request), info_defaults=overrides
                )
            else:
                criteria_set = criteria_set_import_xlsx(
                    file=upload, actor=request_user(request), overrides=overrides
                )
        except DuplicateCriteriaSet as exc:
            errors, existing = exc.problems, exc.existing
        except InputError as exc:
            errors = [plain_words(problem) for problem in exc.problems]
        else:
            messages.success(
                request,
                f"Đã nhập bộ tiêu chí «{criteria_set.name}» (năm {criteria_set.year}, "
                f"phiên bản {criteria_set.version}).",
            )
            return redirect("criteria:detail", pk=criteria_set.pk)
    return render(
        request,
        "criteria/set_import.html",
        {
            "form": form,
            "errors": errors[:MAX_SHOWN_ERRORS],
            "more_errors": max(0, len(errors) - MAX_SHOWN_ERRORS),
            "existing": existing,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_clone_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: what the copy will make, and a button to confirm it (POST)."""
    require_manager(request.user)
    source = get_criteria_set_for_user(request.user, pk)
    form = CloneForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, "Năm sao chép không hợp lệ: cần một năm từ 1990 đến 2100.")
        return redirect("criteria:detail", pk=source.pk)
    if request.method == "GET":
        year = form.target_year(source.year)
        return render(
            request,
            "criteria/set_clone_confirm.html",
            {
                "source": source,
                "year": year,
                "into": clone_target(request.user, source),
                "earlier": selectors.copies_of(source, year),
            },
        )
    try:
        clone = criteria_set_clone(
            source=source,
            year=form.target_year(source.year),
            actor=request_user(request),
            into=clone_target(request.user, source),
        )
    except SecondCopy as exc:
        messages.warning(
            request, "Không sao chép thêm: " + exc.problems[0] + ". Đây là bản sao đó."
        )
        return redirect("criteria:detail", pk=exc.existing.pk)
    except InputError as exc:
        messages.error(request, "Không sao chép được: " + "; ".join(exc.problems))
        return redirect("criteria:detail", pk=source.pk)
    messages.success(
        request,
        f"Đã sao chép sang năm {clone.year}: «{clone.name}» (phiên bản {clone.version}).",
    )
    return redirect("criteria:detail", pk=clone.pk)


@login_required
@require_POST
def criteria_set_share_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Share a set read-only with the other provinces (or stop): its own managers only."""
    criteria_set = get_criteria_set_for_user(request.user, pk)
    if not can_manage_set(request.user, criteria_set):
        raise PermissionDenied("Chỉ cán bộ quản trị của tỉnh ban hành được chia sẻ bộ tiêu chí.")
    shared = request.POST.get("shared") == "1"
    criteria_set_set_shared(criteria_set=criteria_set, shared=shared, actor=request_user(request))
    messages.success(
        request,
        "Đã chia sẻ bộ tiêu chí: các tỉnh, thành phố khác được xem và sao chép (không sửa)."
        if shared
        else "Đã thôi chia sẻ bộ tiêu chí với các tỉnh, thành phố khác.",
    )
    return redirect("criteria:detail", pk=criteria_set.pk)


@login_required
@require_http_methods(["GET", "POST"])
def criteria_set_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: confirm archiving (or restoring); POST: do it. The set's own managers only."""
    criteria_set = get_criteria_set_for_user(request.user, pk)  # 404 before 403
    require_manager(request.user)
    if not can_manage_set(request.user, criteria_set):
        raise PermissionDenied("Chỉ cán bộ quản trị của tỉnh ban hành được lưu trữ bộ tiêu chí.")
    if request.method == "GET":
        return render(
            request,
            "criteria/set_archive_confirm.html",
            {"criteria_set": criteria_set, "periods": selectors.periods_using(criteria_set)},
        )
    if request.POST.get("restore") == "1":
        criteria_set_restore(criteria_set=criteria_set, actor=request_user(request))
        messages.success(request, f"Đã khôi phục bộ tiêu chí «{criteria_set.name}» từ lưu trữ.")
        return redirect("criteria:detail", pk=criteria_set.pk)
    try:
        criteria_set_archive(criteria_set=criteria_set, actor=request_user(request))
    except InputError as exc:
        messages.error(request, "Không lưu trữ được: " + "; ".join(exc.problems))
        return redirect("criteria:detail", pk=criteria_set.pk)
    messages.success(
        request,
        f"Đã lưu trữ bộ tiêu chí «{criteria_set.name}»: không còn hiện trong danh sách "
        "(xem ở mục «Bộ đã lưu trữ»).",
    )
    return redirect("criteria:list")


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
