from django.apps import AppConfig, apps

THIRD_PARTY_APP_NAMES = {
    "axes": "Chống dò mật khẩu",
    "django_tasks_database": "Tác vụ chạy nền",
}
"""The admin's names of the third-party apps it lists (their own are English and untranslated;
their model and field names are translated by ``core/locale/vi``)."""


class CoreConfig(AppConfig):
    name = "parindex.core"
    verbose_name = "Dùng chung"

    def ready(self) -> None:
        for label, name in THIRD_PARTY_APP_NAMES.items():
            if apps.is_installed(label) or label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
        _describe_third_party_columns()


def _describe_third_party_columns() -> None:
    """Vietnamese headers for the admin columns third-party apps compute without one (an
    admin display attribute: nothing a migration records)."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        if label == "axes.AccessAttempt" and hasattr(type(model_admin), "status"):
            type(model_admin).status.short_description = "Trạng thái"  # type: ignore[attr-defined]
            if hasattr(type(model_admin), "expiration"):
                type(model_admin).expiration.short_description = "Hết hạn lúc"  # type: ignore[attr-defined]
        if label == "django_tasks_database.DBTaskResult":
            prop = getattr(model, "task_name", None)
            if isinstance(prop, property) and prop.fget is not None:
                prop.fget.short_description = "Tên tác vụ"  # type: ignore[attr-defined]
