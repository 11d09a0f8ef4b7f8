"""Revocation data for signature checks: the CRLs and OCSP answers of a signer's chain.

:func:`revocation_for_pdf` finds, for every certificate between a PDF's signers and the
trust store, the revocation data the check needs: a cached CRL or OCSP answer that is still
fresh (before its nextUpdate), or, when ``fetch`` is true, one downloaded now over HTTP with
a bounded time per request (``EVIDENCE_REVOCATION_TIMEOUT_SECONDS``). Only the background
signature check fetches (:func:`parindex.evidence.verification.evidence_verify`); a web
request passes ``fetch=False`` and uses the cache alone.

Everything fetched is stored in :class:`~parindex.evidence.models.RevocationData` (one row
per distinct content, never overwritten), and the result lists each source used (kind, URL,
thisUpdate, nextUpdate, SHA-256) for the verdict's report, and in Vietnamese why a
certificate's revocation could not be checked.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from parindex.evidence.models import RevocationData, RevocationKind

DEFAULT_TIMEOUT_SECONDS = 8.0
MAX_BYTES = 32 * 1024 * 1024
"""A national CA's CRL is a few MB; anything much larger is refused, not stored."""
NO_NEXT_UPDATE_REUSE = datetime.timedelta(hours=1)
"""How long data without a nextUpdate is reused before it is fetched again."""
MAX_CHAIN = 8
USER_AGENT = "parindex-revocation/1"


@dataclass
class RevocationInput:
    """What a signature check gets: the DER data and, for the report, where it came from."""

    crls: list[bytes] = field(default_factory=list)
    ocsps: list[bytes] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    fetch: bool = False

    def report(self) -> dict[str, Any]:
        return {"fetch": self.fetch, "sources": self.sources, "problems": self.problems}


def fetch_enabled() -> bool:
    return bool(getattr(settings, "EVIDENCE_REVOCATION_FETCH", True))


