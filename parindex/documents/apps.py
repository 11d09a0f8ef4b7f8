from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "parindex.documents"
    verbose_name = "Văn bản"

    def ready(self) -> None:
        from parindex.documents import signals  # noqa: F401 (connects the receivers)
