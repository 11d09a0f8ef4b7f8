"""The page "Phân công nhiệm vụ trong đơn vị": its people read it, its leader changes it
(sections by form, assignments a row at a time with htmx), everyone else gets 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import Role, User
from parindex.assessments.tests.test_appraisal_support import Season, client_for, person
from parindex.criteria.models import CriterionNode
from parindex.teams.models import ItemAssignment, Section

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def _url(season: Season, name: str = "teams:unit", *args: int) -> str:
    return reverse(name, args=[season.unit_a.pk, *args])


def _node_id(season: Season, code: str) -> int:
    return CriterionNode.objects.get(criteria_set=season.criteria_set, code=code).pk


def _html(response: Any) -> str:
    return str(response.content.decode())


def test_the_leader_sees_the_tree_with_a_form_per_row(season: Season, office: Section) -> None:
    response = client_for(season.unit_leader).get(_url(season))
    assert response.status_code == 200
    html = _html(response)
    assert "Phân công nhiệm vụ trong đơn vị" in html
    assert "Văn phòng – Thống kê" in html and "Đỗ Thị Hoa" in html
    assert html.count('name="officer"') == 15  # fields and criteria of the sample set
    assert f'id="nd-{_node_id(season, "1.1")}"' in html
    assert "Tối đa 14 điểm" in html
    assert "Thêm bộ phận" in html


def test_staff_read_the_page_without_forms(season: Season, office: Section) -> None:
    html = _html(client_for(season.unit_staff).get(_url(season)))
    assert 'name="officer"' not in html and "Thêm bộ phận" not in html
    assert "Chỉ lãnh đạo đơn vị được thay đổi phân công." in html
    assert "Văn phòng – Thống kê" in html


@pytest.mark.parametrize("who", ["other_staff", "chair", "appraiser"])
def test_anyone_else_gets_404_without_the_units_name(season: Season, who: str) -> None:
    response = client_for(getattr(season, who)).get(_url(season))
    assert response.status_code == 404
    assert "Sở Tư pháp" not in _html(response)


def test_a_visitor_is_sent_to_sign_in(season: Season) -> None:
    response = Client().get(_url(season))
    assert response.status_code == 302 and "/tai-khoan/dang-nhap/" in response["Location"]


def test_the_index_opens_the_users_own_unit(season: Season) -> None:
    response = client_for(season.other_staff).get(reverse("teams:index"))
    assert response["Location"] == reverse("teams:unit", args=[season.unit_b.pk])
    assert client_for(season.chair).get(reverse("teams:index")).status_code == 404


def test_the_navbar_links_the_page_for_unit_people_only(season: Season) -> None:
    link = f'href="{reverse("teams:index")}"'
    assert link in _html(client_for(season.unit_staff).get(reverse("todo")))
    assert link not in _html(client_for(season.chair).get(reverse("todo")))


def test_the_leader_adds_a_section(season: Season, officer: User) -> None:
    client = client_for(season.unit_leader)
    response = client.post(
        _url(season, "teams:section_create"),
        {"name": "Tư pháp – Hộ tịch", "members": [officer.pk, season.unit_staff.pk]},
    )
    assert response.status_code == 302
    section = Section.objects.get(unit=season.unit_a)
    assert set(section.members.all()) == {officer, season.unit_staff}
    assert "Đã thêm bộ phận Tư pháp – Hộ tịch." in _html(client.get(response["Location"]))


def test_a_refused_section_keeps_the_input_and_names_the_field(
    season: Season, office: Section
) -> None:
    response = client_for(season.unit_leader).post(
        _url(season, "teams:section_create"), {"name": "Van phong – Thong ke"}
    )
    assert response.status_code == 400
    html = _html(response)
    assert "Đơn vị đã có bộ phận “Van phong – Thong ke”." in html
    assert 'value="Van phong – Thong ke"' in html
    assert Section.objects.count() == 1


def test_a_member_of_another_unit_is_refused(season: Season) -> None:
    response = client_for(season.unit_leader).post(
        _url(season, "teams:section_create"),
        {"name": "Văn phòng", "members": [season.other_staff.pk]},
    )
    assert response.status_code == 400
    assert "Cán bộ, công chức đã chọn không thuộc đơn vị." in _html(response)
    assert not Section.objects.exists()


def test_staff_may_not_change_sections(season: Season, office: Section) -> None:
    client = client_for(season.unit_staff)
    assert client.post(_url(season, "teams:section_create"), {"name": "X"}).status_code == 403
    url = _url(season, "teams:section_delete", office.pk)
    assert client.post(url).status_code == 403
    assert Section.objects.count() == 1


def test_the_leader_renames_and_deletes_a_section(season: Season, office: Section) -> None:
    client = client_for(season.unit_leader)
    response = client.post(
        _url(season, "teams:section_update", office.pk),
        {"name": "Văn phòng", "members": [season.unit_staff.pk]},
    )
    assert response.status_code == 302
    office.refresh_from_db()
    assert office.name == "Văn phòng" and list(office.members.all()) == [season.unit_staff]
    bad = client.post(_url(season, "teams:section_update", office.pk), {"name": ""})
    assert bad.status_code == 400 and "Cần nhập tên bộ phận." in _html(bad)
    assert client.post(_url(season, "teams:section_delete", office.pk)).status_code == 302
    assert not Section.objects.exists()


def test_another_units_section_is_404(season: Season, office: Section) -> None:
    leader_b = person("lanh.dao.b", Role.UNIT_LEADER, season.unit_b)
    client = client_for(leader_b)
    assert client.post(_url(season, "teams:section_delete", office.pk)).status_code == 404
    own = reverse("teams:section_delete", args=[season.unit_b.pk, office.pk])
    assert client.post(own).status_code == 404
    assert Section.objects.count() == 1


def test_a_row_is_saved_with_htmx_and_the_rows_below_follow(
    season: Season, office: Section
) -> None:
    response = client_for(season.unit_leader).post(
        _url(season, "teams:assignment_save"),
        {"node": "1", "officer": season.unit_staff.pk, "section": office.pk, "note": "Kế hoạch"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = _html(response)
    assert html.count(f'id="nd-{_node_id(season, "1")}"') == 1
    assert "Đã lưu" in html
    child = f'id="phu-trach-{_node_id(season, "1.2")}" class="teams-cover" hx-swap-oob="true"'
    assert child in html
    assert "Theo 1: " in html
    saved = ItemAssignment.objects.get(unit=season.unit_a, node_code="1")
    assert (saved.officer, saved.section, saved.note) == (season.unit_staff, office, "Kế hoạch")


def test_an_empty_row_gives_the_item_to_nobody(season: Season) -> None:
    client = client_for(season.unit_leader)
    url = _url(season, "teams:assignment_save")
    client.post(url, {"node": "3", "officer": season.unit_staff.pk}, headers=HTMX)
    response = client.post(url, {"node": "3", "officer": "", "section": ""}, headers=HTMX)
    assert response.status_code == 200 and "Chưa giao" in _html(response)
    assert not ItemAssignment.objects.exists()


def test_a_refused_row_says_why_and_stores_nothing(season: Season) -> None:
    response = client_for(season.unit_leader).post(
        _url(season, "teams:assignment_save"),
        {"node": "1.1", "officer": season.other_staff.pk},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "1.1: Cán bộ phụ trách: Cán bộ, công chức đã chọn không thuộc đơn vị." in _html(response)
    assert not ItemAssignment.objects.exists()


def test_a_row_without_htmx_redirects_with_a_message(season: Season) -> None:
    client = client_for(season.unit_leader)
    response = client.post(
        _url(season, "teams:assignment_save"), {"node": "2", "officer": season.unit_staff.pk}
    )
    assert response["Location"].endswith(f"#nd-{_node_id(season, '2')}")
    assert "Đã lưu phân công nội dung 2." in _html(client.get(response["Location"]))


def test_an_unknown_code_is_refused(season: Season) -> None:
    response = client_for(season.unit_leader).post(
        _url(season, "teams:assignment_save"),
        {"node": "9", "officer": season.unit_staff.pk},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert response["HX-Redirect"] == _url(season)
    assert not ItemAssignment.objects.exists()


def test_staff_and_other_units_may_not_assign(season: Season) -> None:
    data = {"node": "1", "officer": season.unit_staff.pk}
    url = _url(season, "teams:assignment_save")
    assert client_for(season.unit_staff).post(url, data).status_code == 403
    leader_b = person("lanh.dao.b", Role.UNIT_LEADER, season.unit_b)
    assert client_for(leader_b).post(url, data).status_code == 404
    assert client_for(season.chair).post(url, data).status_code == 404
    assert not ItemAssignment.objects.exists()
