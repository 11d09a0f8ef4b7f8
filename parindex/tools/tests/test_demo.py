"""``parindex demo``: idempotent and deterministic, and its deadlines fall at 17:00 local
time.

What the demo contains is checked on one shared build in ``tests/demo/``. The tests here
need builds of their own (a second run, a reset), so they use a lighter season
(:func:`small_season`: fewer units submitted or in progress, same code).
"""

from __future__ import annotations

import datetime

import pytest

from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.tools.demo import season, units_data
from parindex.tools.tests.helpers import (
    account_row,
    index_tables,
    lighten_season,
    run_demo,
    season_snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]


@pytest.fixture
def small_season(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lighter season: one unit submitted, a few in progress with a few items each."""
    lighten_season(monkeypatch)


@pytest.mark.slow
def test_demo_is_idempotent_and_deterministic(small_season: None) -> None:
    """A second run changes nothing; ``--reset`` gives the same scores and season again."""
    run_demo()
    province = Unit.objects.get(code=units_data.PROVINCE_CODE)
    first = index_tables()
    first_season = season_snapshot()

    again = run_demo()
    assert "Dữ liệu mẫu đã có" in again
    assert "Đã bổ sung" not in again
    assert "admin" in account_row(again, "admin")
    assert Unit.objects.filter(code__startswith="MH-").count() == 88
    assert Period.objects.filter(jurisdiction=province).count() == 3

    reset = run_demo("--reset")
    assert "Đã xóa dữ liệu mẫu cũ." in reset
    assert Unit.objects.filter(code__startswith="MH-").count() == 88
    assert Period.objects.filter(jurisdiction__code=units_data.PROVINCE_CODE).count() == 3
    assert index_tables() == first
    assert season_snapshot() == first_season


def test_deadlines_fall_at_five_in_the_afternoon_local_time() -> None:
    late_evening_utc = datetime.datetime(2026, 11, 22, 23, 30, tzinfo=datetime.UTC)  # 06:30 +07
    deadline = season.deadline_at(late_evening_utc, 14)
    assert deadline.isoformat() == "2026-12-07T17:00:00+07:00"
