"""Evidence pages, mounted at /tai-lieu/."""

from django.urls import URLPattern, URLResolver, path

from parindex.evidence import views

app_name = "evidence"

urlpatterns: list[URLPattern | URLResolver] = [
    path("noi-dung/<int:answer_id>/", views.item, name="item"),
    path("noi-dung/<int:answer_id>/tai-len/", views.upload, name="upload"),
    path("noi-dung/<int:answer_id>/dung-lai/", views.attach, name="attach"),
    path("noi-dung/<int:answer_id>/dan-chieu/", views.cite, name="cite"),
    path("lien-ket/<int:link_id>/go/", views.detach, name="detach"),
    path("<int:pk>/tai-xuong/", views.download, name="download"),
    path("chung-thu/", views.trust_store, name="trust_store"),
    path("chung-thu/<int:pk>/trang-thai/", views.trust_anchor_toggle, name="trust_anchor_toggle"),
    path("chung-thu/kiem-tra-lai/", views.recheck, name="recheck"),
]
