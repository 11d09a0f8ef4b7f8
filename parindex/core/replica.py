"""The read replica: the database alias that public pages read published results from.

With ``DATABASE_REPLICA_URL`` set (:mod:`parindex.settings`), the alias ``"replica"`` is a
PostgreSQL streaming replica of the primary (docs/deployment.md). Without it there is no such
alias and :func:`read_alias` is the primary's, ``"default"``, so code can always say
``.using(read_alias())``.

Only reads of published versions use it (the entry points of
:mod:`parindex.results.published` called by the public pages, the open data downloads and the
published-results API): a published version is an immutable snapshot, so a replica a moment
behind shows the same numbers, and a period published a moment ago is at worst a 404 for that
moment. Everything else, and everything that writes, uses the primary: there is no database
router, only explicit ``.using()``.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA = "replica"
"""The replica's alias in ``DATABASES`` when one is configured."""


def read_alias() -> str:
    """``"replica"`` when such a database is configured, the primary's alias otherwise."""
    return REPLICA if REPLICA in connections.settings else DEFAULT_DB_ALIAS


def db_of(instance: Model) -> str:
    """The alias ``instance`` was read from: reads derived from an object stay on its
    database (a group of a version read from the replica is read from the replica)."""
    return instance._state.db or DEFAULT_DB_ALIAS
