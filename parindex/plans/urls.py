"""Kế hoạch CCHC (/ke-hoach-cchc/): the units' annual CCHC plans."""

from django.urls import URLPattern, URLResolver, path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.plans import use_views, views

app_name = "plans"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.index, name="index"),
    path("moi/", views.create, name="create"),
    path("mau-ke-hoach.xlsx", views.template, name="template"),
    path("<id:pk>/", views.detail, name="detail"),
    path("<id:pk>/sua/", views.edit, name="edit"),
    path("<id:pk>/them/", views.item_add, name="item_add"),
    path("<id:pk>/nhap/", views.import_items, name="import"),
    path("noi-dung/<id:pk>/sua/", views.item_edit, name="item_edit"),
    path("noi-dung/<id:pk>/xoa/", views.item_delete, name="item_delete"),
    path("noi-dung/<id:pk>/hoan-thanh/", views.item_done, name="item_done"),
    path("noi-dung/<id:pk>/bo-hoan-thanh/", views.item_undone, name="item_undone"),
    path("noi-dung/<id:pk>/kiem-chung/", views.evidence, name="evidence"),
    path("dung-gia-tri/<id:assessment_id>/", use_views.use_value, name="use_value"),
    path("bo-tieu-chi/<id:pk>/", use_views.set_criterion, name="set_criterion"),
]
