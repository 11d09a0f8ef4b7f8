"""The unit's pages at phone width and in a 6-month period: the appraisal page's tables are
card lists below 768 px (``.table-stack`` with a ``data-label`` per cell; the browser check
is ``tests/browser/test_unit_appraisal_phone.py``), and the summary names the criteria
"chưa đánh giá ở kỳ 6 tháng" with their codes and names."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.selectors.screen import self_assessment_summary
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.assessments.tests.test_interim_screens import (  # noqa: F401 (fixtures)
    LEFT_OUT,
    _assessment,
    _leave_out,
    _node,
    interim,
)
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.season.finalise import period_finalise

pytestmark = pytest.mark.django_db

REASON = "Chỉ có 1 sáng kiến được công nhận, không phải 2."


def _html(response: object) -> str:
    return response.content.decode()  # type: ignore[attr-defined, no-any-return]


def _table(html: str, table_id: str) -> str:
    return (
        html.split(f'id="{table_id}"')[0].rsplit("<table", 1)[1]
        + html.split(f'id="{table_id}"')[1].split("</table>")[0]
    )


# --------------------------------------------------------------------------- the appraisal page


def test_the_appraisal_table_is_a_card_list_with_labels(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.3")
    appraisal_save(
        answer=answer, actor=round_1.appraiser, version=answer.version, value="0", comment=REASON
    )
    url = reverse("assessments:appraisal", args=[round_1.a.pk])
    html = _html(client_for(round_1.unit_staff).get(url))
    table = _table(html, "bang-tham-dinh")
    assert "table-stack" in table.split(">")[0]
    row = table.split('id="tham-dinh-1.3"')[1].split("</tr>")[0]
    for label in ("Tối đa", "Tự đánh giá", "Thẩm định", "Trạng thái", "Ý kiến thẩm định"):
        assert f'data-label="{label}"' in row, label
    assert "Bị hạ điểm" in row and REASON in row
    assert 'style="' not in html  # the CSP: classes only


def test_the_points_lost_table_is_a_card_list_after_finalising(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.3")
    appraisal_save(
        answer=answer, actor=round_1.appraiser, version=answer.version, value="0", comment=REASON
    )
    period_finalise(period=round_1.period, actor=round_1.chair)
    url = reverse("assessments:appraisal", args=[round_1.a.pk])
    lost = _table(_html(client_for(round_1.unit_staff).get(url)), "bang-diem-bi-mat")
    assert "table-stack" in lost.split(">")[0]
    assert 'data-label="Điểm bị mất"' in lost and 'data-label="Lý do"' in lost
    assert "1.3" in lost and REASON in lost


# --------------------------------------------------------------------------- the summary


def test_the_summary_names_the_criteria_left_out_of_a_6_month_period(
    interim: Period,  # noqa: F811 (the fixture)
    assessed_unit: Unit,
    unit_staff: User,
) -> None:
    _leave_out(interim)
    assessment = _assessment(interim, assessed_unit)
    summary = self_assessment_summary(assessment)
    # the listed nodes, not the leaves under the group 3
    assert [r.node.code for r in summary.period_excluded] == list(LEFT_OUT)

    url = reverse("assessments:summary", kwargs={"pk": assessment.pk})
    html = _html(client_for(unit_staff).get(url))
    section = html.split('id="chua-danh-gia-ky"')[1].split("</section>")[0]
    assert "Tiêu chí chưa đánh giá ở kỳ 6 tháng" in section
    for code in LEFT_OUT:
        node = _node(interim, code)
        assert f'<span class="fw-semibold">{code}</span> {node.name}' in section
    assert "3.1" not in section and "7.1" not in section


def test_no_such_list_without_criteria_left_out(
    interim: Period,  # noqa: F811 (the fixture)
    assessed_unit: Unit,
    unit_staff: User,
) -> None:
    assessment = _assessment(interim, assessed_unit)
    assert self_assessment_summary(assessment).period_excluded == []
    url = reverse("assessments:summary", kwargs={"pk": assessment.pk})
    html = _html(client_for(unit_staff).get(url))
    assert 'id="chua-danh-gia-ky"' not in html
    assert "chưa đánh giá ở kỳ 6 tháng" not in html
