"""The documents tests use the results tests' small province (Hà Nam: sở and huyện scored
with one set, 2023 and 2024 finalised) with the 2023 and 2024 results published."""

from __future__ import annotations

import datetime

import pytest
from pytest_django.fixtures import Settings

from parindex.results.models import ResultVersion
from parindex.results.services import Decision, results_compute, results_publish
from parindex.results.tests.conftest import Scenario, scenario  # noqa: F401


@pytest.fixture(autouse=True)
def media(settings: Settings, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def publish(period: object, number: str, day: datetime.date) -> ResultVersion:
    version = results_compute(period=period, actor=None)  # type: ignore[arg-type]
    return results_publish(
        version=version,
        decision=Decision(number, day, "Trần Văn Hùng", "Chủ tịch UBND tỉnh"),
        actor=None,
    )


@pytest.fixture
def published(scenario: Scenario) -> ResultVersion:  # noqa: F811
    """2023 and 2024 published; the 2024 version is returned."""
    publish(scenario.p2023, "120/QĐ-UBND", datetime.date(2024, 2, 10))
    return publish(scenario.p2024, "386/QĐ-UBND", datetime.date(2025, 2, 20))
