from django.apps import AppConfig


class RemediationConfig(AppConfig):
    name = "parindex.remediation"
    verbose_name = "Khắc phục điểm bị trừ"
