"""A 6-month period with two criteria "chưa đánh giá ở kỳ 6 tháng" (the group 3 with its
leaves 3.1 and 3.2, and the leaf 7.3): the chair's warnings, the finalising tally and the
dashboard do not count them as items to score, nor as unscored or empty.

The sample set (``parindex/conftest.py``) has 12 leaves; without 3.1, 3.2 and 7.3: 9."""

from __future__ import annotations

import pytest
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.services.explanation import explanation_send
from parindex.assessments.services.self_assessment import answer_save
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind
from parindex.periods.services import period_create
from parindex.season.consequences import items_to_score, step_consequences
from parindex.season.dashboard import period_dashboard
from parindex.season.finalise import period_finalise
from parindex.season.setup import assignment_save, period_excluded_nodes_set
from parindex.season.stages import (
    period_open_explanation,
    period_open_self_assessment,
    period_start_appraisal,
)
from tests.personas import client_for

pytestmark = pytest.mark.django_db


def _period(province: Unit, group: UnitGroup, criteria_set: CriteriaSet, kind: str) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=kind,
        name="6 tháng đầu năm 2025" if kind == PeriodKind.INTERIM else "Năm 2025",
        groups={group: criteria_set},
        actor=None,
    )
    period_open_self_assessment(period=period, actor=None)
    return period


@pytest.fixture
def interim(
    province: Unit,
    communes_group: UnitGroup,
    criteria_set: CriteriaSet,
    assessed_unit: Unit,
    unit_staff: User,
) -> Period:
    """1.1 answered, 3.1 saved with an explanation only and 7.3 with a value, then 3 and
    7.3 left out of the period."""
    period = _period(province, communes_group, criteria_set, PeriodKind.INTERIM)
    assessment = Assessment.objects.get(period=period, unit=assessed_unit)
    for code, value, explanation in (
        ("1.1", "true", ""),
        ("3.1", None, "Chưa có số liệu."),
        ("7.3", "5/7", ""),
    ):
        answer_save(
            assessment=assessment,
            node=CriterionNode.objects.get(criteria_set=criteria_set, code=code),
            actor=unit_staff,
            version=0,
            value=value,
            explanation=explanation,
        )
    return period_excluded_nodes_set(period=period, node_codes=["3", "7.3"], actor=None)


def test_items_to_score_leave_them_out(interim: Period, assessed_unit: Unit) -> None:
    assessment = Assessment.objects.get(period=interim, unit=assessed_unit)
    assert items_to_score(interim) == {assessment.pk: (1, 9)}
    consequences = step_consequences(interim, "start_appraisal")
    assert consequences is not None
    assert consequences.items == 9
    assert consequences.unscored == 8  # 9 items, one answered
    assert "(8 nội dung, tính 0 điểm)" in " ".join(consequences.lines())


def test_finalising_leaves_them_out_of_the_counts(interim: Period) -> None:
    period_start_appraisal(period=interim, actor=None)  # every leaf gets an item
    consequences = step_consequences(interim, "finalise")
    assert consequences is not None
    assert (consequences.items, consequences.self_only, consequences.unscored) == (9, 1, 8)
    assert "1/9 nội dung chưa thẩm định" not in " ".join(consequences.lines())  # none appraised
    period_finalise(period=interim, actor=None, confirm_unappraised=True)
    event = AuditEvent.objects.get(action="period.finalised")
    assert isinstance(event.after, dict)
    # 1.1 kept its self score; 8 items empty; 3.1, 3.2 and 7.3 neither
    assert event.after["self_accepted_items"] == 1
    assert event.after["empty_items"] == 8
    assert "1 nội dung chưa thẩm định giữ điểm tự chấm" in event.summary


def test_the_dashboard_counts_nine_items(interim: Period, chair: User) -> None:
    [row] = period_dashboard(interim).units
    assert (row.answered, row.items) == (1, 9)
    page = client_for(chair).get(reverse("season:dashboard", args=[interim.pk]))
    assert ">1/9</td>" in page.content.decode()


def test_the_dashboard_links_the_setup_for_those_who_administer(
    interim: Period, chair: User, observer: User
) -> None:
    url = reverse("season:dashboard", args=[interim.pk])
    setup = reverse("season_setup:detail", args=[interim.pk])
    page = client_for(chair).get(url).content.decode()
    assert f'href="{setup}"' in page and "Thiết lập kỳ đánh giá" in page
    seen = client_for(observer).get(url)
    assert seen.status_code == 200
    assert "Thiết lập kỳ đánh giá" not in seen.content.decode()


def test_the_dashboard_counts_the_explanations_sent(
    province: Unit,
    communes_group: UnitGroup,
    criteria_set: CriteriaSet,
    assessed_unit: Unit,
    other_unit: Unit,
    unit_staff: User,
    unit_leader: User,
    other_staff: User,
    appraiser: User,
    chair: User,
) -> None:
    period = _period(province, communes_group, criteria_set, PeriodKind.ANNUAL)
    node = CriterionNode.objects.get(criteria_set=criteria_set, code="1.1")
    assessments = {}
    for unit, author in ((assessed_unit, unit_staff), (other_unit, other_staff)):
        assessments[unit.pk] = Assessment.objects.get(period=period, unit=unit)
        answer_save(
            assessment=assessments[unit.pk], node=node, actor=author, version=0, value="true"
        )
    assignment_save(
        period=period,
        appraiser=appraiser,
        node_codes=[],
        units=[assessed_unit, other_unit],
        actor=None,
    )
    period_start_appraisal(period=period, actor=None)
    for assessment in assessments.values():
        answer = assessment.answers.get(node=node)
        appraisal_save(
            answer=answer,
            actor=appraiser,
            version=answer.version,
            value=False,
            comment="Chưa có kế hoạch.",
            needs_explanation=True,
        )
    period_open_explanation(period=period, actor=None)
    url = reverse("season:dashboard", args=[period.pk])
    dashboard = period_dashboard(period)
    assert (dashboard.explanation_sent, dashboard.explanation_units) == (0, 2)

    explanation_send(assessment=assessments[assessed_unit.pk], actor=unit_leader)
    dashboard = period_dashboard(period)
    assert (dashboard.explanation_sent, dashboard.explanation_units) == (1, 2)
    page = client_for(chair).get(url).content.decode()
    shown = page.split('id="da-gui-giai-trinh"')[1].split("</div>")[0]
    assert "Đã gửi giải trình" in shown and "1/2" in shown
