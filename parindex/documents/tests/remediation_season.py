"""Seed 004's appendix as a season (fixtures and data, no tests): UBND xã Hiền Thành, "6
tháng đầu năm 2023", a commune set with the appendix's nodes (codes, names, max points)
and filler items so the set totals 100, rounding half-up to 2 places as Vĩnh Linh; the
unit's self-assessed and appraised values of the appendix, so that the totals are self
77,00 and appraised 69,82 (the points lost against the max: 30,18; between self and
appraised: 7,18 — the seed printed 7,82). Two other communes are ranked with it; the
previous period (năm 2022) has stored results to compare with.

The appraisal goes through the real services (appraisal_save, appraisal_accept_self),
the period is finalised (period_finalise) and its results computed and published.

Import the fixtures a module needs: ``hien_thanh_fixture`` (the fixture ``hien_thanh``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.appraisal import appraisal_accept_self, appraisal_save
from parindex.assessments.services.final_scores import FinalScores, final_scores_store_many
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.documents.kinds.remediation_common import deductions_sheet
from parindex.engine import Ratio
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import AppraiserAssignment, Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.results.models import ResultVersion
from parindex.results.services import Decision, results_compute, results_publish
from parindex.season.finalise import period_finalise
from parindex.season.stages import period_open_self_assessment, period_start_appraisal
from parindex.teams.models import Section

D = Decimal
RATIO_FLOOR = {"type": "ratio", "floor": "0.7"}
RATIO = {"type": "ratio"}
BOOLEAN = {"type": "boolean"}

# code, parent, name, max, rule
NODES: list[tuple[str, str | None, str, str, dict[str, str] | None]] = [
    ("1", None, "Công tác chỉ đạo, điều hành CCHC", "13", None),
    ("1.1", "1", "Kế hoạch CCHC", "4", None),
    ("1.1.1", "1.1", "Ban hành kế hoạch CCHC năm", "2", None),
    ("1.1.3", "1.1", "Mức độ thực hiện kế hoạch CCHC", "2", None),
    ("1.4", "1", "Công tác tuyên truyền CCHC", "3", None),
    ("1.4.1", "1.4", "Mức độ thực hiện kế hoạch tuyên truyền CCHC đã ban hành", "1", None),
    ("1.4.2", "1.4", "Mức độ đa dạng trong tuyên truyền CCHC", "2", None),
    ("1.5", "1", "Tổ chức thực hiện nhiệm vụ được giao", "5", None),
    ("1.5.1", "1.5", "Thực hiện các nhiệm vụ được UBND huyện, Chủ tịch UBND huyện giao", "2", None),
    (
        "1.5.3",
        "1.5",
        "Tổ chức thực hiện đánh giá chỉ số đã công bố và kết quả khắc phục tồn tại, hạn chế",
        "1",
        None,
    ),
    ("1.5.4", "1.5", "Sáng kiến trong triển khai công tác CCHC", "2", None),
    ("1.7", "1", "Đối thoại của Lãnh đạo UBND xã với người dân, doanh nghiệp", "1", None),
    ("2", None, "Cải cách thể chế", "10", None),
    ("3", None, "Cải cách thủ tục hành chính", "10", None),
    ("3.1", "3", "Kiểm soát thủ tục hành chính", "3", None),
    ("3.5", "3", "Công khai xin lỗi trong giải quyết TTHC", "1", None),
    (
        "3.5.2",
        "3.5",
        "Thực hiện nội dung Quy định công khai xin lỗi trong giải quyết TTHC gắn với Quy chế"
        " làm việc và Quy chế thi đua, khen thưởng",
        "1",
        None,
    ),
    ("3.11", "3", "Luân chuyển hồ sơ bằng phương thức điện tử", "1", None),
    (
        "3.11.1",
        "3.11",
        "Tỷ lệ hồ sơ giải quyết TTHC được luân chuyển trong nội bộ bằng phương thức điện tử",
        "1",
        RATIO_FLOOR,
    ),
    (
        "3.12",
        "3",
        "Thủ tục hành chính có yêu cầu nghĩa vụ tài chính được triển khai thanh toán trực tuyến",
        "2",
        None,
    ),
    ("3.12.1", "3.12", "Tỷ lệ TTHC có phát sinh giao dịch thanh toán trực tuyến", "1", None),
    ("3.12.2", "3.12", "Tỷ lệ hồ sơ thanh toán trực tuyến", "1", None),
    ("3.13", "3", "Cung cấp dịch vụ công trực tuyến", "3", None),
    ("3.13.1", "3.13", "Cung cấp đầy đủ dịch vụ công trực tuyến", "1", BOOLEAN),
    ("3.13.2", "3.13", "Tỷ lệ DVCTT có phát sinh hồ sơ trực tuyến", "1", RATIO),
    ("3.13.3", "3.13", "Tỷ lệ hồ sơ DVCTT", "1", RATIO),
    ("4", None, "Cải cách tổ chức bộ máy", "10", None),
    ("5", None, "Cải cách chế độ công vụ", "15", None),
    ("6", None, "Cải cách tài chính công", "10", None),
    ("7", None, "Xây dựng và phát triển chính quyền điện tử, chính quyền số", "32", None),
]


def ratio(numerator: int, denominator: int) -> dict[str, str]:
    return {"numerator": str(numerator), "denominator": str(denominator)}


# code → (self value, appraised value, council comment); seed 004's rows, then fillers.
VALUES: dict[str, tuple[Any, Any, str]] = {
    "1.1.1": ("2", "2", ""),
    "1.1.3": ("2", "1.4", "Cần xác định số nhiệm vụ phải hoàn thành trong 6 tháng."),
    "1.4.1": ("1", "0.5", "Chưa thống kê được đã hoàn thành bao nhiêu nhiệm vụ."),
    "1.4.2": ("2", "1", "Chưa có hình thức tuyên truyền mới."),
    "1.5.1": ("1", "1", "Đơn vị có 02 nhiệm vụ được giao hoàn thành chậm."),
    "1.5.3": ("1", "0.5", "Chưa có kết quả khắc phục trong 6 tháng đầu năm."),
    "1.5.4": ("0.5", "0.5", "Bổ sung Quyết định công nhận sáng kiến."),
    "1.7": ("0", "0", "Đề nghị tổ chức ít nhất 02 cuộc đối thoại."),
    "2": ("10", "10", ""),
    "3.1": ("3", "3", ""),
    "3.5.2": ("1", "0", "Đơn vị không cung cấp tài liệu kiểm chứng về công khai xin lỗi."),
    "3.11.1": (ratio(164, 739), ratio(164, 739), "b/a = 164/739 = 0,22 < 0,7 nên đạt 0 điểm."),
    "3.12.1": ("0", "0", "Đồng ý"),
    "3.12.2": ("0", "0", "Đồng ý"),
    "3.13.1": (True, True, ""),
    "3.13.2": (ratio(16, 16), ratio(11, 16), "b/a = 11/16 = 0,69."),
    "3.13.3": (ratio(637, 637), ratio(408, 637), "b/a = 408/637 = 0,64."),
    "4": ("8", "8", ""),
    "5": ("12.5", "12.5", ""),
    "6": ("10", "9", "Chưa ban hành quy chế chi tiêu nội bộ đúng hạn."),
    "7": ("20", "18.09", "Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng chưa đạt."),
}
SELF_TOTAL = D("77.00")
APPRAISED_TOTAL = D("69.82")
OTHERS: dict[str, dict[str, Any]] = {
    # two other communes: all at full points but a few fields
    "T-XA-VINHTU": {"4": "10", "5": "15", "6": "10", "7": "30", "2": "9"},
    "T-XA-VINHLAM": {"4": "5", "5": "10", "6": "5", "7": "20", "2": "5"},
}


def set_document() -> dict[str, Any]:
    nodes = []
    for code, parent, name, max_, rule in NODES:
        node: dict[str, Any] = {"code": code, "name": name, "max": max_}
        if parent is not None:
            node["parent"] = parent
        if rule is not None:
            node["rule"] = rule
        nodes.append(node)
    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí cấp xã (thử nghiệm theo phụ lục 6 tháng 2023)",
            "rounding": {"mode": "half_up", "places": 2},
            "nodes": nodes,
        },
        "classification": {
            "bands": [
                {"label": "Tốt", "min": "80"},
                {"label": "Khá", "min": "65"},
                {"label": "Trung bình", "min": "50"},
            ],
            "otherwise": "Yếu",
        },
        "ranking": {"ties": "shared"},
    }


def leaves() -> list[str]:
    parents = {parent for _c, parent, _n, _m, _r in NODES if parent is not None}
    return [code for code, *_rest in NODES if code not in parents]


def full_values(unit_values: dict[str, Any]) -> dict[str, Any]:
    """Every leaf at its max (stored value form), overridden by ``unit_values``."""
    found: dict[str, Any] = {}
    rules = {code: rule for code, _p, _n, _m, rule in NODES}
    maxima = {code: max_ for code, _p, _n, max_, _r in NODES}
    for code in leaves():
        rule = rules[code]
        if rule is BOOLEAN:
            found[code] = True
        elif rule is not None:
            found[code] = ratio(10, 10)
        else:
            found[code] = maxima[code]
    return {**found, **unit_values}


@dataclass
class HienThanh:
    criteria_set: CriteriaSet
    previous: Period
    period: Period
    unit: Unit
    others: list[Unit]
    assessment: Assessment
    chair: User
    appraiser: User
    leader: User
    version: ResultVersion

    def answer(self, code: str) -> Answer:
        return Answer.objects.select_related("node", "assessment__period").get(
            assessment=self.assessment, node__code=code
        )


def _fill(assessment: Assessment, criteria: CriteriaSet, values: dict[str, Any]) -> None:
    """The unit's own values, as the self-assessment pages would have stored them."""
    nodes = dict(CriterionNode.objects.filter(criteria_set=criteria).values_list("code", "id"))
    for code, value in values.items():
        Answer.objects.update_or_create(
            assessment=assessment,
            node_id=nodes[code],
            defaults={"self_value": value, "explanation": f"Thuyết minh {code}"},
        )


