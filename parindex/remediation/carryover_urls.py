"""The next round link (tài liệu của nhiệm vụ kỳ trước), mounted at /khac-phuc/ky-truoc/."""

from django.urls import URLPattern, URLResolver, path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.remediation import carryover_views

app_name = "carryover"

urlpatterns: list[URLPattern | URLResolver] = [
    path("noi-dung/<id:answer_id>/dinh-kem/", carryover_views.attach, name="attach"),
]
