"""``parindex bench documents``: how long the documents of a season take to make.

Targets (issue "Documents"): the results report of a province of 25 units, as DOCX and as
PDF, in under 5 s each; the results table of 11,000 communes (the notice's appendix) as PDF
and as XLSX in under 60 s each and under 1 GiB.

1. Seeding (not timed), in its own database ``parindex_bench_documents`` on the local
   PostgreSQL server (recreated, dropped afterwards), through the services: a province of
   25 units and one of 11,000 communes, each with two published years (the documents
   compare with the year before), with the ranking benchmark's criteria set and scores.
2. Measured: the whole ``parindex document KIND --period ID --format F -o FILE`` command,
   as a person runs it (a new process: Django start-up, reading the stored results, the
   engine, the template, LibreOffice for PDF): wall time, and peak memory of the process
   and of what it ran (LibreOffice), from ``wait4``. Each case runs ``--repeat`` times; the
   median is reported.

Exit status 0 only when every case is within its targets.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from parindex.tools.bench.communes import seed_communes
from parindex.tools.bench.database import (
    bench_environment,
    drop_database,
    recreate_database,
    run_bench_module,
)
from parindex.tools.bench.machine import background_load

Out = Callable[[str], None]
REPO_DIR = Path(__file__).resolve().parents[3]
BENCH_DATABASE = "parindex_bench_documents"
SMALL_UNITS = 25
LARGE_UNITS = 11_000
SEED = 2026
REPEAT = 3
GIB = 1024**3


@dataclass(frozen=True)
class Target:
    label: str
    kind: str
    period_key: str
    fmt: str
    seconds: float
    memory: int | None = None


TARGETS = (
    Target(
        "Báo cáo kết quả, tỉnh 25 đơn vị / results report, 25 units", "results", "small", "docx", 5
    ),
    Target(
        "Báo cáo kết quả, tỉnh 25 đơn vị / results report, 25 units", "results", "small", "pdf", 5
    ),
    Target(
        "Bảng kết quả 11.000 xã / results table, 11,000 communes", "notice", "large", "pdf", 60, GIB
    ),
    Target(
        "Bảng kết quả 11.000 xã / results table, 11,000 communes",
        "notice",
        "large",
        "xlsx",
        60,
        GIB,
    ),
)


def _province(prefix: str, label: str, units: int, rng: random.Random) -> int:
    """A province of ``units`` communes with two published years; the newer period's id."""
    from django.db import transaction

    from parindex.criteria.services import SetInfo, criteria_set_import_document
    from parindex.organizations.models import Level
    from parindex.tools.bench.ranking import YEAR, _season, criteria_document

    with transaction.atomic():
        province, group, communes = seed_communes(
            prefix=prefix,
            label=label,
            group_code=f"{prefix.lower()}-ubnd-cap-xa",
            purpose="đo văn bản",
            units=units,
            digits=5,
        )
        criteria_set = criteria_set_import_document(
            document=criteria_document(),
            info=SetInfo(level=Level.COMMUNE, year=YEAR, jurisdiction=province),
            actor=None,
        )
    previous = None
    for year in (YEAR - 1, YEAR):
        with transaction.atomic():
            previous, _ = _season(
                province=province,
                group=group,
                communes=communes,
                criteria_set=criteria_set,
                year=year,
                previous=previous,
                rng=rng,
            )
    assert previous is not None
    return int(previous.pk)


@dataclass
class Measured:
    seconds: list[float]
    peak_bytes: int
    size: int