def _appraise(season: HienThanh) -> None:
    keep = []
    for code, (own, appraised, comment) in VALUES.items():
        answer = season.answer(code)
        if appraised == own and not comment:
            keep.append(answer)
            continue
        appraisal_save(
            answer=answer,
            actor=season.appraiser,
            version=answer.version,
            value=appraised,
            comment=comment,
        )
    appraisal_accept_self(answers=keep, actor=season.appraiser)


def _units(province: Unit, group: UnitGroup) -> list[Unit]:
    names = [
        ("T-XA-HIENTHANH", "UBND xã Hiền Thành"),
        ("T-XA-VINHTU", "UBND xã Vĩnh Tú"),
        ("T-XA-VINHLAM", "UBND xã Vĩnh Lâm"),
    ]
    return [
        unit_create(
            code=code,
            name=name,
            level=Level.COMMUNE,
            parent=province,
            group=group,
            position=i,
            actor=None,
        )
        for i, (code, name) in enumerate(names, start=1)
    ]


def _previous(province: Unit, group: UnitGroup, criteria: CriteriaSet, units: list[Unit]) -> Period:
    """Năm 2022 with stored results: Hiền Thành 60,64 (so 2023's 69,82 is 9,18 up)."""
    period = period_create(
        jurisdiction=province,
        year=2022,
        kind=PeriodKind.ANNUAL,
        name="Năm 2022",
        groups={group: criteria},
        actor=None,
    )
    lower = {"7": D("0"), "6": D("2.64")}
    entries = [
        FinalScores(unit=units[0], values={**_engine_full(), **lower}),
        FinalScores(unit=units[1], values=_engine_full()),
        FinalScores(unit=units[2], values={**_engine_full(), "7": D("0")}),
    ]
    final_scores_store_many(period=period, entries=entries, actor=None)
    period_set_status(period=period, status=PeriodStatus.FINALISED, actor=None)
    results_publish(
        version=results_compute(period=period, actor=None),
        decision=Decision("1299/QĐ-UBND", datetime.date(2022, 12, 29), "Trần Văn Hùng", "Chủ tịch"),
        actor=None,
    )
    return period


