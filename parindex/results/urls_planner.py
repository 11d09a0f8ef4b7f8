from django.urls import path

from parindex.results import planner_views as views

app_name = "planner"
urlpatterns = [
    path("", views.home, name="index"),
    path("<int:pk>/", views.planner, name="planner"),
    path("<int:pk>/tinh/", views.compute, name="compute"),
    path("<int:pk>/cai-thien.csv", views.improvements_csv, name="improvements_csv"),
]
