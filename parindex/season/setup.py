"""Setting a season up (kỳ đánh giá): a new period, blank or copied from an earlier one, its
deadlines, which criteria set scores which unit group, the criteria a 6-month period leaves
out, and the appraisers' shares. Each write is audited; the views of
:mod:`parindex.season.admin_views` and the admin call these.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.permissions import criteria_sets_visible_to
from parindex.organizations.jurisdiction import province_of, same_province
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import (
    AppraiserAssignment,
    Period,
    PeriodGroup,
    PeriodKind,
    PeriodStatus,
)
from parindex.periods.permissions import check_period_admin
from parindex.periods.selectors import period_units
from parindex.periods.services import (
    assignment_record_saved,
    assignment_state,
    period_create,
)
from parindex.season.guards import deadline_problem

DEADLINE_LABELS: dict[str, str] = {
    "self_assessment_deadline": "Hạn tự đánh giá",
    "appraisal_1_deadline": "Hạn thẩm định vòng 1",
    "explanation_deadline": "Hạn giải trình",
    "appraisal_2_deadline": "Hạn thẩm định vòng 2",
}
"""The stage deadlines in the order the stages run, with their names in messages."""


def default_period_name(year: int, kind: str) -> str:
    """The usual name of a period: "Năm 2026", "6 tháng đầu năm 2026"."""
    return f"6 tháng đầu năm {year}" if kind == PeriodKind.INTERIM else f"Năm {year}"


def _shift_year(value: datetime.datetime | None, years: int) -> datetime.datetime | None:
    """``value`` moved by ``years`` calendar years in local time (29/02 → 28/02)."""
    if value is None or years == 0:
        return value
    local = timezone.localtime(value)
    try:
        return local.replace(year=local.year + years)
    except ValueError:  # 29 February into a common year
        return local.replace(year=local.year + years, day=28)


def _iso(value: datetime.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@transaction.atomic
def period_copy(
    *,
    source: Period,
    year: int,
    kind: str,
    name: str = "",
    actor: User | None,
) -> Period:
    """A new period of ``source``'s jurisdiction set up as ``source`` was: the same unit
    groups with their criteria sets, the same appraiser assignments (fields or criteria,
    units), the deadlines moved by the difference of years, the same evidence rules, and
    ``previous`` set to ``source`` (results are compared with it). The 6-month list
    "chưa đánh giá" goes with it when both are 6-month periods. Accounts and units no
    longer active are left out of the assignments. Starts as "Chuẩn bị"."""
    check_period_admin(actor, source.jurisdiction)
    bindings = {
        pg.group: pg.criteria_set
        for pg in PeriodGroup.objects.filter(period=source).select_related("group", "criteria_set")
    }
    if source.year > year:
        raise ValidationError(
            {"year": [f"Năm {year} trước năm của kỳ sao chép ({source.name}, năm {source.year})."]}
        )
    period = period_create(
        jurisdiction=source.jurisdiction,
        year=year,
        kind=kind,
        name=name.strip() or default_period_name(year, kind),
        groups=bindings,
        previous=source,
        actor=actor,
    )
    years = year - source.year
    for field in DEADLINE_LABELS:
        setattr(period, field, _shift_year(getattr(source, field), years))
    period.unsigned_evidence = source.unsigned_evidence
    period.evidence_max_mb = source.evidence_max_mb
    period.evidence_types = source.evidence_types
    if kind == PeriodKind.INTERIM and source.kind == PeriodKind.INTERIM:
        period.excluded_node_codes = list(source.excluded_node_codes or [])
    period.save(
        update_fields=[
            *DEADLINE_LABELS,
            "unsigned_evidence",
            "evidence_max_mb",
            "evidence_types",
            "excluded_node_codes",
        ]
    )
    copied = 0
    for old in AppraiserAssignment.objects.filter(
        period=source, appraiser__is_active=True
    ).prefetch_related("units"):
        new = AppraiserAssignment.objects.create(
            period=period, appraiser_id=old.appraiser_id, node_codes=list(old.node_codes)
        )
        new.units.set([unit for unit in old.units.all() if unit.is_active])
        copied += 1
    record(
        actor=actor,
        action="period.copied",
        target=period,
        summary=f"Sao chép kỳ đánh giá {source.name} thành {period.name}",
        after={
            "source": source.pk,
            "years_shifted": years,
            "assignments": copied,
            "deadlines": {field: _iso(getattr(period, field)) for field in DEADLINE_LABELS},
            "excluded_node_codes": list(period.excluded_node_codes),
        },
    )
    return period


@transaction.atomic
def period_new(
    *, jurisdiction: Unit, year: int, kind: str, name: str = "", actor: User | None
) -> Period:
    """A blank period of ``jurisdiction`` (no groups yet): :func:`period_create` checked
    for the actor's right to set up that jurisdiction's periods."""
    check_period_admin(actor, jurisdiction)
    previous = (
        Period.objects.filter(jurisdiction=jurisdiction, kind=kind, year__lt=year)
        .order_by("-year")
        .first()
    )
    return period_create(
        jurisdiction=jurisdiction,
        year=year,
        kind=kind,
        name=name.strip() or default_period_name(year, kind),
        groups={},
        previous=previous,
        actor=actor,
    )


def _lock_for_setup(period: Period, actor: User | None) -> Period:
    check_period_admin(actor, period.jurisdiction)
    return Period.objects.select_for_update().select_related("jurisdiction").get(pk=period.pk)


@transaction.atomic
def period_deadlines_set(
    *,
    period: Period,
    deadlines: Mapping[str, datetime.datetime | None],
    actor: User | None,
    now: datetime.datetime | None = None,
) -> Period:
    """Set (or clear, with None) the stage deadlines of ``period`` named in ``deadlines``.

    Each deadline is optional; those set must run in the stages' order (tự đánh giá <
    thẩm định vòng 1 < giải trình < thẩm định vòng 2), and a changed one must lie in the
    window of :func:`parindex.season.guards.deadline_problem` (after now, within about two
    years). Refused once the period is finalised. Each refusal names its field."""
    locked = _lock_for_setup(period, actor)
    if locked.status == PeriodStatus.FINALISED:
        raise ValidationError(
            f"Kỳ đánh giá {locked.name} đã chốt kết quả: không thay đổi thời hạn được."
        )
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    merged: dict[str, datetime.datetime | None] = {}
    changed: list[str] = []
    for field, label in DEADLINE_LABELS.items():
        stored: datetime.datetime | None = getattr(locked, field)
        value = deadlines.get(field, stored)
        if value is not None and timezone.is_naive(value):
            value = timezone.make_aware(value)
        if value != stored:
            changed.append(field)
            if value is not None and (
                problem := deadline_problem(timezone.localtime(value), now, what=label)
            ):
                errors.setdefault(field, []).append(problem)
        merged[field] = value
    earlier: tuple[str, datetime.datetime] | None = None
    for field, label in DEADLINE_LABELS.items():
        value = merged[field]
        if value is None:
            continue
        if earlier is not None and value <= earlier[1]:
            errors.setdefault(field, []).append(
                f"{label} ({_shown(value)}) phải sau "
                f"{DEADLINE_LABELS[earlier[0]].lower()} ({_shown(earlier[1])})."
            )
        earlier = (field, value)
    if errors:
        raise ValidationError(errors)
    if not changed:
        return locked
    before = {field: _iso(getattr(locked, field)) for field in changed}
    for field in changed:
        setattr(locked, field, merged[field])
    locked.save(update_fields=changed)
    record(
        actor=actor,
        action="period.deadlines_changed",
        target=locked,
        summary=f"Sửa thời hạn {locked.name}: "
        + ", ".join(DEADLINE_LABELS[f].lower() for f in changed),
        before=before,
        after={field: _iso(merged[field]) for field in changed},
    )
    return locked


def _shown(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def _refuse_unless_prepared(locked: Period, what: str) -> None:
    if locked.status != PeriodStatus.PREPARED:
        raise ValidationError(
            f"Kỳ đánh giá {locked.name} đang ở trạng thái “{PeriodStatus(locked.status).label}”: "
            f"chỉ {what} khi kỳ còn “{PeriodStatus.PREPARED.label}” (trước khi mở tự đánh giá)."
        )


@transaction.atomic
def period_group_bind(
    *, period: Period, group: UnitGroup, criteria_set: CriteriaSet, actor: User | None
) -> PeriodGroup:
    """Score ``group`` with ``criteria_set`` in ``period`` (a new binding or a changed
    set), while the period is still "Chuẩn bị". The actor must be able to read the set."""
    locked = _lock_for_setup(period, actor)
    _refuse_unless_prepared(locked, "gắn bộ tiêu chí cho nhóm đơn vị")
    if actor is not None and not criteria_sets_visible_to(actor).filter(pk=criteria_set.pk):
        raise ValidationError({"criteria_set": ["Không tìm thấy bộ tiêu chí."]})
    if CriteriaSet.objects.archived().filter(pk=criteria_set.pk).exists():
        raise ValidationError(
            {
                "criteria_set": [
                    f"Bộ tiêu chí «{criteria_set.name}» đã được lưu trữ: không gắn được cho "
                    "nhóm đơn vị (khôi phục bộ đó trước, hoặc chọn bộ khác)."
                ]
            }
        )
    binding = PeriodGroup.objects.filter(period=locked, group=group).first()
    before = binding.criteria_set_id if binding is not None else None
    if binding is None:
        binding = PeriodGroup.objects.create(period=locked, group=group, criteria_set=criteria_set)
    elif before == criteria_set.pk:
        return binding
    else:
        binding.criteria_set = criteria_set
        binding.save(update_fields=["criteria_set"])
    record(
        actor=actor,
        action="period.group_bound",
        target=locked,
        summary=f"{locked.name}: nhóm {group.name} chấm theo {criteria_set.name}",
        before={"group": group.code, "criteria_set": before} if before else None,
        after={"group": group.code, "criteria_set": criteria_set.pk},
    )
    return binding


@transaction.atomic
def period_group_unbind(*, period: Period, group: UnitGroup, actor: User | None) -> None:
    """Remove ``group`` from ``period`` (while "Chuẩn bị")."""
    locked = _lock_for_setup(period, actor)
    _refuse_unless_prepared(locked, "bỏ nhóm đơn vị")
    binding = PeriodGroup.objects.filter(period=locked, group=group).first()
    if binding is None:
        raise ValidationError({"group": [f"Nhóm {group.name} không thuộc kỳ đánh giá này."]})
    record(
        actor=actor,
        action="period.group_unbound",
        target=locked,
        summary=f"{locked.name}: bỏ nhóm {group.name}",
        before={"group": group.code, "criteria_set": binding.criteria_set_id},
    )
    binding.delete()


def period_node_codes(period: Period) -> dict[str, tuple[str, ...]]:
    """Every node code of the period's criteria sets → the codes of its ancestors (the
    first set that has the code decides)."""
    set_ids = list(
        PeriodGroup.objects.filter(period=period)
        .order_by("group__position", "pk")
        .values_list("criteria_set_id", flat=True)
    )
    found: dict[str, tuple[str, ...]] = {}
    rows = (
        CriterionNode.objects.filter(criteria_set_id__in=set_ids)
        .order_by("criteria_set_id", "position", "id")
        .values_list("criteria_set_id", "id", "code", "parent_id")
    )
    by_id = {pk: (set_id, code, parent) for set_id, pk, code, parent in rows}
    for _set_id, code, parent in by_id.values():
        chain: list[str] = []
        while parent is not None and parent in by_id and len(chain) < 20:
            chain.append(by_id[parent][1])
            parent = by_id[parent][2]
        found.setdefault(code, tuple(chain))
    return found


def _topmost(codes: Iterable[str], known: Mapping[str, tuple[str, ...]]) -> list[str]:
    """``codes`` without those under another of them, in the criteria's order."""
    wanted = set(codes)
    return [c for c in known if c in wanted and not any(a in wanted for a in known[c])]


