"""Start-up warm-up of an application server (``parindex.wsgi``)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import cast

import pytest
from django.template import engines
from django.template.backends.django import DjangoTemplates
from django.template.loaders.cached import Loader as CachedLoader

from parindex.core.warmup import FIRST_TEMPLATES, warm_up


@pytest.fixture
def unfreeze() -> Iterator[None]:
    yield
    gc.unfreeze()


@pytest.mark.usefixtures("unfreeze")
def test_warm_up_loads_the_first_pages_without_touching_the_database() -> None:
    # No database mark: pytest-django would fail the test on any query or connection.
    warm_up()
    assert gc.get_freeze_count() > 0
    engine = cast(DjangoTemplates, engines["django"]).engine
    [cached] = engine.template_loaders  # Django's cached loader around the app loaders
    assert isinstance(cached, CachedLoader)
    assert set(FIRST_TEMPLATES) <= set(cached.get_template_cache)
