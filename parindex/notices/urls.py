from django.urls import path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<id:notice_id>/mo/", views.notice_open, name="open"),
    path("doc-tat-ca/", views.notice_read_all, name="read_all"),
]
