"""What the remediation documents (phụ lục các nội dung bị trừ điểm, báo cáo đánh giá kết
quả và giải pháp nâng cao, công văn khắc phục) share: the unit's appraisal sheet scored by
the engine, its remediation tasks grouped by who does them, the unit's standing in the
period's result version, and the deductions table (seeds 003 and 004).

Every number is the engine's: node points, maxima and points lost
(:attr:`parindex.engine.model.NodeResult.lost`) of the appraised evaluation, the
self-assessed points of the unit's own evaluation, printed with the set's rounding. The
only arithmetic here is "self − appraised" of two numbers printed with the same places,
which is exact (as in the minutes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.assessments.models import AppraisalRecord
from parindex.assessments.selectors.report import self_assessment_report
from parindex.assessments.selectors.unit_appraisal import unit_appraisal_view
from parindex.core.formatting import fmt_date, format_vn, person_name
from parindex.criteria.selectors import engine_criteria
from parindex.documents.content import Cell, Column, Signer, Table
from parindex.documents.errors import DocumentError
from parindex.documents.kinds.minutes import round_input
from parindex.documents.kinds.period_common import period_words
from parindex.documents.kinds.unit_common import (
    NOT_APPLICABLE_CELL,
    SetNode,
    UnitContext,
    set_nodes,
    unit_context,
    unit_signer,
)
from parindex.documents.naming import committee_name, council_name
from parindex.documents.sources import document_version, group_data
from parindex.engine.evaljson import fmt
from parindex.engine.model import Rounding, UnitResult
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodKind
from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.results.models import ResultGroup, ResultVersion, VersionStatus
from parindex.results.selectors import period_evaluation_input

UNASSIGNED = "Các nội dung chưa phân công"
TOTAL_LABEL = "Tổng điểm"


# --------------------------------------------------------------------------- the sheet


@dataclass(frozen=True)
class SheetRow:
    """One applicable node of the unit's sheet, numbers as the engine printed them."""

    node: SetNode
    max: Decimal
    """The applicable max (điểm chuẩn)."""
    self_points: Decimal | None
    """None: not applicable in the unit's own evaluation."""
    points: Decimal
    """The appraised points (điểm thẩm định)."""
    lost: Decimal
    """The engine's points lost against the applicable max (điểm bị trừ)."""
    comment: str

    @property
    def gap(self) -> Decimal | None:
        """Self-assessed − appraised points (chênh lệch so với tự đánh giá)."""
        return None if self.self_points is None else self.self_points - self.points


@dataclass
class Sheet:
    """A unit's appraisal after a round (or as settled) with its totals."""

    ctx: UnitContext
    round: int | None
    """None: the appraisal as it stands (settled)."""
    rows: list[SheetRow]
    max: Decimal
    self_points: Decimal | None
    points: Decimal

    @property
    def lost(self) -> Decimal:
        """Total points lost against the max (both printed with the set's places)."""
        return self.max - self.points

    @property
    def gap(self) -> Decimal | None:
        return None if self.self_points is None else self.self_points - self.points

    def lost_rows(self) -> list[SheetRow]:
        """Every node that lost points: fields, criteria and leaves, in the set's order."""
        return [row for row in self.rows if row.lost > 0]

    def lost_leaves(self) -> list[SheetRow]:
        return [row for row in self.lost_rows() if row.node.is_leaf]

    def order(self) -> dict[str, int]:
        return {row.node.code: i for i, row in enumerate(self.rows)}


def deductions_sheet(period: Period, unit: Unit, round: int | None = None) -> Sheet:
    """The unit's sheet after appraisal ``round`` (each item's latest record ≤ N, as the
    minutes of round N), or, for None, as settled (:func:`unit_appraisal_view`): the
    period finalised, the unit's assessment final or the results published. Raises
    :class:`DocumentError` when the unit has no assessment or the appraisal is not there."""
    ctx = unit_context(period, unit)
    return _final_sheet(ctx) if round is None else _round_sheet(ctx, round)


def _final_sheet(ctx: UnitContext) -> Sheet:
    view = unit_appraisal_view(ctx.assessment)
    published = ResultVersion.objects.filter(
        period=ctx.period, status=VersionStatus.PUBLISHED
    ).exists()
    if not (view.final or published):
        raise DocumentError(
            f"Kết quả thẩm định của {ctx.unit.name} trong kỳ đánh giá “{ctx.period.name}” "
            "chưa được chốt: chưa lập được phụ lục các nội dung bị trừ điểm (hoặc chọn "
            "một vòng thẩm định đã có)."
        )
    comments = {item.node.code: item.comment.strip() for item in view.items}
    own = {n.code: n.points for n in view.self_result.nodes()}
    criteria = engine_criteria(view.criteria_set)
    return _sheet(ctx, None, criteria, view.result, own, view.self_result.points, comments)


