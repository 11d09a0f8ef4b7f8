"""Driving the locust scenario headless against the running server, sampling the CPU of
gunicorn, locust and PostgreSQL every second until locust quits."""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parindex.tools.bench.machine import CpuSnapshot, cpu_seconds, peak_rss_mib
from parindex.tools.bench.season_load.report import Config
from parindex.tools.bench.season_load.server import REPO_DIR, stop, venv_bin

LOCUSTFILE = Path(__file__).parent.with_name("locustfile.py")


@dataclass
class Sampled:
    """What was measured while locust ran."""

    locust_exit: int = -1
    cpu_sign_in: dict[str, float] = field(default_factory=dict)
    cpu_save: dict[str, float] = field(default_factory=dict)
    rss: dict[str, float] = field(default_factory=dict)


def read_phase(path: Path) -> dict[str, Any]:
    """``save-phase.json`` as the locustfile last wrote it ({} before it exists)."""
    try:
        phase: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return phase


def _locust_env(config: Config, plan_path: Path, run_dir: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PARINDEX_BENCH_PLAN": str(plan_path),
        "PARINDEX_BENCH_LOG_DIR": str(run_dir),
        "PARINDEX_BENCH_USERS": str(config.users),
        "PARINDEX_BENCH_DURATION": str(config.duration),
        "PARINDEX_BENCH_SIGN_IN_TIMEOUT": str(config.sign_in_timeout),
        "PARINDEX_BENCH_THINK_MIN": str(config.think_min),
        "PARINDEX_BENCH_THINK_MAX": str(config.think_max),
        "PARINDEX_BENCH_SEED": str(config.seed),
    }


def _locust_command(config: Config, base: str, run_dir: Path, hard_bound: int) -> list[str]:
    return [
        venv_bin("locust"),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        base,
        "--users",
        str(config.users),
        "--spawn-rate",
        f"{config.spawn_rate:g}",
        "--run-time",
        f"{hard_bound}s",
        # Let every user finish the save it is sending: a save cut off after the
        # server committed it would look like a lost update in the check.
        "--stop-timeout",
        "30",
        "--csv",
        str(run_dir / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]


def drive_locust(
    config: Config, *, base: str, run_dir: Path, plan_path: Path, gunicorn_pid: int
) -> Sampled:
    """Run locust until it quits (or its hard time bound passes) and sample meanwhile."""
    sampled = Sampled()
    # The locustfile quits after the save phase; --run-time is only the hard bound.
    hard_bound = config.sign_in_timeout + config.duration + 60
    first = CpuSnapshot.take()
    with (run_dir / "locust.log").open("wb") as locust_log:
        locust = subprocess.Popen(  # noqa: S603 (the venv's locust)
            _locust_command(config, base, run_dir, hard_bound),
            env=_locust_env(config, plan_path, run_dir),
            cwd=REPO_DIR,
            stdout=locust_log,
            stderr=subprocess.STDOUT,
        )
        try:
            save_start, last = _sample(
                locust,
                first,
                deadline=time.monotonic() + hard_bound + 60,
                phase_path=run_dir / "save-phase.json",
                gunicorn_pid=gunicorn_pid,
                sampled=sampled,
            )
            sampled.locust_exit = locust.returncode
        finally:
            stop(locust, timeout=10)
    if save_start is not None:
        sampled.cpu_save = cpu_seconds(
            save_start, last, gunicorn_pid=gunicorn_pid, locust_pid=locust.pid
        )
    return sampled


def _sample(
    locust: subprocess.Popen[bytes],
    first: CpuSnapshot,
    *,
    deadline: float,
    phase_path: Path,
    gunicorn_pid: int,
    sampled: Sampled,
) -> tuple[CpuSnapshot | None, CpuSnapshot]:
    """Sample every second, up to just before locust exits (its CPU is read then); the
    sign-in phase's CPU once the save phase starts. Returns (save start, last) snapshots."""
    save_start: CpuSnapshot | None = None
    last = first
    while locust.poll() is None:
        if time.monotonic() > deadline:
            raise SystemExit("locust không dừng đúng hạn / did not stop in time")
        last = CpuSnapshot.take()
        if save_start is None and "save_start" in read_phase(phase_path):
            save_start = last
            sampled.cpu_sign_in = cpu_seconds(
                first, last, gunicorn_pid=gunicorn_pid, locust_pid=locust.pid
            )
        sampled.rss = peak_rss_mib(gunicorn_pid) or sampled.rss
        time.sleep(1)
    return save_start, last
