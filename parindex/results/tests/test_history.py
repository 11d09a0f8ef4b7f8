"""Importing results published before the system was used (history).

Personas: Chủ tịch Phạm Minh Chính (chair of the council, Sở Nội vụ of Hà Nam) imports the
2022 and 2023 rankings published by decisions of Chủ tịch UBND tỉnh Trần Văn Hùng; Nguyễn
Văn An (staff of the Sở Nội vụ, not the chair) and Trần Thị Bình (a commune's official) are
refused with a 404.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from parindex.accounts.models import Role, User
from parindex.audit.models import AuditEvent
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.results.history.parsed import HistoryFile
from parindex.results.history.services import history_import
from parindex.results.models import ResultGroup, ResultRow, ResultVersion, VersionStatus
from parindex.results.services import Decision, results_compute
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.helpers import evaluate_file

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Nhóm (mã nhóm)",
    "Điểm thẩm định",
    "Điểm khảo sát",
    "Tổng điểm",
    "Chỉ số (%)",
    "Xếp hạng",
    "Xếp loại",
]
DECISION_2022 = Decision(
    number="312/QĐ-UBND",
    date=dt.date(2023, 3, 15),
    signer_name="Trần Văn Hùng",
    signer_title="Chủ tịch UBND tỉnh",
)
TABLE_2022: list[list[Any]] = [
    HEADER,
    ["T-SNV", "Sở Nội vụ", "so-ban-nganh", "78,5", 8.25, 86.75, 86.75, None, "Tốt"],
    ["T-STP", "Sở Tư pháp", "so-ban-nganh", 70, 8, 78, "78", None, "Khá"],
    ["T-BCVT", "Sở Bưu chính, Viễn thông", "so-ban-nganh", 60, 7.5, 67.5, 67.5, None, "Trung bình"],
    ["T-VP", "Văn phòng UBND tỉnh", "Sở, ban, ngành", 86.75, None, 86.75, "86,75", None, ""],
    ["T-PHULY", "UBND thành phố Phủ Lý", "ubnd-cap-huyen", 82, 8.1, 90.1, 90.1, 1, "Tốt"],
    ["T-KIMBANG", "UBND huyện Kim Bảng", "ubnd-cap-huyen", 77, 8, 85, 85, 2, "Tốt"],
    ["T-DUYTIEN", "UBND thị xã Duy Tiên", "ubnd-cap-huyen", 70, 7, 77, 77, 3, "Khá"],
]


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(
    province: Unit,
    data: bytes,
    name: str = "ket-qua-2022.xlsx",
    *,
    year: int = 2022,
    decision: Decision = DECISION_2022,
    more: tuple[HistoryFile, ...] = (),
    group_code: str = "",
) -> Any:
    return history_import(
        jurisdiction=province,
        year=year,
        data=data,
        filename=name,
        decision=decision,
        actor=None,
        more=more,
        group_code=group_code,
    )


def refused(province: Unit, data: bytes, name: str = "ket-qua.xlsx", **kwargs: Any) -> list[str]:
    """The messages of a refused import, checking that nothing was stored."""

    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (Period, ResultVersion, ResultGroup, ResultRow))

    before = counts()
    with pytest.raises(ValidationError) as error:
        run(province, data, name, **kwargs)
    assert counts() == before
    return error.value.messages


# --------------------------------------------------------------------------- the table


def test_a_published_table_becomes_a_published_version_of_a_finalised_period(
    scenario: Scenario, province: Unit
) -> None:
    outcome = run(province, xlsx(TABLE_2022))

    version = outcome.version
    assert outcome.created
    period = version.period
    assert (period.name, period.year, period.status, period.jurisdiction) == (
        "Năm 2022",
        2022,
        PeriodStatus.FINALISED,
        province,
    )
    assert not PeriodGroup.objects.filter(period=period).exists()  # no criteria needed
    assert (version.status, version.source, version.number) == (
        VersionStatus.PUBLISHED,
        "imported",
        1,
    )
    assert (version.decision_number, version.decision_date, version.signer_name) == (
        "312/QĐ-UBND",
        dt.date(2023, 3, 15),
        "Trần Văn Hùng",
    )
    assert version.units_count == 7

    rows = {r.code: r for r in ResultRow.objects.filter(version=version)}
    # ranks by the engine's rule (equal indexes share a rank), given ones kept
    assert {code: r.rank for code, r in rows.items()} == {
        "T-SNV": 1,
        "T-VP": 1,
        "T-STP": 3,
        "T-BCVT": 4,
        "T-PHULY": 1,
        "T-KIMBANG": 2,
        "T-DUYTIEN": 3,
    }
    departments = ResultGroup.objects.get(version=version, code="so-ban-nganh")
    assert [r.code for r in departments.rows.order_by("position")] == [
        "T-SNV",
        "T-VP",
        "T-STP",
        "T-BCVT",
    ]
    snv = rows["T-SNV"]
    assert (snv.index, snv.points, snv.survey, snv.total) == (
        Decimal("86.75"),
        Decimal("78.5"),
        Decimal("8.25"),
        Decimal("86.75"),
    )
    # every number of a group with the group's places, as published
    assert rows["T-STP"].detail["index"] == "78.00"
    assert rows["T-SNV"].detail["points"] == "78.50"
    assert rows["T-VP"].survey is None  # blank: not surveyed
    assert rows["T-VP"].class_label == ""
    assert rows["T-SNV"].unit_id == scenario.units["T-SNV"].pk
    assert rows["T-BCVT"].unit_id is None  # merged since: imported, not linked
    assert any("T-BCVT" in w for w in version.warnings)

    # statistics with the engine's rounding, from the published indexes
    assert departments.stats["mean"] == "79.75"  # (86.75 + 86.75 + 78 + 67.5) / 4
    assert (departments.stats["max"], departments.stats["min"]) == ("86.75", "67.50")
    assert departments.stats["spread"] == "19.25"
    assert departments.stats["above_mean"] == 2
    assert departments.stats["classes"] == {"Tốt": 1, "Khá": 1, "Trung bình": 1}
    assert departments.stats["class_order"] == ["Tốt", "Khá", "Trung bình"]
    assert (departments.index_places, departments.points_places) == (2, 2)
    assert AuditEvent.objects.filter(action="results.history_imported").count() == 1

    # the first period on the system now compares with it
    assert outcome.linked == [scenario.p2023]
    scenario.p2023.refresh_from_db()
    assert scenario.p2023.previous == period


def test_the_imported_table_is_open_data_like_any_published_one(
    anonymous_client: Client, scenario: Scenario, province: Unit
) -> None:
    version = run(province, xlsx(TABLE_2022)).version
    response = anonymous_client.get(f"/cong-bo/{version.period_id}/so-ban-nganh/bang-xep-hang.csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    lines = text.splitlines()
    assert lines[1] == 'T-SNV,Sở Nội vụ,,"Sở, ban, ngành",78.50,8.25,,,86.75,,86.75,1,Tốt,,,,,'
    assert lines[2] == 'T-VP,Văn phòng UBND tỉnh,,"Sở, ban, ngành",86.75,,,,86.75,,86.75,1,,,,,,'
    assert lines[4].startswith("T-BCVT,") and lines[4].endswith(",67.50,4,Trung bình,,,,,")

    api = f"/api/published/periods/{version.period_id}/groups/so-ban-nganh"
    group = anonymous_client.get(api).json()
    assert group["version"]["source"] == "imported"
    assert group["group"]["stats"]["mean"] == "79.75"
    assert [(r["code"], r["index"], r["rank"]) for r in group["rows"]] == [
        ("T-SNV", "86.75", 1),
        ("T-VP", "86.75", 1),
        ("T-STP", "78.00", 3),
        ("T-BCVT", "67.50", 4),
    ]
    unit = anonymous_client.get(f"{api}/units/T-SNV").json()
    assert (unit["points"], unit["survey"], unit["fields"]) == ("78.50", "8.25", [])
    assert [(h["year"], h["index"]) for h in unit["history"]] == [(2022, "86.75")]
    points = anonymous_client.get(f"/cong-bo/{version.period_id}/ubnd-cap-huyen/diem-chi-tiet.csv")
    assert points.status_code == 200


def test_the_same_results_twice_store_nothing_and_a_change_needs_a_reason(
    scenario: Scenario, province: Unit
) -> None:
    first = run(province, xlsx(TABLE_2022)).version

    again = run(province, xlsx(TABLE_2022), "ban-sao.xlsx")
    assert not again.created
    assert again.version == first
    assert ResultVersion.objects.filter(period=first.period).count() == 1
    assert ResultRow.objects.filter(version__period=first.period).count() == 7

    changed = [list(row) for row in TABLE_2022]
    changed[2][6] = "79.5"
    messages = refused(province, xlsx(changed))
    assert any("nhập lý do đính chính" in m for m in messages)

    corrected = run(
        province,
        xlsx(changed),
        decision=Decision(
            "320/QĐ-UBND", dt.date(2023, 4, 1), "Trần Văn Hùng", reason="Sai chỉ số Sở Tư pháp"
        ),
    ).version
    first.refresh_from_db()
    assert (first.status, corrected.number, corrected.supersedes, corrected.reason) == (
        VersionStatus.SUPERSEDED,
        2,
        first,
        "Sai chỉ số Sở Tư pháp",
    )
    assert ResultRow.objects.get(version=corrected, code="T-STP").index == Decimal("79.5")


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_stored(
    scenario: Scenario, province: Unit
) -> None:
    rows: list[list[Any]] = [
        HEADER,
        ["", "Sở Xây dựng", "so-ban-nganh", 70, 8, 78, 78, None, ""],
        ["T-SNV", "Sở Nội vụ", "so-ban-nganh", 70, 8, 78, "abc", None, ""],
        ["T-STP", "Sở Tư pháp", "so-ban-nganh", 70, 8, 78, 120, None, ""],
        ["T-VP", "Văn phòng UBND tỉnh", "khong-co", 70, 8, 78, 78, None, ""],
        ["T-PHULY", "UBND thành phố Phủ Lý", "ubnd-cap-huyen", 70, -1, 78, 78, "1.5", ""],
        ["T-KIMBANG", "UBND huyện Kim Bảng", "ubnd-cap-huyen", 70, 8, 78, "80.12345", 2, ""],
        ["T-DUYTIEN", "UBND thị xã Duy Tiên", "ubnd-cap-huyen", 70, 8, 78, 78, 3, ""],
        ["T-DUYTIEN", "UBND thị xã Duy Tiên", "ubnd-cap-huyen", 70, 8, 78, 78, 3, ""],
    ]
    messages = refused(province, xlsx(rows))
    assert messages == [
        "Dòng 2, cột “Mã đơn vị”: thiếu mã đơn vị.",
        "Dòng 3, cột “Chỉ số (%)”: cần một số từ 0 đến 100, không phải “abc”.",
        "Dòng 4, cột “Chỉ số (%)”: cần một số từ 0 đến 100, không phải “120”.",
        "Dòng 5, cột “Nhóm (mã nhóm)”: không có nhóm đơn vị “khong-co” trên hệ thống "
        "(các mã nhóm: so-ban-nganh, ubnd-cap-huyen).",
        "Dòng 6, cột “Điểm khảo sát”: cần một số không âm, không phải “-1”.",
        "Dòng 6, cột “Xếp hạng”: cần một số nguyên dương, không phải “1.5”.",
        "Dòng 7, cột “Chỉ số (%)”: có quá 4 chữ số thập phân; hãy nhập đúng số đã công bố "
        "(làm tròn như trong quyết định), không phải “80.12345”.",
        "Dòng 9: mã đơn vị T-DUYTIEN trùng với dòng 8.",
    ]


def test_a_table_without_the_required_columns_or_a_wrong_file_is_refused(
    scenario: Scenario, province: Unit
) -> None:
    no_index = "Mã đơn vị,Tên đơn vị,Nhóm\nT-SNV,Sở Nội vụ,so-ban-nganh\n".encode()
    assert refused(province, no_index, "ket-qua.csv") == ["Dòng 1: thiếu cột “Chỉ số (%)”."]
    assert refused(province, b"%PDF-1.7", "quyet-dinh.pdf") == [
        "Tệp quyet-dinh.pdf: chỉ nhận tệp Excel (.xlsx), CSV hoặc JSON "
        "(parindex-results/1, parindex-evaluation/1)."
    ]
    assert refused(province, b'{"format": "khac"}', "ket-qua.json") == [
        "Tệp ket-qua.json: cần tệp JSON dạng 'parindex-results/1' (kết quả do “parindex "
        "evaluate” in ra) hoặc 'parindex-evaluation/1' (tệp đánh giá), không phải “khac”."
    ]
    assert refused(province, xlsx([["Bảng xếp hạng"], ["a", "b"]])) == [
        "Không tìm thấy dòng tiêu đề có cột “Mã đơn vị” (hãy dùng mẫu tải về)."
    ]
    mixed = [list(row) for row in TABLE_2022]
    mixed[1][7] = 1  # one rank given in a group where the others are blank
    [message] = refused(province, xlsx(mixed))
    assert message.startswith("Nhóm “Sở, ban, ngành”: thiếu xếp hạng ở dòng 3, dòng 4, dòng 5")
    percent = [HEADER] + [
        ["T-SNV", "Sở Nội vụ", "so-ban-nganh", None, None, None, 0.8675, None, ""],
        ["T-STP", "Sở Tư pháp", "so-ban-nganh", None, None, None, 0.78, None, ""],
    ]
    [message] = refused(province, xlsx(percent))
    assert "mọi chỉ số đều không quá 1" in message


def test_the_decision_is_required(scenario: Scenario, province: Unit) -> None:
    with pytest.raises(ValidationError) as error:
        run(province, xlsx(TABLE_2022), decision=Decision("", None, ""))
    assert set(error.value.message_dict) == {"decision_number", "decision_date", "signer_name"}
    assert not Period.objects.filter(year=2022).exists()


def test_a_period_in_progress_or_computed_on_the_system_is_not_overwritten(
    scenario: Scenario, province: Unit
) -> None:
    decision_2025 = Decision("20/QĐ-UBND", dt.date(2026, 1, 15), "Trần Văn Hùng")
    messages = refused(province, xlsx(TABLE_2022), year=2025, decision=decision_2025)
    assert messages == [
        "Năm 2025 của Tỉnh Hà Nam đang ở trạng thái “Đang tự đánh giá”: chỉ nhập kết quả cho "
        "kỳ đã chốt kết quả."
    ]
    from parindex.results.services import results_publish

    results_publish(
        version=results_compute(period=scenario.p2023, actor=None),
        decision=DECISION_2022,
        actor=None,
    )
    periods, versions = Period.objects.count(), ResultVersion.objects.count()
    with pytest.raises(ValidationError, match="đã công bố kết quả tính trên hệ thống"):
        run(province, xlsx(TABLE_2022), year=2023)
    assert (Period.objects.count(), ResultVersion.objects.count()) == (periods, versions)


def test_the_xlsx_template_round_trips(scenario: Scenario, province: Unit) -> None:
    from parindex.results.history.template import history_template_xlsx

    book = load_workbook(io.BytesIO(history_template_xlsx()))
    sheet = book["Kết quả"]
    assert [c.value for c in sheet[1]] == HEADER
    guide = [row[0] for row in book["Hướng dẫn"].iter_rows(values_only=True)]
    assert "so-ban-nganh" in guide
    assert "ubnd-cap-huyen" in guide
    for row in TABLE_2022[1:]:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    assert run(province, buffer.getvalue()).version.units_count == 7


# --------------------------------------------------------------------------- JSON documents


def test_evaluate_output_and_an_evaluation_file_are_imported_exactly(
    scenario: Scenario, province: Unit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """2023 on another system: the sở as printed by ``parindex evaluate``, the huyện as
    their evaluation file (scored here by the engine)."""
    departments = tmp_path / "so.json"
    districts = tmp_path / "huyen.json"
    call_command("export_period", str(scenario.p2023.pk), "so-ban-nganh", output=str(departments))
    call_command("export_period", str(scenario.p2023.pk), "ubnd-cap-huyen", output=str(districts))
    printed = evaluate_file(departments, capsys)
    scored = evaluate_file(districts, capsys)

    version = run(
        province,
        json.dumps(printed).encode(),
        "so-ban-nganh.json",
        more=(HistoryFile("ubnd-cap-huyen.json", districts.read_bytes()),),
    ).version

    rows = {r.code: r for r in ResultRow.objects.filter(version=version)}
    for unit in printed["units"] + scored["units"]:
        assert rows[unit["unit"]].detail == unit
        assert rows[unit["unit"]].index == Decimal(unit["index"])
        assert rows[unit["unit"]].rank == unit["rank"]
    assert rows["T-VP"].survey is None
    snv = next(u for u in printed["units"] if u["unit"] == "T-SNV")
    assert rows["T-SNV"].survey == Decimal(snv["survey"])
    so = ResultGroup.objects.get(version=version, code="so-ban-nganh")
    huyen = ResultGroup.objects.get(version=version, code="ubnd-cap-huyen")
    # stored "classes" is {label: count} of the labels present; printed, every label's count
    for stored, output in ((so.stats, printed["groups"][0]), (huyen.stats, scored["groups"][0])):
        assert {k: v for k, v in stored.items() if k not in ("classes", "class_order")} == {
            k: v for k, v in output.items() if k != "classes"
        }
        assert stored["classes"] == {
            c["label"]: c["count"] for c in output["classes"] if c["count"]
        }
    assert huyen.stats["class_order"] == ["Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu"]
    assert huyen.criteria_name == "Bộ tiêu chí thử nghiệm năm 2024"
    assert huyen.document is not None and huyen.document["format"] == "parindex-evaluation/1"
    assert huyen.nodes[1]["name"] == "Ban hành kế hoạch CCHC"
    assert all(rows[u["unit"]].leader_rating for u in scored["units"])
    assert so.document is None
    assert [f["code"] for f in so.fields] == ["1", "2", "3", "4", "5", "6", "7"]


def test_a_results_document_given_with_its_evaluation_file_must_agree(
    scenario: Scenario, province: Unit, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "so.json"
    call_command("export_period", str(scenario.p2023.pk), "so-ban-nganh", output=str(source))
    printed = evaluate_file(source, capsys)
    evaluation = HistoryFile("so-ban-nganh-danh-gia.json", source.read_bytes())

    outcome = run(province, json.dumps(printed).encode(), "ket-qua.json", more=(evaluation,))
    assert outcome.version.units_count == 3

    tampered = json.loads(json.dumps(printed))
    tampered["units"][0]["index"] = "99.99"
    messages = refused(
        province, json.dumps(tampered).encode(), "ket-qua.json", year=2021, more=(evaluation,)
    )
    code = printed["units"][0]["unit"]
    assert messages == [
        f"Tệp ket-qua.json: units[0] (đơn vị {code}): chỉ số 99.99 trong tệp kết quả khác "
        f"{printed['units'][0]['index']} tính lại từ tệp đánh giá so-ban-nganh-danh-gia.json."
    ]


def test_bad_json_documents_are_refused_with_their_place(
    scenario: Scenario, province: Unit
) -> None:
    document = {
        "format": "parindex-results/1",
        "units": [
            {"unit": "T-SNV", "name": "Sở Nội vụ", "group": "so-ban-nganh", "index": "abc"},
            {"unit": "T-STP", "name": "Sở Tư pháp", "group": "khong-co", "index": "80"},
            {"unit": "T-VP", "group": "so-ban-nganh", "index": "80", "rank": 0},
        ],
    }
    assert refused(province, json.dumps(document).encode(), "ket-qua.json") == [
        "Tệp ket-qua.json: units[0] (đơn vị T-SNV).index: cần một số từ 0 đến 100, "
        "không phải “abc”.",
        "Tệp ket-qua.json: units[1] (đơn vị T-STP).group: không có nhóm đơn vị “khong-co” "
        "trên hệ thống (các mã nhóm: so-ban-nganh, ubnd-cap-huyen).",
        "Tệp ket-qua.json: units[2] (đơn vị T-VP).name: cần tên đơn vị.",
        "Tệp ket-qua.json: units[2] (đơn vị T-VP).rank: cần một số nguyên dương, không phải “0”.",
    ]
    broken = b'{"format": "parindex-evaluation/1", "criteria_set": {"nodes": []}}'
    messages = refused(province, broken, "danh-gia.json")
    assert messages[0].startswith("Tệp danh-gia.json: criteria_set.nodes")


# --------------------------------------------------------------------------- year over year


def _history_2023() -> list[list[Any]]:
    """Published 2023 indexes that differ from what the system would compute."""
    return [
        HEADER,
        ["T-SNV", "Sở Nội vụ", "so-ban-nganh", None, None, None, "50.25", 3, "Yếu"],
        ["T-STP", "Sở Tư pháp", "so-ban-nganh", None, None, None, "91.5", 1, "Xuất sắc"],
        ["T-VP", "Văn phòng UBND tỉnh", "so-ban-nganh", None, None, None, "60", 2, "Yếu"],
        ["T-PHULY", "UBND thành phố Phủ Lý", "ubnd-cap-huyen", None, None, None, "70", 2, ""],
        ["T-KIMBANG", "UBND huyện Kim Bảng", "ubnd-cap-huyen", None, None, None, "72.5", 1, ""],
    ]


def test_2024_compares_with_the_imported_2023_history(scenario: Scenario, province: Unit) -> None:
    outcome = run(province, xlsx(_history_2023()), year=2023)
    assert outcome.version.period == scenario.p2023  # the finalised period, reused
    scenario.p2024.previous = outcome.version.period
    scenario.p2024.save(update_fields=["previous"])

    draft = results_compute(period=scenario.p2024, actor=None)

    assert not any("chưa có kết quả công bố" in w for w in draft.warnings)
    rows = {r.code: r for r in ResultRow.objects.filter(version=draft)}
    for code, index, rank in (
        ("T-SNV", "50.25", 3),
        ("T-STP", "91.50", 1),
        ("T-VP", "60.00", 2),
        ("T-PHULY", "70.00", 2),
        ("T-KIMBANG", "72.50", 1),
    ):
        row = rows[code]
        assert row.previous_index == Decimal(index), code
        assert row.detail["previous_index"] == index
        assert row.index_change == row.index - Decimal(index)
        assert row.previous_rank == rank
        assert row.rank_change == rank - (row.rank or 0)
    assert rows["T-DUYTIEN"].previous_index is None  # not in the 2023 table


def test_2022_history_becomes_the_first_periods_previous_year(
    scenario: Scenario, province: Unit
) -> None:
    assert scenario.p2023.previous is None
    outcome = run(province, xlsx(TABLE_2022))
    assert outcome.linked == [scenario.p2023]

    draft = results_compute(period=scenario.p2023, actor=None)

    row = ResultRow.objects.get(version=draft, code="T-KIMBANG")
    assert (row.previous_index, row.previous_rank) == (Decimal("85"), 2)


# --------------------------------------------------------------------------- page and command


@pytest.fixture
def chair(so_noi_vu: Unit) -> User:
    return User.objects.create_user(
        username="chu.tich", full_name="Phạm Minh Chính", role=Role.CHAIR, unit=so_noi_vu
    )


def _form(upload: Any, **extra: Any) -> dict[str, Any]:
    return {
        "jurisdiction": Unit.objects.get(code="T-HNA").pk,
        "year": "2022",
        "kind": "annual",
        "name": "",
        "group": "",
        "decision_number": "312/QĐ-UBND",
        "decision_date": "15/03/2023",
        "signer_name": "Trần Văn Hùng",
        "signer_title": "Chủ tịch UBND tỉnh",
        "reason": "",
        "files": upload,
        **extra,
    }


def _upload(data: bytes, name: str = "ket-qua-2022.xlsx") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_the_chair_uploads_the_table_and_sees_it_listed(
    chair_client: Client, scenario: Scenario
) -> None:
    url = reverse("results_history:upload")
    page = chair_client.get(url)
    assert page.status_code == 200
    assert "Nhập kết quả đã công bố các năm trước" in page.content.decode()

    response = chair_client.post(url, _form(_upload(xlsx(TABLE_2022))), follow=True)

    assert response.redirect_chain == [(url, 302)]
    html = response.content.decode()
    assert "Đã nhập kết quả Năm 2022 (Tỉnh Hà Nam), phiên bản 1: 7 đơn vị." in html
    assert "T-BCVT" in html  # the warning about the unknown unit
    assert "Năm 2023 từ nay so sánh với kết quả Năm 2022" in html
    version = ResultVersion.objects.get(source="imported")
    assert f"/cong-bo/{version.period_id}/so-ban-nganh/bang-xep-hang.csv?phien-ban=1" in html
    event = AuditEvent.objects.get(action="results.history_imported")
    assert event.actor_username == "chu.tich"


def test_a_bad_upload_shows_every_problem_and_stores_nothing(
    chair_client: Client, scenario: Scenario
) -> None:
    rows = [list(r) for r in TABLE_2022]
    rows[3][6] = "abc"
    response = chair_client.post(
        reverse("results_history:upload"),
        _form(_upload(xlsx(rows)), decision_date="31/02/2023"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ngày ký không hợp lệ" in html
    assert not ResultVersion.objects.exists()

    response = chair_client.post(reverse("results_history:upload"), _form(_upload(xlsx(rows))))
    assert response.status_code == 400
    assert "Dòng 4, cột “Chỉ số (%)”: cần một số từ 0 đến 100, không phải “abc”." in (
        response.content.decode()
    )
    assert not ResultVersion.objects.exists()
    assert not Period.objects.filter(year=2022).exists()


def test_only_the_chair_reaches_the_page_and_the_template(
    chair_client: Client,
    manager_client: Client,
    unit_staff_client: Client,
    anonymous_client: Client,
    scenario: Scenario,
) -> None:
    upload, template = reverse("results_history:upload"), reverse("results_history:template")
    response = chair_client.get(template)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-ket-qua-da-cong-bo.xlsx"'
    for client in (manager_client, unit_staff_client):
        assert client.get(upload).status_code == 404
        assert client.get(template).status_code == 404
        assert client.post(upload, _form(_upload(xlsx(TABLE_2022)))).status_code == 404
    assert anonymous_client.get(upload).status_code == 302  # to the sign-in page
    assert not ResultVersion.objects.exists()


def test_the_command_imports_and_reports_problems(
    scenario: Scenario, province: Unit, tmp_path: Path
) -> None:
    table = tmp_path / "ket-qua-2022.xlsx"
    table.write_bytes(xlsx(TABLE_2022))
    options = {
        "jurisdiction": "T-HNA",
        "year": 2022,
        "decision_number": "312/QĐ-UBND",
        "decision_date": "2023-03-15",
        "signer_name": "Trần Văn Hùng",
    }
    out = StringIO()
    call_command("import_history", str(table), stdout=out, **options)
    text = out.getvalue()
    assert "Đã nhập kết quả Năm 2022 (Tỉnh Hà Nam), phiên bản 1: 7 đơn vị." in text
    assert "T-BCVT" in text
    again = StringIO()
    call_command("import_history", str(table), stdout=again, **options)
    assert "đã được nhập" in again.getvalue()
    assert ResultVersion.objects.count() == 1

    bad = tmp_path / "sai.csv"
    bad.write_text("Mã đơn vị,Tên đơn vị,Nhóm,Chỉ số\nT-SNV,Sở Nội vụ,so-ban-nganh,abc\n")
    with pytest.raises(CommandError, match="Dòng 2, cột “Chỉ số”: cần một số từ 0 đến 100"):
        call_command("import_history", str(bad), **{**options, "year": 2021})
    with pytest.raises(CommandError, match="Không có đơn vị mã “X”"):
        call_command("import_history", str(table), **{**options, "jurisdiction": "X"})


# --------------------------------------------------------------------------- bounded reading


def test_a_workbook_unpacking_past_the_limit_is_refused_by_the_page_in_bounded_memory(
    chair_client: Client, scenario: Scenario, tmp_path: Path, settings: Any
) -> None:
    """The attacker's 1.1 MB workbook took the web process to 1.19 GiB: now refused before
    any reader opens it, at the default limit (256 MiB unpacked)."""
    from parindex.core.tests.bombs import MIB, peak_memory_growth, xlsx_bomb

    assert settings.IMPORT_MAX_UNPACKED_BYTES == 256 * 1024 * 1024
    bomb = xlsx_bomb(tmp_path / "ket-qua-2022.xlsx", unpacked_bytes=300 * 1024 * 1024)
    data = bomb.read_bytes()
    assert len(data) < 2 * 1024 * 1024
    with peak_memory_growth() as memory:
        response = chair_client.post(reverse("results_history:upload"), _form(_upload(data)))

    assert response.status_code == 400
    assert (
        "Tệp ket-qua-2022.xlsx: bảng tính quá lớn khi giải nén (tối đa 256 MB)."
        in response.content.decode()
    )
    assert memory.grown < 300 * MIB, memory
    assert not ResultVersion.objects.exists()
    assert not Period.objects.filter(year=2022).exists()


def test_a_json_integer_of_5000_digits_is_refused_with_its_place(
    chair_client: Client, scenario: Scenario
) -> None:
    """Python's int() raises past 4,300 digits: a 500 before."""
    data = (
        b'{"format": "parindex-results/1",\n "units": [{"unit": "T-SNV", "name": "S\xe1\xbb\x9f",'
        b' "group": "so-ban-nganh",\n   "index": 80, "rank": ' + b"1" * 5000 + b"}]}"
    )
    response = chair_client.post(
        reverse("results_history:upload"), _form(_upload(data, "ket-qua.json"))
    )
    assert response.status_code == 400
    assert (
        "Tệp ket-qua.json: JSON không hợp lệ (dòng 3, cột 25): số nguyên dài 5.000 chữ số, "
        "tối đa 30 chữ số" in response.content.decode()
    )
    assert not ResultVersion.objects.exists()
    assert not Period.objects.filter(year=2022).exists()


