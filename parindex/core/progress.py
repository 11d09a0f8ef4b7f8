"""Progress of long work that a page polls, visible while the work's transaction is open.

A survey import stores every row in one transaction and a survey computation reads the
forms through a server-side cursor (also a transaction), so an ordinary UPDATE of their
progress columns would stay invisible until the end. :class:`ProgressColumns` writes them
through a second connection in autocommit mode on PostgreSQL; SQLite allows one writer at a
time, so there nothing is written before the work's own save at the end.
"""

from __future__ import annotations

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models


class ProgressColumns:
    """Integer columns of one row of ``model``, written as the work goes (see above)."""

    def __init__(self, model: type[models.Model], pk: int) -> None:
        self.table = model._meta.db_table
        self.pk = pk
        self.side: Any = (
            connections.create_connection(DEFAULT_DB_ALIAS)
            if connection.vendor == "postgresql"
            else None
        )

    def write(self, **columns: int) -> None:
        """``write(rows_done=1200)``: column names come from the code, never from input."""
        if self.side is None:
            return
        assignments = ", ".join(f"{name} = %s" for name in columns)
        with self.side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {self.table} SET {assignments} WHERE id = %s",  # noqa: S608 (our names)
                [*columns.values(), self.pk],
            )

    def close(self) -> None:
        if self.side is not None:
            self.side.close()
