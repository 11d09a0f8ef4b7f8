"""Repository-wide pytest setup: the personas (``tests/personas.py``), Hypothesis profiles,
Django's async-safety switch, a media folder per test session, an empty cache for every test
and a fast password hasher on request."""

import os
from collections.abc import Iterator

import pytest
from django.test import override_settings
from hypothesis import settings
from pytest_django.fixtures import Settings

pytest_plugins = ["tests.personas"]

# Tests drive the ORM from sync code that pytest may run inside an event loop (e.g. Playwright).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# "ci": no per-example deadline (a shared 2-core machine has noisy timings), more examples.
settings.register_profile("ci", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session", autouse=True)
def _session_media_root(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Uploads go to a folder of this session's own (each parallel worker has one), never
    to var/media."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: rate-limit counters do not carry over."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def fast_password_hasher(settings: Settings) -> None:
    """Argon2 is deliberately slow; tests that hash passwords many times can opt out."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
