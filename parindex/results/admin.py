"""Admin of results, read-only: drafts are computed, versions published and corrected, and
the leader rating rules set through the services (audited) on the council's pages
(``/ket-qua/``). The admin is for looking things up: rows by unit code, or by name with or
without diacritics (the row's folded ``search_text``)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from parindex.core.admin_mixins import FoldedSearchMixin, ReadOnlyMixin
from parindex.results.models import LeaderRatingRule, ResultGroup, ResultRow, ResultVersion


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin[Any]):
    pass


@admin.register(ResultVersion)
class ResultVersionAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "number",
        "status",
        "source",
        "decision_number",
        "decision_date",
        "units_count",
        "computed_at",
        "published_at",
    )
    list_filter = ("status", "source", "period")
    list_select_related = ("period",)
    search_fields = ("decision_number", "period__name")


@admin.register(ResultGroup)
class ResultGroupAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "version", "units_count", "criteria_name")
    list_filter = ("version__period", "version__status")
    list_select_related = ("version", "version__period")
    search_fields = ("code", "name")
    exclude = ("document",)


@admin.register(ResultRow)
class ResultRowAdmin(ReadOnlyAdmin, FoldedSearchMixin):
    list_display = (
        "code",
        "name",
        "result_group",
        "rank",
        "index",
        "class_label",
        "leader_rating",
        "missing_count",
    )
    list_filter = ("version__period", "version__status")
    list_select_related = ("result_group", "result_group__version", "result_group__version__period")
    search_field_name = "search_text"
    search_fields = ("code",)
    show_full_result_count = False


@admin.register(LeaderRatingRule)
class LeaderRatingRuleAdmin(ReadOnlyAdmin):
    list_display = ("period", "position", "class_label", "rating", "field_min")
    list_filter = ("period",)
    list_select_related = ("period",)
