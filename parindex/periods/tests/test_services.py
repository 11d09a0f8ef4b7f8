"""Period services: creation with group bindings, and forward-only status changes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import Period, PeriodGroup, PeriodKind, PeriodStatus
from parindex.periods.services import (
    allowed_next_statuses,
    period_create,
    period_delete,
    period_set_status,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(
    province: Unit,
    departments_group: UnitGroup,
    communes_group: UnitGroup,
    criteria_set: CriteriaSet,
    manager: User,
) -> Period:
    return period_create(
        jurisdiction=province,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Năm 2024",
        groups={departments_group: criteria_set, communes_group: criteria_set},
        actor=manager,
    )


def test_period_create_binds_each_group_to_its_set(
    period: Period, departments_group: UnitGroup, criteria_set: CriteriaSet
) -> None:
    assert period.status == PeriodStatus.PREPARED
    assert PeriodGroup.objects.filter(period=period).count() == 2
    binding = PeriodGroup.objects.get(period=period, group=departments_group)
    assert binding.criteria_set == criteria_set
    event = AuditEvent.objects.get(action="period.created")
    assert event.after is not None
    assert event.after["groups"] == {
        "so-ban-nganh": criteria_set.pk,
        "ubnd-cap-xa": criteria_set.pk,
    }


def test_period_create_refuses_a_second_period_for_the_same_year(
    period: Period, province: Unit
) -> None:
    with pytest.raises(ValidationError) as exc:
        period_create(
            jurisdiction=province,
            year=2024,
            kind=PeriodKind.ANNUAL,
            name="Năm 2024 (lặp)",
            groups={},
            actor=None,
        )
    assert "đã có kỳ đánh giá cả năm năm 2024" in exc.value.message_dict["year"][0]
    assert Period.objects.count() == 1


def test_period_create_with_previous_period(
    period: Period, province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet
) -> None:
    later = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Năm 2025",
        groups={departments_group: criteria_set},
        previous=period,
        actor=None,
    )
    assert later.previous == period


def test_previous_period_must_be_same_jurisdiction_and_not_later(
    period: Period, province: Unit
) -> None:
    other = unit_create(code="T-QTR", name="Tỉnh Quảng Trị", level=Level.PROVINCE, actor=None)
    with pytest.raises(ValidationError) as exc:
        period_create(
            jurisdiction=other,
            year=2025,
            kind=PeriodKind.ANNUAL,
            name="Năm 2025",
            groups={},
            previous=period,
            actor=None,
        )
    assert "cùng địa bàn" in exc.value.message_dict["previous"][0]
    with pytest.raises(ValidationError) as exc:
        period_create(
            jurisdiction=province,
            year=2023,
            kind=PeriodKind.ANNUAL,
            name="Năm 2023",
            groups={},
            previous=period,
            actor=None,
        )
    assert "không được sau năm 2023" in exc.value.message_dict["previous"][0]


def test_period_create_refuses_bad_kind_and_empty_name(province: Unit) -> None:
    with pytest.raises(ValidationError) as exc:
        period_create(
            jurisdiction=province, year=2024, kind="quarterly", name=" ", groups={}, actor=None
        )
    assert set(exc.value.message_dict) == {"kind", "name"}


def test_status_moves_forward_one_step_or_several(period: Period, manager: User) -> None:
    period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=manager)
    assert period.status == PeriodStatus.SELF_ASSESSMENT
    period_set_status(period=period, status=PeriodStatus.FINALISED, actor=manager)
    period.refresh_from_db()
    assert period.status == PeriodStatus.FINALISED
    events = AuditEvent.objects.filter(action="period.status_changed").order_by("id")
    assert [((e.before or {})["status"], (e.after or {})["status"]) for e in events] == [
        ("prepared", "self_assessment"),
        ("self_assessment", "finalised"),
    ]
    last = events.last()
    assert last is not None
    assert "Đã chốt kết quả" in last.summary


@pytest.mark.parametrize("target", [PeriodStatus.PREPARED, PeriodStatus.APPRAISAL_1])
def test_status_never_moves_back_or_stays(period: Period, target: str) -> None:
    period_set_status(period=period, status=PeriodStatus.APPRAISAL_1, actor=None)
    with pytest.raises(ValidationError) as exc:
        period_set_status(period=period, status=target, actor=None)
    assert "trạng thái chỉ được chuyển tiếp" in exc.value.messages[0]
    period.refresh_from_db()
    assert period.status == PeriodStatus.APPRAISAL_1


def test_unknown_status_is_refused(period: Period) -> None:
    with pytest.raises(ValidationError):
        period_set_status(period=period, status="published", actor=None)


def test_allowed_next_statuses_follow_the_declared_order() -> None:
    assert allowed_next_statuses(PeriodStatus.PREPARED)[0] == PeriodStatus.SELF_ASSESSMENT
    assert allowed_next_statuses(PeriodStatus.APPRAISAL_2) == (PeriodStatus.FINALISED,)
    assert allowed_next_statuses(PeriodStatus.FINALISED) == ()


def test_period_delete_removes_bindings(period: Period) -> None:
    period_delete(period=period, actor=None)
    assert not Period.objects.exists()
    assert not PeriodGroup.objects.exists()
    assert AuditEvent.objects.filter(action="period.deleted").exists()


def test_admin_lists_periods_read_only_and_moves_status(
    superuser_client: Client, period: Period
) -> None:
    response = superuser_client.get("/quan-tri/periods/period/")
    assert response.status_code == 200
    assert "Năm 2024" in response.content.decode()
    detail = superuser_client.get(f"/quan-tri/periods/period/{period.pk}/change/")
    assert detail.status_code == 200
    assert "Sở, ban, ngành" in detail.content.decode()
    assert superuser_client.get("/quan-tri/periods/period/add/").status_code == 403
    # The status action opens the step's confirmation page; it does not act by itself.
    response = superuser_client.post(
        "/quan-tri/periods/period/",
        {"action": "move_to_next_status", "_selected_action": [period.pk]},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/tham-dinh/{period.pk}/dieu-hanh/chuyen-buoc/"
    period.refresh_from_db()
    assert period.status == PeriodStatus.PREPARED
