"""Writing the audit trail. Every service that changes data calls :func:`record`, or builds
many :func:`event` rows and stores them at once."""

from typing import Any

from django.db import models

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent


def event(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """One audit event, not yet stored: for services that append many at once
    (``AuditEvent.objects.bulk_create``) inside their transaction."""
    return AuditEvent(
        actor=actor if actor is not None and actor.pk else None,
        actor_username=actor.get_username() if actor is not None and actor.pk else "",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        summary=summary[:500],
        before=before,
        after=after,
    )


def record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    summary: str = "",
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Append one audit event. Call inside the service's transaction."""
    found = event(
        actor=actor, action=action, target=target, summary=summary, before=before, after=after
    )
    found.save()
    return found
