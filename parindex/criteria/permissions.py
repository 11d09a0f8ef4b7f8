"""Who may see and change criteria sets: the one place views and admin ask.

Criteria sets are published regulations: any signed-in user may read every set. Importing,
cloning and editing need a manager (a staff user, ``user.is_staff``).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from parindex.criteria.models import CriteriaSet


def can_manage(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_staff", False))


def require_manager(user: Any) -> None:
    """Raise :class:`PermissionDenied` (403) unless ``user`` may import and clone sets."""
    if not can_manage(user):
        raise PermissionDenied("Chỉ cán bộ quản trị mới được nhập hoặc sao chép bộ tiêu chí.")


def get_criteria_set_for_user(user: Any, pk: int) -> CriteriaSet:
    """The set ``pk`` if ``user`` may read it, else 404 (unknown and hidden look the same)."""
    if not getattr(user, "is_authenticated", False):
        raise Http404("Không tìm thấy bộ tiêu chí.")
    criteria_set = CriteriaSet.objects.select_related("jurisdiction").filter(pk=pk).first()
    if criteria_set is None:
        raise Http404("Không tìm thấy bộ tiêu chí.")
    return criteria_set
