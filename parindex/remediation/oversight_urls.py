"""The oversight of remediation tasks, mounted at /khac-phuc/theo-doi/."""

from django.urls import URLPattern, URLResolver, path

from parindex.core import converters  # noqa: F401  (registers <id:…>)
from parindex.remediation import oversight_views

app_name = "oversight"

urlpatterns: list[URLPattern | URLResolver] = [
    path("<id:period_id>/", oversight_views.period_tasks, name="period"),
    path("<id:period_id>.xlsx", oversight_views.period_tasks_xlsx, name="period_xlsx"),
]
