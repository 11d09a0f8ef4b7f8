"""Running ``parindex demo`` and reading the demo back, for these tests and tests/demo/."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from parindex.assessments.models import Answer, Assessment
from parindex.periods.models import Period, PeriodStatus
from parindex.results.selectors import period_results
from parindex.tools.demo import season, units_data

FINALISED = ("Năm 2023", "Năm 2024")


def lighten_season(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lighter season from the next build on: one unit submitted, a few in progress with
    a few items each (the same code as the full season)."""
    monkeypatch.setattr(season, "SHARE_SUBMITTED", 0.02)
    monkeypatch.setattr(season, "SHARE_IN_PROGRESS", 0.15)
    monkeypatch.setattr(season, "IN_PROGRESS_SHARE", (0.02, 0.05))


def run_demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def index_tables() -> dict[str, list[tuple[str, str, int, str | None]]]:
    """Every group's (unit, index, rank, class) of every finalised demo period."""
    tables = {}
    for period in Period.objects.filter(
        jurisdiction__code=units_data.PROVINCE_CODE, status=PeriodStatus.FINALISED
    ):
        for binding, results in period_results(period):
            tables[f"{period.name}/{binding.group.code}"] = [
                (r.unit, format(r.index, "f"), r.rank, r.class_label) for r in results.units
            ]
    return tables


def season_period() -> Period:
    return Period.objects.get(jurisdiction__code=units_data.PROVINCE_CODE, year=season.SEASON_YEAR)


def season_snapshot() -> tuple[list[tuple[str, str]], list[tuple[Any, ...]]]:
    """The season's statuses and saved values (not their timestamps)."""
    period = season_period()
    statuses = sorted(Assessment.objects.filter(period=period).values_list("unit__code", "status"))
    answers = sorted(
        Answer.objects.filter(assessment__period=period).values_list(
            "assessment__unit__code",
            "node__code",
            "self_value",
            "self_not_applicable",
            "updated_by__username",
        )
    )
    return statuses, answers


def account_row(output: str, username: str) -> str:
    match = re.search(rf"^  {re.escape(username)}(?: \(\*\))?\s+\S.*$", output, re.MULTILINE)
    assert match is not None, f"{username} is not in the account table:\n{output}"
    return match.group(0)
