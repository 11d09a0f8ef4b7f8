"""Who may see and act on remediation tasks (nhiệm vụ khắc phục): the chokepoints every
view of the remediation pages asks, and the oversight pages reuse (:func:`tasks_visible_to`).

* The unit's own people (staff and leader) see their unit's tasks and its lost points.
* The overseers (the council chair, observers, a superuser) see the tasks of the periods
  they oversee (:func:`parindex.periods.permissions.overseen_periods`: their own
  jurisdiction only); they may comment, never change a task.
* The unit leader manages the tasks (:func:`can_manage`: create, edit, assign, drop,
  reopen); the leader or the officer assigned, or a member of the section assigned, does
  the work (:func:`can_work`: start, complete with evidence, add and remove evidence).
* Anyone else (appraisers, another unit, another province) gets "not found" (404); 403 is
  only for someone who sees the task but may not do what they asked.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from parindex.accounts.models import Role, User
from parindex.assessments.models import Assessment
from parindex.organizations.models import Unit
from parindex.periods.permissions import UNIT_ROLES, active_user, is_overseer, overseen_periods
from parindex.remediation.models import RemediationTask

MANAGE_ONLY = "Chỉ lãnh đạo đơn vị được giao, sửa, dừng hoặc mở lại nhiệm vụ khắc phục."
WORK_ONLY = "Chỉ lãnh đạo đơn vị, cán bộ hoặc bộ phận được giao mới cập nhật kết quả nhiệm vụ này."


def _unit_person(user: Any) -> User | None:
    u = active_user(user)
    return u if u is not None and u.role in UNIT_ROLES and u.unit_id is not None else None


def tasks_visible_to(user: Any) -> QuerySet[RemediationTask]:
    """The tasks ``user`` may read: their unit's (unit staff and leaders), the periods they
    oversee (chair, observer, superuser), else none."""
    qs = RemediationTask.objects.select_related(
        "period", "unit", "node", "officer", "section", "created_by", "closed_by"
    )
    person = _unit_person(user)
    if person is not None and person.unit_id is not None and not person.is_superuser:
        return qs.filter(unit_id=person.unit_id)
    if is_overseer(user):
        return qs.filter(period__in=overseen_periods(user))
    return qs.none()


def get_task_for_user(user: Any, pk: int) -> RemediationTask:
    """A task ``user`` may read, else 404 (the same for "missing" and "not yours")."""
    task = tasks_visible_to(user).filter(pk=pk).first()
    if task is None:
        raise Http404("Không tìm thấy nhiệm vụ khắc phục.")
    return task


def is_unit_leader(user: Any, unit_id: int) -> bool:
    """The leader of unit ``unit_id`` (who assigns its remediation tasks)."""
    u = active_user(user)
    return u is not None and u.role == Role.UNIT_LEADER and u.unit_id == unit_id


def can_manage(user: Any, task: RemediationTask) -> bool:
    """Create, edit, assign, drop and reopen: the unit's leader."""
    return is_unit_leader(user, task.unit_id)


def is_assignee(user: Any, task: RemediationTask) -> bool:
    """The officer the task is given to, or a member of its section (of the task's unit)."""
    person = _unit_person(user)
    if person is None or person.unit_id != task.unit_id:
        return False
    if task.officer_id is not None and task.officer_id == person.pk:
        return True
    section = task.section if task.section_id is not None else None
    return section is not None and section.members.filter(pk=person.pk).exists()


def can_work(user: Any, task: RemediationTask) -> bool:
    """Start, complete with evidence, add and remove evidence: the leader or the assignee."""
    return can_manage(user, task) or is_assignee(user, task)


def can_comment(user: Any, task: RemediationTask) -> bool:
    """Anyone who sees the task may write in its discussion."""
    return tasks_visible_to(user).filter(pk=task.pk).exists()


def require_manage(user: Any, task: RemediationTask) -> None:
    if not can_manage(user, task):
        raise PermissionDenied(MANAGE_ONLY)


def require_work(user: Any, task: RemediationTask) -> None:
    if not can_work(user, task):
        raise PermissionDenied(WORK_ONLY)


def assessments_for_remediation(user: Any) -> QuerySet[Assessment]:
    """The assessments whose lost points ``user`` may read: their own unit's (unit staff
    and leaders), the periods they oversee; appraisers and everyone else none."""
    qs = Assessment.objects.select_related("period", "unit")
    person = _unit_person(user)
    if person is not None and person.unit_id is not None and not person.is_superuser:
        return qs.filter(unit_id=person.unit_id)
    if is_overseer(user):
        return qs.filter(period__in=overseen_periods(user))
    return qs.none()


def get_assessment_for_remediation(user: Any, pk: int, *, manage: bool = False) -> Assessment:
    """An assessment whose lost points ``user`` may read, else 404; with ``manage``, 403
    unless ``user`` is the unit's leader (who turns lost points into tasks)."""
    assessment = assessments_for_remediation(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("Không tìm thấy phiếu chấm điểm.")
    if manage and not is_unit_leader(user, assessment.unit_id):
        raise PermissionDenied(MANAGE_ONLY)
    return assessment


def check_unit_leader(actor: User | None, unit: Unit) -> None:
    """A service's own check: ``actor`` leads ``unit`` (None is the system: imports, the
    demo)."""
    if actor is not None and not is_unit_leader(actor, unit.pk):
        raise PermissionDenied(MANAGE_ONLY)
