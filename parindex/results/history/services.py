"""The history import service: check the request, read every file (all or nothing), then
store a published version, or nothing when the same results are already imported."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind
from parindex.results.history.completion import complete
from parindex.results.history.files import read_files
from parindex.results.history.parsed import HistoryFile, HistoryGroup
from parindex.results.history.period import period_for
from parindex.results.history.reader import Reader
from parindex.results.history.storing import store
from parindex.results.models import ResultRow, ResultVersion, VersionSource
from parindex.results.services import Decision, decision_date_problem

MAX_ERRORS = 200
"""Messages kept per import; the count of the others is added."""


@dataclass
class HistoryImport:
    """What an import did."""

    version: ResultVersion
    created: bool
    """False when the same results were already imported: nothing was stored."""
    warnings: list[str]
    linked: list[Period]
    """Periods whose year-over-year comparison now uses the imported period."""


def history_import(
    *,
    jurisdiction: Unit,
    year: int,
    kind: str = PeriodKind.ANNUAL,
    name: str = "",
    data: bytes,
    filename: str,
    decision: Decision,
    actor: User | None,
    more: Sequence[HistoryFile] = (),
    group_code: str = "",
) -> HistoryImport:
    """Import the published results of ``year`` from ``data`` (and the files of ``more``)
    as a published version of the jurisdiction's period of that year."""
    forced = _checked_request(jurisdiction, year, kind, decision, group_code)
    files = [HistoryFile(filename or "tep", data), *more]
    reader = _read(files, forced)
    groups = reader.groups
    with transaction.atomic():
        period, linked = period_for(jurisdiction, year, kind, name, actor)
        current = ResultVersion.objects.select_for_update().current().filter(period=period).first()
        if current is not None and _already_imported(period, current, groups, decision):
            return HistoryImport(current, False, list(current.warnings), linked)
        version = store(period, groups, reader.warnings, decision, current, actor)
        _record(actor, version, jurisdiction, files, groups, current)
    return HistoryImport(version, True, list(version.warnings), linked)


def _checked_request(
    jurisdiction: Unit, year: int, kind: str, decision: Decision, group_code: str
) -> UnitGroup | None:
    """The unit group chosen for every file (None: as the files say); raises the
    problems of the request, by field."""
    errors: dict[str, list[str]] = {}
    if jurisdiction.level not in (Level.PROVINCE, Level.DISTRICT):
        errors["jurisdiction"] = [f"{jurisdiction.name} không phải là tỉnh hoặc huyện."]
    if kind not in PeriodKind.values:
        errors["kind"] = [f"Loại kỳ {kind!r} không hợp lệ."]
    if not 1990 <= year <= 2100:
        errors["year"] = [f"Năm {year} không hợp lệ."]
    if not decision.number.strip():
        errors["decision_number"] = ["Nhập số quyết định công bố."]
    if (problem := decision_date_problem(decision.date, year)) is not None:
        errors["decision_date"] = [problem]
    if not decision.signer_name.strip():
        errors["signer_name"] = ["Nhập họ tên người ký quyết định."]
    forced = None
    if group_code:
        forced = UnitGroup.objects.filter(code=group_code).first()
        if forced is None:
            errors["group"] = [f"Không có nhóm đơn vị “{group_code}”."]
    if errors:
        raise ValidationError(errors)
    return forced


def _read(files: Sequence[HistoryFile], forced: UnitGroup | None) -> Reader:
    """Every file read and every group completed, its groups in the system's order;
    raises every problem found (at most :data:`MAX_ERRORS` of them)."""
    reader = read_files(files, forced)
    problems = reader.problems
    if not problems and not reader.groups:
        problems.append("Không có kết quả nào để nhập.")
    for target in reader.groups:
        complete(target, problems, reader.prefix(target.source))
    if problems:
        shown = problems[:MAX_ERRORS]
        if len(problems) > MAX_ERRORS:
            shown.append(f"… và {len(problems) - MAX_ERRORS} lỗi khác.")
        raise ValidationError(shown)
    reader.groups.sort(key=lambda g: (g.group.position, g.group.name))
    return reader


def _already_imported(
    period: Period, current: ResultVersion, groups: Sequence[HistoryGroup], decision: Decision
) -> bool:
    """Whether ``current`` holds these very results; raises when it may not be replaced:
    computed on the system, or imported and the correction has no reason."""
    if current.source != VersionSource.IMPORTED:
        raise ValidationError(
            f"{period.name} đã công bố kết quả tính trên hệ thống (phiên bản "
            f"{current.number}); không nhập đè kết quả từ tệp."
        )
    if _same(current, groups, decision):
        return True
    if not decision.reason.strip():
        raise ValidationError(
            {
                "reason": [
                    f"{period.name} đã có kết quả nhập từ tệp (phiên bản "
                    f"{current.number}, QĐ {current.decision_number}): nhập lý do "
                    "đính chính để thay bằng kết quả mới."
                ]
            }
        )
    return False


def _record(
    actor: User | None,
    version: ResultVersion,
    jurisdiction: Unit,
    files: Sequence[HistoryFile],
    groups: Sequence[HistoryGroup],
    current: ResultVersion | None,
) -> None:
    period = version.period  # the instance it was created with: no query
    record(
        actor=actor,
        action="results.history_imported",
        target=version,
        summary=(
            f"Nhập kết quả đã công bố {period.name} ({jurisdiction.name}), phiên bản "
            f"{version.number} (QĐ {version.decision_number}): {version.units_count} đơn "
            "vị từ " + ", ".join(f.name for f in files)
        ),
        after={
            "files": [
                {"name": f.name, "sha256": hashlib.sha256(f.data).hexdigest()} for f in files
            ],
            "groups": {g.group.code: len(g.rows) for g in groups},
            "supersedes": current.number if current is not None else None,
            "reason": version.reason,
        },
    )


def _signature(entries: Iterable[tuple[str, str, Any, str]]) -> set[str]:
    return {
        json.dumps([group, code, detail, leader], sort_keys=True, ensure_ascii=False)
        for group, code, detail, leader in entries
    }


def _same(current: ResultVersion, groups: Sequence[HistoryGroup], decision: Decision) -> bool:
    """Whether ``current`` holds exactly these results with this decision."""
    if (
        current.decision_number,
        current.decision_date,
        current.signer_name,
        current.signer_title,
    ) != (
        decision.number.strip(),
        decision.date,
        decision.signer_name.strip(),
        decision.signer_title.strip(),
    ):
        return False
    stored = ResultRow.objects.filter(version=current).values_list(
        "result_group__code", "code", "detail", "leader_rating"
    )
    new = (
        (g.group.code, row.code, row.detail, row.leader_rating) for g in groups for row in g.rows
    )
    return _signature(stored) == _signature(new)
