"""Nhật ký (/nhat-ky/): who sees which events, the filters, the exports."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.tests.conftest import HA_NAM, World
from tests.personas import client_for

pytestmark = pytest.mark.django_db

URL = "/nhat-ky/"


def shown(client: Client, **params: Any) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [row.event.pk for row in response.context["rows"]]


def ids(world: World, *names: str) -> list[int]:
    """The events named, newest first (the page's order)."""
    found = [world.events[name] for name in names]
    return [e.pk for e in sorted(found, key=lambda e: (e.at, e.pk), reverse=True)]


# --------------------------------------------------------------------------- who


def test_the_url_and_the_menu(chair_client: Client, world: World) -> None:
    assert reverse("audit:log") == URL
    page = chair_client.get("/viec-can-lam/").content.decode()
    assert 'href="/nhat-ky/"' in page


def test_chair_sees_the_events_of_their_jurisdiction_only(
    chair_client: Client, world: World
) -> None:
    assert shown(chair_client) == ids(world, *HA_NAM)


def test_observer_sees_the_same(observer_client: Client, world: World) -> None:
    assert shown(observer_client) == ids(world, *HA_NAM)


def test_the_other_provinces_chair_sees_theirs_only(world: World) -> None:
    client = client_for(world.other_chair)
    assert shown(client) == ids(world, "nbi_unit", "nbi_assessment", "nbi_period")
    # and cannot pick a period or a unit of Hà Nam
    response = client.get(URL, {"ky": world.period.pk, "don-vi": world.assessment.unit_id})
    assert response.status_code == 200
    assert response.context["rows"] == [] or all(
        row.event.pk in ids(world, "nbi_unit", "nbi_assessment", "nbi_period")
        for row in response.context["rows"]
    )
    errors = response.context["form"].errors
    assert errors["ky"] == ["Kỳ đánh giá: lựa chọn không hợp lệ."]
    assert errors["don-vi"] == ["Đơn vị: lựa chọn không hợp lệ."]


def test_superuser_sees_everything(superuser_client: Client, world: World) -> None:
    assert len(shown(superuser_client)) == len(world.events)


@pytest.mark.parametrize("persona", ["unit_staff", "unit_leader", "appraiser", "manager"])
def test_others_are_not_found(request: pytest.FixtureRequest, persona: str, world: World) -> None:
    client = client_for(request.getfixturevalue(persona))
    for url in (URL, reverse("audit:log_csv"), reverse("audit:log_xlsx")):
        assert client.get(url).status_code == 404


def test_a_chair_without_a_unit_is_not_found(world: World) -> None:
    lost = User.objects.create_user(username="lac", role="chair")
    assert client_for(lost).get(URL).status_code == 404


def test_anonymous_is_sent_to_sign_in(anonymous_client: Client) -> None:
    response = anonymous_client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --------------------------------------------------------------------------- filters


def test_filter_by_unit(chair_client: Client, world: World) -> None:
    commune = world.assessment.unit_id
    assert shown(chair_client, **{"don-vi": commune}) == ids(
        world, "self", "submitted", "appraised", "unit"
    )


def test_filter_by_period(chair_client: Client, world: World) -> None:
    assert shown(chair_client, ky=world.period.pk) == ids(
        world, "period", "self", "submitted", "appraised", "other_commune"
    )


def test_filter_by_item_code_and_its_children(chair_client: Client, world: World) -> None:
    assert shown(chair_client, **{"tieu-chi": "1.1"}) == ids(world, "self", "appraised")
    assert shown(chair_client, **{"tieu-chi": "3"}) == ids(world, "other_commune")
    assert shown(chair_client, **{"tieu-chi": "1.10"}) == []
    response = chair_client.get(URL, {"tieu-chi": "1.1'; drop"})
    assert response.context["form"].errors["tieu-chi"] == [
        "Tiêu chí (mã): chỉ gồm chữ, số và dấu chấm, ví dụ 1.2."
    ]


def test_filter_by_person_without_diacritics(chair_client: Client, world: World) -> None:
    # Trần Thị Bình, the commune's staff
    assert shown(chair_client, nguoi="tran thi binh") == ids(world, "self", "submitted")
    assert shown(chair_client, nguoi="Bình") == ids(world, "self", "submitted")
    assert shown(chair_client, nguoi="tham.dinh") == ids(world, "appraised")
    assert shown(chair_client, nguoi="he thong") == ids(world, "unit")
    assert shown(chair_client, nguoi="khong ai") == []


def test_filter_by_action(chair_client: Client, world: World) -> None:
    assert shown(chair_client, **{"hanh-dong": "answer.self_saved"}) == ids(
        world, "self", "other_commune"
    )
    response = chair_client.get(URL, {"hanh-dong": "drop.table"})
    assert response.context["form"].errors["hanh-dong"] == ["Hành động: lựa chọn không hợp lệ."]


def test_filter_by_dates(chair_client: Client, world: World) -> None:
    assert shown(chair_client, **{"tu-ngay": "2025-03-04", "den-ngay": "2025-03-11"}) == ids(
        world, "submitted", "appraised", "other_commune"
    )
    assert shown(chair_client, **{"den-ngay": "2025-03-01"}) == ids(world, "period")
    response = chair_client.get(URL, {"tu-ngay": "2025-03-10", "den-ngay": "2025-03-01"})
    assert response.context["form"].errors["den-ngay"] == ["Đến ngày phải cùng hoặc sau Từ ngày."]
    response = chair_client.get(URL, {"tu-ngay": "hôm qua"})
    assert response.status_code == 200
    assert response.context["form"].errors["tu-ngay"] == [
        "Từ ngày: ngày không hợp lệ (chọn ngày trên lịch)."
    ]


def test_filters_combine(chair_client: Client, world: World) -> None:
    params: dict[str, Any] = {
        "don-vi": world.assessment.unit_id,
        "nguoi": "binh",
        "hanh-dong": "answer.self_saved",
    }
    assert shown(chair_client, **params) == ids(world, "self")


def test_the_page_shows_words_not_codes(chair_client: Client, world: World) -> None:
    page = chair_client.get(URL, {"tieu-chi": "1.1"}).content.decode()
    table = page[page.index('id="bang-nhat-ky"') :]
    assert "Thẩm định nội dung" in table and "answer." not in table
    assert "Tự đánh giá nội dung" in page
    assert "Lê Văn Thẩm" in page
    assert "19:00 10/03/2025" not in page and "09:00 10/03/2025" in page
    assert "Tiêu chí 1.1" in page and "UBND xã Liêm Tuyền" in page
    assert "Chỉ số CCHC năm 2025" in page
    # before → after of the appraisal
    assert "Giá trị thẩm định:" in page and "Không đạt" in page
    assert '<span class="truoc">4</span>' in page and '<span class="sau">0</span>' in page
    assert "Thiếu quyết định" in page
    for label in ("Kỳ đánh giá", "Đơn vị", "Người thực hiện", "Tiêu chí (mã)", "Hành động"):
        assert f">{label}</label>" in page
    assert 'type="date" name="tu-ngay"' in page and 'type="date" name="den-ngay"' in page
    assert "Tải CSV" in page and "Tải Excel (XLSX)" in page
    assert '<optgroup label="Nội dung chấm điểm">' in page
    assert '<option value="answer.appraised">Thẩm định nội dung</option>' in page
    assert f'<option value="{world.period.pk}">Chỉ số CCHC năm 2025</option>' in page
    assert "UBND xã Liêm Tuyền</option>" in page and "Gia Vân</option>" not in page
    assert 'value="1.1"' in page


def test_a_bad_filter_is_marked_on_its_field(chair_client: Client, world: World) -> None:
    page = chair_client.get(URL, {"tu-ngay": "2025-13-01"}).content.decode()
    assert 'aria-describedby="id_tu-ngay_error"' in page and "is-invalid" in page
    assert 'id="id_tu-ngay_error">Từ ngày: ngày không hợp lệ' in page


def test_pages_of_fifty_and_a_bounded_number_of_queries(
    chair_client: Client,
    world: World,
    unit_staff: User,
    django_assert_max_num_queries: Any,
) -> None:
    from parindex.audit.models import AuditEvent
    from parindex.audit.services import event

    AuditEvent.objects.bulk_create(
        [
            event(
                actor=unit_staff,
                action="answer.self_saved",
                target=world.answer_11,
                summary=f"Lưu {i}",
            )
            for i in range(120)
        ]
    )
    with django_assert_max_num_queries(20):
        response = chair_client.get(URL)
    assert len(response.context["rows"]) == 50
    assert response.context["count"] == 127
    assert "Trang 1/3" in response.content.decode()
    assert len(chair_client.get(URL, {"trang": 3}).context["rows"]) == 27
    assert chair_client.get(URL, {"trang": "x"}).status_code == 200


def test_links_keep_the_filters(chair_client: Client, world: World) -> None:
    page = chair_client.get(URL, {"nguoi": "binh", "trang": "1"}).content.decode()
    assert 'href="/nhat-ky/tai-ve.csv?nguoi=binh"' in page
    assert 'href="/nhat-ky/tai-ve.xlsx?nguoi=binh"' in page


# --------------------------------------------------------------------------- exports


def _csv(client: Client, **params: Any) -> list[list[str]]:
    response = client.get(reverse("audit:log_csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="nhat-ky-')
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_export_of_the_filtered_list(chair_client: Client, world: World) -> None:
    rows = _csv(chair_client, **{"tieu-chi": "1.1"})
    assert rows[0][:4] == ["Thời điểm", "Người thực hiện", "Tên đăng nhập", "Hành động"]
    assert len(rows) == 3
    appraised = rows[1]
    assert appraised[0] == "09:00 10/03/2025"
    assert appraised[1:5] == ["Lê Văn Thẩm", "tham.dinh", "Thẩm định nội dung", "answer.appraised"]
    assert appraised[5:8] == ["Chỉ số CCHC năm 2025", "UBND xã Liêm Tuyền", "1.1"]
    assert appraised[10] == (
        "Giá trị thẩm định: — → Không đạt; Điểm: 4 → 0; Ý kiến thẩm định: — → Thiếu quyết định"
    )
    assert rows[2][3] == "Tự đánh giá nội dung"


def test_csv_export_is_scoped_like_the_page(world: World) -> None:
    rows = _csv(client_for(world.other_chair))
    assert {row[9] for row in rows[1:]} == {
        "Tạo kỳ đánh giá Ninh Bình",
        "Khoá hồ sơ Gia Vân",
        "Sửa",
    }


def test_csv_cells_are_inert(chair_client: Client, world: World, unit_staff: User) -> None:
    from parindex.audit.services import record

    record(
        actor=unit_staff,
        action="answer.self_saved",
        target=world.answer_11,
        summary="=HYPERLINK(1)",
    )
    rows = _csv(chair_client, **{"nguoi": "binh"})
    assert "'=HYPERLINK(1)" in [row[9] for row in rows]


def test_xlsx_export_opens_with_the_same_rows(chair_client: Client, world: World) -> None:
    response = chair_client.get(reverse("audit:log_xlsx"), {"don-vi": world.assessment.unit_id})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Nhật ký"]
    values = [list(r) for r in sheet.iter_rows(min_row=3, values_only=True)]
    assert values[0][:4] == ["Thời điểm", "Người thực hiện", "Tên đăng nhập", "Hành động"]
    body = values[1:]
    assert [r[4] for r in body] == [
        "unit.updated",
        "answer.appraised",
        "assessment.submitted",
        "answer.self_saved",
    ]
    unit_row, appraised = body[0], body[1]
    assert unit_row[1] == "Hệ thống"
    assert unit_row[10] == "Tên: UBND xã Liem Tuyen → UBND xã Liêm Tuyền"
    local = datetime.datetime(2025, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone())
    assert appraised[0] == local.replace(tzinfo=None)  # a real date-time cell, local time
    assert appraised[3] == "Thẩm định nội dung"
    assert "Điểm: 4 → 0" in appraised[10]
    assert body[2][10] == "Trạng thái: Đang tự đánh giá → Đã gửi; Gửi lúc: — → 09:00 04/03/2025"


def test_a_long_list_is_counted_up_to_a_cap(
    chair_client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parindex.audit import selectors, views

    monkeypatch.setattr(selectors, "COUNT_CAP", 5)
    monkeypatch.setattr(views, "COUNT_CAP", 5)
    response = chair_client.get(URL)
    assert response.context["capped"] is True
    assert "Hơn 5 sự kiện (hãy lọc hẹp hơn)" in response.content.decode()


def test_the_superuser_sees_targets_of_any_kind_and_gone_ones(
    superuser_client: Client, world: World, unit_staff: User
) -> None:
    from parindex.audit.services import record
    from parindex.periods.models import Period

    gone = Period.objects.create(
        name="Kỳ tạo nhầm", jurisdiction=world.period.jurisdiction, year=2030
    )
    record(actor=None, action="period.deleted", target=gone, summary="Xoá kỳ tạo nhầm")
    gone_id = gone.pk
    gone.delete()
    page = superuser_client.get(URL).content.decode()
    assert f"Kỳ đánh giá #{gone_id} (không còn)" in page
    assert "Người dùng: Trần Thị Bình" in page  # the account's event, by the account's name
