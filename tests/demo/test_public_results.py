"""The public results pages (/cong-bo/) on the demo (the shared build, see ``conftest.py``):
every number equals ``parindex evaluate``. The pages themselves:
``parindex/results/tests/test_public_pages.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from parindex.core.formatting import format_vn
from parindex.periods.models import Period
from parindex.results.models import ResultVersion
from parindex.results.templatetags.results_format import rank_change, vn_signed
from parindex.results.tests.helpers import evaluate_file
from parindex.results.tests.test_public_pages import all_pages, publish, ranking_url

from .conftest import Demo

pytestmark = pytest.mark.django_db


def test_demo_ranking_pages_equal_evaluate_on_the_exported_file(
    demo: Demo, anonymous_client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Done when: every number of every unit on the public ranking pages (all pages) of
    the published demo period equals ``parindex evaluate`` on the exported period file."""
    periods = {p.year: p for p in Period.objects.filter(jurisdiction__code="MINH-HA")}
    for year in (2023, 2024):  # the demo publishes them; publish here if it did not
        if not ResultVersion.objects.current().filter(period=periods[year]).exists():
            publish(periods[year], f"{year}/QĐ-UBND")
    period = periods[2024]
    compared = changes = 0
    for group in ("mh-so-ban-nganh", "mh-ubnd-cap-huyen", "mh-ubnd-cap-xa"):
        path = tmp_path / f"{group}.json"
        call_command("export_period", str(period.pk), group, output=str(path))
        document = json.loads(path.read_text(encoding="utf-8"))
        not_surveyed = {
            s["unit"] for s in document.get("survey_scores", []) if s.get("not_applicable")
        }
        evaluated = {u["unit"]: u for u in evaluate_file(path, capsys)["units"]}
        shown, order = all_pages(anonymous_client, ranking_url(period, group))
        assert set(shown) == set(evaluated), group
        assert order == sorted(order, key=lambda code: (evaluated[code]["rank"], order.index(code)))
        for code, cells in shown.items():
            expected = evaluated[code]
            assert cells["points"] == format_vn(expected["points"]), code
            if code in not_surveyed:
                assert cells["survey"] == "không khảo sát", code
            else:
                assert cells["survey"] == format_vn(expected["survey"]), code
            assert cells["total"] == format_vn(expected["total"]), code
            assert cells["max"] == format_vn(expected["max"]), code
            assert cells["index"] == format_vn(expected["index"]), code
            assert cells["rank"] == str(expected["rank"]), code
            assert cells["class"] == expected["class"], code
            assert cells["index_change"] == vn_signed(expected.get("index_change")), code
            assert cells["rank_change"] == rank_change(expected.get("rank_change")), code
            changes += "index_change" in expected
        compared += len(shown)
    assert compared == 88
    assert changes == 88  # 2024 is compared with the published 2023 for every unit
