"""The CCHC plans in the admin site: read-only (every write goes through
:mod:`parindex.plans.services`, which audits it)."""

from django.contrib import admin

from parindex.core.admin_mixins import ReadOnlyMixin
from parindex.plans.models import PlanItem, ReformPlan


class PlanItemInline(ReadOnlyMixin, admin.TabularInline[PlanItem, ReformPlan]):
    model = PlanItem
    extra = 0
    fields = ("kind", "code", "title", "deadline", "lead", "done_on", "result_document")
    readonly_fields = fields


@admin.register(ReformPlan)
class ReformPlanAdmin(ReadOnlyMixin, admin.ModelAdmin[ReformPlan]):
    list_display = ("year", "unit", "number", "issued_on", "title")
    list_filter = ("year",)
    list_select_related = ("unit",)
    search_fields = ("unit__name", "number", "title")
    inlines = (PlanItemInline,)
