"""Reads of who does what inside a unit: its sections, its assignments, who answers for a
code (an assignment covers its code and every code below it, as the appraisers' do:
:func:`parindex.assessments.permissions.code_within`), and the page of the unit.

Each function runs a fixed number of queries, whatever the number of sections, officers
or nodes."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from parindex.accounts.models import User
from parindex.assessments.permissions import code_within
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.organizations.models import Unit
from parindex.periods.models import PeriodGroup
from parindex.periods.permissions import UNIT_ROLES, active_user
from parindex.teams.models import ItemAssignment, Section

ASSIGNABLE_DEPTH = 1
"""Fields (depth 0) and criteria (depth 1) are given out; sub-criteria follow their
criterion."""


# --------------------------------------------------------------------------- people, sections


def unit_people(unit: Unit) -> QuerySet[User]:
    """The active staff and leaders of ``unit``: whom its leader may give work to."""
    return User.objects.filter(unit=unit, is_active=True, role__in=UNIT_ROLES).order_by(
        "full_name", "username"
    )


def sections_of(unit: Unit) -> list[Section]:
    """The unit's sections in order, each with its members (two queries)."""
    members = Prefetch("members", queryset=User.objects.order_by("full_name", "username"))
    return list(Section.objects.filter(unit=unit).prefetch_related(members))


def assignments_of(unit: Unit) -> list[ItemAssignment]:
    """The unit's assignments by code, with their officer and section (one query)."""
    return list(
        ItemAssignment.objects.filter(unit=unit)
        .select_related("officer", "section")
        .order_by("node_code")
    )


def covering(assignments: Iterable[ItemAssignment], code: str) -> ItemAssignment | None:
    """Of ``assignments``, the one that answers for ``code``: its own, else the nearest
    above it (the longest code that ``code`` lies within). No query."""
    found: ItemAssignment | None = None
    for assignment in assignments:
        if code_within(code, (assignment.node_code,)) and (
            found is None or len(assignment.node_code) > len(found.node_code)
        ):
            found = assignment
    return found


def responsible_for(unit: Unit, code: str) -> ItemAssignment | None:
    """The assignment that covers field/criterion ``code`` in ``unit`` ("1" covers
    "1.1.3"), or None (one query)."""
    return covering(assignments_of(unit), code)


def codes_of(user: Any) -> tuple[str, ...]:
    """The node codes given to ``user`` in their unit, directly or through one of their
    sections (one query; () for anyone who is not a unit's staff or leader)."""
    u = active_user(user)
    if u is None or u.role not in UNIT_ROLES or u.unit_id is None:
        return ()
    codes = (
        ItemAssignment.objects.filter(unit_id=u.unit_id)
        .filter(Q(officer=u) | Q(section__members=u))
        .values_list("node_code", flat=True)
        .distinct()
    )
    return tuple(sorted(set(codes)))


# --------------------------------------------------------------------------- criteria


def current_binding(unit: Unit) -> PeriodGroup | None:
    """The criteria set that scores ``unit`` now: the one bound to its group in the latest
    period of a jurisdiction above it (the annual period after the 6-month one of a year).
    Two queries; None for a unit without a group or a period."""
    if unit.group_id is None:
        return None
    chain = Unit.objects.select_related("parent__parent__parent__parent").get(pk=unit.pk)
    above: list[int] = []
    node: Unit | None = chain
    while node is not None:
        above.append(node.pk)
        node = node.parent
    return (
        PeriodGroup.objects.filter(group_id=unit.group_id, period__jurisdiction_id__in=above)
        .select_related("period", "criteria_set")
        .order_by("-period__year", "period__kind", "-period_id")
        .first()
    )


@dataclass(frozen=True)
class NodeRow:
    """A field or criterion that can be given out."""

    node_id: int
    code: str
    name: str
    depth: int
    max_points: Decimal

    @property
    def is_field(self) -> bool:
        return self.depth == 0


def assignable_nodes(criteria_set: CriteriaSet) -> list[NodeRow]:
    """The fields and criteria of ``criteria_set`` in display order (one query)."""
    rows = list(
        CriterionNode.objects.filter(criteria_set=criteria_set)
        .order_by("position", "id")
        .values_list("id", "code", "name", "max_points", "parent_id")
    )
    parent_of = {row[0]: row[4] for row in rows}

    def depth(node_id: int) -> int:
        level, current, seen = 0, parent_of.get(node_id), {node_id}
        while current is not None and current not in seen:
            seen.add(current)
            level += 1
            current = parent_of.get(current)
        return level

    found = []
    for node_id, code, name, max_points, _ in rows:
        d = depth(node_id)
        if d <= ASSIGNABLE_DEPTH:
            found.append(NodeRow(node_id, code, name, d, max_points.normalize()))
    return found


def assignable_codes(unit: Unit) -> tuple[CriteriaSet | None, set[str]]:
    """The unit's current set and the codes of its fields and criteria (three queries)."""
    binding = current_binding(unit)
    if binding is None:
        return None, set()
    return binding.criteria_set, {row.code for row in assignable_nodes(binding.criteria_set)}


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class AssignmentRow:
    """One field or criterion of the page with whoever answers for it."""

    node: NodeRow
    own: ItemAssignment | None
    covering: ItemAssignment | None
    """``own``, else the assignment of the field above it."""

    @property
    def inherited(self) -> bool:
        return self.own is None and self.covering is not None


@dataclass(frozen=True)
class TeamsPage:
    unit: Unit
    binding: PeriodGroup | None
    rows: list[AssignmentRow]
    sections: list[Section]
    people: list[User]
    orphans: list[ItemAssignment]
    """Assignments of codes the current set no longer has (a new year's set)."""

    @property
    def assigned(self) -> int:
        return sum(1 for row in self.rows if row.covering is not None)


def assignment_rows(
    nodes: Sequence[NodeRow], assignments: Sequence[ItemAssignment]
) -> list[AssignmentRow]:
    own = {a.node_code: a for a in assignments}
    return [AssignmentRow(n, own.get(n.code), covering(assignments, n.code)) for n in nodes]


def teams_page(unit: Unit) -> TeamsPage:
    """Everything the page "Phân công nhiệm vụ trong đơn vị" shows (seven queries)."""
    binding = current_binding(unit)
    nodes = assignable_nodes(binding.criteria_set) if binding is not None else []
    assignments = assignments_of(unit)
    codes = {n.code for n in nodes}
    return TeamsPage(
        unit=unit,
        binding=binding,
        rows=assignment_rows(nodes, assignments),
        sections=sections_of(unit),
        people=list(unit_people(unit)),
        orphans=[a for a in assignments if a.node_code not in codes],
    )
