"""A 6-month period with two criteria "chưa đánh giá ở kỳ 6 tháng" (the group 3 with its
leaves 3.1 and 3.2, and the leaf 7.3): the unit's screens name them as such, count them as
done, refuse them; the appraisers never get them; the unit's appraisal and its XLSX name
them too.

The sample set (``parindex/conftest.py``) has 12 leaves: 1.1, 1.2, 1.3, 2, 3.1, 3.2, 4, 5,
6, 7.1, 7.3, 7.5 (90 points); without 3 (19) and 7.3 (7): 9 leaves, 64 points."""

from __future__ import annotations

import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.selectors.appraisal import appraisal_progress, appraisal_queue
from parindex.assessments.selectors.screen import self_assessment_screen
from parindex.assessments.selectors.unit_appraisal import unit_appraisal_view
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.services.self_assessment import answer_save
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind
from parindex.periods.selectors import EXCLUDED_LABEL
from parindex.periods.services import period_create
from parindex.season.setup import assignment_save, period_excluded_nodes_set
from parindex.season.stages import period_open_self_assessment, period_start_appraisal
from tests.personas import client_for

pytestmark = pytest.mark.django_db

LEFT_OUT = ("3", "7.3")


@pytest.fixture
def interim(
    province: Unit, communes_group: UnitGroup, criteria_set: CriteriaSet, assessed_unit: Unit
) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.INTERIM,
        name="6 tháng đầu năm 2025",
        groups={communes_group: criteria_set},
        actor=None,
    )
    period_open_self_assessment(period=period, actor=None)
    return period


def _assessment(period: Period, unit: Unit) -> Assessment:
    return Assessment.objects.select_related("period", "unit").get(period=period, unit=unit)


def _node(period: Period, code: str) -> CriterionNode:
    return CriterionNode.objects.get(criteria_set__period_groups__period=period, code=code)


def _save(assessment: Assessment, code: str, value: object, author: User) -> Answer:
    return answer_save(
        assessment=assessment,
        node=_node(assessment.period, code),
        actor=author,
        version=0,
        value=value,
    )


def _leave_out(period: Period) -> Period:
    return period_excluded_nodes_set(period=period, node_codes=list(LEFT_OUT), actor=None)


def test_the_screen_marks_them_and_leaves_them_out_of_the_count(
    interim: Period, assessed_unit: Unit, unit_staff: User
) -> None:
    _leave_out(interim)
    assessment = _assessment(interim, assessed_unit)
    _save(assessment, "1.1", "true", unit_staff)

    screen = self_assessment_screen(assessment, unit_staff)
    marked = {r.node.code for r in screen.rows if r.period_excluded}
    assert marked == {"3", "3.1", "3.2", "7.3"}
    assert screen.result.max == Decimal("64")
    # 3.1, 3.2 and 7.3 left out are not items to enter: 1.1 answered, 1 of 9, 8 still empty
    # (the unit's to-do page counts the same, see season/tests/test_todo.py)
    assert (screen.answered, screen.leaves, screen.remaining) == (1, 9, 8)
    field_3 = next(f for f in screen.fields if f.node.code == "3")
    assert field_3.complete


def test_the_pages_show_the_label_and_no_input(
    interim: Period, assessed_unit: Unit, unit_leader: User
) -> None:
    _leave_out(interim)
    assessment = _assessment(interim, assessed_unit)
    client = client_for(unit_leader)
    url = reverse("assessments:detail", kwargs={"pk": assessment.pk})

    page = client.get(url, {"linh-vuc": "7"}).content.decode()
    assert 'data-con-lai="9"' in page  # the submit confirmation's count: 12 - 3 left out
    assert "Còn 9 tiêu chí chưa nhập." in page
    node_73 = _node(interim, "7.3")
    form = page.split(f'id="muc-form-{node_73.pk}"')[1].split("</form>")[0]
    assert f'id="chua-danh-gia-{node_73.pk}"' in form
    assert "disabled" in form.split('class="noi-dung-muc"')[1].split(">")[0]
    points = page.split(f'id="diem-{node_73.pk}"')[1].split("</div>")[0]
    assert EXCLUDED_LABEL in points
    assert "Không áp dụng" not in points
    form_71 = page.split(f'id="muc-form-{_node(interim, "7.1").pk}"')[1].split("</form>")[0]
    assert "chua-danh-gia-" not in form_71
    assert "disabled" not in form_71.split('class="noi-dung-muc"')[1].split(">")[0]
    # the tree names the field left out
    tree_3 = page.split(f'id="cay-{_node(interim, "3").pk}"')[1].split("</a>")[0]
    assert EXCLUDED_LABEL in tree_3


