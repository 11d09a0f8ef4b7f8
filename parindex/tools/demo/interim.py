"""The demo's 6-month appraisal: "6 tháng đầu năm 2025" of huyện Vân Khê for its communes,
run to the end as a district's council runs it (as huyện Vĩnh Linh did in 2023).

* The district issues its own 6-month sheet: the province's 2025 commune set without the
  survey (a 6-month appraisal does not survey citizens), rounded half-up, and binds it to
  the communes (:func:`criteria_set_import_document`, :func:`period_create`).
* Each commune scores itself (:func:`answer_save` by its own people, values of
  :func:`~parindex.tools.demo.scores.unit_scores` a little optimistic) and sends it.
* The district's Phòng Nội vụ (the printed account ``noivu.huyen``, chair of its council)
  appraises every item: the values the appraisers find (the same generator without the
  optimism) where they differ, with the council's reason, the unit's own value otherwise;
  then finalises, computes and publishes the ranking (Thông báo …/TB-HĐTĐ).

Deterministic for a given seed; about a second for the district's communes.
"""

# Seeded, reproducible sample data, not security: the standard generator is what we want.
# ruff: noqa: S311

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from decimal import Decimal

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.services.appraisal import appraisal_accept_self, appraisal_save
from parindex.assessments.services.self_assessment import answer_save, assessment_submit
from parindex.criteria.models import CriteriaSet, CriterionNode, RoundingMode
from parindex.criteria.selectors import criteria_set_document, engine_criteria
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.engine.model import Ratio
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodGroup, PeriodKind
from parindex.periods.selectors import period_units
from parindex.periods.services import period_create
from parindex.results.models import ResultVersion
from parindex.results.services import Decision, results_compute, results_publish
from parindex.season.finalise import period_finalise
from parindex.season.stages import period_open_self_assessment, period_start_appraisal
from parindex.tools.demo import units_data
from parindex.tools.demo.scores import unit_scores
from parindex.tools.demo.season import (
    BASE_YEAR,
    OPTIMISM,
    SEASON_YEAR,
    _is_value,
    _unit_people,
    season_period,
)

INTERIM_DISTRICT_CODE = units_data.district_code("h", "Vân Khê")
INTERIM_CHAIR = "noivu.huyen"
"""The printed account of the district's Phòng Nội vụ (chair of its appraisal council)."""
INTERIM_NAME = f"6 tháng đầu năm {SEASON_YEAR}"
LOWERED_PER_UNIT = 12
"""Items the council lowers per commune at most (seed 004 lists 14 of about 100)."""
NOTICE = Decision(
    "285/TB-HĐTĐ",
    datetime.date(SEASON_YEAR, 8, 8),
    "Phạm Quốc Việt",
    "Chủ tịch Hội đồng thẩm định",
)

REASONS: dict[str, tuple[str, ...]] = {
    # What a council writes when it lowers an item, by field (the seeds' wording).
    "1": (
        "Đơn vị chưa xác định số nhiệm vụ cần hoàn thành trong 6 tháng trên tổng số nhiệm vụ "
        "của kế hoạch, nên chưa tính được mức độ thực hiện kế hoạch.",
        "Báo cáo chưa thể hiện kết quả khắc phục các tồn tại, hạn chế đã chỉ ra năm trước.",
        "Chưa có hình thức tuyên truyền mới (cuộc thi, tọa đàm, sân khấu hóa); chủ yếu đăng "
        "tin trên trang thông tin điện tử.",
    ),
    "2": (
        "Chưa cung cấp tài liệu kiểm chứng về theo dõi thi hành pháp luật trong 6 tháng.",
        "Văn bản triển khai chậm so với thời gian quy định.",
    ),
    "3": (
        "Tỷ lệ hồ sơ giải quyết TTHC được luân chuyển bằng phương thức điện tử thấp hơn số "
        "đơn vị báo cáo (theo số liệu Hệ thống một cửa điện tử).",
        "Đơn vị không cung cấp tài liệu kiểm chứng về công khai xin lỗi khi giải quyết hồ sơ "
        "trễ hạn.",
        "Tỷ lệ hồ sơ thanh toán trực tuyến theo số liệu Cổng dịch vụ công thấp hơn số tự chấm.",
    ),
    "": (
        "Tài liệu kiểm chứng chưa đầy đủ so với yêu cầu của tiêu chí.",
        "Số liệu tự chấm chưa khớp với số liệu của cơ quan chuyên môn.",
    ),
}


@dataclass
class InterimSummary:
    period: str = ""
    units: int = 0
    lowered: int = 0
    accepted: int = 0


def interim_period(province: Unit) -> Period | None:
    """The demo's 6-month period (of the demo's district), if built."""
    return Period.objects.filter(
        jurisdiction__code=INTERIM_DISTRICT_CODE,
        jurisdiction__parent=province,
        year=SEASON_YEAR,
        kind=PeriodKind.INTERIM,
    ).first()


