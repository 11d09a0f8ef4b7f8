"""Self-assessment pages: who sees what, the screen, live points, autosave with conflicts,
submit/withdraw, the summary and the history."""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.self_assessment import answer_save
from parindex.assessments.tests.conftest import EVIDENCE_11, GUIDANCE_11
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import DeadlineExtension, DeadlineStage, Period

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def node_id(criteria_set: CriteriaSet, code: str) -> int:
    return CriterionNode.objects.get(criteria_set=criteria_set, code=code).pk


def url(name: str, assessment: Assessment, **kwargs: int) -> str:
    return reverse(f"assessments:{name}", kwargs={"pk": assessment.pk, **kwargs})


def item_url(name: str, assessment: Assessment, season_set: CriteriaSet, code: str) -> str:
    return url(name, assessment, node_id=node_id(season_set, code))


def page_urls(assessment: Assessment, season_set: CriteriaSet, answer: Answer) -> list[str]:
    return [
        url("detail", assessment),
        url("summary", assessment),
        url("history_csv", assessment),
        item_url("item", assessment, season_set, "1.1"),
        url("item_history", assessment, answer_id=answer.pk),
    ]


@pytest.fixture
def saved(assessment: Assessment, season_set: CriteriaSet, unit_staff: User) -> Answer:
    node = CriterionNode.objects.get(criteria_set=season_set, code="1.2")
    return answer_save(assessment=assessment, node=node, actor=unit_staff, version=0, value="87,5")


def assert_csp_clean(html: str) -> None:
    assert 'style="' not in html
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'type="application/json"' in tag or "nonce=" in tag, tag


# --------------------------------------------------------------------------- access


def test_anonymous_is_sent_to_login(
    client: Client, assessment: Assessment, season_set: CriteriaSet, saved: Answer
) -> None:
    for address in [reverse("assessments:list"), *page_urls(assessment, season_set, saved)]:
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={quote(address)}"
    response = client.post(item_url("item_save", assessment, season_set, "1.1"), {"value": "true"})
    assert response.status_code == 302
    assert Answer.objects.count() == 1


def test_outsider_gets_404_everywhere(
    other_staff_client: Client,
    assessment: Assessment,
    other_assessment: Assessment,
    season_set: CriteriaSet,
    saved: Answer,
) -> None:
    for address in page_urls(assessment, season_set, saved):
        assert other_staff_client.get(address).status_code == 404, address
    for name in ("item_save", "item_preview"):
        response = other_staff_client.post(
            item_url(name, assessment, season_set, "1.1"), {"version": "0", "value": "true"}
        )
        assert response.status_code == 404
    for name in ("submit", "withdraw"):
        assert other_staff_client.post(url(name, assessment)).status_code == 404
    # Their own list shows their own assessment only.
    page = other_staff_client.get(reverse("assessments:list")).content.decode()
    assert "UBND xã Thanh Sơn" in page
    assert "UBND xã Liêm Tuyền" not in page
    assert Answer.objects.count() == 1
    # An item of another assessment through this one's URL: 404 too.
    other = Answer.objects.create(assessment=other_assessment, node=saved.node)
    client = Client()
    client.force_login(User.objects.get(username="nhap.lieu.xa"))
    assert client.get(url("item_history", assessment, answer_id=other.pk)).status_code == 404


def test_parents_and_foreign_nodes_are_not_items(
    unit_staff_client: Client,
    assessment: Assessment,
    season_set: CriteriaSet,
    criteria_set: CriteriaSet,
) -> None:
    for node in (node_id(season_set, "1"), node_id(criteria_set, "1.1")):
        response = unit_staff_client.post(
            url("item_save", assessment, node_id=node), {"version": "0", "value": "1"}
        )
        assert response.status_code == 404
    assert not Answer.objects.exists()


def test_unit_outside_the_periods_groups_gets_a_clear_page(
    unit_staff_client: Client, assessment: Assessment, departments_group: UnitGroup
) -> None:
    Unit.objects.filter(pk=assessment.unit_id).update(group=departments_group)
    for name in ("detail", "summary"):
        response = unit_staff_client.get(url(name, assessment))
        assert response.status_code == 409
        assert "không thuộc nhóm đơn vị nào của kỳ đánh giá" in response.content.decode()


