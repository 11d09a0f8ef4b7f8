"""Thẩm định (/tham-dinh/): queues, items, the units' explanations (the chair's dashboard is
:mod:`parindex.season.urls`)."""

from django.urls import path

from parindex.assessments import appraisal_views as views
from parindex.assessments import report_views
from parindex.core import converters  # noqa: F401  (registers <id:…>)

app_name = "appraisal"

urlpatterns = [
    path("", views.home, name="home"),
    path("<id:period_id>/", views.queue, name="queue"),
    path("<id:period_id>/chap-nhan-tu-cham/", views.accept_self, name="accept_self"),
    path("<id:period_id>/kien-nghi/", report_views.proposals, name="proposals"),
    path("<id:period_id>/kien-nghi.xlsx", report_views.proposals_export, name="proposals_xlsx"),
    path("muc/<id:answer_id>/", views.item, name="item"),
    path("muc/<id:answer_id>/xem-diem/", views.preview, name="preview"),
    path("giai-trinh/<id:assessment_id>/", views.explanation, name="explanation"),
]
