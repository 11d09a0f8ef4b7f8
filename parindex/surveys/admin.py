"""Admin of the survey, read-only: questionnaires are created with the default or cloned
(services, audited), forms arrive through the public page or an import, results come from
the computation (whose runs are listed too). The admin is for looking things up (search by
unit code or name, with or without diacritics, through the unit's folded name)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parindex.core.admin_mixins import FoldedSearchMixin, ReadOnlyMixin
from parindex.surveys.models import (
    Factor,
    ImportBatch,
    Question,
    Questionnaire,
    RespondentQuestion,
    ResponseExport,
    SamplePlan,
    SurveyComputation,
    SurveyResponse,
    SurveyResult,
)


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin[Any]):
    pass


class ReadOnlyInline(admin.TabularInline[Any, Any]):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class FactorInline(ReadOnlyInline):
    model = Factor
    fields = ("position", "code", "name", "weight")
    readonly_fields = fields


class RespondentQuestionInline(ReadOnlyInline):
    model = RespondentQuestion
    fields = ("position", "code", "text", "choices")
    readonly_fields = fields


@admin.register(Questionnaire)
class QuestionnaireAdmin(ReadOnlyAdmin):
    list_display = ("name", "period", "scale_min", "scale_max", "satisfied_at", "min_forms")
    list_filter = ("period",)
    inlines = (FactorInline, RespondentQuestionInline)


@admin.register(Question)
class QuestionAdmin(ReadOnlyAdmin):
    list_display = ("code", "text", "factor")
    list_filter = ("factor__questionnaire__period",)
    search_fields = ("code", "text")


class UnitFoldedSearch(FoldedSearchMixin):
    """Search by unit code, or by unit name without diacritics."""

    search_field_name = "unit__search_name"
    search_code_field = "unit__code"


@admin.register(SamplePlan)
class SamplePlanAdmin(ReadOnlyAdmin, UnitFoldedSearch):
    list_display = ("unit", "period", "surveyed", "target_forms", "channel", "tokens_required")
    list_filter = ("period", "surveyed", "channel")
    search_fields = ("unit__code",)


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ReadOnlyAdmin, UnitFoldedSearch):
    list_display = ("form_key", "unit", "period", "source", "channel", "collected_on")
    list_filter = ("period", "source", "channel")
    search_fields = ("unit__code",)
    list_select_related = ("unit", "period")
    show_full_result_count = False


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = (
        "file_name",
        "period",
        "status",
        "rows_total",
        "stored",
        "skipped",
        "created_at",
    )
    list_filter = ("period", "status")
    exclude = ("file",)


@admin.register(SurveyResult)
class SurveyResultAdmin(ReadOnlyAdmin, UnitFoldedSearch):
    list_display = ("unit", "period", "valid_forms", "index", "points", "too_few")
    list_filter = ("period", "too_few")
    search_fields = ("unit__code",)
    list_select_related = ("unit", "period")


@admin.register(SurveyComputation)
class SurveyComputationAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "status",
        "forms_done",
        "forms_total",
        "created_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("period", "status")
    list_select_related = ("period", "created_by")


@admin.register(ResponseExport)
class ResponseExportAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "status",
        "rows_done",
        "rows_total",
        "created_by",
        "created_at",
        "finished_at",
    )
    list_filter = ("period", "status")
    list_select_related = ("period", "created_by")
