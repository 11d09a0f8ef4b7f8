"""*Báo cáo kết quả xác định Chỉ số CCHC* of a jurisdiction and period (seed 002: Sở Nội
vụ Hà Nam, BC 251/BC-SNV): the criteria and method, the results per group with their
statistics and change since last year, fields, criteria at full points, the survey, charts,
and the parts the chair writes before issuing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.core.formatting import format_vn
from parindex.documents.content import Chart, Column, Document, Item, Section, Signer, Table
from parindex.documents.kinds import results_tables as t
from parindex.documents.kinds.period_common import (
    document_text,
    lines,
    period_header,
    period_words,
    recipients,
)
from parindex.documents.models import DocumentKind
from parindex.documents.naming import place_name
from parindex.documents.sources import GroupData, document_version, group_data, version_groups
from parindex.periods.models import Period
from parindex.results.models import ResultVersion, VersionStatus

EDITABLE_SECTIONS: list[tuple[str, str]] = [
    ("intro", "Căn cứ, mở đầu"),
    ("implementation", "Tình hình triển khai xác định Chỉ số CCHC"),
    ("achievements", "Đánh giá chung: kết quả đạt được"),
    ("shortcomings", "Đánh giá chung: tồn tại, hạn chế"),
    ("solutions", "Đề xuất giải pháp, kiến nghị"),
]
"""The sections the chair writes (DocumentText.sections keys, in print order)."""
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII"]


def build(
    period: Period, *, group_code: str = "", version: ResultVersion | None = None
) -> Document:
    version = version or document_version(period)
    groups = [group_data(g) for g in version_groups(version, group_code)]
    text = document_text(period, DocumentKind.RESULTS)
    header = period_header(period, text, letters="BC")
    words = period_words(period)
    place = place_name(period.jurisdiction.name)
    names = ", ".join(g.group.name for g in groups)
    typed = text.sections

    def written(key: str, fallback: str) -> list[Item]:
        return list(lines(str(typed.get(key, "")))) or [fallback]

    sections = [
        Section("I. SƠ LƯỢC BỘ TIÊU CHÍ VÀ PHƯƠNG PHÁP XÁC ĐỊNH CHỈ SỐ", _method(groups)),
        Section(
            "Tình hình triển khai",
            written("implementation", "(Chủ tịch Hội đồng bổ sung nội dung trước khi ban hành.)"),
            level=2,
            key="implementation",
        ),
        Section(f"II. KẾT QUẢ CHỈ SỐ CCHC {words.upper()}", []),
    ]
    for number, data in enumerate(groups, start=1):
        sections.extend(_group_sections(data, number, words))
    sections += [
        Section(
            "III. ĐÁNH GIÁ CHUNG",
            ["1. Kết quả đạt được"]
            + written("achievements", "(Chủ tịch Hội đồng bổ sung nội dung.)")
            + ["2. Một số tồn tại, hạn chế"]
            + written("shortcomings", "(Chủ tịch Hội đồng bổ sung nội dung.)"),
            key="assessment",
        ),
        Section(
            "IV. ĐỀ XUẤT CÁC GIẢI PHÁP, KIẾN NGHỊ",
            written("solutions", "(Chủ tịch Hội đồng bổ sung nội dung.)"),
            key="solutions",
        ),
    ]
    draft = version.status != VersionStatus.PUBLISHED
    return Document(
        kind=DocumentKind.RESULTS,
        title="Báo cáo",
        summary=(
            f"Kết quả đánh giá, xác định Chỉ số cải cách hành chính {words} của {names}"
            f" trên địa bàn {place}" + (" (dự thảo)" if draft else "")
        ),
        parent_agency=header.parent_agency,
        agency=header.agency,
        number=header.number,
        place=header.place,
        issued_on=text.issued_on,
        intro=list(lines(str(typed.get("intro", "")))),
        sections=sections,
        signers=[Signer("", text.signer_title or "Giám đốc", text.signer_name)],
        recipients=recipients(
            text,
            [
                f"{period.jurisdiction.name} (để báo cáo)",
                "Các cơ quan, đơn vị được đánh giá",
                "Lưu: VT",
            ],
        ),
        file_stem=f"bao-cao-ket-qua-chi-so-cchc-{period.year}",
    )


def _method(groups: list[GroupData]) -> list[Item]:
    items: list[Item] = []
    seen: set[str] = set()
    for data in groups:
        criteria = data.criteria
        if criteria.name in seen:
            continue
        seen.add(criteria.name)
        fields = [n for n in criteria.nodes if n.parent is None]
        children: dict[str, int] = {}
        for node in criteria.nodes:
            if node.parent is not None:
                children[node.parent] = children.get(node.parent, 0) + 1
        rows: list[list[Any]] = [
            [str(i), f.name, f.max, children.get(f.code, 0)] for i, f in enumerate(fields, start=1)
        ]
        if criteria.survey_max is not None:
            rows.append(["", "Khảo sát sự hài lòng của người dân, tổ chức", criteria.survey_max, 0])
        items.append(
            f"Bộ tiêu chí “{criteria.name}” gồm {len(fields)} lĩnh vực"
            + (", cộng điểm khảo sát sự hài lòng." if criteria.survey_max is not None else ".")
        )
        items.append(
            Table(
                f"criteria-{len(seen)}",
                f"Cấu trúc bộ tiêu chí: {criteria.name}",
                [
                    Column("STT", 12, "center"),
                    Column("Lĩnh vực", 95),
                    Column("Điểm tối đa", 25, "right"),
                    Column("Số tiêu chí", 25, "center"),
                ],
                rows,
            )
        )
        items.extend(_classification(data))
    items.append(
        "Chỉ số CCHC của mỗi đơn vị bằng tổng điểm đạt được chia cho tổng điểm tối đa của các "
        "nội dung áp dụng với đơn vị, nhân 100; đơn vị được xếp hạng trong nhóm theo chỉ số."
    )
    return items


def _classification(data: GroupData) -> list[Item]:
    scheme = data.criteria.classification
    if scheme is None:
        return []
    rows: list[list[Any]] = []
    for band in scheme.bands:
        condition = f"{'trên' if band.min_exclusive else 'từ'} {format_vn(band.min)}%"
        if band.field_min is not None:
            condition += f", mọi lĩnh vực đạt từ {format_vn(band.field_min)}%"
        rows.append([band.label, condition])
    if scheme.otherwise:
        rows.append([scheme.otherwise, "các trường hợp còn lại"])
    return [
        Table(
            f"classes-scheme-{data.group.code}",
            "Phân loại kết quả",
            [Column("Xếp loại", 60), Column("Điều kiện (chỉ số)", 105)],
            rows,
        )
    ]


def _group_sections(data: GroupData, number: int, words: str) -> list[Section]:
    name, code = data.group.name, data.group.code
    results = t.results_table(
        data, key=f"results-{code}", title=f"Bảng {number}: Kết quả Chỉ số CCHC {words} — {name}"
    )
    items: list[Item] = [results, *_statistics(data)]
    if len(results.rows) > 1:
        items.append(
            t.index_chart(
                results, key=f"index-{code}", title=f"Chỉ số CCHC {words} của {name.lower()}"
            )
        )
    classes = t.classes_table(
        data, key=f"classes-{code}", title=f"Số đơn vị theo xếp loại — {name}"
    )
    if classes is not None:
        items += [
            classes,
            Chart(
                f"classes-chart-{code}",
                f"Xếp loại — {name}",
                "column",
                classes.key,
                0,
                list(range(1, len(classes.columns))),
                value_title="Số đơn vị",
            ),
        ]
    means = t.means_table(
        data, key=f"means-{code}", title=f"Giá trị trung bình qua các năm — {name}"
    )
    if means is not None:
        items += [
            means,
            Chart(
                f"means-chart-{code}",
                f"Giá trị trung bình Chỉ số CCHC qua các năm — {name}",
                "line",
                means.key,
                0,
                [1],
            ),
        ]
    fields = t.fields_table(data, key=f"fields-{code}", title=f"Kết quả theo lĩnh vực — {name}")
    criteria = t.criteria_table(
        data, key=f"criteria-{code}", title=f"Số đơn vị đạt điểm tối đa theo tiêu chí — {name}"
    )
    sections = [
        Section(f"{number}. {name}: kết quả chung", items, level=2),
        Section(
            f"Kết quả theo từng lĩnh vực — {name}",
            [fields, *([criteria] if criteria else [])],
            level=3,
        ),
    ]
    survey = t.survey_table(data, key=f"survey-{code}", title=f"Điểm khảo sát sự hài lòng — {name}")
    if survey is not None:
        sections.append(
            Section(
                f"Khảo sát sự hài lòng — {name}",
                [
                    *_survey_lines(data),
                    survey,
                    Chart(
                        f"survey-chart-{code}",
                        f"Điểm khảo sát sự hài lòng — {name}",
                        "barh",
                        survey.key,
                        0,
                        [1],
                        value_title="Điểm",
                    ),
                ],
                level=3,
            )
        )
    return sections


def _n(value: Any) -> str:
    """A number of the results document the Vietnamese way."""
    return format_vn(Decimal(value))


def _change(value: Any, unit: str = "điểm") -> str:
    change = t.dec(value)
    if change is None:
        return ""
    if change > 0:
        return f"tăng {format_vn(change)} {unit}"
    if change < 0:
        return f"giảm {format_vn(-change)} {unit}"
    return "không đổi"


def _statistics(data: GroupData) -> list[Item]:
    s = data.stats
    units = data.output["units"]
    if not units:
        return ["Nhóm chưa có đơn vị nào có kết quả."]
    best, worst = units[0], units[-1]
    out: list[Item] = []
    mean = f"Giá trị trung bình Chỉ số CCHC của {s['count']} đơn vị đạt {_n(s['mean'])}%"
    previous, change = s.get("previous"), s.get("change")
    if previous and change:
        mean += (
            f", {_change(change['mean'])} so với kỳ trước ({format_vn(Decimal(previous['mean']))}%)"
        )
    out.append(mean + f"; có {s['above_mean']} đơn vị đạt cao hơn giá trị trung bình.")
    out.append(
        f"Đơn vị cao nhất là {best['name']} đạt {_n(best['index'])}%, đơn vị thấp nhất"
        f" là {worst['name']} đạt {_n(worst['index'])}%; chênh lệch giữa đơn vị cao"
        f" nhất và thấp nhất là {_n(s['spread'])} điểm"
        + (
            f", {_change(change['spread'])} so với kỳ trước ({_n(previous['spread'])})."
            if previous and change
            else "."
        )
    )
    if "rose" in s:
        out.append(
            f"So với kỳ trước: {s['rose']} đơn vị tăng, {s['fell']} đơn vị giảm,"
            f" {s.get('unchanged', 0)} đơn vị giữ nguyên chỉ số."
        )
    return out


def _survey_lines(data: GroupData) -> list[Item]:
    s = data.stats
    out: list[Item] = [f"Số phiếu khảo sát đã thu: {format_vn(data.survey_forms)} phiếu."]
    if s.get("survey_mean") is not None:
        out.append(
            f"Điểm khảo sát trung bình của {s.get('survey_units', '')} đơn vị được khảo sát:"
            f" {_n(s['survey_mean'])} điểm (tối đa {format_vn(data.criteria.survey_max)})."
        )
    return out
