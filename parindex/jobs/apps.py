from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "parindex.jobs"
    verbose_name = "Máy chủ xử lý nền"
    default_auto_field = "django.db.models.BigAutoField"
