"""The remediation tasks in the admin site: read-only (every write goes through
:mod:`parindex.remediation.services`, which audits it)."""

from django.contrib import admin

from parindex.core.admin_mixins import FoldedSearchMixin, ReadOnlyMixin
from parindex.remediation.models import RemediationTask, TaskComment


class TaskCommentInline(ReadOnlyMixin, admin.TabularInline[TaskComment, RemediationTask]):
    model = TaskComment
    extra = 0
    fields = ("at", "author", "text")
    readonly_fields = fields


@admin.register(RemediationTask)
class RemediationTaskAdmin(ReadOnlyMixin, FoldedSearchMixin):
    list_display = ("node_code", "unit", "period", "status", "officer", "section", "due_date")
    list_filter = ("status", "period")
    list_select_related = ("unit", "period", "officer", "section")
    search_field_name = "search_text"
    search_code_field = "node_code"
    search_fields = ("node_code",)
    date_hierarchy = "due_date"
    inlines = (TaskCommentInline,)
    readonly_fields = ("search_text",)
