"""Appraisal pages: queue, item, explanation, dashboard; permissions through the chokepoints."""

from __future__ import annotations

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parindex.assessments.models import Answer, AppraisalRecord, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.periods.models import DeadlineExtension, PeriodStatus
from parindex.season.stages import period_open_explanation

pytestmark = pytest.mark.django_db


def _in_days(days: int) -> str:
    """A deadline as the dashboard's forms take it (dd/mm/yyyy HH:MM), ``days`` ahead."""
    return (timezone.localtime() + datetime.timedelta(days=days)).strftime("%d/%m/%Y 17:00")


def _html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def test_anonymous_is_sent_to_login(round_1: Season) -> None:
    response = Client().get(reverse("appraisal:queue", args=[round_1.period.pk]))
    assert response.status_code == 302
    assert "/tai-khoan/" in response["Location"]


def test_home_lists_the_periods(round_1: Season) -> None:
    html = _html(client_for(round_1.appraiser).get(reverse("appraisal:home")))
    assert "Năm 2024" in html and "Danh sách thẩm định" in html
    assert "Điều hành" not in html
    chair_html = _html(client_for(round_1.chair).get(reverse("appraisal:home")))
    assert reverse("season:dashboard", args=[round_1.period.pk]) in chair_html
    unit_html = _html(client_for(round_1.unit_staff).get(reverse("appraisal:home")))
    assert "chưa được phân công" in unit_html


