"""Season load benchmark: many unit officials saving self-assessment items at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \\
        .venv/bin/python -m parindex.tools.bench.load --users 200 --duration 60

What it does, all on 127.0.0.1 and bounded in time:

1. Recreates the database ``parindex_bench`` on the PostgreSQL server of ``DATABASE_URL``
   (whatever database the URL names, only ``parindex_bench`` is dropped) and migrates it.
   SQLite is refused: the point is the production stack.
2. Seeds it through the apps' services: a province, a commune group, one criteria set of 31
   leaves with every rule type (a few allow "không áp dụng"), N communes each with one unit
   official (``unit_staff``, known password), and one period opened for self-assessment
   with :func:`~parindex.season.stages.period_open_self_assessment` (deadline in 30 days).
3. Starts gunicorn (gthread) with the production settings (DEBUG off, generated
   SECRET_KEY, psycopg pool) on a free port of 127.0.0.1, after ``collectstatic`` (the sign-in
   page needs the hashed static files once DEBUG is off).
4. Runs locust headless (:mod:`parindex.tools.bench.locustfile`). Sign-in phase: each
   simulated person signs in once and opens their unit's assessment; saving starts only when
   everyone has signed in, and the four requests of that phase together are gated
   (``--target-sign-in-p95-ms``, 2 s). Save phase (``--duration`` seconds): each person
   saves one item after another with the version they last saw, thinking 3–8 s between
   saves, and logs every save the server confirmed (``saves-<pid>.jsonl``).
5. Stops gunicorn, reads locust's statistics, and checks in the database that the last value
   each person saved for each item is the stored one, that every item's version equals the
   number of confirmed saves, and that there is one audit event per save.

Exit status 0 only if the save endpoint's p95 is under the target (300 ms), the sign-in
phase's p95 under 2 s, no request failed, no save conflicted and the database check found
nothing wrong. Everything lands in
``var/bench/season-<time>/``. Results: ``docs/performance.md``.

This module runs the stages; their parts live in :mod:`parindex.tools.bench.season_load`
(seeding, the typed values and the save log, the server, driving locust, the database
check, the statistics, the report). Django is imported only inside functions.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from parindex.tools.bench.database import bench_database_url, recreate_database
from parindex.tools.bench.machine import background_load, peak_rss_mib
from parindex.tools.bench.season_load.check import verify
from parindex.tools.bench.season_load.locust_run import Sampled, drive_locust, read_phase
from parindex.tools.bench.season_load.locust_stats import (
    Stats,
    read_failures,
    read_final_stats,
    read_stats,
)
from parindex.tools.bench.season_load.report import (
    Config,
    Outcome,
    summary_document,
    summary_lines,
)
from parindex.tools.bench.season_load.save_profile import profile_lines, profile_save
from parindex.tools.bench.season_load.saves import LOGIN_PATH, PUT_NAME, read_logs
from parindex.tools.bench.season_load.server import (
    REPO_DIR,
    collect_static,
    free_port,
    local_redis_url,
    server_env,
    start_gunicorn,
    stop,
    wait_ready,
    warm_up,
)
from parindex.tools.bench.season_load.world import Plan, seed

TARGET_P95_MS = 300.0
TARGET_SIGN_IN_P95_MS = 2000.0

_STARTED = time.monotonic()


def _step(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {message}", flush=True)


def run(config: Config, *, database_url: str, out_dir: Path, profile: bool) -> Outcome:
    """The whole benchmark (see the module docstring)."""
    run_dir = out_dir / f"season-{datetime.datetime.now():%Y%m%d-%H%M%S}"  # noqa: DTZ005
    run_dir.mkdir(parents=True)
    var_dir = out_dir / "var"  # static files (collectstatic is incremental between runs)
    env = server_env(
        database_url=database_url,
        var_dir=var_dir,
        pool_max=config.pool_max,
        redis_url=config.redis_url,
    )
    plan, plan_path = _prepare_database(config, database_url, env, run_dir)
    child_env = {**os.environ, **env}
    collect_static(var_dir, child_env)
    background = background_load()
    _step(f"tải nền của máy / background machine load: {background:.0f} % CPU")
    sampled = _serve_and_drive(config, run_dir=run_dir, plan_path=plan_path, env=child_env)
    _step(f"locust xong / done (mã thoát / exit {sampled.locust_exit}); kiểm tra CSDL / checking")
    outcome = _outcome(config, plan, run_dir, sampled)
    _report(outcome, plan, run_dir, profile)
    return outcome


def _prepare_database(
    config: Config, database_url: str, env: dict[str, str], run_dir: Path
) -> tuple[Plan, Path]:
    """Recreate and migrate the database, seed it (this process then uses the server's
    settings) and write ``plan.json``."""
    _step(f"CSDL / database: tạo lại / recreating {urlsplit(database_url).path.lstrip('/')}")
    recreate_database(database_url)
    os.environ.update(env)  # this process uses the same settings as the server

    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    _step(f"migrate ({time.perf_counter() - started:.1f} s); tạo dữ liệu / seeding")
    started = time.perf_counter()
    plan = seed(units=config.users)
    plan_path = run_dir / "plan.json"
    plan.write(plan_path)
    _step(
        f"đã tạo / seeded {len(plan.users)} xã và tài khoản / communes and accounts, "
        f"{len(plan.leaves)} tiêu chí lá / leaves, kỳ / period {plan.period_id} "
        f"({time.perf_counter() - started:.1f} s); collectstatic"
    )
    from django.db import connections

    connections.close_all()
    return plan, plan_path


def _serve_and_drive(
    config: Config, *, run_dir: Path, plan_path: Path, env: dict[str, str]
) -> Sampled:
    """Start gunicorn, warm it up, run locust against it, stop it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn_log = (run_dir / "gunicorn.log").open("wb")
    gunicorn = start_gunicorn(
        workers=config.workers,
        threads=config.threads,
        keep_alive=config.keep_alive,
        port=port,
        env=env,
        log=gunicorn_log,
    )
    try:
        wait_ready(base + LOGIN_PATH, timeout=60, process=gunicorn)
        warm_up(base + LOGIN_PATH, 4 * config.workers * config.threads)
        _step(
            f"gunicorn sẵn sàng / ready: {base}; locust: {config.users} người dùng đăng nhập "
            f"rồi lưu trong {config.duration} s / users sign in, then save for "
            f"{config.duration} s"
        )
        sampled = drive_locust(
            config, base=base, run_dir=run_dir, plan_path=plan_path, gunicorn_pid=gunicorn.pid
        )
        sampled.rss = peak_rss_mib(gunicorn.pid) or sampled.rss
    finally:
        stop(gunicorn)
        gunicorn_log.close()
    return sampled


