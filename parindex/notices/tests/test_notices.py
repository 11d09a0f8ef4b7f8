"""Notices: :func:`notify`, marking read, the bell and the list page, and the notice sent
when items are returned for explanation."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.notices.models import Notice, NoticeKind
from parindex.notices.season import explanation_url, notify_explanation_requested
from parindex.notices.selectors import unread_count
from parindex.notices.services import notice_mark_read, notices_mark_all_read, notify
from parindex.season.stages import period_open_explanation

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]


def _tell(users: list[User], target: Any, text: str = "Có việc mới", link: str = "") -> None:
    notify(recipients=users, kind=NoticeKind.REMINDER, text=text, link=link, target=target)


def test_notify_stores_a_notice_per_active_person_and_mails_after_commit(
    unit_staff: User,
    unit_leader: User,
    other_staff: User,
    django_capture_on_commit_callbacks: Capture,
) -> None:
    unit_staff.email = "binh@example.org"
    unit_staff.save()
    other_staff.is_active = False
    other_staff.save()
    with django_capture_on_commit_callbacks(execute=True):
        notices = notify(
            recipients=[unit_staff, unit_leader, unit_staff, other_staff],
            kind=NoticeKind.REMINDER,
            text="Đề nghị gửi hồ sơ",
            link="/danh-gia/",
            subject="[Chỉ số CCHC] Nhắc việc",
            body="Kính gửi đơn vị",
            target=unit_staff.unit,  # type: ignore[arg-type]
        )
        assert mail.outbox == []  # only once committed
    assert sorted(n.recipient.username for n in notices) == ["chu.tich.xa", "nhap.lieu.xa"]
    [message] = mail.outbox  # the leader has no address
    assert message.to == ["binh@example.org"]
    assert message.subject == "[Chỉ số CCHC] Nhắc việc"
    assert message.body.startswith("Kính gửi đơn vị")
    event = AuditEvent.objects.get(action="notice.sent")
    assert event.after is not None
    assert sorted(event.after["recipients"]) == ["chu.tich.xa", "nhap.lieu.xa"]
    assert event.after["emails"] == ["binh@example.org"]
    assert unread_count(unit_staff) == 1 and unread_count(other_staff) == 0


def test_only_the_recipient_marks_read_once(unit_staff: User, unit_leader: User) -> None:
    _tell([unit_staff], unit_staff)
    notice = Notice.objects.get()
    with pytest.raises(PermissionDenied):
        notice_mark_read(notice=notice, actor=unit_leader)
    notice_mark_read(notice=notice, actor=unit_staff)
    first = notice.read_at
    assert first is not None
    notice_mark_read(notice=notice, actor=unit_staff)
    assert notice.read_at == first
    assert AuditEvent.objects.filter(action="notice.read").count() == 1
    assert unread_count(unit_staff) == 0


def test_mark_all_read(unit_staff: User, unit_leader: User) -> None:
    for i in range(3):
        _tell([unit_staff, unit_leader], unit_staff, text=f"Việc {i}")
    assert notices_mark_all_read(actor=unit_staff) == 3
    assert notices_mark_all_read(actor=unit_staff) == 0
    assert unread_count(unit_staff) == 0 and unread_count(unit_leader) == 3


def test_the_bell_shows_the_unread_count(unit_staff: User, unit_staff_client: Client) -> None:
    page = unit_staff_client.get("/viec-can-lam/").content.decode()
    assert 'id="chuong-thong-bao"' in page and 'id="so-thong-bao"' not in page
    _tell([unit_staff], unit_staff)
    _tell([unit_staff], unit_staff)
    page = unit_staff_client.get("/viec-can-lam/").content.decode()
    assert '<span class="badge rounded-pill text-bg-warning" id="so-thong-bao">2</span>' in page
    assert 'aria-label="Thông báo: 2 chưa đọc"' in page


def test_the_list_opens_a_notice_and_follows_its_link(
    unit_staff: User, unit_staff_client: Client
) -> None:
    _tell([unit_staff], unit_staff, text="Phiếu 2025 cần giải trình", link="/danh-gia/")
    notice = Notice.objects.get()
    page = unit_staff_client.get("/thong-bao/").content.decode()
    assert "Phiếu 2025 cần giải trình" in page
    assert "1 thông báo chưa đọc." in page
    response = unit_staff_client.post(f"/thong-bao/{notice.pk}/mo/")
    assert response.status_code == 302 and response["Location"] == "/danh-gia/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "Không có thông báo chưa đọc." in unit_staff_client.get("/thong-bao/").content.decode()


def test_an_external_link_is_not_followed(unit_staff: User, unit_staff_client: Client) -> None:
    _tell([unit_staff], unit_staff, link="https://example.com/")
    notice = Notice.objects.get()
    response = unit_staff_client.post(f"/thong-bao/{notice.pk}/mo/")
    assert response["Location"] == "/thong-bao/"


def test_someone_elses_notice_is_not_found(
    unit_staff: User, unit_leader_client: Client, anonymous_client: Client
) -> None:
    _tell([unit_staff], unit_staff)
    notice = Notice.objects.get()
    assert unit_leader_client.post(f"/thong-bao/{notice.pk}/mo/").status_code == 404
    assert unit_leader_client.get(f"/thong-bao/{notice.pk}/mo/").status_code == 405
    assert anonymous_client.get("/thong-bao/").status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is None


def test_read_all_from_the_page(unit_staff: User, unit_staff_client: Client) -> None:
    _tell([unit_staff], unit_staff)
    response = unit_staff_client.post("/thong-bao/doc-tat-ca/", follow=True)
    assert "Đã đánh dấu 1 thông báo là đã đọc." in response.content.decode()


def test_explanation_requested_tells_the_unit(
    round_1: Season, django_capture_on_commit_callbacks: Capture
) -> None:
    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value=True,
        comment="Cần bản ký số.",
        needs_explanation=True,
    )
    deadline = timezone.now() + datetime.timedelta(days=5)
    period_open_explanation(period=round_1.period, actor=round_1.chair, deadline=deadline)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notices = notify_explanation_requested(round_1.period, actor=round_1.chair)
    assert sorted(n.recipient.username for n in notices) == ["can.bo.a", "lanh.dao.a"]
    notice = notices[0]
    assert notice.kind == NoticeKind.EXPLANATION_REQUESTED
    assert notice.text.startswith("Năm 2024: tổ thẩm định yêu cầu giải trình 1 nội dung, hạn ")
    assert notice.link == explanation_url(round_1.a.pk)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "can.bo.a@example.org",
        "lanh.dao.a@example.org",
    ]
    assert mail.outbox[0].subject == "[Chỉ số CCHC] Yêu cầu giải trình – Năm 2024"
    page = client_for(round_1.unit_staff).get("/thong-bao/").content.decode()
    assert "yêu cầu giải trình 1 nội dung" in page
