"""``parindex bench survey-import``: a national survey season's forms, from CSV to points.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex .venv/bin/parindex bench survey-import

Imports 1,000,000 generated forms (seeded, spread unevenly over 13,000 communes) from one
CSV file with :func:`~parindex.surveys.imports.responses_import` and computes every unit's
points with :func:`~parindex.surveys.scoring.survey_compute`. Target: import + computation
under 60 s and the process under 1.5 GiB peak RSS. Next to them it times a plain ``COPY`` of
the same rows, already converted into the table's columns: the physical limit of the
import on this machine. Results: ``docs/performance.md``.

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
(:func:`parindex.tools.bench.load.recreate_database`), only then calls ``django.setup()``,
migrates, seeds, measures, verifies, and finally drops the database and deletes its files
unless ``--keep``. It can be run directly the same way. The functions below the process
level (:func:`seed`, :func:`generate_csv`, :func:`measure`, :func:`expected_unit`) work on
whatever database Django is configured with, which is how the tests run them at a tiny
scale inside pytest-django's test database.

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
when both targets are met and the verification found nothing wrong.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import datetime
import itertools
import json
import math
import os
import random
import resource
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from parindex.tools.bench.load import (
    background_load,
    bench_database_url,
    drop_database,
    recreate_database,
    seed_communes,
)

REPO_DIR = Path(__file__).resolve().parents[2]
BENCH_DATABASE = "parindex_bench_survey"
TARGET_SECONDS = 60.0
TARGET_RSS_MIB = 1.5 * 1024
RESPONSES = 1_000_000
UNITS = 13_000
SEED = 2025

UNIT_PREFIX = "KS"
BLANK_SHARE = 0.05
INVALID_SHARE = 0.01
RESPONDENT_SHARE = 0.3
COMMENT_SHARE = 0.03
SPOT_CHECKS = 3

Out = Callable[[str], None]

CHANNEL_CELLS: tuple[tuple[str, str, float], ...] = (
    # (cell in the file, stored value, weight)
    ("", "interview", 0.40),
    ("Phỏng vấn trực tiếp", "interview", 0.25),
    ("Phiếu giấy", "paper", 0.20),
    ("paper", "paper", 0.05),
    ("Điện thoại", "phone", 0.05),
    ("Trực tuyến", "online", 0.05),
)
COMMENTS = (
    "Cán bộ hướng dẫn nhiệt tình, chu đáo.",
    "Thời gian chờ còn lâu, cần thêm ghế ngồi.",
    'Đề nghị niêm yết rõ "phí, lệ phí" tại bộ phận một cửa.',
    "Nên có thêm máy tra cứu hồ sơ; wifi yếu.",
    "Trả kết quả đúng hẹn.\nCảm ơn cán bộ xã.",
)
DATES = tuple(
    (datetime.date(2025, 9, 1) + datetime.timedelta(days=d)).strftime("%d/%m/%Y") for d in range(90)
)


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


# --------------------------------------------------------------------------- seeding


@dataclass(frozen=True)
class Layout:
    """What the generator and the independent check need to know of the questionnaire."""

    headers: list[str]
    factors: list[tuple[str, list[str], Decimal]]
    """(code, question codes, weight) in order."""
    respondent: list[tuple[str, list[str]]]
    """(code, choices) in order."""
    scale_min: int
    scale_max: int
    satisfied_at: int
    min_answered_share: Decimal
    survey_max: Decimal
    slope: Decimal | None
    intercept: Decimal
    rounding_mode: str
    rounding_places: int

    @property
    def questions(self) -> list[str]:
        return [code for _, codes, _ in self.factors for code in codes]

    @property
    def needed(self) -> int:
        """Answers a form needs to be valid: ⌈share × questions⌉."""
        return math.ceil(Fraction(self.min_answered_share) * len(self.questions))


@dataclass(frozen=True)
class Seeded:
    period_id: int
    unit_codes: list[str]
    unit_ids: dict[str, int]
    layout: Layout


def criteria_document() -> dict[str, Any]:
    """A small commune criteria set; what matters here is its survey, worth 10 points."""

    def node(code: str, name: str, max_: str, **extra: Any) -> dict[str, Any]:
        item: dict[str, Any] = {"code": code, "name": name, "max": max_}
        if "." in code:
            item["parent"] = code.rsplit(".", 1)[0]
        item.update(extra)
        return item

    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí CCHC cấp xã (đo nhập phiếu khảo sát)",
            "rounding": {"mode": "truncate", "places": 2},
            "index_rounding": {"mode": "half_up", "places": 2},
            "nodes": [
                node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10"),
                node("1.1", "Ban hành kế hoạch CCHC năm", "4", rule={"type": "boolean"}),
                node("1.2", "Tỷ lệ hoàn thành kế hoạch CCHC", "6", rule={"type": "percent"}),
                node("2", "Cải cách thủ tục hành chính", "10"),
                node("2.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "10", rule={"type": "ratio"}),
            ],
        },
        "survey": {"max": "10"},
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "65"}],
            "otherwise": "Trung bình",
        },
    }


def seed(*, units: int, year: int = 2025) -> Seeded:
    """Create the season through the services (see the module docstring); one transaction."""
    from django.db import transaction

    from parindex.assessments.models import Assessment
    from parindex.criteria.services import SetInfo, criteria_set_import_document
    from parindex.organizations.models import Level
    from parindex.periods.models import PeriodKind, PeriodStatus
    from parindex.periods.services import period_create, period_set_status
    from parindex.surveys.services import questionnaire_create_default, sample_plans_ensure

    with transaction.atomic():
        province, group, communes = seed_communes(
            prefix=UNIT_PREFIX,
            label="Khảo Sát",
            group_code="ks-ubnd-cap-xa",
            purpose="đo nhập phiếu khảo sát",
            units=units,
            digits=5,
        )
        criteria_set = criteria_set_import_document(
            document=criteria_document(),
            info=SetInfo(level=Level.COMMUNE, year=year, jurisdiction=province),
            actor=None,
        )
        period = period_create(
            jurisdiction=province,
            year=year,
            kind=PeriodKind.ANNUAL,
            name=f"Khảo sát sự hài lòng năm {year} (đo hiệu năng)",
            groups={group: criteria_set},
            actor=None,
        )
        period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
        Assessment.objects.bulk_create(
            (Assessment(period=period, unit=unit) for unit in communes), batch_size=2000
        )
        questionnaire = questionnaire_create_default(period=period, actor=None)
        sample_plans_ensure(period=period, actor=None)
    assert criteria_set.survey_max is not None
    return Seeded(
        period_id=period.pk,
        unit_codes=[u.code for u in communes],
        unit_ids={u.code: u.pk for u in communes},
        layout=layout_of(questionnaire, criteria_set.survey_max),
    )


def layout_of(questionnaire: Any, survey_max: Decimal) -> Layout:
    from parindex.surveys.imports import template_headers

    return Layout(
        headers=template_headers(questionnaire),
        factors=[
            (f.code, [q.code for q in f.questions.all()], f.weight)
            for f in questionnaire.factors.prefetch_related("questions")
        ],
        respondent=[(r.code, list(r.choices)) for r in questionnaire.respondent_questions.all()],
        scale_min=questionnaire.scale_min,
        scale_max=questionnaire.scale_max,
        satisfied_at=questionnaire.satisfied_at,
        min_answered_share=questionnaire.min_answered_share,
        survey_max=survey_max,
        slope=questionnaire.points_slope,
        intercept=questionnaire.points_intercept,
        rounding_mode=questionnaire.rounding_mode,
        rounding_places=questionnaire.rounding_places,
    )


# --------------------------------------------------------------------------- the file


@dataclass
class Generated:
    rows: int = 0
    invalid: int = 0
    """Forms generated with fewer answers than a valid form needs."""
    blank_answers: int = 0
    seconds: float = 0.0
    bytes: int = 0


def generate_csv(
    path: Path, *, layout: Layout, unit_codes: Sequence[str], responses: int, seed: int
) -> Generated:
    """Write ``responses`` forms with the template's header (UTF-8 with BOM, as Excel
    saves "CSV UTF-8") to ``path``; the same seed gives the same file."""
    started = time.perf_counter()
    rnd = random.Random(seed)  # noqa: S311 - reproducible sample data, not security
    low, high = layout.scale_min, layout.scale_max
    values = [""] + [str(v) for v in range(low, high + 1)]
    satisfied = [str(v) for v in range(layout.satisfied_at, high + 1)]
    # Each unit: a share of the forms (lognormal: a few busy communes, many small ones) and
    # a satisfaction level; answers at or above satisfied_at with probability ~ level.
    unit_weights = list(itertools.accumulate(rnd.lognormvariate(0, 0.75) for _ in unit_codes))
    total_weight = unit_weights[-1]
    unsatisfied = len(values) - 1 - len(satisfied)
    answer_weights: list[list[float]] = []
    for _ in unit_codes:
        level = rnd.uniform(0.55, 0.95)
        weights = [BLANK_SHARE]
        for value in values[1:]:
            if value in satisfied:
                weights.append((1 - BLANK_SHARE) * level / len(satisfied))
            else:
                weights.append((1 - BLANK_SHARE) * (1 - level) / max(unsatisfied, 1))
        answer_weights.append(list(itertools.accumulate(weights)))
    channel_cells = [c for c, _, _ in CHANNEL_CELLS]
    channel_weights = list(itertools.accumulate(w for _, _, w in CHANNEL_CELLS))
    questions = len(layout.questions)
    needed = layout.needed
    stats = Generated()
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(layout.headers)
        batch: list[list[str]] = []
        for number in range(1, responses + 1):
            unit = bisect.bisect_right(unit_weights, rnd.random() * total_weight)
            unit = min(unit, len(unit_codes) - 1)
            if rnd.random() < INVALID_SHARE:
                answered = set(rnd.sample(range(questions), rnd.randint(0, needed - 1)))
                answers = [
                    values[rnd.randint(1, len(values) - 1)] if q in answered else ""
                    for q in range(questions)
                ]
                stats.invalid += 1
            else:
                answers = rnd.choices(values, cum_weights=answer_weights[unit], k=questions)
            stats.blank_answers += answers.count("")
            row = [
                f"{UNIT_PREFIX}{number:07d}",
                unit_codes[unit],
                rnd.choice(DATES),
                rnd.choices(channel_cells, cum_weights=channel_weights)[0],
                *answers,
                *(
                    rnd.choice(choices) if rnd.random() < RESPONDENT_SHARE else ""
                    for _, choices in layout.respondent
                ),
                rnd.choice(COMMENTS) if rnd.random() < COMMENT_SHARE else "",
            ]
            batch.append(row)
            if len(batch) >= 10_000:
                writer.writerows(batch)
                batch.clear()
        writer.writerows(batch)
    stats.rows = responses
    stats.bytes = path.stat().st_size
    stats.seconds = time.perf_counter() - started
    return stats


def _copy_text(value: str) -> str:
    """A value for PostgreSQL's COPY text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def write_copy_file(
    source: Path,
    target: Path,
    *,
    layout: Layout,
    period_id: int,
    batch_id: int,
    unit_ids: dict[str, int],
    created_at: datetime.datetime,
) -> int:
    """Convert the CSV's rows into the columns of ``surveys_surveyresponse`` (in the order
    of :data:`parindex.surveys.imports._COLUMNS`), in COPY text format; rows written.
    Assumes the generator's own cells (no checking: this is the baseline)."""
    from parindex.surveys.imports import CHANNEL, COMMENT, DATE, KEY, UNIT

    channels = {cell: value for cell, value, _ in CHANNEL_CELLS}
    questions = layout.questions
    respondent = [code for code, _ in layout.respondent]
    created = created_at.isoformat()
    rows = 0
    with (
        source.open(encoding="utf-8-sig", newline="") as handle,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.reader(handle)
        header = next(reader)
        at = {name: i for i, name in enumerate(header)}
        q_at = [(code, at[code]) for code in questions]
        r_at = [(code, at[code]) for code in respondent]
        key, unit, date, channel, comment = (
            at[name] for name in (KEY, UNIT, DATE, CHANNEL, COMMENT)
        )
        lines: list[str] = []
        for row in reader:
            answers = {code: int(row[i]) if row[i] else None for code, i in q_at}
            who = {code: row[i] for code, i in r_at if row[i]}
            day, month, year = row[date].split("/")
            lines.append(
                "\t".join(
                    (
                        str(period_id),
                        str(unit_ids[row[unit]]),
                        "import",
                        channels[row[channel]],
                        _copy_text(row[key]),
                        str(batch_id),
                        _copy_text(json.dumps(answers, separators=(",", ":"))),
                        _copy_text(json.dumps(who, ensure_ascii=False, separators=(",", ":"))),
                        _copy_text(row[comment]),
                        f"{year}-{month}-{day}",
                        created,
                    )
                )
                + "\n"
            )
            rows += 1
            if len(lines) >= 10_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    return rows


# --------------------------------------------------------------------------- independent check


@dataclass(frozen=True)
class Expected:
    unit: str
    forms: int
    valid_forms: int
    points: Decimal | None


def expected_unit(rows: Iterable[dict[str, str]], unit: str, layout: Layout) -> Expected:
    """One unit's points from its CSV rows (dicts by header), computed here in plain Python
    with exact fractions from the questionnaire's rules, without the engine: a form is
    valid with at least ⌈share × questions⌉ answers; a factor's rate is the share of its
    answers (on valid forms) ≥ satisfied_at; the index is the weighted mean of the rates of
    the factors with answers; points = clamp(a × index + b, 0, max), rounded."""
    from parindex.surveys.imports import UNIT

    questions = layout.questions
    answered_per_factor = {code: 0 for code, _, _ in layout.factors}
    satisfied_per_factor = {code: 0 for code, _, _ in layout.factors}
    forms = valid = 0
    for row in rows:
        if row[UNIT].upper() != unit:
            continue
        forms += 1
        if sum(1 for q in questions if row[q]) < layout.needed:
            continue
        valid += 1
        for code, factor_questions, _ in layout.factors:
            for q in factor_questions:
                if row[q]:
                    answered_per_factor[code] += 1
                    satisfied_per_factor[code] += int(row[q]) >= layout.satisfied_at
    rates = [
        (Fraction(weight), Fraction(100 * satisfied_per_factor[code], answered_per_factor[code]))
        for code, _, weight in layout.factors
        if answered_per_factor[code] and weight > 0
    ]
    if not rates:
        return Expected(unit, forms, valid, None)
    index = sum(w * r for w, r in rates) / sum(w for w, _ in rates)
    slope = (
        Fraction(layout.slope) if layout.slope is not None else Fraction(layout.survey_max) / 100
    )
    ceiling = Fraction(layout.survey_max)
    points = min(max(slope * index + Fraction(layout.intercept), Fraction(0)), ceiling)
    scaled = points * 10**layout.rounding_places
    whole = (
        math.floor(scaled + Fraction(1, 2)) if layout.rounding_mode == "half_up" else int(scaled)
    )
    return Expected(unit, forms, valid, Decimal(whole).scaleb(-layout.rounding_places))


def read_rows(path: Path, units: set[str]) -> list[dict[str, str]]:
    """The CSV rows (dicts by header) of ``units``."""
    from parindex.surveys.imports import UNIT

    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [row for row in csv.DictReader(handle) if row[UNIT].upper() in units]


# --------------------------------------------------------------------------- measuring


def peak_rss_mib() -> float:
    """Peak resident memory of this process and its waited-for children (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _machine_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs since boot; None off Linux."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    except (OSError, ValueError, IndexError):
        return None
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _process_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) of another process of this machine; None if unknown."""
    if pid is None:
        return None
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # state is field 3: utime 14, stime 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    return int(row[0]) if row else None


@dataclass
class Phase:
    """Wall time of a measured step, the CPU this process and its PostgreSQL backend used
    meanwhile, and how busy the whole machine was (other people's work included)."""

    seconds: float = 0.0
    python_cpu: float = 0.0
    database_cpu: float | None = None
    machine_busy: float | None = None
    """Share of all CPUs busy, in %."""

    def describe(self) -> str:
        parts = [f"CPU Python {self.python_cpu:.1f} s"]
        if self.database_cpu is not None:
            parts.append(f"PostgreSQL {self.database_cpu:.1f} s")
        text = ", ".join(parts)
        if self.machine_busy is not None:
            text += f"; máy bận / machine busy {self.machine_busy:.0f} % ({os.cpu_count()} CPU)"
        return text


class _Clock:
    """``with _Clock() as phase:`` fills ``phase`` when the block ends."""

    def __init__(self) -> None:
        self.phase = Phase()
        self._pid = _backend_pid()

    def __enter__(self) -> Phase:
        self._db = _process_cpu(self._pid)
        self._machine = _machine_ticks()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self.phase

    def __exit__(self, *exc: object) -> None:
        self.phase.seconds = time.perf_counter() - self._wall
        self.phase.python_cpu = time.process_time() - self._cpu
        db = _process_cpu(self._pid)
        if db is not None and self._db is not None:
            self.phase.database_cpu = db - self._db
        machine = _machine_ticks()
        if machine is not None and self._machine is not None:
            busy, total = (a - b for a, b in zip(machine, self._machine, strict=True))
            self.phase.machine_busy = 100.0 * busy / max(total, 1)


@dataclass
class Report:
    responses: int
    units: int
    baseline: Phase | None = None
    baseline_bytes: int = 0
    imported: Phase = field(default_factory=Phase)
    computed: Phase = field(default_factory=Phase)
    peak_rss_mib: float = 0.0
    target_seconds: float = TARGET_SECONDS
    target_rss_mib: float = TARGET_RSS_MIB
    problems: list[str] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return self.imported.seconds + self.computed.seconds

    @property
    def fast_enough(self) -> bool:
        return self.total_seconds < self.target_seconds

    @property
    def small_enough(self) -> bool:
        return self.peak_rss_mib < self.target_rss_mib

    @property
    def passed(self) -> bool:
        return self.fast_enough and self.small_enough and not self.problems


def _verdict(ok: bool) -> str:
    return "ĐẠT / PASS" if ok else "KHÔNG ĐẠT / FAIL"


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "∞"


def copy_baseline(seeded: Seeded, csv_path: Path, work_dir: Path, out: Out) -> tuple[Phase, int]:
    """Time a plain COPY of the CSV's rows, converted beforehand, into the real table inside
    a transaction that is rolled back; then TRUNCATE the (still empty) table. PostgreSQL
    only. Returns the timing and the bytes copied."""
    from django.db import connection, transaction
    from django.utils import timezone

    from parindex.surveys.imports import _COLUMNS
    from parindex.surveys.models import ImportBatch, SurveyResponse

    if SurveyResponse.objects.exists():
        raise RuntimeError("surveys_surveyresponse phải trống / must be empty before the baseline")
    table = SurveyResponse._meta.db_table
    copy_path = work_dir / "responses.copy"
    clock = _Clock()
    with transaction.atomic():
        placeholder = ImportBatch.objects.create(
            period_id=seeded.period_id,
            file_name="baseline.copy",
            sha256="0" * 64,
            status=ImportBatch.Status.RUNNING,
        )
        started = time.perf_counter()
        rows = write_copy_file(
            csv_path,
            copy_path,
            layout=seeded.layout,
            period_id=seeded.period_id,
            batch_id=placeholder.pk,
            unit_ids=seeded.unit_ids,
            created_at=timezone.now(),
        )
        size = copy_path.stat().st_size
        out(
            f"chuẩn bị COPY / COPY file prepared: {rows:,} dòng, {size / 2**20:.1f} MiB "
            f"({time.perf_counter() - started:.1f} s, không tính / not timed)"
        )
        sql = f"COPY {table} ({', '.join(_COLUMNS)}) FROM STDIN"  # noqa: S608 (our names)
        with (
            connection.cursor() as cursor,
            copy_path.open("rb") as handle,
            clock,
            cursor.cursor.copy(sql) as copy,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {table}")  # only the rolled-back rows: the table was empty
    copy_path.unlink()
    return clock.phase, size


def measure(seeded: Seeded, csv_path: Path, work_dir: Path, out: Out) -> Report:
    """(a) the COPY baseline (PostgreSQL only), (b) the import, (c) the computation, then
    the verification; see the module docstring."""
    from django.db import connection

    from parindex.assessments.models import Assessment
    from parindex.periods.models import Period
    from parindex.surveys.imports import responses_import
    from parindex.surveys.models import ImportBatch, SurveyResponse, SurveyResult
    from parindex.surveys.scoring import survey_compute

    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        responses = sum(1 for _ in csv.reader(handle)) - 1
    report = Report(responses=responses, units=len(seeded.unit_codes))
    period = Period.objects.get(pk=seeded.period_id)

    if connection.vendor == "postgresql":
        report.baseline, report.baseline_bytes = copy_baseline(seeded, csv_path, work_dir, out)
        seconds = report.baseline.seconds
        out(
            f"(a) COPY thuần / plain COPY (giới hạn vật lý / physical limit; bảng thật với các "
            f"chỉ mục, ROLLBACK / real table with its indexes, rolled back): "
            f"{seconds:.2f} s — {_rate(responses, seconds)} dòng/s (rows/s), "
            f"{report.baseline_bytes / 2**20 / max(seconds, 1e-9):.1f} MiB/s; "
            f"{report.baseline.describe()}"
        )
    else:
        out("(a) COPY thuần / plain COPY: bỏ qua / skipped (không phải PostgreSQL)")

    data = csv_path.read_bytes()
    with _Clock() as report.imported:
        batch = responses_import(period=period, name=csv_path.name, data=data, actor=None)
    del data
    out(
        f"(b) nhập / import (responses_import: kiểm tra + ghi / check + write): "
        f"{report.imported.seconds:.2f} s — {_rate(responses, report.imported.seconds)} "
        f"dòng/s (rows/s); {report.imported.describe()}; peak RSS {peak_rss_mib():.0f} MiB"
    )
    if batch.status != ImportBatch.Status.DONE:
        report.problems.append(
            f"nhập bị từ chối / import refused: {'; '.join(map(str, batch.errors[:5]))}"
        )
        report.peak_rss_mib = peak_rss_mib()
        return report

    with _Clock() as report.computed:
        summary = survey_compute(period=period, actor=None)
    report.peak_rss_mib = peak_rss_mib()
    out(
        f"(c) tính điểm / survey_compute: {report.computed.seconds:.2f} s — "
        f"{_rate(summary.forms, report.computed.seconds)} phiếu/s (forms/s); "
        f"{report.computed.describe()}"
    )
    out(
        f"    {summary.surveyed:,} đơn vị / units, {summary.valid_forms:,}/{summary.forms:,} "
        f"phiếu hợp lệ / valid forms, {len(summary.too_few):,} đơn vị dưới / units under "
        f"{period.questionnaire.min_forms} phiếu hợp lệ / valid forms"
    )

    # Verification.
    stored = SurveyResponse.objects.filter(period=period).count()
    results = SurveyResult.objects.filter(period=period).count()
    if stored != responses or batch.stored != responses:
        report.problems.append(f"{stored:,} phiếu đã lưu / stored, cần / expected {responses:,}")
    if results != report.units:
        report.problems.append(f"{results:,} kết quả / results, cần / expected {report.units:,}")
    points_given = Assessment.objects.filter(period=period, survey_points__isnull=False).count()
    out(
        f"kiểm tra / checks: {stored:,} phiếu trong CSDL / forms stored, {results:,} kết quả "
        f"/ results, {points_given:,} phiếu chấm điểm có điểm khảo sát / assessments with "
        "survey points; tính lại độc lập từ CSV / recomputed from the CSV:"
    )
    report.problems.extend(spot_check(seeded, csv_path, period, out))
    return report


def spot_check(seeded: Seeded, csv_path: Path, period: Any, out: Out) -> list[str]:
    """Recompute a few units from their CSV rows (:func:`expected_unit`) and compare with
    the stored results and assessments: the busiest, the quietest and a seeded random one."""
    from parindex.assessments.models import Assessment
    from parindex.surveys.models import SurveyResult

    codes = {pk: code for code, pk in seeded.unit_ids.items()}
    ordered = list(
        SurveyResult.objects.filter(period=period, forms__gt=0)
        .order_by("-forms", "unit_id")
        .values_list("unit_id", flat=True)
    )
    if not ordered:
        return ["không đơn vị nào có phiếu / no unit has forms"]
    rnd = random.Random(len(ordered))  # noqa: S311 - a reproducible pick, not security
    picks = list(dict.fromkeys([ordered[0], ordered[-1], rnd.choice(ordered)]))[:SPOT_CHECKS]
    rows = read_rows(csv_path, {codes[pk] for pk in picks})
    problems: list[str] = []
    for pk in picks:
        expected = expected_unit(rows, codes[pk], seeded.layout)
        result = SurveyResult.objects.get(period=period, unit_id=pk)
        given = Assessment.objects.get(period=period, unit_id=pk).survey_points
        same = (
            (result.forms, result.valid_forms) == (expected.forms, expected.valid_forms)
            and result.points == expected.points
            and given == expected.points
        )
        out(
            f"  {codes[pk]}: {expected.forms} phiếu, {expected.valid_forms} hợp lệ; điểm tính "
            f"độc lập / recomputed {expected.points} — lưu / stored {result.points} "
            f"({result.valid_forms} hợp lệ), phiếu chấm / assessment {given}: "
            f"{'khớp / match' if same else 'KHÁC / MISMATCH'}"
        )
        if not same:
            problems.append(f"{codes[pk]}: điểm khác / points differ")
    return problems


def summary_lines(report: Report) -> list[str]:
    lines = [
        f"tổng / total (b)+(c): {report.total_seconds:.2f} s — mục tiêu / target "
        f"< {report.target_seconds:.0f} s: {_verdict(report.fast_enough)}",
        f"peak RSS: {report.peak_rss_mib:.0f} MiB — mục tiêu / target "
        f"< {report.target_rss_mib:.0f} MiB: {_verdict(report.small_enough)}",
    ]
    if report.baseline is not None and report.baseline.seconds > 0:
        lines.append(
            f"so với COPY thuần / vs plain COPY: nhập / import ×"
            f"{report.imported.seconds / report.baseline.seconds:.1f}"
        )
    lines.extend(f"LỖI / PROBLEM: {p}" for p in report.problems)
    lines.append(f"KẾT QUẢ / RESULT: {_verdict(report.passed)}")
    return lines


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
