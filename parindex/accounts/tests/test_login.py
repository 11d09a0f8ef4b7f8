import pytest
from django.test import Client

from parindex.accounts.models import User


@pytest.fixture
def commune_officer(db: None) -> User:
    return User.objects.create_user(
        "xa.thu", password="mat-khau-rat-dai-123", full_name="Nguyễn Thị Thu"
    )


def test_login_page_is_vietnamese(client: Client, db: None) -> None:
    response = client.get("/tai-khoan/dang-nhap/")
    assert response.status_code == 200
    assert "Tên đăng nhập" in response.content.decode()


def test_a_non_staff_officer_can_sign_in(client: Client, commune_officer: User) -> None:
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "xa.thu", "password": "mat-khau-rat-dai-123"}
    )
    assert response.status_code == 302
    home = client.get("/").content.decode()
    assert "Nguyễn Thị Thu" in home


def test_a_wrong_password_says_so_in_vietnamese(client: Client, commune_officer: User) -> None:
    response = client.post("/tai-khoan/dang-nhap/", {"username": "xa.thu", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
