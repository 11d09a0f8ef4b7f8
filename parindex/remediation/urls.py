"""The remediation pages, mounted at /khac-phuc/ (namespace ``remediation``)."""

from django.urls import URLPattern, URLResolver, path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.remediation import views

app_name = "remediation"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.task_list, name="list"),
    path("danh-gia/<id:assessment_id>/", views.lost, name="lost"),
    path("nhiem-vu/<id:pk>/", views.task_detail, name="task"),
    path("nhiem-vu/<id:pk>/sua/", views.task_edit, name="edit"),
    path("nhiem-vu/<id:pk>/bat-dau/", views.start, name="start"),
    path("nhiem-vu/<id:pk>/hoan-thanh/", views.complete, name="complete"),
    path("nhiem-vu/<id:pk>/khong-thuc-hien/", views.drop, name="drop"),
    path("nhiem-vu/<id:pk>/mo-lai/", views.reopen, name="reopen"),
    path("nhiem-vu/<id:pk>/trao-doi/", views.comment, name="comment"),
    path("nhiem-vu/<id:pk>/tai-lieu/", views.evidence_add, name="evidence_add"),
    path("nhiem-vu/<id:pk>/tai-lieu/go/", views.evidence_remove, name="evidence_remove"),
]
