"""A session ends after SESSION_IDLE_TIMEOUT_MINUTES without a request."""

from __future__ import annotations

import time

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from parindex.accounts.middleware import LAST_ACTIVITY_KEY
from parindex.accounts.models import User
from parindex.accounts.tests.helpers import PASSWORD, sign_in, signed_in


@pytest.fixture
def officer(fast_password_hasher: None, db: None) -> User:
    return User.objects.create_user("xa.thu", password=PASSWORD)


@pytest.fixture
def idle_30(settings: Settings) -> None:
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30


def _idle_for(client: Client, minutes: float) -> None:
    session = client.session
    assert LAST_ACTIVITY_KEY in session
    session[LAST_ACTIVITY_KEY] = int(time.time() - minutes * 60)
    session.save()


def test_a_request_records_the_activity(client: Client, officer: User, idle_30: None) -> None:
    assert sign_in(client, officer) == 302
    assert abs(client.session[LAST_ACTIVITY_KEY] - time.time()) < 5


def test_an_active_session_goes_on(client: Client, officer: User, idle_30: None) -> None:
    assert sign_in(client, officer) == 302
    _idle_for(client, 29)
    assert client.get("/danh-gia/").status_code == 200
    assert abs(client.session[LAST_ACTIVITY_KEY] - time.time()) < 5  # renewed
    _idle_for(client, 29)
    assert client.get("/danh-gia/").status_code == 200


def test_an_idle_session_ends_with_a_message(client: Client, officer: User, idle_30: None) -> None:
    assert sign_in(client, officer) == 302
    _idle_for(client, 31)
    response = client.get("/danh-gia/")
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/dang-nhap/?next=%2Fdanh-gia%2F"
    assert not signed_in(client)
    page = client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn do 30 phút không thao tác" in page


def test_htmx_and_json_get_401(client: Client, officer: User, idle_30: None) -> None:
    assert sign_in(client, officer) == 302
    _idle_for(client, 31)
    htmx = client.post("/danh-gia/", HTTP_HX_REQUEST="true")
    assert htmx.status_code == 401
    assert htmx["HX-Redirect"] == "/tai-khoan/dang-nhap/"
    assert not signed_in(client)
    assert sign_in(client, officer) == 302
    _idle_for(client, 31)
    api = client.get("/api/openapi.json", HTTP_ACCEPT="application/json")
    assert api.status_code == 401
    assert api.json()["detail"].startswith("Phiên làm việc đã hết hạn")


def test_zero_turns_the_idle_timeout_off(client: Client, officer: User, settings: Settings) -> None:
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 30
    assert sign_in(client, officer) == 302
    _idle_for(client, 24 * 60)
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 0
    assert client.get("/danh-gia/").status_code == 200
    assert signed_in(client)
