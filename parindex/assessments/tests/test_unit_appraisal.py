"""The unit's side of the appraisal: its appraised scores and the appraisers' reasons on its
own pages, the XLSX of its sheet, "Cập nhật" telling a self-assessment edit from an
appraisal, and "không áp dụng" asked for a whole group."""

from __future__ import annotations

import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from parindex.assessments.models import Answer, AppraisalRecord
from parindex.assessments.selectors.screen import self_assessment_summary
from parindex.assessments.selectors.unit_appraisal import unit_appraisal_view
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    A_TOTAL,
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.criteria.models import CriterionNode
from parindex.season.finalise import period_finalise
from parindex.season.stages import period_start_appraisal

pytestmark = pytest.mark.django_db

REASON = "Chỉ có 1 sáng kiến được công nhận, không phải 2."


def _html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def _index(total: Decimal, max_: Decimal = Decimal(90)) -> str:
    value = (total * 100 / max_).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{value}".replace(".", ",")


def _lower_13(season: Season) -> Answer:
    """The appraiser gives 1.3 ("2" sáng kiến, 3 points) the value 0 (0 points)."""
    answer = season.answer(season.a, "1.3")
    return appraisal_save(
        answer=answer, actor=season.appraiser, version=answer.version, value="0", comment=REASON
    )


# --------------------------------------------------------------------------- point 2


def test_the_unit_sees_appraised_scores_and_reasons_on_its_screen(round_1: Season) -> None:
    _lower_13(round_1)
    client = client_for(round_1.unit_staff)
    html = _html(client.get(reverse("assessments:detail", args=[round_1.a.pk])))
    assert "Chỉ số theo kết quả thẩm định" in html
    assert "Chỉ số tạm tính" not in html
    lowered = A_TOTAL - 3
    assert f"{_index(lowered)}%" in html
    assert "Bị hạ điểm" in html and REASON in html
    assert reverse("assessments:appraisal", args=[round_1.a.pk]) in html
    assert reverse("assessments:appraisal_xlsx", args=[round_1.a.pk]) in html


def test_the_appraisal_page_lists_both_scores_from_the_engine(round_1: Season) -> None:
    _lower_13(round_1)
    one_one = round_1.answer(round_1.a, "1.1")
    appraisal_save(answer=one_one, actor=round_1.appraiser, version=one_one.version, value=True)
    view = unit_appraisal_view(round_1.a)
    assert view.self_result.total == A_TOTAL
    assert view.result.total == A_TOTAL - 3
    by_code = {i.node.code: i for i in view.items}
    assert by_code["1.3"].status == "lowered" and by_code["1.3"].comment == REASON
    assert by_code["1.1"].status == "accepted"
    assert by_code["1.2"].status == "pending"
    url = reverse("assessments:appraisal", args=[round_1.a.pk])
    html = _html(client_for(round_1.unit_leader).get(url))
    assert "Chỉ số theo kết quả thẩm định" in html and f"{_index(A_TOTAL - 3)}%" in html
    assert "Bị hạ điểm: 1" in html and "Chấp nhận: 1" in html
    assert REASON in html and 'style="' not in html
    assert "Điểm bị mất theo tiêu chí" not in html  # only once finalised
    # another unit's staff and an appraiser given one field: not found
    assert client_for(round_1.other_staff).get(url).status_code == 404
    assert client_for(round_1.appraiser).get(url).status_code == 404
    assert client_for(round_1.chair).get(url).status_code == 200


def test_the_xlsx_has_both_scores_and_the_reasons(round_1: Season) -> None:
    _lower_13(round_1)
    url = reverse("assessments:appraisal_xlsx", args=[round_1.a.pk])
    response = client_for(round_1.unit_staff).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "ket-qua-tham-dinh-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {row[0]: row for row in sheet.iter_rows(values_only=True) if row and row[0]}
    assert rows["Mã"][3:5] == ("Điểm tự đánh giá", "Điểm thẩm định")
    code, _name, max_, own, appraised, lost, status, reason = rows["1.3"][:8]
    assert (max_, own, appraised, lost, status, reason) == (6, 3, 0, 6, "Bị hạ điểm", REASON)
    labels = {row[1]: row[4] for row in sheet.iter_rows(values_only=True) if row[1]}
    assert labels["Tổng điểm theo kết quả thẩm định"] == pytest.approx(float(A_TOTAL - 3))
    assert client_for(round_1.other_staff).get(url).status_code == 404
    assert client_for(round_1.appraiser).get(url).status_code == 404


def test_no_appraisal_shown_before_appraisal_starts(season: Season) -> None:
    client = client_for(season.unit_staff)
    html = _html(client.get(reverse("assessments:detail", args=[season.a.pk])))
    assert "Chỉ số tạm tính" in html and "Chỉ số theo kết quả thẩm định" not in html
    page = _html(client.get(reverse("assessments:appraisal", args=[season.a.pk])))
    assert "chưa bắt đầu thẩm định" in page
    xlsx = reverse("assessments:appraisal_xlsx", args=[season.a.pk])
    assert client.get(xlsx).status_code == 404


