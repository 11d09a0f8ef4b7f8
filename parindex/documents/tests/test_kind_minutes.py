"""The *Biên bản thẩm định* of a unit and a round: the appraisal tests' season (Sở Tư pháp,
self total 77,44 of 90), round 1 lowering 1.3 by 3 points, round 2 after the unit's
explanation; the last round's numbers equal the final scores."""

from __future__ import annotations

from decimal import Decimal

import pytest

from parindex import engine
from parindex.assessments.services.appraisal import (
    appraisal_accept_self,
    appraisal_save,
    explanation_respond,
)
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    A_TOTAL,
    Season,
    round_1_fixture,
    season_fixture,
)
from parindex.documents.content import Cell, Document
from parindex.documents.errors import DocumentError
from parindex.documents.kinds import minutes
from parindex.documents.render.docx import render_docx
from parindex.documents.render.frame import build_frame
from parindex.documents.render.xlsx import render_xlsx
from parindex.documents.tests.test_kind_self_assessment import docx_text, xlsx_values
from parindex.engine.evalfile import results_document
from parindex.organizations.models import Unit
from parindex.periods.models import PeriodGroup
from parindex.results.selectors import period_evaluation_input
from parindex.season.finalise import period_finalise
from parindex.season.stages import period_open_explanation, period_start_round_2

pytestmark = pytest.mark.django_db

D = Decimal
REASON = "Chỉ có 1 sáng kiến được công nhận, không phải 2."
SETTLED = "Chấp nhận giải trình: 3 sáng kiến được công nhận."


def lower_13(season: Season, *, ask: bool = False) -> None:
    """Round 1: 1.3 ("2" sáng kiến, 3 points) appraised as 0 (0 points); 1.1 and 1.2
    accepted as the unit scored them."""
    answer = season.answer(season.a, "1.3")
    appraisal_save(
        answer=answer,
        actor=season.appraiser,
        version=answer.version,
        value="0",
        comment=REASON,
        needs_explanation=ask,
    )
    appraisal_accept_self(
        answers=[season.answer(season.a, "1.1"), season.answer(season.a, "1.2")],
        actor=season.appraiser,
    )


def rows_by_code(doc: Document) -> dict[str, list[Cell]]:
    return {str(row[0]): row for row in doc.table("minutes_items").rows if row[0]}


def total_row(doc: Document) -> list[Cell]:
    return list(doc.table("minutes_items").rows[-1])


def test_the_minutes_of_round_1(round_1: Season) -> None:
    lower_13(round_1)
    doc = minutes.build(round_1.period, unit=round_1.unit_a)

    assert doc.title == "Biên bản"
    assert doc.summary == (
        "Thẩm định kết quả tự đánh giá, chấm điểm Chỉ số CCHC năm 2024 của Sở Tư pháp (vòng 1)"
    )
    assert (doc.parent_agency, doc.agency) == ("UBND tỉnh Hà Nam", "Hội đồng thẩm định Chỉ số CCHC")
    assert (doc.number, doc.place) == ("…/BB-HĐTĐ", "Hà Nam")
    rows = rows_by_code(doc)
    # code, name, max, self, appraised, difference, reason
    assert rows["1.3"][2:] == [D("6.00"), D("3.00"), D("0.00"), D("-3.00"), REASON]
    assert rows["1.1"][2:] == [D("4.00"), D("4.00"), D("4.00"), D("0.00"), ""]
    assert rows["1"][2:6] == [D("14.00"), D("10.50"), D("7.50"), D("-3.00")]
    # Items not appraised keep the unit's own value.
    assert rows["2"][3] == rows["2"][4] == D("9.25")
    assert total_row(doc)[1:6] == ["Tổng cộng", D("90.00"), A_TOTAL, A_TOTAL - 3, D("-3.00")]
    assert [(s.title, s.name) for s in doc.signers] == [
        ("Thư ký", ""),
        ("Chủ tịch Hội đồng", "Phạm Chủ Tịch"),
        ("Thành viên", "Lê Thẩm Định"),
    ]
    opening = doc.sections[0].items
    assert (
        "- Phạm Chủ Tịch, Chủ tịch Hội đồng;\n- Lê Thẩm Định, thành viên;\n- …, thư ký." in opening
    )
    conclusion = doc.sections[-1].items[0]
    assert conclusion == (
        "Tổng điểm tự đánh giá của Sở Tư pháp: 77,44/90,00 điểm; tổng điểm sau thẩm định "
        "vòng 1: 74,44/90,00 điểm, thấp hơn điểm tự đánh giá 3,00 điểm (1 nội dung bị giảm "
        "điểm, 0 nội dung được tăng điểm)."
    )

    text = docx_text(render_docx(doc, build_frame()))
    for expected in (
        "BIÊN BẢN",
        "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC",
        "Sở Tư pháp (vòng 1)",
        "74,44",
        "−3,00",
        REASON,
        "CHỦ TỊCH HỘI ĐỒNG",
        "THÀNH VIÊN",
        "THƯ KÝ",
        "Lê Thẩm Định",
    ):
        assert expected in text, expected
    [sheet] = xlsx_values(render_xlsx(doc)).values()
    [lowered] = [row for row in sheet if row[0] == "1.3"]
    assert lowered[2:7] == (6, 3, 0, -3, REASON)


