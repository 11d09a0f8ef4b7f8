"""Admin for assessments: read-only. Scores are written only by
:mod:`parindex.assessments.services.final_scores`, which validates them with the scoring engine."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parindex.assessments.models import Assessment, ItemScore
from parindex.core.admin_mixins import ReadOnlyMixin


class ItemScoreInline(ReadOnlyMixin, admin.TabularInline[ItemScore, Assessment]):
    model = ItemScore
    fields = ("node", "value", "not_applicable")
    readonly_fields = fields
    extra = 0
    ordering = ("node__position",)

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("node")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyMixin, admin.ModelAdmin[Assessment]):
    list_display = (
        "unit",
        "period",
        "survey_points",
        "survey_not_applicable",
        "bonus",
        "penalty",
    )
    list_filter = ("period", "unit__group", "survey_not_applicable")
    list_select_related = ("unit", "period")
    search_fields = ("unit__name", "unit__code", "unit__search_name")
    fields = ("period", "unit", "survey_points", "survey_not_applicable", "bonus", "penalty")
    readonly_fields = fields
    inlines = (ItemScoreInline,)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_staff and super().has_view_permission(request, obj))
