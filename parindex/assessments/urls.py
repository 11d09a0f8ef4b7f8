from django.urls import path

from parindex.assessments import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/tong-hop/", views.assessment_summary, name="summary"),
    path("<int:pk>/gui/", views.assessment_submit, name="submit"),
    path("<int:pk>/rut/", views.assessment_withdraw, name="withdraw"),
    path("<int:pk>/lich-su.csv", views.history_csv, name="history_csv"),
    path("<int:pk>/tieu-chi/<int:node_id>/", views.item_detail, name="item"),
    path("<int:pk>/tieu-chi/<int:node_id>/luu/", views.item_save, name="item_save"),
    path("<int:pk>/tieu-chi/<int:node_id>/xem-diem/", views.item_preview, name="item_preview"),
    path("<int:pk>/muc/<int:answer_id>/lich-su/", views.item_history, name="item_history"),
]
