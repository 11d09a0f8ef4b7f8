"""Organisation services: groups and units, duplicate codes, bulk creation, 2-level trees."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import (
    UnitSpec,
    unit_create,
    unit_group_create,
    units_bulk_create,
    units_delete,
)

pytestmark = pytest.mark.django_db


def test_unit_group_create_records_an_audit_event(manager: User) -> None:
    group = unit_group_create(
        code="ubnd-cap-huyen", name="UBND cấp huyện", level=Level.DISTRICT, actor=manager
    )
    assert group.search_name == "ubnd cap huyen"
    event = AuditEvent.objects.get(action="unit_group.created", target_id=str(group.pk))
    assert event.actor == manager
    assert event.target_id == str(group.pk)
    assert "UBND cấp huyện" in event.summary


def test_unit_group_duplicate_code_is_refused_in_vietnamese(departments_group: UnitGroup) -> None:
    with pytest.raises(ValidationError) as exc:
        unit_group_create(code="so-ban-nganh", name="Nhóm khác", level=Level.DEPARTMENT, actor=None)
    assert "Mã nhóm “so-ban-nganh” đã được dùng" in exc.value.message_dict["code"][0]
    assert UnitGroup.objects.count() == 1


def test_unit_create_duplicate_code_is_refused_and_nothing_is_written(
    so_noi_vu: Unit, manager: User
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as exc:
        unit_create(code="T-SNV", name="Sở Nội vụ (bản sao)", level=Level.DEPARTMENT, actor=manager)
    assert exc.value.message_dict["code"] == ["Mã đơn vị “T-SNV” đã được dùng cho đơn vị khác."]
    assert Unit.objects.filter(code="T-SNV").count() == 1
    assert AuditEvent.objects.count() == events


def test_unit_create_refuses_empty_name_and_bad_level(db: None) -> None:
    with pytest.raises(ValidationError) as exc:
        unit_create(code="X1", name="  ", level="planet", actor=None)
    assert "Cần nhập tên đơn vị." in exc.value.message_dict["name"]
    assert "level" in exc.value.message_dict


def test_two_level_layout_department_and_commune_without_district(
    province: Unit, departments_group: UnitGroup, communes_group: UnitGroup
) -> None:
    """From 2025 a province has sở and xã only: xã hang directly under the province."""
    so = unit_create(
        code="T-STP",
        name="Sở Tư pháp",
        level=Level.DEPARTMENT,
        parent=province,
        group=departments_group,
        actor=None,
    )
    xa = unit_create(
        code="T-XA-KIMBANG",
        name="UBND xã Kim Bảng",
        level=Level.COMMUNE,
        parent=province,
        group=communes_group,
        actor=None,
    )
    assert xa.ancestors() == [province]
    assert so.ancestors() == [province]
    assert set(province.children.values_list("code", flat=True)) == {"T-STP", "T-XA-KIMBANG"}
    assert not Unit.objects.filter(level=Level.DISTRICT).exists()
    assert list(Unit.objects.in_group(communes_group)) == [xa]


def test_units_bulk_create_links_parents_and_sets_search_names(
    province: Unit, communes_group: UnitGroup
) -> None:
    units = units_bulk_create(
        specs=[
            UnitSpec(
                code="T-TP-PHULY",
                name="UBND thành phố Phủ Lý",
                level=Level.DISTRICT,
                parent_code="T-HNA",
            ),
            UnitSpec(
                code="T-P-HAIBATRUNG",
                name="UBND phường Hai Bà Trưng",
                level=Level.COMMUNE,
                parent_code="T-TP-PHULY",
                group_code="ubnd-cap-xa",
            ),
            UnitSpec(
                code="T-X-DINHXA",
                name="UBND xã Đinh Xá",
                level=Level.COMMUNE,
                parent_code="T-TP-PHULY",
                group_code="ubnd-cap-xa",
            ),
        ],
        actor=None,
    )
    assert [u.code for u in units] == ["T-TP-PHULY", "T-P-HAIBATRUNG", "T-X-DINHXA"]
    ward = Unit.objects.get(code="T-P-HAIBATRUNG")
    assert ward.parent is not None
    assert ward.parent.code == "T-TP-PHULY"
    assert ward.parent.parent == province
    assert ward.group == communes_group
    assert ward.search_name == "ubnd phuong hai ba trung"
    assert AuditEvent.objects.filter(action="unit.bulk_created").count() == 1


def test_units_bulk_create_is_all_or_nothing(so_noi_vu: Unit) -> None:
    with pytest.raises(ValidationError) as exc:
        units_bulk_create(
            specs=[
                UnitSpec(code="T-NEW", name="Đơn vị mới", level=Level.DEPARTMENT),
                UnitSpec(code="T-SNV", name="Trùng mã", level=Level.DEPARTMENT),
                UnitSpec(code="T-CHILD", name="Con", level=Level.COMMUNE, parent_code="NOPE"),
                UnitSpec(code="T-G", name="Nhóm sai", level=Level.COMMUNE, group_code="khong-co"),
            ],
            actor=None,
        )
    text = " ".join(exc.value.messages)
    assert "Mã đơn vị “T-SNV” đã được dùng" in text
    assert "Đơn vị cấp trên “NOPE”" in text
    assert "Không có nhóm đơn vị mã “khong-co”" in text
    assert not Unit.objects.filter(code="T-NEW").exists()


def test_search_is_diacritic_insensitive(province: Unit) -> None:
    units_bulk_create(
        specs=[
            UnitSpec(
                code="T-TP-PHULY",
                name="UBND thành phố Phủ Lý",
                level=Level.DISTRICT,
                parent_code="T-HNA",
            ),
            UnitSpec(
                code="T-H-DONGLINH",
                name="UBND huyện Đông Lĩnh",
                level=Level.DISTRICT,
                parent_code="T-HNA",
            ),
        ],
        actor=None,
    )
    assert [u.code for u in Unit.objects.search("phu ly")] == ["T-TP-PHULY"]
    assert [u.code for u in Unit.objects.search("PHỦ LÝ")] == ["T-TP-PHULY"]
    assert [u.code for u in Unit.objects.search("dong linh")] == ["T-H-DONGLINH"]
    assert [u.code for u in Unit.objects.search("t-h-dong")] == ["T-H-DONGLINH"]
    assert not Unit.objects.search("cai cach").exists()


def test_units_delete_removes_children_before_parents(province: Unit, commune: Unit) -> None:
    assert units_delete(units=[province, commune], actor=None) == 2
    assert not Unit.objects.exists()
    assert AuditEvent.objects.filter(action="unit.bulk_deleted").count() == 1
