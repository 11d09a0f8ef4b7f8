"""Writes of the organisation tree: unit groups (nhóm xếp hạng) and units (đơn vị).

Every function is keyword-only, runs in one transaction and writes an audit event.
Validation problems raise :class:`django.core.exceptions.ValidationError` with Vietnamese
messages keyed by field, so a form can show them next to the right input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.text import fold
from parindex.organizations.models import Level, Unit, UnitGroup


@dataclass(frozen=True)
class UnitSpec:
    """One unit to create in bulk. ``parent_code`` names a unit that already exists or that
    comes earlier in the same batch; ``group_code`` an existing unit group."""

    code: str
    name: str
    level: str
    parent_code: str | None = None
    group_code: str | None = None
    short_name: str = ""
    has_procedures: bool = True
    position: int = 0


def _check_level(level: str, errors: dict[str, list[str]]) -> None:
    if level not in Level.values:
        errors.setdefault("level", []).append(f"Cấp {level!r} không hợp lệ.")


def _check_text(value: str, field: str, label: str, errors: dict[str, list[str]]) -> None:
    if not value or not value.strip():
        errors.setdefault(field, []).append(f"Cần nhập {label}.")


@transaction.atomic
def unit_group_create(
    *, code: str, name: str, level: str, position: int = 0, actor: User | None
) -> UnitGroup:
    """Create a ranking group. The code must be unused."""
    errors: dict[str, list[str]] = {}
    _check_text(code, "code", "mã nhóm", errors)
    _check_text(name, "name", "tên nhóm", errors)
    _check_level(level, errors)
    code = code.strip()
    if code and UnitGroup.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(f"Mã nhóm “{code}” đã được dùng cho nhóm khác.")
    if errors:
        raise ValidationError(errors)
    group = UnitGroup(code=code, name=name.strip(), level=level, position=position)
    group.full_clean(exclude=["search_name"])
    group.save()
    record(
        actor=actor,
        action="unit_group.created",
        target=group,
        summary=f"Tạo nhóm đơn vị {group.name}",
        after={"code": group.code, "name": group.name, "level": group.level},
    )
    return group


@transaction.atomic
def unit_create(
    *,
    code: str,
    name: str,
    level: str,
    parent: Unit | None = None,
    group: UnitGroup | None = None,
    short_name: str = "",
    has_procedures: bool = True,
    position: int = 0,
    actor: User | None,
) -> Unit:
    """Create a unit under ``parent`` (None for a province). The code must be unused."""
    errors: dict[str, list[str]] = {}
    _check_text(code, "code", "mã đơn vị", errors)
    _check_text(name, "name", "tên đơn vị", errors)
    _check_level(level, errors)
    code = code.strip()
    if code and Unit.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(f"Mã đơn vị “{code}” đã được dùng cho đơn vị khác.")
    if errors:
        raise ValidationError(errors)
    unit = Unit(
        code=code,
        name=name.strip(),
        short_name=short_name.strip(),
        level=level,
        parent=parent,
        group=group,
        has_procedures=has_procedures,
        position=position,
    )
    unit.full_clean(exclude=["search_name"])
    unit.save()
    record(
        actor=actor,
        action="unit.created",
        target=unit,
        summary=f"Tạo đơn vị {unit.name}",
        after=_unit_snapshot(unit),
    )
    return unit


@transaction.atomic
def units_bulk_create(
    *, specs: Sequence[UnitSpec], actor: User | None, summary: str = ""
) -> list[Unit]:
    """Create many units at once (imports, the demo), parents before children.

    All-or-nothing; one audit event for the batch, recorded on the first root unit (or the
    first unit). Parents are resolved by code among existing units and earlier specs.
    """
    codes = [spec.code.strip() for spec in specs]
    errors = _spec_errors(specs, codes)
    taken = set(Unit.objects.filter(code__in=codes).values_list("code", flat=True))
    errors.extend(f"Mã đơn vị “{code}” đã được dùng cho đơn vị khác." for code in sorted(taken))
    group_codes = {spec.group_code for spec in specs if spec.group_code}
    groups = {g.code: g for g in UnitGroup.objects.filter(code__in=group_codes)}
    errors.extend(
        f"Không có nhóm đơn vị mã “{code}”." for code in sorted(group_codes - groups.keys())
    )
    parent_codes = {spec.parent_code for spec in specs if spec.parent_code}
    existing = {u.code: u for u in Unit.objects.filter(code__in=parent_codes - set(codes))}
    errors.extend(_parent_errors(specs, codes, existing))
    if errors:
        raise ValidationError(errors)

    created = _create_by_depth(specs, existing, groups)
    units = [created[code] for code in codes]
    if units:
        record(
            actor=actor,
            action="unit.bulk_created",
            target=units[0],
            summary=summary or f"Tạo {len(units)} đơn vị",
            after={"count": len(units), "codes": codes[:50]},
        )
    return units


def _spec_errors(specs: Sequence[UnitSpec], codes: list[str]) -> list[str]:
    """Problems within the batch itself: missing or repeated codes, names, bad levels."""
    errors: list[str] = []
    seen: set[str] = set()
    for spec, code in zip(specs, codes, strict=True):
        if not code:
            errors.append(f"Thiếu mã đơn vị cho “{spec.name}”.")
        elif code in seen:
            errors.append(f"Mã đơn vị “{code}” bị lặp lại trong danh sách.")
        seen.add(code)
        if not spec.name.strip():
            errors.append(f"Thiếu tên cho đơn vị “{code}”.")
        if spec.level not in Level.values:
            errors.append(f"Cấp {spec.level!r} của đơn vị “{code}” không hợp lệ.")
    return errors


def _parent_errors(
    specs: Sequence[UnitSpec], codes: list[str], existing: dict[str, Unit]
) -> list[str]:
    """Parents that neither exist nor come earlier in the batch."""
    errors: list[str] = []
    position_of = {code: i for i, code in enumerate(codes)}
    for i, spec in enumerate(specs):
        if spec.parent_code is None:
            continue
        if spec.parent_code in existing:
            continue
        if position_of.get(spec.parent_code, len(codes)) >= i:
            errors.append(
                f"Đơn vị cấp trên “{spec.parent_code}” của “{spec.code}” không tồn tại "
                "(hoặc đứng sau trong danh sách)."
            )
    return errors


def _create_by_depth(
    specs: Sequence[UnitSpec], existing: dict[str, Unit], groups: dict[str, UnitGroup]
) -> dict[str, Unit]:
    """Create level by level (depth in the batch), so every parent has a primary key."""
    created: dict[str, Unit] = {}
    depth: dict[str, int] = {}
    for spec in specs:
        parent = spec.parent_code
        depth[spec.code] = 0 if parent is None or parent in existing else depth[parent] + 1
    for level in sorted(set(depth.values())):
        batch = [
            _unit_from_spec(spec, existing, created, groups)
            for spec in specs
            if depth[spec.code] == level
        ]
        for unit in Unit.objects.bulk_create(batch):
            created[unit.code] = unit
    return created


def _unit_from_spec(
    spec: UnitSpec,
    existing: dict[str, Unit],
    created: dict[str, Unit],
    groups: dict[str, UnitGroup],
) -> Unit:
    return Unit(
        code=spec.code.strip(),
        name=spec.name.strip(),
        short_name=spec.short_name.strip(),
        level=spec.level,
        parent=(
            None
            if spec.parent_code is None
            else existing.get(spec.parent_code) or created[spec.parent_code]
        ),
        group=groups[spec.group_code] if spec.group_code else None,
        has_procedures=spec.has_procedures,
        position=spec.position,
        search_name=fold(f"{spec.name} {spec.short_name}"),
    )


@transaction.atomic
def units_delete(*, units: Sequence[Unit], actor: User | None, summary: str = "") -> int:
    """Delete units (children before parents) and nothing else.

    Fails with :class:`django.db.models.ProtectedError` when something still refers to a
    unit (a period, a criteria set, a user, an assessment). Returns the number deleted.
    """
    if not units:
        return 0
    ids = {unit.pk for unit in units}
    parent_of = dict(Unit.objects.filter(pk__in=ids).values_list("pk", "parent_id"))

    def depth(pk: int) -> int:
        level, parent = 0, parent_of.get(pk)
        while parent in parent_of:
            level, parent = level + 1, parent_of.get(parent)
        return level

    by_depth: dict[int, list[int]] = {}
    for pk in parent_of:
        by_depth.setdefault(depth(pk), []).append(pk)
    record(
        actor=actor,
        action="unit.bulk_deleted",
        target=units[0],
        summary=summary or f"Xóa {len(parent_of)} đơn vị",
        before={"codes": sorted(u.code for u in units)[:50], "count": len(parent_of)},
    )
    for level in sorted(by_depth, reverse=True):
        Unit.objects.filter(pk__in=by_depth[level]).delete()
    return len(parent_of)


@transaction.atomic
def unit_groups_delete(*, groups: Sequence[UnitGroup], actor: User | None) -> int:
    """Delete unit groups no unit or period uses any more."""
    for group in groups:
        record(
            actor=actor,
            action="unit_group.deleted",
            target=group,
            summary=f"Xóa nhóm đơn vị {group.name}",
            before={"code": group.code, "name": group.name, "level": group.level},
        )
    deleted, _ = UnitGroup.objects.filter(pk__in=[g.pk for g in groups]).delete()
    return deleted


def _unit_snapshot(unit: Unit) -> dict[str, object]:
    return {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "level": unit.level,
        "parent": unit.parent.code if unit.parent else None,
        "group": unit.group.code if unit.group else None,
        "has_procedures": unit.has_procedures,
    }


UNIT_EDITABLE = (
    "code",
    "name",
    "short_name",
    "level",
    "parent",
    "group",
    "has_procedures",
    "is_active",
    "position",
)


@transaction.atomic
def unit_update(*, unit: Unit, actor: User | None, **changes: object) -> Unit:
    """Change a unit's fields (``UNIT_EDITABLE`` only). Refuses a parent that is the unit
    itself or one of its descendants, and a code used by another unit."""
    unknown = set(changes) - set(UNIT_EDITABLE)
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    before = Unit.objects.select_related("parent", "group").get(pk=unit.pk)
    for field, value in changes.items():
        setattr(unit, field, value)
    errors: dict[str, list[str]] = {}
    if Unit.objects.filter(code=unit.code).exclude(pk=unit.pk).exists():
        errors.setdefault("code", []).append(
            f"Mã đơn vị “{unit.code}” đã được dùng cho đơn vị khác."
        )
    ancestor = unit.parent
    while ancestor is not None:
        if ancestor.pk == unit.pk:
            errors.setdefault("parent", []).append(
                "Đơn vị cấp trên không được là chính đơn vị này hoặc đơn vị cấp dưới của nó."
            )
            break
        ancestor = ancestor.parent
    if errors:
        raise ValidationError(errors)
    unit.full_clean(exclude=["search_name"])
    unit.save()
    record(
        actor=actor,
        action="unit.updated",
        target=unit,
        summary=f"Sửa đơn vị {unit.name}",
        before=_unit_snapshot(before),
        after=_unit_snapshot(unit),
    )
    return unit


@transaction.atomic
def unit_group_update(*, group: UnitGroup, actor: User | None, **changes: object) -> UnitGroup:
    """Change a unit group's code, name, level or position."""
    unknown = set(changes) - {"code", "name", "level", "position"}
    if unknown:
        raise ValidationError(f"Không sửa được trường: {', '.join(sorted(unknown))}.")
    before = {"code": group.code, "name": group.name, "level": group.level}
    for field, value in changes.items():
        setattr(group, field, value)
    if UnitGroup.objects.filter(code=group.code).exclude(pk=group.pk).exists():
        raise ValidationError({"code": [f"Mã nhóm “{group.code}” đã được dùng cho nhóm khác."]})
    group.full_clean(exclude=["search_name"])
    group.save()
    record(
        actor=actor,
        action="unit_group.updated",
        target=group,
        summary=f"Sửa nhóm đơn vị {group.name}",
        before=before,
        after={"code": group.code, "name": group.name, "level": group.level},
    )
    return group
