from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView

from parindex.accounts.views import admin_login
from parindex.api import api
from parindex.season import todo_views

admin.site.site_header = "parindex: Quản trị Chỉ số cải cách hành chính"
admin.site.site_title = "parindex"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    # Before the admin: its own sign-in would skip the second factor (accounts.views).
    path("quan-tri/login/", admin_login),
    # The admin's own password pages would bypass the audited service: use the account's.
    path(
        "quan-tri/password_change/",
        RedirectView.as_view(pattern_name="accounts:password_change", permanent=False),
    ),
    path("quan-tri/", admin.site.urls),
    # Browsers ask for /favicon.ico on every page; the static name is resolved per request
    # (the manifest of hashed names exists only after collectstatic).
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("img/favicon.ico"), permanent=False),
    ),
    path("tai-khoan/", include("parindex.accounts.urls")),
    path("bo-tieu-chi/", include("parindex.criteria.urls")),
    path("danh-gia/", include("parindex.assessments.urls")),
    path("tham-dinh/", include("parindex.assessments.appraisal_urls")),
    path("tham-dinh/", include("parindex.season.urls")),
    path("dieu-hanh/ky/", include("parindex.season.admin_urls")),
    path("tai-lieu/", include("parindex.evidence.urls")),
    path("viec-can-lam/", todo_views.todo, name="todo"),
    path("thong-bao/", include("parindex.notices.urls")),
    path("don-vi/phan-cong/", include("parindex.teams.urls")),
    path("khac-phuc/", include("parindex.remediation.urls")),
    path("khac-phuc/theo-doi/", include("parindex.remediation.oversight_urls")),
    path("khac-phuc/ky-truoc/", include("parindex.remediation.carryover_urls")),
    path("ke-hoach-cchc/", include("parindex.plans.urls")),
    path("nhat-ky/", include("parindex.audit.urls")),
    path("", include("parindex.documents.urls")),
    path("", include("parindex.surveys.urls")),
    path("api/", api.urls),
    path("cong-bo/", include("parindex.results.urls_opendata")),
    path("cong-bo/", include("parindex.results.urls_public")),
    path("ket-qua/lich-su/", include("parindex.results.urls_history")),
    path("ket-qua/", include("parindex.results.urls_manage")),
    path("ke-hoach/", include("parindex.results.urls_planner")),
    path("", include("parindex.results.urls")),
]
