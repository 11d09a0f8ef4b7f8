"""Admin for criteria sets, in Vietnamese, with diacritic-insensitive search.

Validation choice: the admin never writes anything that affects numbers. The tree, maxima,
rules, rounding, survey, bonus/penalty caps and classification are read-only here; they are
changed by importing a workbook (XLSX) or JSON file on the import page (or by cloning), where
the scoring engine's parser validates the whole set before anything is stored. A partial edit
of one node in a form could never be checked against the rest of the tree, so it is not
offered. Only descriptive fields (name, period, decision, decision date, note) are editable,
and they are saved through :func:`~parindex.criteria.services.criteria_set_update_info`
(audited); deletion goes through :func:`~parindex.criteria.services.criteria_set_delete`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from parindex.core.admin_mixins import FoldedSearchMixin
from parindex.core.text import fold
from parindex.criteria.models import ClassificationBand, CriteriaSet, CriterionNode
from parindex.criteria.services import (
    criteria_set_clone,
    criteria_set_delete,
    criteria_set_update_info,
)
from parindex.engine import InputError

EDITABLE_FIELDS = ("name", "period_label", "decision", "decision_date", "note")
SCOPE_FIELDS = ("jurisdiction", "level", "year", "version")
SCORING_FIELDS = (
    "rounding_mode",
    "rounding_places",
    "index_rounding_mode",
    "index_rounding_places",
    "survey_max",
    "bonus_max",
    "penalty_max",
    "ties",
    "classification_otherwise",
)


class ClassificationBandInline(admin.TabularInline[ClassificationBand, CriteriaSet]):
    model = ClassificationBand
    fields = ("position", "label", "min_index", "min_exclusive", "field_min")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("position",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CriteriaSet)
class CriteriaSetAdmin(FoldedSearchMixin, admin.ModelAdmin[CriteriaSet]):
    list_display = ("name", "level", "year", "version", "decision", "files")
    list_filter = ("level", "year")
    list_select_related = ("jurisdiction",)
    search_fields = ("name",)
    search_help_text = "Tìm theo tên, số quyết định hoặc năm (không cần dấu)"
    inlines = (ClassificationBandInline,)
    actions = ("clone_to_next_year",)
    readonly_fields = (*SCOPE_FIELDS, *SCORING_FIELDS, "files", "created_at", "updated_at")
    fieldsets = (
        ("Thông tin (được sửa)", {"fields": EDITABLE_FIELDS}),
        ("Phạm vi áp dụng", {"fields": SCOPE_FIELDS}),
        (
            "Cách tính điểm (chỉ xem; muốn thay đổi hãy tải XLSX, sửa rồi nhập lại)",
            {"fields": SCORING_FIELDS},
        ),
        ("Tệp và cây tiêu chí", {"fields": ("files", "created_at", "updated_at")}),
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        if not fold(search_term):
            return queryset, False
        for word in fold(search_term).split():
            queryset = queryset.filter(search_name__contains=word)
        return queryset, False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # new sets come from the import page (validated by the engine)

    @admin.display(description="Tệp")
    def files(self, obj: CriteriaSet) -> str:
        if obj.pk is None:
            return "-"
        nodes = reverse("admin:criteria_criterionnode_changelist")
        return format_html(
            '<a href="{}">Xem cây tiêu chí</a> · <a href="{}">Tải XLSX</a> · '
            '<a href="{}">Tải JSON</a> · <a href="{}?criteria_set__id__exact={}">Các tiêu chí</a>',
            reverse("criteria:detail", kwargs={"pk": obj.pk}),
            reverse("criteria:export_xlsx", kwargs={"pk": obj.pk}),
            reverse("criteria:export_json", kwargs={"pk": obj.pk}),
            nodes,
            obj.pk,
        )

    def save_model(
        self, request: HttpRequest, obj: CriteriaSet, form: ModelForm[CriteriaSet], change: bool
    ) -> None:
        try:
            criteria_set_update_info(
                criteria_set=obj,
                actor=request.user,  # type: ignore[arg-type]
                **{key: form.cleaned_data[key] for key in EDITABLE_FIELDS},
            )
        except InputError as exc:
            self.message_user(request, "; ".join(exc.problems), messages.ERROR)

    def delete_model(self, request: HttpRequest, obj: CriteriaSet) -> None:
        try:
            criteria_set_delete(criteria_set=obj, actor=request.user)  # type: ignore[arg-type]
        except InputError as exc:
            self.message_user(request, f"{obj}: " + "; ".join(exc.problems), messages.ERROR)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CriteriaSet]) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    @admin.action(description="Sao chép sang năm sau", permissions=("change",))
    def clone_to_next_year(self, request: HttpRequest, queryset: QuerySet[CriteriaSet]) -> None:
        for source in queryset:
            try:
                clone = criteria_set_clone(
                    source=source,
                    year=source.year + 1,
                    actor=request.user,  # type: ignore[arg-type]
                )
            except InputError as exc:
                self.message_user(request, f"{source}: " + "; ".join(exc.problems), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"Đã sao chép «{source}» sang năm {clone.year} (phiên bản {clone.version}).",
                    messages.SUCCESS,
                )


@admin.register(CriterionNode)
class CriterionNodeAdmin(FoldedSearchMixin, admin.ModelAdmin[CriterionNode]):
    """View only: nodes change by importing the whole set again (see the module docstring)."""

    list_display = (
        "code",
        "short_name",
        "criteria_set",
        "max_points",
        "rule_type",
        "allow_not_applicable",
    )
    list_filter = ("rule_type", "allow_not_applicable", "criteria_set")
    list_select_related = ("criteria_set",)
    search_help_text = "Tìm theo mã hoặc nội dung tiêu chí (không cần dấu)"
    ordering = ("criteria_set", "position")

    @admin.display(description="nội dung tiêu chí")
    def short_name(self, obj: CriterionNode) -> str:
        return obj.name if len(obj.name) <= 120 else obj.name[:117] + "..."

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
