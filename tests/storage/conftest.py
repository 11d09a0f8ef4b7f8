"""An S3-compatible server for the object-storage tests, and settings that store there.

``.ci/run`` starts moto's server (``moto_server``, a real HTTP S3 endpoint) and exports
``PARINDEX_TEST_S3_ENDPOINT``; without it (a developer's ``make test``) the session starts
moto's ``ThreadedMotoServer`` itself on a free port of 127.0.0.1. Each test gets its own
bucket and ``STORAGES["default"]`` built by the same function as production settings
(:func:`parindex.core.storage_config.default_storage_setting`), with an empty
``MEDIA_ROOT`` that the tests check stays empty.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from pytest_django.fixtures import Settings

from parindex.core.storage_config import default_storage_setting, s3_client_config

ENDPOINT_VARIABLE = "PARINDEX_TEST_S3_ENDPOINT"


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """The S3 server's URL: ``.ci/run``'s ``moto_server``, or one started here."""
    if endpoint := os.environ.get(ENDPOINT_VARIABLE):
        yield endpoint.rstrip("/")
        return
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@dataclass
class Store:
    """The test's bucket on the S3 server, and the environment that points at it."""

    endpoint: str
    bucket: str
    environ: dict[str, str]
    client: Any
    media_root: Path

    def keys(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def get(self, key: str) -> bytes:
        return bytes(self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def local_files(self) -> list[Path]:
        """Every file under ``MEDIA_ROOT`` (there must be none with the S3 store)."""
        return sorted(p for p in self.media_root.rglob("*") if p.is_file())


def s3_environ(endpoint: str, bucket: str, **extra: str) -> dict[str, str]:
    return {
        "STORAGE_BACKEND": "s3",
        "STORAGE_S3_ENDPOINT_URL": endpoint,
        "STORAGE_S3_BUCKET": bucket,
        "STORAGE_S3_REGION": "us-east-1",
        "STORAGE_S3_ACCESS_KEY": "parindex-test",
        "STORAGE_S3_SECRET_KEY": "parindex-test-secret",
        **extra,
    }


@pytest.fixture
def store(s3_endpoint: str, settings: Settings, tmp_path: Path) -> Store:
    """``STORAGES["default"]`` on a new bucket of the S3 server; ``MEDIA_ROOT`` empty."""
    bucket = f"parindex-test-{uuid.uuid4().hex[:16]}"
    environ = s3_environ(s3_endpoint, bucket)
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name="us-east-1",
        aws_access_key_id="parindex-test",
        aws_secret_access_key="parindex-test-secret",
        config=s3_client_config(),
    )
    client.create_bucket(Bucket=bucket)
    media_root = tmp_path / "media"
    media_root.mkdir()
    settings.MEDIA_ROOT = media_root
    settings.STORAGES = {**settings.STORAGES, "default": default_storage_setting(environ)}
    settings.STORAGE_S3_PRESIGNED_DOWNLOADS = False
    return Store(s3_endpoint, bucket, environ, client, media_root)
