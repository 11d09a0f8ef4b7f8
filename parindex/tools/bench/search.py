"""``parindex bench search``: the ranking page's diacritic-free search over 11,000 communes,
with and without the trigram index, in one run.

1. Seeding (not timed): the database ``parindex_bench_search`` on the local PostgreSQL
   server (recreated, dropped afterwards) is seeded exactly as ``parindex bench ranking``
   does (:func:`parindex.tools.bench.ranking.seed`): 11,000 communes in one group, two
   published years, a small second group; then ``ANALYZE``, as autovacuum does.
2. Measured, three rounds in this order: *with* the index (as ``migrate`` made it), *without*
   it (``DROP INDEX result_row_search_trgm``, ``ANALYZE``), and *with* it again (recreated by
   the migration's own SQL, ``ANALYZE``). In each round, after a warm-up, ``--requests``
   loads per kind of ``GET /cong-bo/<period>/<group>/?q=…`` through Django's test client
   with ``DEBUG=false`` (the whole server side but the network and the WSGI server): one hit
   (``xep hang 07311``), ten hits (``0731``), every row (``xa xep``), no hit
   (``khong co don vi nay``). Median and p95 per kind and round; the plans PostgreSQL
   chose for the page's row query and for the unit search (``Unit.objects.search``) of the
   one-hit query, with and without the index.

Target: none of its own (issue 14 asks for the before/after figures); exit status 0 when
every request answered 200 and both "with" rounds' plans used the index.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

from parindex.tools.bench.database import (
    bench_environment,
    drop_database,
    recreate_database,
    run_bench_module,
)
from parindex.tools.bench.machine import background_load

Out = Callable[[str], None]

REPO_DIR = Path(__file__).resolve().parents[3]
BENCH_DATABASE = "parindex_bench_search"
UNITS = 11_000
REQUESTS = 40
WARMUP = 3
SEED = 2025
INDEX = "result_row_search_trgm"
TABLE = "results_resultrow"
QUERIES = {
    "một kết quả / one hit": "xep hang 07311",
    "mười kết quả / ten hits": "0731",
    "mọi dòng / every row": "xa xep",
    "không có / no hit": "khong co don vi nay",
}
ROUNDS = ("có chỉ mục / with the index", "không chỉ mục / without", "có lại / with, again")


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    position = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[position]


def _execute(sql: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql)


def _set_index(present: bool) -> None:
    """Drop or recreate the ranking rows' trigram index (the migration's own SQL)."""
    from django.db import connection

    from parindex.core.trigram import create_index_sql

    if present:
        _execute(
            create_index_sql(
                connection.ops.quote_name, table=TABLE, name=INDEX, column="search_text"
            )
        )
    else:
        _execute(f"DROP INDEX IF EXISTS {connection.ops.quote_name(INDEX)}")
    _execute(f"ANALYZE {TABLE}")


def _plan(queryset: Any) -> str:
    """EXPLAIN (ANALYZE) of ``queryset``: its scan lines and the execution time."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {sql}", params)
        lines = [row[0] for row in cursor.fetchall()]
    wanted = [line.strip() for line in lines if "Scan" in line or "Execution Time" in line]
    return "; ".join(wanted)


def _plans(seeded: Any) -> dict[str, str]:
    from parindex.organizations.models import Unit
    from parindex.results.models import ResultGroup, VersionStatus
    from parindex.results.published import group_rows

    group = ResultGroup.objects.get(
        version__period_id=seeded.period_id,
        version__status=VersionStatus.PUBLISHED,
        code=seeded.group_code,
    )
    query = QUERIES["một kết quả / one hit"]
    return {
        "trang / page rows": _plan(group_rows(group, query)[:100]),
        "đơn vị / Unit.objects.search": _plan(Unit.objects.search(query)),
    }


def _round(client: Any, base: str, requests: int) -> dict[str, list[float]]:
    """Milliseconds per request, by kind (requests interleaved), after a warm-up."""
    times: dict[str, list[float]] = {kind: [] for kind in QUERIES}
    order = [kind for _ in range(requests) for kind in QUERIES]
    for kind in list(QUERIES) * WARMUP:
        client.get(f"{base}?{urlencode({'q': QUERIES[kind]})}")
    for kind in order:
        url = f"{base}?{urlencode({'q': QUERIES[kind]})}"
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        times[kind].append(elapsed)
    return times


