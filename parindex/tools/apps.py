from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "parindex.tools"
    verbose_name = "Công cụ: dữ liệu mẫu, đo hiệu năng"
