"""``{% load notices %}``: the bell's unread count (base.html) and the chair's reminder
partial (season/_remind.html)."""

from __future__ import annotations

from typing import Any

from django import template

from parindex.notices.selectors import unread_count

register = template.Library()


@register.simple_tag
def unread_notices(user: Any) -> int:
    """How many unread notices the signed-in ``user`` has (one query; 0 for visitors)."""
    return unread_count(user)


@register.simple_tag
def remind_preview(period: Any) -> Any:
    """What "Nhắc các đơn vị chưa gửi" would do now in ``period``
    (:func:`parindex.season.reminders.remind_not_submitted_preview`)."""
    from parindex.season.reminders import remind_not_submitted_preview

    return remind_not_submitted_preview(period)
