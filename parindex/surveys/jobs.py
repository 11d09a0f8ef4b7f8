"""Background jobs of the survey (an import, a computation, an export): what to do with one
whose worker stopped.

A job row is queued by the web process and taken by the worker, which writes its outcome at
the end. A worker that is killed (or a machine that restarts) never writes it: the row stays
"queued" or "running" for ever, and the page polls it for ever. Every job of the survey
therefore counts as *interrupted* once it is older than :data:`STALE_AFTER` without having
ended: :func:`release_interrupted` marks such rows failed with a Vietnamese reason, and the
task of a released row does nothing if it runs late (it only takes a row still queued).
A million forms import, compute or export in a few minutes, far below the hour.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import models
from django.utils import timezone

STALE_AFTER = timedelta(hours=1)
"""A job queued or running for longer than this is taken as interrupted (a worker that
stopped): it is marked failed and the same work may start again."""

INTERRUPTED = (
    "Bị gián đoạn: quá {minutes} phút chưa xong (máy chủ xử lý nền có thể đã dừng). "
    "Hãy thực hiện lại."
)
"""The reason given to an interrupted job, in Vietnamese."""


def interrupted_reason() -> str:
    return INTERRUPTED.format(minutes=int(STALE_AFTER.total_seconds() // 60))


def release_interrupted(
    queryset: models.QuerySet[Any], *, active: tuple[str, ...], failed: str, **outcome: Any
) -> int:
    """Mark the rows of ``queryset`` still in an ``active`` status and created more than
    :data:`STALE_AFTER` ago as ``failed`` (with ``finished_at`` now and ``outcome``, e.g. the
    reason). Returns how many were released."""
    now = timezone.now()
    return queryset.filter(status__in=active, created_at__lt=now - STALE_AFTER).update(
        status=failed, finished_at=now, **outcome
    )
