"""The JSON API (django-ninja). OpenAPI at /api/openapi.json, documentation at /api/docs.

Routers live in the apps (``<app>/api.py``) and call the same services and permission
chokepoints as the pages.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, errors

api = NinjaAPI(
    title="parindex API",
    version="1",
    description="API của parindex: đọc phiếu tự đánh giá và gửi điểm từng tiêu chí.",
    urls_namespace="api",
)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Không tìm thấy."}, status=404)


@api.exception_handler(errors.AuthenticationError)
def unauthenticated(request: HttpRequest, exc: errors.AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Cần đăng nhập."}, status=401)


@api.exception_handler(errors.ValidationError)
def invalid(request: HttpRequest, exc: errors.ValidationError) -> HttpResponse:
    lines = [
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors
    ]
    body = {"detail": "Dữ liệu gửi lên không đúng định dạng.", "errors": lines}
    return api.create_response(request, body, status=422)


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
