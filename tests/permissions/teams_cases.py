"""The matrix cases of the division of work inside a unit (``teams``, in
``test_pages_season.CASES``).

Read the outcomes off :mod:`parindex.teams.permissions`: unit A's page for A's staff and
leader only (the council and superusers included, everyone else 404 without A's name);
its writes for A's leader, 403 for A's staff. The index sends every unit's people to
their own unit's page (unit C's staff, the managers of the Sở Nội vụ too) and is 404 for
anyone else.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from parindex.organizations.models import Unit
from parindex.teams.models import ItemAssignment, Section
from parindex.teams.services import section_create

from .conftest import Case, World, expect

OFFICE = "Văn phòng – Thống kê"


def a_section(world: World) -> None:
    section_create(unit=Unit.objects.get(pk=world.unit_a), name=OFFICE, actor=None)


def _section_url(name: str) -> Any:
    return lambda w: reverse(
        name, args=[w.unit_a, Section.objects.get(unit_id=w.unit_a, name=OFFICE).pk]
    )


def _unit_url(name: str) -> Any:
    return lambda w: reverse(name, args=[w.unit_a])


def _has_section(name: str) -> Any:
    return lambda w: Section.objects.filter(unit_id=w.unit_a, name=name).exists()


def _assigned(w: World) -> bool:
    return ItemAssignment.objects.filter(unit_id=w.unit_a, node_code="1").exists()


TEAMS = [
    Case(
        "teams:index",
        "GET",
        lambda w: reverse("teams:index"),
        # The managers are staff of their Sở Nội vụ, itself an assessed unit.
        expect(unit_a="302", unit_b="302", far_staff="302", all_staff="302", superuser="404"),
    ),
    Case("teams:unit", "GET", _unit_url("teams:unit"), expect(unit_a="200"), owner="A"),
    Case(
        "teams:section_create",
        "POST",
        _unit_url("teams:section_create"),
        expect(unit_leader="302", unit_staff="403"),
        data=lambda w: {"name": "Tư pháp – Hộ tịch"},
        owner="A",
        effect=_has_section("Tư pháp – Hộ tịch"),
        effect_for="unit_leader",
    ),
    Case(
        "teams:section_update",
        "POST",
        _section_url("teams:section_update"),
        expect(unit_leader="302", unit_staff="403"),
        data=lambda w: {"name": "Văn phòng UBND"},
        setup=a_section,
        owner="A",
        effect=_has_section("Văn phòng UBND"),
        effect_for="unit_leader",
    ),
    Case(
        "teams:section_delete",
        "POST",
        _section_url("teams:section_delete"),
        expect(unit_leader="302", unit_staff="403"),
        setup=a_section,
        owner="A",
        effect=lambda w: not Section.objects.filter(unit_id=w.unit_a).exists(),
        effect_for="unit_leader",
    ),
    Case(
        "teams:assignment_save",
        "POST",
        _unit_url("teams:assignment_save"),
        expect(unit_leader="302", unit_staff="403"),
        data=lambda w: {"node": "1", "officer": w.users["unit_staff"]},
        owner="A",
        effect=_assigned,
        effect_for="unit_leader",
    ),
]
