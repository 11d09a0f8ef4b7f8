"""Open data downloads of published results (anonymous, read-only): see
:mod:`parindex.results.opendata`."""

from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.results import opendata

app_name = "opendata"
urlpatterns = [
    path("<id:pk>/du-lieu.json", opendata.version_json, name="version_json"),
    path(
        "<id:pk>/<slug:group_code>/bang-xep-hang.<str:fmt>",
        opendata.ranking,
        name="ranking",
    ),
    path(
        "<id:pk>/<slug:group_code>/diem-chi-tiet.<str:fmt>",
        opendata.points,
        name="points",
    ),
]
