"""Discarding the draft ("Huỷ bản nháp") goes through a confirmation page
(/ket-qua/<kỳ>/huy-ban-nhap/): GET shows what will be discarded and changes nothing; POST
discards; a second POST says there is no draft (never a 500). No JavaScript confirm."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from parindex.audit.models import AuditEvent
from parindex.results.models import ResultVersion, VersionStatus
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.test_manage_views import (  # noqa: F401 (fixtures)
    DECISION,
    CaptureOnCommit,
    _compute,
    _html,
    chair,
    desk,
    immediate_tasks,
    observer,
)

pytestmark = pytest.mark.django_db


def _discard(period_desk: str) -> str:
    return f"{period_desk}huy-ban-nhap/"


def _seen(html: str) -> str:
    return html.split('name="seen" value="')[1].split('"')[0]


def _messages(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def test_the_desk_links_to_the_confirmation_page_without_a_bare_confirm(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    html = _html(chair_client.get(desk(period)))
    assert f'href="{_discard(desk(period))}"' in html
    assert f'<form method="post" action="{_discard(desk(period))}"' not in html
    assert "data-confirm" not in html and "hx-confirm" not in html and "confirm(" not in html


def test_get_shows_what_will_be_discarded_and_discards_nothing(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    chair_client.post(f"{desk(period)}cong-bo/", DECISION)
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    draft = ResultVersion.objects.get(period=period, status=VersionStatus.DRAFT)
    assert draft.computed_at is not None

    page = chair_client.get(_discard(desk(period)))

    assert page.status_code == 200
    html = _html(page)
    assert "Xác nhận huỷ bản nháp" in html
    assert f"{draft.units_count} đơn vị" in html
    local = timezone.localtime(draft.computed_at)
    assert f"tính lúc {local:%H:%M %d/%m/%Y}" in html
    assert "phiên bản 1" in html  # the published version stays
    assert f'<form method="post" action="{_discard(desk(period))}"' in html
    assert "data-confirm" not in html and "confirm(" not in html
    assert ResultVersion.objects.filter(period=period, status=VersionStatus.DRAFT).count() == 1
    assert not AuditEvent.objects.filter(action="results.draft_discarded").exists()


def test_post_discards_and_a_second_post_says_there_is_no_draft(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    seen = _seen(_html(chair_client.get(_discard(desk(period)))))

    first = chair_client.post(_discard(desk(period)), {"seen": seen})
    assert first.status_code == 302 and first["Location"] == desk(period)
    assert "Đã huỷ bản nháp kết quả." in _messages(first)
    assert not ResultVersion.objects.filter(period=period).exists()
    assert AuditEvent.objects.filter(action="results.draft_discarded").count() == 1

    assert "Đã huỷ bản nháp kết quả." in _html(chair_client.get(desk(period)))  # shown once

    second = chair_client.post(_discard(desk(period)), {"seen": seen})
    assert second.status_code == 302 and second["Location"] == desk(period)
    [message] = _messages(second)
    assert "Không có bản nháp nào để huỷ" in message
    assert AuditEvent.objects.filter(action="results.draft_discarded").count() == 1

    later = chair_client.get(_discard(desk(period)))
    assert later.status_code == 302
    assert "Không có bản nháp nào để huỷ" in _messages(later)[-1]


def test_a_draft_computed_again_since_the_page_was_shown_is_not_discarded(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    seen = _seen(_html(chair_client.get(_discard(desk(period)))))
    _compute(chair_client, period, django_capture_on_commit_callbacks)

    stale = chair_client.post(_discard(desk(period)), {"seen": seen})

    assert stale.status_code == 409
    assert "chưa huỷ" in _html(stale)
    assert ResultVersion.objects.filter(period=period, status=VersionStatus.DRAFT).exists()
    fresh = _seen(_html(stale))
    assert fresh != seen
    assert chair_client.post(_discard(desk(period)), {"seen": fresh}).status_code == 302
    assert not ResultVersion.objects.filter(period=period).exists()


def test_the_observer_may_not_open_the_confirmation(
    scenario: Scenario,
    chair_client: Client,
    observer_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    assert observer_client.get(_discard(desk(period))).status_code == 403
    assert observer_client.post(_discard(desk(period))).status_code == 403
    assert ResultVersion.objects.filter(period=period, status=VersionStatus.DRAFT).exists()
