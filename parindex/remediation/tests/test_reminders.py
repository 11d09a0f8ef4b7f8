"""Reminders of remediation tasks, sent by ``parindex send_reminders`` with the season's:
before the due date and the day after, to the officer, else the section, else the leader;
at most once a day per task and kind."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.notices.models import Notice, NoticeKind
from parindex.remediation.models import RemediationTask
from parindex.remediation.services import task_complete, task_create
from parindex.season.reminders import reminders_send

from .conftest import Season, pdf

pytestmark = pytest.mark.django_db

DAYS = 3


def _due(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def _task(season: Season, leader: User, due_in: int, **extra: Any) -> RemediationTask:
    task = task_create(
        assessment=season.a,
        node=season.node("1.1"),
        action="Ban hành kế hoạch CCHC đúng hạn.",
        due_date=_due(max(due_in, 0)),
        actor=leader,
        **extra,
    )
    if due_in < 0:  # a due date already passed (the service refuses one at creation)
        RemediationTask.objects.filter(pk=task.pk).update(due_date=_due(due_in))
        task.refresh_from_db()
    return task


def _sent(task: RemediationTask) -> list[Any]:
    return list(
        AuditEvent.objects.filter(
            action="reminder.sent",
            target_type="remediation.remediationtask",
            target_id=str(task.pk),
        )
    )


@pytest.fixture
def staff_with_mail(unit_staff: User) -> User:
    User.objects.filter(pk=unit_staff.pk).update(email="binh@lientuyen.example.vn")
    unit_staff.refresh_from_db()
    return unit_staff


def test_the_officer_is_reminded_days_before_the_due_date(
    season: Season, unit_leader: User, staff_with_mail: User
) -> None:
    task = _task(season, unit_leader, DAYS, officer=staff_with_mail)
    mail.outbox.clear()
    lines = reminders_send(days=DAYS)
    assert any("nhiệm vụ khắc phục 1.1" in line for line in lines)
    [message] = [m for m in mail.outbox if "khắc phục" in m.subject]
    assert message.to == ["binh@lientuyen.example.vn"]
    assert f"Còn {DAYS} ngày đến hạn" in message.subject
    assert "Ban hành kế hoạch CCHC đúng hạn." in message.body
    notice = Notice.objects.get(recipient=staff_with_mail)
    assert notice.kind == NoticeKind.DEADLINE_NEAR
    assert notice.link == f"/khac-phuc/nhiem-vu/{task.pk}/"
    [event] = _sent(task)
    assert event.after["kind"] == "task_before"
    assert event.after["to"] == ["binh@lientuyen.example.vn"]


def test_the_day_after_the_due_date_an_open_task_is_reminded_as_missed(
    season: Season, unit_leader: User, staff_with_mail: User
) -> None:
    task = _task(season, unit_leader, -1, officer=staff_with_mail)
    mail.outbox.clear()
    reminders_send(days=DAYS)
    [message] = [m for m in mail.outbox if "khắc phục" in m.subject]
    assert "Đã quá hạn nhiệm vụ khắc phục 1.1" in message.subject
    assert Notice.objects.get(recipient=staff_with_mail).kind == NoticeKind.DEADLINE_MISSED
    assert _sent(task)[0].after["kind"] == "task_missed"


def test_at_most_once_a_day(season: Season, unit_leader: User, staff_with_mail: User) -> None:
    task = _task(season, unit_leader, DAYS, officer=staff_with_mail)
    reminders_send(days=DAYS)
    mail.outbox.clear()
    assert not [line for line in reminders_send(days=DAYS) if "khắc phục" in line]
    assert not mail.outbox
    assert len(_sent(task)) == 1
    # The next day the task is not DAYS days away any more: nothing either.
    tomorrow = timezone.now() + datetime.timedelta(days=1)
    assert not [line for line in reminders_send(days=DAYS, now=tomorrow) if "khắc phục" in line]


def test_other_days_and_closed_tasks_are_not_reminded(
    season: Season, unit_leader: User, staff_with_mail: User
) -> None:
    _task(season, unit_leader, DAYS + 1, officer=staff_with_mail)
    _task(season, unit_leader, -2, officer=staff_with_mail)
    done = _task(season, unit_leader, DAYS, officer=staff_with_mail)
    task_complete(task=done, result="Đã ban hành.", files=[pdf()], actor=unit_leader)
    mail.outbox.clear()
    assert not [line for line in reminders_send(days=DAYS) if "khắc phục" in line]
    assert not mail.outbox


def test_without_an_officer_the_sections_members_then_the_leader(
    season: Season, unit_leader: User, staff_with_mail: User
) -> None:
    User.objects.filter(pk=unit_leader.pk).update(email="cuong@lientuyen.example.vn")
    section_task = _task(season, unit_leader, DAYS, section=season.section)
    leader_task = _task(season, unit_leader, -1)
    mail.outbox.clear()
    reminders_send(days=DAYS)
    assert _sent(section_task)[0].after["to"] == ["binh@lientuyen.example.vn"]
    assert _sent(leader_task)[0].after["to"] == ["cuong@lientuyen.example.vn"]
    recipients = sorted(m.to[0] for m in mail.outbox if "khắc phục" in m.subject)
    assert recipients == ["binh@lientuyen.example.vn", "cuong@lientuyen.example.vn"]


def test_the_command_sends_them_with_its_default_days(
    season: Season, unit_leader: User, staff_with_mail: User
) -> None:
    _task(season, unit_leader, 3, officer=staff_with_mail)
    mail.outbox.clear()
    call_command("send_reminders")
    assert [m for m in mail.outbox if "Còn 3 ngày đến hạn nhiệm vụ khắc phục" in m.subject]
