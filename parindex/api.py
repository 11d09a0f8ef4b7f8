"""The JSON API (django-ninja). OpenAPI at /api/openapi.json, documentation at /api/docs.

Routers live in the apps (``<app>/api.py``) and call the same services and permission
chokepoints as the pages.

Boundary input never reaches the database as a 500: ids in paths and integers in queries
are bounded in each operation's signature (``MAX_ID``, ``Text`` of
:mod:`parindex.core.converters`), a request body is read by :class:`BoundedParser`
(integers of more than ``IMPORT_MAX_INTEGER_DIGITS`` digits are refused before Python
parses them), and every error is Vietnamese JSON: a malformed path (an id out of range, a
NUL byte) is a 404 like an unknown object, a malformed query or body a 422 naming each
field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, errors
from ninja.parser import Parser
from ninja.types import DictStrAny

from parindex.core.bounded import InputLimitError, json_loads

INVALID = "Dữ liệu gửi lên không đúng định dạng."


class BoundedParser(Parser):
    """JSON bodies through :func:`parindex.core.bounded.json_loads`: an integer literal of
    5,000 digits is refused with a Vietnamese message instead of Python's ``ValueError``."""

    def parse_body(self, request: HttpRequest) -> DictStrAny:
        data: DictStrAny = json_loads(request.body, what="Nội dung JSON gửi lên")
        return data


api = NinjaAPI(
    title="parindex API",
    version="1",
    description="API của parindex: đọc phiếu tự đánh giá và gửi điểm từng tiêu chí.",
    urls_namespace="api",
    parser=BoundedParser(),
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(errors.AuthenticationError)
def unauthenticated(request: HttpRequest, exc: errors.AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Cần đăng nhập."}, status=401)


@api.exception_handler(errors.HttpError)
def http_error(request: HttpRequest, exc: errors.HttpError) -> HttpResponse:
    """ninja's own refusals, in Vietnamese: a body that is not JSON (or has an integer too
    long to read) is a 422 like any malformed body; a write without the CSRF header a 403."""
    cause = exc.__cause__
    if isinstance(cause, InputLimitError):
        return api.create_response(request, {"detail": INVALID, "errors": [str(cause)]}, status=422)
    if exc.status_code == 400 and str(exc).startswith("Cannot parse request body"):
        body = {"detail": INVALID, "errors": ["Nội dung gửi lên không phải JSON hợp lệ."]}
        return api.create_response(request, body, status=422)
    if exc.status_code == 403 and "CSRF" in str(exc):
        message = "Thiếu hoặc sai mã CSRF: gửi header X-CSRFToken bằng giá trị cookie csrftoken."
        return api.create_response(request, {"detail": message}, status=403)
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(errors.ValidationError)
def invalid(request: HttpRequest, exc: errors.ValidationError) -> HttpResponse:
    located = [tuple(e.get("loc", ())) for e in exc.errors]
    if located and all(loc[:1] == ("path",) for loc in located):
        # /assessments/abc, an id past 2**63-1: no such object, as on the pages.
        return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)
    lines = [
        f"{'.'.join(str(p) for p in loc)}: {_message(e)}"
        for loc, e in zip(located, exc.errors, strict=True)
    ]
    return api.create_response(request, {"detail": INVALID, "errors": lines}, status=422)


def _message(error: Mapping[str, Any]) -> str:
    """pydantic's error in Vietnamese (its English message for a kind not listed)."""
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    kind = str(error.get("type", ""))
    messages = {
        "missing": "bắt buộc phải có.",
        "int_parsing": "cần một số nguyên.",
        "int_type": "cần một số nguyên.",
        "int_from_float": "cần một số nguyên.",
        "int_parsing_size": "số nguyên quá dài.",
        "greater_than_equal": f"phải lớn hơn hoặc bằng {ctx.get('ge')}.",
        "greater_than": f"phải lớn hơn {ctx.get('gt')}.",
        "less_than_equal": f"phải nhỏ hơn hoặc bằng {ctx.get('le')}.",
        "less_than": f"phải nhỏ hơn {ctx.get('lt')}.",
        "bool_parsing": "cần true hoặc false.",
        "bool_type": "cần true hoặc false.",
        "string_type": "cần một chuỗi ký tự.",
        "string_too_long": f"dài tối đa {ctx.get('max_length')} ký tự.",
        "string_pattern_mismatch": "chứa ký tự không được phép (NUL).",
        "model_attributes_type": "cần một đối tượng JSON.",
        "dict_type": "cần một đối tượng JSON.",
        "json_invalid": "không phải JSON hợp lệ.",
    }
    return messages.get(kind, str(error.get("msg", "")))


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    message = str(exc) or "Bạn không có quyền thực hiện thao tác này."
    return api.create_response(request, {"detail": message}, status=403)


def _register_routers() -> None:
    from parindex.assessments.api import router as assessments_router
    from parindex.results.api import router as published_router

    api.add_router("/", assessments_router)
    api.add_router("/published", published_router)


_register_routers()
