from django.urls import URLPattern, URLResolver

app_name = "carryover"

urlpatterns: list[URLPattern | URLResolver] = []
