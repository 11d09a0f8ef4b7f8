from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.surveys import import_views, public_views, result_views, views

app_name = "surveys"

urlpatterns = [
    path("khao-sat/", views.index, name="index"),
    path("khao-sat/<id:pk>/", views.overview, name="overview"),
    path("khao-sat/<id:pk>/thiet-lap/", views.setup, name="setup"),
    path("khao-sat/<id:pk>/phieu-khao-sat/", views.questionnaire_edit, name="questionnaire"),
    path("khao-sat/<id:pk>/mot-phieu-mot-thiet-bi/", views.device_guard, name="device_guard"),
    path("khao-sat/<id:pk>/tinh-diem/", views.compute, name="compute"),
    path(
        "khao-sat/<id:pk>/tinh-diem/<id:computation_id>/",
        views.computation,
        name="computation",
    ),
    path("khao-sat/<id:pk>/nhap/", import_views.import_page, name="import"),
    path("khao-sat/<id:pk>/nhap/<id:batch_id>/", import_views.batch, name="batch"),
    path("khao-sat/<id:pk>/mau.<str:fmt>", import_views.template_download, name="template"),
    path("khao-sat/<id:pk>/ket-qua/", result_views.results, name="results"),
    path("khao-sat/<id:pk>/ket-qua/<id:unit_id>/", result_views.unit_result, name="unit"),
    path(
        "khao-sat/<id:pk>/phieu.<str:fmt>", result_views.export_responses, name="export_responses"
    ),
    path("khao-sat/<id:pk>/xuat-phieu/", result_views.response_exports, name="exports"),
    path(
        "khao-sat/<id:pk>/xuat-phieu/<id:export_id>/", result_views.response_export, name="export"
    ),
    path(
        "khao-sat/<id:pk>/xuat-phieu/<id:export_id>/tai-ve/",
        result_views.response_export_file,
        name="export_file",
    ),
    path("khao-sat/<id:pk>/ket-qua.<str:fmt>", result_views.export_results, name="export_results"),
    path("khao-sat/<id:pk>/qr/<id:plan_id>/", views.qr_sheet, name="qr"),
    path("khao-sat/<id:pk>/ke-hoach/<id:plan_id>/", views.plan_update, name="plan_update"),
    # Keys are secrets.token_urlsafe(): slugs (anything else, e.g. a NUL, is not found).
    path("phieu/<slug:key>/", public_views.public_form, name="public_form"),
    path("phieu/<slug:key>/qr.svg", public_views.public_qr, name="public_qr"),
]
