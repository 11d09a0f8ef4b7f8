"""Who may read and write which CCHC plan (kế hoạch CCHC): one chokepoint for every page
and service of the app.

* A unit's staff and leader write their own unit's plan.
* The province's (or district's) own plan — the plan whose unit is the jurisdiction unit
  itself — is written by the chair or a manager (``is_staff``) of that jurisdiction
  (:func:`parindex.periods.permissions.can_administer_periods`).
* The overseers of a jurisdiction (chair, observer) read every plan of its units.
* An appraiser assigned to a unit in a period of the plan's year reads that plan (the
  plan-completion criterion's evidence).
* A superuser reads and writes every plan. Anyone else: 404, never "forbidden"; 403 is for
  a reader who tries to write.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from parindex.accounts.models import Role, User
from parindex.organizations.jurisdiction import in_province, jurisdiction_of
from parindex.organizations.models import Unit
from parindex.periods.models import AppraiserAssignment
from parindex.periods.permissions import (
    OVERSIGHT_ROLES,
    UNIT_ROLES,
    active_user,
    can_administer_periods,
)
from parindex.plans.models import PlanItem, ReformPlan

NOT_FOUND = "Không tìm thấy kế hoạch CCHC."
READ_ONLY = "Bạn chỉ được xem kế hoạch CCHC này."


def writable_units(user: Any) -> QuerySet[Unit]:
    """The units whose plans ``user`` writes: their own unit (unit staff and leaders) and
    the jurisdiction they administer (chair, manager); every unit for a superuser."""
    u = active_user(user)
    if u is None:
        return Unit.objects.none()
    if u.is_superuser:
        return Unit.objects.all()
    ids: set[int] = set()
    if u.role in UNIT_ROLES and u.unit_id is not None:
        ids.add(u.unit_id)
    jurisdiction = jurisdiction_of(u)
    if jurisdiction is not None and can_administer_periods(u):
        ids.add(jurisdiction.pk)
    return Unit.objects.filter(pk__in=ids)


def may_write_unit(user: Any, unit: Unit) -> bool:
    return writable_units(user).filter(pk=unit.pk).exists()


def is_plan_overseer(user: Any) -> bool:
    """Reads the plans of every unit of their jurisdiction (chair, observer, superuser)."""
    u = active_user(user)
    return u is not None and (u.is_superuser or u.role in OVERSIGHT_ROLES)


def plans_visible_to(user: Any) -> QuerySet[ReformPlan]:
    """The plans ``user`` may read."""
    u = active_user(user)
    qs = ReformPlan.objects.select_related("unit")
    if u is None:
        return qs.none()
    if u.is_superuser:
        return qs
    match = Q(unit__in=writable_units(u))
    if u.role in OVERSIGHT_ROLES:
        match |= in_province("unit", jurisdiction_of(u))
    if u.role == Role.APPRAISER:
        assigned = AppraiserAssignment.objects.filter(
            appraiser=u, units=OuterRef("unit"), period__year=OuterRef("year")
        )
        match |= Q(Exists(assigned))
    return qs.filter(match)


def can_write_plan(user: Any, plan: ReformPlan) -> bool:
    return may_write_unit(user, plan.unit)


def get_plan_for_user(user: Any, pk: int, *, write: bool = False) -> ReformPlan:
    """The plan if ``user`` may read it, else 404; with ``write``, 403 unless they may
    also write it."""
    plan = plans_visible_to(user).filter(pk=pk).first()
    if plan is None:
        raise Http404(NOT_FOUND)
    if write and not can_write_plan(user, plan):
        raise PermissionDenied(READ_ONLY)
    return plan


def get_item_for_user(user: Any, pk: int, *, write: bool = False) -> PlanItem:
    """An item of a plan ``user`` may read (write), as :func:`get_plan_for_user`."""
    item = PlanItem.objects.select_related("plan__unit").filter(pk=pk).first()
    if item is None:
        raise Http404("Không tìm thấy nội dung kế hoạch.")
    get_plan_for_user(user, item.plan_id, write=write)
    return item


def require_plan_writer(actor: User | None, unit: Unit) -> None:
    """A service's own check: ``actor`` writes ``unit``'s plans (None is the system: imports,
    the demo). Raises PermissionDenied."""
    if actor is not None and not may_write_unit(actor, unit):
        raise PermissionDenied(
            "Chỉ cán bộ, lãnh đạo của đơn vị (kế hoạch của tỉnh: chủ tịch hội đồng hoặc cán bộ "
            "quản trị Sở / Phòng Nội vụ) được lập và cập nhật kế hoạch CCHC này."
        )
