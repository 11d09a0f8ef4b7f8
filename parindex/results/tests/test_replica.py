"""The read replica: public pages read published results from it, nothing else does.

Without a replica (every run but one) ``read_alias()`` is the primary's and the public pages
read the primary. With ``PARINDEX_TEST_REPLICA_URL`` (set by .ci/run's PostgreSQL pass, which
starts a real streaming replica of the test cluster with ``pg_basebackup -R`` on port 5433)
a published period is created on the primary and committed, and the public pages are shown
to read it from the replica server: the queries of the published version run on the
"replica" connection, none on the primary's, and that connection is a server in recovery.

The replica alias is added for that test only, pointing at the replica server with the
primary's test database name (pytest-django creates it on the primary; streaming
replication copies the whole cluster, test databases included). It is not in the test's
``databases``: Django neither creates nor flushes a database on it (a replica is read only).
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import dj_database_url
import pytest
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.core.replica import REPLICA, read_alias
from parindex.results.models import ResultVersion, VersionStatus
from parindex.results.tests.conftest import Scenario
from parindex.results.tests.test_public_pages import publish, ranking_url

REPLICA_URL = os.environ.get("PARINDEX_TEST_REPLICA_URL", "")
needs_replica = pytest.mark.skipif(
    not REPLICA_URL,
    reason="PARINDEX_TEST_REPLICA_URL is not set: no streaming replica to read from "
    "(.ci/run starts one on 127.0.0.1:5433 for its PostgreSQL pass)",
)
REPLAY_TIMEOUT = 60.0
"""Seconds to wait for the replica to replay the primary's commit (normally milliseconds)."""
RESULT_TABLES = ('"results_resultversion"', '"results_resultgroup"', '"results_resultrow"')


def _result_queries(queries: CaptureQueriesContext) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in RESULT_TABLES)]


def _read(client: Client, url: str) -> tuple[int, bytes]:
    """Status and whole body (a streamed download is read to its end)."""
    response = client.get(url)
    if response.streaming:
        return response.status_code, b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.status_code, response.content


def _public_urls(period_pk: int) -> list[tuple[str, str]]:
    """Each public reader of published results, with a text its answer must contain."""
    return [
        (f"/cong-bo/{period_pk}/so-ban-nganh/", "Sở Tư pháp"),
        (f"/cong-bo/{period_pk}/so-ban-nganh/don-vi/T-STP/", "Sở Tư pháp"),
        (f"/cong-bo/{period_pk}/so-ban-nganh/bang-xep-hang.csv", "Sở Tư pháp"),
        (f"/cong-bo/{period_pk}/du-lieu.json", '"code": "T-STP"'),
        (f"/api/published/periods/{period_pk}/groups/so-ban-nganh", '"code": "T-STP"'),
        ("/api/published/periods", '"code": "T-HNA"'),
        ("/cong-bo/", "Năm 2024"),
        ("/", "Năm 2024"),
    ]


# --------------------------------------------------------------------------- no replica


@pytest.mark.django_db
@pytest.mark.skipif(
    REPLICA in connections.settings, reason="DATABASE_REPLICA_URL configures a replica"
)
def test_without_a_replica_public_pages_read_the_primary(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2024)
    assert read_alias() == DEFAULT_DB_ALIAS
    for url, text in _public_urls(scenario.p2024.pk):
        with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary:
            status, body = _read(anonymous_client, url)
        assert status == 200, url
        assert text in body.decode(), url
        assert _result_queries(on_primary), url


def test_database_replica_url_adds_the_alias_parsed_like_the_primary() -> None:
    """The settings with DATABASE_REPLICA_URL: the replica has the primary's pool options
    (its own pool), the URL's own options on top, and the test runner mirrors it."""
    env = {
        **os.environ,
        "DATABASE_URL": "postgres://app@db-primary:5432/parindex",
        "DATABASE_REPLICA_URL": "postgres://reader@db-replica:5433/parindex?sslmode=require",
        "DB_POOL_MAX": "7",
    }
    code = (
        "import json; from parindex import settings; "
        "print(json.dumps({a: {k: d.get(k) for k in ('HOST', 'PORT', 'USER', 'OPTIONS', 'TEST')} "
        "for a, d in settings.DATABASES.items()}, default=str))"
    )
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    databases: dict[str, Any] = json.loads(out)
    assert databases["replica"] == {
        "HOST": "db-replica",
        "PORT": 5433,
        "USER": "reader",
        "OPTIONS": {"pool": {"min_size": 2, "max_size": 7}, "sslmode": "require"},
        "TEST": {"MIRROR": "default"},
    }
    assert databases["default"]["OPTIONS"] == {"pool": {"min_size": 2, "max_size": 7}}
    assert databases["default"]["TEST"] is None
    del env["DATABASE_REPLICA_URL"]
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert list(json.loads(out)) == ["default"]


