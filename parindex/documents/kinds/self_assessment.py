"""*Báo cáo tự đánh giá, chấm điểm Chỉ số CCHC* of one unit (seed 000, a commune's
BC 101/BC-UBND): the unit's narrative, its self-assessed points from the engine (total, per
field, a chart), the items it gave no evidence for with its explanation, its proposals;
appendices: the self-assessed score sheet of every node and the list of its evidence.

Document contents (keys):

* sections ``implementation``, ``shortcomings``, ``causes``, ``solutions`` (under "I.")
  and ``proposals`` ("III."): the texts the unit wrote (``SelfAssessmentReport``);
* tables ``self_fields`` (per field, total row last), ``no_evidence`` (only when some
  self-assessed leaf has no evidence), ``self_scores`` (appendix I) and ``evidence``
  (appendix II, only when the unit attached any);
* chart ``self_fields_chart`` (column: the fields' percentages, from ``self_fields``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.assessments.models import REPORT_SECTIONS, Answer, SelfAssessmentReport
from parindex.assessments.selectors.report import self_assessment_report
from parindex.core.formatting import fmt_date, format_vn
from parindex.documents.content import (
    Appendix,
    Cell,
    Chart,
    Column,
    Document,
    Item,
    Section,
    Table,
)
from parindex.documents.errors import DocumentError
from parindex.documents.kinds.period_common import lines, period_words
from parindex.documents.kinds.unit_common import (
    NOT_APPLICABLE_CELL,
    SetNode,
    UnitContext,
    date_or_dots,
    day,
    node_numbers,
    parent_agency,
    points_cell,
    set_nodes,
    shown,
    unit_agency,
    unit_context,
    unit_place,
    unit_results,
    unit_signer,
)
from parindex.documents.models import DocumentKind
from parindex.documents.naming import agency_code, council_name, home_affairs
from parindex.evidence.models import EvidenceLink
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.selectors import period_evaluation_input

EMPTY_SECTION = "(Đơn vị chưa nhập nội dung.)"
PROPOSALS = "proposals"
SECTION_I = "I. TÌNH HÌNH THỰC HIỆN CÔNG TÁC CẢI CÁCH HÀNH CHÍNH"
SECTION_II = "II. KẾT QUẢ TỰ ĐÁNH GIÁ"
SECTION_III = "III. KIẾN NGHỊ, ĐỀ XUẤT"
NO_EXPLANATION = "(Đơn vị không thuyết minh.)"
NOT_ANSWERED = "(Đơn vị chưa tự chấm.)"
CITATION = "Không kèm tệp (trích dẫn văn bản)"

Numbers = Mapping[str, tuple[Decimal, Decimal]]


def build(period: Period, *, unit: Unit, round: int | None = None) -> Document:
    """The unit's report for ``period`` (``round`` is not used: a report has no round).

    Raises :class:`DocumentError` when the unit has no assessment in the period, or has
    not self-assessed any item yet."""
    ctx = unit_context(period, unit)
    data = period_evaluation_input(period, ctx.binding)
    entry = unit_results(data, unit.code)
    own = entry.get("self")
    if own is None:
        raise DocumentError(
            f"{unit.name} chưa tự chấm điểm tiêu chí nào trong kỳ đánh giá “{period.name}”: "
            "chưa lập được báo cáo tự đánh giá."
        )
    report = self_assessment_report(ctx.assessment)
    agency = unit_agency(unit)
    number = report_number(report.report_number, agency)
    issued_on = day(ctx.assessment.submitted_at)
    words = period_words(period)
    nodes = set_nodes(data.criteria)
    numbers = node_numbers(own)
    links = _links(ctx)
    attached = f"(Kèm theo Báo cáo số {number} ngày {date_or_dots(issued_on)} của {agency})"
    jurisdiction = period.jurisdiction
    return Document(
        kind=DocumentKind.SELF_ASSESSMENT.value,
        title="Báo cáo",
        summary=f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính {words}",
        parent_agency=parent_agency(unit, period),
        agency=agency,
        number=number,
        place=unit_place(unit, period),
        issued_on=issued_on,
        intro=[
            f"Thực hiện yêu cầu của {council_name(jurisdiction)} về việc tự đánh giá, chấm "
            f"điểm Chỉ số cải cách hành chính {words}, {agency} báo cáo kết quả như sau:"
        ],
        sections=[
            *_narrative(report),
            *_results(data.criteria, own, nodes, numbers, ctx, links),
            _proposals(report, agency, words),
        ],
        signers=[unit_signer(unit, title=report.signer_title, name=report.signer_name)],
        recipients=_recipients(period, unit),
        appendices=[
            Appendix(
                "Bảng điểm tự đánh giá Chỉ số CCHC",
                attached,
                [Section("", [_score_sheet(nodes, numbers, own, ctx)])],
            ),
            Appendix(
                "Danh mục tài liệu kiểm chứng",
                attached,
                [Section("", _evidence_items(nodes, ctx, links))],
            ),
        ],
        file_stem="bao-cao-tu-danh-gia",
    )


def report_number(typed: str, agency: str) -> str:
    """The report's number: as the unit typed it ("101/BC-UBND"; "101" gets the agency's
    letters), else dots to fill by hand ("…/BC-UBND")."""
    letters = f"BC-{agency_code(agency)}"
    typed = typed.strip()
    if not typed:
        return f"…/{letters}"
    return typed if "/" in typed else f"{typed}/{letters}"


def _texts(report: SelfAssessmentReport) -> dict[str, str]:
    return {
        "implementation": report.implementation,
        "shortcomings": report.shortcomings,
        "causes": report.causes,
        "solutions": report.solutions,
        "proposals": report.proposals,
    }


def _paragraphs(text: str) -> list[Item]:
    return list(lines(text)) or [EMPTY_SECTION]


def _narrative(report: SelfAssessmentReport) -> list[Section]:
    texts = _texts(report)
    sections = [Section(SECTION_I)]
    parts = [(name, heading) for name, heading in REPORT_SECTIONS if name != PROPOSALS]
    for i, (name, heading) in enumerate(parts, start=1):
        sections.append(
            Section(f"{i}. {heading}", _paragraphs(texts.get(name, "")), level=2, key=name)
        )
    return sections


def _proposals(report: SelfAssessmentReport, agency: str, words: str) -> Section:
    items = _paragraphs(report.proposals)
    items.append(
        f"Trên đây là báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính "
        f"{words} của {agency}./."
    )
    return Section(SECTION_III, items, key=PROPOSALS)


def _recipients(period: Period, unit: Unit) -> list[str]:
    jurisdiction = period.jurisdiction
    office = home_affairs(jurisdiction)
    found = [council_name(jurisdiction)]
    if office != unit.name:
        found.append(office)
    found.append("Lưu: VT")
    return found


def _links(ctx: UnitContext) -> dict[int, list[EvidenceLink]]:
    """Answer id → its evidence (files and citations), in the order they were added."""
    found: dict[int, list[EvidenceLink]] = {}
    rows = (
        EvidenceLink.objects.filter(answer__assessment=ctx.assessment)
        .select_related("evidence")
        .order_by("added_at", "id")
    )
    for link in rows:
        found.setdefault(link.answer_id, []).append(link)
    return found


# --------------------------------------------------------------------------- II. results


def _results(
    criteria: engine.CriteriaSet,
    own: Mapping[str, Any],
    nodes: list[SetNode],
    numbers: Numbers,
    ctx: UnitContext,
    links: Mapping[int, list[EvidenceLink]],
) -> list[Section]:
    points, max_, percent = own["points"], own["max"], own["percent"]
    items: list[Item] = [
        f"Tổng điểm tự đánh giá: {shown(points)}/{shown(max_)} điểm, đạt {shown(percent)}%."
    ]
    if criteria.survey_max is not None:
        items.append(
            "Điểm đánh giá tác động của cải cách hành chính (khảo sát sự hài lòng của người "
            f"dân, tổ chức), tối đa {format_vn(criteria.survey_max)} điểm, được báo cáo "
            "riêng: đơn vị không tự đánh giá nội dung này, tổng điểm tự đánh giá ở trên "
            "không gồm điểm khảo sát."
        )
    fields = _fields_table(own, nodes)
    by_field: list[Item] = [fields]
    if len(fields.rows) > 1:  # a chart of the fields, without the total row
        by_field.append(_fields_chart(fields))

    missing = _no_evidence_rows(nodes, numbers, ctx, links)
    evidence_items: list[Item]
    if missing:
        evidence_items = [
            "Các tiêu chí đơn vị tự chấm điểm nhưng chưa có tài liệu kiểm chứng và thuyết "
            "minh của đơn vị:",
            Table(
                "no_evidence",
                "Tiêu chí chưa có tài liệu kiểm chứng",
                [
                    Column("Mã", 16, "center"),
                    Column("Tiêu chí", 60),
                    Column("Điểm tự đánh giá", 22, "right"),
                    Column("Giải trình, thuyết minh của đơn vị", 62),
                ],
                missing,
            ),
        ]
    else:
        evidence_items = ["Mọi tiêu chí đơn vị tự chấm điểm đều có tài liệu kiểm chứng."]
    return [
        Section(SECTION_II, items),
        Section("1. Điểm tự đánh giá theo lĩnh vực", by_field, level=2),
        Section("2. Tiêu chí chưa có tài liệu kiểm chứng", evidence_items, level=2),
    ]


def _fields_chart(fields: Table) -> Chart:
    return Chart(
        "self_fields_chart",
        "Tỷ lệ điểm tự đánh giá theo lĩnh vực (%), lĩnh vực theo STT của bảng trên",
        "column",
        fields.key,
        category_column=0,
        value_columns=[4],
        rows=(0, len(fields.rows) - 2),
        value_title="Tỷ lệ (%)",
        series_names=["Tỷ lệ điểm tự đánh giá (%)"],
    )


def _fields_table(own: Mapping[str, Any], nodes: list[SetNode]) -> Table:
    names = {node.code: node.name for node in nodes if node.is_field}
    fields = own["fields"]
    rows: list[list[Cell]] = [
        [
            f["code"],
            names.get(f["code"], f["code"]),
            Decimal(f["max"]),
            Decimal(f["points"]),
            Decimal(f["percent"]),
        ]
        for f in fields
    ]
    rows.append(
        [
            "",
            "Tổng cộng",
            Decimal(own["max"]),
            Decimal(own["points"]),
            Decimal(own["percent"]),
        ]
    )
    return Table(
        "self_fields",
        "Điểm tự đánh giá theo lĩnh vực",
        [
            Column("STT", 14, "center"),
            Column("Lĩnh vực", 80),
            Column("Điểm tối đa", 22, "right"),
            Column("Điểm tự đánh giá", 24, "right"),
            Column("Tỷ lệ (%)", 20, "right"),
        ],
        rows,
        bold_rows=frozenset({len(rows) - 1}),
    )


def _no_evidence_rows(
    nodes: list[SetNode],
    numbers: Numbers,
    ctx: UnitContext,
    links: Mapping[int, list[EvidenceLink]],
) -> list[list[Cell]]:
    """The self-assessed (applicable) leaves with no evidence, with the unit's words."""
    rows: list[list[Cell]] = []
    for node in nodes:
        if not node.is_leaf or node.code not in numbers:
            continue
        answer = ctx.answers.get(node.code)
        if answer is not None and links.get(answer.pk):
            continue
        if answer is None or (answer.self_value is None and not answer.self_not_applicable):
            words = NOT_ANSWERED
        else:
            words = answer.explanation.strip() or NO_EXPLANATION
        rows.append([node.code, node.name, numbers[node.code][0], words])
    return rows


