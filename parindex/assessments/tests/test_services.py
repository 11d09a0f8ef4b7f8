"""Final scores: engine-validated values stored as evaluation-file JSON, all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, AssessmentStatus, ItemScore
from parindex.assessments.services.final_scores import (
    FinalScores,
    InputValue,
    final_scores_store,
    final_scores_store_many,
)
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.engine import NOT_APPLICABLE, Ratio
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status

pytestmark = pytest.mark.django_db

D = Decimal

GOOD: dict[str, InputValue] = {
    "1.1": True,
    "1.2": D("87.5"),
    "1.3": 2,
    "2": D("9.25"),
    "3.1": Ratio(D(95), D(100)),
    "3.2": D(1),
    "4": D(8),
    "5": D("12.5"),
    "6": D(6),
    "7.1": D("8.75"),
    "7.3": Ratio(D(7), D(9)),
    "7.5": False,
}


@pytest.fixture
def period(province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet) -> Period:
    return period_create(
        jurisdiction=province,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Năm 2024",
        groups={departments_group: criteria_set},
        actor=None,
    )


def store(period: Period, unit: Unit, values: Mapping[str, Any], **kwargs: Any) -> Assessment:
    options: dict[str, Any] = {
        "survey_points": D("9.1"),
        "survey_not_applicable": False,
        "actor": None,
    }
    options.update(kwargs)
    return final_scores_store(period=period, unit=unit, values=values, **options)


def test_values_are_stored_as_evaluation_file_json(
    period: Period, so_noi_vu: Unit, manager: User
) -> None:
    assessment = store(period, so_noi_vu, GOOD, bonus=D("1.5"), actor=manager)
    stored = {
        item.node.code: item.value
        for item in ItemScore.objects.filter(assessment=assessment).select_related("node")
    }
    assert stored["1.1"] is True
    assert stored["7.5"] is False
    assert stored["1.2"] == "87.5"
    assert stored["1.3"] == "2"
    assert stored["3.1"] == {"numerator": "95", "denominator": "100"}
    assert assessment.survey_points == D("9.1")
    assert assessment.bonus == D("1.5")
    event = AuditEvent.objects.get(action="assessment.final_scores_stored")
    assert event.actor == manager
    assert event.after is not None
    assert event.after["values"]["3.1"] == {"numerator": "95", "denominator": "100"}


def test_numerator_above_denominator_is_refused_naming_the_criterion(
    period: Period, so_noi_vu: Unit
) -> None:
    values: dict[str, InputValue] = {**GOOD, "3.1": Ratio(D(120), D(100))}
    with pytest.raises(ValidationError) as exc:
        store(period, so_noi_vu, values)
    [message] = exc.value.messages
    assert message.startswith("tiêu chí 3.1:")
    assert "tử số 120 lớn hơn mẫu số 100" in message
    assert not Assessment.objects.exists()
    assert not ItemScore.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="assessment.").exists()


def test_every_problem_is_reported_at_once(period: Period, so_noi_vu: Unit) -> None:
    values: dict[str, Any] = {
        **GOOD,
        "1.1": D(1),  # boolean wanted
        "1.2": D(120),  # percent above 100
        "2": D(11),  # manual above max
        "3.2": D("1.5"),  # deduction count must be whole
        "7": D(5),  # a parent: scored from its children
        "9.9": D(1),  # no such node
        "7.3": 0.5,  # a float is not an accepted value
    }
    with pytest.raises(ValidationError) as exc:
        store(period, so_noi_vu, values, survey_points=D(11), bonus=D(5))
    text = "\n".join(exc.value.messages)
    for expected in (
        "tiêu chí 1.1: cần giá trị true/false",
        "tiêu chí 1.2: tỷ lệ 120% phải từ 0 đến 100",
        "tiêu chí 2: điểm 11 phải từ 0 đến 10",
        "tiêu chí 3.2: số lần 1,5 phải là số nguyên",
        "tiêu chí 7: có tiêu chí con",
        "tiêu chí 9.9: không có trong bộ tiêu chí",
        "tiêu chí 7.3: giá trị “0,5” không hợp lệ",
        "điểm khảo sát 11 phải từ 0 đến 10",
        "điểm thưởng 5 vượt mức tối đa 2",
    ):
        assert expected in text
    assert not Assessment.objects.exists()


def test_not_applicable_nodes_and_survey(
    period: Period, province: Unit, departments_group: UnitGroup
) -> None:
    office = unit_create(
        code="T-VP",
        name="Văn phòng UBND tỉnh",
        level=Level.DEPARTMENT,
        parent=province,
        group=departments_group,
        has_procedures=False,
        actor=None,
    )
    values = {k: v for k, v in GOOD.items() if not k.startswith("3") and k not in ("7.3", "7.5")}
    values.update({"3": NOT_APPLICABLE, "7.3": NOT_APPLICABLE, "7.5": NOT_APPLICABLE})
    assessment = store(period, office, values, survey_points=None, survey_not_applicable=True)
    na = set(
        ItemScore.objects.filter(assessment=assessment, not_applicable=True).values_list(
            "node__code", flat=True
        )
    )
    assert na == {"3", "7.3", "7.5"}
    assert assessment.survey_not_applicable


def test_a_value_under_a_not_applicable_node_is_refused(period: Period, so_noi_vu: Unit) -> None:
    with pytest.raises(ValidationError) as exc:
        store(period, so_noi_vu, {**GOOD, "3": NOT_APPLICABLE})
    assert "tiêu chí 3.1: thuộc tiêu chí 3 đã đánh dấu không áp dụng" in exc.value.messages[0]


def test_survey_points_and_not_surveyed_together_are_refused(
    period: Period, so_noi_vu: Unit
) -> None:
    with pytest.raises(ValidationError) as exc:
        store(period, so_noi_vu, GOOD, survey_points=D(9), survey_not_applicable=True)
    assert "không thể vừa có điểm vừa không khảo sát" in exc.value.messages[0]


def test_unit_outside_the_period_groups_is_refused(period: Period, commune: Unit) -> None:
    with pytest.raises(ValidationError) as exc:
        store(period, commune, GOOD)
    assert "không thuộc nhóm đơn vị nào của kỳ đánh giá Năm 2024" in exc.value.messages[0]


def test_storing_again_replaces_items_and_keeps_the_assessment(
    period: Period, so_noi_vu: Unit
) -> None:
    first = store(period, so_noi_vu, GOOD)
    second = store(period, so_noi_vu, {"2": D(5)}, survey_points=D(8))
    assert first.pk == second.pk
    assert list(ItemScore.objects.filter(assessment=second).values_list("value", flat=True)) == [
        "5"
    ]
    second.refresh_from_db()
    assert second.survey_points == D(8)
    events = AuditEvent.objects.filter(action="assessment.final_scores_stored").order_by("id")
    last = events.last()
    assert last is not None
    before = last.before
    assert before is not None
    assert before["survey_points"] == "9.1"


def test_finalised_period_cannot_be_changed(period: Period, so_noi_vu: Unit) -> None:
    period_set_status(period=period, status=PeriodStatus.FINALISED, actor=None)
    with pytest.raises(ValidationError) as exc:
        store(period, so_noi_vu, GOOD)
    assert "đã chốt kết quả" in exc.value.messages[0]


def test_store_many_is_all_or_nothing_with_one_audit_event(
    period: Period, so_noi_vu: Unit, province: Unit, departments_group: UnitGroup
) -> None:
    other = unit_create(
        code="T-STP",
        name="Sở Tư pháp",
        level=Level.DEPARTMENT,
        parent=province,
        group=departments_group,
        actor=None,
    )
    entries = [
        FinalScores(unit=so_noi_vu, values=GOOD, survey_points=D(9)),
        FinalScores(unit=other, values={**GOOD, "1.2": D(101)}, survey_points=D(9)),
    ]
    with pytest.raises(ValidationError) as exc:
        final_scores_store_many(period=period, entries=entries, actor=None)
    assert exc.value.messages == ["Đơn vị T-STP, tiêu chí 1.2: tỷ lệ 101% phải từ 0 đến 100."]
    assert not Assessment.objects.exists()
    entries[1] = FinalScores(unit=other, values=GOOD, survey_points=D(9))
    stored = final_scores_store_many(period=period, entries=entries, actor=None)
    assert len(stored) == 2
    assert ItemScore.objects.count() == 2 * len(GOOD)
    assert AuditEvent.objects.filter(action="assessment.final_scores_bulk_stored").count() == 1
    # A season's scores stay in the season's status; a past period brought in is final.
    assert {a.status for a in Assessment.objects.all()} == {AssessmentStatus.NOT_STARTED}
    final_scores_store_many(period=period, entries=entries, actor=None, mark_final=True)
    assert {a.status for a in Assessment.objects.all()} == {AssessmentStatus.FINAL}


def test_admin_is_read_only(superuser_client: Client, period: Period, so_noi_vu: Unit) -> None:
    assessment = store(period, so_noi_vu, GOOD)
    assert superuser_client.get("/quan-tri/assessments/assessment/").status_code == 200
    detail = superuser_client.get(f"/quan-tri/assessments/assessment/{assessment.pk}/change/")
    assert detail.status_code == 200
    assert "numerator" in detail.content.decode()
    assert superuser_client.get("/quan-tri/assessments/assessment/add/").status_code == 403
    response = superuser_client.post(
        f"/quan-tri/assessments/assessment/{assessment.pk}/change/", {"bonus": "2"}
    )
    assert response.status_code == 403
