"""Where uploaded and generated files live: ``STORAGES["default"]`` from the environment.

Read by ``parindex/settings.py`` before Django is set up, so nothing here imports Django's
settings. The rule is one variable: ``STORAGE_BACKEND=s3`` stores every file (evidence,
documents, survey files, signed decisions, plans' evidence) in an S3-compatible bucket
through django-storages; ``filesystem`` (the default) keeps them under ``MEDIA_ROOT``.
The ``STORAGE_S3_*`` variables are read only for ``s3`` and refused otherwise, so a
half-configured server never writes to its own disk believing it writes to the store.
See docs/configuration.md ("Object storage").
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from botocore.config import Config

FILESYSTEM = "django.core.files.storage.FileSystemStorage"
S3 = "storages.backends.s3.S3Storage"
ADDRESSING_STYLES = ("path", "virtual", "auto")

CONNECT_TIMEOUT = 5
"""Seconds to open a connection to the store: a dead endpoint fails a request quickly."""
READ_TIMEOUT = 60
"""Seconds without a byte from the store before a read or write gives up."""
MAX_MEMORY_SIZE = 16 * 1024 * 1024
"""A file read from the store is kept in memory up to this size, then in a temporary file
(the system's temporary folder, never ``MEDIA_ROOT``)."""


def s3_client_config(*, addressing_style: str = "path", max_pool_connections: int = 20) -> Config:
    """The botocore client configuration for the store.

    * ``signature_version="s3v4"``: SigV4, which every current S3-compatible store accepts
      (Ceph RGW, MinIO forks, the domestic clouds); presigned URLs are SigV4 too.
    * ``request_checksum_calculation`` / ``response_checksum_validation`` ``"when_required"``:
      boto3 ≥ 1.36 sends CRC32 checksums on every upload by default, which many
      S3-compatible stores refuse or store wrongly (django-storages #1482). Local test
      servers accept them, so only the unit test of this function catches a regression.
    * Bounded timeouts and the "standard" retry mode (3 attempts, back-off).

    django-storages ignores its own ``signature_version`` and ``addressing_style`` options
    when a ``client_config`` is given, so both are set here.
    """
    from botocore.config import Config  # only an S3 deployment pays for importing botocore

    if addressing_style not in ADDRESSING_STYLES:
        raise ImproperlyConfigured(
            f"STORAGE_S3_ADDRESSING_STYLE phải là một trong {', '.join(ADDRESSING_STYLES)}, "
            f"không phải {addressing_style!r}"
        )
    return Config(
        signature_version="s3v4",
        s3={"addressing_style": addressing_style},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=CONNECT_TIMEOUT,
        read_timeout=READ_TIMEOUT,
        retries={"mode": "standard", "max_attempts": 3},
        max_pool_connections=max_pool_connections,
    )


def _flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def _whole(environ: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    value = environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from exc
    if not low <= number <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}, not {number}")
    return number


def _secret(environ: Mapping[str, str], name: str) -> str | None:
    """``NAME`` or the content of the file named by ``NAME_FILE`` (a container secret)."""
    if path := environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {path}: {exc}") from exc
    return environ.get(name) or None


def presigned_downloads(environ: Mapping[str, str] = os.environ) -> bool:
    """``STORAGE_S3_PRESIGNED_DOWNLOADS``: downloads are 302 redirects to a short-lived
    presigned URL of the store instead of bytes streamed by the app (S3 only)."""
    return storage_backend(environ) == "s3" and _flag(
        environ, "STORAGE_S3_PRESIGNED_DOWNLOADS", False
    )


def presign_seconds(environ: Mapping[str, str] = os.environ) -> int:
    """``STORAGE_S3_PRESIGN_SECONDS``: how long a presigned download URL stays valid."""
    return _whole(environ, "STORAGE_S3_PRESIGN_SECONDS", 300, 10, 7 * 24 * 3600)


def storage_backend(environ: Mapping[str, str] = os.environ) -> str:
    """``STORAGE_BACKEND``: ``filesystem`` (default) or ``s3``."""
    backend = environ.get("STORAGE_BACKEND", "").strip().lower() or "filesystem"
    if backend not in ("filesystem", "s3"):
        raise ImproperlyConfigured(f"STORAGE_BACKEND must be filesystem or s3, not {backend!r}")
    return backend


def default_storage_setting(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """``STORAGES["default"]`` for this environment."""
    if storage_backend(environ) == "filesystem":
        stray = sorted(k for k in environ if k.startswith("STORAGE_S3_") and environ[k])
        if stray:
            raise ImproperlyConfigured(
                f"{', '.join(stray)} set but STORAGE_BACKEND is not s3: set STORAGE_BACKEND=s3 "
                "to use the object store, or remove them"
            )
        return {"BACKEND": FILESYSTEM}
    return {"BACKEND": S3, "OPTIONS": s3_options(environ)}


def s3_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """django-storages ``S3Storage`` options from the ``STORAGE_S3_*`` variables."""
    bucket = environ.get("STORAGE_S3_BUCKET", "").strip()
    if not bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs STORAGE_S3_BUCKET")
    access_key = _secret(environ, "STORAGE_S3_ACCESS_KEY")
    secret_key = _secret(environ, "STORAGE_S3_SECRET_KEY")
    if bool(access_key) != bool(secret_key):
        raise ImproperlyConfigured(
            "STORAGE_S3_ACCESS_KEY and STORAGE_S3_SECRET_KEY go together (or neither, for "
            "boto3's own credentials chain)"
        )
    ca_bundle = environ.get("STORAGE_S3_CA_BUNDLE", "").strip()
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("STORAGE_S3_ENDPOINT_URL", "").strip() or None,
        "region_name": environ.get("STORAGE_S3_REGION", "").strip() or "us-east-1",
        "access_key": access_key,
        "secret_key": secret_key,
        "location": environ.get("STORAGE_S3_PREFIX", "").strip().strip("/"),
        # Private objects: every read goes through a permission-checked view.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": presign_seconds(environ),
        # Never overwrite: two documents with the same name get two keys, as on disk.
        "file_overwrite": False,
        "max_memory_size": MAX_MEMORY_SIZE,
        "verify": ca_bundle or None,
        "client_config": s3_client_config(
            addressing_style=environ.get("STORAGE_S3_ADDRESSING_STYLE", "").strip() or "path"
        ),
    }
    return options
