"""Every write of the division of work inside a unit: its sections (bộ phận) and which
officer or section answers for which field or criterion (phân công nội dung).

Each function is keyword-only, checks that the actor leads the unit (None is the system),
validates everything before it writes (a refusal stores nothing), runs in one transaction
and writes its audit event. Refusals are :class:`ValidationError` with Vietnamese messages
keyed by field, so a form shows each next to its input."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.text import fold
from parindex.organizations.models import Unit
from parindex.periods.permissions import UNIT_ROLES
from parindex.teams.models import ItemAssignment, Section
from parindex.teams.permissions import require_leader
from parindex.teams.selectors import assignable_codes

NAME_MAX = 200
NOTE_MAX = 300

Errors = dict[str, list[str]]


def _person(user: User) -> str:
    return user.full_name or user.username


def _check_people(unit: Unit, people: Sequence[User], field: str, errors: Errors) -> None:
    for user in people:
        if not user.is_active or user.role not in UNIT_ROLES or user.unit_id != unit.pk:
            errors.setdefault(field, []).append(
                f"{_person(user)} không phải cán bộ, công chức đang làm việc tại {unit.name}."
            )


def _check_name(unit: Unit, name: str, errors: Errors, *, section: Section | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        errors.setdefault("name", []).append("Cần nhập tên bộ phận.")
    elif len(name) > NAME_MAX:
        errors.setdefault("name", []).append(
            f"Tên bộ phận dài {len(name)} ký tự, tối đa {NAME_MAX}."
        )
    else:
        # Compared without diacritics or case: "Van phong" and "Văn phòng" are one section.
        same = Section.objects.filter(unit=unit, search_name=fold(name))
        if section is not None:
            same = same.exclude(pk=section.pk)
        if same.exists():
            errors.setdefault("name", []).append(f"Đơn vị đã có bộ phận “{name}”.")
    return name


def _member_names(members: Sequence[User]) -> list[str]:
    return sorted(_person(user) for user in members)


@transaction.atomic
def section_create(
    *, unit: Unit, name: str, members: Sequence[User] = (), actor: User | None
) -> Section:
    """Add a section to ``unit`` (last in order): a name unused in the unit, members who
    work in it."""
    require_leader(actor, unit)
    errors: Errors = {}
    name = _check_name(unit, name, errors)
    _check_people(unit, members, "members", errors)
    if errors:
        raise ValidationError(errors)
    last = Section.objects.filter(unit=unit).order_by("-position").first()
    section = Section.objects.create(
        unit=unit, name=name, position=(last.position + 1) if last else 0
    )
    section.members.set(members)
    record(
        actor=actor,
        action="section.created",
        target=section,
        summary=f"Thêm bộ phận {name} của {unit.name}",
        after={"name": name, "members": _member_names(members)},
    )
    return section


@transaction.atomic
def section_update(
    *, section: Section, name: str, members: Sequence[User], actor: User | None
) -> Section:
    """Rename ``section`` and set its members (all of them: who is not listed leaves)."""
    section = (
        Section.objects.select_for_update(of=("self",)).select_related("unit").get(pk=section.pk)
    )
    unit = section.unit
    require_leader(actor, unit)
    errors: Errors = {}
    name = _check_name(unit, name, errors, section=section)
    _check_people(unit, members, "members", errors)
    if errors:
        raise ValidationError(errors)
    before = {"name": section.name, "members": _member_names(list(section.members.all()))}
    after = {"name": name, "members": _member_names(members)}
    if before == after:
        return section
    section.name = name
    section.save(update_fields=["name", "search_name"])
    section.members.set(members)
    record(
        actor=actor,
        action="section.changed",
        target=section,
        summary=f"Sửa bộ phận {name} của {unit.name}",
        before=before,
        after=after,
    )
    return section


@transaction.atomic
def section_delete(*, section: Section, actor: User | None) -> None:
    """Delete ``section``. The items given to it alone are no longer given to anyone (each
    audited); where an officer was named too, the officer keeps them."""
    section = (
        Section.objects.select_for_update(of=("self",)).select_related("unit").get(pk=section.pk)
    )
    unit = section.unit
    require_leader(actor, unit)
    # The row's "officer or section" constraint: an assignment left with neither goes;
    # one with an officer too stays theirs (recorded, not a silent SET_NULL).
    given = ItemAssignment.objects.filter(section=section).select_related("officer", "section")
    for assignment in given:
        if assignment.officer is None:
            _delete_assignment(assignment, actor, reason=f"bộ phận {section.name} bị xoá")
            continue
        before = _assignment_state(assignment)
        assignment.section = None
        assignment.save(update_fields=["section", "assigned_at"])
        record(
            actor=actor,
            action="item_assignment.saved",
            target=assignment,
            summary=f"Nội dung {assignment.node_code}: bộ phận {section.name} bị xoá, "
            f"còn {_person(assignment.officer)} phụ trách",
            before=before,
            after=_assignment_state(assignment),
        )
    record(
        actor=actor,
        action="section.deleted",
        target=section,
        summary=f"Xoá bộ phận {section.name} của {unit.name}",
        before={
            "name": section.name,
            "members": _member_names(list(section.members.all())),
        },
    )
    section.delete()


# --------------------------------------------------------------------------- assignments


def _assignment_state(assignment: ItemAssignment) -> dict[str, str]:
    return {
        "node_code": assignment.node_code,
        "officer": _person(assignment.officer) if assignment.officer else "",
        "section": assignment.section.name if assignment.section else "",
        "note": assignment.note,
    }


def _check_assignment(
    unit: Unit, node_code: str, officer: User | None, section: Section | None, note: str
) -> Errors:
    errors: Errors = {}
    criteria_set, codes = assignable_codes(unit)
    if criteria_set is None:
        errors["node_code"] = [
            f"{unit.name} chưa có bộ tiêu chí: chưa có kỳ đánh giá nào chấm điểm đơn vị."
        ]
    elif node_code not in codes:
        errors["node_code"] = [
            f"Mã “{node_code}” không phải lĩnh vực hoặc tiêu chí của {criteria_set.name}."
        ]
    if officer is None and section is None:
        errors["officer"] = ["Chọn cán bộ phụ trách hoặc bộ phận phụ trách."]
    if officer is not None:
        _check_people(unit, [officer], "officer", errors)
    if section is not None and section.unit_id != unit.pk:
        errors["section"] = [f"Bộ phận “{section.name}” không thuộc {unit.name}."]
    if len(note) > NOTE_MAX:
        errors["note"] = [f"Ghi chú dài {len(note)} ký tự, tối đa {NOTE_MAX}."]
    return errors


@transaction.atomic
def item_assignment_save(
    *,
    unit: Unit,
    node_code: str,
    officer: User | None,
    section: Section | None,
    note: str = "",
    actor: User | None,
) -> ItemAssignment:
    """Give field or criterion ``node_code`` of the unit's current criteria set (and all
    below it) to ``officer`` and/or ``section``, replacing whoever had it."""
    require_leader(actor, unit)
    node_code, note = node_code.strip(), " ".join(note.split())
    errors = _check_assignment(unit, node_code, officer, section, note)
    if errors:
        raise ValidationError(errors)
    assignment = (
        ItemAssignment.objects.select_for_update(of=("self",))
        .select_related("officer", "section")
        .filter(unit=unit, node_code=node_code)
        .first()
    )
    before = _assignment_state(assignment) if assignment is not None else None
    if assignment is None:
        assignment = ItemAssignment(unit=unit, node_code=node_code)
    assignment.officer, assignment.section, assignment.note = officer, section, note
    after = _assignment_state(assignment)
    if before == after:
        return assignment
    assignment.assigned_by = actor if actor is not None and actor.pk else None
    assignment.save()
    who = " – ".join(part for part in (after["officer"], after["section"]) if part)
    record(
        actor=actor,
        action="item_assignment.saved",
        target=assignment,
        summary=f"Giao nội dung {node_code} của {unit.name} cho {who}",
        before=before,
        after=after,
    )
    return assignment


def _delete_assignment(assignment: ItemAssignment, actor: User | None, *, reason: str) -> None:
    record(
        actor=actor,
        action="item_assignment.deleted",
        target=assignment,
        summary=f"Bỏ phân công nội dung {assignment.node_code} ({reason})",
        before=_assignment_state(assignment),
    )
    assignment.delete()


@transaction.atomic
def item_assignment_delete(*, assignment: ItemAssignment, actor: User | None) -> None:
    """Nobody answers for ``assignment``'s code any more (above it, a field's
    assignment still covers it)."""
    assignment = (
        ItemAssignment.objects.select_for_update(of=("self",))
        .select_related("unit", "officer", "section")
        .get(pk=assignment.pk)
    )
    require_leader(actor, assignment.unit)
    _delete_assignment(assignment, actor, reason="lãnh đạo đơn vị bỏ")