def test_the_service_refuses_a_leaf_left_out_or_under_one(
    interim: Period, assessed_unit: Unit, unit_staff: User
) -> None:
    _leave_out(interim)
    assessment = _assessment(interim, assessed_unit)
    for code in ("7.3", "3.1"):
        with pytest.raises(ValidationError) as refused:
            _save(assessment, code, "5", unit_staff)
        message = " ".join(refused.value.messages)
        assert f"Tiêu chí {code} chưa đánh giá ở kỳ 6 tháng" in message
    assert not Answer.objects.filter(
        assessment=assessment, node__code__in=["7.3", "3.1"], self_value__isnull=False
    ).exists()
    _save(assessment, "7.1", "5", unit_staff)  # the others are saved as usual


def test_the_save_view_answers_in_vietnamese(
    interim: Period, assessed_unit: Unit, unit_staff: User
) -> None:
    _leave_out(interim)
    assessment = _assessment(interim, assessed_unit)
    node = _node(interim, "7.3")
    response = client_for(unit_staff).post(
        reverse("assessments:item_save", kwargs={"pk": assessment.pk, "node_id": node.pk}),
        {"version": "0", "value": "5"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code < 500
    assert "chưa đánh giá ở kỳ 6 tháng" in response.content.decode()
    assert not Answer.objects.filter(assessment=assessment, node=node).exists()


@pytest.fixture
def appraising(
    interim: Period, assessed_unit: Unit, unit_staff: User, appraiser: User
) -> Assessment:
    """Values saved before 3 and 7.3 were left out, then appraisal round 1."""
    assessment = _assessment(interim, assessed_unit)
    _save(assessment, "1.1", "true", unit_staff)
    _save(assessment, "7.3", "5/7", unit_staff)
    _leave_out(interim)
    assignment_save(
        period=interim, appraiser=appraiser, node_codes=[], units=[assessed_unit], actor=None
    )
    period_start_appraisal(period=interim, actor=None)
    return _assessment(interim, assessed_unit)


def test_the_appraisers_never_get_them(
    appraising: Assessment, appraiser: User, chair: User
) -> None:
    period = appraising.period
    for user in (appraiser, chair):
        codes = {row.code for row in appraisal_queue(user, period)}
        assert codes == {"1.1", "1.2", "1.3", "2", "4", "5", "6", "7.1", "7.5"}
    [progress] = appraisal_progress(appraiser, period)
    assert progress.total == 9
    left_out = Answer.objects.get(assessment=appraising, node__code="7.3")
    client = client_for(appraiser)
    item = client.get(reverse("appraisal:item", kwargs={"answer_id": left_out.pk}))
    assert item.status_code == 404
    with pytest.raises(PermissionDenied):  # not one of the items they may appraise
        appraisal_save(answer=left_out, actor=appraiser, version=left_out.version, value="7")
    left_out.refresh_from_db()
    assert left_out.appraisal_round == 0


def test_the_units_appraisal_and_its_sheet_name_them(
    appraising: Assessment, unit_leader: User
) -> None:
    view = unit_appraisal_view(appraising)
    statuses = {i.node.code: i.status_label for i in view.items if i.status}
    assert statuses["7.3"] == statuses["3.1"] == statuses["3"] == EXCLUDED_LABEL
    assert statuses["1.1"] == "Chưa thẩm định"
    assert view.result.max == Decimal("64")
    assert view.counts["excluded"] == 3  # the leaves 3.1, 3.2 and 7.3

    client = client_for(unit_leader)
    page = client.get(reverse("assessments:appraisal", kwargs={"pk": appraising.pk}))
    html = page.content.decode()
    row = html.split('id="tham-dinh-7.3"')[1].split("</tr>")[0]
    assert EXCLUDED_LABEL in row and "KAD" not in row

    sheet = client.get(reverse("assessments:appraisal_xlsx", kwargs={"pk": appraising.pk}))
    book = openpyxl.load_workbook(io.BytesIO(sheet.content))
    rows = {r[0]: r for r in book["Bảng điểm"].iter_rows(values_only=True) if r[0]}
    assert rows["7.3"][3] == rows["7.3"][4] == "—"
    assert rows["7.3"][6] == EXCLUDED_LABEL
    assert rows["7.1"][6] == "Chưa thẩm định"
