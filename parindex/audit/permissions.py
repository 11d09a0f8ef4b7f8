"""Who reads the council's audit trail (Nhật ký): the chair and the observers of a
jurisdiction, for the events about it, and the system administrator, for every event.
Anyone else gets "not found" (404), as for every page that is not theirs."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.audit.selectors import Scope
from parindex.organizations.jurisdiction import jurisdiction_of
from parindex.periods.permissions import active_user, is_overseer, overseen_periods

NOT_FOUND = "Không tìm thấy nhật ký."


def audit_scope_for(user: Any) -> Scope:
    """What ``user`` may read of the trail, else 404."""
    u = active_user(user)
    if u is None or not is_overseer(u):
        raise Http404(NOT_FOUND)
    if u.is_superuser:
        return Scope(periods=None, jurisdiction=None, everything=True)
    jurisdiction = jurisdiction_of(u)
    if jurisdiction is None:
        raise Http404(NOT_FOUND)
    return Scope(periods=overseen_periods(u), jurisdiction=jurisdiction)


def can_read_audit(user: Any) -> bool:
    """Whether the menu offers the page to ``user``."""
    try:
        audit_scope_for(user)
    except Http404:
        return False
    return True
