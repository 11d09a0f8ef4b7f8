"""Admin edits of accounts and of appraiser assignments leave complete audit events."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parindex.accounts.models import Role, User
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import AppraiserAssignment, Period
from parindex.periods.services import period_create


@pytest.fixture
def officer(fast_password_hasher: None, so_noi_vu: Unit) -> User:
    return User.objects.create_user(
        "xa.thu", password="mat-khau-rat-dai-123", email="thu@example.vn", full_name="Thu"
    )


def _change_data(user: User, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "is_superuser": "on" if user.is_superuser else "",
        "full_name": user.full_name,
        "role": user.role,
        "unit": user.unit_id or "",
        "date_joined_0": user.date_joined.strftime("%d/%m/%Y"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def test_an_admin_edit_names_the_changed_fields(
    superuser_client: Client, superuser: User, officer: User, so_noi_vu: Unit
) -> None:
    response = superuser_client.post(
        f"/quan-tri/accounts/user/{officer.pk}/change/",
        _change_data(officer, is_staff="on", role=Role.CHAIR, unit=so_noi_vu.pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    officer.refresh_from_db()
    assert officer.is_staff and officer.role == Role.CHAIR
    [event] = AuditEvent.objects.filter(action="account.changed")
    assert event.actor == superuser and event.target_id == str(officer.pk)
    assert event.summary == "Sửa tài khoản xa.thu: role, unit, is_staff"
    assert event.before == {"role": "unit_staff", "unit": None, "is_staff": False}
    assert event.after == {"role": "chair", "unit": so_noi_vu.code, "is_staff": True}
    # Saving again without changes writes nothing.
    superuser_client.post(f"/quan-tri/accounts/user/{officer.pk}/change/", _change_data(officer))
    assert AuditEvent.objects.filter(action="account.changed").count() == 1


def test_an_admin_password_change_is_an_event_without_the_hash(
    superuser_client: Client, officer: User
) -> None:
    old_hash = officer.password
    response = superuser_client.post(
        f"/quan-tri/accounts/user/{officer.pk}/password/",
        {
            "password1": "mat-khau-moi-rat-dai-9",
            "password2": "mat-khau-moi-rat-dai-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    officer.refresh_from_db()
    assert officer.password != old_hash
    [event] = AuditEvent.objects.filter(target_type="accounts.user", target_id=str(officer.pk))
    assert event.action == "account.password_changed"
    assert event.summary == "Đổi mật khẩu của xa.thu"
    text = f"{event.summary}{event.before}{event.after}"
    assert old_hash not in text and officer.password not in text and "md5$" not in text
    # A refused form changes nothing and records nothing.
    superuser_client.post(
        f"/quan-tri/accounts/user/{officer.pk}/password/",
        {"password1": "a", "password2": "b", "usable_password": "true"},
    )
    assert (
        AuditEvent.objects.filter(target_type="accounts.user", target_id=str(officer.pk)).count()
        == 1
    )


def test_an_admin_removes_a_lost_authenticator_through_the_audited_service(
    superuser_client: Client, superuser: User, officer: User
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from parindex.accounts.tests.helpers import enrol

    enrol(officer)
    # django_otp's own device pages are not there (they would leave no trace).
    assert superuser_client.get("/quan-tri/otp_totp/totpdevice/").status_code == 404
    response = superuser_client.post(
        "/quan-tri/accounts/user/",
        {"action": "remove_second_factor", "_selected_action": [str(officer.pk)]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    event = AuditEvent.objects.get(action="account.totp_disabled", target_id=str(officer.pk))
    assert event.actor_id == superuser.pk
    assert "quản trị viên gỡ" in event.summary


def test_an_admin_creation_and_deletion_are_recorded(
    superuser_client: Client, fast_password_hasher: None, superuser: User
) -> None:
    response = superuser_client.post(
        "/quan-tri/accounts/user/add/",
        {
            "username": "moi.tao",
            "password1": "mat-khau-moi-rat-dai-9",
            "password2": "mat-khau-moi-rat-dai-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="moi.tao")
    created = AuditEvent.objects.get(action="account.created")
    assert (
        created.target_id == str(user.pk)
        and created.summary == "Tạo tài khoản moi.tao (có mật khẩu)"
    )
    assert created.after is not None and created.after["is_superuser"] is False
    assert user.password not in str(created.after)
    response = superuser_client.post(f"/quan-tri/accounts/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not User.objects.filter(username="moi.tao").exists()
    deleted = AuditEvent.objects.get(action="account.deleted")
    assert deleted.actor == superuser and deleted.before is not None
    assert deleted.before["username"] == "moi.tao"


@pytest.fixture
def period(province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet) -> Period:
    return period_create(
        jurisdiction=province,
        year=2024,
        kind="annual",
        name="Kỳ đánh giá 2024",
        groups={departments_group: criteria_set},
        actor=None,
    )


def test_assignment_saves_and_deletes_are_recorded(
    superuser_client: Client, superuser: User, officer: User, period: Period, so_noi_vu: Unit
) -> None:
    officer.role = Role.APPRAISER
    officer.save()
    response = superuser_client.post(
        "/quan-tri/periods/appraiserassignment/add/",
        {"period": period.pk, "appraiser": officer.pk, "node_codes": "[]", "units": []},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assignment = AppraiserAssignment.objects.get(period=period, appraiser=officer)
    created = AuditEvent.objects.get(action="assignment.created")
    assert created.actor == superuser
    assert created.after == {
        "period": period.pk,
        "appraiser": "xa.thu",
        "node_codes": [],
        "units": [],
    }
    response = superuser_client.post(
        f"/quan-tri/periods/appraiserassignment/{assignment.pk}/change/",
        {
            "period": period.pk,
            "appraiser": officer.pk,
            "node_codes": '["1"]',
            "units": [so_noi_vu.pk],
        },
    )
    assert response.status_code == 302
    changed = AuditEvent.objects.get(action="assignment.changed")
    assert changed.summary.endswith(": node_codes, units")
    assert changed.before is not None and changed.after is not None
    assert (changed.before["units"], changed.after["units"]) == ([], [so_noi_vu.code])
    assert (changed.before["node_codes"], changed.after["node_codes"]) == ([], ["1"])
    response = superuser_client.post(
        f"/quan-tri/periods/appraiserassignment/{assignment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AppraiserAssignment.objects.filter(pk=assignment.pk).exists()
    deleted = AuditEvent.objects.get(action="assignment.deleted")
    assert deleted.before is not None and deleted.before["units"] == [so_noi_vu.code]
