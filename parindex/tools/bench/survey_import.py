"""``parindex bench survey-import``: a national survey season's forms, from CSV to points.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex .venv/bin/parindex bench survey-import

Imports 1,000,000 generated forms (seeded, spread unevenly over 13,000 communes) from one
CSV file with :func:`~parindex.surveys.imports.responses_import` and computes every unit's
points with :func:`~parindex.surveys.scoring.survey_compute`. Targets: import + computation
under 45 s, the import within 2× of a plain ``COPY`` of the same rows (already converted
into the table's columns: the physical limit of the import on this machine), and the
process under 1.5 GiB peak RSS. Results: ``docs/performance.md``.

The database. The benchmark drops and recreates a database, so it works only in its own
one, ``parindex_bench_survey``, on the PostgreSQL server of ``DATABASE_URL``, which must be
this machine (127.0.0.1, localhost or a Unix socket); whatever database the URL names, no
other is touched (SQLite is refused: the import's fast path is PostgreSQL's COPY). Django
reads ``DATABASES`` once, when the settings are imported, so the management command does
not switch databases in its own process: it re-executes this module in a fresh Python
process (``python -m parindex.tools.bench.survey_import``) whose environment names the benchmark
database (``DATABASE_URL``), ``DEBUG=false`` (no query log), no connection pool and a
``MEDIA_ROOT`` under the run directory (the import keeps a copy of the file). That process
recreates the database through the ``postgres`` maintenance database
(:func:`parindex.tools.bench.database.recreate_database`), only then calls ``django.setup()``,
migrates, seeds, measures, verifies, and finally drops the database and deletes its files
unless ``--keep``. It can be run directly the same way. The parts below the process level,
in :mod:`parindex.tools.bench.survey` (``seed``, ``generate_csv``, ``measure``,
``expected_unit``), work on whatever database Django is configured with, which is how the
tests run them at a tiny scale inside pytest-django's test database.

Steps, only the last three timed:

1. Seeding through the services: a province, a commune group and N communes
   (``units_bulk_create``), one criteria set whose survey is worth 10 points, a period
   binding it to the group, moved to "tự đánh giá", an assessment per commune (bulk), the
   default questionnaire (13 questions on a 1–5 scale, 3 respondent questions) and the
   sample plans (every commune surveyed).
2. Generating the CSV under ``var/bench/survey-<time>/`` (``random.Random(seed)``): each
   commune gets a lognormal share of the forms and its own satisfaction level; about 5 % of
   the answers are blank, about 1 % of the forms are invalid (fewer answers than the
   questionnaire's minimum), respondent columns are filled about 30 % of the time,
   comments about 3 % (some with commas, quotes and line breaks), the channel column mixes
   values, labels and blanks.
3. (a) Baseline: the same rows converted beforehand into the columns of
   ``surveys_surveyresponse`` (COPY text format, one file) and streamed with
   ``COPY … FROM STDIN`` into the real table (same indexes, unique constraint, and foreign
   keys checked at once with ``SET CONSTRAINTS ALL IMMEDIATE``; the import checks them at
   commit) inside a transaction that is then rolled back; a ``TRUNCATE`` of the (empty)
   table then drops the dead rows so that the import starts from a clean table.
   (b) ``responses_import`` of the file's bytes (both passes, the kept copy, the audit).
   (c) ``survey_compute`` of the period.
4. Verification: every form stored, one result per surveyed commune, and a few communes'
   points recomputed from their CSV rows by :func:`expected_unit` (plain Python and exact
   fractions, not the engine) equal to the stored points.

Each timed step also reports the CPU seconds of this process and of its PostgreSQL backend
(``/proc/<pid>/stat``; the server is local) and how busy the machine's CPUs were, since other
people's work shares them; the machine's load just before measuring is printed too. Peak
RSS is ``getrusage`` of the measuring process (its whole life: seeding and generation stream
and stay far below the import). PostgreSQL's own memory is not counted. Exit status 0 only
when every target is met and the verification found nothing wrong.
"""

from __future__ import annotations

import argparse
import datetime
import os
import resource
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from parindex.tools.bench.database import bench_database_url, drop_database, recreate_database
from parindex.tools.bench.machine import background_load
from parindex.tools.bench.survey import Out
from parindex.tools.bench.survey.generate import generate_csv
from parindex.tools.bench.survey.measure import Report, measure, summary_lines
from parindex.tools.bench.survey.timing import peak_rss_mib
from parindex.tools.bench.survey.world import seed

REPO_DIR = Path(__file__).resolve().parents[3]
BENCH_DATABASE = "parindex_bench_survey"
RESPONSES = 1_000_000
UNITS = 13_000
SEED = 2025


# --------------------------------------------------------------------------- the database


def survey_database_url(database_url: str | None) -> str:
    """The URL of ``parindex_bench_survey`` on the local PostgreSQL server of
    ``database_url``. Raises :class:`SystemExit` with a message for anything else."""
    example = f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
    if not database_url:
        raise SystemExit(
            "Cần DATABASE_URL trỏ tới PostgreSQL / DATABASE_URL must point at PostgreSQL, "
            f"e.g. {example}"
        )
    scheme = urlsplit(database_url).scheme
    if scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(
            f"Đo nhập phiếu khảo sát chỉ chạy trên PostgreSQL, không chạy trên {scheme or '?'} "
            "/ the survey import benchmark runs on PostgreSQL only (the import's fast path is "
            f"COPY). Set {example}"
        )
    return bench_database_url(database_url, BENCH_DATABASE)


