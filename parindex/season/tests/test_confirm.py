"""Every season step goes through its confirmation page: GET says what the step does and to
whom, POST runs it only if the numbers shown are still true."""

from __future__ import annotations

import datetime

import pytest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.criteria.models import CriteriaSet
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import PeriodKind, PeriodStatus
from parindex.periods.services import period_create
from parindex.season.consequences import step_consequences
from parindex.season.stages import period_open_explanation

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _html(response: HttpResponseBase) -> str:
    return bytes(response.content).decode()  # type: ignore[attr-defined]


def _url(season: Season) -> str:
    return reverse("season:advance", args=[season.period.pk])


def _seen(html: str) -> str:
    return html.split('name="seen" value="')[1].split('"')[0]


def _evidence(season: Season, status: str, name: str) -> Evidence:
    evidence = Evidence.objects.create(
        period=season.period,
        unit=season.unit_a,
        file=f"evidence/test/{name}",
        original_name=name,
        sha256=name.ljust(64, "0")[:64],
        size=10,
        content_type="application/pdf",
        signature_status=status,
    )
    EvidenceLink.objects.create(answer=season.answer(season.a, "1.1"), evidence=evidence)
    return evidence


def _submit_b(season: Season) -> None:
    Assessment.objects.filter(pk=season.b.pk).update(
        status=AssessmentStatus.SUBMITTED, submitted_at=timezone.now()
    )


def test_the_dashboard_links_to_the_confirmation_page_without_a_bare_confirm(
    season: Season,
) -> None:
    html = _html(client_for(season.chair).get(reverse("season:dashboard", args=[season.period.pk])))
    assert "data-confirm" not in html and "hx-confirm" not in html and "confirm(" not in html
    assert f'id="nut-buoc-tiep" href="{_url(season)}"' in html
    assert "Bắt đầu thẩm định vòng 1…" in html


def test_starting_appraisal_shows_who_has_not_submitted_unscored_units_and_unsigned_evidence(
    season: Season,
) -> None:
    _evidence(season, SignatureStatus.UNSIGNED, "ke-hoach.pdf")
    _evidence(season, SignatureStatus.PENDING, "bao-cao.pdf")
    _evidence(season, SignatureStatus.VALID, "quyet-dinh.pdf")
    response = client_for(season.chair).get(_url(season))
    assert response.status_code == 200
    html = _html(response)
    assert "Xác nhận: Bắt đầu thẩm định vòng 1" in html
    assert "Khóa hồ sơ tự đánh giá của tất cả đơn vị, kể cả đơn vị chưa gửi" in html
    assert (
        "2/3 đơn vị chưa gửi hồ sơ tự đánh giá (hồ sơ bị khóa theo nội dung đã nhập): "
        "Sở Nội vụ, Sở Tài chính." in html
    )
    assert (
        "2 đơn vị có tiêu chí chưa có điểm (22 nội dung, tính 0 điểm): Sở Nội vụ, Sở Tài chính."
        in html
    )
    assert (
        "2 tệp tài liệu kiểm chứng chưa có chữ ký số hợp lệ, trong đó 1 tệp đang kiểm tra chữ ký."
        in html
    )
    assert "Xác nhận bắt đầu thẩm định vòng 1" in html and 'id="nut-xac-nhan-buoc"' in html
    # GET changes nothing.
    season.refresh()
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT


def test_the_post_rechecks_and_shows_the_page_again_when_the_numbers_changed(
    season: Season,
) -> None:
    client = client_for(season.chair)
    seen = _seen(_html(client.get(_url(season))))
    _submit_b(season)  # meanwhile unit B submits: 1/3 not submitted now
    again = client.post(_url(season), {"step": "start_appraisal", "seen": seen})
    assert again.status_code == 409
    html = _html(again)
    assert "Số liệu đã thay đổi từ lúc bạn mở trang này" in html
    assert "1/3 đơn vị chưa gửi hồ sơ tự đánh giá" in html
    season.refresh()
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT
    done = client.post(_url(season), {"step": "start_appraisal", "seen": _seen(html)})
    assert done.status_code == 302
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1


def test_a_bad_deadline_is_shown_on_the_confirmation_page_field(season: Season) -> None:
    client = client_for(season.chair)
    seen = _seen(_html(client.get(_url(season))))
    refused = client.post(
        _url(season), {"step": "start_appraisal", "seen": seen, "deadline": "31/02/2025"}
    )
    assert refused.status_code == 400
    html = _html(refused)
    assert "Thời hạn không hợp lệ: nhập theo dạng dd/mm/yyyy HH:MM" in html
    assert 'aria-invalid="true"' in html
    far = client.post(
        _url(season), {"step": "start_appraisal", "seen": seen, "deadline": "31/12/2099 17:00"}
    )
    assert far.status_code == 400
    assert "Thời hạn 31/12/2099 17:00 quá xa" in _html(far)
    season.refresh()
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT


