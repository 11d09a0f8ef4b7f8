"""*Biên bản thẩm định* of one unit and one appraisal round: who appraised it and when, every
item with its self-assessed and appraised points (from the engine), the difference and the
council's reason, the totals and the conclusion, signed by the secretary, the chair and
each appraiser present.

The appraised values of round N are, for each item, those of its latest
:class:`~parindex.assessments.models.AppraisalRecord` with a round ≤ N; an item with none
keeps the unit's own value (as finalising does). For the last round that has records they
are the item's current appraised values, so the numbers equal the final scores.

Document contents (keys): no keyed section (nothing in it is typed by a person); table
``minutes_items`` (every node of the set, the total row last); no chart.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from parindex import engine
from parindex.assessments.models import AppraisalRecord
from parindex.assessments.values import read_stored
from parindex.core.formatting import fmt_date, format_vn
from parindex.documents.content import Cell, Column, Document, Item, Section, Signer, Table
from parindex.documents.errors import DocumentError
from parindex.documents.kinds.period_common import COUNCIL, period_words
from parindex.documents.kinds.unit_common import (
    SetNode,
    UnitContext,
    council_chair,
    day,
    name_of,
    node_numbers,
    points_cell,
    set_nodes,
    shown,
    unit_context,
    unit_results,
)
from parindex.documents.models import DocumentKind
from parindex.documents.naming import committee_name, place_name
from parindex.engine.model import MANUAL, NOT_APPLICABLE, EvaluationInput, Value
from parindex.engine.rules import check_value
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.periods.selectors import excluded_node_codes
from parindex.results.selectors import period_evaluation_input

Numbers = Mapping[str, tuple[Decimal, Decimal]]


def build(period: Period, *, unit: Unit, round: int | None = None) -> Document:
    """The minutes of ``unit``'s appraisal in ``round`` (None: the last round that has
    records). Raises :class:`DocumentError` when the unit has no assessment in the period,
    or no appraisal record in that round yet."""
    ctx = unit_context(period, unit)
    records = list(
        AppraisalRecord.objects.filter(answer__assessment=ctx.assessment)
        .select_related("appraiser")
        .order_by("at", "id")
    )
    number = _round_of(records, round, ctx)
    latest: dict[int, AppraisalRecord] = {}
    for rec in records:
        if rec.round <= number:
            latest[rec.answer_id] = rec  # ordered by time: the last one wins
    in_round = [rec for rec in records if rec.round == number]
    data = round_input(ctx, latest, period_evaluation_input(period, ctx.binding))
    entry = unit_results(data, unit.code)
    nodes = set_nodes(data.criteria)
    chair = council_chair(period)
    chair_name = name_of(chair)
    members = _appraisers(in_round, chair.pk if chair is not None else None)
    words = period_words(period)
    jurisdiction = period.jurisdiction
    table = _items_table(nodes, entry, ctx, latest)
    return Document(
        kind=DocumentKind.MINUTES.value,
        title="Biên bản",
        summary=(
            f"Thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC {words} của {unit.name} "
            f"(vòng {number})"
        ),
        parent_agency=committee_name(jurisdiction),
        agency=COUNCIL,
        number="…/BB-HĐTĐ",
        place=place_name(jurisdiction.name),
        issued_on=day(in_round[-1].at),
        sections=[
            Section("I. THỜI GIAN, THÀNH PHẦN", _opening(ctx, in_round, chair_name, members)),
            Section(
                "II. KẾT QUẢ THẨM ĐỊNH",
                [
                    "Hội đồng thẩm định từng tiêu chí, tiêu chí thành phần theo tài liệu kiểm "
                    "chứng của đơn vị; kết quả như sau:",
                    table,
                ],
            ),
            Section("III. KẾT LUẬN", _conclusion(entry, nodes, table, unit, number)),
        ],
        signers=[
            Signer("", "Thư ký"),
            Signer("", "Chủ tịch Hội đồng", chair_name),
            *(Signer("", "Thành viên", name) for name in members),
        ],
        file_stem="bien-ban-tham-dinh",
    )


def _round_of(records: list[AppraisalRecord], wanted: int | None, ctx: UnitContext) -> int:
    rounds = sorted({rec.round for rec in records})
    name, period = ctx.unit.name, ctx.period.name
    if not rounds:
        raise DocumentError(
            f"{name} chưa được thẩm định trong kỳ đánh giá “{period}”: chưa có biên bản "
            "thẩm định để tạo."
        )
    if wanted is None:
        return rounds[-1]
    if wanted not in rounds:
        done = ", ".join(str(r) for r in rounds)
        raise DocumentError(
            f"{name} chưa có kết quả thẩm định vòng {wanted} trong kỳ đánh giá “{period}” "
            f"(đã thẩm định vòng {done}): chưa lập được biên bản của vòng này."
        )
    return wanted


def round_input(
    ctx: UnitContext, latest: Mapping[int, AppraisalRecord], data: EvaluationInput
) -> EvaluationInput:
    """``data`` (the period group's input) with the unit's scores and not-applicable nodes
    replaced by its values after the round: each item's latest record (value / not
    applicable), else the unit's own. As on the unit's screen, what lies under a node
    not applicable goes with it and the nodes "chưa đánh giá ở kỳ 6 tháng" are left out.
    The survey is measured apart, not appraised by the council: it is left out for the
    unit, so the unit's ``max`` and ``points`` are those of the appraised items."""
    criteria = data.criteria
    parents = {n.parent for n in criteria.nodes if n.parent is not None}
    leaves = {n.code: n for n in criteria.nodes if n.code not in parents}
    up = {n.code: n.parent for n in criteria.nodes}
    scores: dict[str, Value] = {}
    excluded: set[str] = set()
    for code, answer in ctx.answers.items():
        rec = latest.get(answer.pk)
        stored, not_applicable = (
            (rec.value, rec.not_applicable)
            if rec is not None
            else (answer.self_value, answer.self_not_applicable)
        )
        if not_applicable:
            excluded.add(code)
        elif code in leaves and (value := _valid(leaves[code], stored)) is not None:
            scores[code] = value
    excluded |= excluded_node_codes(ctx.period) & up.keys()
    inside = {c for c in up if any(a in excluded for a in _ancestors(c, up))}
    excluded -= inside
    scores = {c: v for c, v in scores.items() if c not in inside}
    code = ctx.unit.code
    survey = dict(data.survey)
    if criteria.survey_max is not None:
        survey[code] = NOT_APPLICABLE
    return dataclasses.replace(
        data,
        scores={**data.scores, code: scores},
        not_applicable={**data.not_applicable, code: frozenset(excluded)},
        survey=survey,
    )


