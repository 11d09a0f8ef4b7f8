"""A benchmark's province and its communes, created through the organisation services."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parindex.organizations.models import Unit, UnitGroup


def seed_communes(
    *, prefix: str, label: str, group_code: str, purpose: str, units: int, digits: int
) -> tuple[Unit, UnitGroup, list[Unit]]:
    """A benchmark's province ``{prefix}-T`` with ``units`` communes ``{prefix}-XA-0001``…
    in one commune group, through the services (call inside a transaction)."""
    from parindex.organizations.models import Level
    from parindex.organizations.services import (
        UnitSpec,
        unit_create,
        unit_group_create,
        units_bulk_create,
    )

    province = unit_create(
        code=f"{prefix}-T",
        name=f"Tỉnh {label} (dữ liệu {purpose})",
        level=Level.PROVINCE,
        actor=None,
    )
    group = unit_group_create(
        code=group_code, name=f"UBND cấp xã ({purpose})", level=Level.COMMUNE, actor=None
    )
    communes = units_bulk_create(
        specs=[
            UnitSpec(
                code=f"{prefix}-XA-{i:0{digits}d}",
                name=f"UBND xã {label} {i:0{digits}d}",
                level=Level.COMMUNE,
                parent_code=province.code,
                group_code=group.code,
                position=i,
            )
            for i in range(1, units + 1)
        ],
        actor=None,
        summary=f"Tạo {units} xã cho {purpose}",
    )
    return province, group, communes
