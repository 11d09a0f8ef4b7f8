from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.results import views

app_name = "results"
urlpatterns = [
    path("", views.home, name="home"),
    path("ky-danh-gia/<id:pk>/", views.period_detail, name="period"),
    path("ky-danh-gia/<id:pk>/<slug:group_code>/", views.period_group, name="period_group"),
    path(
        "ky-danh-gia/<id:pk>/<slug:group_code>/tep-danh-gia.json",
        views.period_export,
        name="period_export",
    ),
    path(
        "ky-danh-gia/<id:pk>/<slug:group_code>/don-vi/<str:unit_code>/",
        views.unit_detail,
        name="unit_detail",
    ),
]
