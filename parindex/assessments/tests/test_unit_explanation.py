"""Giải trình from the unit's own pages: the link from its list and screen, the explanation
deadline (with an extension), saving one item without touching the others, and the
leader's "Gửi giải trình" / "Rút lại" (audited, seen by the appraisers)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from parindex.assessments.models import Answer, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save, explanation_respond
from parindex.assessments.services.explanation import explanation_send, explanation_withdraw
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.periods.models import DeadlineExtension, DeadlineStage, Period
from parindex.season.stages import period_open_explanation, period_start_round_2

pytestmark = pytest.mark.django_db

ASKED = "Đề nghị gửi quyết định công nhận sáng kiến."


def _html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


@pytest.fixture
def explaining(round_1: Season) -> Season:
    """Round 1 returned 1.3 and 1.2 of unit A for explanation; the stage is open."""
    for code in ("1.2", "1.3"):
        answer = round_1.answer(round_1.a, code)
        appraisal_save(
            answer=answer,
            actor=round_1.appraiser,
            version=answer.version,
            value="1",
            comment=f"{ASKED} ({code})",
            needs_explanation=True,
        )
    deadline = timezone.now() + datetime.timedelta(days=5)
    period_open_explanation(period=round_1.period, actor=round_1.chair, deadline=deadline)
    round_1.refresh()
    return round_1


def test_the_list_and_screen_link_to_the_explanation_with_its_deadline(
    explaining: Season,
) -> None:
    until = timezone.now() + datetime.timedelta(days=9)
    DeadlineExtension.objects.create(
        period=explaining.period,
        unit=explaining.unit_a,
        stage=DeadlineStage.EXPLANATION,
        until=until,
        reason="Thiếu nhân sự",
        granted_by=explaining.chair,
    )
    Period.objects.filter(pk=explaining.period.pk).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(days=30)
    )
    client = client_for(explaining.unit_staff)
    page = reverse("assessments:explanation", args=[explaining.a.pk])
    listing = _html(client.get(reverse("assessments:list")))
    shown = timezone.localtime(until).strftime("%H:%M %d/%m/%Y")
    assert "Hạn giải trình" in listing and shown in listing
    assert "Hạn tự đánh giá" not in listing
    assert page in listing
    screen = _html(client.get(reverse("assessments:detail", args=[explaining.a.pk])))
    assert page in screen and "yêu cầu giải trình 2 nội dung" in screen
    html = _html(client.get(page))
    assert f"Hạn giải trình: <strong>{shown}</strong>" in html
    assert f"{ASKED} (1.3)" in html and "Lưu giải trình" in html
    assert 'id="nut-gui-giai-trinh"' not in html  # staff: only the leader sends
    assert 'style="' not in html
    assert client_for(explaining.other_staff).get(page).status_code == 404


def test_saving_one_item_leaves_the_others_alone(explaining: Season) -> None:
    client = client_for(explaining.unit_staff)
    page = reverse("assessments:explanation", args=[explaining.a.pk])
    first = explaining.answer(explaining.a, "1.2")
    response = client.post(
        page,
        {"answer": first.pk, "version": first.version, "response": "Đã bổ sung kế hoạch."},
        HTTP_HX_REQUEST="true",
    )
    html = _html(response)
    assert response.status_code == 200 and "Đã lưu lúc" in html
    assert f'id="giai-trinh-phien-ban-{first.pk}" value="{first.version + 1}"' in html
    other = explaining.answer(explaining.a, "1.3")
    assert f"giai-trinh-{other.pk}" not in html  # the other item is not re-rendered
    first.refresh_from_db()
    assert first.unit_response == "Đã bổ sung kế hoạch."
    empty = client.post(
        page,
        {"answer": other.pk, "version": other.version, "response": " "},
        HTTP_HX_REQUEST="true",
    )
    assert "Cần nhập nội dung giải trình." in _html(empty)
    # without htmx the form still works
    plain = client.post(
        page, {"answer": other.pk, "version": other.version, "response": "Có QĐ."}, follow=True
    )
    assert "Đã lưu giải trình tiêu chí 1.3." in _html(plain)
    # the page has the unsaved-changes guard's hooks
    assert 'class="giai-trinh-form"' in _html(client.get(page))


def test_the_leader_sends_and_withdraws_the_explanation(explaining: Season) -> None:
    leader = client_for(explaining.unit_leader)
    page = reverse("assessments:explanation", args=[explaining.a.pk])
    html = _html(leader.get(page))
    assert 'id="nut-gui-giai-trinh"' in html and 'id="nut-rut-giai-trinh"' not in html
    staff = client_for(explaining.unit_staff)
    refused = staff.post(
        reverse("assessments:explanation_send", args=[explaining.a.pk]), follow=True
    )
    assert "Chỉ lãnh đạo đơn vị được gửi giải trình." in _html(refused)
    sent = leader.post(reverse("assessments:explanation_send", args=[explaining.a.pk]), follow=True)
    assert "Đã gửi giải trình của Sở Tư pháp" in _html(sent)
    explaining.refresh()
    assert explaining.a.explanation_sent_at is not None
    assert explaining.a.explanation_sent_by == explaining.unit_leader
    assert explaining.a.status == AssessmentStatus.NEEDS_EXPLANATION
    assert AuditEvent.objects.filter(
        action="assessment.explanation_sent", target_id=str(explaining.a.pk)
    ).exists()
    html = _html(leader.get(page))
    assert "Đã gửi giải trình lúc" in html and 'id="nut-rut-giai-trinh"' in html
    assert "Lưu giải trình" not in html
    answer = explaining.answer(explaining.a, "1.3")
    with pytest.raises(ValidationError, match="rút lại giải trình để sửa"):
        explanation_respond(
            answer=answer, actor=explaining.unit_staff, version=answer.version, response="x"
        )
    # the appraiser reading the explanation sees it was sent
    seen = client_for(explaining.appraiser).get(
        reverse("appraisal:explanation", args=[explaining.a.pk])
    )
    assert "Sở Tư pháp đã gửi giải trình lúc" in _html(seen)
    # the leader takes it back before the deadline
    back = leader.post(
        reverse("assessments:explanation_withdraw", args=[explaining.a.pk]), follow=True
    )
    assert "Đã rút lại giải trình" in _html(back)
    explaining.refresh()
    assert explaining.a.explanation_sent_at is None
    assert AuditEvent.objects.filter(action="assessment.explanation_withdrawn").count() == 1
    explanation_respond(
        answer=answer, actor=explaining.unit_staff, version=answer.version, response="Sửa lại."
    )


def test_sending_is_refused_after_the_deadline_and_round_2_takes_sent_ones(
    explaining: Season,
) -> None:
    Period.objects.filter(pk=explaining.period.pk).update(
        explanation_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    explaining.refresh()
    with pytest.raises(ValidationError, match="Đã hết hạn giải trình"):
        explanation_send(assessment=explaining.a, actor=explaining.unit_leader)
    Period.objects.filter(pk=explaining.period.pk).update(
        explanation_deadline=timezone.now() + datetime.timedelta(days=1)
    )
    explaining.refresh()
    explanation_send(assessment=explaining.a, actor=explaining.unit_leader)
    with pytest.raises(ValidationError, match="Giải trình đã được gửi"):
        explanation_send(assessment=explaining.a, actor=explaining.unit_leader)
    period_start_round_2(period=explaining.period, actor=explaining.chair)
    explaining.refresh()
    assert explaining.a.status == AssessmentStatus.IN_APPRAISAL
    with pytest.raises(ValidationError):
        explanation_withdraw(assessment=explaining.a, actor=explaining.unit_leader)


def test_the_old_explanation_url_sends_the_unit_to_its_page(explaining: Season) -> None:
    old = reverse("appraisal:explanation", args=[explaining.a.pk])
    response = client_for(explaining.unit_staff).get(old)
    assert response.status_code == 302
    assert response["Location"] == reverse("assessments:explanation", args=[explaining.a.pk])
    # an old form posted there still saves, then shows the unit's page
    answer = explaining.answer(explaining.a, "1.3")
    posted = client_for(explaining.unit_staff).post(
        old, {"answer": answer.pk, "version": answer.version, "response": "Cũ."}
    )
    assert posted["Location"].startswith(reverse("assessments:explanation", args=[explaining.a.pk]))
    assert Answer.objects.get(pk=answer.pk).unit_response == "Cũ."
    assert client_for(explaining.appraiser).get(old).status_code == 200