def _engine_full() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for code, value in full_values({}).items():
        if isinstance(value, dict):
            found[code] = Ratio(D(value["numerator"]), D(value["denominator"]))
        elif isinstance(value, bool):
            found[code] = value
        else:
            found[code] = D(value)
    return found


@pytest.fixture(name="hien_thanh")
def hien_thanh_fixture(province: Unit, communes_group: UnitGroup) -> HienThanh:
    """The 6-month period appraised, finalised, its results computed and published."""
    criteria = criteria_set_import_document(
        document=set_document(),
        info=SetInfo(level=Level.COMMUNE, year=2023, jurisdiction=province),
        actor=None,
    )
    units = _units(province, communes_group)
    council = unit_create(
        code="T-SNV-2", name="Sở Nội vụ", level=Level.DEPARTMENT, parent=province, actor=None
    )
    chair = User.objects.create_user(
        username="chu.tich.ht", full_name="Phạm Chủ Tịch", role=Role.CHAIR, unit=council
    )
    appraiser = User.objects.create_user(
        username="tham.dinh.ht", full_name="Lê Thẩm Định", role=Role.APPRAISER, unit=council
    )
    leader = User.objects.create_user(
        username="lanh.dao.ht", full_name="Lê Đức Kiên", role=Role.UNIT_LEADER, unit=units[0]
    )
    previous = _previous(province, communes_group, criteria, units)
    period = period_create(
        jurisdiction=province,
        year=2023,
        kind=PeriodKind.INTERIM,
        name="6 tháng đầu năm 2023",
        groups={communes_group: criteria},
        previous=previous,
        actor=chair,
    )
    period_open_self_assessment(
        period=period, actor=chair, deadline=timezone.now() + datetime.timedelta(days=10)
    )
    assignment = AppraiserAssignment.objects.create(
        period=period, appraiser=appraiser, node_codes=[]
    )
    assignment.units.set(units)
    assessments = {a.unit.code: a for a in Assessment.objects.filter(period=period)}
    own = full_values({k: v[0] for k, v in VALUES.items()})
    _fill(assessments[units[0].code], criteria, own)
    for unit in units[1:]:
        _fill(assessments[unit.code], criteria, full_values(OTHERS[unit.code]))
    Assessment.objects.filter(period=period).update(
        status=AssessmentStatus.SUBMITTED, submitted_at=timezone.now(), submitted_by=leader
    )
    period_start_appraisal(period=period, actor=chair)
    assessments = {a.unit.code: a for a in Assessment.objects.filter(period=period)}
    season = HienThanh(
        criteria,
        previous,
        period,
        units[0],
        units[1:],
        assessments[units[0].code],
        chair,
        appraiser,
        leader,
        version=None,  # type: ignore[arg-type]
    )
    _appraise(season)
    period_finalise(period=period, actor=chair)
    version = results_compute(period=period, actor=None)
    season.version = results_publish(
        version=version,
        decision=Decision("285/QĐ-UBND", datetime.date(2023, 8, 8), "Trần Văn Hùng", "Chủ tịch"),
        actor=None,
    )
    period.refresh_from_db()
    return season


