from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "parindex.audit"
    verbose_name = "Nhật ký"
