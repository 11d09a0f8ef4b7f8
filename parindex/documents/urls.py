from django.urls import path

from parindex.documents import template_views, views

app_name = "documents"

urlpatterns = [
    path("van-ban/danh-gia/<int:assessment_id>/", views.unit, name="unit"),
    path("van-ban/ky/<int:period_id>/", views.period, name="period"),
    path("van-ban/ky/<int:period_id>/noi-dung/<slug:kind>/", views.texts, name="texts"),
    path("van-ban/<int:document_id>/trang-thai/", views.status, name="status"),
    path("van-ban/<int:document_id>/tai-ve/", views.download, name="download"),
    path(
        "cong-bo/<int:period_id>/van-ban/<int:document_id>/",
        views.public_download,
        name="public_download",
    ),
    path("van-ban/mau/", template_views.templates, name="templates"),
    path("van-ban/mau/dat-lai/", template_views.reset, name="template_reset"),
    path("van-ban/mau/<int:pk>/tai-ve/", template_views.download, name="template_download"),
    path("van-ban/mau/mac-dinh/<slug:kind>.docx", template_views.builtin, name="template_builtin"),
]
