"""Login lock-out after repeated failures, and optional two-factor authentication."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex.accounts.models import Role, User

PASSWORD = "mat-khau-rat-dai-123"


@pytest.fixture
def appraiser(db: None) -> User:
    return User.objects.create_user("tham.dinh", password=PASSWORD, role=Role.APPRAISER)


def _login(client: Client, password: str, token: str = "") -> int:
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "tham.dinh", "password": password, "otp_token": token},
    )
    return response.status_code


def test_passwords_are_hashed_with_argon2(appraiser: User) -> None:
    assert appraiser.password.startswith("argon2$argon2id$")


def test_five_failures_lock_the_account_even_for_the_right_password(
    client: Client, appraiser: User
) -> None:
    for _ in range(4):
        assert _login(client, "sai-mat-khau") == 200
    assert _login(client, "sai-mat-khau") == 429
    response = client.post("/tai-khoan/dang-nhap/", {"username": "tham.dinh", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()


def _enrol(client: Client, user: User) -> TOTPDevice:
    client.force_login(user)
    assert client.get("/tai-khoan/xac-thuc-hai-buoc/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key):06d}"
    response = client.post("/tai-khoan/xac-thuc-hai-buoc/", {"token": code})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    client.logout()
    return device


def test_with_two_factor_the_code_is_required(client: Client, appraiser: User) -> None:
    device = _enrol(client, appraiser)
    response = client.post("/tai-khoan/dang-nhap/", {"username": "tham.dinh", "password": PASSWORD})
    assert response.status_code == 200
    assert "hãy nhập mã từ ứng dụng xác thực" in response.content.decode()
    device.refresh_from_db()
    code = f"{totp(device.bin_key, drift=0):06d}"
    device.last_t = -1  # allow the same time step again in this test
    device.save()
    assert _login(client, PASSWORD, code) == 302


def test_a_wrong_code_is_refused(client: Client, appraiser: User) -> None:
    _enrol(client, appraiser)
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "tham.dinh", "password": PASSWORD, "otp_token": "000000"},
    )
    assert "Mã xác thực không đúng" in response.content.decode()
