"""The council's results pages (/ket-qua/): compute with a progress bar, preview the draft,
publish with a decision, correct with a reason, set the leader rating rules.

Personas: Chủ tịch Phạm Minh Chính (chair) and Đỗ Thu Hà (observer) of the Sở Nội vụ of
Hà Nam, Trần Thị Bình (unit staff of a commune), an anonymous visitor, and the chair of
another province.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import Settings

from parindex.accounts.models import Role, User
from parindex.audit.models import AuditEvent
from parindex.organizations.models import Level, Unit
from parindex.organizations.services import unit_create
from parindex.periods.models import Period, PeriodKind
from parindex.periods.services import period_create
from parindex.results import manage_views
from parindex.results.models import LeaderRatingRule, ResultRow, ResultVersion, VersionStatus
from parindex.results.services import results_compute
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.helpers import evaluate_file

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

DECISION = {
    "decision_number": "125/QĐ-UBND",
    "decision_date": "01/03/2024",
    "signer_name": "Trần Văn Hùng",
    "signer_title": "Chủ tịch UBND tỉnh",
    "confirm": "on",
}


@pytest.fixture(autouse=True)
def immediate_tasks(settings: Settings) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }


@pytest.fixture
def chair(so_noi_vu: Unit) -> User:
    return User.objects.create_user(
        username="chu.tich.hoi.dong",
        full_name="Phạm Minh Chính",
        role=Role.CHAIR,
        unit=so_noi_vu,
    )


@pytest.fixture
def observer(so_noi_vu: Unit) -> User:
    return User.objects.create_user(
        username="quan.sat.ket.qua", full_name="Đỗ Thu Hà", role=Role.OBSERVER, unit=so_noi_vu
    )


def desk(period: Period) -> str:
    return f"/ket-qua/{period.pk}/"


def _html(response: Any) -> str:
    return str(response.content.decode())


def _compute(client: Client, period: Period, capture: CaptureOnCommit) -> None:
    with capture(execute=True):
        response = client.post(f"{desk(period)}tinh/")
    assert response.status_code == 302


# --------------------------------------------------------------------------- computing


def test_chair_computes_watches_the_progress_then_sees_the_engines_ranking(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    period = scenario.p2024
    page = chair_client.get(desk(period))
    assert "Chưa tính kết quả của kỳ này" in _html(page)

    # the task is queued when the transaction commits: until then the draft is computing
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = chair_client.post(f"{desk(period)}tinh/")
    assert response.status_code == 302 and response["Location"] == desk(period)
    draft = ResultVersion.objects.get(period=period)
    assert draft.status == VersionStatus.COMPUTING

    page = chair_client.get(desk(period))
    html = _html(page)
    assert f'hx-get="/ket-qua/{period.pk}/tien-do/"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "Đang chờ đến lượt tính" in html
    fragment = chair_client.get(f"{desk(period)}tien-do/", headers=HTMX)
    assert fragment.status_code == 200
    assert 'class="progress"' in _html(fragment) and "HX-Refresh" not in fragment

    # a second click while computing does not start another computation
    with django_capture_on_commit_callbacks(execute=False) as again:
        chair_client.post(f"{desk(period)}tinh/")
    assert again == []

    ResultVersion.objects.filter(pk=draft.pk).update(progress_done=1, progress_total=2)
    fragment = chair_client.get(f"{desk(period)}tien-do/", headers=HTMX)
    assert "đã xong 1/2 nhóm đơn vị" in _html(fragment)
    assert 'data-percent="50"' in _html(fragment)

    for callback in queued:  # the worker runs the task (immediate backend)
        callback()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    done = chair_client.get(f"{desk(period)}tien-do/", headers=HTMX)
    assert done["HX-Refresh"] == "true"

    # the finished view: warnings, statistics, the ranking of the first group
    page = chair_client.get(desk(period))
    html = _html(page)
    assert "Kỳ đánh giá trước chưa có kết quả công bố" in html
    assert page.context["group"].code == "so-ban-nganh"
    stats = page.context["stats"]
    assert stats["count"] == 3
    assert stats["mean"].replace(".", ",") in html

    path = tmp_path / "so.json"
    call_command("export_period", str(period.pk), "so-ban-nganh", output=str(path))
    evaluated = {u["unit"]: u for u in evaluate_file(path, capsys)["units"]}
    rows = page.context["rows"]
    assert [r.code for r in rows] == sorted(evaluated, key=lambda c: evaluated[c]["rank"])
    for row in rows:
        expected = evaluated[row.code]
        assert row.index_text == expected["index"]
        assert row.total_text == expected["total"]
        assert row.rank == expected["rank"]
        assert row.class_label == expected["class"]
        assert row.leader_rating
        assert expected["index"].replace(".", ",") in html
    assert AuditEvent.objects.filter(action="results.compute_started").count() == 1

    other = chair_client.get(desk(period), {"nhom": "ubnd-cap-huyen"})
    assert {r.code for r in other.context["rows"]} == {"T-PHULY", "T-KIMBANG", "T-DUYTIEN"}


def test_the_preview_shows_the_year_over_year_change_and_unfinalised_warnings(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    _compute(chair_client, scenario.p2023, django_capture_on_commit_callbacks)
    chair_client.post(f"{desk(scenario.p2023)}cong-bo/", DECISION)
    _compute(chair_client, scenario.p2024, django_capture_on_commit_callbacks)

    page = chair_client.get(desk(scenario.p2024), {"nhom": "ubnd-cap-huyen"})
    html = _html(page)
    assert "± Chỉ số" in html
    kim_bang = next(r for r in page.context["rows"] if r.code == "T-KIMBANG")
    assert kim_bang.index_change_text is not None
    assert kim_bang.index_change > 0 and kim_bang.rank_change > 0
    assert f"+{kim_bang.index_change_text.replace('.', ',')}" in html
    assert f"▲ {kim_bang.rank_change}" in html
    assert "Kỳ đánh giá trước chưa có kết quả công bố" not in html

    # 2025 is still in self-assessment: a preview, with its warning, but no publication
    _compute(chair_client, scenario.p2025, django_capture_on_commit_callbacks)
    html = _html(chair_client.get(desk(scenario.p2025)))
    assert "điểm thẩm định chưa chốt" in html
    assert "Chỉ công bố khi kỳ đánh giá đã chốt kết quả" in html
    assert f'action="/ket-qua/{scenario.p2025.pk}/cong-bo/' not in html


def test_search_ignores_diacritics_and_pages_hold_a_fixed_number_of_rows(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _compute(chair_client, scenario.p2023, django_capture_on_commit_callbacks)
    url = desk(scenario.p2023)

    found = chair_client.get(url, {"nhom": "ubnd-cap-huyen", "q": "kim bang"})
    assert [r.code for r in found.context["rows"]] == ["T-KIMBANG"]
    assert "Tìm “kim bang”: 1 đơn vị" in _html(found)

    table = chair_client.get(
        url,
        {"nhom": "ubnd-cap-huyen", "q": "duy tien"},
        headers={**HTMX, "HX-Target": "bang-ban-nhap"},
    )
    html = _html(table)
    assert html.lstrip().startswith("<div") and "<html" not in html
    assert "UBND thị xã Duy Tiên" in html and "Kim Bảng" not in html

    monkeypatch.setattr(manage_views, "PAGE_SIZE", 2)
    first = chair_client.get(url, {"nhom": "ubnd-cap-huyen"})
    second = chair_client.get(url, {"nhom": "ubnd-cap-huyen", "trang": "2"})
    codes = [r.code for r in first.context["rows"]] + [r.code for r in second.context["rows"]]
    assert len(first.context["rows"]) == 2
    assert sorted(codes) == ["T-DUYTIEN", "T-KIMBANG", "T-PHULY"]
    assert "Trang 1/2 (3 đơn vị)" in _html(first)
    assert "nhom=ubnd-cap-huyen&amp;trang=2" in _html(first)


def test_a_failed_computation_shows_its_message_and_can_be_retried(
    scenario: Scenario, chair_client: Client
) -> None:
    ResultVersion.objects.create(
        period=scenario.p2023,
        status=VersionStatus.FAILED,
        error="Không tính được kết quả: thiếu bộ tiêu chí của nhóm UBND cấp huyện",
    )
    html = _html(chair_client.get(desk(scenario.p2023)))
    assert "thiếu bộ tiêu chí của nhóm UBND cấp huyện" in html
    assert "Tính lỗi" in html
    assert "Tính kết quả" in html


def test_discarding_the_draft_keeps_published_versions(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    _compute(chair_client, scenario.p2023, django_capture_on_commit_callbacks)
    chair_client.post(f"{desk(scenario.p2023)}cong-bo/", DECISION)
    _compute(chair_client, scenario.p2023, django_capture_on_commit_callbacks)
    assert ResultVersion.objects.filter(period=scenario.p2023).count() == 2

    response = chair_client.post(f"{desk(scenario.p2023)}huy-ban-nhap/")

    assert response.status_code == 302
    assert list(ResultVersion.objects.filter(period=scenario.p2023).values_list("status")) == [
        (VersionStatus.PUBLISHED,)
    ]
    assert "Chưa tính" in _html(chair_client.get(desk(scenario.p2023)))


# --------------------------------------------------------------------------- publishing


def test_publishing_with_missing_fields_shows_vietnamese_errors_and_publishes_nothing(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)

    empty = chair_client.post(
        f"{desk(period)}cong-bo/",
        {"decision_number": " ", "decision_date": "", "signer_name": "", "confirm": "on"},
    )
    assert empty.status_code == 400
    form = empty.context["publish_form"]
    assert form.errors["decision_number"] == ["Nhập số quyết định công bố."]
    assert form.errors["decision_date"] == ["Nhập ngày ký quyết định."]
    assert form.errors["signer_name"] == ["Nhập họ tên người ký quyết định."]
    html = _html(empty)
    assert "Nhập họ tên người ký quyết định." in html
    assert "is-invalid" in html and "Chưa công bố" in html

    bad_date = chair_client.post(
        f"{desk(period)}cong-bo/", {**DECISION, "decision_date": "31/02/2024"}
    )
    assert bad_date.status_code == 400
    assert bad_date.context["publish_form"].errors["decision_date"] == [
        "Ngày ký không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)."
    ]

    for day, message in (
        ("15/03/2099", "Ngày ký 15/03/2099 chưa đến (hôm nay là "),
        ("31/12/9999", "Ngày ký 31/12/9999 chưa đến (hôm nay là "),
        ("31/12/2022", "Ngày ký 31/12/2022 trước năm 2023 của kỳ đánh giá: quyết định công bố"),
    ):
        wrong_day = chair_client.post(f"{desk(period)}cong-bo/", {**DECISION, "decision_date": day})
        assert wrong_day.status_code == 400
        [error] = wrong_day.context["publish_form"].errors["decision_date"]
        assert error.startswith(message)

    unconfirmed = {k: v for k, v in DECISION.items() if k != "confirm"}
    refused = chair_client.post(f"{desk(period)}cong-bo/", unconfirmed)
    assert refused.status_code == 400
    assert "Đánh dấu ô xác nhận trước khi công bố." in _html(refused)

    assert not ResultVersion.objects.published().exists()
    assert ResultVersion.objects.get(period=period).status == VersionStatus.DRAFT


def test_publish_then_correct_with_a_reason_keeps_both_versions_listed(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    before = _html(chair_client.get(desk(period)))
    assert "chính thức và không sửa được" in before

    response = chair_client.post(f"{desk(period)}cong-bo/", DECISION)

    assert response.status_code == 302
    first = ResultVersion.objects.get(period=period)
    assert (first.status, first.number, first.decision_number) == (
        VersionStatus.PUBLISHED,
        1,
        "125/QĐ-UBND",
    )
    assert first.decision_date is not None and first.decision_date.isoformat() == "2024-03-01"
    assert first.signer_title == "Chủ tịch UBND tỉnh"
    html = _html(chair_client.get(desk(period), follow=True))
    assert "Đã công bố kết quả Năm 2023, phiên bản 1." in html
    assert f'href="/cong-bo/{period.pk}/?phien-ban=1"' in html

    # a correction: the form explains that a reason is needed, and refuses without one
    _compute(chair_client, period, django_capture_on_commit_callbacks)
    page = chair_client.get(desk(period))
    assert "Bắt buộc: kỳ này đã công bố phiên bản 1" in _html(page)
    assert "Công bố đính chính (phiên bản 2)" in _html(page)
    correction = {**DECISION, "decision_number": "130/QĐ-UBND", "decision_date": "20/03/2024"}
    refused = chair_client.post(f"{desk(period)}cong-bo/", correction)
    assert refused.status_code == 400
    assert refused.context["publish_form"].errors["reason"] == [
        "Kỳ này đã công bố phiên bản 1: nhập lý do đính chính."
    ]
    assert ResultVersion.objects.published().count() == 1

    accepted = chair_client.post(
        f"{desk(period)}cong-bo/", {**correction, "reason": "Sai điểm tiêu chí 2 của Sở Tư pháp"}
    )

    assert accepted.status_code == 302
    first.refresh_from_db()
    second = ResultVersion.objects.get(period=period, number=2)
    assert first.status == VersionStatus.SUPERSEDED
    assert (second.status, second.supersedes, second.reason) == (
        VersionStatus.PUBLISHED,
        first,
        "Sai điểm tiêu chí 2 của Sở Tư pháp",
    )
    page = chair_client.get(desk(period))
    assert [v.number for v in page.context["versions"]] == [2, 1]
    html = _html(page)
    assert "Đã được đính chính" in html and "Đang công bố" in html
    assert "Sai điểm tiêu chí 2 của Sở Tư pháp" in html
    assert "130/QĐ-UBND" in html and "125/QĐ-UBND" in html
    assert f'href="/cong-bo/{period.pk}/?phien-ban=2"' in html
    assert f'href="/cong-bo/{period.pk}/?phien-ban=1"' in html

    index = _html(chair_client.get("/ket-qua/"))
    assert "Phiên bản 2" in index and "130/QĐ-UBND" in index


def test_publishing_without_a_finished_draft_is_refused(
    scenario: Scenario, chair_client: Client
) -> None:
    response = chair_client.post(f"{desk(scenario.p2023)}cong-bo/", DECISION, follow=True)
    assert "Chưa có bản nháp đã tính xong để công bố" in _html(response)
    assert not ResultVersion.objects.exists()


# --------------------------------------------------------------------------- who may do what


def test_the_periods_list_shows_drafts_and_current_versions_of_the_province(
    scenario: Scenario,
    chair_client: Client,
    observer_client: Client,
    superuser_client: Client,
) -> None:
    results_compute(period=scenario.p2024, actor=None)
    for client in (chair_client, observer_client, superuser_client):
        page = client.get("/ket-qua/")
        assert page.status_code == 200
        assert [item.period for item in page.context["items"]] == [
            scenario.p2025,
            scenario.p2024,
            scenario.p2023,
        ]
    html = _html(chair_client.get("/ket-qua/"))
    assert "Đã tính xong" in html and "Chưa công bố" in html and "Chưa tính" in html


def test_observer_views_everything_but_every_change_is_forbidden(
    scenario: Scenario,
    observer_client: Client,
) -> None:
    period = scenario.p2023
    results_compute(period=period, actor=None)

    page = observer_client.get(desk(period))
    assert page.status_code == 200
    html = _html(page)
    assert "Bạn có quyền xem" in html
    assert f'action="/ket-qua/{period.pk}/tinh/"' not in html
    assert page.context["rows"]
    assert observer_client.get(f"{desk(period)}nguoi-dung-dau/").status_code == 200

    for action, data in (
        ("tinh/", {}),
        ("cong-bo/", DECISION),
        ("huy-ban-nhap/", {}),
        ("nguoi-dung-dau/", {"class_label": ["Xuất sắc"], "rating": ["Tốt"], "field_min": [""]}),
    ):
        assert observer_client.post(f"{desk(period)}{action}", data).status_code == 403, action
    assert ResultVersion.objects.get(period=period).status == VersionStatus.DRAFT
    assert not LeaderRatingRule.objects.exists()


def test_unit_staff_and_anonymous_visitors_do_not_reach_the_results_desk(
    scenario: Scenario, unit_staff_client: Client, anonymous_client: Client
) -> None:
    period = scenario.p2023
    results_compute(period=period, actor=None)
    for url in (
        "/ket-qua/",
        desk(period),
        f"{desk(period)}tien-do/",
        f"{desk(period)}nguoi-dung-dau/",
    ):
        assert unit_staff_client.get(url).status_code == 404, url
    for action in ("tinh/", "cong-bo/", "huy-ban-nhap/", "nguoi-dung-dau/"):
        assert unit_staff_client.post(f"{desk(period)}{action}", DECISION).status_code == 404

    # anonymous: sent to sign in, like the council's survey pages
    survey = anonymous_client.get("/khao-sat/")
    assert survey.status_code == 302 and "/tai-khoan/" in survey["Location"]
    for url in ("/ket-qua/", desk(period)):
        response = anonymous_client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(survey["Location"].split("?")[0])
    assert anonymous_client.post(f"{desk(period)}cong-bo/", DECISION).status_code == 302
    assert not ResultVersion.objects.published().exists()


def test_a_period_of_another_province_is_not_found(
    scenario: Scenario, chair_client: Client, criteria_set: Any, departments_group: Any
) -> None:
    other = unit_create(code="T-NDI", name="Tỉnh Nam Định", level=Level.PROVINCE, actor=None)
    foreign = period_create(
        jurisdiction=other,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Nam Định 2024",
        groups={departments_group: criteria_set},
        actor=None,
    )
    for url in (desk(foreign), f"{desk(foreign)}nguoi-dung-dau/", f"{desk(foreign)}tien-do/"):
        assert chair_client.get(url).status_code == 404, url
    assert chair_client.post(f"{desk(foreign)}tinh/").status_code == 404
    assert not ResultVersion.objects.filter(period=foreign).exists()
    page = chair_client.get("/ket-qua/")
    assert foreign not in [item.period for item in page.context["items"]]


# --------------------------------------------------------------------------- leader rules


def test_leader_rules_round_trip_and_apply_at_the_next_computation(
    scenario: Scenario,
    chair_client: Client,
    django_capture_on_commit_callbacks: CaptureOnCommit,
) -> None:
    period = scenario.p2023
    url = f"{desk(period)}nguoi-dung-dau/"
    page = chair_client.get(url)
    html = _html(page)
    assert "áp dụng ở <strong>lần tính kết quả tiếp theo</strong>" in html
    assert "quy tắc mặc định" in html
    prefilled = [
        (r.line.class_label, r.line.rating) for r in page.context["rows"] if r.line.class_label
    ]
    assert prefilled[0] == ("Xuất sắc", "Hoàn thành xuất sắc nhiệm vụ")
    assert [label for label, _ in prefilled] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]

    response = chair_client.post(
        url,
        {
            "class_label": ["Xuất sắc", "", "Tốt", "Khá", "Trung bình", "Yếu"],
            "rating": [
                "Hoàn thành xuất sắc",
                "",
                "Hoàn thành tốt",
                "Hoàn thành",
                "Hoàn thành",
                "Không hoàn thành",
            ],
            "field_min": ["80,5", "", "", "", "", ""],
        },
    )

    assert response.status_code == 302
    stored = list(
        LeaderRatingRule.objects.filter(period=period).values_list(
            "position", "class_label", "rating", "field_min"
        )
    )
    assert [(p, c, r) for p, c, r, _ in stored] == [
        (0, "Xuất sắc", "Hoàn thành xuất sắc"),
        (1, "Tốt", "Hoàn thành tốt"),
        (2, "Khá", "Hoàn thành"),
        (3, "Trung bình", "Hoàn thành"),
        (4, "Yếu", "Không hoàn thành"),
    ]
    assert str(stored[0][3]) == "80.50" and stored[1][3] is None
    page = chair_client.get(url)
    assert page.context["rows"][0].line.field_min == "80,5"
    assert "Xoá hết các dòng rồi lưu" in _html(page)
    assert AuditEvent.objects.filter(action="results.leader_rules_updated").count() == 1

    _compute(chair_client, period, django_capture_on_commit_callbacks)
    ratings = set(
        ResultRow.objects.filter(version__period=period).values_list("leader_rating", flat=True)
    )
    assert ratings <= {"Hoàn thành xuất sắc", "Hoàn thành tốt", "Hoàn thành", "Không hoàn thành"}
    assert "Hoàn thành nhiệm vụ" not in ratings and "Hoàn thành tốt nhiệm vụ" not in ratings


def test_leader_rules_refuse_an_unknown_class_and_a_bad_percentage(
    scenario: Scenario, chair_client: Client
) -> None:
    url = f"{desk(scenario.p2023)}nguoi-dung-dau/"

    unknown = chair_client.post(
        url,
        {"class_label": ["Xuất sắc", "Giỏi"], "rating": ["Tốt", "Khá"], "field_min": ["", ""]},
    )

    assert unknown.status_code == 400
    html = _html(unknown)
    assert "Dòng 2: xếp loại “Giỏi” không có trong bộ tiêu chí" in html
    assert "Giỏi (không có trong bộ tiêu chí)" in html  # the typed value is shown again
    assert [r.invalid for r in unknown.context["rows"]][:2] == [False, True]

    bad = chair_client.post(
        url, {"class_label": ["Xuất sắc"], "rating": ["Tốt"], "field_min": ["tám mươi"]}
    )
    assert bad.status_code == 400
    assert "Dòng 1: tỷ lệ tối thiểu mỗi lĩnh vực “tám mươi” không phải số." in _html(bad)

    too_high = chair_client.post(
        url, {"class_label": ["Xuất sắc"], "rating": [""], "field_min": ["120"]}
    )
    assert too_high.status_code == 400
    html = _html(too_high)
    assert "Dòng 1: thiếu mức đánh giá người đứng đầu." in html
    assert "phải từ 0 đến 100" in html

    too_long = chair_client.post(
        url, {"class_label": ["Xuất sắc"], "rating": ["Hoàn thành " * 12], "field_min": [""]}
    )
    assert too_long.status_code == 400
    assert "Dòng 1: mức đánh giá người đứng đầu dài quá 100 ký tự." in _html(too_long)

    assert not LeaderRatingRule.objects.exists()


# --------------------------------------------------------------------------- admin


def test_the_admin_shows_results_read_only(scenario: Scenario, superuser_client: Client) -> None:
    draft = results_compute(period=scenario.p2023, actor=None)
    rows = superuser_client.get("/quan-tri/results/resultrow/", {"q": "tu phap"})
    assert rows.status_code == 200
    assert "Sở Tư pháp" in _html(rows) and "Sở Nội vụ" not in _html(rows)
    assert (
        superuser_client.get(f"/quan-tri/results/resultversion/{draft.pk}/change/").status_code
        == 200
    )
    assert superuser_client.get("/quan-tri/results/resultversion/add/").status_code == 403
    assert superuser_client.get("/quan-tri/results/leaderratingrule/").status_code == 200
    assert superuser_client.get("/quan-tri/results/resultgroup/").status_code == 200
