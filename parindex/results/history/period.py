"""The period an imported history goes into (created finalised when missing), and the
year-over-year links it gains with the periods before and after it."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status


def default_name(year: int, kind: str) -> str:
    return f"Năm {year}" if kind == PeriodKind.ANNUAL else f"6 tháng đầu năm {year}"


def period_for(
    jurisdiction: Unit, year: int, kind: str, name: str, actor: User | None
) -> tuple[Period, list[Period]]:
    """The jurisdiction's period of ``year`` (created finalised, without criteria sets,
    when missing) and the periods newly linked to it for year-over-year comparison."""
    same = Period.objects.select_for_update().filter(jurisdiction=jurisdiction, kind=kind)
    period = same.filter(year=year).first()
    before = same.filter(year=year - 1).first()
    if period is None:
        period = period_create(
            jurisdiction=jurisdiction,
            year=year,
            kind=kind,
            name=name.strip() or default_name(year, kind),
            groups={},
            previous=before,
            actor=actor,
        )
        period = period_set_status(period=period, status=PeriodStatus.FINALISED, actor=actor)
    elif period.status != PeriodStatus.FINALISED:
        raise ValidationError(
            f"{period.name} của {jurisdiction.name} đang ở trạng thái "
            f"“{PeriodStatus(period.status).label}”: chỉ nhập kết quả cho kỳ đã chốt kết quả."
        )
    elif period.previous_id is None and before is not None:
        _link(period, before, actor)
    linked = []
    for later in same.filter(year=year + 1, previous__isnull=True):
        _link(later, period, actor)
        linked.append(later)
    return period, linked


def _link(period: Period, previous: Period, actor: User | None) -> None:
    period.previous = previous
    period.save(update_fields=["previous"])
    record(
        actor=actor,
        action="period.previous_set",
        target=period,
        summary=f"{period.name} so sánh với kỳ trước {previous.name} (kết quả nhập từ tệp)",
        before={"previous": None},
        after={"previous": previous.pk},
    )
