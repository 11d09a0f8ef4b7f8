"""``{% earlier_tasks row %}``: on an item of the self-assessment screen, the unit's
remediation tasks on the same criterion code in earlier periods, with their evidence files
and a button "Đính kèm vào tiêu chí này" each (:mod:`parindex.remediation.carryover`).

The whole screen's tasks are read once, on its first item, and kept on the ``screen``
object of the context (two queries per screen, none per item); nothing is drawn for an
item without earlier tasks. ``task_badge`` is the Bootstrap badge class of a task status,
``task_points`` a task's points with two decimals.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from parindex.assessments.models import Assessment
from parindex.core.formatting import format_vn
from parindex.remediation.carryover import ScreenTasks, earlier_tasks_by_code, panel_context
from parindex.remediation.models import TaskStatus

register = template.Library()

CACHE_ATTRIBUTE = "_parindex_earlier_tasks"
BADGES: dict[str, str] = {
    TaskStatus.OPEN: "text-bg-secondary",
    TaskStatus.IN_PROGRESS: "text-bg-primary",
    TaskStatus.DONE: "text-bg-success",
    TaskStatus.DROPPED: "text-bg-light border",
}


@register.filter
def task_badge(status: str) -> str:
    """``{{ task.status|task_badge }}`` → a Bootstrap badge class."""
    return BADGES.get(status, "text-bg-secondary")


@register.filter
def task_points(value: Any) -> str:
    """Points of a task (stored with four places) with two: 4 → "4,00", 0.67 → "0,67"; a
    value with more places keeps them (never rounded here)."""
    if isinstance(value, Decimal) and value.is_finite():
        value = value.normalize()
    return format_vn(value, 2)


def _screen_tasks(screen: Any, assessment: Assessment) -> ScreenTasks:
    """The screen's earlier tasks, read on its first item and kept on it."""
    cached: ScreenTasks | None = getattr(screen, CACHE_ATTRIBUTE, None)
    if cached is None:
        rows = getattr(screen, "rows", None)
        codes = [r.node.code for r in rows] if rows is not None else None
        cached = ScreenTasks(earlier_tasks_by_code(assessment, codes))
        if screen is not None:
            setattr(screen, CACHE_ATTRIBUTE, cached)
    return cached


@register.inclusion_tag("remediation/carryover_panel.html", takes_context=True)
def earlier_tasks(context: template.Context, row: Any) -> dict[str, Any]:
    """The panel of ``row`` (a :class:`~parindex.assessments.selectors.screen.ScreenRow`)."""
    screen = context.get("screen")
    assessment = getattr(screen, "assessment", None) or context.get("assessment")
    if not isinstance(assessment, Assessment):
        return {"tasks": []}
    request = context.get("request")
    panel = panel_context(
        getattr(request, "user", None),
        assessment,
        row.node.code,
        row.answer,
        _screen_tasks(screen, assessment),
    )
    return {
        **panel,
        "pid": row.node.pk,
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }
