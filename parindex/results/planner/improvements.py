"""The unit's improvement list (where points can still be gained) and its CSV download."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from parindex.core.cells import inert
from parindex.core.formatting import format_vn
from parindex.engine.whatif import ImprovementPlan, improvement_plan
from parindex.results.planner.loading import Planner


@dataclass(frozen=True)
class ImprovementRow:
    code: str
    name: str
    field_code: str
    field_name: str
    points: Decimal
    max: Decimal
    recoverable: Decimal
    missing: bool
    guidance: str
    evidence: str


@dataclass(frozen=True)
class Improvements:
    """The unit's improvement list with the engine's result if everything is recovered."""

    plan: ImprovementPlan
    rows: list[ImprovementRow]
    best_rank: int

    @property
    def total(self) -> Decimal:
        return self.plan.leaf_total

    @property
    def capped(self) -> bool:
        """A parent criterion's max keeps the gain below the leaves' sum."""
        return self.plan.gain < self.plan.leaf_total


def improvements(planner: Planner) -> Improvements:
    plan = improvement_plan(planner.data, planner.unit.code, tree=planner.tree)
    nodes = {node.code: node for node in planner.nodes}
    rows = [
        ImprovementRow(
            code=item.code,
            name=item.name,
            field_code=item.field,
            field_name=nodes[item.field].name if item.field in nodes else item.field,
            points=item.points,
            max=item.max,
            recoverable=item.recoverable,
            missing=item.missing,
            guidance=nodes[item.code].guidance if item.code in nodes else "",
            evidence=nodes[item.code].evidence if item.code in nodes else "",
        )
        for item in plan.items
    ]
    return Improvements(plan, rows, planner.others.standings.rank(plan.best.index))


CSV_HEADER = (
    "STT",
    "Mã lĩnh vực",
    "Lĩnh vực",
    "Mã tiêu chí",
    "Tiêu chí",
    "Điểm đạt",
    "Điểm tối đa",
    "Điểm có thể tăng",
    "Chưa có điểm",
    "Hướng dẫn chấm điểm",
)


def improvements_csv(planner: Planner, found: Improvements) -> str:
    """The improvement list as CSV (numbers as the page shows them, decimal comma), with
    the total and the index if every criterion is recovered on the last lines."""
    points, index = planner.points_places, planner.index_places
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for number, row in enumerate(found.rows, start=1):
        writer.writerow(
            [
                str(number),
                inert(row.field_code),
                inert(row.field_name),
                inert(row.code),
                inert(row.name),
                format_vn(row.points, points),
                format_vn(row.max),
                format_vn(row.recoverable, points),
                "x" if row.missing else "",
                inert(row.guidance),
            ]
        )
    best = found.plan.best
    writer.writerow([])
    writer.writerow(
        ["", "", "Tổng điểm có thể tăng", "", "", "", "", format_vn(found.total, points)]
    )
    writer.writerow(
        [
            "",
            "",
            "Nếu đạt tối đa mọi tiêu chí"
            + (" (giữ nguyên điểm khảo sát)" if planner.has_survey else ""),
            "",
            f"chỉ số {format_vn(best.index, index)}%, hạng {found.best_rank}/"
            f"{planner.group_size}"
            + (f", xếp loại {best.class_label}" if best.class_label else ""),
        ]
    )
    return out.getvalue()
