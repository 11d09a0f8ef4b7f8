"""A 2025 period of the province to set up (groups, deadlines, an assignment), and another
province with its own chair, for the season administration tests."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest

from parindex.accounts.models import Role, User
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import AppraiserAssignment, Period, PeriodKind
from parindex.periods.services import period_create
from parindex.season.setup import assignment_save

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def local(year: int, month: int, day: int, hour: int = 17, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=HANOI)


@pytest.fixture
def season_2025(
    province: Unit,
    departments_group: UnitGroup,
    communes_group: UnitGroup,
    criteria_set: CriteriaSet,
    so_noi_vu: Unit,
    commune: Unit,
    other_commune: Unit,
) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Năm 2025",
        groups={departments_group: criteria_set, communes_group: criteria_set},
        actor=None,
    )
    period.self_assessment_deadline = local(2025, 11, 30)
    period.appraisal_1_deadline = local(2025, 12, 10)
    period.explanation_deadline = local(2025, 12, 15, 11, 30)
    period.appraisal_2_deadline = local(2025, 12, 20)
    period.evidence_max_mb = 15
    period.save()
    return period


@pytest.fixture
def assignment_2025(season_2025: Period, appraiser: User, commune: Unit) -> AppraiserAssignment:
    return assignment_save(
        period=season_2025,
        appraiser=appraiser,
        node_codes=["1", "3"],
        units=[commune],
        actor=None,
    )


@pytest.fixture
def other_province(db: None) -> Unit:
    return unit_create(code="T-NDH", name="Tỉnh Nam Định", level=Level.PROVINCE, actor=None)


@pytest.fixture
def other_chair(other_province: Unit) -> User:
    office = unit_create(
        code="T-NDH-SNV",
        name="Sở Nội vụ Nam Định",
        level=Level.DEPARTMENT,
        parent=other_province,
        actor=None,
    )
    return User.objects.create_user(
        username="chu.tich.nd", full_name="Trịnh Văn Nam", role=Role.CHAIR, unit=office
    )