def _round_sheet(ctx: UnitContext, number: int) -> Sheet:
    records = list(
        AppraisalRecord.objects.filter(answer__assessment=ctx.assessment).order_by("at", "id")
    )
    rounds = sorted({rec.round for rec in records})
    if number not in rounds:
        done = ", ".join(str(r) for r in rounds) or "chưa có vòng nào"
        raise DocumentError(
            f"{ctx.unit.name} chưa có kết quả thẩm định vòng {number} trong kỳ đánh giá "
            f"“{ctx.period.name}” (đã thẩm định: {done}): chưa lập được phụ lục của vòng này."
        )
    latest: dict[int, AppraisalRecord] = {}
    for rec in records:
        if rec.round <= number:
            latest[rec.answer_id] = rec  # ordered by time: the last one wins
    data = round_input(ctx, latest, period_evaluation_input(ctx.period, ctx.binding))
    result = next(u for u in engine.evaluate(data).units if u.unit == ctx.unit.code)
    own_result = result.self_result
    own = {n.code: n.points for n in own_result.nodes()} if own_result is not None else {}
    comments = {
        code: found.comment.strip()
        for code, answer in ctx.answers.items()
        if (found := latest.get(answer.pk)) is not None
    }
    own_total = own_result.points if own_result is not None else None
    return _sheet(ctx, number, data.criteria, result, own, own_total, comments)


def _sheet(
    ctx: UnitContext,
    number: int | None,
    criteria: engine.CriteriaSet,
    result: UnitResult,
    own: Mapping[str, Decimal],
    own_total: Decimal | None,
    comments: Mapping[str, str],
) -> Sheet:
    rounding = Rounding(criteria.rounding.mode, criteria.rounding.places)

    def printed(value: Decimal) -> Decimal:
        return Decimal(fmt(value, rounding))

    rows: list[SheetRow] = []
    for node in set_nodes(criteria):
        found = result.node(node.code)
        if found is None:
            continue
        mine = own.get(node.code)
        rows.append(
            SheetRow(
                node=node,
                max=printed(found.max),
                self_points=printed(mine) if mine is not None else None,
                points=printed(found.points),
                lost=printed(found.lost),
                comment=comments.get(node.code, ""),
            )
        )
    return Sheet(
        ctx,
        number,
        rows,
        max=printed(result.max),
        self_points=printed(own_total) if own_total is not None else None,
        points=printed(result.points),
    )


# --------------------------------------------------------------------------- the tasks


def unit_tasks(period: Period, unit: Unit, sheet: Sheet | None = None) -> list[RemediationTask]:
    """The unit's remediation tasks for ``period``'s lost points (dropped ones left out),
    in the set's order, then by due date."""
    tasks = list(
        RemediationTask.objects.filter(period=period, unit=unit)
        .exclude(status=TaskStatus.DROPPED)
        .select_related("officer", "section", "node")
        .order_by("due_date", "pk")
    )
    order = sheet.order() if sheet is not None else {}
    return sorted(tasks, key=lambda t: (order.get(t.node_code, len(order)), t.node_code))


def responsible(task: RemediationTask) -> str:
    """ "Nguyễn Văn A (Văn phòng – Thống kê)", the officer or the section alone, or ""."""
    officer = person_name(task.officer, "") if task.officer is not None else ""
    section = task.section.name if task.section is not None else ""
    if officer and section:
        return f"{officer} ({section})"
    return officer or section


@dataclass
class TaskGroup:
    """The tasks of one section, one officer (without a section), or nobody yet."""

    title: str
    tasks: list[RemediationTask] = field(default_factory=list)


