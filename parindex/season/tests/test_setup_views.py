"""Season administration pages (/dieu-hanh/ky/): who sees them, creating a period by
copying, deadlines shown and refused, binding a set, assigning an appraiser, the 6-month
list."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import (
    AppraiserAssignment,
    Period,
    PeriodGroup,
    PeriodKind,
    PeriodStatus,
)
from parindex.periods.services import period_create, period_set_status
from tests.personas import client_for

pytestmark = pytest.mark.django_db

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def season_2025(
    province: Unit,
    departments_group: UnitGroup,
    communes_group: UnitGroup,
    criteria_set: CriteriaSet,
    so_noi_vu: Unit,
    commune: Unit,
    other_commune: Unit,
) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Năm 2025",
        groups={departments_group: criteria_set, communes_group: criteria_set},
        actor=None,
    )
    period.self_assessment_deadline = datetime.datetime(2025, 11, 30, 17, 0, tzinfo=HANOI)
    period.save()
    return period


@pytest.fixture
def other_chair_client(db: None) -> Client:
    province = unit_create(code="T-NDH", name="Tỉnh Nam Định", level=Level.PROVINCE, actor=None)
    office = unit_create(
        code="T-NDH-SNV",
        name="Sở Nội vụ Nam Định",
        level=Level.DEPARTMENT,
        parent=province,
        actor=None,
    )
    return client_for(
        User.objects.create_user(
            username="chu.tich.nd", full_name="Trịnh Văn Nam", role=Role.CHAIR, unit=office
        )
    )


def _detail(period: Period) -> str:
    return reverse("season_setup:detail", kwargs={"period_id": period.pk})


def test_chair_and_manager_see_the_list_with_the_menu_link(
    chair_client: Client, manager_client: Client, season_2025: Period
) -> None:
    for client in (chair_client, manager_client):
        response = client.get(reverse("season_setup:list"))
        assert response.status_code == 200
        page = response.content.decode()
        assert "Năm 2025" in page
        assert "Quản lý kỳ đánh giá" in page
        assert reverse("season_setup:list") in page  # the "Quản trị" menu item


def test_other_people_get_404_or_403(
    unit_staff_client: Client,
    observer_client: Client,
    other_chair_client: Client,
    anonymous_client: Client,
    season_2025: Period,
) -> None:
    assert unit_staff_client.get(reverse("season_setup:list")).status_code == 404
    assert unit_staff_client.get(_detail(season_2025)).status_code == 404
    assert observer_client.get(_detail(season_2025)).status_code == 403
    assert other_chair_client.get(reverse("season_setup:list")).status_code == 200
    assert "Năm 2025" not in other_chair_client.get(reverse("season_setup:list")).content.decode()
    assert other_chair_client.get(_detail(season_2025)).status_code == 404
    response = other_chair_client.post(
        reverse("season_setup:create"),
        {"source": season_2025.pk, "year": 2026, "kind": PeriodKind.ANNUAL},
    )
    assert response.status_code == 400
    assert Period.objects.count() == 1
    assert anonymous_client.get(reverse("season_setup:list")).status_code == 302


def test_chair_creates_the_next_period_by_copying(
    chair_client: Client, season_2025: Period, chair: User
) -> None:
    form = chair_client.get(reverse("season_setup:create"))
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="source"' in page and 'name="year"' in page and 'value="2026"' in page
    response = chair_client.post(
        reverse("season_setup:create"),
        {"source": season_2025.pk, "year": "2026", "kind": PeriodKind.ANNUAL, "name": ""},
    )
    period = Period.objects.get(year=2026)
    assert response.status_code == 302
    assert response["Location"] == _detail(period)
    assert period.previous == season_2025
    assert PeriodGroup.objects.filter(period=period).count() == 2
    assert AuditEvent.objects.get(action="period.copied").actor == chair
    page = chair_client.get(_detail(period)).content.decode()
    # the copied deadline, shifted a year, shown in the datetime-local input (local time)
    assert 'type="datetime-local" name="self_assessment_deadline" value="2026-11-30T17:00"' in page
    assert reverse("season:dashboard", kwargs={"period_id": period.pk}) + "#gia-han" in page


def test_a_duplicate_period_is_refused_on_the_year_field(
    chair_client: Client, season_2025: Period
) -> None:
    response = chair_client.post(
        reverse("season_setup:create"),
        {"source": season_2025.pk, "year": "2025", "kind": PeriodKind.ANNUAL},
    )
    assert response.status_code == 400
    assert "Tỉnh Hà Nam đã có kỳ đánh giá cả năm năm 2025." in response.content.decode()
    assert 'id="id_year_error_1"' in response.content.decode()


def test_manager_creates_a_blank_period_for_the_province(
    manager_client: Client, province: Unit
) -> None:
    response = manager_client.post(
        reverse("season_setup:create"),
        {"jurisdiction": province.pk, "year": "2026", "kind": PeriodKind.INTERIM},
    )
    assert response.status_code == 302
    period = Period.objects.get()
    assert (period.name, period.kind) == ("6 tháng đầu năm 2026", PeriodKind.INTERIM)
    missing = manager_client.post(
        reverse("season_setup:create"), {"year": "2027", "kind": PeriodKind.ANNUAL}
    )
    assert missing.status_code == 400
    assert "Chọn địa bàn cho kỳ trống" in missing.content.decode()


def test_deadlines_out_of_order_are_refused_on_the_field(
    chair_client: Client, season_2025: Period
) -> None:
    url = reverse("season_setup:deadlines", kwargs={"period_id": season_2025.pk})
    next_year = timezone.localdate().year + 1
    response = chair_client.post(
        url,
        {
            "self_assessment_deadline": "2025-11-30T17:00",
            "appraisal_1_deadline": f"{next_year}-03-10T17:00",
            "explanation_deadline": f"{next_year}-03-01T17:00",
            "appraisal_2_deadline": "",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Hạn giải trình (01/03/" in page and "phải sau hạn thẩm định vòng 1" in page
    assert 'id="id_explanation_deadline_error_1"' in page
    ok = chair_client.post(
        url,
        {
            "self_assessment_deadline": "2025-11-30T17:00",
            "appraisal_1_deadline": f"{next_year}-03-10T17:00",
            "explanation_deadline": f"{next_year}-03-20T08:30",
            "appraisal_2_deadline": "",
        },
    )
    assert ok.status_code == 302
    season_2025.refresh_from_db()
    assert timezone.localtime(season_2025.explanation_deadline).strftime("%H:%M") == "08:30"
    page = chair_client.get(_detail(season_2025)).content.decode()
    assert f'value="{next_year}-03-20T08:30"' in page


def test_binding_form_and_its_refusal_after_opening(
    chair_client: Client,
    season_2025: Period,
    departments_group: UnitGroup,
    criteria_set: CriteriaSet,
) -> None:
    url = reverse("season_setup:bind", kwargs={"period_id": season_2025.pk})
    unbind = reverse(
        "season_setup:unbind",
        kwargs={"period_id": season_2025.pk, "group_id": departments_group.pk},
    )
    assert chair_client.post(unbind).status_code == 302
    assert PeriodGroup.objects.filter(period=season_2025).count() == 1
    response = chair_client.post(
        url, {"group": departments_group.pk, "criteria_set": criteria_set.pk}
    )
    assert response.status_code == 302
    assert PeriodGroup.objects.filter(period=season_2025).count() == 2
    period_set_status(period=season_2025, status=PeriodStatus.SELF_ASSESSMENT, actor=None)
    refused = chair_client.post(
        url, {"group": departments_group.pk, "criteria_set": criteria_set.pk}
    )
    assert refused.status_code == 400
    assert "chỉ gắn bộ tiêu chí cho nhóm đơn vị khi kỳ còn “Chuẩn bị”" in refused.content.decode()


def test_chair_assigns_an_appraiser_by_group_and_field(
    chair_client: Client,
    season_2025: Period,
    appraiser: User,
    commune: Unit,
    other_commune: Unit,
    communes_group: UnitGroup,
) -> None:
    url = reverse("season_setup:assignment_create", kwargs={"period_id": season_2025.pk})
    form = chair_client.get(url)
    assert form.status_code == 200
    page = form.content.decode()
    assert 'name="node_codes" value="1"' in page and 'name="node_codes" value="1.1"' in page
    assert f'name="groups" value="{communes_group.pk}"' in page
    assert f'name="units" value="{commune.pk}"' in page
    response = chair_client.post(
        url, {"appraiser": appraiser.pk, "node_codes": ["3"], "groups": [communes_group.pk]}
    )
    assert response.status_code == 302
    assignment = AppraiserAssignment.objects.get(period=season_2025)
    assert assignment.node_codes == ["3"]
    assert set(assignment.units.all()) == {commune, other_commune}
    assert AuditEvent.objects.filter(action="assignment.created").count() == 1

    edit = reverse(
        "season_setup:assignment_edit",
        kwargs={"period_id": season_2025.pk, "assignment_id": assignment.pk},
    )
    assert "checked" in chair_client.get(edit).content.decode()
    chair_client.post(edit, {"appraiser": appraiser.pk, "units": [commune.pk]})
    assignment.refresh_from_db()
    assert assignment.node_codes == [] and list(assignment.units.all()) == [commune]
    assert AuditEvent.objects.filter(action="assignment.changed").count() == 1

    delete = reverse(
        "season_setup:assignment_delete",
        kwargs={"period_id": season_2025.pk, "assignment_id": assignment.pk},
    )
    assert "Xoá phân công" in chair_client.get(delete).content.decode()
    assert chair_client.post(delete).status_code == 302
    assert not AppraiserAssignment.objects.exists()
    assert AuditEvent.objects.filter(action="assignment.deleted").count() == 1


def test_an_assignment_without_units_is_refused_on_the_field(
    chair_client: Client, season_2025: Period, appraiser: User
) -> None:
    url = reverse("season_setup:assignment_create", kwargs={"period_id": season_2025.pk})
    response = chair_client.post(url, {"appraiser": appraiser.pk})
    assert response.status_code == 400
    assert "Cần chọn ít nhất một đơn vị hoặc nhóm đơn vị." in response.content.decode()


def test_six_month_list_page(chair_client: Client, season_2025: Period, province: Unit) -> None:
    annual = reverse("season_setup:excluded", kwargs={"period_id": season_2025.pk})
    assert chair_client.get(annual).status_code == 404
    chair_client.post(
        reverse("season_setup:create"),
        {"source": season_2025.pk, "year": "2026", "kind": PeriodKind.INTERIM},
    )
    interim = Period.objects.get(kind=PeriodKind.INTERIM)
    url = reverse("season_setup:excluded", kwargs={"period_id": interim.pk})
    page = chair_client.get(url).content.decode()
    assert "Chưa đánh giá ở kỳ 6 tháng" in page
    assert 'name="node_codes" value="7.3"' in page
    assert chair_client.post(url, {"node_codes": ["2", "7.3"]}).status_code == 302
    interim.refresh_from_db()
    assert interim.excluded_node_codes == ["2", "7.3"]
    assert "2, 7.3" in chair_client.get(_detail(interim)).content.decode()
