"""What the to-do page (:mod:`parindex.season.todo`) shows of every context: a deadline as
one person meets it, a link, a period's title."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from parindex.core.formatting import fmt_datetime
from parindex.periods.models import Period, PeriodKind
from parindex.periods.selectors import days_left

ANSWERED = Q(self_value__isnull=False) | Q(self_not_applicable=True)
ASKED = Q(needs_explanation=True, appraisal_round__gte=1)


@dataclass(frozen=True)
class Deadline:
    """A deadline as one person meets it."""

    label: str
    at: datetime.datetime
    days_left: int
    extended: bool = False

    @property
    def passed(self) -> bool:
        return timezone.now() > self.at

    @property
    def left_text(self) -> str:
        """ "còn 14 ngày", "hết hạn hôm nay", "đã quá hạn 2 ngày"."""
        if self.passed:
            late = max(-self.days_left, 0)
            return f"đã quá hạn {late} ngày" if late else "đã quá hạn"
        if self.days_left <= 0:
            return "hết hạn hôm nay"
        return f"còn {self.days_left} ngày"

    @property
    def text(self) -> str:
        """ "Hạn tự đánh giá 17:00 17/12/2025 (đã gia hạn)"."""
        extended = " (đã gia hạn)" if self.extended else ""
        return f"{self.label} {fmt_datetime(self.at)}{extended}"


def deadline_for(
    label: str, at: datetime.datetime | None, now: datetime.datetime | None, *, extended: bool
) -> Deadline | None:
    left = days_left(at, now)
    if at is None or left is None:
        return None
    return Deadline(label, at, left, extended)


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    primary: bool = False


def period_title(period: Period) -> str:
    """ "Phiếu 2025" for a year's period, "Phiếu <name>" for a 6-month one."""
    return f"Phiếu {period.year}" if period.kind == PeriodKind.ANNUAL else f"Phiếu {period.name}"
