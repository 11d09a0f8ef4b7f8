"""The timed steps of the survey import benchmark (the COPY baseline, the import, the
computation), the verification, and the report with its targets."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parindex.tools.bench.survey import Out
from parindex.tools.bench.survey.baseline import copy_baseline
from parindex.tools.bench.survey.check import spot_check
from parindex.tools.bench.survey.timing import Clock, Phase, peak_rss_mib
from parindex.tools.bench.survey.world import Seeded

TARGET_SECONDS = 45.0
TARGET_RSS_MIB = 1.5 * 1024
TARGET_COPY_RATIO = 2.0
"""The import at most this many times the plain COPY of the same rows."""
COMPARABLE_SECONDS = 1.0
"""A COPY shorter than this (a tiny run) is not compared with: fixed costs dominate."""


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
    def copy_ratio(self) -> float | None:
        """The import's time over the plain COPY's; None without a comparable COPY."""
        if self.baseline is None or self.baseline.seconds < COMPARABLE_SECONDS:
            return None
        return self.imported.seconds / self.baseline.seconds

    @property
    def close_to_copy(self) -> bool:
        ratio = self.copy_ratio
        return ratio is None or ratio <= TARGET_COPY_RATIO

    @property
    def small_enough(self) -> bool:
        return self.peak_rss_mib < self.target_rss_mib

    @property
    def passed(self) -> bool:
        return self.fast_enough and self.small_enough and self.close_to_copy and not self.problems


def _verdict(ok: bool) -> str:
    return "ĐẠT / PASS" if ok else "KHÔNG ĐẠT / FAIL"


def _rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}" if seconds > 0 else "∞"


def measure(seeded: Seeded, csv_path: Path, work_dir: Path, out: Out) -> Report:
    """(a) the COPY baseline (PostgreSQL only), (b) the import, (c) the computation, then
    the verification; see :mod:`parindex.tools.bench.survey_import`."""
    from django.db import connection

    from parindex.periods.models import Period
    from parindex.surveys.imports import responses_import
    from parindex.surveys.models import ImportBatch
    from parindex.surveys.scoring import survey_compute

    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        responses = sum(1 for _ in csv.reader(handle)) - 1
    report = Report(responses=responses, units=len(seeded.unit_codes))
    period = Period.objects.get(pk=seeded.period_id)

    if connection.vendor == "postgresql":
        _measure_baseline(report, seeded, csv_path, work_dir, out)
    else:
        out("(a) COPY thuần / plain COPY: bỏ qua / skipped (không phải PostgreSQL)")

    data = csv_path.read_bytes()
    with Clock() as report.imported:
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

    with Clock() as report.computed:
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
    _verify(report, batch, seeded, csv_path, period, out)
    return report


def _measure_baseline(
    report: Report, seeded: Seeded, csv_path: Path, work_dir: Path, out: Out
) -> None:
    """(a): the plain COPY, into ``report``."""
    report.baseline, report.baseline_bytes = copy_baseline(seeded, csv_path, work_dir, out)
    seconds = report.baseline.seconds
    out(
        f"(a) COPY thuần / plain COPY (giới hạn vật lý / physical limit; bảng thật với các "
        f"chỉ mục, ROLLBACK / real table with its indexes, rolled back): "
        f"{seconds:.2f} s — {_rate(report.responses, seconds)} dòng/s (rows/s), "
        f"{report.baseline_bytes / 2**20 / max(seconds, 1e-9):.1f} MiB/s; "
        f"{report.baseline.describe()}"
    )


def _verify(
    report: Report, batch: Any, seeded: Seeded, csv_path: Path, period: Any, out: Out
) -> None:
    """Every form stored, one result per surveyed unit, a few units recomputed."""
    from parindex.assessments.models import Assessment
    from parindex.surveys.models import SurveyResponse, SurveyResult

    responses = report.responses
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


def summary_lines(report: Report) -> list[str]:
    lines = [
        f"tổng / total (b)+(c): {report.total_seconds:.2f} s — mục tiêu / target "
        f"< {report.target_seconds:.0f} s: {_verdict(report.fast_enough)}",
        f"peak RSS: {report.peak_rss_mib:.0f} MiB — mục tiêu / target "
        f"< {report.target_rss_mib:.0f} MiB: {_verdict(report.small_enough)}",
    ]
    if (ratio := report.copy_ratio) is not None:
        lines.append(
            f"so với COPY thuần / vs plain COPY: nhập / import ×{ratio:.2f} — mục tiêu / "
            f"target ≤ ×{TARGET_COPY_RATIO:.0f}: {_verdict(report.close_to_copy)}"
        )
    lines.extend(f"LỖI / PROBLEM: {p}" for p in report.problems)
    lines.append(f"KẾT QUẢ / RESULT: {_verdict(report.passed)}")
    return lines
