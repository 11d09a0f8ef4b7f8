"""``parindex enforce_deadlines`` and ``parindex send_reminders``."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from parindex.assessments.models import AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.periods.models import Period, PeriodStatus
from parindex.season.reminders import reminders_send
from parindex.season.stages import period_open_explanation

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _set(period: Period, **fields: datetime.datetime) -> None:
    Period.objects.filter(pk=period.pk).update(**fields)
    period.refresh_from_db()


def test_enforce_deadlines_command(season: Season) -> None:
    assert run("enforce_deadlines") == ""
    _set(season.period, self_assessment_deadline=timezone.now() - datetime.timedelta(minutes=5))
    output = run("enforce_deadlines")
    assert "hết hạn tự đánh giá" in output
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1
    assert season.b.status == AssessmentStatus.IN_APPRAISAL
    assert run("enforce_deadlines") == ""


def test_reminders_before_the_self_assessment_deadline_once_a_day(season: Season) -> None:
    _set(season.period, self_assessment_deadline=timezone.now() + 3 * DAY)
    output = run("send_reminders", "--days", "3")
    # Unit A submitted: only unit B (its one staff member) and Sở Nội vụ (nobody) are due.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[Chỉ số CCHC] Còn 3 ngày đến hạn tự đánh giá – Năm 2024"
    assert message.to == ["can.bo.b@example.org"]
    assert "Kính gửi Sở Tài chính" in message.body
    assert "Đã gửi 1 thư nhắc việc." in output
    event = AuditEvent.objects.get(action="reminder.sent")
    assert event.target_id == str(season.b.pk)

    run("send_reminders", "--days", "3")  # the same day: nothing again
    assert len(mail.outbox) == 1
    assert run("send_reminders", "--days", "2").endswith("Đã gửi 0 thư nhắc việc.\n")

    # The next day it is a different reminder day, but 2 days before is not 3 days before.
    assert reminders_send(days=3, now=timezone.now() + DAY) == []


def test_reminder_the_day_after_a_missed_deadline(season: Season) -> None:
    _set(season.period, self_assessment_deadline=timezone.now() - DAY)
    run("enforce_deadlines")
    lines = reminders_send(days=3)
    assert len(lines) == 1
    [message] = mail.outbox
    assert message.subject == "[Chỉ số CCHC] Đã quá hạn tự đánh giá – Năm 2024"
    assert "đã được khóa" in message.body
    assert reminders_send(days=3) == []


def test_appraiser_and_explanation_reminders(round_1: Season) -> None:
    _set(round_1.period, appraisal_1_deadline=timezone.now() + 3 * DAY)
    lines = reminders_send(days=3)
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects == ["[Chỉ số CCHC] Còn 3 ngày đến hạn thẩm định vòng 1 – Năm 2024"] * 2
    assert sorted(tuple(m.to) for m in mail.outbox) == [
        ("tham.dinh.1@example.org",),
        ("tham.dinh.2@example.org",),
    ]
    assert "3 nội dung" in next(m.body for m in mail.outbox if "tham.dinh.1" in m.to[0])
    assert len(lines) == 2

    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value=True,
        comment="Cần bản ký số.",
        needs_explanation=True,
    )
    period_open_explanation(
        period=round_1.period, actor=round_1.chair, deadline=timezone.now() + 3 * DAY
    )
    mail.outbox.clear()
    reminders_send(days=3)
    [message] = mail.outbox
    assert message.subject == "[Chỉ số CCHC] Còn 3 ngày đến hạn giải trình – Năm 2024"
    assert sorted(message.to) == ["can.bo.a@example.org", "lanh.dao.a@example.org"]
    assert "1 nội dung" in message.body


def test_send_reminders_refuses_zero_days(season: Season) -> None:
    with pytest.raises(CommandError):
        run("send_reminders", "--days", "0")