# --------------------------------------------------------------------------- processes


@dataclass(frozen=True)
class Config:
    responses: int = RESPONSES
    units: int = UNITS
    seed: int = SEED
    keep: bool = False


def run(config: Config, *, database_url: str, out_dir: Path, out: Out) -> Report:
    """The whole benchmark in this process, which must not have set Django up yet."""
    out(
        f"CSDL / database: tạo lại / recreating {BENCH_DATABASE} "
        f"({urlsplit(database_url).hostname or 'socket'})"
    )
    recreate_database(database_url)
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    out(f"migrate: {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    seeded = seed(units=config.units)
    out(
        f"dữ liệu / seeded: {len(seeded.unit_codes):,} xã, phiếu mặc định "
        f"{len(seeded.layout.questions)} câu / questions, kế hoạch khảo sát / sample plans "
        f"({time.perf_counter() - started:.1f} s); peak RSS {peak_rss_mib():.0f} MiB"
    )
    csv_path = out_dir / "khao-sat.csv"
    generated = generate_csv(
        csv_path,
        layout=seeded.layout,
        unit_codes=seeded.unit_codes,
        responses=config.responses,
        seed=config.seed,
    )
    answers = generated.rows * len(seeded.layout.questions)
    out(
        f"đầu vào / input: {generated.rows:,} phiếu × {len(seeded.layout.questions)} câu, "
        f"{len(seeded.unit_codes):,} xã (seed {config.seed}); "
        f"{generated.blank_answers / answers:.1%} câu bỏ trống / blank answers, "
        f"{generated.invalid:,} phiếu thiếu câu trả lời / invalid forms; "
        f"{csv_path} {generated.bytes / 2**20:.1f} MiB, sinh trong / generated in "
        f"{generated.seconds:.1f} s (không tính / not timed)"
    )
    out(f"tải nền của máy / background machine load: {background_load():.0f} % CPU")
    try:
        report = measure(seeded, csv_path, out_dir, out)
    finally:
        connections.close_all()
    for line in summary_lines(report):
        out(line)
    return report


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m parindex.tools.bench.survey_import", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--responses", type=int, default=RESPONSES)
    parser.add_argument("--units", type=int, default=UNITS)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--keep", action="store_true", help="keep the database and the files")
    parser.add_argument("--out", type=Path, default=None, help="run directory")
    args = parser.parse_args(argv)
    if args.responses < 1 or args.units < 1:
        parser.error("--responses and --units must be positive")
    return args


def _out(line: str) -> None:
    print(line, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    """The measuring process (see the module docstring); exit status 0 only on PASS."""
    args = parse_args(argv)
    url = survey_database_url(os.environ.get("DATABASE_URL"))
    stamp = f"{datetime.datetime.now():%Y%m%d-%H%M%S}"  # noqa: DTZ005 (a directory name)
    out_dir: Path = args.out or REPO_DIR / "var" / "bench" / f"survey-{stamp}"
    out_dir.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "parindex.settings",
            "DATABASE_URL": url,
            "DEBUG": "false",
            "DB_POOL": "false",
            "LOG_LEVEL": "WARNING",
            "MEDIA_ROOT": str(out_dir / "media"),
        }
    )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    config = Config(responses=args.responses, units=args.units, seed=args.seed, keep=args.keep)
    try:
        report = run(config, database_url=url, out_dir=out_dir, out=_out)
    finally:
        if not config.keep:
            drop_database(url, BENCH_DATABASE)
            shutil.rmtree(out_dir, ignore_errors=True)
    if config.keep:
        _out(f"giữ lại / kept: CSDL {BENCH_DATABASE}, {out_dir}")
    return 0 if report.passed else 1


def run_in_subprocess(config: Config, out: Out) -> int:
    """What ``parindex bench survey-import`` does: check ``DATABASE_URL``, then run
    :func:`main` in a fresh interpreter (the settings of this one are already loaded) and
    report the child's peak RSS as this process sees it. Returns the child's exit status."""
    url = survey_database_url(os.environ.get("DATABASE_URL"))
    command = [
        sys.executable,
        "-m",
        "parindex.tools.bench.survey_import",
        f"--responses={config.responses}",
        f"--units={config.units}",
        f"--seed={config.seed}",
        *(["--keep"] if config.keep else []),
    ]
    sys.stdout.flush()
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    status = subprocess.run(command, env=env, cwd=REPO_DIR, check=False).returncode  # noqa: S603
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out(
        f"tiến trình đo / measuring process: peak RSS {child:.0f} MiB (RUSAGE_CHILDREN); "
        f"lệnh / this command {own:.0f} MiB; toàn bộ / wall {time.perf_counter() - started:.0f} s"
    )
    return status


if __name__ == "__main__":
    sys.exit(main())