def _valid(node: engine.NodeDef, stored: Any) -> Value | None:
    value = read_stored(stored)
    if value is None or check_value(node.rule or MANUAL, node.max, value) is not None:
        return None
    return value


def _ancestors(code: str, up: Mapping[str, str | None]) -> list[str]:
    chain: list[str] = []
    parent = up.get(code)
    while parent is not None and parent not in chain:
        chain.append(parent)
        parent = up.get(parent)
    return chain


def _appraisers(in_round: list[AppraisalRecord], chair_id: int | None) -> list[str]:
    """The appraisers who recorded a decision on the unit in the round, in order of their
    first record (the chair signs as chair)."""
    seen: dict[int, str] = {}
    for rec in in_round:
        person = rec.appraiser
        if person is not None and person.pk != chair_id and person.pk not in seen:
            seen[person.pk] = name_of(person)
    return list(seen.values())


def _opening(
    ctx: UnitContext, in_round: list[AppraisalRecord], chair: str, members: list[str]
) -> list[Item]:
    days = sorted({d for rec in in_round if (d := day(rec.at)) is not None})
    if len(days) <= 1:
        when = f"Thời gian: ngày {fmt_date(days[0]) if days else '…'}."
    else:
        when = f"Thời gian: từ ngày {fmt_date(days[0])} đến ngày {fmt_date(days[-1])}."
    people = [f"- {chair or '…'}, Chủ tịch Hội đồng;"]
    people += [f"- {name}, thành viên;" for name in members]
    people.append("- …, thư ký.")
    words = period_words(ctx.period)
    return [
        when,
        "Thành phần Hội đồng thẩm định gồm:",
        "\n".join(people),
        f"Đơn vị được thẩm định: {ctx.unit.name}.",
        f"Nội dung: thẩm định kết quả tự đánh giá, chấm điểm các tiêu chí, tiêu chí thành "
        f"phần Chỉ số cải cách hành chính {words} của đơn vị.",
    ]


