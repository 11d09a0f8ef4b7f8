"""A commune's CCHC plan of 2025 and the periods that score it.

* ``plan_set(rule, mode)``: a commune criteria set whose plan-completion criterion is 1.1.3
  ("Mức độ thực hiện kế hoạch CCHC", max 2) with ``rule`` (ratio, percent or manual) and
  the leaf rounding ``mode`` (truncate or half_up, 2 places).
* ``period_for(criteria_set, kind)``: Hà Nam's 2025 period of that kind (6 months or the
  year), in self-assessment, binding the communes to the set, with the commune's assessment.
* ``thirty_tasks(plan, done_by_june, done_later)``: the issue's plan — 30 tasks, 12 due by
  30/6 (``done_by_june`` of them done), 10 due later and 8 without a deadline (``done_later``
  of those 18 done), under 2 objectives.
* ``plan``: the commune's plan of 2025 (số 12/KH-UBND), empty.

The personas: ``tests/personas.py``.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from parindex.assessments.models import Assessment
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from parindex.plans.services import plan_create

YEAR = 2025
PLAN_NUMBER = "12/KH-UBND"


def plan_document(rule: str, mode: str) -> dict[str, Any]:
    plan_rule: dict[str, Any] = {} if rule == "manual" else {"rule": {"type": rule}}
    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": f"Bộ tiêu chí CCHC cấp xã {YEAR} ({rule}, {mode})",
            "rounding": {"mode": mode, "places": 2},
            "nodes": [
                {"code": "1", "name": "Công tác chỉ đạo, điều hành CCHC", "max": "6"},
                {"code": "1.1", "name": "Kế hoạch CCHC", "max": "4", "parent": "1"},
                {
                    "code": "1.1.1",
                    "name": "Ban hành kế hoạch CCHC năm",
                    "max": "2",
                    "parent": "1.1",
                    "rule": {"type": "boolean"},
                },
                {
                    "code": "1.1.3",
                    "name": "Mức độ thực hiện kế hoạch CCHC",
                    "max": "2",
                    "parent": "1.1",
                    **plan_rule,
                },
                {"code": "1.2", "name": "Báo cáo CCHC", "max": "2", "parent": "1"},
            ],
        },
    }


@pytest.fixture
def plan_set(province: Unit) -> Callable[..., CriteriaSet]:
    def make(rule: str = "ratio", mode: str = "truncate") -> CriteriaSet:
        return criteria_set_import_document(
            document=plan_document(rule, mode),
            info=SetInfo(
                level=Level.COMMUNE, year=YEAR, jurisdiction=province, plan_criterion_code="1.1.3"
            ),
            actor=None,
        )

    return make


@pytest.fixture
def period_for(
    province: Unit, communes_group: UnitGroup, assessed_unit: Unit
) -> Callable[..., Assessment]:
    """The commune's assessment in Hà Nam's 2025 period of ``kind`` scored by the set."""

    def make(criteria_set: CriteriaSet, kind: str = PeriodKind.INTERIM) -> Assessment:
        period = period_create(
            jurisdiction=province,
            year=YEAR,
            kind=kind,
            name=f"Chỉ số CCHC {YEAR} ({kind})",
            groups={communes_group: criteria_set},
            actor=None,
        )
        period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
        deadline = timezone.now() + datetime.timedelta(days=7)
        Period.objects.filter(pk=period.pk).update(self_assessment_deadline=deadline)
        period.refresh_from_db()
        return Assessment.objects.create(period=period, unit=assessed_unit)

    return make


@pytest.fixture
def plan(assessed_unit: Unit) -> ReformPlan:
    return plan_create(
        unit=assessed_unit,
        year=YEAR,
        number=PLAN_NUMBER,
        issued_on=datetime.date(YEAR, 1, 15),
        title="Kế hoạch cải cách hành chính năm 2025 của UBND xã Liêm Tuyền",
        actor=None,
    )


def thirty_tasks(plan: ReformPlan, done_by_june: int, done_later: int = 0) -> list[PlanItem]:
    """The issue's plan: 30 tasks, 12 due by 30/6, 10 later, 8 without a deadline."""
    objectives = [
        PlanItem.objects.create(plan=plan, kind=ItemKind.OBJECTIVE, code=c, title=t, position=i)
        for i, (c, t) in enumerate((("I", "Cải cách thể chế"), ("II", "Cải cách TTHC")))
    ]
    deadlines: list[datetime.date | None] = (
        [datetime.date(YEAR, 3 + (i % 4), 28 if i % 4 != 3 else 30) for i in range(12)]
        + [datetime.date(YEAR, 7 + (i % 6), 15) for i in range(10)]
        + [None] * 8
    )
    tasks = []
    for i, deadline in enumerate(deadlines):
        done = (i < done_by_june) or (12 <= i < 12 + done_later)
        tasks.append(
            PlanItem(
                plan=plan,
                parent=objectives[i % 2],
                kind=ItemKind.TASK,
                code=str(i + 1),
                title=f"Nhiệm vụ {i + 1}",
                deadline=deadline,
                position=10 + i,
                done_on=datetime.date(YEAR, 6, 30) if done else None,
                result_document=f"Báo cáo số {i + 1}/BC-UBND" if done else "",
            )
        )
    return PlanItem.objects.bulk_create(tasks)
