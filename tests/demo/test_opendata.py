"""Open data downloads of the demo (the shared build, see ``conftest.py``): every number of
the CSV equals ``parindex evaluate``. The downloads themselves:
``parindex/results/tests/test_opendata.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from parindex.periods.models import Period
from parindex.results.models import ResultVersion
from parindex.results.tests.helpers import evaluate_file
from parindex.results.tests.test_opendata import RANKING_HEADER, publish, ranking_url, read_csv

from .conftest import Demo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_password_hasher"),
]


def test_every_number_of_the_demo_csv_equals_parindex_evaluate(
    demo: Demo, anonymous_client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done-when: the demo's period published, its CSV equals ``parindex evaluate`` on the
    exported period file, number for number, for every unit of every group."""
    p2023 = Period.objects.get(jurisdiction__code="MINH-HA", year=2023)
    p2024 = Period.objects.get(jurisdiction__code="MINH-HA", year=2024)
    for period in (p2023, p2024):  # 2023 first: 2024 compares with its publication
        if not ResultVersion.objects.current().filter(period=period).exists():
            publish(period)
    version = ResultVersion.objects.current().get(period=p2024)

    compared = 0
    for code in ("mh-so-ban-nganh", "mh-ubnd-cap-huyen", "mh-ubnd-cap-xa"):
        path = tmp_path / f"{code}.json"
        call_command("export_period", str(p2024.pk), code, output=str(path))
        expected = {u["unit"]: u for u in evaluate_file(path, capsys)["units"]}

        response = anonymous_client.get(ranking_url(p2024, code, "csv"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == (
            f'attachment; filename="chi-so-cchc-2024-{code}-v{version.number}.csv"'
        )
        rows = read_csv(response)
        assert list(rows[0]) == RANKING_HEADER
        assert [r["Mã đơn vị"] for r in rows] == list(expected)  # the engine's order
        for row in rows:
            unit = expected[row["Mã đơn vị"]]
            assert row["Tên đơn vị"] == unit["name"]
            assert row["Nhóm"] == unit["group"]
            for header, key in (
                ("Điểm thẩm định", "points"),
                ("Điểm thưởng", "bonus"),
                ("Điểm trừ", "penalty"),
                ("Tổng điểm", "total"),
                ("Điểm tối đa", "max"),
                ("Chỉ số (%)", "index"),
                ("Xếp loại", "class"),
                ("Chỉ số năm trước (%)", "previous_index"),
                ("Tăng/giảm chỉ số", "index_change"),
            ):
                assert row[header] == str(unit.get(key, "")), (row["Mã đơn vị"], header)
            for header, key in (
                ("Xếp hạng", "rank"),
                ("Hạng năm trước", "previous_rank"),
                ("Tăng/giảm hạng", "rank_change"),
            ):
                assert row[header] == str(unit.get(key, "")), (row["Mã đơn vị"], header)
            if "survey" in unit["not_applicable"]:
                assert row["Điểm khảo sát"] == ""  # not surveyed: no number, not 0
            else:
                assert row["Điểm khảo sát"] == unit["survey"]
            compared += 1
        assert any(r["Chỉ số năm trước (%)"] for r in rows)  # compared with 2023
    assert compared == 88
