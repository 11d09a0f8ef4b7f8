"""Writes of assessment periods (kỳ đánh giá).

A period binds one criteria set to each unit group it ranks. Its status only moves
forward (see :func:`period_set_status`); ``period_finalise`` (checks before publishing)
comes later and will build on the same transition rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import (
    AppraiserAssignment,
    Period,
    PeriodGroup,
    PeriodKind,
    PeriodStatus,
)

STATUS_ORDER: tuple[str, ...] = tuple(PeriodStatus.values)
"""Prepared → self-assessment → appraisal 1 → explanation → appraisal 2 → finalised."""


@transaction.atomic
def period_create(
    *,
    jurisdiction: Unit,
    year: int,
    kind: str,
    name: str,
    groups: Mapping[UnitGroup, CriteriaSet],
    previous: Period | None = None,
    actor: User | None,
) -> Period:
    """Create a period of ``jurisdiction`` scoring each unit group with its criteria set.

    ``previous`` is the earlier period of the same jurisdiction that results are compared
    with (chỉ số và thứ hạng năm trước). The new period starts as "Chuẩn bị".
    """
    errors: dict[str, list[str]] = {}
    if not name or not name.strip():
        errors.setdefault("name", []).append("Cần nhập tên kỳ đánh giá.")
    if kind not in PeriodKind.values:
        errors.setdefault("kind", []).append(f"Loại kỳ {kind!r} không hợp lệ.")
    if not 1990 <= year <= 2100:
        errors.setdefault("year", []).append(f"Năm {year} không hợp lệ.")
    if Period.objects.filter(jurisdiction=jurisdiction, year=year, kind=kind).exists():
        errors.setdefault("year", []).append(
            f"{jurisdiction.name} đã có kỳ đánh giá {_kind_label(kind).lower()} năm {year}."
        )
    if previous is not None:
        if previous.jurisdiction_id != jurisdiction.pk:
            errors.setdefault("previous", []).append(
                "Kỳ trước để so sánh phải cùng địa bàn với kỳ đánh giá này."
            )
        elif previous.year > year:
            errors.setdefault("previous", []).append(
                f"Kỳ trước để so sánh ({previous.name}, năm {previous.year}) không được "
                f"sau năm {year}."
            )
    if errors:
        raise ValidationError(errors)

    period = Period.objects.create(
        name=name.strip(),
        jurisdiction=jurisdiction,
        year=year,
        kind=kind,
        previous=previous,
    )
    PeriodGroup.objects.bulk_create(
        PeriodGroup(period=period, group=group, criteria_set=criteria_set)
        for group, criteria_set in groups.items()
    )
    record(
        actor=actor,
        action="period.created",
        target=period,
        summary=f"Tạo kỳ đánh giá {period.name} ({jurisdiction.name})",
        after={
            "year": year,
            "kind": kind,
            "previous": previous.pk if previous else None,
            "groups": {group.code: cs.pk for group, cs in groups.items()},
        },
    )
    return period


def allowed_next_statuses(status: str) -> tuple[str, ...]:
    """Statuses a period in ``status`` may move to: any later one in :data:`STATUS_ORDER`.

    Steps may be skipped (a province that does not hold an explanation round goes from
    appraisal 1 to appraisal 2, a historical import goes straight to finalised), but a
    status never moves back: reopening a finalised period is not a status change.
    """
    if status not in STATUS_ORDER:
        return ()
    return STATUS_ORDER[STATUS_ORDER.index(status) + 1 :]


@transaction.atomic
def period_set_status(*, period: Period, status: str, actor: User | None) -> Period:
    """Move ``period`` forward to ``status`` (see :func:`allowed_next_statuses`)."""
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if status not in STATUS_ORDER:
        raise ValidationError({"status": [f"Trạng thái {status!r} không hợp lệ."]})
    if status not in allowed_next_statuses(locked.status):
        raise ValidationError(
            {
                "status": [
                    f"Không thể chuyển kỳ đánh giá từ “{PeriodStatus(locked.status).label}” "
                    f"sang “{PeriodStatus(status).label}”: trạng thái chỉ được chuyển tiếp."
                ]
            }
        )
    before = locked.status
    locked.status = status
    locked.save(update_fields=["status"])
    period.status = status
    record(
        actor=actor,
        action="period.status_changed",
        target=locked,
        summary=(
            f"Chuyển {locked.name} từ “{PeriodStatus(before).label}” "
            f"sang “{PeriodStatus(status).label}”"
        ),
        before={"status": before},
        after={"status": status},
    )
    return locked


@transaction.atomic
def period_delete(*, period: Period, actor: User | None, published_too: bool = False) -> None:
    """Delete a period with its group bindings and assessments (the demo reset uses this).

    A period whose results were published keeps them: it is refused unless
    ``published_too`` (the demo reset), which deletes its result versions newest first."""
    versions = period.result_versions.order_by("-number", "-pk")
    if not published_too and versions.filter(number__isnull=False).exists():
        raise ValidationError(f"Kỳ đánh giá {period.name} đã công bố kết quả: không xoá được.")
    for version in versions:
        version.delete()
    record(
        actor=actor,
        action="period.deleted",
        target=period,
        summary=f"Xóa kỳ đánh giá {period.name}",
        before={"year": period.year, "kind": period.kind, "status": period.status},
    )
    period.delete()


def _kind_label(kind: str) -> str:
    return str(PeriodKind(kind).label) if kind in PeriodKind.values else kind


def assignment_state(assignment: AppraiserAssignment) -> dict[str, Any]:
    """What an appraiser assignment says, as the audit trail records it."""
    return {
        "period": assignment.period_id,
        "appraiser": assignment.appraiser.get_username(),
        "node_codes": [str(code) for code in assignment.node_codes],
        "units": sorted(assignment.units.values_list("code", flat=True)),
    }


@transaction.atomic
def assignment_record_saved(
    *, assignment: AppraiserAssignment, actor: User | None, before: dict[str, Any] | None
) -> None:
    """Audit an assignment saved (with its units) in the admin: created, or the fields that
    changed. ``before`` is :func:`assignment_state` read before the save (None: new)."""
    after = assignment_state(assignment)
    label = f"{assignment.appraiser} – {assignment.period}"
    if before is None:
        record(
            actor=actor,
            action="assignment.created",
            target=assignment,
            summary=f"Phân công thẩm định {label}",
            after=after,
        )
        return
    changed = [key for key in after if before.get(key) != after[key]]
    if not changed:
        return
    record(
        actor=actor,
        action="assignment.changed",
        target=assignment,
        summary=f"Sửa phân công thẩm định {label}: {', '.join(changed)}",
        before=before,
        after=after,
    )


@transaction.atomic
def assignment_delete(*, assignment: AppraiserAssignment, actor: User | None) -> None:
    """Delete an appraiser assignment, recording what it said."""
    record(
        actor=actor,
        action="assignment.deleted",
        target=assignment,
        summary=f"Xóa phân công thẩm định {assignment.appraiser} – {assignment.period}",
        before=assignment_state(assignment),
    )
    assignment.delete()
