"""*Thông báo / Quyết định công bố kết quả Chỉ số CCHC* (a draft for signature) with the
results table attached, for an annual or a 6-month period (seed 004 follows TB 285/TB-HĐTĐ,
the council's 6-month notice)."""

from __future__ import annotations

from typing import Any

from parindex.core.formatting import fmt_date
from parindex.documents.content import Appendix, Document, Item, Section, Signer
from parindex.documents.kinds import results_tables as t
from parindex.documents.kinds.period_common import (
    document_text,
    lines,
    period_header,
    period_words,
    recipients,
)
from parindex.documents.models import DocumentKind
from parindex.documents.naming import council_name, place_name
from parindex.documents.sources import document_version, group_data, version_groups
from parindex.periods.models import Period
from parindex.results.models import ResultVersion

FORMS = {"notice": "Thông báo", "decision": "Quyết định"}
"""DocumentText.sections["form"]: a council's notice or the people's committee's decision."""
FILE_STEMS = {"notice": "thong-bao", "decision": "quyet-dinh"}


def build(
    period: Period, *, group_code: str = "", version: ResultVersion | None = None
) -> Document:
    version = version or document_version(period)
    groups = [group_data(g) for g in version_groups(version, group_code)]
    text = document_text(period, DocumentKind.NOTICE)
    form = text.sections.get("form") if text.sections.get("form") in FORMS else "notice"
    letters = "QĐ" if form == "decision" else "TB"
    header = period_header(period, text, letters=letters)
    words = period_words(period)
    place = place_name(period.jurisdiction.name)
    names = ", ".join(g.group.name for g in groups)
    number_text = header.number
    day = fmt_date(text.issued_on) or "…"
    appendix_sections: list[Section] = []
    counts: list[Item] = []
    for i, data in enumerate(groups, start=1):
        table = t.results_table(
            data, key=f"results-{data.group.code}", title=f"{i}. {data.group.name}", compare=False
        )
        appendix_sections.append(Section("", [table]))
        counts.append(_class_counts(data.group.name, data.stats))
    extra = list(lines(str(text.sections.get("body", ""))))
    if form == "decision":
        sections = _decision(words, names, place, extra)
        signer = Signer("TM. Ủy ban nhân dân", text.signer_title or "Chủ tịch", text.signer_name)
        summary = f"Về việc công bố Chỉ số cải cách hành chính {words} của {names}"
    else:
        sections = [
            Section(
                "",
                [
                    f"Căn cứ kết quả thẩm định của {council_name(period.jurisdiction)}, Hội đồng"
                    f" thông báo kết quả Chỉ số cải cách hành chính {words} của {names} trên"
                    f" địa bàn {place} như sau:",
                    *counts,
                    "(Kết quả chi tiết của từng đơn vị tại Phụ lục kèm theo.)",
                    *extra,
                    "Đề nghị các cơ quan, đơn vị căn cứ kết quả trên, rà soát các nội dung bị trừ"
                    " điểm, xây dựng kế hoạch khắc phục và báo cáo kết quả thực hiện.",
                ],
            )
        ]
        signer = Signer("TM. Hội đồng", text.signer_title or "Chủ tịch", text.signer_name)
        summary = f"Kết quả Chỉ số cải cách hành chính {words} của {names}"
    return Document(
        kind=DocumentKind.NOTICE,
        title=FORMS[str(form)],
        summary=summary,
        parent_agency=header.parent_agency,
        agency=header.agency
        if form == "decision" or text.agency
        else "Hội đồng thẩm định Chỉ số CCHC",
        number=number_text,
        place=header.place,
        issued_on=text.issued_on,
        sections=sections,
        signers=[signer],
        recipients=recipients(text, ["Các cơ quan, đơn vị được đánh giá", "Lưu: VT"]),
        appendices=[
            Appendix(
                f"Kết quả Chỉ số cải cách hành chính {words}",
                f"(Kèm theo {FORMS[str(form)]} số {number_text} ngày {day})",
                appendix_sections,
            )
        ],
        file_stem=f"{FILE_STEMS[str(form)]}-chi-so-cchc-{period.year}",
    )


def _class_counts(name: str, stats: dict[str, Any]) -> str:
    classes = stats.get("classes")
    if isinstance(classes, list) and classes:
        parts = [f"{c['label']}: {c['count']} đơn vị" for c in classes]
        return f"- {name} ({stats.get('count', 0)} đơn vị): " + "; ".join(parts) + "."
    return f"- {name}: {stats.get('count', 0)} đơn vị."


def _decision(words: str, names: str, place: str, extra: list[str]) -> list[Section]:
    return [
        Section(
            "",
            [
                "Căn cứ Luật Tổ chức chính quyền địa phương;",
                "Căn cứ Kế hoạch cải cách hành chính và kế hoạch xác định Chỉ số cải cách hành"
                f" chính {words};",
                f"Theo đề nghị của Hội đồng thẩm định Chỉ số CCHC {place}.",
                *extra,
            ],
        ),
        Section("QUYẾT ĐỊNH:", []),
        Section(
            "",
            [
                f"Điều 1. Công bố kết quả Chỉ số cải cách hành chính {words} của {names} trên địa"
                " bàn (chi tiết tại Phụ lục kèm theo).",
                "Điều 2. Các cơ quan, đơn vị căn cứ kết quả được công bố, khắc phục những nội dung"
                " còn hạn chế, nâng cao hiệu quả công tác cải cách hành chính.",
                "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị"
                " có liên quan chịu trách nhiệm thi hành Quyết định này.",
            ],
        ),
    ]
