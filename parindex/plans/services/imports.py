"""Importing a plan's objectives, tasks and activities from a spreadsheet (the template of
:mod:`parindex.plans.xlsx`): every row is checked by the rules of :func:`plan_item_add`,
every problem names its row and column, and nothing is stored unless every row is right."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from parindex.plans.permissions import require_plan_writer
from parindex.plans.services import ITEM_LIMITS, deadline_problem
from parindex.plans.xlsx import (
    LABELS,
    MAX_BYTES,
    CellError,
    SheetError,
    SheetRow,
    cell_deadline,
    cell_kind,
    cell_text,
    read_rows,
)


class PlanImportError(ValidationError):
    """The file's problems, one Vietnamese line each (``messages``)."""


class _Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass
class _Parsed:
    row: int
    kind: str
    texts: dict[str, str]
    deadline: datetime.date | None
    parent: int | None = None
    """Index (in the parsed list) of the item's parent."""


def _where(row: int, key: str) -> str:
    return f"Dòng {row}, cột «{LABELS[key]}»"


def _parse_row(
    row: SheetRow, year: int, problems: list[str]
) -> tuple[str | None, dict[str, str], datetime.date | None]:
    texts: dict[str, str] = {}
    for key, limit in ITEM_LIMITS.items():
        texts[key] = cell_text(row.cells.get(key))
        if len(texts[key]) > limit:
            problems.append(f"{_where(row.number, key)}: dài quá {limit} ký tự.")
    if not texts["title"]:
        problems.append(f"{_where(row.number, 'title')}: cần nhập nội dung.")
    kind: str | None = None
    try:
        kind = cell_kind(row.cells.get("kind"))
    except CellError as exc:
        problems.append(f"{_where(row.number, 'kind')}: {exc}.")
    deadline: datetime.date | None = None
    try:
        deadline = cell_deadline(row.cells.get("deadline"), year)
    except CellError as exc:
        problems.append(f"{_where(row.number, 'deadline')}: {exc}.")
    else:
        if (problem := deadline_problem(deadline, year)) is not None:
            problems.append(f"{_where(row.number, 'deadline')}: {problem}")
    return kind, texts, deadline


def parse_plan_rows(rows: list[SheetRow], year: int) -> tuple[list[_Parsed], list[str]]:
    """The rows as items with their parents (the nearest objective above a task, the
    nearest task above an activity), and every problem found."""
    problems: list[str] = []
    parsed: list[_Parsed] = []
    objective: int | None = None
    task: int | None = None
    for row in rows:
        kind, texts, deadline = _parse_row(row, year, problems)
        if kind is None:
            continue
        item = _Parsed(row.number, kind, texts, deadline)
        if kind == ItemKind.OBJECTIVE:
            objective, task = len(parsed), None
        elif kind == ItemKind.TASK:
            item.parent, task = objective, len(parsed)
        elif task is None:
            problems.append(
                f"{_where(row.number, 'kind')}: hoạt động phải đứng sau (thuộc) một nhiệm vụ; "
                "hãy thêm dòng nhiệm vụ ở trên."
            )
        else:
            item.parent = task
        parsed.append(item)
    if parsed and not any(p.kind == ItemKind.TASK for p in parsed) and not problems:
        problems.append("Tệp không có nhiệm vụ nào (cột «Loại»: Nhiệm vụ).")
    return parsed, problems


def _read(file: _Readable | bytes) -> bytes:
    return file if isinstance(file, bytes) else file.read(MAX_BYTES + 1)


def plan_import_xlsx(
    *, plan: ReformPlan, file: _Readable | bytes, actor: User | None, replace: bool = False
) -> int:
    """Add the objectives, tasks and activities of a workbook to ``plan`` (after its
    items), or with ``replace`` instead of them (refused once an item is marked done: its
    evidence would be lost). All or nothing: :class:`PlanImportError` lists every problem
    ("Dòng 7, cột «Thời hạn»: …"). Returns how many items were added."""
    require_plan_writer(actor, plan.unit)
    try:
        rows = read_rows(_read(file))
    except SheetError as exc:
        raise PlanImportError([str(exc)]) from exc
    parsed, problems = parse_plan_rows(rows, plan.year)
    if problems:
        raise PlanImportError(problems)
    with transaction.atomic():
        locked = ReformPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
        replaced = _clear(locked) if replace else 0
        start = (locked.items.aggregate(last=Max("position"))["last"] or 0) + 1
        stored: list[PlanItem] = []
        for offset, item in enumerate(parsed):
            parent = stored[item.parent] if item.parent is not None else None
            stored.append(
                PlanItem.objects.create(
                    plan=locked,
                    kind=item.kind,
                    parent=parent,
                    deadline=item.deadline,
                    position=start + offset,
                    **item.texts,
                )
            )
        tasks = sum(1 for p in parsed if p.kind == ItemKind.TASK)
        record(
            actor=actor,
            action="plan.imported",
            target=locked,
            summary=f"Nhập {len(parsed)} nội dung ({tasks} nhiệm vụ) vào kế hoạch CCHC năm "
            f"{locked.year} của {locked.unit.name}"
            + (f", thay {replaced} nội dung cũ" if replace else ""),
            after=_counts(parsed) | {"replaced": replaced},
        )
    return len(parsed)


def _clear(plan: ReformPlan) -> int:
    done = plan.items.filter(done_on__isnull=False).count()
    if done:
        raise PlanImportError(
            [
                f"Kế hoạch đã có {done} nội dung được xác nhận hoàn thành: không thay thế được "
                "toàn bộ (sẽ mất kiểm chứng). Hãy nhập thêm, hoặc bỏ xác nhận hoàn thành trước."
            ]
        )
    count, _ = plan.items.all().delete()
    return count


def _counts(parsed: list[_Parsed]) -> dict[str, Any]:
    return {kind.value: sum(1 for p in parsed if p.kind == kind) for kind in ItemKind}
