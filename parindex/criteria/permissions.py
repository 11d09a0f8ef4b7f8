"""Who may see and change criteria sets: the one place views and admin ask.

A criteria set belongs to the province (or one of its districts) that issued it. Signed-in
people read the sets of their own province, the sets marked shared by their owner
(``is_shared``: read-only for other provinces, e.g. a model set), and the installation's
common sets (no jurisdiction). Importing, cloning and sharing need a manager (a staff user,
``user.is_staff``) of the set's province; a clone or an import always lands in the
manager's own province. Superusers see and manage everything. Anything else is 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from parindex.criteria.models import CriteriaSet, CriteriaSetQuerySet
from parindex.organizations.jurisdiction import (
    in_province,
    jurisdiction_of,
    same_province,
    user_province,
)
from parindex.organizations.models import Unit


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_active", False))


def can_manage(user: Any) -> bool:
    """Whether ``user`` may import and clone sets at all (into their own province)."""
    return _signed_in(user) and bool(getattr(user, "is_staff", False))


def require_manager(user: Any) -> None:
    """Raise :class:`PermissionDenied` (403) unless ``user`` may import and clone sets."""
    if not can_manage(user):
        raise PermissionDenied("Chỉ cán bộ quản trị mới được nhập hoặc sao chép bộ tiêu chí.")


def criteria_sets_visible_to(user: Any) -> CriteriaSetQuerySet:
    """The sets ``user`` may read."""
    sets = CriteriaSet.objects.select_related("jurisdiction")
    if not _signed_in(user):
        return sets.none()
    if user.is_superuser:
        return sets
    return sets.filter(
        in_province("jurisdiction", user_province(user))
        | Q(is_shared=True)
        | Q(jurisdiction__isnull=True)
    )


def can_manage_set(user: Any, criteria_set: CriteriaSet) -> bool:
    """Whether ``user`` may change ``criteria_set`` (share it, import its next version)."""
    if not can_manage(user):
        return False
    if user.is_superuser:
        return True
    return criteria_set.jurisdiction is not None and same_province(criteria_set.jurisdiction, user)


def may_issue_for(user: Any, jurisdiction: Unit | None) -> bool:
    """Whether a manager may import or clone a set into ``jurisdiction`` (their province
    or one of its districts; an installation-wide set, None, is the superuser's)."""
    if not can_manage(user):
        return False
    if user.is_superuser:
        return True
    return jurisdiction is not None and same_province(jurisdiction, user)


def clone_target(user: Any, source: CriteriaSet) -> Unit | None:
    """Where a manager's clone of ``source`` goes: None (the source's own jurisdiction) for
    a set of their province; their own jurisdiction for another province's shared set.
    PermissionDenied when their account has no jurisdiction to take it into."""
    if may_issue_for(user, source.jurisdiction):
        return None
    own = jurisdiction_of(user)
    if own is None:
        raise PermissionDenied("Tài khoản chưa gắn với tỉnh, thành phố nào để sao chép vào.")
    return own


def get_criteria_set_for_user(user: Any, pk: int) -> CriteriaSet:
    """The set ``pk`` if ``user`` may read it, else 404 (unknown and hidden look the same)."""
    criteria_set = criteria_sets_visible_to(user).filter(pk=pk).first()
    if criteria_set is None:
        raise Http404("Không tìm thấy bộ tiêu chí.")
    return criteria_set
