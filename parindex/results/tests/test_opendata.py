"""Open data downloads of published results: CSV, XLSX and JSON, for anyone.

Personas: an anonymous visitor (journalist, researcher) downloads; the council publishes
through :mod:`parindex.results.services` (decision signed by Chủ tịch Trần Văn Hùng).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from openpyxl import load_workbook

from parindex.periods.models import Period
from parindex.results.models import ResultRow, ResultVersion
from parindex.results.services import Decision, results_compute, results_publish
from parindex.results.tests.conftest import Scenario

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]

DECISION = Decision(
    number="125/QĐ-UBND",
    date=dt.date(2024, 3, 1),
    signer_name="Trần Văn Hùng",
    signer_title="Chủ tịch UBND tỉnh",
)
RANKING_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Trực thuộc",
    "Nhóm",
    "Điểm thẩm định",
    "Điểm khảo sát",
    "Điểm thưởng",
    "Điểm trừ",
    "Tổng điểm",
    "Điểm tối đa",
    "Chỉ số (%)",
    "Xếp hạng",
    "Xếp loại",
    "Đánh giá người đứng đầu",
    "Chỉ số năm trước (%)",
    "Tăng/giảm chỉ số",
    "Hạng năm trước",
    "Tăng/giảm hạng",
]


def publish(period: Period, decision: Decision = DECISION) -> ResultVersion:
    return results_publish(
        version=results_compute(period=period, actor=None), decision=decision, actor=None
    )


def body(response: HttpResponseBase) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined,no-any-return]


def read_csv(response: HttpResponseBase) -> list[dict[str, str]]:
    raw = body(response)
    assert raw.startswith("\ufeff".encode())  # BOM: Excel shows the diacritics
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))


def ranking_url(period: Period, group: str, fmt: str) -> str:
    return f"/cong-bo/{period.pk}/{group}/bang-xep-hang.{fmt}"


# --------------------------------------------------------------------------- the scenario


def test_ranking_csv_xlsx_and_json_hold_the_same_exact_numbers(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2023)
    version = publish(scenario.p2024)
    stored = {
        row.code: row.detail
        for row in ResultRow.objects.filter(version=version, result_group__code="so-ban-nganh")
    }

    rows = read_csv(anonymous_client.get(ranking_url(scenario.p2024, "so-ban-nganh", "csv")))
    assert {r["Mã đơn vị"]: r["Chỉ số (%)"] for r in rows} == {
        code: detail["index"] for code, detail in stored.items()
    }
    vp = next(r for r in rows if r["Mã đơn vị"] == "T-VP")
    assert vp["Điểm khảo sát"] == ""  # no procedures: not surveyed
    assert vp["Đánh giá người đứng đầu"]  # the default rating rules

    response = anonymous_client.get(ranking_url(scenario.p2024, "so-ban-nganh", "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(body(response))
    assert document["version"]["decision"] == {
        "number": "125/QĐ-UBND",
        "date": "2024-03-01",
        "signer_name": "Trần Văn Hùng",
        "signer_title": "Chủ tịch UBND tỉnh",
    }
    assert (
        document["group"]["stats"]["mean"]
        == (ResultVersion.objects.get(pk=version.pk).groups.get(code="so-ban-nganh").stats["mean"])
    )
    units = {u["code"]: u for u in document["units"]}
    assert {code: u["index"] for code, u in units.items()} == {
        code: d["index"] for code, d in stored.items()
    }
    assert units["T-STP"]["previous_index"] == stored["T-STP"]["previous_index"]
    assert units["T-VP"]["survey"] is None
    assert [c["key"] for c in document["columns"]][:3] == ["code", "name", "parent"]

    response = anonymous_client.get(ranking_url(scenario.p2024, "so-ban-nganh", "xlsx"))
    assert response.status_code == 200
    assert 'filename="chi-so-cchc-2024-so-ban-nganh-v1.xlsx"' in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(body(response)), read_only=True).active
    assert sheet is not None
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert "Sở, ban, ngành" in str(lines[0][0])
    assert "125/QĐ-UBND ngày 01/03/2024 của Chủ tịch UBND tỉnh Trần Văn Hùng" in str(lines[2][0])
    assert "Phiên bản 1" in str(lines[3][0])
    assert lines[5] == RANKING_HEADER
    by_code = {line[0]: line for line in lines[6:]}
    index_col = RANKING_HEADER.index("Chỉ số (%)")
    for code, detail in stored.items():
        cell = by_code[code][index_col]
        assert isinstance(cell, float)  # a number Excel can sum, not text
        assert Decimal(str(cell)) == Decimal(detail["index"])
        assert by_code[code][RANKING_HEADER.index("Xếp hạng")] == detail["rank"]


def test_points_table_has_a_column_per_node_and_blanks_what_does_not_apply(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2023)
    response = anonymous_client.get(f"/cong-bo/{scenario.p2023.pk}/so-ban-nganh/diem-chi-tiet.csv")
    assert response.status_code == 200
    assert 'filename="diem-chi-tiet-2023-so-ban-nganh-v1.csv"' in response["Content-Disposition"]
    rows = read_csv(response)
    header = list(rows[0])
    assert header[:4] == ["Mã đơn vị", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"]
    assert "1 Chỉ đạo, điều hành cải cách hành chính (tối đa 14)" in header
    assert "3.1 Tỷ lệ hồ sơ giải quyết đúng hạn (tối đa 10)" in header
    assert "7.5 Áp dụng ISO (tối đa 4)" in header
    stored = ResultRow.objects.get(version__period=scenario.p2023, code="T-STP").detail
    stp = next(r for r in rows if r["Mã đơn vị"] == "T-STP")
    for node in stored["nodes"]:
        column = next(h for h in header if h.startswith(f"{node['code']} "))
        assert stp[column] == node["points"]
    vp = next(r for r in rows if r["Mã đơn vị"] == "T-VP")
    assert vp["3 Cải cách thủ tục hành chính (tối đa 19)"] == ""  # not applicable
    assert "3" in vp["Không áp dụng"].split(", ")
    assert "khảo sát" in vp["Không áp dụng"]

    xlsx = anonymous_client.get(f"/cong-bo/{scenario.p2023.pk}/so-ban-nganh/diem-chi-tiet.xlsx")
    sheet = load_workbook(io.BytesIO(body(xlsx)), read_only=True).active
    assert sheet is not None
    lines = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert lines[5][:4] == ["Mã đơn vị", "Tên đơn vị", "Chỉ số (%)", "Xếp hạng"]
    line = next(line for line in lines[6:] if line[0] == "T-STP")
    first_field = lines[5].index("1 Chỉ đạo, điều hành cải cách hành chính (tối đa 14)")
    assert line[first_field] == float(stored["fields"][0]["points"])


def test_the_whole_version_as_json_carries_every_units_engine_document(
    anonymous_client: Client, scenario: Scenario
) -> None:
    version = publish(scenario.p2023)
    response = anonymous_client.get(f"/cong-bo/{scenario.p2023.pk}/du-lieu.json")
    assert response.status_code == 200
    assert response.streaming
    assert 'filename="ket-qua-cchc-2023-v1.json"' in response["Content-Disposition"]
    document = json.loads(body(response))
    assert document["period"]["year"] == 2023
    assert document["version"]["number"] == 1
    assert document["version"]["current"] is True
    assert [v["number"] for v in document["versions"]] == [1]
    assert [g["code"] for g in document["groups"]] == ["so-ban-nganh", "ubnd-cap-huyen"]
    stored = {row.code: row.detail for row in ResultRow.objects.filter(version=version)}
    units = {u["code"]: u for g in document["groups"] for u in g["units"]}
    assert {code: u["detail"] for code, u in units.items()} == stored
    districts = document["groups"][1]
    assert districts["stats"]["count"] == 3
    assert districts["nodes"][0] == {
        "code": "1",
        "name": "Chỉ đạo, điều hành cải cách hành chính",
        "parent": None,
        "max": "14",
    }


def test_a_correction_keeps_the_earlier_version_downloadable(
    anonymous_client: Client, scenario: Scenario
) -> None:
    first = publish(scenario.p2023)
    before = {r.code: r.detail["index"] for r in ResultRow.objects.filter(version=first)}
    from parindex.assessments.models import Assessment

    Assessment.objects.filter(period=scenario.p2023, unit__code="T-STP").update(bonus=Decimal(2))
    publish(
        scenario.p2023,
        Decision(
            "130/QĐ-UBND", dt.date(2024, 3, 20), "Trần Văn Hùng", reason="Bổ sung điểm thưởng"
        ),
    )

    url = ranking_url(scenario.p2023, "so-ban-nganh", "csv")
    current = read_csv(anonymous_client.get(url))
    old = anonymous_client.get(url, {"phien-ban": "1"})
    assert 'filename="chi-so-cchc-2023-so-ban-nganh-v1.csv"' in old["Content-Disposition"]
    assert {r["Mã đơn vị"]: r["Chỉ số (%)"] for r in read_csv(old)} == {
        code: index for code, index in before.items() if code in {"T-SNV", "T-STP", "T-VP"}
    }
    stp = next(r for r in current if r["Mã đơn vị"] == "T-STP")
    assert stp["Điểm thưởng"] == "2.00"
    assert stp["Chỉ số (%)"] != before["T-STP"]

    document = json.loads(
        body(anonymous_client.get(f"/cong-bo/{scenario.p2023.pk}/du-lieu.json?phien-ban=1"))
    )
    assert document["version"]["current"] is False
    assert document["version"]["number"] == 1
    sheet = load_workbook(
        io.BytesIO(
            body(
                anonymous_client.get(
                    ranking_url(scenario.p2023, "so-ban-nganh", "xlsx"), {"phien-ban": "1"}
                )
            )
        ),
        read_only=True,
    ).active
    assert sheet is not None
    assert "đã được đính chính" in str(next(sheet.iter_rows(min_row=4, values_only=True))[0])


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("{p2025}/so-ban-nganh/bang-xep-hang.csv", {}),  # a draft only
        ("{p2024}/so-ban-nganh/bang-xep-hang.csv", {}),  # never computed
        ("{p2023}/khong-co/bang-xep-hang.csv", {}),  # unknown group
        ("{p2023}/so-ban-nganh/bang-xep-hang.pdf", {}),  # unknown format
        ("{p2023}/so-ban-nganh/diem-chi-tiet.json", {}),
        ("{p2023}/so-ban-nganh/bang-xep-hang.csv", {"phien-ban": "2"}),  # no such version
        ("{p2023}/so-ban-nganh/bang-xep-hang.csv", {"phien-ban": "abc"}),
        ("{p2025}/du-lieu.json", {}),
        ("999999/du-lieu.json", {}),
    ],
)
def test_anything_not_published_is_not_found(
    anonymous_client: Client, scenario: Scenario, path: str, params: dict[str, Any]
) -> None:
    publish(scenario.p2023)
    results_compute(period=scenario.p2025, actor=None)  # a draft, never public
    url = "/cong-bo/" + path.format(
        p2023=scenario.p2023.pk, p2024=scenario.p2024.pk, p2025=scenario.p2025.pk
    )
    assert anonymous_client.get(url, params).status_code == 404


def test_downloads_are_read_only(anonymous_client: Client, scenario: Scenario) -> None:
    publish(scenario.p2023)
    url = ranking_url(scenario.p2023, "so-ban-nganh", "csv")
    assert anonymous_client.post(url).status_code == 405
    assert anonymous_client.get(url).status_code == 200
