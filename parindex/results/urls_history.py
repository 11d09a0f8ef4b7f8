"""The council's import of results published in earlier years (chair only): see
:mod:`parindex.results.history_views`."""

from django.urls import path

from parindex.results import history_views

app_name = "results_history"
urlpatterns = [
    path("", history_views.upload, name="upload"),
    path("mau-ket-qua.xlsx", history_views.template, name="template"),
]
