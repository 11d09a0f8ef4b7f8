"""The chair's "Nhắc các đơn vị chưa gửi": the service, its button and its confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.loader import render_to_string
from django.test import RequestFactory

from parindex.accounts.models import Role, User
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    person,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.notices.models import Notice, NoticeKind
from parindex.season.reminders import remind_not_submitted, remind_not_submitted_preview

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]
URL = "/tham-dinh/{}/dieu-hanh/nhac-don-vi/"


def test_reminds_each_unit_not_submitted(
    season: Season, django_capture_on_commit_callbacks: Capture
) -> None:
    # Unit A has submitted; unit B is in progress; the Sở Nội vụ has no unit account.
    with django_capture_on_commit_callbacks(execute=True):
        result = remind_not_submitted(period=season.period, actor=season.chair)
    assert (result.units, result.people, result.emails) == (1, 1, 1)
    assert result.unreachable == ["Sở Nội vụ"]
    assert result.message == (
        "Đã nhắc 1 đơn vị chưa gửi hồ sơ (1 người, 1 thư điện tử). 1 đơn vị chưa có tài "
        "khoản nên không nhắc được: Sở Nội vụ."
    )
    [notice] = Notice.objects.all()
    assert notice.recipient == season.other_staff
    assert notice.kind == NoticeKind.REMINDER
    assert notice.text.startswith("Năm 2024: đơn vị chưa gửi hồ sơ tự đánh giá, hạn ")
    assert notice.text.endswith("(còn 10 ngày).")
    [message] = mail.outbox
    assert message.to == ["can.bo.b@example.org"]
    assert message.subject == "[Chỉ số CCHC] Đề nghị gửi hồ sơ tự đánh giá – Năm 2024"
    assert "Kính gửi Sở Tài chính" in message.body
    event = AuditEvent.objects.get(action="reminder.not_submitted")
    assert event.actor == season.chair
    assert event.after is not None
    assert event.after["units"] == ["T-STC"] and event.after["unreachable"] == ["T-SNV"]


def test_refused_outside_self_assessment(round_1: Season) -> None:
    with pytest.raises(ValidationError) as exc:
        remind_not_submitted(period=round_1.period, actor=round_1.chair)
    assert "đang tự đánh giá" in exc.value.messages[0]
    assert "Thẩm định vòng 1" in exc.value.messages[0]
    assert not Notice.objects.exists()
    assert remind_not_submitted_preview(round_1.period).refusal


def test_only_the_chair_reminds(season: Season) -> None:
    for user in (season.appraiser, season.unit_leader):
        with pytest.raises(PermissionDenied):
            remind_not_submitted(period=season.period, actor=user)
    assert not Notice.objects.exists()


def test_the_button_reminds_and_says_how_many(season: Season) -> None:
    client = client_for(season.chair)
    response = client.post(URL.format(season.period.pk), follow=True)
    assert response.redirect_chain[0][0] == f"/tham-dinh/{season.period.pk}/dieu-hanh/"
    assert "Đã nhắc 1 đơn vị chưa gửi hồ sơ (1 người, 1 thư điện tử)." in (
        response.content.decode()
    )
    assert client.get(URL.format(season.period.pk)).status_code == 405


def test_the_button_refuses_when_the_count_changed(season: Season) -> None:
    client = client_for(season.chair)
    response = client.post(URL.format(season.period.pk), {"expected": "5"}, follow=True)
    assert "Số đơn vị cần nhắc đã thay đổi: nay là 1 đơn vị (trang đã hiện 5)." in (
        response.content.decode()
    )
    assert not Notice.objects.exists()
    client.post(URL.format(season.period.pk), {"expected": "1"})
    assert Notice.objects.count() == 1


def test_the_button_outside_the_stage_shows_the_reason(round_1: Season) -> None:
    response = client_for(round_1.chair).post(URL.format(round_1.period.pk), follow=True)
    assert "Chỉ nhắc các đơn vị chưa gửi hồ sơ khi kỳ đánh giá đang tự đánh giá" in (
        response.content.decode()
    )


def test_others_may_not_press_it(season: Season, observer: User) -> None:
    url = URL.format(season.period.pk)
    assert client_for(observer).post(url).status_code == 403
    assert client_for(season.appraiser).post(url).status_code == 403
    outsider = person("can.bo.khac", Role.UNIT_STAFF, season.office)
    assert client_for(outsider).post(url).status_code in (403, 404)
    assert not Notice.objects.exists()


def _partial(season: Season, user: User) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "season/_remind.html", {"period": season.period, "request": request}, request=request
    )


def test_the_partial_confirms_how_many_units(season: Season) -> None:
    person("lanh.dao.b", Role.UNIT_LEADER, season.unit_b)
    html = _partial(season, season.chair)
    assert "2 đơn vị chưa gửi hồ sơ; sẽ nhắc 1 đơn vị (2 người)" in html
    assert "1 đơn vị chưa có tài khoản nên không nhắc được." in html
    assert (
        "Sẽ gửi nhắc việc tới 1 đơn vị chưa gửi hồ sơ (2 người), trong phần mềm và qua e-mail."
    ) in html
    assert '<input type="hidden" name="expected" value="1">' in html
    assert "Gửi nhắc 1 đơn vị</button>" in html
    assert "data-confirm" not in html
    assert f'action="{URL.format(season.period.pk)}"' in html
    assert "Lần nhắc gần nhất" not in html
    remind_not_submitted(period=season.period, actor=season.chair)
    assert "Lần nhắc gần nhất" in _partial(season, season.chair)
    assert _partial(season, season.appraiser).strip() == ""


def test_the_partial_outside_the_stage(round_1: Season) -> None:
    html = _partial(round_1, round_1.chair)
    assert "Chỉ nhắc các đơn vị chưa gửi hồ sơ khi kỳ đánh giá đang tự đánh giá" in html
    assert "<form" not in html
