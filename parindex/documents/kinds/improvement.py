"""*Báo cáo đánh giá kết quả Chỉ số CCHC, nhiệm vụ và giải pháp cải thiện, nâng cao* of
one unit (seed 003, BC 20/BC-UBND of Phường 1): I. the result the unit reached (index,
class, rank in its group, change since the previous period, from the period's result
version); II. per field the items that lost points, then per section or officer the
remediation tasks given to them, the tasks nobody was given last; appendix: the
deductions table (:mod:`parindex.documents.kinds.deductions`).

Document contents (keys): table ``deductions`` (the appendix); no keyed section, no chart.
"""

from __future__ import annotations

from parindex.core.formatting import format_vn
from parindex.documents.content import Appendix, Document, Item, Section
from parindex.documents.kinds.period_common import period_words
from parindex.documents.kinds.remediation_common import (
    Sheet,
    TaskGroup,
    deductions_sheet,
    deductions_table,
    next_words,
    result_source,
    signer_of,
    standing_words,
    task_groups,
    task_line,
    totals_sentence,
    unit_standing,
    unit_tasks,
)
from parindex.documents.kinds.unit_common import (
    date_or_dots,
    parent_agency,
    unit_agency,
    unit_place,
)
from parindex.documents.models import DocumentKind
from parindex.documents.naming import agency_code, committee_name, home_affairs
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.models import ResultVersion

NO_TASKS = "Đơn vị chưa giao nhiệm vụ khắc phục nào cho các nội dung bị trừ điểm."


def build(
    period: Period,
    *,
    unit: Unit,
    round: int | None = None,
    version: ResultVersion | None = None,
) -> Document:
    """The report of ``unit`` on ``period``'s results (``round`` is not used: the report
    is about the settled result). Raises
    :class:`~parindex.documents.errors.DocumentError` when the period has no computed
    results or the unit's appraisal is not settled."""
    standing = unit_standing(period, unit, version)
    sheet = deductions_sheet(period, unit)
    tasks = unit_tasks(period, unit, sheet)
    words, later = period_words(period), next_words(period)
    agency = unit_agency(unit)
    number = f"…/BC-{agency_code(agency)}"
    result = (
        f"Theo {result_source(period, standing)}, Chỉ số CCHC {words} của {unit.name} "
        f"{standing_words(period, standing)}. {totals_sentence(sheet)} Chi tiết các nội dung "
        "bị trừ điểm tại Phụ lục kèm theo."
    )
    return Document(
        kind=DocumentKind.IMPROVEMENT.value,
        title="Báo cáo",
        summary=(
            f"Đánh giá kết quả Chỉ số cải cách hành chính {words}, nhiệm vụ và giải pháp cải "
            f"thiện, nâng cao Chỉ số CCHC của {agency} {later}"
        ),
        parent_agency=parent_agency(unit, period),
        agency=agency,
        number=number,
        place=unit_place(unit, period),
        issued_on=None,
        sections=[
            Section(f"I. KẾT QUẢ CHỈ SỐ CCHC ĐẠT ĐƯỢC {words.upper()}", [result]),
            Section(
                f"II. NHIỆM VỤ VÀ GIẢI PHÁP CẢI THIỆN, NÂNG CAO CHỈ SỐ CCHC {later.upper()}",
                [
                    f"Để khắc phục những tồn tại, hạn chế {words} và nâng cao Chỉ số CCHC "
                    f"{later}, {agency} giao nhiệm vụ cụ thể như sau:"
                ],
            ),
            Section("1. Các nội dung bị trừ điểm theo lĩnh vực", _fields(sheet), level=2),
            *_task_sections(task_groups(tasks)),
            Section(
                "",
                [
                    f"Trên đây là báo cáo đánh giá kết quả Chỉ số cải cách hành chính {words}, "
                    f"nhiệm vụ và giải pháp cải thiện, nâng cao Chỉ số CCHC của {agency} "
                    f"{later}./."
                ],
            ),
        ],
        signers=[signer_of(sheet.ctx)],
        recipients=[
            f"{committee_name(unit.parent or period.jurisdiction)} (b/c)",
            home_affairs(period.jurisdiction),
            "Lưu: VT",
        ],
        appendices=[
            Appendix(
                heading=f"Tổng hợp các nội dung bị trừ điểm {words} và biện pháp khắc phục",
                attached_to=(
                    f"(Kèm theo Báo cáo số {number} ngày {date_or_dots(None)} của {agency})"
                ),
                sections=[Section("", [deductions_table(sheet, tasks)])],
                landscape=True,
            )
        ],
        file_stem="bao-cao-giai-phap-nang-cao-chi-so",
    )


def _fields(sheet: Sheet) -> list[Item]:
    """Per field that lost points: its points, then each leaf that lost points."""
    rows = sheet.lost_rows()
    if not rows:
        return ["Đơn vị không bị trừ điểm ở nội dung nào."]
    items: list[Item] = []
    for field in (r for r in rows if r.node.is_field):
        line = (
            f"- Lĩnh vực {field.node.code}. {field.node.name}: đạt {_n(field.points)}/"
            f"{_n(field.max)} điểm, bị trừ {_n(field.lost)} điểm"
        )
        leaves = [
            r
            for r in rows
            if r.node.is_leaf
            and not r.node.is_field
            and r.node.code.startswith(f"{field.node.code}.")
        ]
        if leaves:
            line += " ở các nội dung: " + "; ".join(
                f"{r.node.code} {r.node.name} ({_n(r.points)}/{_n(r.max)}, bị trừ {_n(r.lost)})"
                for r in leaves
            )
        items.append(line + ".")
    return items


def _n(value: object) -> str:
    return format_vn(value)


def _task_sections(groups: list[TaskGroup]) -> list[Section]:
    heading = "2. Nhiệm vụ cụ thể đối với các cán bộ, công chức và bộ phận chuyên môn"
    if not groups:
        return [Section(heading, [NO_TASKS], level=2)]
    sections = [Section(heading, [], level=2)]
    for i, group in enumerate(groups, start=1):
        sections.append(
            Section(
                f"2.{i}. {group.title}",
                [task_line(t, with_officer=t.section is not None) for t in group.tasks],
                level=3,
            )
        )
    return sections
