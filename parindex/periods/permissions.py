"""Who may see and run a period: the period chokepoints every app that scopes by period asks
(assessments, appraisal, evidence, surveys, results, the planner). Written once here.

* The council chair (Role.CHAIR) runs the periods of their jurisdiction (the province or
  district of their unit, :func:`parindex.organizations.jurisdiction.jurisdiction_of`); an
  observer sees the same periods and changes nothing; "overseer" is either, or a superuser.
* Appraisers take part in the periods they are assigned to; unit staff and leaders in the
  periods that assess their unit.
* Anything else is "not found" (404), never "forbidden"; 403 is for an overseer who may look
  but not change.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from parindex.accounts.models import Role, User
from parindex.organizations.jurisdiction import in_province, jurisdiction_of
from parindex.organizations.models import Level, Unit
from parindex.periods.models import Period

UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_LEADER)
OVERSIGHT_ROLES = (Role.CHAIR, Role.OBSERVER)
CHAIR_ONLY = "Chỉ chủ tịch hội đồng / quản trị kỳ đánh giá được thực hiện."


def active_user(user: Any) -> User | None:
    """``user`` if it is a signed-in, active account, else None."""
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def is_chair(user: Any) -> bool:
    """The council chair, or a superuser."""
    u = active_user(user)
    return u is not None and (u.is_superuser or u.role == Role.CHAIR)


def is_overseer(user: Any) -> bool:
    """The chair, an observer, or a superuser."""
    u = active_user(user)
    return u is not None and (u.is_superuser or u.role in OVERSIGHT_ROLES)


def periods_visible_to(user: Any) -> QuerySet[Period]:
    """Periods a signed-in user takes part in or oversees."""
    u = active_user(user)
    if u is None:
        return Period.objects.none()
    if u.is_superuser:
        return Period.objects.all()
    if u.role in OVERSIGHT_ROLES:
        jurisdiction = jurisdiction_of(u)
        return (
            Period.objects.filter(jurisdiction=jurisdiction)
            if jurisdiction
            else Period.objects.none()
        )
    if u.role == Role.APPRAISER:
        return Period.objects.filter(assignments__appraiser=u).distinct()
    if u.unit_id is None:
        return Period.objects.none()
    return Period.objects.filter(assessments__unit_id=u.unit_id).distinct()


def get_period_for_user(user: Any, pk: int) -> Period:
    """A period the user takes part in or oversees, else 404."""
    period = periods_visible_to(user).filter(pk=pk).first()
    if period is None:
        raise Http404("Không tìm thấy kỳ đánh giá.")
    return period


def get_period_for_chair(user: Any, pk: int) -> Period:
    """A period the user may manage: 404 if not theirs, 403 for an observer."""
    period = get_period_for_user(user, pk)
    if not is_chair(user):
        raise PermissionDenied(CHAIR_ONLY)
    return period


def overseen_periods(user: Any) -> QuerySet[Period]:
    """The periods ``user`` oversees (none unless chair, observer or superuser)."""
    return periods_visible_to(user) if is_overseer(user) else Period.objects.none()


def get_overseen_period(user: Any, pk: int, *, manage: bool = False, what: str = "") -> Period:
    """A period ``user`` oversees (the council's pages: survey, results desk): 404 for anyone
    else or another jurisdiction; with ``manage``, 403 unless the user is the chair.
    ``what`` names the page in the 404 ("khảo sát", "kết quả")."""
    period = get_period_for_user(user, pk)
    if not is_overseer(user):
        raise Http404(f"Không tìm thấy {what or 'trang'} của kỳ đánh giá.")
    if manage and not is_chair(user):
        raise PermissionDenied(CHAIR_ONLY)
    return period


# --------------------------------------------------------------------------- administration

ADMIN_ONLY = (
    "Chỉ chủ tịch hội đồng hoặc cán bộ quản trị Sở / Phòng Nội vụ được quản lý kỳ đánh giá."
)


def can_administer_periods(user: Any) -> bool:
    """Whether ``user`` sets seasons up at all (creates periods, binds sets, assigns
    appraisers): the chair or a manager (``is_staff``) with a jurisdiction, or a superuser."""
    u = active_user(user)
    if u is None:
        return False
    if u.is_superuser:
        return True
    return (u.role == Role.CHAIR or u.is_staff) and jurisdiction_of(u) is not None


def administered_jurisdictions(user: Any) -> QuerySet[Unit]:
    """The jurisdictions whose periods ``user`` sets up: their own (province or district)
    and, for a province, its districts (a period for the communes of a district)."""
    if not can_administer_periods(user):
        return Unit.objects.none()
    levels = (Level.PROVINCE, Level.DISTRICT)
    if user.is_superuser:
        return Unit.objects.filter(level__in=levels)
    return Unit.objects.filter(in_province("", jurisdiction_of(user)), level__in=levels)


def periods_administered_by(user: Any) -> QuerySet[Period]:
    """The periods ``user`` sets up (see :func:`administered_jurisdictions`)."""
    if not can_administer_periods(user):
        return Period.objects.none()
    return Period.objects.filter(jurisdiction__in=administered_jurisdictions(user))


def require_period_admin(user: Any) -> None:
    """The season administration area: 403 for an overseer (who may look at the
    dashboard), 404 for anyone else."""
    if can_administer_periods(user):
        return
    if is_overseer(user):
        raise PermissionDenied(ADMIN_ONLY)
    raise Http404("Không tìm thấy trang.")


def get_period_for_admin(user: Any, pk: int) -> Period:
    """A period ``user`` sets up, else 404 (403 for an overseer of it)."""
    require_period_admin(user)
    period = periods_administered_by(user).select_related("jurisdiction").filter(pk=pk).first()
    if period is None:
        raise Http404("Không tìm thấy kỳ đánh giá.")
    return period


def check_period_admin(actor: User | None, jurisdiction: Unit) -> None:
    """A service's own check: ``actor`` sets up periods of ``jurisdiction`` (None is the
    system: imports, the demo)."""
    if actor is None:
        return
    if not administered_jurisdictions(actor).filter(pk=jurisdiction.pk).exists():
        raise PermissionDenied(ADMIN_ONLY)
