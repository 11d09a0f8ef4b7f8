"""The completion rate: tasks only, due by 30/6 at 6 months, every task at year end."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from parindex.plans.completion import (
    Completion,
    TaskFact,
    completion_percent,
    count_completion,
    plan_completion,
)
from parindex.plans.models import ItemKind, PlanItem, ReformPlan

from .conftest import YEAR, thirty_tasks

D = Decimal
JUNE = datetime.date(YEAR, 6, 30)


def test_interim_counts_tasks_due_by_june_30_only() -> None:
    tasks = [
        TaskFact(JUNE, True),
        TaskFact(datetime.date(YEAR, 1, 31), False),
        TaskFact(datetime.date(YEAR, 7, 1), True),  # due after 30/6: year end only
        TaskFact(None, True),  # no deadline: year end only
    ]
    assert count_completion(tasks, YEAR, as_of_interim=True) == Completion(1, 2, D("0.5"))
    assert count_completion(tasks, YEAR, as_of_interim=False) == Completion(3, 4, D("0.75"))


def test_nothing_due_has_no_ratio() -> None:
    assert count_completion([], YEAR, as_of_interim=True) == Completion(0, 0, None)
    assert completion_percent(0, 0) is None


@pytest.mark.parametrize(
    ("done", "due", "percent"),
    [
        (9, 12, "75"),
        (28, 30, "93.33"),  # 93,333…: half-up to 2 decimals
        (2, 3, "66.67"),
        (1, 8, "12.5"),
        (1, 16, "6.25"),
        (1, 32, "3.125"),  # terminates within 4 decimals: exact
        (1, 64, "1.5625"),  # 4 decimals: exact, as councils print it
        (1, 7, "14.29"),
        (12, 12, "100"),
        (0, 5, "0"),
    ],
)
def test_percent_is_exact_or_half_up_to_two_places(done: int, due: int, percent: str) -> None:
    assert completion_percent(done, due) == D(percent)
    assert str(completion_percent(done, due)) == percent


def test_plan_completion_reads_tasks_only(db: None, plan: ReformPlan) -> None:
    thirty_tasks(plan, done_by_june=9)
    objective = plan.items.filter(kind=ItemKind.OBJECTIVE)[0]
    PlanItem.objects.create(
        plan=plan,
        parent=plan.items.filter(kind=ItemKind.TASK)[0],
        kind=ItemKind.ACTIVITY,
        title="Hoạt động",
        deadline=JUNE,
        done_on=JUNE,
    )
    PlanItem.objects.filter(pk=objective.pk).update(done_on=JUNE)
    assert plan_completion(plan, as_of_interim=True) == Completion(9, 12, D("0.75"))
    interim = plan_completion(plan, as_of_interim=False)
    assert (interim.done, interim.due) == (9, 30)