# --------------------------------------------------------------------------- a real replica


@pytest.fixture(scope="class")
def replica(django_db_setup: None) -> Iterator[str]:
    """The "replica" alias while the class's tests run: the replica server of
    PARINDEX_TEST_REPLICA_URL with the primary's test database and options (its own pool).

    Registered before pytest-django sets up each test (a class fixture comes before the
    function ones), so the tests can list it in their ``databases``; marked as a test
    mirror of default, so Django never flushes it or opens a test transaction on it."""
    primary = connections[DEFAULT_DB_ALIAS].settings_dict
    if primary["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("a streaming replica needs PostgreSQL (DATABASE_URL is SQLite)")
    server = dj_database_url.parse(REPLICA_URL)
    settings_dict = copy.deepcopy(primary)
    settings_dict.update({k: server[k] for k in ("HOST", "PORT", "USER", "PASSWORD")})
    settings_dict["TEST"] = {**settings_dict["TEST"], "MIRROR": DEFAULT_DB_ALIAS}
    connections.settings[REPLICA] = settings_dict
    try:
        yield REPLICA
    finally:
        wrapper = connections[REPLICA]
        wrapper.close()
        if wrapper.settings_dict["OPTIONS"].get("pool"):
            wrapper.close_pool()  # type: ignore[attr-defined]
        del connections[REPLICA]
        del connections.settings[REPLICA]


def _wait_for_replay(version: ResultVersion) -> None:
    """Until the replica shows ``version`` published (replay follows commit order, so the
    groups and rows committed before it are there too): polled, never a fixed sleep."""
    deadline = time.monotonic() + REPLAY_TIMEOUT
    visible = ResultVersion.objects.using(REPLICA).filter(
        pk=version.pk, status=VersionStatus.PUBLISHED
    )
    while not visible.exists():
        assert time.monotonic() < deadline, f"the replica did not replay in {REPLAY_TIMEOUT} s"
        time.sleep(0.05)


def _in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        row = cursor.fetchone()
        return bool(row and row[0])


@needs_replica
@pytest.mark.usefixtures("replica")
@pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])
class TestWithAStreamingReplica:
    """Data committed on the primary (a transactional test), read back from the replica."""

    def test_a_published_ranking_page_is_served_from_the_replica(
        self, anonymous_client: Client, scenario: Scenario
    ) -> None:
        version = publish(scenario.p2024)  # committed on the primary
        assert read_alias() == REPLICA
        _wait_for_replay(version)
        assert _in_recovery(REPLICA) and not _in_recovery(DEFAULT_DB_ALIAS)

        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        ):
            response = anonymous_client.get(ranking_url(scenario.p2024))
        assert response.status_code == 200
        html = response.content.decode()
        assert "Sở Tư pháp" in html and "386/QĐ-UBND" in html
        replica_sql = _result_queries(on_replica)
        assert any('FROM "results_resultversion"' in sql for sql in replica_sql), replica_sql
        assert any('FROM "results_resultrow"' in sql for sql in replica_sql), replica_sql
        assert _result_queries(on_primary) == []

        # the other public readers too: unit page, open data, the published-results API, home
        for url, text in _public_urls(scenario.p2024.pk):
            with (
                CaptureQueriesContext(connections[REPLICA]) as on_replica,
                CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
            ):
                status, body = _read(anonymous_client, url)
            assert status == 200, url
            assert text in body.decode(), url
            assert _result_queries(on_replica), url
            assert _result_queries(on_primary) == [], url

    def test_staff_pages_and_writes_stay_on_the_primary(
        self, manager_client: Client, scenario: Scenario
    ) -> None:
        """The staff's live preview reads the primary, publishing writes there."""
        with (
            CaptureQueriesContext(connections[REPLICA]) as on_replica,
            CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
        ):
            response = manager_client.get(f"/ky-danh-gia/{scenario.p2024.pk}/so-ban-nganh/")
            version = publish(scenario.p2024)
        assert response.status_code == 200
        assert on_replica.captured_queries == []
        assert any("INSERT" in q["sql"] for q in on_primary.captured_queries)
        assert ResultVersion.objects.get(pk=version.pk).status == VersionStatus.PUBLISHED
