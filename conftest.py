"""Repository-wide pytest setup: Hypothesis profiles and Django's async-safety switch."""

import os

import pytest
from hypothesis import settings

# Tests drive the ORM from sync code that pytest may run inside an event loop (e.g. Playwright).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# "ci": no per-example deadline (a shared 2-core machine has noisy timings), more examples.
settings.register_profile("ci", deadline=None, max_examples=200)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: rate-limit counters do not carry over."""
    from django.core.cache import cache

    cache.clear()
