"""Public results pages under ``/cong-bo/``: published versions only, no login."""

from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.results import decision_views, public_views

app_name = "public"
urlpatterns = [
    path("", public_views.home, name="home"),
    path("<id:pk>/", public_views.period, name="period"),
    path("<id:pk>/quyet-dinh.pdf", decision_views.download, name="decision"),
    path("<id:pk>/<slug:group_code>/", public_views.ranking, name="ranking"),
    path(
        "<id:pk>/<slug:group_code>/don-vi/<str:unit_code>/",
        public_views.unit,
        name="unit",
    ),
]
