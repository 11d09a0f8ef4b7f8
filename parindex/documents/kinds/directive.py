"""*Công văn khắc phục tồn tại, hạn chế* of one unit (seed 004, công văn 103/UBND of
UBND xã Hiền Thành): "V/v khắc phục những tồn tại hạn chế trong công tác CCHC, nâng cao
các chỉ số CCHC …", Kính gửi the unit's sections and its officers, the result the unit
reached (index, rank, the points lost: from the result version and the engine), then per
section or officer the council's comment (in italics) and the remedies given to them, the
deadline (the latest due date), Nơi nhận and the signature; the deductions table
attached.

The number, the date and the signer's name are left to fill by hand ("…") unless the
unit typed its signer on its self-assessment report.

Document contents (keys): table ``deductions`` (the appendix); no keyed section, no chart.
"""

from __future__ import annotations

from collections.abc import Mapping

from parindex.documents.content import Appendix, Document, Item, Quote, Section
from parindex.documents.errors import DocumentError
from parindex.documents.kinds.period_common import period_words
from parindex.documents.kinds.remediation_common import (
    TaskGroup,
    deductions_sheet,
    deductions_table,
    latest_due,
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
from parindex.documents.naming import agency_code, committee_name
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.models import ResultVersion
from parindex.teams.models import Section as UnitSection

OFFICERS = "Cán bộ, công chức"


def build(
    period: Period,
    *,
    unit: Unit,
    round: int | None = None,
    version: ResultVersion | None = None,
) -> Document:
    """The công văn of ``unit`` giving its remedies for ``period``'s lost points (``round``
    is not used). Raises :class:`~parindex.documents.errors.DocumentError` when the period
    has no computed results, the appraisal is not settled, or no task was given yet."""
    standing = unit_standing(period, unit, version)
    sheet = deductions_sheet(period, unit)
    tasks = unit_tasks(period, unit, sheet)
    if not tasks:
        raise DocumentError(
            f"{unit.name} chưa có nhiệm vụ khắc phục nào của kỳ đánh giá “{period.name}”: "
            "hãy giao nhiệm vụ khắc phục trước khi lập công văn."
        )
    words, later = period_words(period), next_words(period)
    agency = unit_agency(unit)
    number = f"…/{agency_code(agency)}"
    groups = task_groups(tasks)
    comments = {row.node.code: row.comment for row in sheet.rows}
    return Document(
        kind=DocumentKind.DIRECTIVE.value,
        title="",
        summary=(
            "V/v khắc phục những tồn tại hạn chế trong công tác CCHC, nâng cao các chỉ số "
            f"CCHC {later}"
        ),
        parent_agency=parent_agency(unit, period),
        agency=agency,
        number=number,
        place=unit_place(unit, period),
        issued_on=None,
        intro=[
            *_addressees(unit),
            f"Căn cứ {result_source(period, standing)},",
            f"Chỉ số cải cách hành chính {words} của {unit.name} "
            f"{standing_words(period, standing, short=True)}. Sau khi rà soát, "
            f"{_lower_first(totals_sentence(sheet))}",
            f"Để khắc phục những tồn tại hạn chế {words}, cải thiện Chỉ số cải cách hành "
            f"chính {later}, {agency} yêu cầu các bộ phận chuyên môn, cán bộ, công chức thực "
            "hiện các nội dung sau:",
        ],
        sections=[
            *(_group_section(i, group, comments) for i, group in enumerate(groups, start=1)),
            Section(
                "",
                [
                    f"{agency} đã thống kê các nội dung bị trừ điểm (có Phụ lục kèm theo) để "
                    "các bộ phận, cán bộ, công chức có liên quan theo dõi, khắc phục. Các nội "
                    f"dung cần khắc phục yêu cầu hoàn thành trước ngày {latest_due(tasks)} để "
                    f"đảm bảo cho công tác chấm điểm cải cách hành chính {later}.",
                    "Trên đây là yêu cầu nhiệm vụ về công tác CCHC nhằm khắc phục những tồn "
                    "tại, hạn chế đã được chỉ ra. Đề nghị các bộ phận, cán bộ, công chức có "
                    "liên quan quan tâm thực hiện, đảm bảo hoàn thành 100% yêu cầu nhiệm vụ "
                    "đề ra./.",
                ],
            ),
        ],
        signers=[signer_of(sheet.ctx)],
        recipients=[
            f"{committee_name(unit.parent or period.jurisdiction)} (b/c)",
            "Như kính gửi",
            "Lưu: VT",
        ],
        appendices=[
            Appendix(
                heading=f"Kết quả đánh giá CCHC {unit.name} {words} và biện pháp khắc phục",
                attached_to=(
                    f"(Kèm theo Công văn số {number} ngày {date_or_dots(None)} của {agency})"
                ),
                sections=[Section("", [deductions_table(sheet, tasks)])],
                landscape=True,
            )
        ],
        file_stem="cong-van-khac-phuc",
    )


def _addressees(unit: Unit) -> list[str]:
    """ "Kính gửi:" and one paragraph per addressee (a line break inside a justified
    paragraph would stretch every line)."""
    names = list(
        UnitSection.objects.filter(unit=unit)
        .order_by("position", "name")
        .values_list("name", flat=True)
    )
    lines = [f"- {name};" for name in [*names, OFFICERS]]
    lines[-1] = lines[-1].rstrip(";") + "."
    return ["Kính gửi:", *lines]


def _group_section(number: int, group: TaskGroup, comments: Mapping[str, str]) -> Section:
    """The group's tasks by criterion: the council's comment quoted once, then each task."""
    items: list[Item] = []
    quoted: set[str] = set()
    for task in group.tasks:
        comment = task.council_comment.strip() or comments.get(task.node_code, "")
        if comment and task.node_code not in quoted:
            quoted.add(task.node_code)
            items.append(Quote(f"“{comment}”"))
        items.append(task_line(task, with_officer=task.section is not None))
    return Section(f"{number}. {group.title}:", items, level=2)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]
