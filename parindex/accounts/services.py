"""Writes of accounts: two-factor authentication (TOTP) enrolment."""

from __future__ import annotations

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex.accounts.models import User
from parindex.audit.services import record

DEVICE_NAME = "Ứng dụng xác thực"


@transaction.atomic
def totp_begin(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for ``user`` (the one in progress, or a new one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> bool:
    """Confirm the device in progress with a code from the app. False if the code is wrong."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip().replace(" ", "")):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    record(
        actor=user,
        action="account.totp_enabled",
        target=user,
        summary="Bật xác thực hai bước (TOTP)",
    )
    return True


@transaction.atomic
def totp_disable(*, user: User, actor: User) -> None:
    """Remove every TOTP device of ``user`` (by the user, or an administrator)."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        record(
            actor=actor,
            action="account.totp_disabled",
            target=user,
            summary=f"Tắt xác thực hai bước của {user.get_username()}",
        )


def has_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())
