"""Generating the synthetic CSV of survey forms (seeded: the same seed gives the same file)."""

from __future__ import annotations

import bisect
import csv
import datetime
import itertools
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from parindex.tools.bench.survey.world import UNIT_PREFIX, Layout

BLANK_SHARE = 0.05
INVALID_SHARE = 0.01
RESPONDENT_SHARE = 0.3
COMMENT_SHARE = 0.03

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
