"""Admin for periods: a read-only view with the group → criteria set bindings inline, and
appraiser assignments (which fields of which units each appraiser appraises).

Periods are created and moved between statuses only through :mod:`parindex.periods.services`
and :mod:`parindex.season` (audited), from the season administration pages
(:mod:`parindex.season.admin_views`, /dieu-hanh/ky/); :mod:`parindex.season.admin` adds the
next step of the season as an action that calls the service. Assignments saved or deleted
here are audited by the same services as those pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from parindex.accounts.requests import admin_actor
from parindex.periods.models import AppraiserAssignment, Period, PeriodGroup
from parindex.periods.services import assignment_delete, assignment_record_saved, assignment_state

_BEFORE = "_parindex_assignment_before"
"""Request attribute: the assignment as stored before the admin's save (for the audit)."""


class PeriodGroupInline(admin.TabularInline[PeriodGroup, Period]):
    model = PeriodGroup
    fields = ("group", "criteria_set")
    readonly_fields = ("group", "criteria_set")
    extra = 0
    can_delete = False
    verbose_name = "nhóm đơn vị và bộ tiêu chí"
    verbose_name_plural = "nhóm đơn vị và bộ tiêu chí chấm điểm"

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin[Period]):
    list_display = ("name", "jurisdiction", "year", "kind", "status", "previous")
    list_filter = ("status", "kind", "year")
    list_select_related = ("jurisdiction", "previous")
    search_fields = ("name", "jurisdiction__name", "jurisdiction__code")
    fields = (
        "name",
        "jurisdiction",
        "year",
        "kind",
        "status",
        "previous",
        "self_assessment_deadline",
        "appraisal_1_deadline",
        "explanation_deadline",
        "appraisal_2_deadline",
        "excluded_node_codes",
    )
    readonly_fields = fields
    inlines = (PeriodGroupInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AppraiserAssignment)
class AppraiserAssignmentAdmin(admin.ModelAdmin[AppraiserAssignment]):
    """Phân công thẩm định: an appraiser's fields (codes, empty = all) and units in a period."""

    list_display = ("appraiser", "period", "node_codes_text", "unit_count")
    list_filter = ("period",)
    list_select_related = ("appraiser", "period")
    search_fields = ("appraiser__username", "appraiser__full_name", "period__name")
    filter_horizontal = ("units",)
    fields = ("period", "appraiser", "node_codes", "units")

    def save_model(
        self, request: HttpRequest, obj: AppraiserAssignment, form: Any, change: bool
    ) -> None:
        before = None
        if change and obj.pk is not None:
            stored = AppraiserAssignment.objects.select_related("appraiser").get(pk=obj.pk)
            before = assignment_state(stored)
        setattr(request, _BEFORE, before)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        assignment_record_saved(
            assignment=form.instance,
            actor=admin_actor(request),
            before=getattr(request, _BEFORE, None),
        )

    def delete_queryset(
        self, request: HttpRequest, queryset: QuerySet[AppraiserAssignment]
    ) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    def delete_model(self, request: HttpRequest, obj: AppraiserAssignment) -> None:
        assignment_delete(assignment=obj, actor=admin_actor(request))

    @admin.display(description="lĩnh vực / tiêu chí")
    def node_codes_text(self, obj: AppraiserAssignment) -> str:
        return ", ".join(str(code) for code in obj.node_codes) or "Tất cả"

    @admin.display(description="số đơn vị")
    def unit_count(self, obj: AppraiserAssignment) -> int:
        return obj.units.count()
