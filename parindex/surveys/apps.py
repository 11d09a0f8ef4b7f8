from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "parindex.surveys"
    verbose_name = "Khảo sát sự hài lòng"
    default_auto_field = "django.db.models.BigAutoField"
