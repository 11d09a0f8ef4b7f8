"""Reads of the plan pages: a plan's tree with its completion figures, the user's plans by
year, and the overseers' list of units' plans (diacritic-free search)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from parindex.core.text import fold
from parindex.plans.completion import Completion, TaskFact, count_completion, cutoff
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from parindex.plans.permissions import plans_visible_to


@dataclass
class TreeRow:
    """One item of the plan's tree, in display order."""

    item: PlanItem
    depth: int
    children: int = 0
    overdue: bool = False

    @property
    def is_task(self) -> bool:
        return self.item.kind == ItemKind.TASK


@dataclass(frozen=True)
class Figures:
    """The plan's completion at 30/6 and at year end."""

    interim: Completion
    year_end: Completion
    tasks: int
    objectives: int
    activities: int

    @property
    def bars(self) -> list[tuple[str, Completion]]:
        return [("Đến hạn 30/6", self.interim), ("Cả năm", self.year_end)]


@dataclass
class PlanPage:
    plan: ReformPlan
    rows: list[TreeRow]
    figures: Figures
    parents: list[tuple[int, str]] = field(default_factory=list)
    """The items an item may be added under (objectives and tasks), for the form."""


def _facts(items: list[PlanItem]) -> list[TaskFact]:
    return [TaskFact(i.deadline, i.done_on is not None) for i in items if i.kind == ItemKind.TASK]


def figures_of(plan: ReformPlan, items: list[PlanItem]) -> Figures:
    facts = _facts(items)
    return Figures(
        interim=count_completion(facts, plan.year, as_of_interim=True),
        year_end=count_completion(facts, plan.year, as_of_interim=False),
        tasks=len(facts),
        objectives=sum(1 for i in items if i.kind == ItemKind.OBJECTIVE),
        activities=sum(1 for i in items if i.kind == ItemKind.ACTIVITY),
    )


def plan_items(plan: ReformPlan) -> list[PlanItem]:
    return list(plan.items.select_related("done_by").order_by("position", "pk"))


def tree_rows(items: list[PlanItem], today: datetime.date) -> list[TreeRow]:
    """Items depth-first under their parents, each level in position order."""
    below: dict[int | None, list[PlanItem]] = {}
    ids = {i.pk for i in items}
    for item in items:
        parent = item.parent_id if item.parent_id in ids else None
        below.setdefault(parent, []).append(item)
    rows: list[TreeRow] = []

    def walk(parent: int | None, depth: int) -> None:
        for item in below.get(parent, []):
            overdue = item.done_on is None and item.deadline is not None and item.deadline < today
            rows.append(TreeRow(item, depth, len(below.get(item.pk, [])), overdue))
            walk(item.pk, depth + 1)

    walk(None, 0)
    return rows


def plan_page(plan: ReformPlan, today: datetime.date) -> PlanPage:
    items = plan_items(plan)
    parents = [
        (i.pk, f"{ItemKind(i.kind).label} {i}"[:120])
        for i in items
        if i.kind in (ItemKind.OBJECTIVE, ItemKind.TASK)
    ]
    return PlanPage(plan, tree_rows(items, today), figures_of(plan, items), parents)


@dataclass(frozen=True)
class PlanRow:
    """A plan in a list, with its completion."""

    plan: ReformPlan
    figures: Figures

    @property
    def interim_percent(self) -> Decimal | None:
        return self.figures.interim.percent

    @property
    def year_percent(self) -> Decimal | None:
        return self.figures.year_end.percent


def plan_rows(plans: QuerySet[ReformPlan]) -> list[PlanRow]:
    """Each plan with its figures (two queries, whatever the number of plans)."""
    listed = list(plans.select_related("unit"))
    by_plan: dict[int, list[PlanItem]] = {p.pk: [] for p in listed}
    for item in PlanItem.objects.filter(plan__in=listed).only(
        "plan_id", "kind", "deadline", "done_on"
    ):
        by_plan[item.plan_id].append(item)
    return [PlanRow(p, figures_of(p, by_plan[p.pk])) for p in listed]


def visible_plans(user: Any, *, year: int | None = None, query: str = "") -> QuerySet[ReformPlan]:
    """The plans ``user`` reads, of ``year`` (all years: None), whose unit's name or code
    matches ``query`` (diacritics ignored)."""
    qs = plans_visible_to(user)
    if year is not None:
        qs = qs.filter(year=year)
    for word in fold(query).split():
        qs = qs.filter(unit__search_name__contains=word)
    return qs.order_by("-year", "unit__position", "unit__name")


def plan_years(user: Any) -> list[int]:
    return sorted(set(plans_visible_to(user).values_list("year", flat=True)), reverse=True)


def cutoff_text(year: int, *, as_of_interim: bool) -> str:
    return cutoff(year, as_of_interim=as_of_interim).strftime("%d/%m/%Y")
