"""The council's audit trail, mounted at /nhat-ky/."""

from django.urls import URLPattern, path

from parindex.audit import views

app_name = "audit"

urlpatterns: list[URLPattern] = [
    path("", views.audit_log, name="log"),
    path("tai-ve.csv", views.audit_log_csv, name="log_csv"),
    path("tai-ve.xlsx", views.audit_log_xlsx, name="log_xlsx"),
]
