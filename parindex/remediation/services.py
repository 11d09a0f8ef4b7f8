"""Writes of remediation tasks (nhiệm vụ khắc phục): turning the points a unit lost in a
settled appraisal into tasks, and each move of a task (start, complete with evidence, drop
with a reason, reopen), its comments and its evidence.

Every write runs in one transaction, checks the actor (``None`` is the system: the demo, an
import), and appends one ``task.*`` audit event on the task with its state before and after.
The numbers a task keeps (max, self, appraised, points lost) and the council's comment are
the engine's, read from :func:`parindex.assessments.selectors.unit_appraisal.unit_appraisal_view`
when the task is made.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.audit.services import record
from parindex.core.formatting import fmt_date, person_name
from parindex.criteria.models import CriterionNode
from parindex.evidence.files import UploadedFileLike
from parindex.evidence.models import Evidence
from parindex.evidence.uploads import UploadOutcome, UploadResult, evidence_store
from parindex.periods.permissions import UNIT_ROLES
from parindex.remediation.models import OPEN_STATUSES, RemediationTask, TaskComment
from parindex.remediation.permissions import (
    MANAGE_ONLY,
    WORK_ONLY,
    can_comment,
    can_manage,
    can_work,
    check_unit_leader,
)
from parindex.remediation.selectors import LostItem, lost_items_for
from parindex.remediation.workflow import MOVES, refuse_move
from parindex.teams.models import Section

MAX_TEXT = 4000
"""The longest action, expected evidence, result, reason or comment accepted."""


def _check_actor(actor: User | None, task: RemediationTask, *, manage: bool) -> None:
    if actor is None:
        return
    if manage and not can_manage(actor, task):
        raise PermissionDenied(MANAGE_ONLY)
    if not manage and not can_work(actor, task):
        raise PermissionDenied(WORK_ONLY)


def _clean(text: str) -> str:
    return (text or "").replace("\x00", "").strip()


def _num(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def task_state(task: RemediationTask) -> dict[str, Any]:
    """The task as the audit trail keeps it (before/after)."""
    return {
        "node": task.node_code,
        "status": task.status,
        "action": task.action,
        "officer": task.officer.get_username() if task.officer_id and task.officer else None,
        "section": task.section.name if task.section_id and task.section else None,
        "due_date": task.due_date.isoformat(),
        "expected_evidence": task.expected_evidence,
        "result": task.result,
        "drop_reason": task.drop_reason,
        "points_lost": _num(task.points_lost),
        "evidence": sorted(task.evidence.values_list("pk", flat=True)) if task.pk else [],
    }


def _locked(task: RemediationTask) -> RemediationTask:
    return (
        RemediationTask.objects.select_for_update(of=("self",))
        .select_related("period", "unit", "node", "officer", "section")
        .get(pk=task.pk)
    )


# --------------------------------------------------------------------------- creating


@dataclass(frozen=True)
class TaskSpec:
    """One task to make on a lost item (a row of "create tasks for the selected items")."""

    node: CriterionNode
    action: str
    due_date: datetime.date | None
    officer: User | None = None
    section: Section | None = None
    expected_evidence: str = ""


def _not_lost(node: CriterionNode) -> str:
    return f"Tiêu chí {node.code} không bị trừ điểm trong kết quả thẩm định của đơn vị."


def _spec_problems(spec: TaskSpec, unit_id: int, today: datetime.date) -> dict[str, str]:
    """What is wrong with ``spec`` for a task of unit ``unit_id`` (field → Vietnamese
    message; the item's loss is the caller's check); empty when it is fine."""
    problems: dict[str, str] = {}
    if not _clean(spec.action):
        problems["action"] = "Cần ghi biện pháp khắc phục."
    elif len(_clean(spec.action)) > MAX_TEXT:
        problems["action"] = f"Biện pháp khắc phục dài quá {MAX_TEXT} ký tự."
    if len(_clean(spec.expected_evidence)) > MAX_TEXT:
        problems["expected_evidence"] = f"Tài liệu kiểm chứng dự kiến dài quá {MAX_TEXT} ký tự."
    if spec.due_date is None:
        problems["due_date"] = "Cần chọn hạn hoàn thành."
    elif spec.due_date < today:
        problems["due_date"] = (
            f"Hạn hoàn thành {fmt_date(spec.due_date)} đã qua: chọn từ hôm nay "
            f"({fmt_date(today)}) trở đi."
        )
    officer = spec.officer
    if officer is not None and (
        officer.unit_id != unit_id or officer.role not in UNIT_ROLES or not officer.is_active
    ):
        problems["officer"] = f"{person_name(officer)} không phải cán bộ của đơn vị."
    if spec.section is not None and spec.section.unit_id != unit_id:
        problems["section"] = f"Bộ phận “{spec.section.name}” không thuộc đơn vị."
    return problems


def _new_task(
    spec: TaskSpec, lost: LostItem, assessment: Assessment, actor: User | None
) -> RemediationTask:
    item = lost.item
    assert spec.due_date is not None  # checked by _spec_problems
    task = RemediationTask(
        period_id=assessment.period_id,
        unit_id=assessment.unit_id,
        node=item.node,
        node_code=item.node.code,
        max_points=item.applicable_max if item.applicable_max is not None else item.node.max_points,
        self_points=item.self_points,
        appraised_points=item.appraised_points,
        points_lost=item.lost or Decimal(0),
        council_comment=item.comment,
        action=_clean(spec.action),
        officer=spec.officer,
        section=spec.section,
        due_date=spec.due_date,
        expected_evidence=_clean(spec.expected_evidence),
        created_by=actor,
    )
    task.save()
    record(
        actor=actor,
        action="task.created",
        target=task,
        summary=(
            f"Giao nhiệm vụ khắc phục tiêu chí {task.node_code} ({assessment.unit.name}, "
            f"{assessment.period.name}), hạn {fmt_date(task.due_date)}"
        ),
        after=task_state(task),
    )
    return task


@transaction.atomic
def tasks_create_many(
    *, assessment: Assessment, specs: Sequence[TaskSpec], actor: User | None
) -> list[RemediationTask]:
    """Make one task per spec on the items of ``assessment`` that lost points, all or
    nothing: refused (one Vietnamese message per problem, each naming the criterion code)
    when the appraisal is not settled, an item did not lose points, an action or due date is
    missing, the due date is before today, or the officer or section is not the unit's.
    Only the unit's leader makes tasks."""
    check_unit_leader(actor, assessment.unit)
    if not specs:
        raise ValidationError("Chưa chọn tiêu chí nào để giao nhiệm vụ khắc phục.")
    lost = lost_items_for(assessment)
    if not lost.settled:
        raise ValidationError(lost.reason)
    today = timezone.localdate()
    problems: list[str] = []
    for spec in specs:
        if lost.get(spec.node.pk) is None:
            problems.append(_not_lost(spec.node))
        found = _spec_problems(spec, assessment.unit_id, today)
        problems.extend(f"Tiêu chí {spec.node.code}: {message}" for message in found.values())
    if problems:
        raise ValidationError(problems)
    return [_new_task(spec, _got(lost.get(spec.node.pk)), assessment, actor) for spec in specs]


