"""The matrix cases of the remediation tasks (``remediation``, in ``test_pages_season.CASES``).

Read the outcomes off :mod:`parindex.remediation.permissions`: unit A's lost points of 2024
(finalised) and its tasks are read by A's people and Hà Nam's council (chair, observer,
superuser); everyone else, Ninh Bình included, gets 404. The unit's leader makes, edits,
drops and reopens tasks; the leader or the officer given the task (A's staff here) starts
and completes it and changes its files; the council only reads and comments (403 on the
rest). Anyone who reads a task may comment.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

from parindex.assessments.models import Assessment
from parindex.criteria.models import CriterionNode
from parindex.remediation.models import RemediationTask, TaskComment, TaskStatus
from parindex.remediation.services import task_create, task_drop, task_evidence_add

from .conftest import Case, World, expect, tiny_pdf

ACTION = "Rà soát, hướng dẫn để hồ sơ không phải bổ sung quá một lần."


def _due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=10)


def task_a(world: World) -> None:
    """A task on unit A's item 2.2 of 2024 (loses 1,50), given to A's staff (made by the system)."""
    task_create(
        assessment=Assessment.objects.get(pk=world.old_a),
        node=CriterionNode.objects.get(pk=world.nodes["2.2"]),
        action=ACTION,
        due_date=_due(),
        officer=world.user("unit_staff"),
        actor=None,
    )


def _task(world: World) -> RemediationTask:
    return RemediationTask.objects.get(unit_id=world.unit_a)


def task_dropped(world: World) -> None:
    task_a(world)
    task_drop(task=_task(world), reason="Trùng với nhiệm vụ khác.", actor=None)


def task_with_file(world: World) -> None:
    task_a(world)
    task_evidence_add(
        task=_task(world),
        files=[tiny_pdf("du-thao.pdf", b"%task")],
        actor=world.user("unit_leader"),
    )


def _url(name: str) -> Any:
    return lambda w: reverse(name, args=[_task(w).pk])


def _status_is(status: str) -> Any:
    return lambda w: _task(w).status == status


def _lost(w: World) -> str:
    return reverse("remediation:lost", args=[w.old_a])


def _lost_form(w: World) -> dict[str, Any]:
    node = w.nodes["2.2"]
    return {
        "chon": [str(node)],
        f"r{node}-action": ACTION,
        f"r{node}-officer": str(w.users["unit_staff"]),
        f"r{node}-due_date": _due().isoformat(),
    }


LEADER = {"unit_a": "403", "oversight": "403", "unit_leader": "302"}
"""A write of the unit's leader: A's staff and the council read the task but may not."""
WORKER = {"unit_a": "302", "oversight": "403"}
"""A write of the leader or the assignee (A's staff is the officer of the task)."""

REMEDIATION = [
    Case("remediation:list", "GET", lambda w: reverse("remediation:list"), expect("200")),
    Case(
        "remediation:list",
        "GET",
        lambda w: reverse("remediation:list") + "?q=ra%20soat",
        expect("200"),
        label="search",
        setup=task_a,
    ),
    Case(
        "remediation:lost",
        "GET",
        _lost,
        expect(unit_a="200", oversight="200"),
        owner="A",
        setup=task_a,
    ),
    Case(
        "remediation:lost",
        "POST",
        _lost,
        expect(**LEADER),
        data=_lost_form,
        owner="A",
        effect=lambda w: RemediationTask.objects.filter(unit_id=w.unit_a).exists(),
        effect_for="unit_leader",
    ),
    Case(
        "remediation:task",
        "GET",
        _url("remediation:task"),
        expect(unit_a="200", oversight="200"),
        owner="A",
        setup=task_a,
    ),
    Case(
        "remediation:edit",
        "GET",
        _url("remediation:edit"),
        expect(unit_a="403", oversight="403", unit_leader="200"),
        owner="A",
        setup=task_a,
    ),
    Case(
        "remediation:edit",
        "POST",
        _url("remediation:edit"),
        expect(**LEADER),
        data=lambda w: {"action": "Biện pháp mới.", "due_date": _due().isoformat()},
        owner="A",
        setup=task_a,
        effect=lambda w: _task(w).action == "Biện pháp mới.",
        effect_for="unit_leader",
    ),
    Case(
        "remediation:start",
        "POST",
        _url("remediation:start"),
        expect(**WORKER),
        owner="A",
        setup=task_a,
        effect=_status_is(TaskStatus.IN_PROGRESS),
        effect_for="unit_a",
    ),
    Case(
        "remediation:complete",
        "POST",
        _url("remediation:complete"),
        expect(**WORKER),
        data=lambda w: {"result": "Đã ban hành.", "files": tiny_pdf("ket-qua.pdf", b"%done")},
        owner="A",
        setup=task_a,
        effect=_status_is(TaskStatus.DONE),
        effect_for="unit_a",
    ),
    Case(
        "remediation:drop",
        "POST",
        _url("remediation:drop"),
        expect(**LEADER),
        data=lambda w: {"reason": "Không còn phù hợp."},
        owner="A",
        setup=task_a,
        effect=_status_is(TaskStatus.DROPPED),
        effect_for="unit_leader",
    ),
    Case(
        "remediation:reopen",
        "POST",
        _url("remediation:reopen"),
        expect(**LEADER),
        owner="A",
        setup=task_dropped,
        effect=_status_is(TaskStatus.OPEN),
        effect_for="unit_leader",
    ),
    Case(
        "remediation:comment",
        "POST",
        _url("remediation:comment"),
        expect(reads_a_whole="302"),
        data=lambda w: {"text": "Đề nghị gửi dự thảo kế hoạch."},
        owner="A",
        setup=task_a,
        effect=lambda w: TaskComment.objects.filter(task__unit_id=w.unit_a).exists(),
        effect_for="reads_a_whole",
    ),
    Case(
        "remediation:evidence_add",
        "POST",
        _url("remediation:evidence_add"),
        expect(**WORKER),
        data=lambda w: {"files": tiny_pdf("bien-ban.pdf", b"%add")},
        owner="A",
        setup=task_a,
        effect=lambda w: _task(w).evidence.exists(),
        effect_for="unit_a",
    ),
    Case(
        "remediation:evidence_remove",
        "POST",
        _url("remediation:evidence_remove"),
        expect(**WORKER),
        data=lambda w: {"evidence": str(_task(w).evidence.get().pk)},
        owner="A",
        setup=task_with_file,
        effect=lambda w: not _task(w).evidence.exists(),
        effect_for="unit_a",
    ),
]
