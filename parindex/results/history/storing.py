"""Writing an imported history: the published version, its groups and their rows."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from parindex.accounts.models import User
from parindex.core.text import fold
from parindex.engine.model import ZERO
from parindex.organizations.jurisdiction import in_province
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.history.parsed import HistoryGroup, HistoryRow
from parindex.results.models import (
    ResultGroup,
    ResultRow,
    ResultVersion,
    VersionSource,
    VersionStatus,
)
from parindex.results.selectors import UnitLabel, unit_labels
from parindex.results.services import BULK, Decision


def store(
    period: Period,
    groups: Sequence[HistoryGroup],
    warnings: list[str],
    decision: Decision,
    current: ResultVersion | None,
    actor: User | None,
) -> ResultVersion:
    """The published version of ``groups`` in ``period``, superseding ``current``."""
    codes = [row.code for g in groups for row in g.rows]
    # Only the jurisdiction's own units: a code of another province stays unlinked.
    unit_ids: dict[str, int] = dict(
        Unit.objects.filter(in_province("", period.jurisdiction), code__in=codes).values_list(
            "code", "pk"
        )
    )
    warnings = [*warnings, *_unknown_codes(period, codes, unit_ids)]
    labels = unit_labels(codes, period.jurisdiction_id)
    version = _new_version(period, len(groups), len(codes), warnings, decision, current, actor)
    for position, target in enumerate(groups):
        result_group = _new_group(version, target, position)
        rows = [
            _row(result_group, order, row, unit_ids.get(row.code), labels.get(row.code))
            for order, row in enumerate(target.rows)
        ]
        ResultRow.objects.bulk_create(rows, batch_size=BULK)
    return version


def _unknown_codes(period: Period, codes: Sequence[str], unit_ids: dict[str, int]) -> list[str]:
    """The warning naming the codes not linked to a unit of the jurisdiction, if any."""
    unknown = [code for code in codes if code not in unit_ids]
    if not unknown:
        return []
    return [
        f"{len(unknown)} mã đơn vị chưa có trên hệ thống hoặc không thuộc "
        f"{period.jurisdiction.name} (vẫn nhập, không gắn với đơn vị "
        f"nào): {', '.join(unknown[:10])}{'…' if len(unknown) > 10 else ''}."
    ]


def _new_version(
    period: Period,
    groups: int,
    units: int,
    warnings: list[str],
    decision: Decision,
    current: ResultVersion | None,
    actor: User | None,
) -> ResultVersion:
    """The next version of ``period``, published, ``current`` marked superseded."""
    number = (ResultVersion.objects.filter(period=period).aggregate(n=Max("number"))["n"] or 0) + 1
    if current is not None:
        current.status = VersionStatus.SUPERSEDED
        current.save(update_fields=["status"])
    now = timezone.now()
    return ResultVersion.objects.create(
        period=period,
        number=number,
        status=VersionStatus.PUBLISHED,
        source=VersionSource.IMPORTED,
        progress_done=groups,
        progress_total=groups,
        warnings=warnings,
        units_count=units,
        computed_at=now,
        created_by=actor if actor is not None and actor.pk else None,
        decision_number=decision.number.strip(),
        decision_date=decision.date,
        signer_name=decision.signer_name.strip(),
        signer_title=decision.signer_title.strip(),
        reason=decision.reason.strip() if current is not None else "",
        published_at=now,
        published_by=actor if actor is not None and actor.pk else None,
        supersedes=current,
    )


def _new_group(version: ResultVersion, target: HistoryGroup, position: int) -> ResultGroup:
    return ResultGroup.objects.create(
        version=version,
        group=target.group,
        code=target.group.code,
        name=target.group.name,
        position=position,
        criteria_name=target.criteria_name,
        points_places=target.points_places if target.points_places is not None else 2,
        index_places=target.index_places if target.index_places is not None else 2,
        survey_max=target.survey_max,
        classified=bool(target.classified),
        fields=target.fields,
        nodes=target.nodes,
        stats=target.stats or {},
        document=target.document,
        units_count=len(target.rows),
    )


def _row(
    result_group: ResultGroup,
    order: int,
    row: HistoryRow,
    unit_id: int | None,
    label: UnitLabel | None,
) -> ResultRow:
    detail = row.detail
    return ResultRow(
        version=result_group.version,
        result_group=result_group,
        unit_id=unit_id,
        code=row.code,
        name=row.name[:300],
        short_name=label.short[:120] if label else "",
        parent_name=((label.parent or "") if label else row.parent_name)[:300],
        search_text=fold(f"{row.code} {row.name}")[:700],
        position=order,
        rank=detail.get("rank"),
        points=_dec(detail.get("points")),
        survey=_dec(detail.get("survey")) if row.survey else None,
        bonus=_dec(detail.get("bonus")) or ZERO,
        penalty=_dec(detail.get("penalty")) or ZERO,
        total=_dec(detail.get("total")),
        max=_dec(detail.get("max")),
        index=Decimal(detail["index"]),
        class_label=str(detail.get("class") or ""),
        leader_rating=row.leader_rating[:100],
        previous_index=_dec(detail.get("previous_index")),
        index_change=_dec(detail.get("index_change")),
        previous_rank=detail.get("previous_rank"),
        rank_change=detail.get("rank_change"),
        missing_count=len(detail.get("missing") or []),
        detail=detail,
    )


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
