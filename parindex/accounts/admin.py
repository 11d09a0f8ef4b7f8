from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex.accounts import services
from parindex.accounts.models import User
from parindex.accounts.requests import admin_actor
from parindex.core.converters import parse_id

_BEFORE = "_parindex_account_before"
"""Request attribute: the account as stored before the admin's save (for the audit)."""


# Authenticators change only through the audited services: the account's own page, or the
# action below for a lost phone (django_otp's own device pages would leave no trace).
if admin.site.is_registered(TOTPDevice):
    admin.site.unregister(TOTPDevice)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    """Every save, password change and deletion is audited through the accounts services
    (the changed field names with old and new values; a password change as an event of
    its own, never the hash)."""

    list_display = ("username", "full_name", "unit", "is_staff", "is_active")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit",)
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Đơn vị công tác", {"fields": ("full_name", "role", "unit")}),
    )

    actions = ("remove_second_factor",)

    @admin.action(
        description="Gỡ xác thực hai bước của các tài khoản đã chọn (mất thiết bị)",
        permissions=["change"],
    )
    def remove_second_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        actor = admin_actor(request)
        assert actor is not None, "the admin is behind sign-in"
        removed = 0
        for user in queryset:
            if services.has_totp(user):
                services.totp_disable(user=user, actor=actor, proof="quản trị viên gỡ")
                removed += 1
        self.message_user(
            request,
            f"Đã gỡ xác thực hai bước của {removed} tài khoản; họ cần cài lại ở lần đăng nhập tới"
            " nếu vai trò bắt buộc.",
        )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        setattr(request, _BEFORE, services.account_state(obj.pk) if change else None)
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.account_record_change(
            user=form.instance, actor=admin_actor(request), before=getattr(request, _BEFORE, None)
        )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        pk = unquote(id)
        before = services.account_state(number) if (number := parse_id(pk)) else None
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and before is not None:
                user = User.objects.filter(pk=int(pk)).first()
                if user is not None:
                    services.account_record_change(
                        user=user, actor=admin_actor(request), before=before
                    )
        return response

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        services.account_delete(user=obj, actor=admin_actor(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            services.account_delete(user=user, actor=admin_actor(request))