@transaction.atomic
def period_excluded_nodes_set(
    *, period: Period, node_codes: Iterable[str], actor: User | None
) -> Period:
    """Set the criteria "chưa đánh giá ở kỳ 6 tháng" of a 6-month ``period``: left out of
    every unit's maximum (as not applicable). Only before appraisal starts ("Chuẩn bị"
    or "Đang tự đánh giá"), since it changes every unit's total."""
    locked = _lock_for_setup(period, actor)
    codes = [str(c) for c in node_codes]
    if locked.kind != PeriodKind.INTERIM and codes:
        raise ValidationError(
            {"node_codes": ["Chỉ kỳ 6 tháng mới có tiêu chí “chưa đánh giá ở kỳ 6 tháng”."]}
        )
    if locked.status not in (PeriodStatus.PREPARED, PeriodStatus.SELF_ASSESSMENT):
        raise ValidationError(
            f"Kỳ đánh giá {locked.name} đang ở trạng thái “{PeriodStatus(locked.status).label}”: "
            "chỉ sửa danh sách tiêu chí chưa đánh giá trước khi bắt đầu thẩm định."
        )
    known = period_node_codes(locked)
    unknown = sorted(set(codes) - known.keys())
    if unknown:
        raise ValidationError(
            {"node_codes": [f"Mã {', '.join(unknown)} không có trong bộ tiêu chí của kỳ đánh giá."]}
        )
    chosen = _topmost(codes, known)
    before = list(locked.excluded_node_codes or [])
    if chosen == before:
        return locked
    locked.excluded_node_codes = chosen
    locked.save(update_fields=["excluded_node_codes"])
    record(
        actor=actor,
        action="period.excluded_nodes_changed",
        target=locked,
        summary=f"{locked.name}: chưa đánh giá ở kỳ 6 tháng {', '.join(chosen) or '(không có)'}",
        before={"excluded_node_codes": before},
        after={"excluded_node_codes": chosen},
    )
    return locked


