from django.urls import path

from parindex.results import manage_views

app_name = "results_manage"
urlpatterns = [
    path("", manage_views.index, name="index"),
    path("<int:pk>/", manage_views.desk, name="desk"),
    path("<int:pk>/tien-do/", manage_views.progress, name="progress"),
    path("<int:pk>/tinh/", manage_views.compute, name="compute"),
    path("<int:pk>/cong-bo/", manage_views.publish, name="publish"),
    path("<int:pk>/huy-ban-nhap/", manage_views.discard, name="discard"),
    path("<int:pk>/nguoi-dung-dau/", manage_views.leader_rules, name="leader_rules"),
]