def _items_table(
    nodes: list[SetNode],
    entry: Mapping[str, Any],
    ctx: UnitContext,
    latest: Mapping[int, AppraisalRecord],
) -> Table:
    appraised: Numbers = node_numbers(entry)
    own: Numbers = node_numbers(entry["self"]) if "self" in entry else {}
    rows: list[list[Cell]] = []
    bold: set[int] = set()
    for node in nodes:
        answer = ctx.answers.get(node.code)
        rec = latest.get(answer.pk) if answer is not None else None
        found = appraised.get(node.code) or own.get(node.code)
        if node.is_field:
            bold.add(len(rows))
        rows.append(
            [
                node.code,
                node.name,
                found[1] if found is not None else node.max,
                points_cell(own, node.code),
                points_cell(appraised, node.code),
                _difference(appraised.get(node.code), own.get(node.code)),
                rec.comment.strip() if rec is not None else "",
            ]
        )
    own_total = Decimal(entry["self"]["points"]) if "self" in entry else None
    total = Decimal(entry["points"])
    bold.add(len(rows))
    rows.append(
        [
            "",
            "Tổng cộng",
            Decimal(entry["max"]),
            own_total,
            total,
            # Both totals are printed with the set's places: their difference is exact.
            total - own_total if own_total is not None else None,
            "",
        ]
    )
    return Table(
        "minutes_items",
        "Kết quả thẩm định các tiêu chí, tiêu chí thành phần",
        [
            Column("STT/Mã", 14, "center"),
            Column("Nội dung", 45),
            Column("Điểm tối đa", 16, "right"),
            Column("Điểm tự đánh giá", 17, "right"),
            Column("Điểm thẩm định", 17, "right"),
            Column("Chênh lệch", 16, "right"),
            Column("Lý do", 35),
        ],
        rows,
        bold_rows=frozenset(bold),
        font_pt=11,
    )


def _difference(
    appraised: tuple[Decimal, Decimal] | None, own: tuple[Decimal, Decimal] | None
) -> Decimal | None:
    """Appraised − self-assessed points of a node. Both numbers are the engine's, printed
    with the same rounding (the set's places), so subtracting the two printed numbers is
    exact: it is the difference a reader of the two columns gets."""
    if appraised is None or own is None:
        return None
    return appraised[0] - own[0]


def _conclusion(
    entry: Mapping[str, Any], nodes: list[SetNode], table: Table, unit: Unit, number: int
) -> list[Item]:
    *items, total = table.rows
    gaps = [row[5] for node, row in zip(nodes, items, strict=True) if node.is_leaf]
    lowered = sum(1 for gap in gaps if isinstance(gap, Decimal) and gap < 0)
    raised = sum(1 for gap in gaps if isinstance(gap, Decimal) and gap > 0)
    appraised = f"{shown(entry['points'])}/{shown(entry['max'])} điểm"
    if "self" not in entry:
        text = f"Tổng điểm sau thẩm định vòng {number} của {unit.name}: {appraised}."
    else:
        own = entry["self"]
        gap = total[5]
        assert isinstance(gap, Decimal)
        if gap < 0:
            compared = f"thấp hơn điểm tự đánh giá {format_vn(-gap)} điểm"
        elif gap > 0:
            compared = f"cao hơn điểm tự đánh giá {format_vn(gap)} điểm"
        else:
            compared = "bằng điểm tự đánh giá"
        text = (
            f"Tổng điểm tự đánh giá của {unit.name}: {shown(own['points'])}/"
            f"{shown(own['max'])} điểm; tổng điểm sau thẩm định vòng {number}: {appraised}, "
            f"{compared} ({lowered} nội dung bị giảm điểm, {raised} nội dung được tăng điểm)."
        )
    return [
        text,
        "Biên bản được lập thành 02 bản: Hội đồng thẩm định giữ 01 bản, gửi đơn vị 01 bản; "
        "các thành viên dự thẩm định thống nhất nội dung và ký tên dưới đây./.",
    ]
