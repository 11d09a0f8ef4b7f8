"""The ranking benchmark against a read replica (``parindex bench ranking --replica-url``):
counting queries on both connections, waiting for the replica to replay the seeding, and
checking that the public page really read the replica."""

from __future__ import annotations

import time
from collections.abc import Callable

Out = Callable[[str], None]


class Queries:
    """The queries of a block on the primary and, when one is configured, on the replica."""

    def __enter__(self) -> Queries:
        from django.db import DEFAULT_DB_ALIAS, connections
        from django.test.utils import CaptureQueriesContext

        from parindex.core.replica import read_alias

        aliases = dict.fromkeys([DEFAULT_DB_ALIAS, read_alias()])
        self.contexts = {alias: CaptureQueriesContext(connections[alias]) for alias in aliases}
        for context in self.contexts.values():
            context.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        for context in self.contexts.values():
            context.__exit__(None, None, None)

    @property
    def count(self) -> int:
        return sum(len(c.captured_queries) for c in self.contexts.values())

    def results_on(self, alias: str) -> int:
        """Queries of the published results (tables ``results_result…``) on ``alias``."""
        context = self.contexts.get(alias)
        captured = context.captured_queries if context else []
        return sum('"results_result' in q["sql"] for q in captured)


def wait_for_replay(period_pk: int, timeout: float, out: Out) -> None:
    """Until the replica shows period ``period_pk`` published (the last one the seeding
    committed: replay follows commit order, so everything before it is there too)."""
    from django.db import OperationalError

    from parindex.core.replica import REPLICA
    from parindex.results.models import ResultVersion, VersionStatus

    started = time.monotonic()
    visible = ResultVersion.objects.using(REPLICA).filter(
        period_id=period_pk, status=VersionStatus.PUBLISHED
    )
    while True:
        try:
            if visible.exists():
                break
        except OperationalError:  # the benchmark database not replayed yet
            pass
        if time.monotonic() - started > timeout:
            raise SystemExit(
                f"Bản sao chưa nhận dữ liệu sau {timeout:.0f} s / the replica did not replay "
                "the seeding in time"
            )
        time.sleep(0.1)
    out(
        f"bản sao / replica: đã nhận dữ liệu / replayed the seeding "
        f"({time.monotonic() - started:.1f} s after it was committed)"
    )


def check_replica(client: object, url: str, out: Out) -> bool:
    """One load of ``url``: True when the replica is a server in recovery and the page's
    published results were read there, none on the primary."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from parindex.core.replica import REPLICA

    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        in_recovery, port = cursor.fetchone() or (False, None)
    with Queries() as queries:
        status = client.get(url).status_code  # type: ignore[attr-defined]
    on_replica, on_primary = queries.results_on(REPLICA), queries.results_on(DEFAULT_DB_ALIAS)
    passed = bool(in_recovery) and status == 200 and on_replica > 0 and on_primary == 0
    out(
        f"bản sao / replica: cổng / port {port}, pg_is_in_recovery = {bool(in_recovery)}; "
        f"truy vấn kết quả / results queries: {on_replica} trên bản sao / on the replica, "
        f"{on_primary} trên máy chính / on the primary → {'ĐẠT / PASS' if passed else 'LỖI'}"
    )
    return passed
