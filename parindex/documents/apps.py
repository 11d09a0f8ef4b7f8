from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "parindex.documents"
    verbose_name = "Văn bản"
