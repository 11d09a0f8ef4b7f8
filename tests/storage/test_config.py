"""The storage settings and the S3 client's configuration.

moto (like every local test server) accepts boto3's default CRC checksums, so the
end-to-end tests would pass with a client that many S3-compatible stores refuse
(django-storages #1482). These tests pin the configuration itself: SigV4, checksums only
when required, in the settings' client and on the wire.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from storages.backends.s3 import S3Storage

from parindex.core.storage import is_object_store, object_key
from parindex.core.storage_config import (
    FILESYSTEM,
    S3,
    default_storage_setting,
    presign_seconds,
    presigned_downloads,
    s3_client_config,
)
from tests.storage.conftest import Store, s3_environ


def test_the_client_config_sets_sigv4_and_checksums_only_when_required() -> None:
    config = s3_client_config()
    assert config.signature_version == "s3v4"
    assert config.request_checksum_calculation == "when_required"
    assert config.response_checksum_validation == "when_required"
    assert config.s3 == {"addressing_style": "path"}
    assert config.retries == {"mode": "standard", "max_attempts": 3}
    assert (config.connect_timeout, config.read_timeout) == (5, 60)
    assert s3_client_config(addressing_style="virtual").s3 == {"addressing_style": "virtual"}
    with pytest.raises(ImproperlyConfigured, match="STORAGE_S3_ADDRESSING_STYLE"):
        s3_client_config(addressing_style="dns")


def test_the_storage_built_from_the_settings_has_that_client() -> None:
    setting = default_storage_setting(s3_environ("http://127.0.0.1:9", "parindex-files"))
    assert setting["BACKEND"] == S3 == "storages.backends.s3.S3Storage"
    storage = S3Storage(**setting["OPTIONS"])
    client_config = storage.connection.meta.client.meta.config
    assert client_config.signature_version == "s3v4"
    assert client_config.request_checksum_calculation == "when_required"
    assert client_config.response_checksum_validation == "when_required"
    assert storage.file_overwrite is False  # two documents with one name keep both
    assert storage.default_acl is None and storage.querystring_auth is True
    assert storage.connection.meta.client.meta.endpoint_url == "http://127.0.0.1:9"


def test_uploads_carry_no_crc_checksum_on_the_wire(store: Store) -> None:
    """What the store receives: no ``x-amz-checksum-*`` / ``x-amz-sdk-checksum-algorithm``
    headers and no aws-chunked body, which the stores of #1482 reject."""
    sent: list[dict[str, str]] = []
    storage: Any = default_storage
    client = storage.connection.meta.client

    def capture(request: Any, **_: Any) -> None:
        sent.append(
            {
                k.lower(): v.decode("ascii") if isinstance(v, bytes) else str(v)
                for k, v in request.headers.items()
            }
        )

    client.meta.events.register("before-send.s3.PutObject", capture)
    try:
        name = default_storage.save("kiem-tra/tep.txt", ContentFile(b"noi dung " * 100))
    finally:
        client.meta.events.unregister("before-send.s3.PutObject", capture)
    assert is_object_store(default_storage)
    assert store.keys() == [object_key(storage, name)]
    assert sent, "no PutObject was sent"
    for headers in sent:
        assert not [h for h in headers if h.startswith("x-amz-checksum")], headers
        assert "x-amz-sdk-checksum-algorithm" not in headers
        assert "aws-chunked" not in headers.get("content-encoding", "")
        assert headers["authorization"].startswith("AWS4-HMAC-SHA256 ")


def test_filesystem_unless_storage_backend_is_s3() -> None:
    assert default_storage_setting({}) == {"BACKEND": FILESYSTEM}
    assert default_storage_setting({"STORAGE_BACKEND": "filesystem"}) == {"BACKEND": FILESYSTEM}
    assert presigned_downloads({}) is False
    assert presign_seconds({}) == 300


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"STORAGE_BACKEND": "minio"}, "STORAGE_BACKEND must be filesystem or s3"),
        ({"STORAGE_S3_BUCKET": "files"}, "STORAGE_S3_BUCKET set but STORAGE_BACKEND is not s3"),
        ({"STORAGE_BACKEND": "s3"}, "needs STORAGE_S3_BUCKET"),
        (
            {"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": "f", "STORAGE_S3_ACCESS_KEY": "a"},
            "go together",
        ),
        (
            {"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": "f", "STORAGE_S3_PRESIGN_SECONDS": "5"},
            "between 10 and 604800",
        ),
        (
            {"STORAGE_BACKEND": "s3", "STORAGE_S3_BUCKET": "f", "STORAGE_S3_ADDRESSING_STYLE": "x"},
            "STORAGE_S3_ADDRESSING_STYLE",
        ),
    ],
)
def test_a_bad_configuration_is_refused_with_the_variable(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        default_storage_setting(environ)


def test_the_keys_can_come_from_files(tmp_path: Path) -> None:
    (tmp_path / "access").write_text("AKIA-FROM-FILE\n")
    (tmp_path / "secret").write_text("secret-from-file\n")
    environ = {
        "STORAGE_BACKEND": "s3",
        "STORAGE_S3_BUCKET": "parindex-files",
        "STORAGE_S3_ACCESS_KEY_FILE": str(tmp_path / "access"),
        "STORAGE_S3_SECRET_KEY_FILE": str(tmp_path / "secret"),
        "STORAGE_S3_PREFIX": "/tinh-minh-ha/",
        "STORAGE_S3_PRESIGNED_DOWNLOADS": "true",
        "STORAGE_S3_PRESIGN_SECONDS": "600",
        "STORAGE_S3_CA_BUNDLE": "/etc/ssl/certs/ca-tinh.pem",
    }
    options = default_storage_setting(environ)["OPTIONS"]
    assert (options["access_key"], options["secret_key"]) == ("AKIA-FROM-FILE", "secret-from-file")
    assert options["location"] == "tinh-minh-ha"
    assert options["querystring_expire"] == 600
    assert options["verify"] == "/etc/ssl/certs/ca-tinh.pem"
    assert options["region_name"] == "us-east-1" and options["endpoint_url"] is None
    assert presigned_downloads(environ) is True and presign_seconds(environ) == 600
