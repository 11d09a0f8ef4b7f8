"""What every season step checks first: who may move a period, the period locked in the
expected stage, and a deadline that makes sense."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parindex.accounts.models import User
from parindex.periods.models import (
    Period,
    PeriodStatus,
)
from parindex.periods.permissions import is_chair, periods_visible_to

MAX_DEADLINE_DAYS = 731
"""How far ahead a deadline (of a stage, or a unit's extension) may be set: about two
years. A season runs for months; a date further away is a typo (2099, 9999), and one near
the end of the calendar overflows the date arithmetic."""


def status_label(status: str) -> str:
    return str(PeriodStatus(status).label)


def check_actor(actor: User | None, period: Period) -> None:
    """A person who moves a period must chair it; None is the system (periodic job)."""
    if actor is None:
        return
    if not is_chair(actor) or not periods_visible_to(actor).filter(pk=period.pk).exists():
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị kỳ đánh giá được thực hiện.")


def lock_period(period: Period, expected: Iterable[str], step: str) -> Period:
    locked = Period.objects.select_for_update().get(pk=period.pk)
    allowed = tuple(expected)
    if locked.status not in allowed:
        wanted = ", ".join(f"“{status_label(s)}”" for s in allowed)
        raise ValidationError(
            f"Không thể {step}: kỳ đánh giá đang ở trạng thái “{status_label(locked.status)}” "
            f"(cần {wanted})."
        )
    return locked


def deadline_problem(
    deadline: datetime.datetime, now: datetime.datetime, *, what: str = "Thời hạn"
) -> str | None:
    """Why ``deadline`` cannot be set at ``now`` (None if it can): not after now, or more
    than :data:`MAX_DEADLINE_DAYS` days ahead. Compares the calendar year first, so a date
    near year 9999 never reaches the datetime arithmetic (which would overflow)."""
    shown = deadline.strftime("%d/%m/%Y %H:%M")
    latest = timezone.localdate(now) + datetime.timedelta(days=MAX_DEADLINE_DAYS)
    too_far = (
        f"{what} {shown} quá xa: chỉ đặt thời hạn trong vòng {MAX_DEADLINE_DAYS} ngày "
        f"(khoảng 2 năm) kể từ hôm nay, tức là đến hết ngày {latest:%d/%m/%Y}."
    )
    if deadline.year > latest.year:
        return too_far
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    if deadline <= now:
        return f"{what} phải sau thời điểm hiện tại."
    if timezone.localdate(deadline) > latest:
        return too_far
    return None


def set_deadline(
    locked: Period, field: str, deadline: datetime.datetime | None, now: datetime.datetime
) -> dict[str, str | None]:
    """Set ``field`` when a deadline is given (in the window of :func:`deadline_problem`);
    the audit diff."""
    before: datetime.datetime | None = getattr(locked, field)
    if deadline is None:
        return {}
    if (problem := deadline_problem(deadline, now)) is not None:
        raise ValidationError({"deadline": [problem]})
    if timezone.is_naive(deadline):
        deadline = timezone.make_aware(deadline)
    setattr(locked, field, deadline)
    locked.save(update_fields=[field])
    return {
        f"{field}_before": before.isoformat() if before else None,
        field: deadline.isoformat(),
    }
