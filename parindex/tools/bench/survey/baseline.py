"""The baseline: the same rows converted beforehand into the table's columns and streamed
with a plain ``COPY`` into the real table (then rolled back), the physical limit of the import."""

from __future__ import annotations

import csv
import datetime
import json
import time
from pathlib import Path

from parindex.tools.bench.survey import Out
from parindex.tools.bench.survey.generate import CHANNEL_CELLS
from parindex.tools.bench.survey.timing import Clock, Phase
from parindex.tools.bench.survey.world import Layout, Seeded


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
    from parindex.surveys.import_template import CHANNEL, COMMENT, DATE, KEY, UNIT

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
    clock = Clock()
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
