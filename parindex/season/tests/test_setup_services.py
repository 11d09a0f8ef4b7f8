"""Season administration services: copying a period, its deadlines, group bindings,
appraiser assignments and the 6-month list of criteria not assessed."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import (
    AppraiserAssignment,
    Period,
    PeriodGroup,
    PeriodKind,
    PeriodStatus,
)
from parindex.periods.services import assignment_delete, period_set_status
from parindex.season.setup import (
    assignment_save,
    period_copy,
    period_deadlines_set,
    period_excluded_nodes_set,
    period_group_bind,
    period_group_unbind,
    period_new,
)

from .conftest import local

pytestmark = pytest.mark.django_db

NOW = local(2026, 1, 5, 9)


# --------------------------------------------------------------------------- copying


def test_copy_takes_groups_assignments_and_deadlines_a_year_later(
    season_2025: Period,
    assignment_2025: AppraiserAssignment,
    chair: User,
    criteria_set: CriteriaSet,
    commune: Unit,
) -> None:
    copy = period_copy(source=season_2025, year=2026, kind=PeriodKind.ANNUAL, actor=chair)

    assert copy.name == "Năm 2026"
    assert copy.status == PeriodStatus.PREPARED
    assert copy.previous == season_2025
    assert copy.jurisdiction == season_2025.jurisdiction
    assert copy.evidence_max_mb == 15
    assert {
        (pg.group.code, pg.criteria_set_id) for pg in PeriodGroup.objects.filter(period=copy)
    } == {("so-ban-nganh", criteria_set.pk), ("ubnd-cap-xa", criteria_set.pk)}
    copy.refresh_from_db()
    assert timezone.localtime(copy.self_assessment_deadline) == local(2026, 11, 30)
    assert timezone.localtime(copy.appraisal_1_deadline) == local(2026, 12, 10)
    assert timezone.localtime(copy.explanation_deadline) == local(2026, 12, 15, 11, 30)
    assert timezone.localtime(copy.appraisal_2_deadline) == local(2026, 12, 20)
    [assignment] = AppraiserAssignment.objects.filter(period=copy)
    assert assignment.appraiser == assignment_2025.appraiser
    assert assignment.node_codes == ["1", "3"]
    assert list(assignment.units.all()) == [commune]
    # the source keeps its own
    assert AppraiserAssignment.objects.filter(period=season_2025).count() == 1
    event = AuditEvent.objects.get(action="period.copied")
    assert event.actor == chair
    assert event.after is not None and event.after["years_shifted"] == 1
    assert event.after["assignments"] == 1
    assert AuditEvent.objects.filter(action="period.created", target_id=str(copy.pk)).exists()


def test_copy_moves_deadlines_by_the_difference_of_years(season_2025: Period) -> None:
    season_2025.self_assessment_deadline = local(2024, 2, 29)
    season_2025.save()
    copy = period_copy(source=season_2025, year=2027, kind=PeriodKind.ANNUAL, actor=None)
    copy.refresh_from_db()
    assert timezone.localtime(copy.self_assessment_deadline) == local(2026, 2, 28)
    assert timezone.localtime(copy.appraisal_2_deadline) == local(2027, 12, 20)


def test_copy_refuses_a_period_that_exists_with_a_message_on_the_year(
    season_2025: Period,
) -> None:
    with pytest.raises(ValidationError) as caught:
        period_copy(source=season_2025, year=2025, kind=PeriodKind.ANNUAL, actor=None)
    assert "đã có kỳ đánh giá cả năm năm 2025" in caught.value.message_dict["year"][0]
    assert Period.objects.count() == 1


def test_copy_into_a_six_month_period_of_the_same_year_is_allowed(season_2025: Period) -> None:
    copy = period_copy(source=season_2025, year=2025, kind=PeriodKind.INTERIM, actor=None)
    assert copy.name == "6 tháng đầu năm 2025"
    assert copy.kind == PeriodKind.INTERIM


def test_copy_refuses_another_provinces_chair(season_2025: Period, other_chair: User) -> None:
    with pytest.raises(PermissionDenied):
        period_copy(source=season_2025, year=2026, kind=PeriodKind.ANNUAL, actor=other_chair)
    assert Period.objects.count() == 1


def test_copy_refuses_unit_staff(season_2025: Period, unit_staff: User) -> None:
    with pytest.raises(PermissionDenied):
        period_copy(source=season_2025, year=2026, kind=PeriodKind.ANNUAL, actor=unit_staff)


def test_manager_creates_a_blank_period_with_the_previous_one_to_compare(
    season_2025: Period, manager: User, province: Unit
) -> None:
    period = period_new(jurisdiction=province, year=2026, kind=PeriodKind.ANNUAL, actor=manager)
    assert period.previous == season_2025
    assert not PeriodGroup.objects.filter(period=period).exists()


def test_a_province_manager_sets_up_a_districts_period(manager: User, province: Unit) -> None:
    from parindex.organizations.services import unit_create

    district = unit_create(
        code="T-H-KB", name="Huyện Kim Bảng", level=Level.DISTRICT, parent=province, actor=None
    )
    period = period_new(jurisdiction=district, year=2026, kind=PeriodKind.ANNUAL, actor=manager)
    assert period.jurisdiction == district


# --------------------------------------------------------------------------- deadlines


def test_deadlines_are_set_in_order_and_audited(season_2025: Period, chair: User) -> None:
    period = period_copy(source=season_2025, year=2026, kind=PeriodKind.ANNUAL, actor=None)
    period_deadlines_set(
        period=period,
        deadlines={
            "self_assessment_deadline": local(2026, 10, 31),
            "appraisal_1_deadline": local(2026, 11, 20),
            "explanation_deadline": None,
        },
        actor=chair,
        now=NOW,
    )
    period.refresh_from_db()
    assert timezone.localtime(period.self_assessment_deadline) == local(2026, 10, 31)
    assert period.explanation_deadline is None
    assert timezone.localtime(period.appraisal_2_deadline) == local(2026, 12, 20)
    event = AuditEvent.objects.get(action="period.deadlines_changed")
    assert event.before is not None and event.after is not None
    assert set(event.after) == {
        "self_assessment_deadline",
        "appraisal_1_deadline",
        "explanation_deadline",
    }
    assert event.after["explanation_deadline"] is None


def test_deadlines_out_of_order_are_refused_naming_the_field(
    season_2025: Period, chair: User
) -> None:
    period = period_copy(source=season_2025, year=2026, kind=PeriodKind.ANNUAL, actor=None)
    with pytest.raises(ValidationError) as caught:
        period_deadlines_set(
            period=period,
            deadlines={"explanation_deadline": local(2026, 12, 1)},  # before appraisal 1
            actor=chair,
            now=NOW,
        )
    assert caught.value.message_dict == {
        "explanation_deadline": [
            "Hạn giải trình (01/12/2026 17:00) phải sau hạn thẩm định vòng 1 (10/12/2026 17:00)."
        ]
    }
    period.refresh_from_db()
    assert timezone.localtime(period.explanation_deadline) == local(2026, 12, 15, 11, 30)
    assert not AuditEvent.objects.filter(action="period.deadlines_changed").exists()


def test_a_changed_deadline_in_the_past_is_refused_an_unchanged_one_is_kept(
    season_2025: Period, chair: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        period_deadlines_set(
            period=season_2025,
            deadlines={"appraisal_2_deadline": local(2025, 12, 25)},
            actor=chair,
            now=NOW,
        )
    assert caught.value.message_dict["appraisal_2_deadline"] == [
        "Hạn thẩm định vòng 2 phải sau thời điểm hiện tại."
    ]
    # the stored (past) deadlines sent back unchanged are fine
    period_deadlines_set(
        period=season_2025,
        deadlines={"self_assessment_deadline": season_2025.self_assessment_deadline},
        actor=chair,
        now=NOW,
    )


def test_deadlines_of_a_finalised_period_are_refused(season_2025: Period, chair: User) -> None:
    period_set_status(period=season_2025, status=PeriodStatus.FINALISED, actor=None)
    with pytest.raises(ValidationError, match="đã chốt kết quả"):
        period_deadlines_set(
            period=season_2025,
            deadlines={"appraisal_2_deadline": local(2026, 3, 1)},
            actor=chair,
            now=NOW,
        )


# --------------------------------------------------------------------------- bindings


@pytest.fixture
def blank_2026(province: Unit) -> Period:
    return period_new(jurisdiction=province, year=2026, kind=PeriodKind.ANNUAL, actor=None)


def test_binding_a_set_to_a_group_is_audited_and_can_change(
    blank_2026: Period,
    departments_group: UnitGroup,
    criteria_set: CriteriaSet,
    sample_document: dict[str, Any],
    province: Unit,
    chair: User,
) -> None:
    period_group_bind(
        period=blank_2026, group=departments_group, criteria_set=criteria_set, actor=chair
    )
    newer = criteria_set_import_document(
        document=sample_document,
        info=SetInfo(level=Level.DEPARTMENT, year=2026, jurisdiction=province),
        actor=None,
    )
    period_group_bind(period=blank_2026, group=departments_group, criteria_set=newer, actor=chair)
    binding = PeriodGroup.objects.get(period=blank_2026)
    assert binding.criteria_set == newer
    events = AuditEvent.objects.filter(action="period.group_bound").order_by("pk")
    assert [(e.after or {})["criteria_set"] for e in events] == [criteria_set.pk, newer.pk]
    assert events[1].before == {"group": "so-ban-nganh", "criteria_set": criteria_set.pk}
    period_group_unbind(period=blank_2026, group=departments_group, actor=chair)
    assert not PeriodGroup.objects.filter(period=blank_2026).exists()
    assert AuditEvent.objects.filter(action="period.group_unbound").count() == 1


def test_binding_is_refused_once_the_self_assessment_is_open(
    season_2025: Period, departments_group: UnitGroup, criteria_set: CriteriaSet, chair: User
) -> None:
    period_set_status(period=season_2025, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
    with pytest.raises(ValidationError) as caught:
        period_group_bind(
            period=season_2025, group=departments_group, criteria_set=criteria_set, actor=chair
        )
    assert "đang ở trạng thái “Đang tự đánh giá”" in caught.value.messages[0]
    assert "Chuẩn bị" in caught.value.messages[0]
    with pytest.raises(ValidationError):
        period_group_unbind(period=season_2025, group=departments_group, actor=chair)
    assert PeriodGroup.objects.filter(period=season_2025).count() == 2


def test_binding_refuses_a_set_the_actor_cannot_read(
    blank_2026: Period,
    departments_group: UnitGroup,
    sample_document: dict[str, Any],
    other_province: Unit,
    chair: User,
) -> None:
    hidden = criteria_set_import_document(
        document=sample_document,
        info=SetInfo(level=Level.DEPARTMENT, year=2026, jurisdiction=other_province),
        actor=None,
    )
    with pytest.raises(ValidationError) as caught:
        period_group_bind(
            period=blank_2026, group=departments_group, criteria_set=hidden, actor=chair
        )
    assert caught.value.message_dict == {"criteria_set": ["Không tìm thấy bộ tiêu chí."]}


# --------------------------------------------------------------------------- assignments


def test_assignments_are_created_changed_and_deleted_with_audit(
    season_2025: Period, appraiser: User, commune: Unit, other_commune: Unit, chair: User
) -> None:
    assignment = assignment_save(
        period=season_2025,
        appraiser=appraiser,
        node_codes=["1", "1.2", "7.3"],
        units=[commune],
        actor=chair,
    )
    assert assignment.node_codes == ["1", "7.3"]  # 1.2 lies under 1
    created = AuditEvent.objects.get(action="assignment.created")
    assert created.actor == chair
    assert created.after is not None and created.after["units"] == ["T-XA-LIEMTUYEN"]

    assignment_save(
        period=season_2025,
        appraiser=appraiser,
        node_codes=[],
        units=[commune, other_commune],
        actor=chair,
        assignment=assignment,
    )
    assignment.refresh_from_db()
    assert assignment.node_codes == []
    changed = AuditEvent.objects.get(action="assignment.changed")
    assert changed.before is not None and changed.after is not None
    assert changed.before["node_codes"] == ["1", "7.3"]
    assert changed.after["units"] == ["T-XA-LIEMTUYEN", "T-XA-THANHSON"]

    assignment_delete(assignment=assignment, actor=chair)
    assert not AppraiserAssignment.objects.exists()
    assert AuditEvent.objects.filter(action="assignment.deleted").count() == 1


def test_assignment_refuses_unknown_codes_outside_units_and_a_second_share(
    season_2025: Period,
    assignment_2025: AppraiserAssignment,
    appraiser: User,
    other_province: Unit,
    chair: User,
    unit_staff: User,
) -> None:
    from parindex.organizations.services import unit_create

    outside = unit_create(
        code="T-NDH-X", name="Xã Nam Định", level=Level.COMMUNE, parent=other_province, actor=None
    )
    with pytest.raises(ValidationError) as caught:
        assignment_save(
            period=season_2025,
            appraiser=appraiser,
            node_codes=["9.9"],
            units=[outside],
            actor=chair,
        )
    errors = caught.value.message_dict
    assert errors["appraiser"] == ["Lê Văn Thẩm đã được phân công trong kỳ này: sửa phân công đó."]
    assert errors["node_codes"] == ["Mã 9.9 không có trong bộ tiêu chí của kỳ đánh giá."]
    assert errors["units"] == ["Không thuộc các nhóm đơn vị của kỳ đánh giá: Xã Nam Định."]
    with pytest.raises(ValidationError) as caught:
        assignment_save(
            period=season_2025, appraiser=unit_staff, node_codes=[], units=[], actor=chair
        )
    assert "không phải thành viên thẩm định" in caught.value.message_dict["appraiser"][0]
    assert caught.value.message_dict["units"] == ["Cần chọn ít nhất một đơn vị hoặc nhóm đơn vị."]


# --------------------------------------------------------------------------- 6-month list


def test_only_a_six_month_period_leaves_criteria_out(season_2025: Period, chair: User) -> None:
    with pytest.raises(ValidationError) as caught:
        period_excluded_nodes_set(period=season_2025, node_codes=["2"], actor=chair)
    assert "node_codes" in caught.value.message_dict


def test_six_month_list_keeps_the_topmost_codes_and_is_audited(
    season_2025: Period, chair: User
) -> None:
    interim = period_copy(source=season_2025, year=2026, kind=PeriodKind.INTERIM, actor=None)
    period_excluded_nodes_set(period=interim, node_codes=["7.3", "7", "2"], actor=chair)
    interim.refresh_from_db()
    assert interim.excluded_node_codes == ["2", "7"]
    event = AuditEvent.objects.get(action="period.excluded_nodes_changed")
    assert event.after == {"excluded_node_codes": ["2", "7"]}
    with pytest.raises(ValidationError) as caught:
        period_excluded_nodes_set(period=interim, node_codes=["8"], actor=chair)
    assert caught.value.message_dict["node_codes"] == [
        "Mã 8 không có trong bộ tiêu chí của kỳ đánh giá."
    ]
    # copied to the next 6-month period
    later = period_copy(source=interim, year=2027, kind=PeriodKind.INTERIM, actor=None)
    assert later.excluded_node_codes == ["2", "7"]


def test_six_month_list_is_refused_once_appraisal_started(season_2025: Period, chair: User) -> None:
    interim = period_copy(source=season_2025, year=2026, kind=PeriodKind.INTERIM, actor=None)
    period_set_status(period=interim, status=PeriodStatus.APPRAISAL_1, actor=None)
    with pytest.raises(ValidationError, match="trước khi bắt đầu thẩm định"):
        period_excluded_nodes_set(period=interim, node_codes=["2"], actor=chair)
