from django.urls import URLPattern, URLResolver

app_name = "remediation"

urlpatterns: list[URLPattern | URLResolver] = []
