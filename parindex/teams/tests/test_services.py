"""The writes of :mod:`parindex.teams.services`: who may make them, what they refuse (by
field, in Vietnamese, storing nothing) and their audit events."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parindex.accounts.models import Role, User
from parindex.assessments.tests.test_appraisal_support import Season, person
from parindex.audit.models import AuditEvent
from parindex.organizations.models import Level
from parindex.organizations.services import unit_create
from parindex.teams.models import ItemAssignment, Section
from parindex.teams.services import (
    item_assignment_delete,
    item_assignment_save,
    section_create,
    section_delete,
    section_update,
)

pytestmark = pytest.mark.django_db


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


# --------------------------------------------------------------------------- sections


def test_section_create_stores_the_section_and_its_audit(season: Season, officer: User) -> None:
    section = section_create(
        unit=season.unit_a,
        name="  Tư pháp –  Hộ tịch ",
        members=[officer],
        actor=season.unit_leader,
    )
    assert section.name == "Tư pháp – Hộ tịch"
    assert list(section.members.all()) == [officer]
    [event] = _events("section.created")
    assert event.actor == season.unit_leader
    assert event.after == {"name": "Tư pháp – Hộ tịch", "members": ["Đỗ Thị Hoa"]}


def test_sections_are_numbered_in_the_order_they_are_added(season: Season) -> None:
    first = section_create(unit=season.unit_a, name="Văn phòng", actor=None)
    second = section_create(unit=season.unit_a, name="Tư pháp", actor=None)
    assert (first.position, second.position) == (0, 1)


def test_a_name_is_unique_in_the_unit_whatever_the_diacritics(
    season: Season, office: Section
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        section_create(unit=season.unit_a, name="van phong – THONG KE", actor=season.unit_leader)
    assert _errors(excinfo) == {"name": ["Đơn vị đã có bộ phận “van phong – THONG KE”."]}
    # Another unit may use the same name.
    section_create(unit=season.unit_b, name="Văn phòng – Thống kê", actor=None)


def test_a_blank_or_long_name_is_refused(season: Season) -> None:
    with pytest.raises(ValidationError) as excinfo:
        section_create(unit=season.unit_a, name="   ", actor=None)
    assert _errors(excinfo) == {"name": ["Cần nhập tên bộ phận."]}
    with pytest.raises(ValidationError) as excinfo:
        section_create(unit=season.unit_a, name="x" * 201, actor=None)
    assert _errors(excinfo) == {"name": ["Tên bộ phận dài 201 ký tự, tối đa 200."]}


def test_members_must_work_in_the_unit_and_nothing_is_stored_otherwise(season: Season) -> None:
    outsider = season.other_staff
    council = season.chair
    gone = person("nghi.huu", Role.UNIT_STAFF, season.unit_a, full_name="Ngô Văn Cũ")
    gone.is_active = False
    gone.save()
    with pytest.raises(ValidationError) as excinfo:
        section_create(
            unit=season.unit_a,
            name="Văn phòng",
            members=[season.unit_staff, outsider, council, gone],
            actor=season.unit_leader,
        )
    assert _errors(excinfo) == {
        "members": [
            "can.bo.b không phải cán bộ, công chức đang làm việc tại Sở Tư pháp.",
            "Phạm Chủ Tịch không phải cán bộ, công chức đang làm việc tại Sở Tư pháp.",
            "Ngô Văn Cũ không phải cán bộ, công chức đang làm việc tại Sở Tư pháp.",
        ]
    }
    assert not Section.objects.exists()
    assert not _events("section.created")


@pytest.mark.parametrize("who", ["unit_staff", "other_staff", "chair"])
def test_only_the_unit_leader_writes(season: Season, who: str) -> None:
    actor = getattr(season, who)
    with pytest.raises(PermissionDenied):
        section_create(unit=season.unit_a, name="Văn phòng", actor=actor)
    assert not Section.objects.exists()


def test_another_units_leader_is_refused(season: Season, office: Section) -> None:
    leader_b = person("lanh.dao.b", Role.UNIT_LEADER, season.unit_b)
    with pytest.raises(PermissionDenied):
        section_update(section=office, name="Khác", members=[], actor=leader_b)
    with pytest.raises(PermissionDenied):
        section_delete(section=office, actor=leader_b)
    office.refresh_from_db()
    assert office.name == "Văn phòng – Thống kê"


def test_section_update_renames_and_sets_the_members(
    season: Season, office: Section, officer: User
) -> None:
    section_update(
        section=office, name="Văn phòng", members=[season.unit_staff], actor=season.unit_leader
    )
    office.refresh_from_db()
    assert office.name == "Văn phòng" and office.search_name == "van phong"
    assert list(office.members.all()) == [season.unit_staff]
    [event] = _events("section.changed")
    assert event.before == {"name": "Văn phòng – Thống kê", "members": ["Đỗ Thị Hoa"]}
    assert event.after == {"name": "Văn phòng", "members": ["can.bo.a"]}


def test_section_update_is_all_or_nothing(season: Season, office: Section, officer: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        section_update(
            section=office,
            name="Văn phòng",
            members=[officer, season.other_staff],
            actor=season.unit_leader,
        )
    assert list(_errors(excinfo)) == ["members"]
    office.refresh_from_db()
    assert office.name == "Văn phòng – Thống kê"
    assert list(office.members.all()) == [officer]
    assert not _events("section.changed")


def test_section_update_without_a_change_writes_no_event(
    season: Season, office: Section, officer: User
) -> None:
    section_update(section=office, name=office.name, members=[officer], actor=season.unit_leader)
    assert not _events("section.changed")


def test_section_update_keeps_its_own_name(season: Season, office: Section) -> None:
    section_update(section=office, name="VĂN PHÒNG – THỐNG KÊ", members=[], actor=None)
    office.refresh_from_db()
    assert office.name == "VĂN PHÒNG – THỐNG KÊ"


def test_deleting_a_section_drops_what_was_given_to_it_alone(
    season: Season, office: Section, officer: User
) -> None:
    alone = item_assignment_save(
        unit=season.unit_a, node_code="1", officer=None, section=office, actor=None
    )
    shared = item_assignment_save(
        unit=season.unit_a, node_code="2", officer=officer, section=office, actor=None
    )
    section_delete(section=office, actor=season.unit_leader)
    assert not Section.objects.exists()
    assert not ItemAssignment.objects.filter(pk=alone.pk).exists()
    shared.refresh_from_db()
    assert shared.officer == officer and shared.section is None
    assert [e.target_id for e in _events("item_assignment.deleted")] == [str(alone.pk)]
    [event] = _events("section.deleted")
    assert event.before == {"name": "Văn phòng – Thống kê", "members": ["Đỗ Thị Hoa"]}


# --------------------------------------------------------------------------- assignments


def test_item_assignment_save_creates_then_replaces(
    season: Season, office: Section, officer: User
) -> None:
    first = item_assignment_save(
        unit=season.unit_a,
        node_code=" 1 ",
        officer=season.unit_staff,
        section=None,
        note="Kế hoạch CCHC",
        actor=season.unit_leader,
    )
    assert first.node_code == "1" and first.assigned_by == season.unit_leader
    second = item_assignment_save(
        unit=season.unit_a,
        node_code="1",
        officer=officer,
        section=office,
        actor=season.unit_leader,
    )
    assert second.pk == first.pk
    assert ItemAssignment.objects.count() == 1
    saved = _events("item_assignment.saved")
    assert len(saved) == 2 and saved[0].before is None
    assert saved[1].before == {
        "node_code": "1",
        "officer": "can.bo.a",
        "section": "",
        "note": "Kế hoạch CCHC",
    }
    assert saved[1].after == {
        "node_code": "1",
        "officer": "Đỗ Thị Hoa",
        "section": "Văn phòng – Thống kê",
        "note": "",
    }
    assert "Đỗ Thị Hoa – Văn phòng – Thống kê" in saved[1].summary


def test_saving_the_same_assignment_twice_writes_one_event(season: Season) -> None:
    for _ in range(2):
        item_assignment_save(
            unit=season.unit_a, node_code="3.1", officer=season.unit_staff, section=None, actor=None
        )
    assert len(_events("item_assignment.saved")) == 1


def test_a_code_must_be_a_field_or_criterion_of_the_units_set(season: Season) -> None:
    with pytest.raises(ValidationError) as excinfo:
        item_assignment_save(
            unit=season.unit_a, node_code="9.9", officer=season.unit_staff, section=None, actor=None
        )
    assert _errors(excinfo) == {
        "node_code": [f"Mã “9.9” không phải lĩnh vực hoặc tiêu chí của {season.criteria_set.name}."]
    }
    assert not ItemAssignment.objects.exists()


def test_a_unit_without_a_period_has_nothing_to_give(season: Season) -> None:
    lone = unit_create(
        code="T-SXD", name="Sở Xây dựng", level=Level.DEPARTMENT, parent=None, actor=None
    )
    leader = person("lanh.dao.xd", Role.UNIT_LEADER, lone)
    with pytest.raises(ValidationError) as excinfo:
        item_assignment_save(unit=lone, node_code="1", officer=leader, section=None, actor=leader)
    assert _errors(excinfo)["node_code"] == [
        "Sở Xây dựng chưa có bộ tiêu chí: chưa có kỳ đánh giá nào chấm điểm đơn vị."
    ]


def test_the_officer_and_section_must_be_the_units(season: Season) -> None:
    other_section = section_create(unit=season.unit_b, name="Văn phòng Sở", actor=None)
    with pytest.raises(ValidationError) as excinfo:
        item_assignment_save(
            unit=season.unit_a,
            node_code="1",
            officer=season.other_staff,
            section=other_section,
            note="x" * 301,
            actor=season.unit_leader,
        )
    assert _errors(excinfo) == {
        "officer": ["can.bo.b không phải cán bộ, công chức đang làm việc tại Sở Tư pháp."],
        "section": ["Bộ phận “Văn phòng Sở” không thuộc Sở Tư pháp."],
        "note": ["Ghi chú dài 301 ký tự, tối đa 300."],
    }
    assert not ItemAssignment.objects.exists()
    assert not _events("item_assignment.saved")


def test_an_assignment_names_someone(season: Season) -> None:
    with pytest.raises(ValidationError) as excinfo:
        item_assignment_save(
            unit=season.unit_a, node_code="1", officer=None, section=None, actor=None
        )
    assert _errors(excinfo) == {"officer": ["Chọn cán bộ phụ trách hoặc bộ phận phụ trách."]}


def test_staff_may_not_assign(season: Season) -> None:
    with pytest.raises(PermissionDenied):
        item_assignment_save(
            unit=season.unit_a,
            node_code="1",
            officer=season.unit_staff,
            section=None,
            actor=season.unit_staff,
        )
    assert not ItemAssignment.objects.exists()


def test_item_assignment_delete(season: Season) -> None:
    assignment = item_assignment_save(
        unit=season.unit_a, node_code="7", officer=season.unit_staff, section=None, actor=None
    )
    with pytest.raises(PermissionDenied):
        item_assignment_delete(assignment=assignment, actor=season.unit_staff)
    item_assignment_delete(assignment=assignment, actor=season.unit_leader)
    assert not ItemAssignment.objects.exists()
    [event] = _events("item_assignment.deleted")
    assert event.before is not None and event.before["officer"] == "can.bo.a"


def test_deleting_an_account_removes_the_items_given_to_it_alone(
    season: Season, officer: User, office: Section
) -> None:
    leader = season.unit_leader
    item_assignment_save(
        unit=season.unit_a, node_code="1", officer=officer, section=None, actor=leader
    )
    item_assignment_save(
        unit=season.unit_a, node_code="2", officer=officer, section=office, actor=leader
    )
    officer.delete()
    rows: list[tuple[str, int | None, int | None]] = list(
        ItemAssignment.objects.values_list("node_code", "officer", "section")
    )
    assert rows == [("2", None, office.pk)]
    [event] = _events("item_assignment.deleted")
    assert event.before == {"node_code": "1", "officer": "cong.chuc.a"}
