from django.contrib import admin
from django.urls import include, path

from parindex.api import api

admin.site.site_header = "parindex: Quản trị Chỉ số cải cách hành chính"
admin.site.site_title = "parindex"
admin.site.index_title = "Quản trị hệ thống"

urlpatterns = [
    path("quan-tri/", admin.site.urls),
    path("tai-khoan/", include("parindex.accounts.urls")),
    path("bo-tieu-chi/", include("parindex.criteria.urls")),
    path("danh-gia/", include("parindex.assessments.urls")),
    path("tham-dinh/", include("parindex.assessments.appraisal_urls")),
    path("tai-lieu/", include("parindex.evidence.urls")),
    path("", include("parindex.surveys.urls")),
    path("api/", api.urls),
    path("cong-bo/", include("parindex.results.urls_opendata")),
    path("cong-bo/", include("parindex.results.urls_public")),
    path("ket-qua/lich-su/", include("parindex.results.urls_history")),
    path("ket-qua/", include("parindex.results.urls_manage")),
    path("ke-hoach/", include("parindex.results.urls_planner")),
    path("", include("parindex.results.urls")),
]