# --------------------------------------------------------------------------- appendices


def _explanation(answer: Answer | None) -> str:
    if answer is None:
        return ""
    if answer.self_not_applicable:
        reason = answer.na_justification.strip()
        return f"{NOT_APPLICABLE_CELL}: {reason}" if reason else NOT_APPLICABLE_CELL
    return answer.explanation.strip()


def _score_sheet(
    nodes: list[SetNode], numbers: Numbers, own: Mapping[str, Any], ctx: UnitContext
) -> Table:
    """Appendix I: every node with its (applicable) max, the self-assessed points and the
    unit's explanation; fields and the total in bold."""
    rows: list[list[Cell]] = []
    bold: set[int] = set()
    for node in nodes:
        found = numbers.get(node.code)
        if node.is_field:
            bold.add(len(rows))
        rows.append(
            [
                node.code,
                node.name,
                found[1] if found is not None else node.max,
                points_cell(numbers, node.code),
                _explanation(ctx.answers.get(node.code)),
            ]
        )
    bold.add(len(rows))
    rows.append(["", "Tổng cộng", Decimal(own["max"]), Decimal(own["points"]), ""])
    return Table(
        "self_scores",
        "Bảng điểm tự đánh giá",
        [
            Column("STT/Mã", 15, "center"),
            Column("Tiêu chí", 62),
            Column("Điểm tối đa", 18, "right"),
            Column("Điểm tự đánh giá", 20, "right"),
            Column("Giải trình, thuyết minh", 45),
        ],
        rows,
        bold_rows=frozenset(bold),
        note="Điểm tối đa của tiêu chí không áp dụng là điểm tối đa theo bộ tiêu chí.",
        font_pt=11,
    )


