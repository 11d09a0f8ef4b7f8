"""Generated documents in the S3 store: the chair makes the 2024 results report of Hà Nam
through the documents page (the job runs at once), the file is in the bucket with the
recorded SHA-256, the chair and (published) anyone download those bytes, streamed or by a
presigned redirect; nothing is written under MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from parindex.accounts.models import User
from parindex.documents.models import GeneratedDocument, JobStatus
from parindex.results.models import ResultVersion
from parindex.results.tests.conftest import Scenario
from tests.personas import client_for
from tests.storage.conftest import Store

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def made(
    store: Store,
    settings: Settings,
    chair: User,
    scenario: Scenario,
    published: ResultVersion,
    django_capture_on_commit_callbacks: Capture,
) -> GeneratedDocument:
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(chair).post(
            f"/van-ban/ky/{scenario.p2024.pk}/", {"kind": "results", "format": "xlsx", "group": ""}
        )
    assert response.status_code == 302
    document = GeneratedDocument.objects.get()
    assert document.status == JobStatus.DONE, document.error
    return document


def test_the_generated_document_is_in_the_bucket(made: GeneratedDocument, store: Store) -> None:
    assert made.file.name.startswith("documents/")
    assert made.file.name in store.keys()  # noqa: SIM118 (a list)
    data = store.get(made.file.name)
    assert data[:2] == b"PK"
    assert hashlib.sha256(data).hexdigest() == made.sha256 and len(data) == made.size
    assert store.local_files() == []


def test_it_is_downloaded_streamed_and_presigned(
    made: GeneratedDocument,
    store: Store,
    chair: User,
    scenario: Scenario,
    settings: Settings,
) -> None:
    data = store.get(made.file.name)
    streamed = client_for(chair).get(f"/van-ban/{made.pk}/tai-ve/")
    assert streamed.status_code == 200
    assert b"".join(streamed.streaming_content) == data  # type: ignore[attr-defined]
    public = Client().get(f"/cong-bo/{scenario.p2024.pk}/van-ban/{made.pk}/")
    assert b"".join(public.streaming_content) == data  # type: ignore[attr-defined]

    settings.STORAGE_S3_PRESIGNED_DOWNLOADS = True
    redirect = Client().get(f"/cong-bo/{scenario.p2024.pk}/van-ban/{made.pk}/")
    assert redirect.status_code == 302
    with urllib.request.urlopen(redirect["Location"], timeout=10) as fetched:  # noqa: S310
        assert fetched.read() == data
        assert made.file_name in fetched.headers["Content-Disposition"]
    assert store.local_files() == []