def test_opening_the_self_assessment_names_the_units_getting_a_form(
    province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet, season: Season
) -> None:
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Năm 2025",
        groups={departments_group: criteria_set},
        actor=None,
    )
    client = client_for(season.chair)
    url = reverse("season:advance", args=[period.pk])
    html = _html(client.get(url))
    assert "Xác nhận: Mở tự đánh giá" in html
    assert "Tạo phiếu tự đánh giá cho 3/3 đơn vị: Sở Nội vụ, Sở Tư pháp, Sở Tài chính." in html
    assert "Xác nhận mở tự đánh giá" in html
    client.post(url, {"step": "open_self_assessment", "seen": _seen(html)})
    period.refresh_from_db()
    assert period.status == PeriodStatus.SELF_ASSESSMENT


def _return_item(season: Season) -> Answer:
    answer = season.answer(season.a, "1.3")
    appraisal_save(
        answer=answer,
        actor=season.appraiser,
        version=answer.version,
        value="2",
        comment="Đề nghị gửi quyết định công nhận sáng kiến.",
        needs_explanation=True,
    )
    return answer


def test_opening_explanation_and_closing_it_say_who_is_asked_and_who_has_not_answered(
    round_1: Season,
) -> None:
    _return_item(round_1)
    client = client_for(round_1.chair)
    html = _html(client.get(_url(round_1)))
    assert "Xác nhận: Mở giải trình" in html
    assert "1 đơn vị được mở giải trình (1 nội dung cần giải trình): Sở Tư pháp." in html
    client.post(_url(round_1), {"step": "open_explanation", "seen": _seen(html)})
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.EXPLANATION

    html = _html(client.get(_url(round_1)))
    assert "Xác nhận: Thẩm định vòng 2" in html
    assert "Đóng giải trình: đơn vị không gửi thêm giải trình được." in html
    assert (
        "1/1 nội dung cần giải trình chưa được đơn vị giải trình (1 đơn vị: Sở Tư pháp); sau "
        "khi đóng giải trình, đơn vị không gửi thêm được." in html
    )
    Answer.objects.filter(assessment=round_1.a, node__code="1.3").update(
        unit_response="Đã bổ sung quyết định số 12/QĐ-STP."
    )
    found = step_consequences(round_1.period, "start_round_2")
    assert found is not None and (found.asked_items, found.unexplained_items) == (1, 0)
    assert "chưa được đơn vị giải trình" not in _html(client.get(_url(round_1)))


def test_finalising_lists_the_units_with_unscored_criteria_and_needs_the_box(
    round_1: Season,
) -> None:
    client = client_for(round_1.chair)
    html = _html(client.get(_url(round_1)))
    assert "Xác nhận: Chốt kết quả" in html
    assert "Chưa thẩm định nội dung nào: cả 14 nội dung giữ điểm tự chấm." in html
    assert "2 đơn vị có tiêu chí chưa có điểm (22 nội dung, tính 0 điểm): Sở Nội vụ" in html
    assert 'name="confirm_unappraised" value="on" required' in html
    assert "Xác nhận chốt kết quả" in html
    refused = client.post(_url(round_1), {"step": "finalise", "seen": _seen(html)})
    assert refused.status_code == 400
    assert "Chưa có nội dung nào được thẩm định" in _html(refused)
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.APPRAISAL_1
    done = client.post(
        _url(round_1), {"step": "finalise", "seen": _seen(html), "confirm_unappraised": "on"}
    )
    assert done.status_code == 302
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.FINALISED
    # Nothing left to confirm.
    assert client.get(_url(round_1)).status_code == 302


def test_only_the_chair_reaches_the_confirmation_page(season: Season) -> None:
    assert client_for(season.appraiser).get(_url(season)).status_code == 403
    assert client_for(season.unit_staff).get(_url(season)).status_code in (403, 404)


def test_open_explanation_is_not_offered_twice(round_1: Season) -> None:
    """The service still refuses what it refused: opening explanation with nothing returned."""
    with pytest.raises(Exception) as exc:
        period_open_explanation(period=round_1.period, actor=round_1.chair)
    assert "Không có nội dung nào được yêu cầu giải trình" in str(exc.value)
