from django.apps import AppConfig


class TeamsConfig(AppConfig):
    name = "parindex.teams"
    verbose_name = "Phân công trong đơn vị"

    def ready(self) -> None:
        from parindex.teams import signals  # noqa: F401 (connects the receivers)