def _outcome(config: Config, plan: Plan, run_dir: Path, sampled: Sampled) -> Outcome:
    """Read locust's statistics and check the database against the save logs."""
    final_path, csv_path = run_dir / "final-stats.json", run_dir / "locust_stats.csv"
    by_name: dict[str, Stats]
    if final_path.exists():
        by_name = read_final_stats(final_path)
    else:
        by_name = read_stats(csv_path) if csv_path.exists() else {}
    verification = verify(period_id=plan.period_id, records=read_logs(run_dir))
    return Outcome(
        config=config,
        put=by_name.get(PUT_NAME),
        total=by_name.get("Aggregated"),
        by_name=by_name,
        failures=read_failures(run_dir / "locust_failures.csv"),
        verification=verification,
        phase=read_phase(run_dir / "save-phase.json"),
        cpu_sign_in=sampled.cpu_sign_in,
        cpu_save=sampled.cpu_save,
        rss_mib=sampled.rss,
        locust_exit=sampled.locust_exit,
        run_dir=str(run_dir),
    )


def _report(outcome: Outcome, plan: Plan, run_dir: Path, profile: bool) -> None:
    """Print the summary and write it (text and JSON) into the run directory."""
    summary = summary_lines(outcome)
    if profile:
        _step("đo một lần lưu / profiling one save (SQL, cProfile)")
        summary.extend(profile_lines(profile_save(plan)))
    (run_dir / "summary.txt").write_text("\n".join(summary) + "\n", encoding="utf-8")
    (run_dir / "summary.json").write_text(
        json.dumps(summary_document(outcome), ensure_ascii=False, indent=1, default=str),
        encoding="utf-8",
    )
    print("\n".join(summary), flush=True)
    print(f"(chi tiết / details: {run_dir})", flush=True)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        prog="python -m parindex.tools.bench.load",
        description="Đo tải mùa tự đánh giá: N cán bộ xã cùng lưu điểm tự đánh giá "
        "(gunicorn + PostgreSQL + locust, chỉ trên 127.0.0.1).",
    )
    parser.add_argument("--users", type=int, default=200, help="số người dùng đồng thời")
    parser.add_argument("--duration", type=int, default=60, help="thời gian lưu (giây)")
    parser.add_argument("--spawn-rate", type=float, default=50, help="người dùng mới mỗi giây")
    parser.add_argument("--workers", type=int, default=cores, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="luồng mỗi worker")
    parser.add_argument("--pool-max", type=int, default=None, help="DB_POOL_MAX (≥ threads)")
    parser.add_argument("--think-min", type=float, default=3.0, help="nghỉ tối thiểu (s)")
    parser.add_argument("--think-max", type=float, default=8.0, help="nghỉ tối đa (s)")
    parser.add_argument("--keep-alive", type=int, default=10, help="gunicorn --keep-alive (s)")
    parser.add_argument("--target-p95-ms", type=float, default=TARGET_P95_MS)
    parser.add_argument(
        "--target-sign-in-p95-ms",
        type=float,
        default=TARGET_SIGN_IN_P95_MS,
        help="p95 của 4 yêu cầu đăng nhập (trang, đăng nhập, danh sách, mở phiếu)",
    )
    parser.add_argument("--seed", type=int, default=2025, help="hạt giống giá trị nhập")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sau khi đo: các truy vấn SQL của một lần lưu, thời gian lưu tuần tự, cProfile",
    )
    parser.add_argument(
        "--redis",
        default=None,
        help="Redis cho cache và phiên (mặc định redis://127.0.0.1:6379/15 nếu có; '' = không)",
    )
    parser.add_argument("--out", type=Path, default=REPO_DIR / "var" / "bench")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 5000 or not 1 <= args.duration <= 3600:
        parser.error("1 ≤ --users ≤ 5000, 1 ≤ --duration ≤ 3600")
    if not 0 <= args.think_min <= args.think_max:
        parser.error("0 ≤ --think-min ≤ --think-max")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = bench_database_url(os.environ.get("DATABASE_URL"))
    config = Config(
        users=args.users,
        duration=args.duration,
        spawn_rate=args.spawn_rate,
        workers=args.workers,
        threads=args.threads,
        pool_max=args.pool_max or max(args.threads, 2),
        think_min=args.think_min,
        think_max=args.think_max,
        keep_alive=args.keep_alive,
        target_p95_ms=args.target_p95_ms,
        target_sign_in_p95_ms=args.target_sign_in_p95_ms,
        seed=args.seed,
        redis_url=local_redis_url(args.redis),
    )
    outcome = run(config, database_url=url, out_dir=args.out, profile=args.profile)
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())
