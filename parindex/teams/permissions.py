"""Who may see and change who does what inside a unit (phân công trong đơn vị).

* The unit's own people (staff and leader, :data:`parindex.periods.permissions.UNIT_ROLES`,
  with that unit as theirs) read its sections and assignments.
* Only the unit's leader (Role.UNIT_LEADER of that unit) changes them; a staff member who
  may read the page gets 403 on a write.
* Anyone else, the council and superusers included (as on the to-do page, a superuser
  is nobody's officer), gets "not found" (404): the division of
  work inside a unit is the unit's own business, and nobody learns another unit exists.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex.accounts.models import Role, User
from parindex.organizations.models import Unit
from parindex.periods.permissions import UNIT_ROLES, active_user

NOT_FOUND = "Không tìm thấy trang phân công của đơn vị."
LEADER_ONLY = "Chỉ lãnh đạo đơn vị được phân công nhiệm vụ trong đơn vị."


def is_unit_person(user: Any, unit: Unit | int) -> bool:
    """Whether ``user`` works in ``unit`` as its staff or leader."""
    u = active_user(user)
    unit_id = unit if isinstance(unit, int) else unit.pk
    return u is not None and not u.is_superuser and u.role in UNIT_ROLES and u.unit_id == unit_id


def is_unit_leader(user: Any, unit: Unit | int) -> bool:
    """Whether ``user`` is the leader of ``unit``."""
    return is_unit_person(user, unit) and user.role == Role.UNIT_LEADER


def home_unit(user: Any) -> Unit:
    """The unit whose page ``user`` reads (their own), else 404."""
    u = active_user(user)
    if u is None or u.is_superuser or u.role not in UNIT_ROLES or u.unit_id is None:
        raise Http404(NOT_FOUND)
    unit = Unit.objects.filter(pk=u.unit_id).first()
    if unit is None:
        raise Http404(NOT_FOUND)
    return unit


def get_unit_for_user(user: Any, pk: int, *, write: bool = False) -> Unit:
    """The unit ``pk`` if ``user`` is one of its people, else 404; with ``write``, 403
    unless they are its leader."""
    if not is_unit_person(user, pk):
        raise Http404(NOT_FOUND)
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise Http404(NOT_FOUND)
    if write and not is_unit_leader(user, unit):
        raise PermissionDenied(LEADER_ONLY)
    return unit


def require_leader(actor: User | None, unit: Unit) -> None:
    """A service's own check: ``actor`` leads ``unit`` (None is the system: the demo,
    imports)."""
    if actor is not None and not is_unit_leader(actor, unit):
        raise PermissionDenied(LEADER_ONLY)
