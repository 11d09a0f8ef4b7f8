"""The chair's dashboard under /tham-dinh/<kỳ>/dieu-hanh/ (beside the appraisal pages)."""

from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.season import remind_views, views

app_name = "season"

urlpatterns = [
    path("<id:period_id>/dieu-hanh/", views.dashboard, name="dashboard"),
    path("<id:period_id>/dieu-hanh/chuyen-buoc/", views.advance, name="advance"),
    path("<id:period_id>/dieu-hanh/gia-han/", views.extend, name="extend"),
    path("<id:period_id>/dieu-hanh/nhac-don-vi/", remind_views.remind, name="remind"),
]