def fetch_timeout() -> float:
    value = getattr(settings, "EVIDENCE_REVOCATION_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS)
    return max(0.1, float(value))


# ---------------------------------------------------------------------------------------
# The chain


def _load_roots(pems: list[str]) -> list[asn1_x509.Certificate]:
    from asn1crypto import pem as asn1_pem

    roots: list[asn1_x509.Certificate] = []
    for text in pems:
        try:
            for _type, _headers, der in asn1_pem.unarmor(text.encode("ascii"), multiple=True):
                roots.append(asn1_x509.Certificate.load(der))
        except Exception:  # noqa: S112 (the signature check reports unreadable anchors)
            continue
    return roots


def _pdf_certificates(data: bytes) -> list[tuple[Any, list[Any]]]:
    """(signer certificate, other embedded certificates) of each signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            return []
        return [
            (sig.signer_cert, list(sig.other_embedded_certs)) for sig in reader.embedded_signatures
        ]
    except Exception:
        return []  # the signature check reports the unreadable file


def chain_pairs(data: bytes, roots_pem: list[str]) -> list[tuple[Any, Any]]:
    """(certificate, its issuer) for every certificate of the PDF's signer chains that
    needs revocation data: each one below a trust anchor (anchors are not checked)."""
    roots = _load_roots(roots_pem)
    root_digests = {hashlib.sha256(r.dump()).digest() for r in roots}
    pairs: dict[bytes, tuple[Any, Any]] = {}
    for signer, others in _pdf_certificates(data):
        pool = others + roots
        cert = signer
        for _ in range(MAX_CHAIN):
            digest = hashlib.sha256(cert.dump()).digest()
            if digest in root_digests or digest in pairs:
                break
            issuer = next(
                (c for c in pool if c.subject == cert.issuer and c.dump() != cert.dump()), None
            )
            pairs[digest] = (cert, issuer)
            if issuer is None:
                break  # no chain: the check says untrusted
            cert = issuer
    return list(pairs.values())


def _cert_name(cert: Any) -> str:
    try:
        native = cert.subject.native
        return str(native.get("common_name") or cert.subject.human_friendly)[:200]
    except Exception:
        return "?"


# ---------------------------------------------------------------------------------------
# Gathering


def revocation_for_pdf(data: bytes, roots_pem: list[str], *, fetch: bool) -> RevocationInput:
    """The revocation data for every signer chain of the PDF ``data``: cached when fresh,
    else fetched if ``fetch`` (and ``EVIDENCE_REVOCATION_FETCH``) allow it."""
    fetch = fetch and fetch_enabled()
    result = RevocationInput(fetch=fetch)
    for cert, issuer in chain_pairs(data, roots_pem):
        _gather_one(cert, issuer, result)
    return result


def _gather_one(cert: Any, issuer: Any, result: RevocationInput) -> None:
    name = _cert_name(cert)
    crl_urls = [str(dp.url) for dp in cert.crl_distribution_points if dp.url]
    ocsp_urls = [str(url) for url in cert.ocsp_urls] if issuer is not None else []
    if not crl_urls and not ocsp_urls:
        result.problems.append(
            f"Chứng thư “{name}” không ghi địa chỉ CRL hay OCSP nào: không kiểm tra được thu hồi."
        )
        return
    problems: list[str] = []
    found = False
    cert_sha256 = hashlib.sha256(cert.dump()).hexdigest()
    for url in ocsp_urls:
        entry, problem = _obtain(RevocationKind.OCSP, url, cert, issuer, cert_sha256, result.fetch)
        found |= _use(entry, result) if entry else False
        problems += [problem] if problem else []
    for url in crl_urls:
        entry, problem = _obtain(RevocationKind.CRL, url, cert, issuer, "", result.fetch)
        found |= _use(entry, result) if entry else False
        problems += [problem] if problem else []
    if not found:
        result.problems.extend(f"Chứng thư “{name}”: {p}" for p in problems)


def _use(entry: RevocationData, result: RevocationInput) -> bool:
    der = bytes(entry.der)
    (result.crls if entry.kind == RevocationKind.CRL else result.ocsps).append(der)
    result.sources.append(source_row(entry))
    return True


def source_row(entry: RevocationData) -> dict[str, Any]:
    """What a verdict keeps about one piece of revocation data (the bytes stay in
    :class:`RevocationData`, found again by ``sha256``)."""
    return {
        "kind": entry.kind,
        "url": entry.url,
        "issuer": entry.issuer,
        "this_update": entry.this_update.isoformat() if entry.this_update else None,
        "next_update": entry.next_update.isoformat() if entry.next_update else None,
        "fetched_at": entry.fetched_at.isoformat(),
        "sha256": entry.sha256,
    }


def _fresh(kind: str, url: str, cert_sha256: str) -> RevocationData | None:
    now = timezone.now()
    entry = (
        RevocationData.objects.filter(kind=kind, url=url, certificate_sha256=cert_sha256)
        .order_by("-fetched_at")
        .first()
    )
    if entry is None:
        return None
    if entry.next_update is not None:
        return entry if entry.next_update > now else None
    return entry if entry.fetched_at + NO_NEXT_UPDATE_REUSE > now else None


def _obtain(
    kind: str, url: str, cert: Any, issuer: Any, cert_sha256: str, fetch: bool
) -> tuple[RevocationData | None, str]:
    """A fresh entry (cached, else fetched), or None and why not (Vietnamese)."""
    label = "CRL" if kind == RevocationKind.CRL else "OCSP"
    cached = _fresh(kind, url, cert_sha256)
    if cached is not None:
        return cached, ""
    if not fetch:
        why = (
            "tải dữ liệu thu hồi đang tắt (EVIDENCE_REVOCATION_FETCH)"
            if not fetch_enabled()
            else "chưa có dữ liệu còn hạn, sẽ tải khi kiểm tra trong nền"
        )
        return None, f"không có {label} còn hạn cho {url} ({why})."
    try:
        if kind == RevocationKind.CRL:
            der = http_fetch(url, timeout=fetch_timeout())
            return revocation_store_crl(url=url, der=der), ""
        request = _ocsp_request(cert, issuer)
        der = http_fetch(url, body=request, timeout=fetch_timeout())
        return revocation_store_ocsp(url=url, der=der, cert_sha256=cert_sha256), ""
    except FetchError as exc:
        return None, f"không tải được {label} từ {url}: {exc}."


# ---------------------------------------------------------------------------------------
# HTTP


class FetchError(Exception):
    """Why a CRL or OCSP answer could not be fetched (Vietnamese)."""


def http_fetch(url: str, *, body: bytes | None = None, timeout: float) -> bytes:
    """GET ``url`` (POST ``body`` as an OCSP request): the whole answer within ``timeout``
    seconds in total, else :class:`FetchError`. Only http and https."""
    if not url.lower().startswith(("http://", "https://")):
        raise FetchError("chỉ hỗ trợ địa chỉ http/https")
    headers = {"User-Agent": USER_AGENT}
    if body is not None:
        headers["Content-Type"] = "application/ocsp-request"
    request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (http(s) only)
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            chunks: list[bytes] = []
            size = 0
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                _set_timeout(answer, left)
                chunk = answer.read(64 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_BYTES:
                    raise FetchError(f"dữ liệu lớn hơn {MAX_BYTES // (1024 * 1024)} MB")
                chunks.append(chunk)
    except urllib.error.HTTPError as exc:
        raise FetchError(f"máy chủ trả lỗi HTTP {exc.code}") from exc
    except TimeoutError as exc:
        raise FetchError(f"quá thời gian chờ {timeout:g} giây") from exc
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, TimeoutError | socket.timeout):
            raise FetchError(f"quá thời gian chờ {timeout:g} giây") from exc
        raise FetchError(f"không kết nối được ({exc.reason})") from exc
    except OSError as exc:
        raise FetchError(f"lỗi mạng ({exc})") from exc
    if time.monotonic() > deadline:
        raise FetchError(f"quá thời gian chờ {timeout:g} giây")
    return b"".join(chunks)


def _set_timeout(answer: Any, seconds: float) -> None:
    """Bound the next read by what is left of the whole request's time."""
    with contextlib.suppress(AttributeError):
        answer.fp.raw._sock.settimeout(seconds)


def _ocsp_request(cert: Any, issuer: Any) -> bytes:
    builder = ocsp.OCSPRequestBuilder().add_certificate(
        x509.load_der_x509_certificate(cert.dump()),
        x509.load_der_x509_certificate(issuer.dump()),
        hashes.SHA1(),  # noqa: S303 (the CertID hash every responder accepts, RFC 5019)
    )
    return builder.build().public_bytes(serialization.Encoding.DER)


# ---------------------------------------------------------------------------------------
# Storing


def revocation_store_crl(*, url: str, der: bytes) -> RevocationData:
    """Store a fetched CRL (the background check); :class:`FetchError` if it is not one."""
    try:
        crl = x509.load_der_x509_crl(der)
    except ValueError as exc:
        raise FetchError("dữ liệu tải về không phải CRL") from exc
    return _store(
        kind=RevocationKind.CRL,
        url=url,
        der=der,
        cert_sha256="",
        issuer=crl.issuer.rfc4514_string(),
        this_update=crl.last_update_utc,
        next_update=crl.next_update_utc,
    )


def revocation_store_ocsp(*, url: str, der: bytes, cert_sha256: str) -> RevocationData:
    """Store a fetched OCSP answer; :class:`FetchError` unless it is a successful one."""
    try:
        answer = ocsp.load_der_ocsp_response(der)
    except ValueError as exc:
        raise FetchError("dữ liệu tải về không phải trả lời OCSP") from exc
    if answer.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise FetchError(f"máy chủ OCSP trả lời “{answer.response_status.name}”")
    issuer = ""
    if answer.responder_name is not None:
        issuer = answer.responder_name.rfc4514_string()
    return _store(
        kind=RevocationKind.OCSP,
        url=url,
        der=der,
        cert_sha256=cert_sha256,
        issuer=issuer,
        this_update=answer.this_update_utc,
        next_update=answer.next_update_utc,
    )


def _store(
    *,
    kind: str,
    url: str,
    der: bytes,
    cert_sha256: str,
    issuer: str,
    this_update: datetime.datetime | None,
    next_update: datetime.datetime | None,
) -> RevocationData:
    """One row per distinct content: fetching the same bytes again only moves
    ``fetched_at``."""
    digest = hashlib.sha256(der).hexdigest()
    now = timezone.now()
    existing = RevocationData.objects.filter(sha256=digest).first()
    if existing is not None:
        RevocationData.objects.filter(pk=existing.pk).update(fetched_at=now)
        existing.fetched_at = now
        return existing
    entry = RevocationData(
        kind=kind,
        url=url[:1000],
        certificate_sha256=cert_sha256,
        issuer=issuer[:500],
        der=der,
        sha256=digest,
        this_update=this_update,
        next_update=next_update,
        fetched_at=now,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # another worker stored the same bytes meanwhile
        return RevocationData.objects.get(sha256=digest)
    return entry
