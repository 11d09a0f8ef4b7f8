"""``parindex bench oversight``: the council's oversight list ("Theo dõi khắc phục") of a
national-size season.

Targets (ours: the issue sets none): on 11,000 communes with 5 remediation tasks each
(55,000 tasks), the page answers within 500 ms at p95 whatever the filter or page, with a
fixed number of queries; the XLSX of every task within 30 s; the process under 1 GiB.

1. Seeding (not timed), in its own database ``parindex_bench_oversight`` on the local
   PostgreSQL server (recreated, dropped afterwards): the communes and a finalised,
   published period with final scores, through the services (the ranking benchmark's
   season); then the tasks, written in bulk with the figures the task service would keep
   (the service evaluates each unit's appraisal to snapshot its numbers: 11,000 engine runs
   that add minutes to the seeding and nothing to what is measured). Statuses are spread
   as in a season under way: open, in progress, done, dropped; a fifth overdue. Then
   ``ANALYZE``, as autovacuum keeps a live database's statistics.
2. Measured, as an observer of the province signed in (the chair's page; the chair's
   own sign-in needs a second factor), through Django's test client (the
   whole view: middleware, permission chokepoint, SQL, template): ``--requests`` GETs of
   ``/khac-phuc/theo-doi/<kỳ>/`` over seven kinds (no filter, a status, overdue only, a
   field code, a unit searched without diacritics, a far page of the task list, a far page
   of the unit table), after a warm-up; then the ``.xlsx`` of every task, read to the end.
"""

from __future__ import annotations

import argparse
import datetime
import random
import resource
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from parindex.tools.bench.database import (
    bench_environment,
    drop_database,
    recreate_database,
    run_bench_module,
)
from parindex.tools.bench.machine import background_load

Out = Callable[[str], None]
REPO_DIR = Path(__file__).resolve().parents[3]
BENCH_DATABASE = "parindex_bench_oversight"
UNITS = 11_000
TASKS_PER_UNIT = 5
REQUESTS = 140
WARMUP = 14
SEED = 2027
YEAR = 2025
TARGET_P95_MS = 500.0
TARGET_XLSX_S = 30.0
TARGET_MIB = 1024.0


@dataclass
class Seeded:
    period_id: int
    chair_id: int
    tasks: int


@dataclass
class Kind:
    label: str
    query: dict[str, str]
    times: list[float] = field(default_factory=list)
    queries: set[int] = field(default_factory=set)
    failures: int = 0


def seed(*, units: int, seed_value: int) -> Seeded:
    from django.db import transaction

    from parindex.accounts.models import Role, User
    from parindex.criteria.services import SetInfo, criteria_set_import_document
    from parindex.organizations.models import Level
    from parindex.tools.bench.communes import seed_communes
    from parindex.tools.bench.ranking import _season, criteria_document

    rng = random.Random(seed_value)  # noqa: S311 - reproducible sample data
    with transaction.atomic():
        province, group, communes = seed_communes(
            prefix="KP",
            label="Khắc Phục",
            group_code="kp-ubnd-cap-xa",
            purpose="đo trang theo dõi khắc phục",
            units=units,
            digits=5,
        )
        criteria_set = criteria_set_import_document(
            document=criteria_document(),
            info=SetInfo(level=Level.COMMUNE, year=YEAR, jurisdiction=province),
            actor=None,
        )
    with transaction.atomic():
        period, _ = _season(
            province=province,
            group=group,
            communes=communes,
            criteria_set=criteria_set,
            year=YEAR,
            previous=None,
            rng=rng,
        )
        # An observer of the province reads the same page as the chair, who in production
        # (DEBUG off) signs in with a second factor.
        chair = User.objects.create_user(
            username="quan.sat.khac.phuc", full_name="Quan sát Hội đồng", role=Role.OBSERVER
        )
        chair.unit = province
        chair.save(update_fields=["unit"])
        tasks = _tasks(period, communes, criteria_set, rng)
    # A live database has its statistics (autovacuum); freshly bulk-written tables have
    # none, and the planner would nest loops over them as if they were empty.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return Seeded(period.pk, chair.pk, tasks)


