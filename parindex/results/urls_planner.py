from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.results import planner_views as views

app_name = "planner"
urlpatterns = [
    path("", views.home, name="index"),
    path("<id:pk>/", views.planner, name="planner"),
    path("<id:pk>/tinh/", views.compute, name="compute"),
    path("<id:pk>/cai-thien.csv", views.improvements_csv, name="improvements_csv"),
]
