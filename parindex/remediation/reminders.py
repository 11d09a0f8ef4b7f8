"""Reminders of remediation tasks, sent with the season's by ``parindex send_reminders``
(:func:`parindex.season.reminders.reminders_send` calls :func:`task_reminders`): a task
still open ``days`` days before its due date and the day after it, to the officer given
the task, else the section's members, else the unit's leader; at most once a day per task
and kind (the ``reminder.sent`` audit events on the task say what was sent)."""

from __future__ import annotations

import datetime

from django.urls import reverse

from parindex.accounts.models import Role, User
from parindex.core.formatting import fmt_date
from parindex.remediation.models import RemediationTask
from parindex.season.reminders import SIGNATURE, SUBJECT_PREFIX, _Reminder

BEFORE = "task_before"
MISSED = "task_missed"
"""The reminders' kinds (``_missed`` makes the notice a "Đã quá hạn")."""


def task_recipients(task: RemediationTask) -> list[User]:
    """Who is reminded of ``task``: the officer (if active), else the active members of
    the section, else the unit's active leaders."""
    if task.officer is not None and task.officer.is_active:
        return [task.officer]
    if task.section is not None:
        members = list(task.section.members.filter(is_active=True).order_by("pk"))
        if members:
            return members
    return list(
        User.objects.filter(unit_id=task.unit_id, role=Role.UNIT_LEADER, is_active=True).order_by(
            "pk"
        )
    )


def _message(task: RemediationTask, days: int, kind: str) -> tuple[str, str]:
    who = f"Kính gửi {task.unit.name},\n\n"
    what = (
        f"Nhiệm vụ khắc phục tiêu chí {task.node_code} “{task.node.name}” (bị trừ "
        f"{format(task.points_lost, 'f').replace('.', ',')} điểm ở {task.period.name}): "
        f"{task.action}"
    )
    if kind == BEFORE:
        subject = (
            f"{SUBJECT_PREFIX}Còn {days} ngày đến hạn nhiệm vụ khắc phục {task.node_code} – "
            f"{task.unit.name}"
        )
        body = f"{who}{what}\n\nHạn hoàn thành: {fmt_date(task.due_date)} (còn {days} ngày)."
    else:
        subject = (
            f"{SUBJECT_PREFIX}Đã quá hạn nhiệm vụ khắc phục {task.node_code} – {task.unit.name}"
        )
        body = (
            f"{who}{what}\n\nHạn hoàn thành {fmt_date(task.due_date)} đã qua mà nhiệm vụ "
            "chưa hoàn thành. Đề nghị cập nhật kết quả và tài liệu kiểm chứng, hoặc báo "
            "lãnh đạo đơn vị để điều chỉnh hạn."
        )
    return subject, body + SIGNATURE


def task_reminders(today: datetime.date, days: int) -> list[_Reminder]:
    """The reminders due today: open tasks due in ``days`` days, and those due yesterday."""
    soon = today + datetime.timedelta(days=days)
    yesterday = today - datetime.timedelta(days=1)
    reminders: list[_Reminder] = []
    tasks = (
        RemediationTask.objects.still_open()
        .filter(due_date__in=[soon, yesterday])
        .select_related("period", "unit", "node", "officer", "section")
        .order_by("due_date", "pk")
    )
    for task in tasks:
        kind = BEFORE if task.due_date == soon else MISSED
        subject, body = _message(task, days, kind)
        link = reverse("remediation:task", args=[task.pk])
        reminders.append(_Reminder(task, kind, task_recipients(task), subject, body, link))
    return reminders