def _tasks(period: Any, communes: Sequence[Any], criteria_set: Any, rng: random.Random) -> int:
    from parindex.core.text import fold
    from parindex.criteria.models import CriterionNode
    from parindex.remediation.models import RemediationTask, TaskStatus

    leaves = list(
        CriterionNode.objects.filter(criteria_set=criteria_set, children__isnull=True).order_by(
            "position"
        )
    )
    today = datetime.date.today()  # noqa: DTZ011 (due dates around today)
    statuses = [TaskStatus.OPEN] * 4 + [TaskStatus.IN_PROGRESS] * 2 + [TaskStatus.DONE] * 3
    statuses.append(TaskStatus.DROPPED)
    rows = []
    for unit in communes:
        for node in rng.sample(leaves, TASKS_PER_UNIT):
            lost = (node.max_points * Decimal(str(round(rng.uniform(0.1, 1.0), 2)))).quantize(
                Decimal("0.01")
            )
            action = f"Khắc phục tiêu chí {node.code}: bổ sung tài liệu, rà soát số liệu"
            rows.append(
                RemediationTask(
                    period=period,
                    unit=unit,
                    node=node,
                    node_code=node.code,
                    max_points=node.max_points,
                    self_points=node.max_points,
                    appraised_points=node.max_points - lost,
                    points_lost=lost,
                    council_comment="Tài liệu kiểm chứng chưa đầy đủ.",
                    action=action,
                    due_date=today + datetime.timedelta(days=rng.randint(-30, 120)),
                    status=rng.choice(statuses),
                    search_text=fold(f"{node.code} {node.name} {action}")[:1000],
                )
            )
    RemediationTask.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def _kinds(units: int) -> list[Kind]:
    return [
        Kind("không lọc / no filter", {}),
        Kind("trạng thái / a status", {"trang-thai": "open"}),
        Kind("chỉ quá hạn / overdue only", {"qua-han": "on"}),
        Kind("lĩnh vực / a field code", {"tieu-chi": "3"}),
        Kind("tìm đơn vị không dấu / a unit, no diacritics", {"don-vi": "khac phuc 0042"}),
        Kind("trang xa của danh sách / a far task page", {"trang": str(units * 2 // 50)}),
        Kind("trang xa bảng đơn vị / a far unit page", {"trang-don-vi": str(units // 100)}),
    ]


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(seeded: Seeded, *, units: int, requests: int, out: Out) -> bool:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from parindex.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(pk=seeded.chair_id))
    base = reverse("oversight:period", args=[seeded.period_id])
    kinds = _kinds(units)
    rng = random.Random(SEED)  # noqa: S311 - the order of the requests
    for i in range(WARMUP + requests):
        kind = kinds[i % len(kinds)] if i < WARMUP else rng.choice(kinds)
        url = f"{base}?{urlencode(kind.query)}" if kind.query else base
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
        if i < WARMUP:
            continue
        kind.times.append(elapsed)
        kind.queries.add(len(queries))
        kind.failures += response.status_code != 200
    every = [t for k in kinds for t in k.times]
    p95 = _percentile(every, 0.95)
    out(f"trang theo dõi / the oversight page, {len(every)} lượt / requests:")
    for kind in kinds:
        if kind.times:
            out(
                f"  {kind.label}: trung vị / median {statistics.median(kind.times):.0f} ms, "
                f"p95 {_percentile(kind.times, 0.95):.0f} ms, truy vấn / queries "
                f"{sorted(kind.queries)}, lỗi / failures {kind.failures}"
            )
    out(f"  p95 chung / overall: {p95:.0f} ms (mục tiêu / target < {TARGET_P95_MS:.0f} ms)")
    started = time.perf_counter()
    response = client.get(reverse("oversight:period_xlsx", args=[seeded.period_id]))
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)  # type: ignore[attr-defined, misc]
    else:
        size = len(response.content)
    xlsx_s = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(
        f"XLSX mọi nhiệm vụ / every task: {xlsx_s:.1f} s, {size / 1024**2:.1f} MiB "
        f"(mục tiêu / target < {TARGET_XLSX_S:.0f} s); tiến trình / process peak RSS "
        f"{peak:.0f} MiB (mục tiêu / target < {TARGET_MIB:.0f} MiB)"
    )
    fixed = all(len(k.queries) == 1 for k in kinds if k.times)
    failures = sum(k.failures for k in kinds)
    ok = p95 < TARGET_P95_MS and xlsx_s < TARGET_XLSX_S and peak < TARGET_MIB
    out(
        "ĐẠT / PASS"
        if ok and fixed and not failures and response.status_code == 200
        else "KHÔNG ĐẠT / FAIL"
    )
    return ok and fixed and not failures and response.status_code == 200


def run(*, units: int, requests: int, seed_value: int, database_url: str, out: Out) -> bool:
    out(f"CSDL / database: tạo lại / recreating {BENCH_DATABASE}")
    recreate_database(database_url)
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=false: hashed names
    started = time.perf_counter()
    seeded = seed(units=units, seed_value=seed_value)
    out(
        f"dữ liệu / seeded: {units:,} xã, kỳ đã chốt và công bố / a finalised, published "
        f"period, {seeded.tasks:,} nhiệm vụ khắc phục / tasks "
        f"({time.perf_counter() - started:.1f} s, không tính / not timed)"
    )
    out(f"tải nền của máy / background machine load: {background_load():.0f} % CPU")
    try:
        return measure(seeded, units=units, requests=requests, out=out)
    finally:
        connections.close_all()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parindex.tools.bench.oversight")
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    url, out_dir = bench_environment(
        kind="oversight", database=BENCH_DATABASE, repo_dir=REPO_DIR, web=True
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
    """What ``parindex bench oversight`` does: run :func:`main` in a fresh interpreter."""
    return run_bench_module(
        "parindex.tools.bench.oversight",
        [f"--units={units}", f"--requests={requests}", f"--seed={seed_value}"],
        database=BENCH_DATABASE,
        repo_dir=REPO_DIR,
        keep=keep,
    )


if __name__ == "__main__":
    sys.exit(main())