def _got(item: LostItem | None) -> LostItem:
    assert item is not None  # every spec's item was checked
    return item


@transaction.atomic
def task_create(
    *,
    assessment: Assessment,
    node: CriterionNode,
    action: str,
    due_date: datetime.date | None,
    officer: User | None = None,
    section: Section | None = None,
    expected_evidence: str = "",
    actor: User | None,
) -> RemediationTask:
    """One task on a lost item (see :func:`tasks_create_many`); problems are keyed by the
    field they concern (``action``, ``due_date``, ``officer``, ``section``, ``node``)."""
    check_unit_leader(actor, assessment.unit)
    lost = lost_items_for(assessment)
    if not lost.settled:
        raise ValidationError(lost.reason)
    spec = TaskSpec(node, action, due_date, officer, section, expected_evidence)
    problems = _spec_problems(spec, assessment.unit_id, timezone.localdate())
    if lost.get(node.pk) is None:
        problems["node"] = _not_lost(node)
    if problems:
        raise ValidationError(problems)
    return _new_task(spec, _got(lost.get(node.pk)), assessment, actor)


# --------------------------------------------------------------------------- editing


@transaction.atomic
def task_update(
    *,
    task: RemediationTask,
    action: str,
    due_date: datetime.date | None,
    officer: User | None,
    section: Section | None,
    expected_evidence: str = "",
    actor: User | None,
) -> RemediationTask:
    """Change what to do, who does it and by when (the leader, while the task is open).
    A due date may stay as it was; moved, it may not be before today."""
    _check_actor(actor, task, manage=True)
    locked = _locked(task)
    if not locked.is_open:
        raise ValidationError("Nhiệm vụ đã đóng: mở lại nhiệm vụ trước khi sửa.")
    spec = TaskSpec(locked.node, action, due_date, officer, section, expected_evidence)
    today = timezone.localdate()
    if due_date is not None and due_date == locked.due_date:
        today = min(today, due_date)
    problems = _spec_problems(spec, locked.unit_id, today)
    if problems:
        raise ValidationError(problems)
    before = task_state(locked)
    assert due_date is not None
    locked.action = _clean(action)
    locked.due_date = due_date
    locked.officer = officer
    locked.section = section
    locked.expected_evidence = _clean(expected_evidence)
    locked.save(
        update_fields=[
            "action",
            "due_date",
            "officer",
            "section",
            "expected_evidence",
            "search_text",
            "updated_at",
        ]
    )
    after = task_state(locked)
    record(
        actor=actor,
        action="task.changed",
        target=locked,
        summary=f"Sửa nhiệm vụ khắc phục tiêu chí {locked.node_code} ({locked.unit.name})",
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )
    return locked


