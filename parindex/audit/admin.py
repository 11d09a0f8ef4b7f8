from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parindex.audit.actions import ACTIONS, action_label
from parindex.audit.models import AuditEvent


class ActionFilter(admin.SimpleListFilter):
    """The actions by their Vietnamese names (the column holds the codes)."""

    title = "hành động"
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return sorted(ACTIONS.items(), key=lambda item: item[1])

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        return queryset.filter(action=value) if value else queryset


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """Read-only: the audit trail is append-only."""

    list_display = ("at", "actor_username", "action_name", "target_type", "target_id", "summary")
    list_filter = (ActionFilter, "target_type")
    search_fields = ("actor_username", "action", "summary", "target_id")
    date_hierarchy = "at"

    @admin.display(description="hành động", ordering="action")
    def action_name(self, obj: AuditEvent) -> str:
        return action_label(obj.action)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
