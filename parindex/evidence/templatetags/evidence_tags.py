"""``{% item_evidence answer assessment %}``: the evidence block of one item.

``evidence/_item_evidence.html`` calls it, so a page may simply
``{% include "evidence/_item_evidence.html" %}`` with ``answer`` and ``assessment`` in the
context (and optionally ``can_edit``: False makes the block read-only; True or absent
leaves the decision to the evidence rules).

One cache per request keeps the unit's file list and the stage check for all the items of
a page; prefetch ``evidence_links__evidence`` on the answers to avoid one query per item.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import template

from parindex.assessments.models import Answer, Assessment
from parindex.evidence.models import SignatureStatus
from parindex.evidence.selectors import BADGES
from parindex.evidence.selectors import item_evidence as item_evidence_selector

register = template.Library()

CACHE_ATTRIBUTE = "_parindex_evidence_cache"


@register.inclusion_tag("evidence/_item_evidence_body.html", takes_context=True)
def item_evidence(
    context: template.Context, answer: Answer, assessment: Assessment | None = None
) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    cache: dict[Any, Any] = {}
    if request is not None:
        cache = getattr(request, CACHE_ATTRIBUTE, None) or {}
        setattr(request, CACHE_ATTRIBUTE, cache)
    item = item_evidence_selector(user, assessment or answer.assessment, answer, cache=cache)
    if context.get("can_edit") is False:
        # The including screen is read-only (e.g. the self-assessment screen after the
        # stage): never offer more than it does. The services check again on every write.
        item.can_edit = False
    result = item.context()
    result["request"] = request
    result["csrf_token"] = context.get("csrf_token")
    return result


@register.filter
def signature_class(status: str) -> str:
    """Bootstrap badge class of a signature status."""
    return BADGES.get(status, BADGES[SignatureStatus.INVALID])[0]


@register.filter
def signature_icon(status: str) -> str:
    """Bootstrap icon of a signature status."""
    return BADGES.get(status, BADGES[SignatureStatus.INVALID])[1]


@register.filter
def iso_datetime(value: Any) -> datetime.datetime | None:
    """A time stored as ISO text in a signature report, for ``|date`` (None if not one)."""
    try:
        return datetime.datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
