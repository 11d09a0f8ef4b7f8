from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "parindex.teams"
    verbose_name = "Phân công trong đơn vị"
