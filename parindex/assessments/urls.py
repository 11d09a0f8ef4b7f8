from django.urls import path

from parindex.assessments import views
from parindex.core import converters  # noqa: F401  (registers <id:…>)

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("<id:pk>/", views.assessment_detail, name="detail"),
    path("<id:pk>/tong-hop/", views.assessment_summary, name="summary"),
    path("<id:pk>/gui/", views.assessment_submit, name="submit"),
    path("<id:pk>/rut/", views.assessment_withdraw, name="withdraw"),
    path("<id:pk>/lich-su.csv", views.history_csv, name="history_csv"),
    path("<id:pk>/tieu-chi/<id:node_id>/", views.item_detail, name="item"),
    path("<id:pk>/tieu-chi/<id:node_id>/luu/", views.item_save, name="item_save"),
    path("<id:pk>/tieu-chi/<id:node_id>/xem-diem/", views.item_preview, name="item_preview"),
    path("<id:pk>/muc/<id:answer_id>/lich-su/", views.item_history, name="item_history"),
]
