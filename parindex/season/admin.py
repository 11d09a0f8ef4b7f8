"""The period admin with the season's next step as an action (the same service as the chair's
dashboard button). The period app's admin knows nothing of the season; this one extends it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from parindex.accounts.models import User
from parindex.periods.admin import PeriodAdmin
from parindex.periods.models import Period, PeriodStatus
from parindex.season.steps import next_step, period_advance

admin.site.unregister(Period)


@admin.register(Period)
class SeasonPeriodAdmin(PeriodAdmin):
    actions = ("move_to_next_status",)

    def has_status_permission(self, request: HttpRequest) -> bool:
        """Who may run the status action: holders of the "change period" permission."""
        return bool(request.user.has_perm("periods.change_period"))

    @admin.action(description="Chuyển sang trạng thái kế tiếp", permissions=["status"])
    def move_to_next_status(self, request: HttpRequest, queryset: QuerySet[Period]) -> None:
        """The period's next lifecycle step (the same as the chair's dashboard button)."""
        actor = request.user if isinstance(request.user, User) else None
        for period in queryset:
            step = next_step(period)
            if step is None:
                self.message_user(
                    request,
                    f"{period}: đã ở trạng thái cuối “{period.get_status_display()}”.",
                    messages.WARNING,
                )
                continue
            try:
                moved = period_advance(period=period, actor=actor)
            except (ValidationError, PermissionDenied) as exc:
                text = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                self.message_user(request, f"{period}: {text}", messages.ERROR)
                continue
            self.message_user(
                request,
                f"{period}: {step.label.lower()}, đã chuyển sang "
                f"“{PeriodStatus(moved.status).label}”.",
                messages.SUCCESS,
            )
