"""Changing the password while signed in, and resetting a forgotten one by e-mail."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client

from parindex.accounts.models import User
from parindex.accounts.tests.helpers import PASSWORD, sign_in, signed_in
from parindex.audit.models import AuditEvent

NEW_PASSWORD = "mot-mat-khau-moi-456"


@pytest.fixture
def officer(fast_password_hasher: None, db: None) -> User:
    return User.objects.create_user(
        "xa.thu", password=PASSWORD, email="thu@xa.example.vn", full_name="Nguyễn Thị Thu"
    )


def test_the_login_page_links_to_the_reset_and_the_menu_to_the_change(
    client: Client, officer: User
) -> None:
    page = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert 'href="/tai-khoan/quen-mat-khau/"' in page and "Quên mật khẩu?" in page
    client.force_login(officer)
    home = client.get("/").content.decode()
    assert 'href="/tai-khoan/doi-mat-khau/"' in home and "Đổi mật khẩu" in home


def test_the_change_page_needs_a_signed_in_person(client: Client, db: None) -> None:
    response = client.get("/tai-khoan/doi-mat-khau/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/dang-nhap/?next=")


def test_changing_the_password(client: Client, officer: User) -> None:
    assert sign_in(client, officer) == 302
    page = client.get("/tai-khoan/doi-mat-khau/")
    assert page.status_code == 200 and "Mật khẩu hiện tại" in page.content.decode()
    wrong = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "sai", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert wrong.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in wrong.content.decode()
    mismatch = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": "khac"},
    )
    assert "Hai lần nhập mật khẩu mới không khớp nhau." in mismatch.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="account.password_changed").exists()

    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/doi-mat-khau/xong/"
    assert "Đã đổi mật khẩu" in client.get(response["Location"]).content.decode()
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert signed_in(client)  # this session stays
    event = AuditEvent.objects.get(action="account.password_changed")
    assert event.actor == officer and event.summary == "Đổi mật khẩu của xa.thu"
    assert officer.password not in str(event.before) + str(event.after) + event.summary


def test_other_sessions_end_when_the_password_changes(client: Client, officer: User) -> None:
    other = Client()
    assert sign_in(other, officer) == 302
    assert sign_in(client, officer) == 302
    client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert other.get("/danh-gia/").status_code == 302  # back to the sign-in


def _reset_link(body: str) -> str:
    match = re.search(r"http://testserver(/tai-khoan/dat-lai-mat-khau/[^\s]+/)", body)
    assert match, body
    return match.group(1)


def test_resetting_a_forgotten_password_by_email(client: Client, officer: User) -> None:
    page = client.get("/tai-khoan/quen-mat-khau/")
    assert page.status_code == 200 and "Địa chỉ thư điện tử" in page.content.decode()
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "THU@xa.example.vn"})
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert "Đã gửi thư" in client.get(response["Location"]).content.decode()
    [message] = mail.outbox
    assert message.to == ["thu@xa.example.vn"]
    assert message.subject == "Đặt lại mật khẩu tài khoản xa.thu trên parindex"
    assert "Kính gửi Nguyễn Thị Thu" in message.body and "60 phút" in message.body

    link = _reset_link(str(message.body))
    form_page = client.get(link)
    assert form_page.status_code == 302  # the token moves into the session
    form_url = form_page["Location"]
    assert form_url.endswith("/dat-mat-khau/")
    assert "Đặt mật khẩu mới" in client.get(form_url).content.decode()
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == "/tai-khoan/dat-lai-mat-khau/xong/"
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    event = AuditEvent.objects.get(action="account.password_reset")
    assert event.target_id == str(officer.pk) and "qua thư điện tử" in event.summary
    # The link is used up.
    again = client.get(link)
    assert "không hợp lệ" in again.content.decode()
    assert sign_in(client, officer) == 200  # the old password no longer works


def test_an_unknown_address_gets_the_same_answer_and_no_mail(client: Client, officer: User) -> None:
    response = client.post("/tai-khoan/quen-mat-khau/", {"email": "ai.do@example.vn"})
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert mail.outbox == []
    invalid = client.post("/tai-khoan/quen-mat-khau/", {"email": "khong-phai-email"})
    assert invalid.status_code == 200
    assert "Địa chỉ thư điện tử không đúng định dạng." in invalid.content.decode()


def test_a_broken_reset_link_says_so(client: Client, officer: User) -> None:
    response = client.get("/tai-khoan/dat-lai-mat-khau/MQ/sai-ma/")
    assert response.status_code == 200
    assert "Đường dẫn đặt lại mật khẩu không hợp lệ" in response.content.decode()


def test_reset_mails_are_limited_per_address_and_client(client: Client, officer: User) -> None:
    """A sixth request within the hour gets the same page and no mail (no mailbox flood)."""
    for _ in range(6):
        response = client.post("/tai-khoan/quen-mat-khau/", {"email": "thu@xa.example.vn"})
        assert response["Location"] == "/tai-khoan/quen-mat-khau/da-gui/"
    assert len(mail.outbox) == 5
