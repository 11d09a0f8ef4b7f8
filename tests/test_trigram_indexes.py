"""The trigram indexes of the diacritic-free searches: on PostgreSQL they exist and serve
the very SQL Django emits for each search; on SQLite nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.models import QuerySet

from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.organizations.models import Unit
from parindex.remediation.models import RemediationTask
from parindex.results.models import ResultRow

INDEXES = {
    "org_unit_search_trgm": ("organizations_unit", "search_name gin_trgm_ops"),
    "org_unit_code_upper_trgm": ("organizations_unit", "upper((code)::text) gin_trgm_ops"),
    "crit_set_search_trgm": ("criteria_criteriaset", "search_name gin_trgm_ops"),
    "crit_node_search_trgm": ("criteria_criterionnode", "search_name gin_trgm_ops"),
    "result_row_search_trgm": ("results_resultrow", "search_text gin_trgm_ops"),
    "remed_task_search_trgm": ("remediation_remediationtask", "search_text gin_trgm_ops"),
}

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_trgm exists on PostgreSQL only"
)


def _plan(queryset: QuerySet[Any]) -> str:
    """EXPLAIN of ``queryset`` with sequential and plain index scans priced out, so that
    the plan shows whether an index *can* answer it (a test table is too small for the
    planner to want one). Plain index scans go too: otherwise a full scan of any btree
    index (say, the one on ``unit_id``) with the condition as a filter can look cheaper
    than the trigram index; a bitmap scan needs an index that matches the condition."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("SET LOCAL enable_indexonlyscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgresql
@pytest.mark.django_db
def test_the_migrations_create_the_trigram_indexes() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexname, tablename, indexdef FROM pg_indexes WHERE indexname = ANY(%s)",
            [list(INDEXES)],
        )
        found = {name: (table, definition) for name, table, definition in cursor.fetchall()}
    assert set(found) == set(INDEXES)
    for name, (table, expression) in INDEXES.items():
        assert found[name][0] == table
        assert f"USING gin ({expression})" in found[name][1]


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("queryset", "index"),
    [
        (lambda: Unit.objects.filter(search_name__contains="xep"), "org_unit_search_trgm"),
        (lambda: Unit.objects.filter(code__icontains="xh-07"), "org_unit_code_upper_trgm"),
        (lambda: Unit.objects.search("Xếp hạng"), "org_unit_search_trgm"),
        (lambda: CriteriaSet.objects.search("bo chi so"), "crit_set_search_trgm"),
        (
            lambda: CriterionNode.objects.filter(search_name__contains="thu tuc"),
            "crit_node_search_trgm",
        ),
        (
            lambda: ResultRow.objects.filter(search_text__contains="07311"),
            "result_row_search_trgm",
        ),
        (
            lambda: RemediationTask.objects.filter(search_text__contains="ke hoach"),
            "remed_task_search_trgm",
        ),
    ],
    ids=["unit-name", "unit-code", "unit-search", "set-search", "node", "result-row", "task"],
)
def test_each_search_can_use_its_index(queryset: Any, index: str) -> None:
    plan = _plan(queryset())
    assert index in plan, plan
    assert "Seq Scan" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite path")
@pytest.mark.django_db
def test_sqlite_has_no_trigram_index_and_searches_as_before() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index'")
        names = {row[0] for row in cursor.fetchall()}
    assert not names & set(INDEXES)
    assert "LIKE" in str(Unit.objects.search("xep hang").query)
