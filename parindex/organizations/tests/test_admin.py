"""The admin writes units through the services: checks apply and the audit trail grows."""

import pytest
from django.test import Client

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.organizations.models import Level, Unit, UnitGroup


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("quantri", password="mat-khau-quan-tri-123")


@pytest.fixture
def signed_in(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def test_adding_a_unit_in_the_admin_is_audited(signed_in: Client) -> None:
    group = UnitGroup.objects.create(code="xa", name="UBND cấp xã", level=Level.COMMUNE)
    response = signed_in.post(
        "/quan-tri/organizations/unit/add/",
        {
            "code": "XA-01",
            "name": "UBND xã Hòa Bình",
            "short_name": "",
            "level": Level.COMMUNE,
            "group": group.pk,
            "has_procedures": "on",
            "is_active": "on",
            "position": 0,
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(code="XA-01")
    assert AuditEvent.objects.filter(action="unit.created", target_id=str(unit.pk)).exists()


def test_a_unit_cannot_become_its_own_ancestor(signed_in: Client) -> None:
    province = Unit.objects.create(code="T", name="Tỉnh", level=Level.PROVINCE)
    district = Unit.objects.create(code="H", name="Huyện", level=Level.DISTRICT, parent=province)
    response = signed_in.post(
        f"/quan-tri/organizations/unit/{province.pk}/change/",
        {
            "code": "T",
            "name": "Tỉnh",
            "short_name": "",
            "level": Level.PROVINCE,
            "parent": district.pk,
            "position": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "không được là chính đơn vị này" in response.content.decode()
    province.refresh_from_db()
    assert province.parent is None


def test_admin_search_ignores_diacritics(signed_in: Client) -> None:
    Unit.objects.create(code="SNV", name="Sở Nội vụ", level=Level.DEPARTMENT)
    response = signed_in.get("/quan-tri/organizations/unit/", {"q": "so noi vu"})
    assert "Sở Nội vụ" in response.content.decode()
