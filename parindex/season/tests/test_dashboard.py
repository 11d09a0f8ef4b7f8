"""The chair's dashboard: progress counted over the items to score, rows sorted, the
overdue filter."""

from __future__ import annotations

import datetime

import pytest
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import timezone

from parindex.assessments.models import Assessment
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.periods.models import DeadlineExtension, DeadlineStage, Period
from parindex.season.dashboard import period_dashboard

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _html(response: HttpResponseBase) -> str:
    return bytes(response.content).decode()  # type: ignore[attr-defined]


def test_self_assessed_counts_answered_items_over_the_items_to_score(season: Season) -> None:
    """Unit B saved 2 of the set's 12 leaves: "2/12", not "2/2" (saved over saved)."""
    rows = {row.unit.code: row for row in period_dashboard(season.period).units}
    assert (rows["T-STC"].answered, rows["T-STC"].items) == (2, 12)
    assert (rows["T-STP"].answered, rows["T-STP"].items) == (12, 12)
    assert (rows["T-SNV"].answered, rows["T-SNV"].items) == (0, 12)
    html = _html(client_for(season.chair).get(reverse("season:dashboard", args=[season.period.pk])))
    assert ">2/12<" in html and ">0/12<" in html


def _codes(html: str) -> list[str]:
    """The unit codes of the units' table, in the order shown."""
    table = html.split('id="bang-don-vi"')[1].split("</table>")[0]
    return [part.split('"')[0] for part in table.split('data-ma-don-vi="')[1:]]


def test_rows_are_sorted_by_status_then_progress_then_name(season: Season) -> None:
    """Least advanced first (not started, in progress, submitted), not in unit order."""
    rows = period_dashboard(season.period).units
    assert [row.unit.code for row in rows] == ["T-SNV", "T-STC", "T-STP"]
    client = client_for(season.chair)
    html = _html(client.get(reverse("season:dashboard", args=[season.period.pk])))
    assert _codes(html) == ["T-SNV", "T-STC", "T-STP"]


def test_sorting_by_name_ignores_diacritics_and_case(season: Season) -> None:
    """ "Đài …" sorts as "dai", before "Sở …" (a plain sort puts "Đ" after "Z")."""
    season.unit_a.name = "Đài Phát thanh"
    season.unit_a.save(update_fields=["name"])
    season.unit_b.name = "ban Dân tộc"
    season.unit_b.save(update_fields=["name"])
    rows = period_dashboard(season.period, order="name").units
    assert [row.unit.code for row in rows] == ["T-STC", "T-STP", "T-SNV"]
    client = client_for(season.chair)
    url = reverse("season:dashboard", args=[season.period.pk])
    assert _codes(_html(client.get(url, {"sap-xep": "ten"}))) == ["T-STC", "T-STP", "T-SNV"]


def test_the_overdue_filter_keeps_units_past_their_deadline_not_submitted(
    season: Season,
) -> None:
    """Self-assessment deadline passed: unit B (in progress) is overdue; the office has an
    extension until tomorrow (not overdue); unit A submitted (not overdue)."""
    now = timezone.now()
    Period.objects.filter(pk=season.period.pk).update(self_assessment_deadline=now - DAY)
    season.refresh()
    DeadlineExtension.objects.create(
        period=season.period,
        unit=season.office,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=now + DAY,
        reason="Đổi trưởng phòng",
        granted_by=season.chair,
    )
    dashboard = period_dashboard(season.period, overdue_only=True)
    assert [row.unit.code for row in dashboard.units] == ["T-STC"]
    assert dashboard.overdue_count == 1
    everyone = period_dashboard(season.period)
    assert {row.unit.code: row.overdue for row in everyone.units} == {
        "T-SNV": False,
        "T-STC": True,
        "T-STP": False,
    }
    client = client_for(season.chair)
    url = reverse("season:dashboard", args=[season.period.pk])
    html = _html(client.get(url, {"loc": "qua-han"}))
    assert _codes(html) == ["T-STC"]
    assert "Quá hạn (1)" in html
    # Without the filter every unit is listed, the overdue one marked.
    assert _codes(_html(client.get(url))) == ["T-SNV", "T-STC", "T-STP"]
    assert Assessment.objects.filter(period=season.period).count() == 3
