"""Passwords are hashed with Argon2id at OWASP's minimum profile, and older hashes (Django's
Argon2 defaults, PBKDF2, an earlier setting) are replaced at the next successful sign-in
through the real sign-in form."""

from __future__ import annotations

import runpy
import threading
import time

import pytest
from django.contrib.auth.hashers import (
    Argon2PasswordHasher,
    BasePasswordHasher,
    PBKDF2PasswordHasher,
    check_password,
    get_hasher,
    identify_hasher,
    make_password,
)
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from pytest_django.fixtures import Settings

from parindex import settings as settings_module
from parindex.accounts.hashers import OwaspArgon2PasswordHasher, argon2_parameters
from parindex.accounts.models import User
from parindex.accounts.tests.helpers import PASSWORD, sign_in

OWASP = {"variety": "argon2id", "memory_kib": 19456, "time_cost": 2, "parallelism": 1}
DJANGO_DEFAULT = {"variety": "argon2id", "memory_kib": 102400, "time_cost": 2, "parallelism": 8}


def _officer_with(encoded: str) -> User:
    user = User.objects.create_user("xa.thu", full_name="Nguyễn Thị Thu")
    User.objects.filter(pk=user.pk).update(password=encoded)
    user.refresh_from_db()
    return user


def _stored(user: User) -> str:
    user.refresh_from_db()
    return user.password


def test_new_passwords_are_argon2id_at_owasps_minimum(db: None) -> None:
    assert isinstance(get_hasher(), OwaspArgon2PasswordHasher)
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert argon2_parameters(encoded) == OWASP
    assert check_password(PASSWORD, encoded) and not check_password("sai", encoded)
    assert not get_hasher().must_update(encoded)


@pytest.mark.parametrize(
    ("old_hasher", "old_parameters"),
    [(Argon2PasswordHasher(), DJANGO_DEFAULT), (PBKDF2PasswordHasher(), None)],
    ids=["django-argon2-defaults", "pbkdf2"],
)
def test_an_old_hash_is_replaced_at_the_next_sign_in(
    client: Client,
    db: None,
    old_hasher: BasePasswordHasher,
    old_parameters: dict[str, object] | None,
) -> None:
    old = make_password(PASSWORD, hasher=old_hasher)
    if old_parameters is not None:
        assert argon2_parameters(old) == old_parameters
    user = _officer_with(old)

    assert sign_in(client, user, password="sai-mat-khau") == 200  # wrong: nothing changes
    assert _stored(user) == old

    assert sign_in(client, user) == 302
    new = _stored(user)
    assert new != old
    assert identify_hasher(new).algorithm == "argon2"
    assert argon2_parameters(new) == OWASP
    assert check_password(PASSWORD, new)
    client.logout()
    assert sign_in(client, user) == 302  # the new hash signs in, and is kept
    assert _stored(user) == new


def test_a_changed_setting_rehashes_at_the_next_sign_in(
    client: Client, db: None, settings: Settings
) -> None:
    user = _officer_with(make_password(PASSWORD))
    settings.PASSWORD_ARGON2_MEMORY_KIB = 12288
    settings.PASSWORD_ARGON2_TIME_COST = 3
    old = _stored(user)
    assert sign_in(client, user) == 302
    assert argon2_parameters(_stored(user)) == {
        "variety": "argon2id",
        "memory_kib": 12288,
        "time_cost": 3,
        "parallelism": 1,
    }
    assert _stored(user) != old


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PASSWORD_ARGON2_TIME_COST", "0"),
        ("PASSWORD_ARGON2_PARALLELISM", "0"),
        ("PASSWORD_ARGON2_MEMORY_KIB", "4"),
        ("PASSWORD_ARGON2_CONCURRENCY", "-1"),
        ("PASSWORD_ARGON2_MEMORY_KIB", "nhiều"),
    ],
)
def test_impossible_argon2_settings_stop_the_start(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        runpy.run_path(settings_module.__file__)


@pytest.mark.parametrize(("limit", "expected"), [(1, 1), (2, 2), (0, 4)])
def test_hashes_at_once_per_process_follow_the_setting(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, limit: int, expected: int
) -> None:
    """Four threads check a password at once: PASSWORD_ARGON2_CONCURRENCY of them compute
    together (0: all four), the others wait for a slot; every check still answers."""
    settings.PASSWORD_ARGON2_CONCURRENCY = limit
    encoded = OwaspArgon2PasswordHasher().encode("mật khẩu đúng", "saltsaltsalt")
    inside = 0
    most = 0
    lock = threading.Lock()
    all_started = threading.Barrier(4)
    real_verify = Argon2PasswordHasher.verify

    def counted(self: Argon2PasswordHasher, password: str, encoded: str) -> bool:
        nonlocal inside, most
        with lock:
            inside += 1
            most = max(most, inside)
        time.sleep(0.05)  # long enough for every thread to reach its slot
        with lock:
            inside -= 1
        return bool(real_verify(self, password, encoded))

    monkeypatch.setattr(Argon2PasswordHasher, "verify", counted)
    answers: list[bool] = []

    def check() -> None:
        all_started.wait()
        answers.append(OwaspArgon2PasswordHasher().verify("mật khẩu đúng", encoded))

    threads = [threading.Thread(target=check) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [True] * 4
    assert most == expected
