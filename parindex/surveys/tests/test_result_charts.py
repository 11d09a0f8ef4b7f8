"""The survey results workbook (``/khao-sat/<kỳ>/ket-qua.xlsx``) draws the survey points per
unit as a native Excel chart of its own table (:mod:`parindex.core.xlsx_charts`), read back
from the chart XML."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from parindex.core.tests.test_xlsx_charts import read_charts
from parindex.organizations.models import Unit
from parindex.surveys.models import Questionnaire, SurveyResult
from parindex.surveys.result_views import POINTS_CHART, _results_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]

SHEET = "Kết quả khảo sát"


def test_the_results_workbook_charts_the_points_column_of_its_table(
    chair_client: Client,
    questionnaire: Questionnaire,
    commune: Unit,
    thanh_son: Unit,
    hoa_binh: Unit,
) -> None:
    period = questionnaire.period
    for unit, points in ((commune, "8.5"), (thanh_son, "9.25"), (hoa_binh, None)):
        SurveyResult.objects.create(
            period=period,
            unit=unit,
            forms=40,
            valid_forms=40 if points else 0,
            points=Decimal(points) if points else None,
            index=Decimal(points) * 10 if points else None,
            too_few=points is None,
        )
    response = chair_client.get(f"/khao-sat/{period.pk}/ket-qua.xlsx")
    assert response.status_code == 200
    data = response.content
    sheet = load_workbook(io.BytesIO(data))[SHEET]
    assert sheet.max_row == 4  # the chart adds no cell: header and three units
    header = [c.value for c in sheet[1]]
    column = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[header.index("Điểm khảo sát")]

    (chart,) = read_charts(data)
    assert chart.kind == "bar"
    assert chart.title == POINTS_CHART == "Điểm khảo sát của các đơn vị"
    assert chart.references("cat") == [f"'{SHEET}'!$B$2:$B$4"]
    assert chart.references("val") == [f"'{SHEET}'!${column}$2:${column}$4"]
    names = [sheet[f"B{row}"].value for row in range(2, 5)]
    assert chart.cache("cat") == names
    by_name = {sheet[f"B{row}"].value: sheet[f"{column}{row}"].value for row in range(2, 5)}
    assert by_name == {commune.name: 8.5, thanh_son.name: 9.25, hoa_binh.name: None}
    assert chart.fonts == {"Times New Roman"}


def _table(units: int) -> tuple[list[str], list[list[str]]]:
    header = ["Mã đơn vị", "Tên đơn vị", "Số phiếu", "Phiếu hợp lệ", "Chỉ số hài lòng (%)"]
    header += ["Sai số 95% (điểm %)", "Điểm khảo sát", "Chưa đủ phiếu"]
    body = [[f"X{n}", f"UBND xã {n}", "50", "50", "90.0", "2.5", "9.00", ""] for n in range(units)]
    return header, body


def test_a_hundred_units_get_a_chart_sheet_and_three_hundred_none() -> None:
    data = _results_xlsx(*_table(100))
    assert load_workbook(io.BytesIO(data)).sheetnames == [SHEET, "Biểu đồ điểm khảo sát"]
    (chart,) = read_charts(data)
    assert chart.kind == "col" and chart.category_labels_hidden
    assert chart.references("val") == [f"'{SHEET}'!$G$2:$G$101"]

    data = _results_xlsx(*_table(300))
    assert load_workbook(io.BytesIO(data)).sheetnames == [SHEET]
    assert read_charts(data) == []
