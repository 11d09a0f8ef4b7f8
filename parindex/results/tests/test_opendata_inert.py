"""Open data is read in spreadsheets: a unit whose name a spreadsheet would run as a formula
comes out as text (a leading apostrophe) in every CSV and XLSX download, never as a live
formula; JSON keeps the name as it is (no spreadsheet runs it)."""

from __future__ import annotations

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from parindex.organizations.models import Unit
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.test_opendata import body, publish, ranking_url, read_csv

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]

EVIL = '=HYPERLINK("http://evil.example/","Bấm vào đây")'


def test_a_formula_like_unit_name_comes_out_inert_in_csv_and_xlsx(
    anonymous_client: Client, scenario: Scenario
) -> None:
    Unit.objects.filter(code="T-STP").update(name=EVIL)
    publish(scenario.p2023)
    publish(scenario.p2024)
    period = scenario.p2024
    points_url = f"/cong-bo/{period.pk}/so-ban-nganh/diem-chi-tiet"

    for url in (ranking_url(period, "so-ban-nganh", "csv"), f"{points_url}.csv"):
        rows = read_csv(anonymous_client.get(url))
        stp = next(r for r in rows if r["Mã đơn vị"] == "T-STP")
        assert stp["Tên đơn vị"] == "'" + EVIL, url
        assert not any(
            value.startswith(("=", "+", "@")) for row in rows for value in row.values()
        ), url
        # A negative change is a number, not a formula: left alone.
        assert all(not v.startswith("'-") for row in rows for v in row.values()), url

    for url in (ranking_url(period, "so-ban-nganh", "xlsx"), f"{points_url}.xlsx"):
        sheet = load_workbook(io.BytesIO(body(anonymous_client.get(url)))).active
        assert sheet is not None
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert all(cell.data_type != "f" for cell in cells), url
        names = [cell for cell in cells if isinstance(cell.value, str) and "evil" in cell.value]
        assert names, url
        for cell in names:
            assert cell.value == "'" + EVIL, url

    document = json.loads(body(anonymous_client.get(ranking_url(period, "so-ban-nganh", "json"))))
    assert {u["code"]: u["name"] for u in document["units"]}["T-STP"] == EVIL
