"""Checking the digital signatures of PDF evidence, offline, with pyHanko.

:func:`check_pdf_signature` takes the file's bytes and the trust store (PEM texts) and
returns a :class:`SignatureCheck`: one status for the file, the signer, the signing time
and a JSON-able report per signature. It never raises: whatever goes wrong becomes a
status and an error line in the report.

Nothing is fetched from here: the trust store managed in the app is the only source of
trust, and the revocation data (CRLs, OCSP answers) comes in ``revocation``, gathered by
:mod:`parindex.evidence.revocation` (cached, or fetched by the background check). A
signature whose chain is trusted is checked a second time against that data: ``valid``
only if every certificate below the trust anchor is shown not revoked, ``revoked`` if one
is, ``revocation_unknown`` ("chưa kiểm tra được thu hồi") when the data is missing, stale
or unusable. ~10 ms per signature and pass.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

from asn1crypto import pem as asn1_pem
from asn1crypto import x509 as asn1_x509

from parindex.evidence.models import SignatureStatus
from parindex.evidence.revocation import RevocationInput

_pyhanko_log = logging.getLogger("pyhanko")
if _pyhanko_log.level == logging.NOTSET:
    # pyHanko logs a WARNING with a full traceback for every untrusted chain, weak algorithm
    # or changed revision: here those are expected results, recorded in the report. Only
    # its errors are worth a log line (settings.LOGGING may still choose another level).
    _pyhanko_log.setLevel(logging.ERROR)

PDF_HEADER = b"%PDF-"
HEADER_WINDOW = 1024
"""PDF readers accept the header anywhere in the first 1024 bytes."""

SEVERITY: dict[str, int] = {
    SignatureStatus.VALID: 0,
    SignatureStatus.REVOCATION_UNKNOWN: 1,
    SignatureStatus.UNTRUSTED: 2,
    SignatureStatus.MODIFIED: 3,
    SignatureStatus.REVOKED: 4,
    SignatureStatus.INVALID: 5,
}
"""With several signatures, the worst one decides the file's status."""


@dataclass(frozen=True)
class SignatureCheck:
    """The result for one file. ``status`` is a :class:`SignatureStatus` value."""

    status: str
    signer: str = ""
    signing_time: datetime.datetime | None = None
    report: dict[str, Any] = field(default_factory=dict)


def check_pdf_signature(
    data: bytes,
    trust_roots_pem: list[str],
    *,
    allow_sha1: bool = True,
    require_non_repudiation: bool = False,
    revocation: RevocationInput | None = None,
) -> SignatureCheck:
    """Check every signature of the PDF ``data`` against ``trust_roots_pem``.

    * not a PDF → ``not_pdf``; a PDF pyHanko cannot read (damaged, encrypted) → ``invalid``;
    * no signature → ``unsigned``;
    * changed after signing (bytes inside the signed range, or a later revision that is
      not just another signature or form filling) → ``modified``;
    * the signature itself does not verify → ``invalid``;
    * no chain to an active trust anchor → ``untrusted``;
    * a certificate of the chain revoked according to ``revocation`` → ``revoked``;
    * its revocation not shown by ``revocation`` (None: no data) → ``revocation_unknown``;
    * otherwise → ``valid``. With several signatures the worst status wins.

    ``allow_sha1`` and ``require_non_repudiation`` relax two pyHanko defaults that reject
    real Vietnamese signatures (see :func:`_validation_settings`).
    """
    try:
        return _run_outside_event_loop(
            lambda: _check(
                data,
                trust_roots_pem,
                allow_sha1,
                require_non_repudiation,
                revocation or RevocationInput(),
            )
        )
    except Exception as exc:  # never raise: a surprising file is an invalid file
        return SignatureCheck(
            status=SignatureStatus.INVALID,
            report={"signatures": [], "errors": [f"Lỗi khi kiểm tra chữ ký: {_describe(exc)}"]},
        )


def _check(
    data: bytes,
    trust_roots_pem: list[str],
    allow_sha1: bool,
    require_non_repudiation: bool,
    revocation: RevocationInput,
) -> SignatureCheck:
    if PDF_HEADER not in data[:HEADER_WINDOW]:
        return SignatureCheck(
            status=SignatureStatus.NOT_PDF,
            report={"signatures": [], "errors": ["Tệp không phải PDF."]},
        )
    errors: list[str] = []
    roots, bad_roots = _load_roots(trust_roots_pem)
    if bad_roots:
        errors.append(f"Bỏ qua {bad_roots} chứng thư không đọc được trong kho chứng thư.")
    embedded = _embedded_signatures(data)
    if isinstance(embedded, SignatureCheck):
        return embedded
    if not embedded:
        return SignatureCheck(
            status=SignatureStatus.UNSIGNED,
            report={"signatures": [], "errors": errors, "trust_roots": len(roots)},
        )
    context, key_usage = _validation_settings(roots, allow_sha1, require_non_repudiation)
    with_revocation = _revocation_context(roots, allow_sha1, revocation)
    results = [_validate_one(sig, context, key_usage, with_revocation) for sig in embedded]
    check = _file_result(
        results,
        errors,
        len(roots),
        {"allow_sha1": allow_sha1, "require_non_repudiation": require_non_repudiation},
    )
    check.report["revocation"] = revocation.report()
    return check


