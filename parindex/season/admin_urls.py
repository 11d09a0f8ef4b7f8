"""Season administration under /dieu-hanh/ky/ (quản lý kỳ đánh giá)."""

from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.season import admin_views as views

app_name = "season_setup"

urlpatterns = [
    path("", views.period_list, name="list"),
    path("tao-moi/", views.period_create_view, name="create"),
    path("<id:period_id>/", views.period_detail, name="detail"),
    path("<id:period_id>/thoi-han/", views.deadlines, name="deadlines"),
    path("<id:period_id>/nhom/", views.bind, name="bind"),
    path("<id:period_id>/nhom/<id:group_id>/bo/", views.unbind, name="unbind"),
    path("<id:period_id>/phan-cong/moi/", views.assignment_edit, name="assignment_create"),
    path(
        "<id:period_id>/phan-cong/<id:assignment_id>/",
        views.assignment_edit,
        name="assignment_edit",
    ),
    path(
        "<id:period_id>/phan-cong/<id:assignment_id>/xoa/",
        views.assignment_remove,
        name="assignment_delete",
    ),
    path("<id:period_id>/chua-danh-gia/", views.excluded, name="excluded"),
]
