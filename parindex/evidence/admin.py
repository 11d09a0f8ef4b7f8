"""Admin for evidence: files are read-only; trust anchors are added on the trust store page
and switched on/off by an action, both through :mod:`parindex.evidence.trust_store`."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html

from parindex.accounts.models import User
from parindex.evidence.models import Evidence, RevocationData, TrustAnchor
from parindex.evidence.trust_store import (
    trust_anchor_set_active,
    trust_anchors_for,
    trust_anchors_managed_by,
)
from parindex.organizations.jurisdiction import jurisdiction_of
from parindex.periods.permissions import is_chair


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin[Evidence]):
    list_display = (
        "original_name",
        "unit",
        "period",
        "signature_status",
        "signer",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("signature_status", "period")
    list_select_related = ("unit", "period", "uploaded_by")
    search_fields = ("original_name", "sha256", "unit__name", "unit__code", "signer")
    fields = (
        "original_name",
        "download",
        "period",
        "unit",
        "sha256",
        "size",
        "content_type",
        "uploaded_by",
        "uploaded_at",
        "signature_status",
        "signer",
        "signing_time",
        "checked_at",
        "signature_report",
    )
    readonly_fields = fields

    @admin.display(description="tải xuống")
    def download(self, obj: Evidence) -> str:
        return format_html(
            '<a href="{}">Tải xuống</a>', reverse("evidence:download", args=[obj.pk])
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TrustAnchor)
class TrustAnchorAdmin(admin.ModelAdmin[TrustAnchor]):
    list_display = (
        "name",
        "jurisdiction",
        "subject",
        "not_after",
        "is_active",
        "fingerprint",
        "added_at",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "subject", "fingerprint")
    fields = (
        "name",
        "jurisdiction",
        "subject",
        "fingerprint",
        "not_after",
        "is_active",
        "added_by",
        "added_at",
        "certificate",
    )
    readonly_fields = fields
    actions = ("activate", "deactivate")

    def get_queryset(self, request: HttpRequest) -> QuerySet[TrustAnchor]:
        """A chair sees the installation-wide anchors and their jurisdiction's only."""
        queryset = super().get_queryset(request).select_related("jurisdiction")
        if request.user.is_superuser:
            return queryset
        return queryset.filter(pk__in=trust_anchors_for(jurisdiction_of(request.user)).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_chair(request.user)

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        """Adding parses and audits through the service: the trust store page does it."""
        return HttpResponseRedirect(reverse("evidence:trust_store"))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_status_permission(self, request: HttpRequest) -> bool:
        return is_chair(request.user)

    @admin.action(description="Bật các chứng thư đã chọn", permissions=["status"])
    def activate(self, request: HttpRequest, queryset: QuerySet[TrustAnchor]) -> None:
        self._set_active(request, queryset, True)

    @admin.action(description="Tắt các chứng thư đã chọn", permissions=["status"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[TrustAnchor]) -> None:
        self._set_active(request, queryset, False)

    def _set_active(
        self, request: HttpRequest, queryset: QuerySet[TrustAnchor], active: bool
    ) -> None:
        actor = request.user if isinstance(request.user, User) else None
        queryset = queryset.filter(pk__in=trust_anchors_managed_by(actor).values("pk"))
        for anchor in queryset:
            trust_anchor_set_active(anchor=anchor, active=active, actor=actor)
        self.message_user(
            request,
            f"Đã {'bật' if active else 'tắt'} {queryset.count()} chứng thư. Vào “Kho chứng thư” "
            "và bấm “Kiểm tra lại toàn bộ tài liệu” để áp dụng cho tài liệu đã tải lên.",
            messages.SUCCESS,
        )


@admin.register(RevocationData)
class RevocationDataAdmin(admin.ModelAdmin[RevocationData]):
    """Read-only: the CRLs and OCSP answers the background checks fetched and relied on."""

    list_display = ("kind", "url", "issuer", "this_update", "next_update", "fetched_at")
    list_filter = ("kind",)
    search_fields = ("url", "issuer", "sha256")
    exclude = ("der",)
    readonly_fields = ("size",)

    @admin.display(description="dung lượng (byte)")
    def size(self, obj: RevocationData) -> int:
        return len(bytes(obj.der))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
