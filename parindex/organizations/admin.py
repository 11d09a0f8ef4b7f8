"""Admin for units and unit groups. Every save and delete goes through the services, so the
same checks apply and an audit event is written."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from parindex.accounts.requests import admin_actor
from parindex.core.admin_mixins import FoldedSearchMixin
from parindex.organizations import services
from parindex.organizations.models import Unit, UnitGroup


@admin.register(UnitGroup)
class UnitGroupAdmin(FoldedSearchMixin, admin.ModelAdmin[UnitGroup]):
    list_display = ("name", "code", "level", "position")
    list_filter = ("level",)
    fields = ("code", "name", "level", "position")

    def save_model(
        self, request: HttpRequest, obj: UnitGroup, form: ModelForm[UnitGroup], change: bool
    ) -> None:
        values = {field: form.cleaned_data[field] for field in self.fields}
        if change:
            services.unit_group_update(group=obj, actor=admin_actor(request), **values)
        else:
            saved = services.unit_group_create(actor=admin_actor(request), **values)
            obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: UnitGroup) -> None:
        services.unit_groups_delete(groups=[obj], actor=admin_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[UnitGroup]) -> None:
        services.unit_groups_delete(groups=list(queryset), actor=admin_actor(request))


class UnitAdminForm(ModelForm[Unit]):
    """Checks the parent chain here so that the service never refuses a valid-looking form."""

    class Meta:
        model = Unit
        fields = services.UNIT_EDITABLE

    def clean_parent(self) -> Unit | None:
        parent: Unit | None = self.cleaned_data.get("parent")
        node = parent
        while node is not None and self.instance.pk is not None:
            if node.pk == self.instance.pk:
                raise ValidationError(
                    "Đơn vị cấp trên không được là chính đơn vị này hoặc đơn vị cấp dưới của nó."
                )
            node = node.parent
        return parent


@admin.register(Unit)
class UnitAdmin(FoldedSearchMixin, admin.ModelAdmin[Unit]):
    form = UnitAdminForm
    list_display = ("name", "code", "level", "group", "parent", "has_procedures", "is_active")
    list_filter = ("level", "group", "has_procedures", "is_active")
    list_select_related = ("group", "parent")
    autocomplete_fields = ("parent",)
    search_help_text = "Tìm theo tên (không cần dấu) hoặc mã đơn vị"
    fields = services.UNIT_EDITABLE

    def save_model(
        self, request: HttpRequest, obj: Unit, form: ModelForm[Unit], change: bool
    ) -> None:
        values: dict[str, Any] = {field: form.cleaned_data[field] for field in self.fields}
        if change:
            services.unit_update(unit=obj, actor=admin_actor(request), **values)
            return
        is_active = values.pop("is_active")
        saved = services.unit_create(actor=admin_actor(request), **values)
        if not is_active:
            services.unit_update(unit=saved, actor=admin_actor(request), is_active=False)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Unit) -> None:
        services.units_delete(units=[obj], actor=admin_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Unit]) -> None:
        services.units_delete(units=list(queryset), actor=admin_actor(request))
