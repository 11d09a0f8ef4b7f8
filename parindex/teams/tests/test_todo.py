"""The officer's part of Việc cần làm (:mod:`parindex.season.todo_assigned`): the items
given to them and their open remediation tasks, in a fixed number of queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer
from parindex.assessments.tests.test_appraisal_support import Season, client_for, person
from parindex.criteria.models import CriterionNode
from parindex.periods.models import PeriodStatus
from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.season.todo import todo_for
from parindex.season.todo_assigned import assigned_todos, task_todos
from parindex.teams.models import Section
from parindex.teams.services import item_assignment_save, section_create

pytestmark = pytest.mark.django_db


def _node(season: Season, code: str) -> CriterionNode:
    return CriterionNode.objects.get(criteria_set=season.criteria_set, code=code)


def _give(season: Season, code: str, *, unit: str = "a", **who: object) -> None:
    item_assignment_save(
        unit=getattr(season, f"unit_{unit}"),
        node_code=code,
        officer=who.get("officer"),  # type: ignore[arg-type]
        section=who.get("section"),  # type: ignore[arg-type]
        actor=None,
    )


def test_the_items_given_to_an_officer_and_how_many_are_entered(season: Season) -> None:
    staff_b = season.other_staff  # unit B entered 2 and 4 only
    section = section_create(unit=season.unit_b, name="Văn phòng", members=[staff_b], actor=None)
    _give(season, "1", unit="b", officer=staff_b)
    _give(season, "1.2", unit="b", section=section)  # inside 1: counted once
    _give(season, "4", unit="b", section=section)
    [todo] = assigned_todos(staff_b)
    assert todo.assessment == season.b
    assert [(p.code, p.entered, p.leaves) for p in todo.parts] == [("1", 0, 3), ("4", 1, 1)]
    assert todo.line == "Phiếu 2024: đã nhập 1/4 nội dung được giao"
    detail = reverse("assessments:detail", args=[season.b.pk])
    assert todo.parts[0].url == f"{detail}?linh-vuc=1#muc-{_node(season, '1.1').pk}"
    assert todo.parts[1].url == f"{detail}?linh-vuc=4" and todo.parts[1].done


def test_a_left_out_group_counts_as_entered(season: Season) -> None:
    _give(season, "7", unit="b", officer=season.other_staff)
    Answer.objects.create(assessment=season.b, node=_node(season, "7"), self_not_applicable=True)
    [todo] = assigned_todos(season.other_staff)
    assert [(p.entered, p.leaves) for p in todo.parts] == [(3, 3)]


def test_a_criterion_links_to_its_field(season: Season) -> None:
    _give(season, "3.2", unit="b", officer=season.other_staff)
    [todo] = assigned_todos(season.other_staff)
    detail = reverse("assessments:detail", args=[season.b.pk])
    assert todo.parts[0].url == f"{detail}?linh-vuc=3#muc-{_node(season, '3.2').pk}"


def test_nothing_given_or_nothing_open_is_no_todo(season: Season) -> None:
    assert assigned_todos(season.other_staff) == []
    _give(season, "1", unit="b", officer=season.other_staff)
    season.period.status = PeriodStatus.FINALISED
    season.period.save()
    assert assigned_todos(season.other_staff) == []
    assert assigned_todos(season.chair) == []


def _task(season: Season, code: str, due: datetime.date, **extra: object) -> RemediationTask:
    node = _node(season, code)
    return RemediationTask.objects.create(
        period=season.period,
        unit=season.unit_a,
        node=node,
        node_code=code,
        max_points=node.max_points,
        points_lost=Decimal("1.5"),
        action=f"Khắc phục {code}",
        due_date=due,
        **extra,
    )


def test_the_open_tasks_of_an_officer_and_their_sections(
    season: Season, office: Section, officer: User
) -> None:
    today = timezone.localdate()
    mine = _task(season, "1.1", today - datetime.timedelta(days=5), officer=officer)
    ours = _task(season, "3.1", today + datetime.timedelta(days=3), section=office)
    _task(season, "1.2", today, officer=officer, status=TaskStatus.DONE)
    _task(season, "4", today, officer=season.unit_staff)
    both = _task(season, "5", today, officer=officer, section=office, status=TaskStatus.IN_PROGRESS)
    todos = task_todos(officer)
    assert [t.task for t in todos] == [mine, both, ours]
    assert [t.overdue_text for t in todos] == ["Quá hạn 5 ngày", "", ""]
    assert todos[0].points_lost == Decimal("1.5")
    # The task's page, once the remediation app names it (else no link).
    assert todos[0].url in ("", f"/khac-phuc/nhiem-vu/{mine.pk}/")
    assert task_todos(season.unit_leader) == []


def test_the_todo_page_shows_both_parts(season: Season, office: Section, officer: User) -> None:
    _give(season, "1", section=office)
    _task(season, "1.1", timezone.localdate() - datetime.timedelta(days=2), officer=officer)
    todo = todo_for(officer)
    assert not todo.empty and todo.assigned and todo.tasks
    html = client_for(officer).get(reverse("todo")).content.decode()
    assert "Nội dung được giao cho tôi" in html
    assert "Phiếu 2024: đã nhập 3/3 nội dung được giao" in html
    assert "Nhiệm vụ khắc phục của tôi" in html
    assert "Quá hạn 2 ngày" in html and "Bị trừ 1,50 điểm" in html


def test_the_officer_parts_take_the_same_queries_however_much_is_given(season: Season) -> None:
    staff_b = season.other_staff

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assigned_todos(staff_b)
            list(task_todos(staff_b))
        return len(queries)

    _give(season, "1", unit="b", officer=staff_b)
    few = count()
    section = section_create(unit=season.unit_b, name="Văn phòng", members=[staff_b], actor=None)
    for code in ("2", "3", "5", "7"):
        _give(season, code, unit="b", section=section)
    for n in range(3):
        person(f"cb.b.{n}", Role.UNIT_STAFF, season.unit_b)
    assert count() == few
