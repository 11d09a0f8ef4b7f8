"""The second factor cannot be skipped: the admin's sign-in goes through the site's sign-in,
an unverified session of an account with an authenticator is ended, turning it off asks for
a code or the password, required roles must set one up, and wrong codes lock out."""

from __future__ import annotations

import json

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from parindex.accounts.models import Role, User
from parindex.accounts.tests.helpers import PASSWORD, code_for, enrol, sign_in, signed_in
from parindex.audit.models import AuditEvent


@pytest.fixture
def chair(fast_password_hasher: None, db: None) -> User:
    return User.objects.create_user(
        "chu.tich", password=PASSWORD, role=Role.CHAIR, is_staff=True, is_superuser=True
    )


@pytest.fixture
def device(chair: User) -> TOTPDevice:
    return enrol(chair)


# ------------------------------------------------------------------ the admin's sign-in


def test_the_admin_sign_in_with_only_the_password_gives_no_session(
    client: Client, device: TOTPDevice
) -> None:
    response = client.post(
        "/quan-tri/login/",
        {"username": "chu.tich", "password": PASSWORD, "next": "/quan-tri/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=%2Fquan-tri%2F"
    assert not signed_in(client)
    assert client.get("/quan-tri/").status_code != 200
    assert client.get("/quan-tri/accounts/user/").status_code != 200


def test_the_admin_sign_in_sends_to_the_site_sign_in_keeping_next(client: Client) -> None:
    response = client.get("/quan-tri/login/", {"next": "/quan-tri/accounts/user/"})
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=%2Fquan-tri%2Faccounts%2Fuser%2F"
    foreign = client.get("/quan-tri/login/", {"next": "https://evil.example/"})
    assert foreign["Location"] == "/tai-khoan/dang-nhap/?next=%2Fquan-tri%2F"
    # The admin's own links still lead there.
    index = client.get("/quan-tri/", follow=True)
    assert index.redirect_chain[-1][0].startswith("/tai-khoan/dang-nhap/?next=")
    assert "Mã xác thực" in index.content.decode()


def test_with_the_code_the_chair_reaches_the_admin(client: Client, device: TOTPDevice) -> None:
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {
            "username": "chu.tich",
            "password": PASSWORD,
            "otp_token": code_for(device),
            "next": "/quan-tri/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/quan-tri/"
    assert client.get("/quan-tri/").status_code == 200
    # Signed in, the admin's sign-in URL sends staff straight on.
    assert client.get("/quan-tri/login/")["Location"] == "/quan-tri/"


def test_a_signed_in_non_staff_gets_a_refusal_not_a_loop(
    client: Client, fast_password_hasher: None, db: None
) -> None:
    officer = User.objects.create_user("xa.thu", password=PASSWORD)
    client.force_login(officer)
    response = client.get("/quan-tri/login/", {"next": "/quan-tri/"})
    assert response.status_code == 403
    assert "không có quyền vào trang quản trị" in response.content.decode()


def test_a_session_that_never_gave_the_code_is_ended(
    client: Client, chair: User, device: TOTPDevice
) -> None:
    client.force_login(chair)  # e.g. a session opened by the old admin sign-in
    response = client.get("/quan-tri/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert not signed_in(client)
    client.force_login(chair)
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "disable"})
    assert response.status_code == 302 and not signed_in(client)
    assert TOTPDevice.objects.filter(user=chair, confirmed=True).exists()
    client.force_login(chair)
    api = client.get("/api/openapi.json", HTTP_ACCEPT="application/json")
    assert api.status_code == 401
    assert "mã từ ứng dụng xác thực" in api.json()["detail"]


# ------------------------------------------------------------------ turning it off


def test_turning_it_off_without_a_code_or_password_is_refused(
    client: Client, chair: User, device: TOTPDevice
) -> None:
    assert sign_in(client, chair, device) == 302
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "disable"})
    assert response.status_code == 400
    assert "hãy nhập mã xác thực hiện tại hoặc mật khẩu" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not AuditEvent.objects.filter(action="account.totp_disabled").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("proof_token", "000000", "Mã xác thực không đúng hoặc đã hết hạn."),
        ("proof_password", "sai-mat-khau", "Mật khẩu không đúng."),
    ],
)
def test_a_wrong_code_or_password_does_not_turn_it_off(
    client: Client, chair: User, device: TOTPDevice, field: str, value: str, message: str
) -> None:
    assert sign_in(client, chair, device) == 302
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "disable", field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AccessAttempt.objects.get(username="chu.tich").failures_since_start == 1


def test_turning_it_off_with_the_current_code(
    client: Client, chair: User, device: TOTPDevice
) -> None:
    assert sign_in(client, chair, device) == 302
    response = client.post(
        "/tai-khoan/xac-thuc-hai-buoc/", {"action": "disable", "proof_token": code_for(device)}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=chair).exists()
    event = AuditEvent.objects.get(action="account.totp_disabled")
    assert "mã xác thực" in event.summary and event.actor == chair


