from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parindex.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail is append-only."""

    list_display = ("at", "actor_username", "action", "target_type", "target_id", "summary")
    list_filter = ("action", "target_type")
    search_fields = ("actor_username", "action", "summary", "target_id")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
