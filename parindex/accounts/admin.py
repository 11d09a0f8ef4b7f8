from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from parindex.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ("username", "full_name", "unit", "is_staff", "is_active")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Đơn vị công tác", {"fields": ("full_name", "unit")}),
    )