def task_groups(tasks: list[RemediationTask]) -> list[TaskGroup]:
    """Sections first (in their order), then officers without a section (by name), then
    the tasks nobody was given (:data:`UNASSIGNED`)."""
    sections: dict[int, tuple[tuple[int, str], TaskGroup]] = {}
    officers: dict[int, TaskGroup] = {}
    unassigned = TaskGroup(UNASSIGNED)
    for task in tasks:
        if task.section is not None:
            key = (task.section.position, task.section.name)
            sections.setdefault(task.section.pk, (key, TaskGroup(task.section.name)))[
                1
            ].tasks.append(task)
        elif task.officer is not None:
            title = f"Đồng chí {person_name(task.officer)}"
            officers.setdefault(task.officer.pk, TaskGroup(title)).tasks.append(task)
        else:
            unassigned.tasks.append(task)
    found = [group for _key, group in sorted(sections.values(), key=lambda kv: kv[0])]
    found += sorted(officers.values(), key=lambda g: g.title)
    if unassigned.tasks:
        found.append(unassigned)
    return found


def task_line(task: RemediationTask, *, with_officer: bool) -> str:
    """ "- action (tiêu chí 1.1.3 name; người thực hiện: …; hạn hoàn thành: 31/10/2023)."."""
    line = f"- {task.action.strip()} (tiêu chí {task.node_code} {task.node.name}"
    if with_officer and task.officer is not None:
        line += f"; người thực hiện: {person_name(task.officer)}"
    return line + f"; hạn hoàn thành: {fmt_date(task.due_date)})."


def latest_due(tasks: list[RemediationTask]) -> str:
    """The last due date of the tasks (dd/mm/yyyy), or "" without tasks."""
    return fmt_date(max(t.due_date for t in tasks)) if tasks else ""


# --------------------------------------------------------------------------- the table


def deductions_table(sheet: Sheet, tasks: list[RemediationTask]) -> Table:
    """Seed 004's appendix: every node that lost points (fields and criteria in bold) with
    its numbers, the council's comment, and the tasks made for it; the total row last."""
    by_code: dict[str, list[RemediationTask]] = {}
    for task in tasks:
        by_code.setdefault(task.node_code, []).append(task)
    rows: list[list[Cell]] = []
    bold: set[int] = set()
    for row in sheet.lost_rows():
        mine = by_code.get(row.node.code, [])
        if row.node.is_field or not row.node.is_leaf:
            bold.add(len(rows))
        rows.append(
            [
                row.node.code,
                row.node.name,
                row.max,
                row.self_points if row.self_points is not None else NOT_APPLICABLE_CELL,
                row.points,
                row.lost,
                row.gap,
                row.comment,
                _lines(responsible(t) or "Chưa phân công" for t in mine),
                _lines(t.action.strip() for t in mine),
                "\n".join(fmt_date(t.due_date) for t in mine),
            ]
        )
    bold.add(len(rows))
    total: list[Cell] = [
        "",
        TOTAL_LABEL,
        sheet.max,
        sheet.self_points,
        sheet.points,
        sheet.lost,
        sheet.gap,
    ]
    rows.append(total + ["", "", "", ""])
    return Table(
        "deductions",
        "Các nội dung bị trừ điểm và biện pháp khắc phục",
        [
            Column("STT/Mã", 12, "center"),
            Column("Lĩnh vực / tiêu chí / tiêu chí thành phần", 27),
            Column("Điểm chuẩn", 10.5, "right"),
            Column("Điểm tự đánh giá", 10.5, "right"),
            Column("Điểm thẩm định", 10.5, "right"),
            Column("Điểm bị trừ", 10.5, "right"),
            Column("Chênh lệch so với tự đánh giá", 11, "right"),
            Column("Ý kiến Hội đồng thẩm định", 24),
            Column("Người / bộ phận thực hiện", 16),
            Column("Biện pháp khắc phục", 19),
            Column("Hạn hoàn thành", 14, "center"),
        ],
        rows,
        bold_rows=frozenset(bold),
        note="Điểm bị trừ = điểm chuẩn − điểm thẩm định; chênh lệch = điểm tự đánh giá − "
        "điểm thẩm định (do hệ thống tính, không nhập tay).",
        font_pt=9,
    )


def _lines(texts: Iterable[str]) -> str:
    """One line per task in a cell; "- " before each when there are several."""
    found = list(texts)
    return "\n".join(f"- {t}" for t in found) if len(found) > 1 else "".join(found)


def sheet_words(sheet: Sheet) -> str:
    """ "6 tháng đầu năm 2023" or "năm 2023 (sau thẩm định vòng 1)"."""
    words = period_words(sheet.ctx.period)
    return f"{words} (sau thẩm định vòng {sheet.round})" if sheet.round else words


