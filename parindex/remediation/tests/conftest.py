"""A finalised commune season for the remediation tests, built with the real services.

Tỉnh Hà Nam runs "Năm 2025" for its communes with a small set (1.1 boolean /2, 1.2
percent /4, 2.1 ratio /6, 2.2 deduction /4). The commune of ``unit_staff`` and
``unit_leader`` (tests/personas.py) answers every leaf and sends; the chair appraises in
round 1: 1.1 lowered to "no" (loses 2) and 2.2 to two files (loses 3), each with the
council's comment; 1.2 (90 %) keeps the unit's value and loses 0,4; 2.1 loses
nothing; then the period is
finalised. ``other_staff``'s commune answers only 1.1 and is finalised too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.services.self_assessment import answer_save, assessment_submit
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind
from parindex.periods.services import period_create
from parindex.season.finalise import period_finalise
from parindex.season.stages import period_open_self_assessment, period_start_appraisal
from parindex.teams.models import Section
from parindex.teams.services import section_create

COMMENT_11 = "Kế hoạch CCHC ban hành sau ngày 31/12 của năm trước."
COMMENT_22 = "Có 2 hồ sơ bị yêu cầu bổ sung quá một lần (sổ theo dõi tháng 5, tháng 9)."


def commune_document() -> dict[str, Any]:
    def node(code: str, name: str, max_: str, parent: str | None = None, **extra: Any) -> Any:
        item: dict[str, Any] = {"code": code, "name": name, "max": max_, **extra}
        if parent:
            item["parent"] = parent
        return item

    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí CCHC cấp xã (kiểm thử khắc phục)",
            "rounding": {"mode": "half_up", "places": 2},
            "nodes": [
                node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "6"),
                node("1.1", "Ban hành kế hoạch CCHC năm", "2", "1", rule={"type": "boolean"}),
                node("1.2", "Tỷ lệ hoàn thành kế hoạch CCHC", "4", "1", rule={"type": "percent"}),
                node("2", "Cải cách thủ tục hành chính", "10"),
                node(
                    "2.1",
                    "Tỷ lệ hồ sơ giải quyết đúng hạn",
                    "6",
                    "2",
                    rule={"type": "ratio", "floor": "0.5"},
                ),
                node(
                    "2.2",
                    "Hồ sơ bị yêu cầu bổ sung quá một lần",
                    "4",
                    "2",
                    rule={"type": "deduction", "per_item": "1.5"},
                ),
            ],
        },
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "70"}],
            "otherwise": "Trung bình",
        },
    }


def pdf_bytes(salt: bytes = b"") -> bytes:
    """A one-page PDF with a correct cross-reference table; ``salt`` makes it unique."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out = bytearray(b"%PDF-1.4\n%" + salt.replace(b"\n", b" ") + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf(name: str = "bien-ban.pdf", salt: bytes = b"") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, pdf_bytes(salt or name.encode()), content_type="application/pdf"
    )


@dataclass
class Season:
    period: Period
    criteria_set: CriteriaSet
    a: Assessment
    b: Assessment
    nodes: dict[str, CriterionNode]
    section: Section
    """"Văn phòng – Thống kê" of unit A, with ``unit_staff`` as its member."""

    def node(self, code: str) -> CriterionNode:
        return self.nodes[code]


def _save(assessment: Assessment, node: CriterionNode, actor: User, value: Any) -> Answer:
    return answer_save(
        assessment=assessment,
        node=node,
        actor=actor,
        version=0,
        value=value,
        explanation=f"Thuyết minh {node.code}",
    )


def _appraise(
    assessment: Assessment, node: CriterionNode, chair: User, value: Any, why: str
) -> None:
    answer = Answer.objects.select_related("node", "assessment__period").get(
        assessment=assessment, node=node
    )
    appraisal_save(answer=answer, actor=chair, version=answer.version, value=value, comment=why)


@pytest.fixture
def other_leader(other_unit: Unit) -> User:
    return User.objects.create_user(
        username="chu.tich.thanhson", full_name="Lý Văn Sơn", role=Role.UNIT_LEADER, unit=other_unit
    )


@pytest.fixture
def season(
    province: Unit,
    communes_group: UnitGroup,
    commune: Unit,
    other_commune: Unit,
    unit_staff: User,
    unit_leader: User,
    other_staff: User,
    other_leader: User,
    chair: User,
) -> Season:
    criteria_set = criteria_set_import_document(
        document=commune_document(),
        info=SetInfo(level=Level.COMMUNE, year=2025, jurisdiction=province),
        actor=None,
    )
    nodes = {n.code: n for n in CriterionNode.objects.filter(criteria_set=criteria_set)}
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC cấp xã năm 2025",
        groups={communes_group: criteria_set},
        actor=None,
    )
    period_open_self_assessment(
        period=period, actor=chair, deadline=timezone.now() + datetime.timedelta(days=7)
    )
    a = Assessment.objects.get(period=period, unit=commune)
    b = Assessment.objects.get(period=period, unit=other_commune)
    _save(a, nodes["1.1"], unit_staff, True)
    _save(a, nodes["1.2"], unit_staff, "90")
    _save(a, nodes["2.1"], unit_staff, {"numerator": "100", "denominator": "100"})
    _save(a, nodes["2.2"], unit_staff, "0")
    _save(b, nodes["1.1"], other_staff, True)
    assessment_submit(assessment=a, actor=unit_leader)
    assessment_submit(assessment=b, actor=other_leader)
    period_start_appraisal(period=period, actor=chair)
    _appraise(a, nodes["1.1"], chair, False, COMMENT_11)
    _appraise(a, nodes["2.2"], chair, "2", COMMENT_22)
    _appraise(b, nodes["1.1"], chair, False, "Chưa ban hành kế hoạch.")
    period_finalise(period=period, actor=chair)
    section = section_create(
        unit=commune, name="Văn phòng – Thống kê", members=[unit_staff], actor=unit_leader
    )
    period.refresh_from_db()
    a.refresh_from_db()
    b.refresh_from_db()
    return Season(period, criteria_set, a, b, nodes, section)
