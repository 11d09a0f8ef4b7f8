"""Which errors a job retries (with back-off) rather than fails at once: an explicit list,
not everything. A database that dropped the connection, was restarted, timed out on a lock
or aborted a transaction for a serialisation conflict (``OperationalError``), a connection
in a bad state (``InterfaceError``), and work that says so by raising :class:`TransientError`
(e.g. LibreOffice that did not convert in time).

A task's own ``except Exception`` that turns failures into a Vietnamese message re-raises
first when :func:`retryable` says so: only inside ``parindex worker`` with attempts left
(:func:`retries_allowed`), so the worker runs the job again; elsewhere (the command line,
the demo, the last attempt) the error gets the task's own message as before."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import InterfaceError, OperationalError


class TransientError(Exception):
    """A failure that may well not happen again a minute later."""


class WorkerLost(Exception):  # noqa: N818 (the name the failed job records)
    """Recorded as a failed job's exception when its worker died on every attempt."""


TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    TransientError,
)


def is_transient(error: BaseException) -> bool:
    return isinstance(error, TRANSIENT_ERRORS)


_retry_allowed: ContextVar[bool] = ContextVar("jobs_retry_allowed", default=False)


@contextmanager
def retries_allowed(allowed: bool) -> Iterator[None]:
    """Run a job body with retries allowed or not (the worker: attempts left)."""
    token = _retry_allowed.set(allowed)
    try:
        yield
    finally:
        _retry_allowed.reset(token)


def retryable(error: BaseException) -> bool:
    """Whether the job body should let ``error`` through for the worker to retry."""
    return _retry_allowed.get() and is_transient(error)
