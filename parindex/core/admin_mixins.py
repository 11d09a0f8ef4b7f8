"""Admin helpers shared by the apps."""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from parindex.core.text import fold


class FoldedSearchMixin(admin.ModelAdmin[Any]):
    """Diacritic-insensitive admin search over a stored folded column.

    "cai cach" finds "Cải cách": the query is folded the same way as ``search_field_name``.
    """

    search_field_name = "search_name"
    search_code_field = "code"
    search_fields = ("code",)

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        folded = fold(search_term)
        if not folded:
            return queryset, False
        by_code = queryset.filter(**{f"{self.search_code_field}__icontains": search_term.strip()})
        by_name = queryset
        for word in folded.split():
            by_name = by_name.filter(**{f"{self.search_field_name}__contains": word})
        return (by_code | by_name).distinct(), False


def model_verbose(model: type[Model]) -> str:
    return str(model._meta.verbose_name)


class ReadOnlyMixin:
    """An admin (or inline) that shows and never writes: writes go through services."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
