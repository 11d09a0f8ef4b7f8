"""A small audit trail for the Nhật ký tests: two provinces, each with a period, and events
about its period, assessments, answers, units and criteria set, at known times.

* Hà Nam (the personas' province): the 2025 period, the commune's and the other commune's
  assessments, answers to 1.1 and 3.1 of the sample set (``criteria_set``).
* Ninh Bình: its own chair, period, unit and events; Hà Nam's council must not see them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Level, Unit
from parindex.periods.models import Period


@dataclass
class World:
    period: Period
    assessment: Assessment
    other_assessment: Assessment
    answer_11: Answer
    answer_31: Answer
    other_province: Unit
    other_chair: User
    other_period: Period
    other_province_unit: Unit
    events: dict[str, AuditEvent]


def at(day: int, hour: int = 9) -> datetime.datetime:
    """A local time in March 2025."""
    return datetime.datetime(2025, 3, day, hour, 0, tzinfo=timezone.get_current_timezone())


def _event(when: datetime.datetime, **kwargs: object) -> AuditEvent:
    found = record(**kwargs)  # type: ignore[arg-type]
    AuditEvent.objects.filter(pk=found.pk).update(at=when)
    found.refresh_from_db()
    return found


@pytest.fixture
def world(
    province: Unit,
    commune: Unit,
    other_commune: Unit,
    criteria_set: CriteriaSet,
    chair: User,
    unit_staff: User,
    other_staff: User,
    appraiser: User,
) -> World:
    AuditEvent.objects.all().delete()  # the fixtures' own (units, set): only ours below
    period = Period.objects.create(name="Chỉ số CCHC năm 2025", jurisdiction=province, year=2025)
    assessment = Assessment.objects.create(period=period, unit=commune)
    other_assessment = Assessment.objects.create(period=period, unit=other_commune)
    nodes = {n.code: n for n in criteria_set.nodes.all()}
    answer_11 = Answer.objects.create(assessment=assessment, node=nodes["1.1"])
    answer_31 = Answer.objects.create(assessment=other_assessment, node=nodes["3.1"])

    nbi = Unit.objects.create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE)
    nbi_snv = Unit.objects.create(
        code="NBI-SNV", name="Sở Nội vụ Ninh Bình", level=Level.DEPARTMENT, parent=nbi
    )
    nbi_commune = Unit.objects.create(
        code="NBI-XA", name="UBND xã Gia Vân", level=Level.COMMUNE, parent=nbi
    )
    other_chair = User.objects.create_user(
        username="chu.tich.nbi", full_name="Đinh Công Tráng", role=Role.CHAIR, unit=nbi_snv
    )
    other_period = Period.objects.create(
        name="Chỉ số CCHC Ninh Bình 2025", jurisdiction=nbi, year=2025
    )
    nbi_assessment = Assessment.objects.create(period=other_period, unit=nbi_commune)

    events = {
        "period": _event(
            at(1),
            actor=chair,
            action="period.created",
            target=period,
            summary="Tạo kỳ đánh giá Chỉ số CCHC năm 2025",
            after={"name": period.name, "year": 2025},
        ),
        "self": _event(
            at(3),
            actor=unit_staff,
            action="answer.self_saved",
            target=answer_11,
            summary="Tự đánh giá tiêu chí 1.1 (UBND xã Liêm Tuyền): Đạt",
            before=None,
            after={"value": True, "not_applicable": False, "explanation": "", "version": 1},
        ),
        "submitted": _event(
            at(4),
            actor=unit_staff,
            action="assessment.submitted",
            target=assessment,
            summary="Gửi hồ sơ tự đánh giá",
            before={"status": "in_progress", "submitted_at": None},
            after={"status": "submitted", "submitted_at": "2025-03-04T02:00:00+00:00"},
        ),
        "appraised": _event(
            at(10),
            actor=appraiser,
            action="answer.appraised",
            target=answer_11,
            summary="Thẩm định vòng 1 tiêu chí 1.1 của UBND xã Liêm Tuyền: 0 điểm",
            before={"appraised_value": None, "appraisal_comment": "", "points": "4", "version": 1},
            after={
                "appraised_value": False,
                "appraisal_comment": "Thiếu quyết định",
                "points": "0",
                "version": 2,
            },
        ),
        "other_commune": _event(
            at(11),
            actor=other_staff,
            action="answer.self_saved",
            target=answer_31,
            summary="Tự đánh giá tiêu chí 3.1 (UBND xã Thanh Sơn): 7/9",
            after={"value": {"numerator": "7", "denominator": "9"}},
        ),
        "unit": _event(
            at(12),
            actor=None,
            action="unit.updated",
            target=commune,
            summary="Sửa đơn vị UBND xã Liêm Tuyền",
            before={"name": "UBND xã Liem Tuyen"},
            after={"name": "UBND xã Liêm Tuyền"},
        ),
        "set": _event(
            at(13),
            actor=chair,
            action="criteria_set.updated",
            target=criteria_set,
            summary="Sửa bộ tiêu chí",
        ),
        "account": _event(
            at(14),
            actor=unit_staff,
            action="account.password_changed",
            target=unit_staff,
            summary="Đổi mật khẩu",
        ),
        "nbi_period": _event(
            at(5),
            actor=other_chair,
            action="period.created",
            target=other_period,
            summary="Tạo kỳ đánh giá Ninh Bình",
        ),
        "nbi_assessment": _event(
            at(6),
            actor=other_chair,
            action="assessment.locked",
            target=nbi_assessment,
            summary="Khoá hồ sơ Gia Vân",
        ),
        "nbi_unit": _event(
            at(7), actor=other_chair, action="unit.updated", target=nbi_commune, summary="Sửa"
        ),
    }
    return World(
        period=period,
        assessment=assessment,
        other_assessment=other_assessment,
        answer_11=answer_11,
        answer_31=answer_31,
        other_province=nbi,
        other_chair=other_chair,
        other_period=other_period,
        other_province_unit=nbi_commune,
        events=events,
    )


HA_NAM = ("period", "self", "submitted", "appraised", "other_commune", "unit", "set")
"""The events Hà Nam's council sees (not the account's, not Ninh Bình's)."""
