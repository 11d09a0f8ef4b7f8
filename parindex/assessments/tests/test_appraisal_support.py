"""A small assessment season for the appraisal and lifecycle tests (fixtures, no tests).

Province T-HNA runs "Năm 2024" for its sở with the sample criteria set (fields 1–7, max 90,
survey 10: an index is exactly the total points). Units: Sở Nội vụ (the chair's office,
never answers), Sở Tư pháp (unit A, answers every leaf) and Sở Tài chính (unit B, answers
two leaves).

Personas: ``appraiser`` (field 1 of unit A only), ``appraiser_b`` (every field of unit B),
``chair``, ``unit_leader`` and ``unit_staff`` (unit A), ``other_staff`` (staff of unit B).

Import the fixtures a module needs: ``season_fixture`` (the fixture ``season``) and
``round_1_fixture`` (``round_1``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import AppraiserAssignment, Period, PeriodKind
from parindex.periods.services import period_create
from parindex.season.stages import period_open_self_assessment, period_start_appraisal

D = Decimal

A_VALUES: dict[str, Any] = {
    "1.1": True,  # 4
    "1.2": "87.5",  # 3.5
    "1.3": "2",  # 3 (tiers: from 1 → 3, from 3 → 6)
    "2": "9.25",
    "3.1": {"numerator": "95", "denominator": "100"},  # 9.5
    "3.2": "1",  # 9 − 1.5 = 7.5
    "4": "8",
    "5": "12.5",
    "6": "6",
    "7.1": "8.75",
    "7.3": {"numerator": "7", "denominator": "9"},  # 5.44
    "7.5": False,  # 0
}
A_TOTAL = D("77.44")
B_VALUES: dict[str, Any] = {"2": "10", "4": "8"}


@dataclass
class Season:
    period: Period
    criteria_set: CriteriaSet
    office: Unit
    unit_a: Unit
    unit_b: Unit
    a: Assessment
    b: Assessment
    office_assessment: Assessment
    appraiser: User
    appraiser_b: User
    chair: User
    unit_leader: User
    unit_staff: User
    other_staff: User

    def answer(self, assessment: Assessment, code: str) -> Answer:
        return Answer.objects.select_related("node", "assessment__period").get(
            assessment=assessment, node__code=code
        )

    def refresh(self) -> None:
        for obj in (self.period, self.a, self.b, self.office_assessment):
            obj.refresh_from_db()


def person(username: str, role: str, unit: Unit, **extra: Any) -> User:
    return User.objects.create_user(
        username=username,
        full_name=extra.pop("full_name", username),
        email=extra.pop("email", f"{username}@example.org"),
        role=role,
        unit=unit,
        **extra,
    )


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def fill(assessment: Assessment, values: dict[str, Any]) -> None:
    """The unit's own values, as the self-assessment pages would have stored them."""
    nodes = dict(
        CriterionNode.objects.filter(
            criteria_set__period_groups__period=assessment.period
        ).values_list("code", "id")
    )
    for code, value in values.items():
        Answer.objects.update_or_create(
            assessment=assessment,
            node_id=nodes[code],
            defaults={"self_value": value, "explanation": f"Thuyết minh {code}"},
        )


@pytest.fixture(name="season")
def season_fixture(
    province: Unit,
    departments_group: UnitGroup,
    so_noi_vu: Unit,
    criteria_set: CriteriaSet,
) -> Season:
    """The period open for self-assessment, unit A submitted, unit B in progress."""
    unit_a = unit_create(
        code="T-STP",
        name="Sở Tư pháp",
        level=Level.DEPARTMENT,
        parent=province,
        group=departments_group,
        position=2,
        actor=None,
    )
    unit_b = unit_create(
        code="T-STC",
        name="Sở Tài chính",
        level=Level.DEPARTMENT,
        parent=province,
        group=departments_group,
        position=3,
        actor=None,
    )
    chair = person("chu.tich", Role.CHAIR, so_noi_vu, full_name="Phạm Chủ Tịch")
    period = period_create(
        jurisdiction=province,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Năm 2024",
        groups={departments_group: criteria_set},
        actor=chair,
    )
    period_open_self_assessment(
        period=period, actor=chair, deadline=timezone.now() + datetime.timedelta(days=10)
    )
    appraiser = person("tham.dinh.1", Role.APPRAISER, so_noi_vu, full_name="Lê Thẩm Định")
    appraiser_b = person("tham.dinh.2", Role.APPRAISER, so_noi_vu, full_name="Vũ Thẩm Định")
    first = AppraiserAssignment.objects.create(period=period, appraiser=appraiser, node_codes=["1"])
    first.units.set([unit_a])
    second = AppraiserAssignment.objects.create(period=period, appraiser=appraiser_b, node_codes=[])
    second.units.set([unit_b])
    a = Assessment.objects.get(period=period, unit=unit_a)
    b = Assessment.objects.get(period=period, unit=unit_b)
    fill(a, A_VALUES)
    fill(b, B_VALUES)
    unit_leader = person("lanh.dao.a", Role.UNIT_LEADER, unit_a)
    Assessment.objects.filter(pk=a.pk).update(
        status=AssessmentStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=unit_leader
    )
    Assessment.objects.filter(pk=b.pk).update(status=AssessmentStatus.IN_PROGRESS)
    result = Season(
        period=period,
        criteria_set=criteria_set,
        office=so_noi_vu,
        unit_a=unit_a,
        unit_b=unit_b,
        a=a,
        b=b,
        office_assessment=Assessment.objects.get(period=period, unit=so_noi_vu),
        appraiser=appraiser,
        appraiser_b=appraiser_b,
        chair=chair,
        unit_leader=unit_leader,
        unit_staff=person("can.bo.a", Role.UNIT_STAFF, unit_a),
        other_staff=person("can.bo.b", Role.UNIT_STAFF, unit_b),
    )
    result.refresh()
    return result


@pytest.fixture(name="round_1")
def round_1_fixture(season: Season) -> Season:
    """The season in appraisal round 1."""
    period_start_appraisal(period=season.period, actor=season.chair)
    season.refresh()
    return season