# --------------------------------------------------------------------------- the tasks

OFFICER = "Nguyễn Văn Công"
SECTIONS = ["Văn phòng – Thống kê", "Tư pháp – Hộ tịch", "Văn hóa – Xã hội"]
# code, section (index in SECTIONS or None), with the officer, action, due date, status
TASKS: list[tuple[str, int | None, bool, str, datetime.date, str]] = [
    (
        "1.1.3",
        0,
        False,
        "Xác định số nhiệm vụ phải hoàn thành trong 6 tháng trên tổng số 30 nhiệm vụ",
        datetime.date(2023, 10, 31),
        TaskStatus.OPEN,
    ),
    (
        "1.1.3",
        0,
        True,
        "Theo dõi, đôn đốc thực hiện các nhiệm vụ chưa hoàn thành",
        datetime.date(2023, 10, 15),
        TaskStatus.IN_PROGRESS,
    ),
    ("1.4.2", 2, False, "Xây dựng nhiều tin bài về CCHC", datetime.date(2023, 9, 30), "open"),
    (
        "1.7",
        1,
        False,
        "Tham mưu tổ chức hai cuộc đối thoại giữa Chủ tịch với nhân dân",
        datetime.date(2023, 10, 20),
        TaskStatus.DONE,
    ),
    (
        "3.5.2",
        0,
        False,
        "Bổ sung, sửa đổi Quy chế làm việc gắn với quy định công khai xin lỗi",
        datetime.date(2023, 9, 30),
        TaskStatus.OPEN,
    ),
    (
        "3.13.2",
        None,
        True,
        "Hướng dẫn người dân nộp hồ sơ trực tuyến",
        datetime.date(2023, 10, 25),
        TaskStatus.OPEN,
    ),
    ("3.12", None, False, "Triển khai thanh toán trực tuyến", datetime.date(2023, 10, 1), "open"),
    ("6", 0, False, "Việc đã bỏ", datetime.date(2023, 12, 31), TaskStatus.DROPPED),
]


def with_tasks(season: HienThanh) -> list[RemediationTask]:
    """The unit's sections, one officer and :data:`TASKS`, through the ORM (the numbers
    snapshot from the engine's sheet, as the remediation service keeps them)."""
    sections = [
        Section.objects.create(unit=season.unit, name=name, position=i)
        for i, name in enumerate(SECTIONS, start=1)
    ]
    officer = User.objects.create_user(
        username="cong.chuc.ht", full_name=OFFICER, role=Role.UNIT_STAFF, unit=season.unit
    )
    sections[0].members.add(officer)
    rows = {row.node.code: row for row in deductions_sheet(season.period, season.unit).rows}
    nodes = dict(
        (n.code, n) for n in CriterionNode.objects.filter(criteria_set=season.criteria_set)
    )
    made = []
    for code, section, with_officer, action, due, status in TASKS:
        row = rows[code]
        made.append(
            RemediationTask.objects.create(
                period=season.period,
                unit=season.unit,
                node=nodes[code],
                node_code=code,
                max_points=row.max,
                self_points=row.self_points,
                appraised_points=row.points,
                points_lost=row.lost,
                council_comment=row.comment,
                action=action,
                section=sections[section] if section is not None else None,
                officer=officer if with_officer else None,
                due_date=due,
                status=status,
            )
        )
    return made
