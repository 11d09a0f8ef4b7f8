"""Evidence in the S3 store (moto's server over HTTP): the Sở Nội vụ's officer uploads a
signed PDF through the real upload view, the background check reads it back from the
bucket, the unit and its appraiser download the same bytes (streamed, and through a
presigned redirect followed with a real HTTP GET), a commune's staff gets 404, and nothing
is written under MEDIA_ROOT."""

from __future__ import annotations

import hashlib
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from parindex.accounts.models import User
from parindex.assessments.models import Answer
from parindex.core.storage import content_disposition
from parindex.evidence.models import Evidence, SignatureStatus
from parindex.evidence.testing import Pdfs, Pki
from parindex.evidence.tests.conftest import upload
from parindex.evidence.trust_store import trust_anchor_add
from tests.personas import client_for
from tests.storage.conftest import Store

pytestmark = pytest.mark.django_db

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
NAME = "Kế hoạch cải cách hành chính năm 2024.pdf"
HTMX = {"HX-Request": "true"}


def _body(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return bytes(response.content)  # type: ignore[attr-defined]


@pytest.fixture
def uploaded(
    store: Store,
    pdfs: Pdfs,
    pki: Pki,
    answer: Answer,
    unit_staff: User,
    django_capture_on_commit_callbacks: Capture,
) -> Evidence:
    """The officer's upload through the view; the signature check (run on commit) reads
    the file back from the bucket."""
    trust_anchor_add(pem_or_der=pki.new_root.der, name="", actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(unit_staff).post(
            reverse("evidence:upload", args=[answer.pk]),
            {"files": [upload(NAME, pdfs.signed_new)]},
            headers=HTMX,
        )
    assert response.status_code == 200
    return Evidence.objects.get()


def test_the_upload_is_stored_in_the_bucket_and_checked_from_there(
    uploaded: Evidence, store: Store, pdfs: Pdfs
) -> None:
    assert store.keys() == [uploaded.file.name]
    assert uploaded.file.name.startswith(f"evidence/{uploaded.period_id}/{uploaded.unit_id}/")
    assert store.get(uploaded.file.name) == pdfs.signed_new
    assert uploaded.sha256 == hashlib.sha256(pdfs.signed_new).hexdigest()
    # The background check opened the stored object (a read failure is "invalid").
    assert uploaded.signature_status not in (SignatureStatus.PENDING, SignatureStatus.INVALID)
    assert uploaded.signer
    assert store.local_files() == []


@pytest.mark.parametrize("who", ["unit_staff", "appraiser"])
def test_the_unit_and_its_appraiser_download_the_same_bytes_streamed(
    who: str, uploaded: Evidence, store: Store, pdfs: Pdfs, request: pytest.FixtureRequest
) -> None:
    person: User = request.getfixturevalue(who)
    response = client_for(person).get(reverse("evidence:download", args=[uploaded.pk]))

    assert response.status_code == 200
    assert _body(response) == pdfs.signed_new
    assert response["Content-Length"] == str(len(pdfs.signed_new))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == content_disposition(NAME)
    assert response["Cache-Control"] == "private, no-store"
    preview = client_for(person).get(reverse("evidence:preview", args=[uploaded.pk]))
    assert preview.status_code == 200 and _body(preview) == pdfs.signed_new
    assert preview["Content-Disposition"].startswith("inline; ")
    assert store.local_files() == []


@pytest.mark.parametrize("who", ["unit_staff", "appraiser"])
def test_presigned_downloads_redirect_to_the_store_with_the_name(
    who: str,
    uploaded: Evidence,
    store: Store,
    pdfs: Pdfs,
    settings: Settings,
    request: pytest.FixtureRequest,
) -> None:
    settings.STORAGE_S3_PRESIGNED_DOWNLOADS = True
    settings.STORAGE_S3_PRESIGN_SECONDS = 120
    person: User = request.getfixturevalue(who)
    response = client_for(person).get(reverse("evidence:download", args=[uploaded.pk]))

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{store.endpoint}/{store.bucket}/{uploaded.file.name}?")
    query = parse_qs(urlsplit(location).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["120"]
    assert response["Cache-Control"] == "private, no-store"
    with urllib.request.urlopen(location, timeout=10) as fetched:  # noqa: S310 (moto, 127.0.0.1)
        assert fetched.status == 200
        assert fetched.read() == pdfs.signed_new
        assert fetched.headers["Content-Type"] == "application/pdf"
        assert fetched.headers["Content-Disposition"] == content_disposition(NAME)
    # The framed preview is never redirected (the site's CSP frames only itself).
    preview = client_for(person).get(reverse("evidence:preview", args=[uploaded.pk]))
    assert preview.status_code == 200 and _body(preview) == pdfs.signed_new
    assert store.local_files() == []


@pytest.mark.parametrize("presigned", [False, True])
def test_another_unit_gets_404_before_any_url_is_made(
    presigned: bool, uploaded: Evidence, other_staff: User, settings: Settings
) -> None:
    settings.STORAGE_S3_PRESIGNED_DOWNLOADS = presigned
    client: Client = client_for(other_staff)
    for view in ("evidence:download", "evidence:preview"):
        response = client.get(reverse(view, args=[uploaded.pk]))
        assert response.status_code == 404
        assert "Location" not in response


def test_a_file_lost_from_the_bucket_is_404(
    uploaded: Evidence, store: Store, unit_staff: User
) -> None:
    store.client.delete_object(Bucket=store.bucket, Key=uploaded.file.name)
    response = client_for(unit_staff).get(reverse("evidence:download", args=[uploaded.pk]))
    assert response.status_code == 404