def test_a_csv_field_of_200000_characters_is_refused_with_its_line(
    chair_client: Client, scenario: Scenario, province: Unit
) -> None:
    """csv.Error (field larger than field limit, 131,072) was a 500."""
    lines = [",".join(HEADER), "T-SNV,Sở Nội vụ,so-ban-nganh,,,,86.75,,Tốt"]
    lines.append("T-STP," + "x" * 200_000 + ",so-ban-nganh,,,,78,,Khá")
    data = "\n".join(lines).encode()
    assert refused(province, data, "ket-qua.csv") == [
        "Tệp ket-qua.csv, dòng 3: có ô dài hơn 32.767 ký tự."
    ]
    response = chair_client.post(
        reverse("results_history:upload"), _form(_upload(data, "ket-qua.csv"))
    )
    assert response.status_code == 400
    assert "Tệp ket-qua.csv, dòng 3: có ô dài hơn 32.767 ký tự." in response.content.decode()


def test_a_long_workbook_cell_is_refused_with_its_row_and_column(
    scenario: Scenario, province: Unit, settings: Any
) -> None:
    settings.IMPORT_MAX_FIELD_CHARS = 1000  # the reader stops at Excel's 32,767 by itself
    rows = [list(r) for r in TABLE_2022]
    rows[2][1] = "Sở Tư pháp " * 100
    assert refused(province, xlsx(rows)) == [
        "Tệp ket-qua.xlsx, dòng 3, cột 2: nội dung dài 1.099 ký tự, tối đa 1.000 ký tự."
    ]


