from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "parindex.plans"
    verbose_name = "Kế hoạch cải cách hành chính"