def test_turning_it_off_with_the_password(client: Client, chair: User, device: TOTPDevice) -> None:
    assert sign_in(client, chair, device) == 302
    response = client.post(
        "/tai-khoan/xac-thuc-hai-buoc/", {"action": "disable", "proof_password": PASSWORD}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert "mật khẩu" in AuditEvent.objects.get(action="account.totp_disabled").summary


def test_replacing_the_device_asks_for_proof_then_starts_a_new_one(
    client: Client, chair: User, device: TOTPDevice
) -> None:
    assert sign_in(client, chair, device) == 302
    refused = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "replace"})
    assert refused.status_code == 400
    assert "Để thay thiết bị xác thực" in refused.content.decode()
    # A new device cannot be confirmed next to the current one without proof either.
    other = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": "123456"})
    assert other.status_code == 400
    assert TOTPDevice.objects.filter(user=chair).count() == 1
    response = client.post(
        "/tai-khoan/xac-thuc-hai-buoc/",
        {"action": "replace", "proof_token": code_for(device)},
        follow=True,
    )
    assert response.status_code == 200
    assert "Khóa bí mật" in response.content.decode()
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.filter(action="account.totp_replaced").count() == 1


def test_without_a_device_disable_without_proof_is_refused_too(client: Client, chair: User) -> None:
    assert sign_in(client, chair) == 302
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"action": "disable"})
    assert response.status_code == 400
    assert "hãy nhập mã xác thực hiện tại hoặc mật khẩu" in response.content.decode()


# ------------------------------------------------------------------ required roles


def test_a_required_role_without_a_device_is_sent_to_set_one_up(
    client: Client, settings: Settings, fast_password_hasher: None, db: None
) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = ["chair"]
    chair = User.objects.create_user("chu.tich.2", password=PASSWORD, role=Role.CHAIR)
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "chu.tich.2", "password": PASSWORD, "next": "/danh-gia/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/xac-thuc-hai-buoc/?next=%2Fdanh-gia%2F"
    # Nothing else is reachable until a device is confirmed.
    blocked = client.get("/danh-gia/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/")
    assert client.get("/quan-tri/").status_code == 302
    htmx = client.get("/danh-gia/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 403 and htmx["HX-Redirect"] == "/tai-khoan/xac-thuc-hai-buoc/"
    api = client.get("/api/openapi.json", HTTP_ACCEPT="application/json")
    assert api.status_code == 403
    assert "bắt buộc dùng xác thực hai bước" in json.loads(api.content)["detail"]
    page = client.get("/tai-khoan/xac-thuc-hai-buoc/", {"next": "/danh-gia/"})
    assert page.status_code == 200
    assert "bắt buộc dùng xác thực hai bước" in page.content.decode()
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    confirmed = client.post(
        "/tai-khoan/xac-thuc-hai-buoc/", {"token": code_for(device), "next": "/danh-gia/"}
    )
    assert confirmed.status_code == 302 and confirmed["Location"] == "/danh-gia/"
    assert client.get("/danh-gia/").status_code == 200
    # Next time the code is needed.
    client.logout()
    assert sign_in(client, chair) == 200
    assert sign_in(client, chair, TOTPDevice.objects.get(user=chair)) == 302


def test_superuser_in_the_list_means_every_superuser(
    client: Client, settings: Settings, fast_password_hasher: None, db: None
) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = ["superuser"]
    root = User.objects.create_superuser("quan.tri", password=PASSWORD, email="")
    officer = User.objects.create_user("xa.thu", password=PASSWORD, role=Role.UNIT_STAFF)
    assert sign_in(client, root) == 302
    assert client.get("/quan-tri/")["Location"].startswith("/tai-khoan/xac-thuc-hai-buoc/")
    client.logout()
    assert sign_in(client, officer) == 302
    assert client.get("/danh-gia/").status_code == 200


def test_without_required_roles_the_second_factor_stays_optional(
    client: Client, settings: Settings, chair: User
) -> None:
    settings.TWO_FACTOR_REQUIRED_ROLES = []
    assert sign_in(client, chair) == 302
    assert client.get("/quan-tri/").status_code == 200


# ------------------------------------------------------------------ lock-out


def test_wrong_codes_lock_out_like_wrong_passwords(
    client: Client, settings: Settings, chair: User, device: TOTPDevice
) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = client.post(
            "/tai-khoan/dang-nhap/",
            {"username": "chu.tich", "password": PASSWORD, "otp_token": "000000"},
        )
        assert response.status_code == 200
        assert "Mã xác thực không đúng" in response.content.decode()
    assert AccessAttempt.objects.get(username="chu.tich").failures_since_start == 4
    fifth = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "chu.tich", "password": PASSWORD, "otp_token": "000000"},
    )
    assert fifth.status_code == 429
    assert "mật khẩu hoặc mã xác thực" in " ".join(fifth.content.decode().split())
    # Locked: even the right password and code are refused now.
    assert sign_in(client, chair, device) == 429
    assert not signed_in(client)


def test_a_correct_sign_in_resets_the_code_failures(
    client: Client, chair: User, device: TOTPDevice
) -> None:
    client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "chu.tich", "password": PASSWORD, "otp_token": "000000"},
    )
    assert AccessAttempt.objects.filter(username="chu.tich").exists()
    assert sign_in(client, chair, device) == 302
    assert not AccessAttempt.objects.filter(username="chu.tich").exists()
