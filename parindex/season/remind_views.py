"""The chair's "Nhắc các đơn vị chưa gửi" on the dashboard (POST only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from parindex.accounts.requests import request_user
from parindex.periods.permissions import get_period_for_chair
from parindex.season.reminders import remind_not_submitted


@login_required
@require_POST
def remind(request: HttpRequest, period_id: int) -> HttpResponse:
    """Remind every unit that has not sent its self-assessment (if as many as the
    confirmation showed: ``expected``); back to the dashboard."""
    period = get_period_for_chair(request.user, period_id)
    expected_text = request.POST.get("expected", "")
    expected = int(expected_text) if expected_text.isdigit() else None
    try:
        result = remind_not_submitted(period=period, actor=request_user(request), expected=expected)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, result.message)
    return redirect("season:dashboard", period_id=period.pk)
