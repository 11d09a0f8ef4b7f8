"""The workflow of a remediation task: the allowed moves between statuses, the verbs
(start, complete, drop, reopen) with who may do each, and the buttons a person gets.
The services (:mod:`parindex.remediation.services`) do the moves."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.remediation.permissions import can_manage, can_work

TRANSITIONS: dict[str, frozenset[str]] = {
    TaskStatus.OPEN: frozenset({TaskStatus.IN_PROGRESS, TaskStatus.DONE, TaskStatus.DROPPED}),
    TaskStatus.IN_PROGRESS: frozenset({TaskStatus.DONE, TaskStatus.DROPPED}),
    TaskStatus.DONE: frozenset({TaskStatus.OPEN}),
    TaskStatus.DROPPED: frozenset({TaskStatus.OPEN}),
}
"""The allowed moves: status → the statuses a task may go to from it."""


@dataclass(frozen=True)
class Move:
    """A verb of the task's workflow: where it goes, who may, the button's words."""

    to: str
    manage: bool
    """True: the unit's leader only; False: the leader or the assignee."""
    label: str
    action: str
    """The audit action code."""


MOVES: dict[str, Move] = {
    "start": Move(TaskStatus.IN_PROGRESS, False, "Bắt đầu thực hiện", "task.started"),
    "complete": Move(TaskStatus.DONE, False, "Hoàn thành", "task.completed"),
    "drop": Move(TaskStatus.DROPPED, True, "Không thực hiện", "task.dropped"),
    "reopen": Move(TaskStatus.OPEN, True, "Mở lại", "task.reopened"),
}


def move_allowed(task: RemediationTask, verb: str) -> bool:
    """Whether ``verb`` may be done from the task's status (whoever asks)."""
    return MOVES[verb].to in TRANSITIONS.get(task.status, frozenset())


def available_moves(task: RemediationTask, user: Any) -> list[str]:
    """The verbs ``user`` may do on ``task`` now (the buttons of the task's page)."""
    allowed = []
    for verb, move in MOVES.items():
        if not move_allowed(task, verb):
            continue
        if can_manage(user, task) if move.manage else can_work(user, task):
            allowed.append(verb)
    return allowed


def refuse_move(task: RemediationTask, verb: str) -> None:
    if not move_allowed(task, verb):
        raise ValidationError(
            f"Nhiệm vụ đang ở trạng thái “{TaskStatus(task.status).label}”: không thể "
            f"“{MOVES[verb].label.lower()}”."
        )