def _run_command(target: Target, period_id: int, out_dir: Path, repeat: int) -> Measured:
    path = out_dir / f"{target.kind}-{target.period_key}.{target.fmt}"
    command = [
        sys.executable,
        "-m",
        "parindex.cli",
        "document",
        target.kind,
        "--period",
        str(period_id),
        "--format",
        target.fmt,
        "-o",
        str(path),
    ]
    times: list[float] = []
    peak = 0
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(  # noqa: S603 - our own program
            [sys.executable, "-c", _LAUNCHER, *command],
            cwd=REPO_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed: {done.stderr}")
        peak = max(peak, int(done.stdout.split()[-1]) * 1024)
    return Measured(times, peak, path.stat().st_size)


_LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
_pid, status, usage = os.wait4(child.pid, 0)
if status:
    sys.stderr.write(child.stderr.read().decode()); sys.exit(1)
print(usage.ru_maxrss)
"""
"""Runs the command from a small process: a child forked from this big one would start its
peak memory (``ru_maxrss``) at this process's size. ``wait4`` gives the command's peak,
including what it waited for (LibreOffice)."""


def run(*, repeat: int, large_units: int, seed_value: int, database_url: str, out: Out) -> bool:
    out(f"CSDL / database: tạo lại / recreating {BENCH_DATABASE}")
    recreate_database(database_url)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", interactive=False, verbosity=0)
    rng = random.Random(seed_value)  # noqa: S311 - reproducible sample data
    started = time.perf_counter()
    periods = {
        "small": _province("VB", "Văn Bản", SMALL_UNITS, rng),
        "large": _province("VL", "Văn Lớn", large_units, rng),
    }
    out(
        f"dữ liệu / seeded: {SMALL_UNITS} và / and {large_units:,} đơn vị × 2 năm, công bố /"
        f" published ({time.perf_counter() - started:.0f} s, không tính / not timed)"
    )
    from parindex.documents.render.pdf import soffice

    out(f"LibreOffice: {soffice() or 'KHÔNG CÓ / missing'}")
    out(f"tải nền của máy / background machine load: {background_load():.0f} % CPU")
    work = Path(os.environ["PARINDEX_VAR_DIR"]) / "out"
    work.mkdir(parents=True, exist_ok=True)
    passed = True
    for target in TARGETS:
        measured = _run_command(target, periods[target.period_key], work, repeat)
        median = statistics.median(measured.seconds)
        ok = median < target.seconds and (
            target.memory is None or measured.peak_bytes < target.memory
        )
        passed &= ok
        limit = f"< {target.seconds:.0f} s" + (
            f", < {target.memory // 2**20} MiB" if target.memory else ""
        )
        out(
            f"{'ĐẠT / PASS' if ok else 'KHÔNG ĐẠT / FAIL'}  {target.label} {target.fmt.upper()}:"
            f" trung vị / median {median:.2f} s (lần / runs:"
            f" {', '.join(f'{s:.2f}' for s in measured.seconds)}), đỉnh bộ nhớ / peak"
            f" {measured.peak_bytes / 2**20:.0f} MiB, tệp / file {measured.size / 1024:.0f} KiB"
            f" — mục tiêu / target {limit}"
        )
    return passed


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m parindex.tools.bench.documents")
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--units", type=int, default=LARGE_UNITS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    url, out_dir = bench_environment(kind="documents", database=BENCH_DATABASE, repo_dir=REPO_DIR)

    def out(line: str) -> None:
        print(line, flush=True)

    try:
        passed = run(
            repeat=args.repeat,
            large_units=args.units,
            seed_value=args.seed,
            database_url=url,
            out=out,
        )
    finally:
        if not args.keep:
            drop_database(url, BENCH_DATABASE)
            shutil.rmtree(out_dir, ignore_errors=True)
    return 0 if passed else 1


def run_in_subprocess(*, repeat: int, units: int, seed_value: int, keep: bool) -> int:
    """What ``parindex bench documents`` does: run :func:`main` in a fresh interpreter."""
    return run_bench_module(
        "parindex.tools.bench.documents",
        [f"--repeat={repeat}", f"--units={units}", f"--seed={seed_value}"],
        database=BENCH_DATABASE,
        repo_dir=REPO_DIR,
        keep=keep,
    )


if __name__ == "__main__":
    sys.exit(main())