def assignable_appraisers(period: Period) -> list[User]:
    """Active appraisers (and chairs) of the period's province, by name."""
    province = province_of(period.jurisdiction)
    people = User.objects.filter(
        is_active=True, role__in=(Role.APPRAISER, Role.CHAIR), unit__isnull=False
    ).select_related("unit", "unit__parent", "unit__parent__parent")
    return sorted(
        (u for u in people if province is not None and same_province(province, u)),
        key=lambda u: (str(u).lower(), u.pk),
    )


@transaction.atomic
def assignment_save(
    *,
    period: Period,
    appraiser: User,
    node_codes: Iterable[str],
    units: Iterable[Unit],
    actor: User | None,
    assignment: AppraiserAssignment | None = None,
) -> AppraiserAssignment:
    """Create (``assignment`` None) or change an appraiser's share of ``period``: the fields
    or criteria (codes of the period's sets; empty means every node) and the units (of
    the period's groups). Audited by :func:`assignment_record_saved`."""
    locked = _lock_for_setup(period, actor)
    if locked.status == PeriodStatus.FINALISED:
        raise ValidationError(
            f"Kỳ đánh giá {locked.name} đã chốt kết quả: không thay đổi phân công được."
        )
    errors: dict[str, list[str]] = {}
    if appraiser.pk not in {u.pk for u in assignable_appraisers(locked)}:
        errors.setdefault("appraiser", []).append(
            f"{appraiser} không phải thành viên thẩm định của địa bàn này."
        )
    others = AppraiserAssignment.objects.filter(period=locked, appraiser=appraiser)
    if assignment is not None:
        others = others.exclude(pk=assignment.pk)
    if others.exists():
        errors.setdefault("appraiser", []).append(
            f"{appraiser} đã được phân công trong kỳ này: sửa phân công đó."
        )
    known = period_node_codes(locked)
    codes = [str(c) for c in node_codes]
    unknown = sorted(set(codes) - known.keys())
    if unknown:
        errors.setdefault("node_codes", []).append(
            f"Mã {', '.join(unknown)} không có trong bộ tiêu chí của kỳ đánh giá."
        )
    chosen_units = list(units)
    allowed = {u.pk for u in period_units(locked)}
    outside = [u.name for u in chosen_units if u.pk not in allowed]
    if outside:
        errors.setdefault("units", []).append(
            f"Không thuộc các nhóm đơn vị của kỳ đánh giá: {', '.join(outside)}."
        )
    if not chosen_units:
        errors.setdefault("units", []).append("Cần chọn ít nhất một đơn vị hoặc nhóm đơn vị.")
    if errors:
        raise ValidationError(errors)
    before = None
    if assignment is None:
        assignment = AppraiserAssignment(period=locked)
    else:
        assignment = AppraiserAssignment.objects.select_related("appraiser").get(pk=assignment.pk)
        before = assignment_state(assignment)
    assignment.appraiser = appraiser
    assignment.node_codes = _topmost(codes, known)
    assignment.save()
    assignment.units.set(chosen_units)
    assignment_record_saved(assignment=assignment, actor=actor, before=before)
    return assignment