def interim_create(*, province: Unit, seed: int, actor: User | None) -> InterimSummary:
    """Build and run the 6-month period (call inside a transaction, after the current
    season and the printed accounts exist)."""
    district = Unit.objects.get(code=INTERIM_DISTRICT_CODE, parent=province)
    chair = User.objects.get(username=INTERIM_CHAIR)
    annual = season_period(province)
    assert annual is not None, "the current season is built first"
    binding = PeriodGroup.objects.select_related("group", "criteria_set").get(
        period=annual, group__code=units_data.GROUP_COMMUNES[0]
    )
    sheet = _six_month_sheet(binding.criteria_set, district, actor)
    period = period_create(
        jurisdiction=district,
        year=SEASON_YEAR,
        kind=PeriodKind.INTERIM,
        name=INTERIM_NAME,
        groups={binding.group: sheet},
        actor=actor,
    )
    period_open_self_assessment(period=period, actor=actor)
    summary = InterimSummary(period=period.name, units=len(period_units(period)))
    _self_assess(period, binding.group, sheet, seed, actor)
    period_start_appraisal(period=period, actor=actor)
    summary.lowered, summary.accepted = _appraise(period, sheet, seed, chair)
    period_finalise(period=period, actor=chair)
    version: ResultVersion = results_compute(period=period, actor=chair)
    results_publish(version=version, decision=NOTICE, actor=chair)
    return summary


def _six_month_sheet(source: CriteriaSet, district: Unit, actor: User | None) -> CriteriaSet:
    """The district's 6-month sheet: the province's set without the survey, half-up."""
    document = criteria_set_document(source)
    document.pop("survey", None)
    document["criteria_set"].pop("metadata", None)
    document["criteria_set"]["rounding"] = {"mode": RoundingMode.HALF_UP, "places": 2}
    return criteria_set_import_document(
        document=document,
        info=SetInfo(
            level=Level.COMMUNE,
            year=SEASON_YEAR,
            jurisdiction=district,
            name=(
                f"Bộ tiêu chí đánh giá 6 tháng đầu năm {SEASON_YEAR} UBND cấp xã "
                f"{district.name.removeprefix('UBND ')} (dữ liệu mẫu)"
            ),
            period_label="6 tháng đầu năm",
            note=source.note,
            plan_criterion_code=source.plan_criterion_code,
        ),
        actor=actor,
    )


def _values(sheet: CriteriaSet, unit: Unit, seed: int, optimism: float) -> dict[str, object]:
    scores = unit_scores(
        engine_criteria(sheet),
        seed=seed,
        unit_code=unit.code,
        year=SEASON_YEAR,
        base_year=BASE_YEAR,
        survey=False,
        optimism=optimism,
    )
    return {code: value for code, value in scores.values.items() if _is_value(value)}


def _self_assess(
    period: Period, group: UnitGroup, sheet: CriteriaSet, seed: int, actor: User | None
) -> None:
    """Every commune saves every item (its own people) and sends its self-assessment."""
    assessments = list(
        Assessment.objects.filter(period=period).select_related("period", "unit").order_by("pk")
    )
    people, _ = _unit_people([a.unit for a in assessments], actor)
    leaves = list(
        CriterionNode.objects.filter(criteria_set=sheet, children__isnull=True).order_by(
            "position", "pk"
        )
    )
    for assessment in assessments:
        staff, leader = people[assessment.unit.pk]
        values = _values(sheet, assessment.unit, seed, OPTIMISM)
        for leaf in leaves:
            if leaf.code in values:
                answer_save(
                    assessment=assessment,
                    node=leaf,
                    actor=staff,
                    version=0,
                    value=values[leaf.code],
                )
        assessment_submit(assessment=assessment, actor=leader)


def _appraise(period: Period, sheet: CriteriaSet, seed: int, chair: User) -> tuple[int, int]:
    """The council's values where they differ from the unit's, with a reason; the unit's
    own value accepted on every other item. (items lowered, items accepted)"""
    lowered = 0
    for assessment in Assessment.objects.filter(period=period).select_related("unit"):
        found = _values(sheet, assessment.unit, seed, 0.0)
        rng = random.Random(f"parindex-demo:{seed}:interim:{assessment.unit.code}")
        answers = Answer.objects.filter(assessment=assessment).select_related("node")
        differing = [
            (answer, found[answer.node.code])
            for answer in answers.order_by("node__position", "pk")
            if answer.node.code in found and not _same(found[answer.node.code], answer.self_value)
        ]
        chosen = rng.sample(differing, min(LOWERED_PER_UNIT, len(differing)))
        for answer, value in sorted(chosen, key=lambda pair: pair[0].node.position):
            pool = REASONS.get(answer.node.code.split(".")[0], REASONS[""])
            appraisal_save(
                answer=answer,
                actor=chair,
                version=answer.version,
                value=value,
                comment=rng.choice(pool),
            )
            lowered += 1
    rest = Answer.objects.filter(assessment__period=period, appraisal_round=0)
    accepted = appraisal_accept_self(answers=list(rest), actor=chair)
    return lowered, accepted


def _same(value: object, stored: object) -> bool:
    """Whether the appraisers' value is the one the unit saved (as stored in JSON)."""
    if isinstance(value, Ratio):
        return isinstance(stored, dict) and (
            Decimal(str(stored.get("numerator"))),
            Decimal(str(stored.get("denominator"))),
        ) == (value.numerator, value.denominator)
    if isinstance(value, bool):
        return stored is value
    if isinstance(value, Decimal):
        try:
            return Decimal(str(stored)) == value
        except ArithmeticError:
            return False
    return False
