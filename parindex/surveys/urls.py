from django.urls import path

from parindex.surveys import views

app_name = "surveys"

urlpatterns = [
    path("khao-sat/", views.index, name="index"),
    path("khao-sat/<int:pk>/", views.overview, name="overview"),
    path("khao-sat/<int:pk>/thiet-lap/", views.setup, name="setup"),
    path("khao-sat/<int:pk>/phieu-khao-sat/", views.questionnaire_edit, name="questionnaire"),
    path("khao-sat/<int:pk>/tinh-diem/", views.compute, name="compute"),
    path(
        "khao-sat/<int:pk>/tinh-diem/<int:computation_id>/",
        views.computation,
        name="computation",
    ),
    path("khao-sat/<int:pk>/nhap/", views.import_page, name="import"),
    path("khao-sat/<int:pk>/nhap/<int:batch_id>/", views.batch, name="batch"),
    path("khao-sat/<int:pk>/mau.<str:fmt>", views.template_download, name="template"),
    path("khao-sat/<int:pk>/ket-qua/", views.results, name="results"),
    path("khao-sat/<int:pk>/ket-qua/<int:unit_id>/", views.unit_result, name="unit"),
    path("khao-sat/<int:pk>/phieu.<str:fmt>", views.export_responses, name="export_responses"),
    path("khao-sat/<int:pk>/ket-qua.<str:fmt>", views.export_results, name="export_results"),
    path("khao-sat/<int:pk>/qr/<int:plan_id>/", views.qr_sheet, name="qr"),
    path("khao-sat/<int:pk>/ke-hoach/<int:plan_id>/", views.plan_update, name="plan_update"),
    path("phieu/<str:key>/", views.public_form, name="public_form"),
    path("phieu/<str:key>/qr.svg", views.public_qr, name="public_qr"),
]
