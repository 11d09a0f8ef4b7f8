from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.criteria import views

app_name = "criteria"
urlpatterns = [
    path("", views.criteria_set_list, name="list"),
    path("nhap/", views.criteria_set_import, name="import"),
    path("mau-trong.xlsx", views.blank_template, name="template"),
    path("<id:pk>/", views.criteria_set_detail, name="detail"),
    path("<id:pk>/tai-xuong.xlsx", views.criteria_set_export_xlsx, name="export_xlsx"),
    path("<id:pk>/tai-xuong.json", views.criteria_set_export_json, name="export_json"),
    path("<id:pk>/sao-chep/", views.criteria_set_clone_view, name="clone"),
    path("<id:pk>/chia-se/", views.criteria_set_share_view, name="share"),
    path("<id:pk>/luu-tru/", views.criteria_set_archive_view, name="archive"),
]