def test_list_shows_status_deadline_and_days_left(
    unit_staff_client: Client, assessment: Assessment
) -> None:
    response = unit_staff_client.get(reverse("assessments:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Phiếu tự đánh giá của đơn vị" in html
    assert "UBND xã Liêm Tuyền" in html
    assert "Chưa bắt đầu" in html
    assert "Còn 7 ngày" in html or "Còn 6 ngày" in html
    assert url("detail", assessment) in html
    assert_csp_clean(html)


# --------------------------------------------------------------------------- the screen


def test_screen_shows_tree_progress_guidance_evidence_and_inputs(
    unit_staff_client: Client, assessment: Assessment, season_set: CriteriaSet, saved: Answer
) -> None:
    response = unit_staff_client.get(url("detail", assessment) + "?linh-vuc=1")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tự đánh giá: UBND xã Liêm Tuyền" in html
    assert "Đã nhập 1/4 tiêu chí" in html  # field 1 progress
    assert "Đã nhập 0/2 tiêu chí" in html  # field 2
    assert GUIDANCE_11 in html
    assert EVIDENCE_11 in html
    assert "Đạt: 2 điểm; không đạt: 0 điểm" in html
    assert "Theo mức: từ 3 được 2 điểm; từ 1 được 1 điểm; thấp hơn: 0 điểm" in html
    assert 'name="value" value="true"' in html  # boolean radios
    assert 'value="87,5"' in html  # the saved percent, Vietnamese style
    assert 'hx-trigger="input changed delay:400ms"' in html
    assert item_url("item_preview", assessment, season_set, "1.2") in html
    assert item_url("item_save", assessment, season_set, "1.2") in html
    assert f'id="phien-ban-{saved.node_id}" value="1"' in html
    assert '<strong class="num">2,62</strong> / 3 điểm' in html
    assert "Lưu giá trị của tiêu chí để đính kèm tài liệu kiểm chứng" in html
    assert 'name="not_applicable"' not in html  # field 1 allows none
    assert "js/self-assessment.js" in html and "css/assessment.css" in html
    assert_csp_clean(html)

    field_2 = unit_staff_client.get(url("detail", assessment) + "?linh-vuc=2").content.decode()
    assert 'name="numerator"' in field_2 and 'name="denominator"' in field_2
    assert 'name="not_applicable"' in field_2 and 'name="na_justification"' in field_2
    assert "Trừ 1,5 điểm mỗi lần" in field_2


def test_field_navigation_with_htmx_returns_the_screen_only(
    unit_staff_client: Client, assessment: Assessment
) -> None:
    response = unit_staff_client.get(
        url("detail", assessment) + "?linh-vuc=3", headers={**HTMX, "HX-Target": "man-hinh"}
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "Xây dựng chính quyền số" in html
    assert "Điểm tự chấm (0–5)" in html


def test_read_only_for_chair_and_observer(
    chair_client: Client,
    observer_client: Client,
    assessment: Assessment,
    season_set: CriteriaSet,
    saved: Answer,
) -> None:
    for client in (chair_client, observer_client):
        html = client.get(url("detail", assessment)).content.decode()
        assert "Bạn chỉ được xem phiếu tự đánh giá này." in html
        assert "muc-form" not in html
        assert "87,5%" in html  # the value, as text
        assert "Gửi hồ sơ" not in html
        response = client.post(
            item_url("item_save", assessment, season_set, "1.2"),
            {"version": "1", "value": "10"},
            headers=HTMX,
        )
        assert response.status_code == 403
        assert client.post(url("submit", assessment)).status_code == 403
    assert Answer.objects.get(pk=saved.pk).self_value == "87.5"


# --------------------------------------------------------------------------- live points


def test_preview_returns_the_engines_points(
    unit_staff_client: Client, assessment: Assessment, season_set: CriteriaSet
) -> None:
    response = unit_staff_client.post(
        item_url("item_preview", assessment, season_set, "2.1"),
        {"version": "0", "numerator": "9", "denominator": "10"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert '<strong class="num">5,40</strong> / 6 điểm' in html
    assert "(chưa lưu)" in html
    bad = unit_staff_client.post(
        item_url("item_preview", assessment, season_set, "1.2"), {"value": "120"}, headers=HTMX
    ).content.decode()
    assert "Tiêu chí 1.2, tỷ lệ phần trăm: tỷ lệ 120% phải từ 0 đến 100." in bad
    assert not Answer.objects.exists()


# --------------------------------------------------------------------------- autosave


def test_autosave_stores_and_updates_points_version_tree_and_totals(
    unit_staff_client: Client, assessment: Assessment, season_set: CriteriaSet
) -> None:
    pk = node_id(season_set, "1.4")
    response = unit_staff_client.post(
        item_url("item_save", assessment, season_set, "1.4"),
        {"version": "0", "value": "2,5", "explanation": "Kiểm tra 3 bộ phận"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã lưu lúc" in html
    assert (
        f'<input type="hidden" name="version" id="phien-ban-{pk}" value="1" hx-swap-oob="true">'
        in html
    )
    assert f'id="diem-{pk}"' in html and '<strong class="num">2,50</strong> / 3 điểm' in html
    assert 'id="tong-diem"' in html and "2,50</strong> / 25,00" in html
    assert "Đã nhập 1/4 tiêu chí" in html  # the tree's field entry, out of band
    assert f'id="tai-lieu-{pk}"' in html  # the evidence slot appears once the item exists
    answer = Answer.objects.get(node_id=pk)
    assert (answer.self_value, answer.explanation, answer.version) == (
        "2.5",
        "Kiểm tra 3 bộ phận",
        1,
    )
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_autosave_error_is_shown_and_nothing_is_stored(
    unit_staff_client: Client, assessment: Assessment, season_set: CriteriaSet
) -> None:
    response = unit_staff_client.post(
        item_url("item_save", assessment, season_set, "2.1"),
        {"version": "0", "numerator": "12", "denominator": "10"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tiêu chí 2.1, tỷ lệ (tử số / mẫu số): tử số 12 lớn hơn mẫu số 10" in html
    assert "Chưa lưu" in html
    assert "hx-swap-oob" not in html
    for data in (
        {"version": "abc", "value": "1"},
        {"version": "0", "value": "1", "numerator": "1", "denominator": "2"},
    ):
        html = unit_staff_client.post(
            item_url("item_save", assessment, season_set, "1.3"), data, headers=HTMX
        ).content.decode()
        assert "text-danger" in html
    html = unit_staff_client.post(
        item_url("item_save", assessment, season_set, "2.2"),
        {"version": "0", "value": "1", "not_applicable": "on", "na_justification": ""},
        headers=HTMX,
    ).content.decode()
    assert "Tiêu chí 2.2: cần nêu lý do không áp dụng." in html
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action="answer.self_saved").exists()


def test_not_applicable_with_justification_through_the_screen(
    unit_staff_client: Client, assessment: Assessment, season_set: CriteriaSet
) -> None:
    html = unit_staff_client.post(
        item_url("item_save", assessment, season_set, "2.2"),
        {"version": "0", "not_applicable": "on", "na_justification": "Không có hồ sơ"},
        headers=HTMX,
    ).content.decode()
    assert "Đã lưu lúc" in html and "Không áp dụng" in html
    answer = Answer.objects.get()
    assert answer.self_not_applicable and answer.na_justification == "Không có hồ sơ"
    page = unit_staff_client.get(url("detail", assessment) + "?linh-vuc=2").content.decode()
    assert f'id="gia-tri-{answer.node_id}" disabled' in page


def test_conflict_shows_the_other_persons_value_and_overwrites_nothing(
    unit_leader_client: Client,
    assessment: Assessment,
    season_set: CriteriaSet,
    saved: Answer,
) -> None:
    save_url = item_url("item_save", assessment, season_set, "1.2")
    response = unit_leader_client.post(save_url, {"version": "0", "value": "40"}, headers=HTMX)
    html = response.content.decode()
    assert "Tiêu chí 1.2 đã được Trần Thị Bình lưu lúc" in html
    assert "với giá trị 87,5%; hãy xem lại trước khi lưu." in html
    assert "Tải lại giá trị mới nhất" in html
    assert item_url("item", assessment, season_set, "1.2") in html
    assert 'hx-vals=\'{"version": "1"}\'' in html
    assert Answer.objects.get(pk=saved.pk).self_value == "87.5"

    # "Tải lại": the item as stored now.
    item = unit_leader_client.get(item_url("item", assessment, season_set, "1.2"), headers=HTMX)
    assert 'value="87,5"' in item.content.decode()
    # "Vẫn lưu giá trị của tôi": the version the leader has now seen.
    unit_leader_client.post(save_url, {"version": "1", "value": "40"}, headers=HTMX)
    assert Answer.objects.get(pk=saved.pk).self_value == "40"


def test_save_without_javascript_redirects_with_a_message(
    unit_staff_client: Client, assessment: Assessment, season_set: CriteriaSet
) -> None:
    pk = node_id(season_set, "1.1")
    response = unit_staff_client.post(
        item_url("item_save", assessment, season_set, "1.1"),
        {"version": "0", "value": "true"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"{url('detail', assessment)}?linh-vuc=1#muc-{pk}"
    assert "Đã lưu tiêu chí 1.1 lúc" in response.content.decode()
    response = unit_staff_client.post(
        item_url("item_save", assessment, season_set, "1.2"),
        {"version": "0", "value": "abc"},
        follow=True,
    )
    assert "Tiêu chí 1.2, tỷ lệ phần trăm: “abc” không phải là một số" in response.content.decode()


# --------------------------------------------------------------------------- submit, withdraw


def test_leader_submits_then_the_screen_is_read_only_and_withdraws(
    unit_leader_client: Client,
    unit_staff_client: Client,
    assessment: Assessment,
    season_set: CriteriaSet,
) -> None:
    page = unit_leader_client.get(url("detail", assessment)).content.decode()
    assert "Gửi hồ sơ" in page and "data-confirm=" in page
    assert "Còn 7 tiêu chí chưa nhập" in page

    response = unit_leader_client.post(url("submit", assessment), follow=True)
    html = response.content.decode()
    assert "Đã gửi hồ sơ tự đánh giá của UBND xã Liêm Tuyền" in html
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED

    staff_page = unit_staff_client.get(url("detail", assessment)).content.decode()
    assert "muc-form" not in staff_page
    assert "Hồ sơ tự đánh giá đã gửi lúc" in staff_page
    assert "Rút hồ sơ" not in staff_page  # staff may not withdraw
    response = unit_staff_client.post(
        item_url("item_save", assessment, season_set, "1.1"),
        {"version": "0", "value": "true"},
        headers=HTMX,
    )
    assert "Hồ sơ tự đánh giá đã gửi lúc" in response.content.decode()
    assert not Answer.objects.exists()

    assert "Rút hồ sơ" in unit_leader_client.get(url("detail", assessment)).content.decode()
    html = unit_leader_client.post(url("withdraw", assessment), follow=True).content.decode()
    assert "Đã rút hồ sơ tự đánh giá" in html
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS
    assert "muc-form" in unit_staff_client.get(url("detail", assessment)).content.decode()


def test_deadline_passed_is_read_only_until_an_extension(
    unit_staff_client: Client, unit_leader_client: Client, assessment: Assessment, season: Period
) -> None:
    Period.objects.filter(pk=season.pk).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    html = unit_staff_client.get(url("detail", assessment)).content.decode()
    assert "Đã hết hạn tự đánh giá" in html and "muc-form" not in html
    assert "Gửi hồ sơ" not in unit_leader_client.get(url("detail", assessment)).content.decode()
    assert "Đã hết hạn" in unit_staff_client.get(reverse("assessments:list")).content.decode()
    DeadlineExtension.objects.create(
        period=season,
        unit=assessment.unit,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + datetime.timedelta(days=1),
        reason="Mưa bão",
    )
    assert "muc-form" in unit_staff_client.get(url("detail", assessment)).content.decode()
    assert "Còn 1 ngày" in unit_staff_client.get(reverse("assessments:list")).content.decode()


def test_staff_cannot_submit(unit_staff_client: Client, assessment: Assessment) -> None:
    page = unit_staff_client.get(url("detail", assessment)).content.decode()
    assert url("submit", assessment) not in page
    html = unit_staff_client.post(url("submit", assessment), follow=True).content.decode()
    assert "Chỉ lãnh đạo đơn vị được gửi hồ sơ tự đánh giá." in html
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.NOT_STARTED


# --------------------------------------------------------------------------- summary, history


def test_summary_shows_the_engines_points_and_index(
    observer_client: Client, assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    for code, value in (("1.1", True), ("1.2", "87,5"), ("3", "4")):
        node = CriterionNode.objects.get(criteria_set=season_set, code=code)
        answer_save(assessment=assessment, node=node, actor=unit_staff, version=0, value=value)
    response = observer_client.get(url("summary", assessment))
    assert response.status_code == 200
    html = response.content.decode()
    # (2 + 2.62) + 0 + 4 = 8.62 of 25 → 34.48%
    assert 'id="chi-so-tam-tinh">34,48%' in html
    assert 'id="tong-diem-tu-danh-gia">8,62' in html
    assert "46,20" in html  # field 1: 4.62 / 10
    assert "chưa gồm điểm khảo sát sự hài lòng" in html
    assert 'id="du-lieu-bieu-do-linh-vuc"' in html
    assert '"values": ["46.20", "0.00", "80.00"]' in html
    assert "vendor/chart.umd.min.js" in html
    assert_csp_clean(html)


def test_history_fragment_and_csv(
    unit_staff_client: Client,
    unit_leader: User,
    assessment: Assessment,
    season_set: CriteriaSet,
    saved: Answer,
) -> None:
    answer_save(assessment=assessment, node=saved.node, actor=unit_leader, version=1, value="90")
    fragment = unit_staff_client.get(
        url("item_history", assessment, answer_id=saved.pk), headers=HTMX
    )
    html = fragment.content.decode()
    assert "<html" not in html
    assert html.index("Phạm Văn Cường") < html.index("Trần Thị Bình")  # newest first
    assert "87,5%</span> → 90%" in html
    page = unit_staff_client.get(
        url("item_history", assessment, answer_id=saved.pk)
    ).content.decode()
    assert "Lịch sử thay đổi: 1.2. Tỷ lệ hoàn thành kế hoạch CCHC" in page

    response = unit_staff_client.get(url("history_csv", assessment))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="lich-su-t-xa-liemtuyen-2025.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffThời điểm,Người thực hiện,Hành động,Tiêu chí")
    assert 'Phạm Văn Cường,Tự đánh giá,1.2,Giá trị tự đánh giá,"87,5%",90%' in text
