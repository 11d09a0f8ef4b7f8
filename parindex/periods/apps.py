from django.apps import AppConfig


class PeriodsConfig(AppConfig):
    name = "parindex.periods"
    verbose_name = "Kỳ đánh giá"
