"""Thẩm định (/tham-dinh/): queues, items, the units' explanations, the chair's dashboard."""

from django.urls import path

from parindex.assessments import appraisal_views as views

app_name = "appraisal"

urlpatterns = [
    path("", views.home, name="home"),
    path("<int:period_id>/", views.queue, name="queue"),
    path("<int:period_id>/chap-nhan-tu-cham/", views.accept_self, name="accept_self"),
    path("<int:period_id>/dieu-hanh/", views.dashboard, name="dashboard"),
    path("<int:period_id>/dieu-hanh/chuyen-buoc/", views.advance, name="advance"),
    path("<int:period_id>/dieu-hanh/gia-han/", views.extend, name="extend"),
    path("muc/<int:answer_id>/", views.item, name="item"),
    path("muc/<int:answer_id>/xem-diem/", views.preview, name="preview"),
    path("giai-trinh/<int:assessment_id>/", views.explanation, name="explanation"),
]