def totals_sentence(sheet: Sheet) -> str:
    """The totals in words, every number from the sheet."""
    m = format_vn(sheet.max)
    own = (
        f"Tổng điểm tự đánh giá {format_vn(sheet.self_points)}/{m} điểm; "
        if sheet.self_points is not None
        else ""
    )
    text = (
        f"{own}tổng điểm thẩm định {format_vn(sheet.points)}/{m} điểm; bị trừ "
        f"{format_vn(sheet.lost)} điểm so với điểm chuẩn ở {len(sheet.lost_leaves())} tiêu "
        "chí, tiêu chí thành phần"
    )
    if sheet.gap is not None:
        text += f", trong đó {format_vn(sheet.gap)} điểm so với điểm tự đánh giá"
    return text + "."


def next_words(period: Period) -> str:
    """The time the remedies are for: "6 tháng cuối năm 2023" or "năm 2024"."""
    if period.kind == PeriodKind.INTERIM:
        return f"6 tháng cuối năm {period.year}"
    return f"năm {period.year + 1}"


def signer_of(ctx: UnitContext) -> Signer:
    """The unit's signer as it typed it on its self-assessment report."""
    report = self_assessment_report(ctx.assessment)
    return unit_signer(ctx.unit, title=report.signer_title, name=report.signer_name)


# --------------------------------------------------------------------------- standing


@dataclass(frozen=True)
class Standing:
    """The unit's entry in the period's result version (``parindex-results/1``)."""

    version: ResultVersion
    group_name: str
    entry: dict[str, Any]
    count: int


def unit_standing(period: Period, unit: Unit, version: ResultVersion | None = None) -> Standing:
    """Raises :class:`DocumentError` when the period has no computed results, or they do
    not include the unit."""
    version = version or document_version(period)
    groups = list(ResultGroup.objects.filter(version=version).order_by("position", "name"))
    groups.sort(key=lambda g: g.group_id != unit.group_id)  # the unit's own group first
    for group in groups:
        data = group_data(group)
        units = data.output["units"]
        for entry in units:
            if entry["unit"] == unit.code:
                return Standing(version, group.name, entry, len(units))
    raise DocumentError(
        f"Kết quả Chỉ số CCHC {period_words(period)} (phiên bản {version.number}) không có "
        f"{unit.name}: hãy tính lại kết quả trước khi tạo văn bản."
    )


def result_source(period: Period, standing: Standing) -> str:
    """Where the result comes from: the published decision, else the council's draft."""
    version = standing.version
    words = period_words(period)
    if version.status == VersionStatus.PUBLISHED and version.decision_number:
        day = f" ngày {fmt_date(version.decision_date)}" if version.decision_date else ""
        if "/TB" in version.decision_number.upper():  # the council's notice (285/TB-HĐTĐ)
            return (
                f"Thông báo số {version.decision_number}{day} của "
                f"{council_name(period.jurisdiction)} về kết quả thẩm định Chỉ số CCHC {words}"
            )
        return (
            f"Quyết định số {version.decision_number}{day} của "
            f"{committee_name(period.jurisdiction)} về việc công bố Chỉ số CCHC {words}"
        )
    return (
        f"kết quả xác định Chỉ số CCHC {words} của {council_name(period.jurisdiction)} "
        "(chưa công bố)"
    )


def standing_words(period: Period, standing: Standing, *, short: bool = False) -> str:
    """ "đạt 91,00/100 điểm, xếp loại Tốt, đứng thứ 3 trong số 05 đơn vị nhóm UBND cấp xã
    (tăng 9,18 điểm so với năm 2022)"; ``short``: "… xếp thứ 3/05 đơn vị nhóm …"."""
    entry = standing.entry
    text = f"đạt {format_vn(Decimal(entry['index']))}/100 điểm"
    if entry.get("class"):
        text += f", xếp loại {entry['class']}"
    if short:
        text += f", xếp thứ {entry['rank']}/{standing.count:02d} đơn vị nhóm {standing.group_name}"
    else:
        text += (
            f", đứng thứ {entry['rank']} trong số {standing.count:02d} đơn vị nhóm "
            f"{standing.group_name}"
        )
    change = entry.get("index_change")
    previous = period.previous
    if change is not None and previous is not None:
        value = Decimal(change)
        if value > 0:
            moved = f"tăng {format_vn(value)} điểm"
        elif value < 0:
            moved = f"giảm {format_vn(-value)} điểm"
        else:
            moved = "không đổi"
        text += f" ({moved} so với {period_words(previous)})"
    return text
