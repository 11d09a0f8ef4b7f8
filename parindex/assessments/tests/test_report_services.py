"""The unit's Báo cáo tự đánh giá: saving (strips, audits the changed fields only), refusals
(too long, not the unit, after sending) and the council's list of proposals."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from parindex.accounts.models import User
from parindex.assessments.models import REPORT_SECTIONS, Assessment, SelfAssessmentReport
from parindex.assessments.selectors.report import (
    period_proposals,
    proposals_xlsx,
    self_assessment_report,
)
from parindex.assessments.services.report import (
    MAX_SECTION,
    REPORT_ACTION,
    self_assessment_report_save,
)
from parindex.assessments.services.self_assessment import assessment_submit
from parindex.audit.actions import ACTIONS
from parindex.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

# From seed 000 (Báo cáo tự đánh giá của xã Thanh Xá, 2023), with its diacritics restored.
PROPOSAL_312 = (
    "Tiêu chí thành phần 3.1.2 mức độ hoàn thành kế hoạch rà soát, đánh giá thủ tục hành "
    "chính: nên xây dựng thêm mức hoàn thành từ 70% đến dưới 100%: 0,5 điểm."
)
PROPOSAL_TRAINING = "Đề nghị cấp trên quan tâm hơn nữa đến công tác tập huấn, bồi dưỡng."


def save(assessment: Assessment, actor: User, **data: str) -> SelfAssessmentReport:
    return self_assessment_report_save(assessment=assessment, actor=actor, data=data)


def test_the_sections_are_the_models_text_fields_in_the_reports_order() -> None:
    fields = [name for name, _ in REPORT_SECTIONS]
    assert fields == ["implementation", "shortcomings", "causes", "solutions", "proposals"]
    for name, heading in REPORT_SECTIONS:
        assert SelfAssessmentReport._meta.get_field(name).get_internal_type() == "TextField"
        assert heading[0].isupper()
    assert dict(REPORT_SECTIONS)["proposals"].startswith("Kiến nghị, đề xuất")


def test_nothing_saved_yet_is_an_empty_unsaved_report(assessment: Assessment) -> None:
    report = self_assessment_report(assessment)
    assert report.pk is None
    assert report.assessment_id == assessment.pk
    assert all(getattr(report, name) == "" for name, _ in REPORT_SECTIONS)


def test_the_unit_saves_its_report_stripped_with_an_audit_event(
    assessment: Assessment, unit_staff: User
) -> None:
    report = save(
        assessment,
        unit_staff,
        implementation="  Tổng điểm tự đánh giá: 68,130 điểm/74 điểm, đạt 92%.\r\n",
        proposals=PROPOSAL_312,
        report_number=" 101/BC-UBND ",
        signer_title="CHỦ TỊCH",
        unknown="bỏ qua",
    )
    stored = self_assessment_report(assessment)
    assert stored.pk == report.pk
    assert stored.implementation == "Tổng điểm tự đánh giá: 68,130 điểm/74 điểm, đạt 92%."
    assert stored.report_number == "101/BC-UBND"
    assert stored.updated_by == unit_staff
    event = AuditEvent.objects.get(action=REPORT_ACTION)
    assert ACTIONS[REPORT_ACTION] == "Lưu báo cáo tự đánh giá"
    assert event.target_type == "assessments.assessment"
    assert event.target_id == str(assessment.pk)
    assert event.before is None
    assert event.after is not None
    assert set(event.after) == {"implementation", "proposals", "report_number", "signer_title"}
    assert "UBND xã Liêm Tuyền" in event.summary and "Số báo cáo" in event.summary


def test_a_second_save_records_only_what_changed(
    assessment: Assessment, unit_staff: User, unit_leader: User
) -> None:
    save(assessment, unit_staff, causes="Phần mềm một cửa thường xuyên bị lỗi.", proposals="A")
    save(assessment, unit_leader, causes="Phần mềm một cửa thường xuyên bị lỗi.", proposals="B")
    last = AuditEvent.objects.filter(action=REPORT_ACTION).order_by("-at", "-id").first()
    assert last is not None
    assert last.before == {"proposals": "A"} and last.after == {"proposals": "B"}
    # The same again: nothing to store, nothing to record; a field not given is kept.
    save(assessment, unit_leader, proposals="B")
    assert AuditEvent.objects.filter(action=REPORT_ACTION).count() == 2
    assert self_assessment_report(assessment).causes.startswith("Phần mềm một cửa")


def test_a_section_too_long_is_refused_naming_it_and_nothing_is_stored(
    assessment: Assessment, unit_staff: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        save(
            assessment,
            unit_staff,
            solutions="x" * (MAX_SECTION + 1),
            report_number="1" * 51,
            proposals="Hợp lệ",
        )
    problems = refused.value.message_dict
    assert set(problems) == {"solutions", "report_number"}
    assert (
        "Giải pháp, nhiệm vụ trọng tâm dài 20.001 ký tự, tối đa 20.000" in problems["solutions"][0]
    )
    assert not SelfAssessmentReport.objects.exists()
    assert not AuditEvent.objects.filter(action=REPORT_ACTION).exists()
    save(assessment, unit_staff, solutions="x" * MAX_SECTION)  # the limit itself is fine


def test_only_the_units_own_people_write_it(
    assessment: Assessment, other_staff: User, chair: User
) -> None:
    for person in (other_staff, chair):
        with pytest.raises(ValidationError, match="Chỉ cán bộ, lãnh đạo của đơn vị"):
            save(assessment, person, proposals="Không phải của tôi")
    assert not SelfAssessmentReport.objects.exists()


def test_after_sending_the_report_is_read_only(
    assessment: Assessment, unit_staff: User, unit_leader: User
) -> None:
    save(assessment, unit_staff, proposals=PROPOSAL_312)
    assessment_submit(assessment=assessment, actor=unit_leader)
    with pytest.raises(ValidationError, match="chỉ còn xem được: Hồ sơ tự đánh giá đã gửi lúc"):
        save(assessment, unit_leader, proposals="Sửa sau khi gửi")
    assert self_assessment_report(assessment).proposals == PROPOSAL_312


# --------------------------------------------------------------------------- the council's list


def test_the_list_has_the_periods_units_and_a_search_without_diacritics(
    assessment: Assessment,
    other_assessment: Assessment,
    unit_staff: User,
    other_staff: User,
) -> None:
    save(assessment, unit_staff, proposals=PROPOSAL_312)
    save(other_assessment, other_staff, proposals=PROPOSAL_TRAINING)
    found = period_proposals(assessment.period)
    assert [r.unit_name for r in found.rows] == ["UBND xã Liêm Tuyền", "UBND xã Thanh Sơn"]
    assert found.units == 2 and found.without == []
    assert found.rows[0].group_name == "UBND cấp xã"
    assert found.rows[0].updated_by == "Trần Thị Bình"
    assert [r.unit_name for r in period_proposals(assessment.period, "KE HOACH").rows] == [
        "UBND xã Liêm Tuyền"
    ]
    assert [r.text for r in period_proposals(assessment.period, "tap huan boi duong").rows] == [
        PROPOSAL_TRAINING
    ]
    assert [r.unit_name for r in period_proposals(assessment.period, "thanh son").rows] == [
        "UBND xã Thanh Sơn"
    ]
    assert period_proposals(assessment.period, "không có chữ này").rows == []


def test_units_without_proposals_are_named_apart(
    assessment: Assessment, other_assessment: Assessment, unit_staff: User
) -> None:
    save(assessment, unit_staff, causes="Chỉ có nguyên nhân, không có kiến nghị.")
    found = period_proposals(assessment.period)
    assert found.rows == []
    assert found.without == ["UBND xã Liêm Tuyền", "UBND xã Thanh Sơn"]


def test_the_xlsx_has_one_row_per_unit(
    assessment: Assessment, other_assessment: Assessment, unit_staff: User, other_staff: User
) -> None:
    save(assessment, unit_staff, proposals="=1+1 " + PROPOSAL_312)
    save(other_assessment, other_staff, proposals=PROPOSAL_TRAINING)
    sheet = openpyxl.load_workbook(io.BytesIO(proposals_xlsx(period_proposals(assessment.period))))[
        "Kiến nghị"
    ]
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert rows[0][:6] == (
        "STT",
        "Đơn vị",
        "Mã đơn vị",
        "Nhóm đơn vị",
        "Trạng thái hồ sơ",
        "Kiến nghị, đề xuất về nội dung và cách chấm điểm bộ tiêu chí",
    )
    assert rows[1][:6] == (
        1,
        "UBND xã Liêm Tuyền",
        "T-XA-LIEMTUYEN",
        "UBND cấp xã",
        "Chưa bắt đầu",
        "=1+1 " + PROPOSAL_312,  # text, never a formula
    )
    assert rows[2][1] == "UBND xã Thanh Sơn" and rows[2][5] == PROPOSAL_TRAINING
    assert len(rows) == 3