def measure(seeded: Any, requests: int, out: Out) -> bool:
    """The three rounds (see the module docstring); True when both "with" rounds' plan of
    the page's rows used the index."""
    from django.test import Client

    client = Client(raise_request_exception=True)
    base = f"/cong-bo/{seeded.period_id}/{seeded.group_code}/"
    results: list[dict[str, list[float]]] = []
    used = True
    for number, label in enumerate(ROUNDS):
        if number:
            _set_index(present=number == 2)
        plans = _plans(seeded)
        if number != 1:
            used = used and INDEX in plans["trang / page rows"]
        out(f"vòng / round {number + 1}: {label}")
        for name, plan in plans.items():
            out(f"  EXPLAIN {name}: {plan}")
        results.append(_round(client, base, requests))
        for kind, times in results[-1].items():
            out(
                f"  {kind} ('{QUERIES[kind]}'): n={len(times)}, trung vị / median "
                f"{statistics.median(times):.1f} ms, p95 {_percentile(times, 0.95):.1f} ms"
            )
    _summary(results, out)
    out(
        "chỉ mục được dùng khi có / the index is used when present: "
        + ("có / yes" if used else "KHÔNG / NO")
    )
    return used


def _summary(results: list[dict[str, list[float]]], out: Out) -> None:
    out("tóm tắt / summary (trung vị / median; p95), cả trang / the whole page:")
    for kind in QUERIES:
        cells = [
            f"{label.split(' / ')[-1]} {statistics.median(r[kind]):.1f}; "
            f"{_percentile(r[kind], 0.95):.1f} ms"
            for label, r in zip(ROUNDS, results, strict=True)
        ]
        out(f"  {kind}: " + " | ".join(cells))


def run(*, units: int, requests: int, seed_value: int, database_url: str, out: Out) -> bool:
    out(
        f"CSDL / database: tạo lại / recreating {BENCH_DATABASE} "
        f"({urlsplit(database_url).hostname or 'socket'})"
    )
    recreate_database(database_url)
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    from parindex.tools.bench.ranking import seed

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=false: hashed names
    out(f"migrate, collectstatic: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    seeded = seed(units=units, seed_value=seed_value)
    _execute("ANALYZE")
    out(
        f"dữ liệu / seeded: {units:,} xã × 2 năm đã công bố / published years "
        f"({time.perf_counter() - started:.1f} s, không tính / not timed)"
    )
    out(f"tải nền của máy / background machine load: {background_load():.0f} % CPU")
    try:
        return measure(seeded, requests, out)
    finally:
        connections.close_all()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parindex.tools.bench.search")
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--requests", type=int, default=REQUESTS, help="mỗi loại, mỗi vòng")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    url, out_dir = bench_environment(
        kind="search", database=BENCH_DATABASE, repo_dir=REPO_DIR, web=True
    )

    def out(line: str) -> None:
        print(line, flush=True)

    try:
        passed = run(
            units=args.units,
            requests=args.requests,
            seed_value=args.seed,
            database_url=url,
            out=out,
        )
    finally:
        if not args.keep:
            drop_database(url, BENCH_DATABASE)
            shutil.rmtree(out_dir, ignore_errors=True)
    return 0 if passed else 1


def run_in_subprocess(*, units: int, requests: int, seed_value: int, keep: bool) -> int:
    """What ``parindex bench search`` does: :func:`main` in a fresh interpreter."""
    return run_bench_module(
        "parindex.tools.bench.search",
        [f"--units={units}", f"--requests={requests}", f"--seed={seed_value}"],
        database=BENCH_DATABASE,
        repo_dir=REPO_DIR,
        keep=keep,
    )


def add_parser(sub: Any) -> None:
    """``parindex bench search`` in the bench command's subparsers."""
    search = sub.add_parser(
        "search",
        help=(
            "tìm không dấu trên trang xếp hạng 11.000 xã, có và không có chỉ mục trigram "
            f"(trong CSDL riêng {BENCH_DATABASE}, tạo lại mỗi lần)"
        ),
    )
    search.add_argument("--units", type=int, default=UNITS)
    search.add_argument("--requests", type=int, default=REQUESTS, help="mỗi loại, mỗi vòng")
    search.add_argument("--seed", type=int, default=SEED)
    search.add_argument("--keep", action="store_true")


def handle(options: dict[str, Any]) -> None:
    """Run it for the bench command; a Vietnamese error when it cannot run or fails."""
    from django.core.management.base import CommandError

    if options["units"] < 1 or options["requests"] < 1:
        raise CommandError("--units và --requests phải lớn hơn 0.")
    try:
        status = run_in_subprocess(
            units=options["units"],
            requests=options["requests"],
            seed_value=options["seed"],
            keep=options["keep"],
        )
    except SystemExit as exc:  # DATABASE_URL is not a local PostgreSQL
        raise CommandError(str(exc.code)) from None
    if status:
        raise CommandError(
            "Đo tìm kiếm không đạt / the search benchmark did not pass "
            f"(mã thoát / exit status {status})."
        )


if __name__ == "__main__":
    sys.exit(main())
