"""A copy of the whole test database, taken once and put back before each browser test.

Browser tests run against Django's live server, so their data must be committed
(``transactional_db``) and every test ends by emptying every table. Most of them start from
the demo, whose build takes most of a browser test's time (tens of seconds each on CI, far
more on PostgreSQL under load). :class:`DatabaseSnapshot` builds it once per test session
and restores the rows before each test instead:

- PostgreSQL: every table is copied out with ``COPY … TO STDOUT (FORMAT binary)`` and back
  with ``COPY … FROM STDIN`` after one ``TRUNCATE`` of them all, in one transaction. Django's
  foreign keys are ``DEFERRABLE INITIALLY DEFERRED``, so the order of the tables does not
  matter; sequences only grow (the flush between tests does not reset them), so ids never
  collide with the restored rows.
- SQLite: the database file is copied with SQLite's backup API into memory and back.

Files the build wrote (evidence PDFs, generated documents) stay where they were written:
the session's media folder, which no test empties.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor, include_views=False)
    return sorted(names)


@dataclass
class DatabaseSnapshot:
    """``restore_or_build(build)``: the first call runs ``build`` and keeps a copy of the
    database; every later call puts that copy back instead."""

    pg_tables: dict[str, bytes] = field(default_factory=dict)
    sqlite_copy: sqlite3.Connection | None = None
    taken: bool = False

    def restore_or_build(self, build: Callable[[], None]) -> None:
        if self.taken:
            self._restore()
        else:
            build()
            self._take()
        # Ids in the content-type cache may be those of the tables just emptied and refilled.
        ContentType.objects.clear_cache()

    def _take(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            raw = connection.connection
            with raw.cursor() as cursor:
                for table in _tables():
                    with cursor.copy(f'COPY "{table}" TO STDOUT (FORMAT binary)') as copy:
                        self.pg_tables[table] = b"".join(bytes(chunk) for chunk in copy)
        elif connection.vendor == "sqlite":
            self.sqlite_copy = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite_copy)
        else:  # pragma: no cover - the project runs on these two
            raise RuntimeError(f"no snapshot for {connection.vendor}")
        self.taken = True

    def _restore(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "postgresql":
            tables = list(self.pg_tables)
            with transaction.atomic():
                raw = connection.connection
                with raw.cursor() as cursor:
                    cursor.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables))
                    for table, data in self.pg_tables.items():
                        with cursor.copy(f'COPY "{table}" FROM STDIN (FORMAT binary)') as copy:
                            copy.write(data)
        else:
            assert self.sqlite_copy is not None
            self.sqlite_copy.backup(connection.connection)