def test_the_last_round_equals_the_final_scores(round_1: Season) -> None:
    lower_13(round_1)
    before = minutes.build(round_1.period, unit=round_1.unit_a)
    period_finalise(period=round_1.period, actor=round_1.chair)
    binding = PeriodGroup.objects.get(period=round_1.period, group=round_1.unit_a.group)
    final = results_document(engine.evaluate(period_evaluation_input(round_1.period, binding)))
    [entry] = [u for u in final["units"] if u["unit"] == round_1.unit_a.code]
    after = minutes.build(round_1.period, unit=round_1.unit_a, round=1)
    for doc in (before, after):
        appraised = {code: row[4] for code, row in rows_by_code(doc).items()}
        assert appraised == {n["code"]: D(n["points"]) for n in entry["nodes"]}
        assert total_row(doc)[4] == D(entry["points"]) == A_TOTAL - 3


def test_each_round_has_its_own_minutes(round_1: Season) -> None:
    lower_13(round_1, ask=True)
    period_open_explanation(period=round_1.period, actor=round_1.chair)
    asked = round_1.answer(round_1.a, "1.3")
    explained = explanation_respond(
        answer=asked, actor=round_1.unit_staff, version=asked.version, response="Bổ sung QĐ."
    )
    period_start_round_2(period=round_1.period, actor=round_1.chair)
    appraisal_save(
        answer=explained,
        actor=round_1.appraiser,
        version=explained.version,
        value="3",
        comment=SETTLED,
    )

    first = minutes.build(round_1.period, unit=round_1.unit_a, round=1)
    assert rows_by_code(first)["1.3"][4:] == [D("0.00"), D("-3.00"), REASON]
    second = minutes.build(round_1.period, unit=round_1.unit_a)
    assert second.summary.endswith("(vòng 2)")
    assert rows_by_code(second)["1.3"][4:] == [D("6.00"), D("3.00"), SETTLED]
    assert rows_by_code(second)["1.1"][4:] == [D("4.00"), D("0.00"), ""]  # kept from round 1
    assert total_row(second)[4] == A_TOTAL + 3
    assert [s.name for s in second.signers if s.title == "Thành viên"] == ["Lê Thẩm Định"]

    with pytest.raises(DocumentError) as exc:
        minutes.build(round_1.period, unit=round_1.unit_a, round=3)
    assert str(exc.value) == (
        "Sở Tư pháp chưa có kết quả thẩm định vòng 3 trong kỳ đánh giá “Năm 2024” "
        "(đã thẩm định vòng 1, 2): chưa lập được biên bản của vòng này."
    )


def test_no_minutes_before_an_appraisal_or_without_an_assessment(
    round_1: Season, other_commune: Unit
) -> None:
    with pytest.raises(DocumentError) as exc:
        minutes.build(round_1.period, unit=round_1.unit_b)
    assert str(exc.value) == (
        "Sở Tài chính chưa được thẩm định trong kỳ đánh giá “Năm 2024”: chưa có biên bản "
        "thẩm định để tạo."
    )
    with pytest.raises(DocumentError) as exc:
        minutes.build(round_1.period, unit=other_commune, round=1)
    assert str(exc.value) == (
        "UBND xã Thanh Sơn không có phiếu chấm điểm trong kỳ đánh giá “Năm 2024”: "
        "chưa có văn bản nào của đơn vị để tạo."
    )