def _evidence_items(
    nodes: list[SetNode], ctx: UnitContext, links: Mapping[int, list[EvidenceLink]]
) -> list[Item]:
    """Appendix II: every evidence of every criterion, in the set's order."""
    rows: list[list[Cell]] = []
    for node in nodes:
        answer = ctx.answers.get(node.code)
        for link in links.get(answer.pk, []) if answer is not None else []:
            evidence = link.evidence
            rows.append(
                [
                    len(rows) + 1,
                    node.code,
                    link.document_number,
                    fmt_date(link.document_date),
                    link.document_title or (evidence.original_name if evidence else ""),
                    evidence.original_name if evidence else "",
                    evidence.get_signature_status_display() if evidence else CITATION,
                ]
            )
    if not rows:
        return ["Đơn vị chưa đính kèm tài liệu kiểm chứng nào."]
    return [
        Table(
            "evidence",
            "Danh mục tài liệu kiểm chứng",
            [
                Column("STT", 9, "center"),
                Column("Tiêu chí", 13, "center"),
                Column("Số, ký hiệu", 23),
                Column("Ngày ban hành", 20, "center"),
                Column("Trích yếu", 44),
                Column("Tệp", 29),
                Column("Chữ ký số", 22),
            ],
            rows,
            font_pt=10,
        )
    ]
