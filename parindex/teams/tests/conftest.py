"""The season of the appraisal tests (Sở Tư pháp = unit A, Sở Tài chính = unit B, the
sample set: fields 1–7, criteria 1.1–1.3, 3.1–3.2, 7.1/7.3/7.5), and a section of unit A."""

from __future__ import annotations

import pytest

from parindex.accounts.models import Role, User
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    person,
    season_fixture,
)
from parindex.teams.models import Section
from parindex.teams.services import section_create


@pytest.fixture
def officer(season: Season) -> User:
    """A second officer of unit A."""
    return person("cong.chuc.a", Role.UNIT_STAFF, season.unit_a, full_name="Đỗ Thị Hoa")


@pytest.fixture
def office(season: Season, officer: User) -> Section:
    """Unit A's "Văn phòng – Thống kê", with ``officer`` in it."""
    return section_create(
        unit=season.unit_a,
        name="Văn phòng – Thống kê",
        members=[officer],
        actor=season.unit_leader,
    )