@dataclass(frozen=True)
class _OneSignature:
    """The result for one embedded signature: its report row and what the file takes."""

    row: dict[str, Any]
    status: str
    signer: str = ""
    signing_time: datetime.datetime | None = None


def _embedded_signatures(data: bytes) -> list[Any] | SignatureCheck:
    """The PDF's signatures, or the ``invalid`` result when it cannot be read."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        if reader.encrypted:
            return SignatureCheck(
                status=SignatureStatus.INVALID,
                report={
                    "signatures": [],
                    "errors": ["Tệp PDF được mã hóa (đặt mật khẩu): không kiểm tra được chữ ký."],
                },
            )
        return list(reader.embedded_signatures)
    except Exception as exc:
        return SignatureCheck(
            status=SignatureStatus.INVALID,
            report={"signatures": [], "errors": [f"Không đọc được tệp PDF: {_describe(exc)}"]},
        )


def _validate_one(sig: Any, context: Any, key_usage: Any, with_revocation: Any) -> _OneSignature:
    from pyhanko.sign.validation import validate_pdf_signature

    row: dict[str, Any] = {"field": str(sig.field_name or "")}
    try:
        st = validate_pdf_signature(sig, context, key_usage_settings=key_usage)
    except Exception as exc:
        row.update(status=SignatureStatus.INVALID, error=_describe(exc))
        return _OneSignature(row=row, status=SignatureStatus.INVALID)
    status = _status_of(st)
    when = _signing_time(st)
    who = _signer_name(st.signing_cert)
    row.update(
        status=status,
        signer=who,
        signing_time=when.isoformat() if when else None,
        intact=bool(st.intact),
        valid=bool(st.valid),
        trusted=bool(st.trusted),
        coverage=_name(st.coverage),
        modification_level=_name(st.modification_level),
        docmdp_ok=st.docmdp_ok,
        digest_algorithm=str(st.md_algorithm or ""),
        trust_problem=_name(st.trust_problem_indic),
        timestamp=_timestamp_row(st),
        certificate_subject=_subject_text(st.signing_cert),
    )
    if status == SignatureStatus.VALID:
        status = _revocation_status(sig, context, key_usage, with_revocation, row)
        row["status"] = status
    return _OneSignature(row=row, status=status, signer=who, signing_time=when)


def _revocation_status(
    sig: Any, context: Any, key_usage: Any, with_revocation: Any, row: dict[str, Any]
) -> str:
    """The second pass of a trusted signature, with the revocation data: ``valid``,
    ``revoked`` (the date in ``row["revocation"]``) or ``revocation_unknown``. The
    timestamp's own chain keeps the first pass's context (its TSA is not checked here)."""
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        st = validate_pdf_signature(
            sig, with_revocation, ts_validation_context=context, key_usage_settings=key_usage
        )
    except Exception as exc:
        row["revocation"] = {"status": "unknown", "error": _describe(exc)}
        return SignatureStatus.REVOCATION_UNKNOWN
    details = st.revocation_details
    if details is not None:
        when = details.revocation_date
        row["revocation"] = {
            "status": "revoked",
            "revoked_at": when.isoformat() if isinstance(when, datetime.datetime) else None,
            "ca_revoked": bool(details.ca_revoked),
            "reason": _name(details.revocation_reason),
        }
        return SignatureStatus.REVOKED
    if st.trusted:
        row["revocation"] = {"status": "good"}
        return SignatureStatus.VALID
    row["revocation"] = {"status": "unknown", "problem": _name(st.trust_problem_indic)}
    return SignatureStatus.REVOCATION_UNKNOWN


def _file_result(
    results: list[_OneSignature], errors: list[str], trust_roots: int, policy: dict[str, bool]
) -> SignatureCheck:
    """One status for the file (the worst signature's), every signer, the first time."""
    signers: list[str] = []
    signing_time: datetime.datetime | None = None
    for one in results:
        if one.signer and one.signer not in signers:
            signers.append(one.signer)
        if signing_time is None and one.signing_time is not None:
            signing_time = one.signing_time  # the first (author's) signature
    worst = max((one.status for one in results), key=lambda s: SEVERITY[s])
    return SignatureCheck(
        status=worst,
        signer="; ".join(signers)[:500],
        signing_time=signing_time,
        report={
            "signatures": [one.row for one in results],
            "errors": errors,
            "trust_roots": trust_roots,
            "policy": policy,
        },
    )


def _validation_settings(
    roots: list[asn1_x509.Certificate], allow_sha1: bool, require_non_repudiation: bool
) -> tuple[Any, Any]:
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.policy_decl import DisallowWeakAlgorithmsPolicy

    options: dict[str, Any] = {"trust_roots": roots, "allow_fetching": False}
    if allow_sha1:
        # pyHanko treats SHA-1 as weak; many signatures made by Vietnamese public-service
        # tokens and older signing software still use it. Only MD2/MD5 stay refused.
        options["algorithm_usage_policy"] = DisallowWeakAlgorithmsPolicy(  # type: ignore[no-untyped-call]
            weak_hash_algos=frozenset({"md2", "md5"})
        )
    context = ValidationContext(**options)
    key_usage = None
    if not require_non_repudiation:
        # pyHanko requires nonRepudiation by default; many signing certificates issued in
        # Vietnam carry only digitalSignature. Accept either of the two.
        key_usage = KeyUsageConstraints(
            key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False
        )
    return context, key_usage


def _revocation_context(
    roots: list[asn1_x509.Certificate], allow_sha1: bool, revocation: RevocationInput
) -> Any:
    """The context of the second pass: every certificate below the anchor must be shown
    not revoked by a CRL or an OCSP answer in ``revocation`` (certvalidator's "require"
    mode); nothing is fetched."""
    from pyhanko_certvalidator import ValidationContext
    from pyhanko_certvalidator.policy_decl import DisallowWeakAlgorithmsPolicy

    options: dict[str, Any] = {
        "trust_roots": roots,
        "allow_fetching": False,
        "revocation_mode": "require",
        "crls": list(revocation.crls),
        "ocsps": list(revocation.ocsps),
    }
    if allow_sha1:
        options["algorithm_usage_policy"] = DisallowWeakAlgorithmsPolicy(  # type: ignore[no-untyped-call]
            weak_hash_algos=frozenset({"md2", "md5"})
        )
    return ValidationContext(**options)


def _status_of(st: Any) -> str:
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if not st.intact:
        return SignatureStatus.MODIFIED
    if st.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        later_ok = (
            st.coverage == SignatureCoverageLevel.ENTIRE_REVISION
            and st.modification_level is not None
            and st.modification_level <= ModificationLevel.FORM_FILLING
            and st.docmdp_ok is not False
        )
        if not later_ok:
            return SignatureStatus.MODIFIED
    if not st.valid:
        return SignatureStatus.INVALID
    if not st.trusted:
        return SignatureStatus.UNTRUSTED
    return SignatureStatus.VALID


def _load_roots(pems: list[str]) -> tuple[list[asn1_x509.Certificate], int]:
    roots: list[asn1_x509.Certificate] = []
    bad = 0
    for text in pems:
        try:
            raw = text.encode("ascii") if isinstance(text, str) else text
            for _type, _headers, der in asn1_pem.unarmor(raw, multiple=True):
                roots.append(asn1_x509.Certificate.load(der))
        except Exception:
            bad += 1
    return roots, bad


def _signing_time(st: Any) -> datetime.datetime | None:
    """The trusted timestamp's time if the signature has one, else the signer's claim."""
    ts = st.timestamp_validity
    when = None
    if ts is not None and ts.intact and ts.valid and ts.trusted:
        when = ts.timestamp
    if when is None:
        when = st.signer_reported_dt
    if isinstance(when, datetime.datetime):
        return when if when.tzinfo is not None else when.replace(tzinfo=datetime.UTC)
    return None


def _timestamp_row(st: Any) -> dict[str, Any] | None:
    ts = st.timestamp_validity
    if ts is None:
        return None
    when = getattr(ts, "timestamp", None)
    return {
        "time": when.isoformat() if isinstance(when, datetime.datetime) else None,
        "intact": bool(ts.intact),
        "valid": bool(ts.valid),
        "trusted": bool(ts.trusted),
    }


def _signer_name(cert: Any) -> str:
    """ "Common name (Organisation)" of the signing certificate."""
    if cert is None:
        return ""
    try:
        native = cert.subject.native
    except Exception:
        return ""
    cn = _text(native.get("common_name"))
    org = _text(native.get("organization_name"))
    if cn and org and org != cn:
        return f"{cn} ({org})"
    return cn or org or _subject_text(cert)


def _subject_text(cert: Any) -> str:
    try:
        return str(cert.subject.human_friendly)[:500]
    except Exception:
        return ""


def _text(value: Any) -> str:
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return str(value).strip() if value else ""


def _name(value: Any) -> str | None:
    return None if value is None else str(getattr(value, "name", value))


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]


def _run_outside_event_loop[T](fn: Callable[[], T]) -> T:
    """pyHanko's synchronous API calls ``asyncio.run``, which refuses to run inside a
    running event loop (an async view, a test driving Playwright): use a thread then."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn).result()
