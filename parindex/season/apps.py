from django.apps import AppConfig


class SeasonConfig(AppConfig):
    name = "parindex.season"
    verbose_name = "Mùa đánh giá"
