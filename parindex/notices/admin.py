from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parindex.notices.models import Notice


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    """Read-only: notices are written by the services (:mod:`parindex.notices.services`)."""

    list_display = ("created_at", "recipient", "kind", "text", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "recipient__full_name", "text")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
