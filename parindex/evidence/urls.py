"""Evidence pages, mounted at /tai-lieu/."""

from django.urls import URLPattern, URLResolver, path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.evidence import views

app_name = "evidence"

urlpatterns: list[URLPattern | URLResolver] = [
    path("noi-dung/<id:answer_id>/", views.item, name="item"),
    path("noi-dung/<id:answer_id>/tai-len/", views.upload, name="upload"),
    path("noi-dung/<id:answer_id>/dung-lai/", views.attach, name="attach"),
    path("noi-dung/<id:answer_id>/dan-chieu/", views.cite, name="cite"),
    path("lien-ket/<id:link_id>/go/", views.detach, name="detach"),
    path("<id:pk>/tai-xuong/", views.download, name="download"),
    path("<id:pk>/xem/", views.preview, name="preview"),
    path("chung-thu/", views.trust_store, name="trust_store"),
    path("chung-thu/<id:pk>/trang-thai/", views.trust_anchor_toggle, name="trust_anchor_toggle"),
    path("chung-thu/kiem-tra-lai/", views.recheck, name="recheck"),
]
