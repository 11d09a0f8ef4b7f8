from django.urls import URLPattern, URLResolver, path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.teams import views

app_name = "teams"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("<id:unit_id>/", views.unit_page, name="unit"),
    path("<id:unit_id>/bo-phan/them/", views.section_create, name="section_create"),
    path("<id:unit_id>/bo-phan/<id:pk>/sua/", views.section_update, name="section_update"),
    path("<id:unit_id>/bo-phan/<id:pk>/xoa/", views.section_delete, name="section_delete"),
    path("<id:unit_id>/noi-dung/", views.assignment_save, name="assignment_save"),
]
