from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "parindex.notices"
    verbose_name = "Thông báo"
