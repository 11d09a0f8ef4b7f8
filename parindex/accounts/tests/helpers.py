"""Shared helpers of the accounts tests: TOTP enrolment and sign-in with a code."""

from __future__ import annotations

from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex.accounts.models import User
from parindex.accounts.services import totp_begin, totp_confirm

PASSWORD = "mat-khau-rat-dai-123"


def code_for(device: TOTPDevice) -> str:
    """The current code, usable again (a test may need the same time step twice)."""
    device.refresh_from_db()
    device.last_t = -1
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    return f"{totp(device.bin_key):06d}"


def enrol(user: User) -> TOTPDevice:
    """A confirmed authenticator for ``user`` (through the services)."""
    device = totp_begin(user=user)
    confirmed = totp_confirm(user=user, token=f"{totp(device.bin_key):06d}")
    assert confirmed is not None
    return confirmed


def sign_in(client: Client, user: User, device: TOTPDevice | None = None, **extra: str) -> int:
    """Sign in through the site's sign-in page (with the code if ``device``)."""
    data = {"username": user.get_username(), "password": PASSWORD, **extra}
    if device is not None:
        data["otp_token"] = code_for(device)
    response = client.post("/tai-khoan/dang-nhap/", data)
    return int(response.status_code)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session
