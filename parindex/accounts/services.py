"""Writes of accounts: two-factor authentication (TOTP) enrolment, passwords, and the audit
of account changes made in the admin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.audit.services import record

DEVICE_NAME = "Ứng dụng xác thực"

TRACKED_FIELDS: tuple[str, ...] = (
    "username",
    "email",
    "full_name",
    "first_name",
    "last_name",
    "role",
    "unit",
    "is_active",
    "is_staff",
    "is_superuser",
)
"""The account fields whose changes the audit trail names (never the password hash)."""


@transaction.atomic
def totp_begin(*, user: User) -> TOTPDevice:
    """An unconfirmed TOTP device for ``user`` (the one in progress, or a new one)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


@transaction.atomic
def totp_confirm(*, user: User, token: str) -> TOTPDevice | None:
    """Confirm the device in progress with a code from the app: the confirmed device, or
    None if the code is wrong (nothing changes then)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(token.strip().replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    record(
        actor=user,
        action="account.totp_enabled",
        target=user,
        summary="Bật xác thực hai bước (TOTP)",
    )
    return device


@transaction.atomic
def totp_disable(*, user: User, actor: User, proof: str = "", replace: bool = False) -> None:
    """Remove every TOTP device of ``user`` (by the user, or an administrator).

    ``proof`` says how the user confirmed it ("mã xác thực" or "mật khẩu"); ``replace``: the
    user is setting up a new device instead."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        what = "Thay thiết bị xác thực hai bước" if replace else "Tắt xác thực hai bước"
        record(
            actor=actor,
            action="account.totp_replaced" if replace else "account.totp_disabled",
            target=user,
            summary=f"{what} của {user.get_username()}"
            + (f" (xác nhận bằng {proof})" if proof else ""),
        )


def has_totp(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def two_factor_required(user: User) -> bool:
    """Whether TWO_FACTOR_REQUIRED_ROLES makes ``user`` sign in with a second factor."""
    roles = set(settings.TWO_FACTOR_REQUIRED_ROLES)
    return (user.is_superuser and "superuser" in roles) or user.role in roles


@transaction.atomic
def password_set(*, user: User, password: str, actor: User | None, reset: bool = False) -> None:
    """Give ``user`` a new password (changed while signed in, or by a reset link).

    Other sessions of the user end (their session hash no longer matches)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    record(
        actor=actor if actor is not None else user,
        action="account.password_reset" if reset else "account.password_changed",
        target=user,
        summary=(
            f"Đặt lại mật khẩu của {user.get_username()} qua thư điện tử"
            if reset
            else f"Đổi mật khẩu của {user.get_username()}"
        ),
    )


@dataclass(frozen=True)
class AccountState:
    """An account as stored, before an admin edit (see :func:`account_record_change`)."""

    fields: dict[str, Any]
    password_hash: str = field(repr=False)
    groups: list[str]
    permissions: list[str]


def _fields(user: User) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in TRACKED_FIELDS:
        if name == "unit":
            values[name] = user.unit.code if user.unit is not None else None
        else:
            values[name] = getattr(user, name)
    return values


def _names(values: Iterable[str]) -> list[str]:
    return sorted(str(value) for value in values)


def account_state(pk: int | None) -> AccountState | None:
    """The stored state of the account ``pk`` (None for a new account)."""
    if pk is None:
        return None
    user = User.objects.select_related("unit").filter(pk=pk).first()
    if user is None:
        return None
    return AccountState(
        fields=_fields(user),
        password_hash=user.password,
        groups=_names(user.groups.values_list("name", flat=True)),
        permissions=_names(user.user_permissions.values_list("codename", flat=True)),
    )


@transaction.atomic
def account_record_change(
    *, user: User, actor: User | None, before: AccountState | None
) -> list[AuditEvent]:
    """Audit an account saved in the admin: created, or the fields that changed (by name,
    with their old and new values) and, separately, a password change. Call after the save,
    in the same transaction, with the :func:`account_state` read before it."""
    after = account_state(user.pk)
    assert after is not None
    name = user.get_username()
    events: list[AuditEvent] = []
    if before is None:
        events.append(
            record(
                actor=actor,
                action="account.created",
                target=user,
                summary=f"Tạo tài khoản {name}"
                + (" (có mật khẩu)" if user.has_usable_password() else ""),
                after={**after.fields, "groups": after.groups, "permissions": after.permissions},
            )
        )
        return events
    old: dict[str, Any] = {
        key: value for key, value in before.fields.items() if after.fields[key] != value
    }
    new: dict[str, Any] = {key: after.fields[key] for key in old}
    if before.groups != after.groups:
        old["groups"], new["groups"] = before.groups, after.groups
    if before.permissions != after.permissions:
        old["permissions"], new["permissions"] = before.permissions, after.permissions
    if old:
        events.append(
            record(
                actor=actor,
                action="account.changed",
                target=user,
                summary=f"Sửa tài khoản {name}: {', '.join(old)}",
                before=old,
                after=new,
            )
        )
    if before.password_hash != after.password_hash:
        events.append(
            record(
                actor=actor,
                action="account.password_changed",
                target=user,
                summary=f"Đổi mật khẩu của {name}"
                + ("" if user.has_usable_password() else " (không cho đăng nhập bằng mật khẩu)"),
            )
        )
    return events


@transaction.atomic
def account_delete(*, user: User, actor: User | None) -> None:
    """Delete an account (admin), recording what it was."""
    state = account_state(user.pk)
    record(
        actor=actor,
        action="account.deleted",
        target=user,
        summary=f"Xóa tài khoản {user.get_username()}",
        before=(
            {**state.fields, "groups": state.groups, "permissions": state.permissions}
            if state is not None
            else None
        ),
    )
    user.delete()
