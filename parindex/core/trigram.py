"""Trigram (``pg_trgm``) GIN indexes for the diacritic-free searches, on PostgreSQL only.

Every search folds the query (:func:`parindex.core.text.fold`) and matches each word with
``search_name__contains=word`` (Django emits ``"col"::text LIKE '%word%'``) or, for unit
codes, ``code__icontains`` (``UPPER("code"::text) LIKE UPPER('%word%')``). A B-tree index
cannot serve a ``LIKE`` with a leading wildcard; a GIN index with ``gin_trgm_ops`` on the
same expression can, for words of three characters or more (docs/performance.md, "Search").

These migration operations change the database only on PostgreSQL and never the model
state: SQLite keeps its plain scan, the models stay the same on both, and
``makemigrations --check`` is clean everywhere. The extension is created when missing
(``pg_trgm`` is a trusted extension: the database's owner may create it) and left in
place when migrating back (other indexes may use it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import router
from django.db.migrations.operations.base import Operation


def _postgresql(schema_editor: Any) -> bool:
    return bool(schema_editor.connection.vendor == "postgresql")


def create_index_sql(
    quote: Callable[[str], str], *, table: str, name: str, column: str, upper: bool = False
) -> str:
    """The ``CREATE INDEX`` of a trigram index (also used by ``parindex bench search``)."""
    expression = f"(UPPER({quote(column)}::text))" if upper else quote(column)
    return (
        f"CREATE INDEX IF NOT EXISTS {quote(name)} ON {quote(table)} "
        f"USING gin ({expression} gin_trgm_ops)"
    )


class CreateTrigramExtension(Operation):
    """``CREATE EXTENSION IF NOT EXISTS pg_trgm`` on PostgreSQL; nothing elsewhere."""

    reversible = True

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if _postgresql(schema_editor) and router.allow_migrate(
            schema_editor.connection.alias, app_label
        ):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        pass  # other apps' trigram indexes may still need it

    def describe(self) -> str:
        return "Create the pg_trgm extension (PostgreSQL only)"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (f"{__name__}.{self.__class__.__qualname__}", [], {})


class AddTrigramIndex(Operation):
    """A GIN ``gin_trgm_ops`` index named ``name`` on ``model_name``'s ``column``, or on
    ``UPPER(column::text)`` with ``upper=True`` (what ``icontains`` compares), on PostgreSQL
    only."""

    reversible = True

    def __init__(self, model_name: str, name: str, column: str, upper: bool = False) -> None:
        self.model_name = model_name
        self.name = name
        self.column = column
        self.upper = upper

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _applies(self, app_label: str, schema_editor: Any, state: Any) -> Any:
        model = state.apps.get_model(app_label, self.model_name)
        if _postgresql(schema_editor) and self.allow_migrate_model(
            schema_editor.connection.alias, model
        ):
            return model
        return None

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        model = self._applies(app_label, schema_editor, to_state)
        if model is None:
            return
        schema_editor.execute(
            create_index_sql(
                schema_editor.quote_name,
                table=model._meta.db_table,
                name=self.name,
                column=self.column,
                upper=self.upper,
            )
        )

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if self._applies(app_label, schema_editor, from_state) is not None:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(self.name)}")

    def describe(self) -> str:
        target = f"UPPER({self.column})" if self.upper else self.column
        return f"Trigram GIN index {self.name} on {self.model_name}.{target} (PostgreSQL only)"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "model_name": self.model_name,
            "name": self.name,
            "column": self.column,
        }
        if self.upper:
            kwargs["upper"] = True
        return (f"{__name__}.{self.__class__.__qualname__}", [], kwargs)
