"""The period admin with the season's next step as an action: it opens the step's
confirmation page (the same as the chair's dashboard button), which says what the step
does and to whom before it is run. The period app's admin knows nothing of the season;
this one extends it."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from parindex.periods.admin import PeriodAdmin
from parindex.periods.models import Period
from parindex.season.steps import next_step

admin.site.unregister(Period)


@admin.register(Period)
class SeasonPeriodAdmin(PeriodAdmin):
    actions = ("move_to_next_status",)

    def has_status_permission(self, request: HttpRequest) -> bool:
        """Who may run the status action: holders of the "change period" permission."""
        return bool(request.user.has_perm("periods.change_period"))

    @admin.action(description="Chuyển sang trạng thái kế tiếp", permissions=["status"])
    def move_to_next_status(
        self, request: HttpRequest, queryset: QuerySet[Period]
    ) -> HttpResponse | None:
        """The confirmation page of the period's next lifecycle step (one period at a time:
        each step's consequences are its own)."""
        periods = list(queryset[:2])
        if len(periods) != 1:
            self.message_user(
                request,
                "Chọn đúng một kỳ đánh giá: mỗi bước có trang xác nhận riêng.",
                messages.WARNING,
            )
            return None
        [period] = periods
        if next_step(period) is None:
            self.message_user(
                request,
                f"{period}: đã ở trạng thái cuối “{period.get_status_display()}”.",
                messages.WARNING,
            )
            return None
        return redirect("season:advance", period_id=period.pk)
