"""The demo (``parindex demo``: the full season, as ``make run`` shows it), built once for
this package.

Building it takes seconds, so every test that reads the demo lives here and shares one
build: :func:`demo` runs the command once, inside a transaction rolled back when the package
ends; every test runs in its own savepoint, so what a test writes (a publication, a deleted
season) never reaches the next one. A test that needs builds of its own (a second run, a
reset) does not belong here: see ``parindex/tools/tests/test_demo.py``.

Every test here is ``slow`` (the build takes seconds: ``make test-fast`` skips the package)
and in one ``xdist_group`` (parallel workers build the demo once, not once each).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from parindex.tools.tests.helpers import run_demo


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/demo/" in str(item.fspath):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.xdist_group("demo"))


@dataclass(frozen=True)
class Demo:
    output: str
    """What the first ``parindex demo`` printed (the summary and the account table)."""


@pytest.fixture(scope="package")
def demo(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Demo]:
    """Built once per package in a transaction that is rolled back afterwards; the tests
    (``django_db``) run in savepoints inside it."""
    media: Path = tmp_path_factory.mktemp("demo-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield Demo(output=run_demo())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