# --------------------------------------------------------------------------- moves


def _close(task: RemediationTask, actor: User | None, fields: list[str]) -> None:
    task.closed_at = timezone.now()
    task.closed_by = actor if actor is not None and actor.pk else None
    fields.extend(["closed_at", "closed_by"])


def _moved(
    task: RemediationTask,
    verb: str,
    before: dict[str, Any],
    actor: User | None,
    fields: list[str],
    summary: str = "",
) -> RemediationTask:
    task.status = MOVES[verb].to
    task.save(update_fields=[*fields, "status", "updated_at"])
    record(
        actor=actor,
        action=MOVES[verb].action,
        target=task,
        summary=(
            f"{MOVES[verb].label} nhiệm vụ khắc phục tiêu chí {task.node_code} "
            f"({task.unit.name})" + (f": {summary}" if summary else "")
        ),
        before=before,
        after=task_state(task),
    )
    return task


@transaction.atomic
def task_start(*, task: RemediationTask, actor: User | None) -> RemediationTask:
    """Chưa thực hiện → Đang thực hiện (the leader or the assignee)."""
    _check_actor(actor, task, manage=False)
    locked = _locked(task)
    refuse_move(locked, "start")
    return _moved(locked, "start", task_state(locked), actor, [])


def _attach(
    task: RemediationTask,
    files: Sequence[UploadedFileLike],
    evidence: Iterable[Evidence],
    actor: User | None,
    stored: list[UploadResult],
) -> list[Evidence]:
    """Store ``files`` as the unit's evidence of the task's period (``stored`` collects
    them, for the caller to remove the new ones if the transaction fails) and attach them
    and ``evidence`` (the unit's files of the period) to the task."""
    if files and (actor is None or not actor.pk):
        raise ValidationError("Cần người tải lên tài liệu.")
    chosen: list[Evidence] = []
    for ev in evidence:
        if ev.period_id != task.period_id or ev.unit_id != task.unit_id:
            raise ValidationError(
                f"Tài liệu “{ev.original_name}” không phải tài liệu của đơn vị trong kỳ đánh giá."
            )
        chosen.append(ev)
    for uploaded in files:
        assert actor is not None
        result = evidence_store(
            period=task.period, unit=task.unit, uploaded_file=uploaded, actor=actor
        )
        stored.append(result)
        chosen.append(result.evidence)
    task.evidence.add(*chosen)
    return chosen


def _forget_new_files(stored: list[UploadResult]) -> None:
    for result in stored:
        if result.outcome is UploadOutcome.UPLOADED:
            result.evidence.file.delete(save=False)


def task_complete(
    *,
    task: RemediationTask,
    result: str,
    files: Sequence[UploadedFileLike] = (),
    evidence: Iterable[Evidence] = (),
    actor: User | None,
) -> RemediationTask:
    """Chưa thực hiện / Đang thực hiện → Đã hoàn thành, with the result and at least one
    evidence file: new ``files`` (stored as the unit's evidence of the task's period, with
    the usual size, type and signature checks, at any stage of the period), the unit's
    files of the period (``evidence``), or files already attached. All or nothing."""
    stored: list[UploadResult] = []
    try:
        with transaction.atomic():
            return _complete(task, result, files, evidence, actor, stored)
    except BaseException:
        _forget_new_files(stored)
        raise


def _complete(
    task: RemediationTask,
    result: str,
    files: Sequence[UploadedFileLike],
    evidence: Iterable[Evidence],
    actor: User | None,
    stored: list[UploadResult],
) -> RemediationTask:
    _check_actor(actor, task, manage=False)
    locked = _locked(task)
    refuse_move(locked, "complete")
    text = _clean(result)
    if not text:
        raise ValidationError({"result": "Cần ghi kết quả thực hiện."})
    if len(text) > MAX_TEXT:
        raise ValidationError({"result": f"Kết quả thực hiện dài quá {MAX_TEXT} ký tự."})
    before = task_state(locked)
    _attach(locked, files, evidence, actor, stored)
    if not locked.evidence.exists():
        raise ValidationError(
            {"files": "Cần ít nhất một tài liệu kiểm chứng kết quả để hoàn thành nhiệm vụ."}
        )
    locked.result = text
    fields = ["result"]
    _close(locked, actor, fields)
    return _moved(locked, "complete", before, actor, fields)