def test_too_many_rows_are_refused(
    scenario: Scenario, province: Unit, monkeypatch: pytest.MonkeyPatch
) -> None:
    from parindex.results.history import table_cells

    monkeypatch.setattr(table_cells, "MAX_TABLE_ROWS", 5)  # the same path as 50,000, faster
    [message] = refused(province, xlsx(TABLE_2022))
    assert message == (
        "Tệp ket-qua.xlsx, dòng 6: quá 5 dòng kết quả; một bảng xếp hạng đã công bố không "
        "dài như vậy."
    )


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (dt.date(2099, 3, 15), "Ngày ký 15/03/2099 chưa đến"),
        (dt.date(9999, 12, 31), "Ngày ký 31/12/9999 chưa đến"),
        (dt.date(2021, 12, 31), "Ngày ký 31/12/2021 trước năm 2022 của kỳ đánh giá"),
    ],
)
def test_a_decision_date_in_the_future_or_before_the_year_is_refused(
    scenario: Scenario, province: Unit, day: dt.date, expected: str
) -> None:
    decision = Decision("312/QĐ-UBND", day, "Trần Văn Hùng")
    with pytest.raises(ValidationError) as error:
        run(province, xlsx(TABLE_2022), decision=decision)
    [message] = error.value.message_dict["decision_date"]
    assert message.startswith(expected)
    assert not Period.objects.filter(year=2022).exists()


def test_the_page_shows_a_future_decision_date_next_to_its_field(
    chair_client: Client, scenario: Scenario
) -> None:
    response = chair_client.post(
        reverse("results_history:upload"),
        _form(_upload(xlsx(TABLE_2022)), decision_date="15/03/9999"),
    )
    assert response.status_code == 400
    assert "Ngày ký 15/03/9999 chưa đến" in response.content.decode()
    assert not ResultVersion.objects.exists()