def test_queue_shows_only_assigned_items_with_filters(round_1: Season) -> None:
    client = client_for(round_1.appraiser)
    url = reverse("appraisal:queue", args=[round_1.period.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = _html(response)
    assert "Sở Tư pháp" in html and "Sở Tài chính" not in html
    assert "Ban hành kế hoạch CCHC" in html and "Cải cách thể chế" not in html
    assert "Chấp nhận điểm tự chấm" in html
    assert 'style="' not in html
    assert html.count('name="muc"') == 3
    filtered = _html(client.get(url, {"trang-thai": "appraised"}))
    assert "Không có nội dung nào phù hợp" in filtered
    assert client.get(url, {"lech": "1", "don-vi": "x", "trang": "9"}).status_code == 200
    # Another unit's staff has no queue in the period.
    assert client_for(round_1.other_staff).get(url).status_code == 404


def test_item_page_is_404_for_unassigned_unit_or_field(round_1: Season) -> None:
    client = client_for(round_1.appraiser)
    for answer in (round_1.answer(round_1.b, "1.1"), round_1.answer(round_1.a, "2")):
        assert client.get(reverse("appraisal:item", args=[answer.pk])).status_code == 404
        assert client.post(reverse("appraisal:item", args=[answer.pk]), {}).status_code == 404
        preview = reverse("appraisal:preview", args=[answer.pk])
        assert client.get(preview, {"value": "1"}).status_code == 404
    mine = round_1.answer(round_1.a, "1.2")
    assert (
        client_for(round_1.unit_leader).get(reverse("appraisal:item", args=[mine.pk])).status_code
        == 404
    )


def test_item_page_shows_self_assessment_and_saves(round_1: Season) -> None:
    client = client_for(round_1.appraiser)
    answer = round_1.answer(round_1.a, "1.2")
    url = reverse("appraisal:item", args=[answer.pk])
    html = _html(client.get(url))
    assert "87,5" in html and "Thuyết minh 1.2" in html
    assert "Tài liệu kiểm chứng" in html
    assert "Cần giải trình" in html
    assert 'style="' not in html

    refused = client.post(url, {"version": answer.version, "value": "80"})
    assert refused.status_code == 400
    assert "Cần ghi ý kiến khi điểm thẩm định khác điểm tự chấm" in _html(refused)
    assert not AppraisalRecord.objects.exists()

    saved = client.post(
        url, {"version": answer.version, "value": "80", "comment": "Chỉ đạt 80% kế hoạch."}
    )
    assert saved.status_code == 302
    answer.refresh_from_db()
    assert answer.appraised_value == "80" and answer.appraisal_round == 1
    page = _html(client.get(url))
    assert "Thẩm định vòng 1" in page and "Chỉ đạt 80% kế hoạch." in page  # timeline


def test_item_conflict_shows_the_other_value(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    opened = answer.version
    appraisal_save(
        answer=answer, actor=round_1.chair, version=opened, value="70", comment="Ý kiến chủ tịch"
    )
    response = client_for(round_1.appraiser).post(
        reverse("appraisal:item", args=[answer.pk]),
        {"version": opened, "value": "90", "comment": "Của tôi"},
    )
    assert response.status_code == 409
    html = _html(response)
    assert "Phạm Chủ Tịch" in html and "70" in html and "Ý kiến chủ tịch" in html
    assert 'value="90"' in html  # what the appraiser typed is kept
    answer.refresh_from_db()
    assert answer.appraised_value == "70"


def test_points_preview_fragment(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    client = client_for(round_1.appraiser)
    url = reverse("appraisal:preview", args=[answer.pk])
    html = _html(client.get(url, {"value": "50"}, headers={"HX-Request": "true"}))
    assert "2,00" in html and "cần ghi ý kiến" in html
    assert "phải từ 0 đến 100" in _html(client.get(url, {"value": "150"}))
    ratio = round_1.answer(round_1.a, "3.1")
    chair = client_for(round_1.chair)
    html = _html(
        chair.get(
            reverse("appraisal:preview", args=[ratio.pk]),
            {"numerator": "95", "denominator": "100"},
        )
    )
    assert "9,50" in html and "cần ghi ý kiến" not in html


def test_bulk_accept(round_1: Season) -> None:
    client = client_for(round_1.appraiser)
    ids = list(
        Answer.objects.filter(assessment=round_1.a, node__code__startswith="1.").values_list(
            "pk", flat=True
        )
    )
    url = reverse("appraisal:accept_self", args=[round_1.period.pk])
    response = client.post(url, {"muc": ids}, follow=True)
    assert "Đã chấp nhận điểm tự chấm của 3 nội dung." in _html(response)
    assert AppraisalRecord.objects.count() == 3
    other = round_1.answer(round_1.b, "2")
    assert client.post(url, {"muc": [other.pk]}).status_code == 404


def test_explanation_page_for_the_unit(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.3")
    appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value="1",
        comment="Đề nghị gửi quyết định công nhận sáng kiến.",
        needs_explanation=True,
    )
    period_open_explanation(period=round_1.period, actor=round_1.chair)
    url = reverse("appraisal:explanation", args=[round_1.a.pk])
    client = client_for(round_1.unit_staff)
    # The unit is sent to its own explanation page (/danh-gia/<id>/giai-trinh/).
    unit_page = reverse("assessments:explanation", kwargs={"pk": round_1.a.pk})
    assert client.get(url)["Location"] == unit_page
    html = _html(client.get(url, follow=True))
    assert "Đề nghị gửi quyết định công nhận sáng kiến." in html
    assert "Lưu giải trình" in html and 'style="' not in html
    assert "giải trình" in _html(client.get(reverse("appraisal:home"))).lower()
    answer.refresh_from_db()
    response = client.post(
        url,
        {"answer": answer.pk, "version": answer.version, "response": "Đã bổ sung quyết định."},
        follow=True,
    )
    assert "Đã lưu giải trình tiêu chí 1.3." in _html(response)
    answer.refresh_from_db()
    assert answer.unit_response == "Đã bổ sung quyết định."
    # Another unit's staff does not see it; the appraiser reads it without a form.
    assert client_for(round_1.other_staff).get(url).status_code == 404
    appraiser_html = _html(client_for(round_1.appraiser).get(url))
    assert "Đã bổ sung quyết định." in appraiser_html and "Lưu giải trình" not in appraiser_html


def test_dashboard_for_the_chair(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(answer=answer, actor=round_1.appraiser, version=answer.version, value=True)
    client = client_for(round_1.chair)
    url = reverse("season:dashboard", args=[round_1.period.pk])
    response = client.get(url)
    assert response.status_code == 200
    html = _html(response)
    assert 'style="' not in html
    assert 'data-trang-thai="in_appraisal">3<' in html
    assert "Lê Thẩm Định" in html
    assert "Chốt kết quả" in html  # nothing needs explanation: the next step is finalising
    chart = json.loads(
        html.split('id="du-lieu-trang-thai" type="application/json">')[1].split("<")[0]
    )
    assert chart["values"] == [3]
    assert client_for(round_1.appraiser).get(url).status_code == 403
    assert (
        client_for(round_1.appraiser)
        .post(reverse("season:advance", args=[round_1.period.pk]), {"step": "finalise"})
        .status_code
        == 403
    )


def test_lifecycle_buttons(season: Season) -> None:
    client = client_for(season.chair)
    url = reverse("season:advance", args=[season.period.pk])
    stale = client.post(url, {"step": "finalise"}, follow=True)
    assert "đã chuyển trạng thái" in _html(stale)
    season.refresh()
    assert season.period.status == PeriodStatus.SELF_ASSESSMENT
    bad_date = client.post(url, {"step": "start_appraisal", "deadline": "31/02/2025"}, follow=True)
    assert "không hợp lệ" in _html(bad_date)
    for far in ("31/12/2099 17:00", "31/12/9999 23:59"):
        refused = client.post(url, {"step": "start_appraisal", "deadline": far}, follow=True)
        assert f"Thời hạn {far} quá xa: chỉ đặt thời hạn trong vòng 731 ngày" in _html(refused)
        season.refresh()
        assert season.period.status == PeriodStatus.SELF_ASSESSMENT
    response = client.post(url, {"step": "start_appraisal", "deadline": _in_days(30)}, follow=True)
    assert "Bắt đầu thẩm định vòng 1" in _html(response)
    season.refresh()
    assert season.period.status == PeriodStatus.APPRAISAL_1
    assert season.period.appraisal_1_deadline is not None
    assert season.a.status == AssessmentStatus.IN_APPRAISAL


def test_the_dashboard_lists_what_starting_appraisal_does(season: Season) -> None:
    html = _html(client_for(season.chair).get(reverse("season:dashboard", args=[season.period.pk])))
    assert "Khi bắt đầu thẩm định vòng 1:" in html
    assert "2/3 đơn vị chưa gửi hồ sơ tự đánh giá (hồ sơ bị khóa theo nội dung đã nhập)" in html
    assert "Sở Tài chính" in html.split('id="hau-qua-buoc"')[1].split("</div>")[1]
    assert 'name="confirm_unappraised"' not in html


def test_finalising_a_period_nobody_appraised_needs_the_ticked_box(round_1: Season) -> None:
    client = client_for(round_1.chair)
    dashboard = _html(client.get(reverse("season:dashboard", args=[round_1.period.pk])))
    assert "Chưa thẩm định nội dung nào: cả 14 nội dung giữ điểm tự chấm." in dashboard
    assert 'name="confirm_unappraised"' not in dashboard  # the box is on the next page

    url = reverse("season:advance", args=[round_1.period.pk])
    page = _html(client.get(url))  # the confirmation page of "Chốt kết quả"
    assert '<input type="hidden" name="step" value="finalise">' in page
    assert "Chưa thẩm định nội dung nào: cả 14 nội dung giữ điểm tự chấm." in page
    box = page.split('id="xac-nhan-chua-tham-dinh"')[1].split(">")[0]
    assert 'name="confirm_unappraised" value="on" required' in box
    assert "Tôi xác nhận chốt kết quả khi chưa thẩm định nội dung nào" in page

    refused = client.post(url, {"step": "finalise"})  # the box left unticked
    assert refused.status_code == 400
    assert "Chưa có nội dung nào được thẩm định" in _html(refused)
    assert 'id="xac-nhan-chua-tham-dinh"' in _html(refused)
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.APPRAISAL_1

    done = client.post(url, {"step": "finalise", "confirm_unappraised": "on"}, follow=True)
    assert "Chốt kết quả: kỳ đánh giá chuyển sang" in _html(done)
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.FINALISED


def test_an_appraised_period_is_finalised_without_the_box(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(answer=answer, actor=round_1.appraiser, version=answer.version, value=True)
    client = client_for(round_1.chair)
    html = _html(client.get(reverse("season:dashboard", args=[round_1.period.pk])))
    assert "13/36 nội dung chưa thẩm định, sẽ giữ điểm tự chấm." in html
    assert 'name="confirm_unappraised"' not in html
    client.post(reverse("season:advance", args=[round_1.period.pk]), {"step": "finalise"})
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.FINALISED


def test_a_unit_response_past_the_limit_is_refused_not_cut(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.3")
    appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value="2",
        comment="Đề nghị gửi quyết định công nhận sáng kiến.",
        needs_explanation=True,
    )
    period_open_explanation(period=round_1.period, actor=round_1.chair)
    answer.refresh_from_db()
    client = client_for(round_1.unit_staff)
    url = reverse("appraisal:explanation", args=[round_1.a.pk])
    response = client.post(
        url,
        {"answer": answer.pk, "version": answer.version, "response": "Giải trình " + "x" * 10_039},
        follow=True,
    )
    assert "Tiêu chí 1.3: Nội dung giải trình dài 10.050 ký tự, tối đa 10.000 ký tự" in _html(
        response
    )
    answer.refresh_from_db()
    assert answer.unit_response == ""


def test_extension_form(season: Season) -> None:
    client = client_for(season.chair)
    url = reverse("season:extend", args=[season.period.pk])
    until = _in_days(40)
    missing = client.post(
        url,
        {"unit": season.unit_b.pk, "stage": "self_assessment", "until": until},
    )
    assert missing.status_code == 400
    assert not DeadlineExtension.objects.exists()
    too_far = client.post(
        url,
        {
            "unit": season.unit_b.pk,
            "stage": "self_assessment",
            "until": "31/12/9999 23:59",
            "reason": "Thay đổi lãnh đạo đơn vị",
        },
    )
    assert too_far.status_code == 400
    assert "Thời hạn gia hạn 31/12/9999 23:59 quá xa" in _html(too_far)
    assert not DeadlineExtension.objects.exists()
    response = client.post(
        url,
        {
            "unit": season.unit_b.pk,
            "stage": "self_assessment",
            "until": until,
            "reason": "Thay đổi lãnh đạo đơn vị",
        },
        follow=True,
    )
    assert f"Đã gia hạn tự đánh giá cho Sở Tài chính đến {until}." in _html(response)
    extension = DeadlineExtension.objects.get()
    assert extension.reason == "Thay đổi lãnh đạo đơn vị"
    assert "Thay đổi lãnh đạo đơn vị" in _html(response)
    assert client_for(season.appraiser).post(url, {}).status_code == 403
