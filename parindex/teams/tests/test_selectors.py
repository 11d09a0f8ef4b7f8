"""The reads of :mod:`parindex.teams.selectors`: who answers for a code, the codes of an
officer, the unit's current set, and the page in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parindex.accounts.models import Role, User
from parindex.assessments.tests.test_appraisal_support import Season, person
from parindex.criteria.services import criteria_set_clone
from parindex.periods.models import PeriodKind
from parindex.periods.services import period_create
from parindex.teams.models import ItemAssignment, Section
from parindex.teams.selectors import (
    assignments_of,
    codes_of,
    covering,
    current_binding,
    responsible_for,
    sections_of,
    teams_page,
)
from parindex.teams.services import item_assignment_save, section_create

pytestmark = pytest.mark.django_db


def _give(
    season: Season, code: str, officer: User | None = None, section: Section | None = None
) -> ItemAssignment:
    return item_assignment_save(
        unit=season.unit_a, node_code=code, officer=officer, section=section, actor=None
    )


def test_the_longest_code_above_answers(season: Season, office: Section, officer: User) -> None:
    field = _give(season, "1", officer=season.unit_staff)
    criterion = _give(season, "1.2", section=office)
    assert responsible_for(season.unit_a, "1") == field
    assert responsible_for(season.unit_a, "1.1") == field
    assert responsible_for(season.unit_a, "1.2") == criterion
    assert responsible_for(season.unit_a, "1.2.4") == criterion
    assert responsible_for(season.unit_a, "2") is None
    assert responsible_for(season.unit_b, "1.1") is None


def test_a_code_is_not_covered_by_a_longer_number() -> None:
    assert covering([ItemAssignment(node_code="1")], "10") is None
    assert covering([ItemAssignment(node_code="1")], "10.1") is None
    assert covering([ItemAssignment(node_code="1")], "1.10").node_code == "1"  # type: ignore[union-attr]


def test_codes_of_an_officer_directly_and_through_sections(
    season: Season, office: Section, officer: User
) -> None:
    _give(season, "1", officer=officer)
    _give(season, "3", section=office)
    _give(season, "7", officer=season.unit_staff, section=office)
    _give(season, "2", officer=season.unit_staff)
    assert codes_of(officer) == ("1", "3", "7")
    assert codes_of(season.unit_staff) == ("2", "7")
    assert codes_of(season.unit_leader) == ()
    assert codes_of(season.chair) == ()


def test_an_officer_who_moves_leaves_their_codes_behind(season: Season, officer: User) -> None:
    _give(season, "1", officer=officer)
    officer.unit = season.unit_b
    officer.save()
    assert codes_of(officer) == ()


def test_the_current_set_is_the_latest_period_s(season: Season) -> None:
    binding = current_binding(season.unit_a)
    assert binding is not None and binding.period == season.period
    newer = criteria_set_clone(source=season.criteria_set, year=2025, actor=None)
    group = season.unit_a.group
    assert group is not None
    interim = period_create(
        jurisdiction=season.period.jurisdiction,
        year=2025,
        kind=PeriodKind.INTERIM,
        name="6 tháng đầu năm 2025",
        groups={group: season.criteria_set},
        actor=None,
    )
    assert current_binding(season.unit_a).period == interim  # type: ignore[union-attr]
    annual = period_create(
        jurisdiction=season.period.jurisdiction,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Năm 2025",
        groups={group: newer},
        actor=None,
    )
    found = current_binding(season.unit_a)
    assert found is not None and found.period == annual and found.criteria_set == newer


def test_the_page_lists_fields_and_criteria_with_who_covers_them(
    season: Season, office: Section
) -> None:
    _give(season, "1", officer=season.unit_staff)
    _give(season, "1.3", section=office)
    page = teams_page(season.unit_a)
    codes = [row.node.code for row in page.rows]
    assert codes == ["1", "1.1", "1.2", "1.3", "2", "3", "3.1", "3.2", "4", "5", "6", "7",
                     "7.1", "7.3", "7.5"]  # fmt: skip
    rows = {row.node.code: row for row in page.rows}
    assert rows["1"].own is not None and not rows["1"].inherited
    assert rows["1.1"].inherited and rows["1.1"].covering == rows["1"].own
    assert rows["1.3"].own is not None and rows["1.3"].own.section == office
    assert rows["2"].covering is None
    assert page.assigned == 4
    assert [p.username for p in page.people] == ["can.bo.a", "lanh.dao.a", "cong.chuc.a"]
    assert rows["1"].node.max_points == 14


def test_the_page_shows_codes_the_set_no_longer_has(season: Season) -> None:
    ItemAssignment.objects.create(unit=season.unit_a, node_code="8", officer=season.unit_staff)
    assert [a.node_code for a in teams_page(season.unit_a).orphans] == ["8"]


def _count(season: Season) -> int:
    with CaptureQueriesContext(connection) as queries:
        page = teams_page(season.unit_a)
        for section in page.sections:
            list(section.members.all())
        for row in page.rows:
            if row.covering is not None:
                str(row.covering.officer) + str(row.covering.section)
    return len(queries)


def test_the_page_takes_the_same_queries_however_much_is_given(
    season: Season, office: Section
) -> None:
    few = _count(season)
    for n in range(6):
        member = person(f"cb.{n}", Role.UNIT_STAFF, season.unit_a)
        section = section_create(
            unit=season.unit_a, name=f"Bộ phận {n}", members=[member], actor=None
        )
        _give(season, str(n + 1), officer=member, section=section)
    assert _count(season) == few
    assert len(sections_of(season.unit_a)) == 7
    assert len(assignments_of(season.unit_a)) == 6
