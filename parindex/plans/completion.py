"""How much of a CCHC plan is done: the figures behind the plan-completion criterion.

Only TASKS (nhiệm vụ) count — objectives group them, activities detail them. At the 6-month
appraisal (an INTERIM period) a task is due when its deadline is on or before 30 June of
the plan's year; a task without a deadline is due at year end only. At year end every task
is due. "Done" is a task marked done (with its evidence). Exact ``Decimal`` arithmetic; the
points come from the engine's scorer (:mod:`parindex.plans.suggestion`), never from here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from parindex.plans.models import ItemKind, ReformPlan

HALF_YEAR = (6, 30)
"""The 6-month cut-off (30/6): tasks due by then are what the interim appraisal counts."""


@dataclass(frozen=True)
class TaskFact:
    """What the completion rate needs of one task."""

    deadline: datetime.date | None
    done: bool


@dataclass(frozen=True)
class Completion:
    """``done`` of the ``due`` tasks; ``ratio`` = done / due (None when nothing is due)."""

    done: int
    due: int
    ratio: Decimal | None

    @property
    def percent(self) -> Decimal | None:
        """done × 100 / due as councils print it: exact when it ends within 4 decimals,
        else rounded half-up to 2 decimals (28/30 → 93.33); None when nothing is due."""
        return completion_percent(self.done, self.due)


def cutoff(year: int, *, as_of_interim: bool) -> datetime.date:
    """The last deadline counted: 30/6 at 6 months, 31/12 at year end."""
    return datetime.date(year, *HALF_YEAR) if as_of_interim else datetime.date(year, 12, 31)


def count_completion(tasks: Iterable[TaskFact], year: int, *, as_of_interim: bool) -> Completion:
    """The completion of ``tasks`` of a plan of ``year`` (pure: no database)."""
    limit = cutoff(year, as_of_interim=as_of_interim)
    due = done = 0
    for task in tasks:
        if as_of_interim and (task.deadline is None or task.deadline > limit):
            continue
        due += 1
        done += int(task.done)
    ratio = Decimal(done) / Decimal(due) if due else None
    return Completion(done=done, due=due, ratio=ratio)


def plan_completion(plan: ReformPlan, *, as_of_interim: bool) -> Completion:
    """The completion of ``plan``'s tasks at 6 months (``as_of_interim``) or at year end."""
    rows = plan.items.filter(kind=ItemKind.TASK).values_list("deadline", "done_on")
    facts = [TaskFact(deadline, done_on is not None) for deadline, done_on in rows]
    return count_completion(facts, plan.year, as_of_interim=as_of_interim)


def completion_percent(done: int, due: int) -> Decimal | None:
    """done × 100 / due, exact when it terminates within 4 decimals, else half-up to 2
    (integer arithmetic: no binary or context rounding on the way)."""
    if due <= 0:
        return None
    scaled, remainder = divmod(done * 100 * 10_000, due)
    if remainder == 0:
        return Decimal(scaled).scaleb(-4).normalize() + Decimal(0)
    hundredths, remainder = divmod(done * 100 * 100, due)
    if 2 * remainder >= due:
        hundredths += 1
    return Decimal(hundredths).scaleb(-2)
