from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.results import decision_views, manage_views

app_name = "results_manage"
urlpatterns = [
    path("", manage_views.index, name="index"),
    path("<id:pk>/", manage_views.desk, name="desk"),
    path("<id:pk>/tien-do/", manage_views.progress, name="progress"),
    path("<id:pk>/tinh/", manage_views.compute, name="compute"),
    path("<id:pk>/cong-bo/", manage_views.publish, name="publish"),
    path("<id:pk>/huy-ban-nhap/", manage_views.discard, name="discard"),
    path("<id:pk>/nguoi-dung-dau/", manage_views.leader_rules, name="leader_rules"),
    path("<id:pk>/quyet-dinh/", decision_views.upload, name="decision_upload"),
    path("<id:pk>/quyet-dinh/go/", decision_views.remove, name="decision_remove"),
]
