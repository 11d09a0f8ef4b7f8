"""``reminders_send`` also leaves an in-app notice per person, in the same run as the
e-mails and just as once a day; a person without an e-mail address is still told."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Role
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    person,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.notices.models import Notice, NoticeKind
from parindex.periods.models import Period
from parindex.season.reminders import reminders_send

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _set(period: Period, **fields: datetime.datetime) -> None:
    Period.objects.filter(pk=period.pk).update(**fields)
    period.refresh_from_db()


def test_a_deadline_near_gives_a_notice_with_the_e_mail(season: Season) -> None:
    _set(season.period, self_assessment_deadline=timezone.now() + 3 * DAY)
    lines = reminders_send(days=3)
    assert len(lines) == 1 and len(mail.outbox) == 1
    [notice] = Notice.objects.all()
    assert notice.recipient == season.other_staff
    assert notice.kind == NoticeKind.DEADLINE_NEAR
    assert notice.text == "Còn 3 ngày đến hạn tự đánh giá – Năm 2024"
    assert notice.link == reverse("assessments:detail", args=[season.b.pk])
    # The same day: neither a second e-mail nor a second notice.
    assert reminders_send(days=3) == []
    assert Notice.objects.count() == 1 and len(mail.outbox) == 1


def test_a_person_without_an_address_is_told_in_the_app(season: Season) -> None:
    person("lanh.dao.b", Role.UNIT_LEADER, season.unit_b, email="")
    _set(season.period, self_assessment_deadline=timezone.now() + 3 * DAY)
    reminders_send(days=3)
    assert sorted(Notice.objects.values_list("recipient__username", flat=True)) == [
        "can.bo.b",
        "lanh.dao.b",
    ]
    [message] = mail.outbox
    assert message.to == ["can.bo.b@example.org"]
    event = AuditEvent.objects.get(action="reminder.sent")
    assert event.after is not None
    assert event.after["to"] == ["can.bo.b@example.org"]
    assert sorted(event.after["notices"]) == ["can.bo.b", "lanh.dao.b"]


def test_a_unit_whose_people_have_no_address_is_still_reminded(season: Season) -> None:
    type(season.other_staff).objects.filter(pk=season.other_staff.pk).update(email="")
    _set(season.period, self_assessment_deadline=timezone.now() + 3 * DAY)
    [line] = reminders_send(days=3)
    assert line.endswith("→ 1 người (thông báo trong phần mềm, không có e-mail)")
    assert mail.outbox == []
    assert Notice.objects.get().recipient == season.other_staff


def test_a_missed_deadline_notice(season: Season) -> None:
    _set(season.period, self_assessment_deadline=timezone.now() - DAY)
    reminders_send(days=3)
    [notice] = Notice.objects.all()
    assert notice.kind == NoticeKind.DEADLINE_MISSED
    assert notice.text == "Đã quá hạn tự đánh giá – Năm 2024"


def test_appraisers_get_a_notice_linking_their_queue(round_1: Season) -> None:
    _set(round_1.period, appraisal_1_deadline=timezone.now() + 3 * DAY)
    reminders_send(days=3)
    notices = {n.recipient.username: n for n in Notice.objects.select_related("recipient")}
    assert set(notices) == {"tham.dinh.1", "tham.dinh.2"}
    assert notices["tham.dinh.1"].link == reverse("appraisal:queue", args=[round_1.period.pk])
    assert notices["tham.dinh.1"].text == "Còn 3 ngày đến hạn thẩm định vòng 1 – Năm 2024"
