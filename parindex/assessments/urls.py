from django.urls import path

from parindex.assessments import explanation_views, report_views, views
from parindex.core import converters  # noqa: F401  (registers <id:…>)

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("<id:pk>/", views.assessment_detail, name="detail"),
    path("<id:pk>/tong-hop/", views.assessment_summary, name="summary"),
    path("<id:pk>/gui/", views.assessment_submit, name="submit"),
    path("<id:pk>/rut/", views.assessment_withdraw, name="withdraw"),
    path("<id:pk>/lich-su.csv", views.history_csv, name="history_csv"),
    path("<id:pk>/ket-qua-tham-dinh/", views.assessment_appraisal, name="appraisal"),
    path("<id:pk>/ket-qua-tham-dinh.xlsx", views.assessment_appraisal_xlsx, name="appraisal_xlsx"),
    path("<id:pk>/bao-cao/", report_views.report, name="report"),
    path("<id:pk>/giai-trinh/", explanation_views.explanation, name="explanation"),
    path("<id:pk>/giai-trinh/gui/", explanation_views.explanation_send, name="explanation_send"),
    path(
        "<id:pk>/giai-trinh/rut-lai/",
        explanation_views.explanation_withdraw,
        name="explanation_withdraw",
    ),
    path(
        "<id:pk>/nhom/<id:node_id>/khong-ap-dung/",
        views.group_not_applicable,
        name="group_not_applicable",
    ),
    path("<id:pk>/tieu-chi/<id:node_id>/", views.item_detail, name="item"),
    path("<id:pk>/tieu-chi/<id:node_id>/luu/", views.item_save, name="item_save"),
    path("<id:pk>/tieu-chi/<id:node_id>/xem-diem/", views.item_preview, name="item_preview"),
    path("<id:pk>/muc/<id:answer_id>/lich-su/", views.item_history, name="item_history"),
]
