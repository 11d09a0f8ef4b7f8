"""The demo season's satisfaction survey: the default questionnaire, a sample plan for every
unit (units without administrative procedures are not surveyed), forms collected on paper and
imported from a generated CSV through the real import, a few online forms, and the points
computed by the engine. Seeded: the same seed gives the same forms."""

# ruff: noqa: S311

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass

from parindex.accounts.models import User
from parindex.periods.models import Period
from parindex.surveys.import_template import CHANNEL, COMMENT, DATE, KEY, UNIT, template_headers
from parindex.surveys.imports import responses_import
from parindex.surveys.models import SamplePlan
from parindex.surveys.online import response_submit_online
from parindex.surveys.scoring import survey_compute
from parindex.surveys.selectors import question_codes
from parindex.surveys.services import questionnaire_create_default, sample_plans_ensure
from parindex.tools.demo.scores import quality

COMMENTS = (
    "Cán bộ hướng dẫn tận tình, dễ hiểu.",
    "Nên bố trí thêm chỗ ngồi chờ.",
    "Thời gian trả kết quả đúng hẹn.",
    "Mong niêm yết thủ tục rõ hơn trên cổng dịch vụ công.",
)
AGES = ("Dưới 25", "Từ 25 đến 39", "Từ 40 đến 59", "Từ 60 trở lên")
GENDERS = ("Nam", "Nữ")


@dataclass
class SurveySummary:
    surveyed: int = 0
    forms: int = 0
    too_few: int = 0


def survey_create(*, period: Period, seed: int, actor: User | None) -> SurveySummary:
    """Questionnaire, plans, imported and online forms, computed points for ``period``."""
    questionnaire = questionnaire_create_default(period=period, actor=actor)
    sample_plans_ensure(period=period, actor=actor)
    plans = list(
        SamplePlan.objects.filter(period=period, surveyed=True)
        .select_related("unit", "period")
        .order_by("unit__code")
    )
    codes = question_codes(questionnaire)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=template_headers(questionnaire))
    writer.writeheader()
    rng = random.Random(f"parindex-demo:{seed}:survey")
    for plan in plans:
        # Most units reach their 30 forms; a few are still short (flagged "chưa đủ phiếu").
        count = rng.randint(32, 55) if rng.random() > 0.1 else rng.randint(12, 25)
        level = quality(seed, plan.unit.code)
        for n in range(1, count + 1):
            row = {
                KEY: f"G-{plan.unit.code}-{n:03}",
                UNIT: plan.unit.code,
                DATE: f"{rng.randint(1, 28):02}/{rng.randint(9, 10):02}/{period.year}",
                CHANNEL: "Phỏng vấn trực tiếp",
                "TUOI": rng.choice(AGES),
                "GIOI_TINH": rng.choice(GENDERS),
                COMMENT: rng.choice(COMMENTS) if rng.random() < 0.15 else "",
            }
            for code in codes:
                if rng.random() < 0.04:
                    row[code] = ""  # not answered
                elif rng.random() < level + 0.05:
                    row[code] = str(rng.choice((4, 5, 5)))
                else:
                    row[code] = str(rng.choice((1, 2, 3, 3)))
            writer.writerow(row)
    batch = responses_import(
        period=period,
        name=f"phieu-giay-{period.year}.csv",
        data=out.getvalue().encode("utf-8"),
        actor=actor,
    )
    online = plans[: min(5, len(plans))]
    for plan in online:
        response_submit_online(
            plan=plan,
            answers={code: str(rng.choice((4, 5))) for code in codes},
            respondent={"KENH": "Trực tuyến"},
        )
    summary = survey_compute(period=period, actor=actor)
    return SurveySummary(
        surveyed=len(plans), forms=batch.stored + len(online), too_few=len(summary.too_few)
    )