def test_the_updated_line_tells_self_assessment_from_appraisal(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.3")
    record(actor=round_1.unit_staff, action="answer.self_saved", target=answer, summary="x")
    _lower_13(round_1)
    html = _html(
        client_for(round_1.unit_staff).get(reverse("assessments:detail", args=[round_1.a.pk]))
    )
    line = html.split('id="muc-' + str(answer.node_id) + '"')[1].split('class="col-sm-8 cap-nhat"')[
        1
    ]
    line = line.split("</dd>")[0]
    assert "Tự đánh giá: can.bo.a" in line
    assert "Thẩm định: Lê Thẩm Định" in line


def test_after_finalising_the_points_lost_and_reasons(round_1: Season) -> None:
    _lower_13(round_1)
    period_finalise(period=round_1.period, actor=round_1.chair)
    html = _html(
        client_for(round_1.unit_staff).get(reverse("assessments:appraisal", args=[round_1.a.pk]))
    )
    assert "Kết quả chính thức" in html
    lost = html.split('id="bang-diem-bi-mat"')[1].split("</table>")[0]
    assert "1.3" in lost and REASON in lost
    assert "6,00" in lost  # 1.3: 0 of 6


# --------------------------------------------------------------------------- point 4


def _group(season: Season, code: str) -> CriterionNode:
    return CriterionNode.objects.get(criteria_set=season.criteria_set, code=code)


def test_the_screen_offers_not_applicable_on_a_group_that_allows_it(season: Season) -> None:
    client = client_for(season.other_staff)  # unit B, still self-assessing
    field_3 = _group(season, "3")
    html = _html(client.get(reverse("assessments:detail", args=[season.b.pk]), {"linh-vuc": "3"}))
    assert f'id="kad-nhom-{field_3.pk}"' in html
    assert f'id="ly-do-nhom-{field_3.pk}"' in html
    field_1 = _group(season, "1")
    html_1 = _html(client.get(reverse("assessments:detail", args=[season.b.pk]), {"linh-vuc": "1"}))
    assert f'id="kad-nhom-{field_1.pk}"' not in html_1


def test_a_group_not_applicable_request_leaves_its_max_out(season: Season) -> None:
    client = client_for(season.other_staff)
    field_3 = _group(season, "3")
    url = reverse("assessments:group_not_applicable", args=[season.b.pk, field_3.pk])
    refused = client.post(url, {"version": "0", "not_applicable": "on"}, follow=True)
    assert "Nhóm tiêu chí 3: cần nêu lý do không áp dụng." in _html(refused)
    assert not Answer.objects.filter(assessment=season.b, node=field_3).exists()
    before = self_assessment_summary(season.b).result.max
    done = client.post(
        url,
        {"version": "0", "not_applicable": "on", "na_justification": "Không có TTHC."},
        follow=True,
    )
    assert "Đã lưu đề nghị không áp dụng nhóm tiêu chí 3." in _html(done)
    answer = Answer.objects.get(assessment=season.b, node=field_3)
    assert answer.self_not_applicable and answer.na_justification == "Không có TTHC."
    assert self_assessment_summary(season.b).result.max == before - 19
    assert AuditEvent.objects.filter(action="answer.self_saved", target_id=str(answer.pk)).exists()
    html = _html(client.get(reverse("assessments:detail", args=[season.b.pk]), {"linh-vuc": "3"}))
    assert "đề nghị không áp dụng" in html.lower()
    # a field that does not allow it, and another unit's group: refused / not found
    field_1 = _group(season, "1")
    no = client.post(
        reverse("assessments:group_not_applicable", args=[season.b.pk, field_1.pk]),
        {"version": "0", "not_applicable": "on", "na_justification": "x"},
        follow=True,
    )
    assert "không được đánh dấu “không áp dụng”" in _html(no)
    assert client_for(season.unit_staff).post(url, {"version": "0"}).status_code == 404
    # taking it back
    client.post(url, {"version": str(answer.version)})
    answer.refresh_from_db()
    assert not answer.self_not_applicable
    assert self_assessment_summary(season.b).result.max == before


def test_the_appraiser_confirms_or_refuses_a_group_request(season: Season) -> None:
    client = client_for(season.other_staff)
    field_3 = _group(season, "3")
    url = reverse("assessments:group_not_applicable", args=[season.b.pk, field_3.pk])
    client.post(url, {"version": "0", "not_applicable": "on", "na_justification": "Không có TTHC."})
    period_start_appraisal(period=season.period, actor=season.chair)
    season.refresh()
    answer = Answer.objects.get(assessment=season.b, node=field_3)
    queue = _html(
        client_for(season.appraiser_b).get(reverse("appraisal:queue", args=[season.period.pk]))
    )
    assert reverse("appraisal:item", args=[answer.pk]) in queue
    item = _html(client_for(season.appraiser_b).get(reverse("appraisal:item", args=[answer.pk])))
    assert "Không có TTHC." in item
    view = unit_appraisal_view(season.b)
    assert view.result.max == view.self_result.max  # not appraised: the request stands
    group = view.item(field_3.pk)
    assert group is not None and group.status == "pending" and group.self_na_requested
    appraisal_save(
        answer=answer,
        actor=season.appraiser_b,
        version=answer.version,
        value="",
        not_applicable=True,
    )
    confirmed = unit_appraisal_view(season.b)
    assert confirmed.item(field_3.pk).status == "na_accepted"  # type: ignore[union-attr]
    assert confirmed.result.max == Decimal(71)
    answer.refresh_from_db()
    appraisal_save(
        answer=answer,
        actor=season.appraiser_b,
        version=answer.version,
        value="",
        not_applicable=False,
        comment="Đơn vị có giải quyết TTHC.",
    )
    refused = unit_appraisal_view(season.b)
    assert refused.item(field_3.pk).status == "na_refused"  # type: ignore[union-attr]
    assert refused.result.max == Decimal(90)
    html = _html(
        client_for(season.other_staff).get(reverse("assessments:appraisal", args=[season.b.pk]))
    )
    assert "Không chấp nhận đề nghị không áp dụng" in html and "Đơn vị có giải quyết TTHC." in html
    assert AppraisalRecord.objects.filter(answer=answer).count() == 2
