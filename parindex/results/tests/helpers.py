"""Helpers shared by the results tests."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from parindex.periods.models import Period


def evaluate_file(path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    call_command("evaluate", str(path))
    document: dict[str, Any] = json.loads(capsys.readouterr().out)
    return document


def assert_page_matches_evaluate(
    client: Client,
    period: Period,
    group_code: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> int:
    """Export with the management command, score with ``parindex evaluate`` and compare with
    what the period page shows for every unit. Returns the number of units compared."""
    path = tmp_path / f"{group_code}.json"
    call_command("export_period", str(period.pk), group_code, output=str(path))
    evaluated = {u["unit"]: u for u in evaluate_file(path, capsys)["units"]}
    response = client.get(f"/ky-danh-gia/{period.pk}/{group_code}/")
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {r.unit for r in rows} == set(evaluated)
    html = response.content.decode()
    for row in rows:
        expected = evaluated[row.unit]
        assert format(row.index, "f") == expected["index"], row.unit
        assert row.rank == expected["rank"], row.unit
        assert row.class_label == expected["class"], row.unit
        assert row.total == Decimal(expected["total"]), row.unit
        assert row.max == Decimal(expected["max"]), row.unit
        if row.index_change is not None:
            assert format(row.index_change, "f") == expected["index_change"], row.unit
            assert row.rank_change == expected["rank_change"], row.unit
        else:
            assert "index_change" not in expected
        assert expected["index"].replace(".", ",") in html
    return len(rows)