@transaction.atomic
def task_drop(*, task: RemediationTask, reason: str, actor: User | None) -> RemediationTask:
    """Chưa thực hiện / Đang thực hiện → Không thực hiện, with the reason (the leader)."""
    _check_actor(actor, task, manage=True)
    locked = _locked(task)
    refuse_move(locked, "drop")
    text = _clean(reason)
    if not text:
        raise ValidationError({"reason": "Cần ghi lý do không thực hiện nhiệm vụ."})
    if len(text) > MAX_TEXT:
        raise ValidationError({"reason": f"Lý do dài quá {MAX_TEXT} ký tự."})
    before = task_state(locked)
    locked.drop_reason = text
    fields = ["drop_reason"]
    _close(locked, actor, fields)
    return _moved(locked, "drop", before, actor, fields, text[:200])


@transaction.atomic
def task_reopen(*, task: RemediationTask, actor: User | None) -> RemediationTask:
    """Đã hoàn thành / Không thực hiện → Chưa thực hiện (the leader). The result and the
    evidence stay, to be revised; the reason for dropping goes (the trail keeps it)."""
    _check_actor(actor, task, manage=True)
    locked = _locked(task)
    refuse_move(locked, "reopen")
    before = task_state(locked)
    locked.drop_reason = ""
    locked.closed_at = None
    locked.closed_by = None
    return _moved(locked, "reopen", before, actor, ["drop_reason", "closed_at", "closed_by"])


# --------------------------------------------------------------------------- comments, evidence


@transaction.atomic
def task_comment_add(*, task: RemediationTask, text: str, actor: User) -> TaskComment:
    """A comment on the task, by anyone who sees it (the unit or its overseers)."""
    if not can_comment(actor, task):
        raise PermissionDenied("Bạn không được trao đổi về nhiệm vụ này.")
    clean = _clean(text)
    if not clean:
        raise ValidationError({"text": "Cần nhập nội dung trao đổi."})
    if len(clean) > MAX_TEXT:
        raise ValidationError({"text": f"Nội dung trao đổi dài quá {MAX_TEXT} ký tự."})
    comment = TaskComment.objects.create(task=task, author=actor, text=clean)
    record(
        actor=actor,
        action="task.commented",
        target=task,
        summary=f"Trao đổi về nhiệm vụ khắc phục tiêu chí {task.node_code}: {clean[:200]}",
        after={"comment": comment.pk, "text": clean[:1000]},
    )
    return comment


def _require_open(task: RemediationTask) -> None:
    if task.status not in OPEN_STATUSES:
        raise ValidationError(
            "Nhiệm vụ đã đóng: mở lại nhiệm vụ trước khi thay đổi tài liệu kiểm chứng."
        )


def task_evidence_add(
    *,
    task: RemediationTask,
    files: Sequence[UploadedFileLike] = (),
    evidence: Iterable[Evidence] = (),
    actor: User | None,
) -> list[Evidence]:
    """Attach files to a task still open (new uploads or the unit's files of the period):
    the leader or the assignee. All or nothing."""
    stored: list[UploadResult] = []
    try:
        with transaction.atomic():
            _check_actor(actor, task, manage=False)
            locked = _locked(task)
            _require_open(locked)
            before = task_state(locked)
            added = _attach(locked, files, evidence, actor, stored)
            if not added:
                raise ValidationError({"files": "Chưa chọn tệp nào."})
            record(
                actor=actor,
                action="task.evidence_added",
                target=locked,
                summary=(
                    f"Thêm tài liệu kết quả khắc phục tiêu chí {locked.node_code}: "
                    + ", ".join(f"“{e.original_name}”" for e in added)
                )[:500],
                before={"evidence": before["evidence"]},
                after={"evidence": task_state(locked)["evidence"]},
            )
            return added
    except BaseException:
        _forget_new_files(stored)
        raise


@transaction.atomic
def task_evidence_remove(
    *, task: RemediationTask, evidence: Evidence, actor: User | None
) -> RemediationTask:
    """Take a file off a task still open (the file stays the unit's: it may serve
    elsewhere): the leader or the assignee."""
    _check_actor(actor, task, manage=False)
    locked = _locked(task)
    _require_open(locked)
    if not locked.evidence.filter(pk=evidence.pk).exists():
        raise ValidationError("Tài liệu không gắn với nhiệm vụ này.")
    before = task_state(locked)
    locked.evidence.remove(evidence)
    record(
        actor=actor,
        action="task.evidence_removed",
        target=locked,
        summary=(
            f"Gỡ tài liệu “{evidence.original_name}” khỏi nhiệm vụ khắc phục tiêu chí "
            f"{locked.node_code}"
        ),
        before={"evidence": before["evidence"]},
        after={"evidence": task_state(locked)["evidence"]},
    )
    return locked
