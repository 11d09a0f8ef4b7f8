from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "parindex.organizations"
    verbose_name = "Đơn vị"
