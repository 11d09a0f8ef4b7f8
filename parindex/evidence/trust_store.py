"""The trust store for signed evidence: which CA certificates count, and the chair's
management of them (:func:`trust_anchor_add`, :func:`trust_anchor_set_active`).

Every change writes an audit event in the same transaction.
"""

from __future__ import annotations

from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.serialization import pkcs7
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.evidence.models import TrustAnchor
from parindex.evidence.permissions import require_chair
from parindex.organizations.jurisdiction import jurisdiction_of
from parindex.organizations.models import Unit
from parindex.periods.permissions import is_chair

# ---------------------------------------------------------------------------------------
# Which anchors count


def trust_anchors_for(jurisdiction: Unit | None) -> QuerySet[TrustAnchor]:
    """The anchors that count for ``jurisdiction``'s evidence: the installation-wide ones
    and the jurisdiction's own (never another province's)."""
    scope = Q(jurisdiction__isnull=True)
    if jurisdiction is not None:
        scope |= Q(jurisdiction=jurisdiction)
    return TrustAnchor.objects.filter(scope)


def active_trust_roots(jurisdiction: Unit | None) -> list[str]:
    """PEM of the active anchors trusted for the evidence of ``jurisdiction``'s periods."""
    return list(
        trust_anchors_for(jurisdiction).filter(is_active=True).values_list("certificate", flat=True)
    )


def trust_store_jurisdiction(actor: User) -> Unit | None:
    """Where ``actor``'s additions to the trust store go: a superuser manages the
    installation-wide list (None); a chair their own jurisdiction's. PermissionDenied for
    anyone else, and for a chair whose account has no jurisdiction."""
    if actor.is_superuser:
        return None
    require_chair(actor)
    jurisdiction = jurisdiction_of(actor)
    if jurisdiction is None:
        raise PermissionDenied("Tài khoản chưa gắn với tỉnh, thành phố hoặc huyện nào.")
    return jurisdiction


def trust_anchors_managed_by(actor: Any) -> QuerySet[TrustAnchor]:
    """The anchors ``actor`` may switch on and off: every one for a superuser, the chair's
    own jurisdiction's for a chair, none for anyone else."""
    if not is_chair(actor):
        return TrustAnchor.objects.none()
    if actor.is_superuser:
        return TrustAnchor.objects.all()
    jurisdiction = jurisdiction_of(actor)
    if jurisdiction is None:
        return TrustAnchor.objects.none()
    return TrustAnchor.objects.filter(jurisdiction=jurisdiction)


# ---------------------------------------------------------------------------------------
# Certificates


def parse_certificates(data: bytes) -> list[x509.Certificate]:
    """Certificates in a PEM (one or several), DER/CRT or PKCS#7 (P7B) file; else
    :class:`ValidationError` in Vietnamese."""
    if not data.strip():
        raise ValidationError("Chưa chọn tệp chứng thư.")
    certs: list[x509.Certificate] = []
    try:
        if b"-----BEGIN" in data:
            data = data.strip()  # text only: a DER file may end in a byte that looks like space
            if b"-----BEGIN PKCS7-----" in data:
                certs = pkcs7.load_pem_pkcs7_certificates(data)
            else:
                certs = x509.load_pem_x509_certificates(data)
        else:
            try:
                certs = [x509.load_der_x509_certificate(data)]
            except ValueError:
                certs = pkcs7.load_der_pkcs7_certificates(data)
    except ValueError as exc:
        raise ValidationError(
            "Tệp không phải chứng thư số hợp lệ (định dạng PEM, DER/CRT hoặc P7B)."
        ) from exc
    if not certs:
        raise ValidationError("Tệp không chứa chứng thư số nào.")
    return certs


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        # Old X.509 v1 roots have no extensions: a self-issued one is a root.
        return cert.issuer == cert.subject
    except ValueError:
        return False


def _common_name(cert: x509.Certificate) -> str:
    for oid in (x509.NameOID.COMMON_NAME, x509.NameOID.ORGANIZATION_NAME):
        attrs = cert.subject.get_attributes_for_oid(oid)
        if attrs:
            return str(attrs[0].value)
    return cert.subject.rfc4514_string()


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


# ---------------------------------------------------------------------------------------
# Changes


def trust_anchor_add(
    *, pem_or_der: bytes, name: str, actor: User | None, jurisdiction: Unit | None = None
) -> list[TrustAnchor]:
    """Add the CA certificates in one file (several roots and intermediates at once) to
    the trust store, all or nothing. Returns the new anchors. A person's additions go
    where :func:`trust_store_jurisdiction` says (``jurisdiction`` is ignored for them);
    the system (``actor`` None) adds for ``jurisdiction`` (None: installation-wide)."""
    if actor is not None:
        jurisdiction = trust_store_jurisdiction(actor)
    certs: dict[str, x509.Certificate] = {}
    for cert in parse_certificates(pem_or_der):
        certs.setdefault(fingerprint(cert), cert)
    problems = _addition_problems(certs, jurisdiction)
    if problems:
        raise ValidationError(problems)

    name = name.strip()
    created: list[TrustAnchor] = []
    with transaction.atomic():
        for fp, cert in certs.items():
            label = _common_name(cert)
            if name:
                label = name if len(certs) == 1 else f"{name} – {label}"
            created.append(_save_anchor(cert, fp, label, jurisdiction, actor))
    return created


def _addition_problems(certs: dict[str, x509.Certificate], jurisdiction: Unit | None) -> list[str]:
    """Why these certificates cannot be added: not a CA, or already in the store."""
    problems: list[str] = []
    for cert in certs.values():
        if not _is_ca(cert):
            problems.append(
                f"Chứng thư “{_common_name(cert)}” không phải chứng thư của tổ chức chứng "
                "thực (CA): chỉ thêm chứng thư gốc hoặc chứng thư trung gian."
            )
    present = {
        a.fingerprint: a
        for a in trust_anchors_for(jurisdiction).filter(fingerprint__in=list(certs))
    }
    for fp, anchor in present.items():
        own = anchor.jurisdiction_id == (jurisdiction.pk if jurisdiction else None)
        where = "kho chứng thư" if own else "danh sách dùng chung của hệ thống"
        problems.append(
            f"Chứng thư “{_common_name(certs[fp])}” đã có trong {where} (tên: “{anchor.name}”)."
        )
    return problems


def _save_anchor(
    cert: x509.Certificate,
    fp: str,
    label: str,
    jurisdiction: Unit | None,
    actor: User | None,
) -> TrustAnchor:
    anchor = TrustAnchor(
        jurisdiction=jurisdiction,
        name=label[:200],
        certificate=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        subject=cert.subject.rfc4514_string()[:500],
        fingerprint=fp,
        not_after=cert.not_valid_after_utc,
        is_active=True,
        added_by=actor,
    )
    try:
        with transaction.atomic():
            anchor.save()
    except IntegrityError as exc:
        raise ValidationError(
            f"Chứng thư “{_common_name(cert)}” đã có trong kho chứng thư."
        ) from exc
    record(
        actor=actor,
        action="trust_anchor.added",
        target=anchor,
        summary=f"Thêm chứng thư tin cậy “{anchor.name}”",
        after=_anchor_state(anchor),
    )
    return anchor


def _anchor_state(anchor: TrustAnchor) -> dict[str, Any]:
    return {
        "jurisdiction": anchor.jurisdiction.code if anchor.jurisdiction else None,
        "name": anchor.name,
        "subject": anchor.subject,
        "fingerprint": anchor.fingerprint,
        "not_after": anchor.not_after.isoformat() if anchor.not_after else None,
        "is_active": anchor.is_active,
    }


def trust_anchor_set_active(
    *, anchor: TrustAnchor, active: bool, actor: User | None
) -> TrustAnchor:
    """Use (or stop using) a trust anchor. Evidence already checked keeps its status until
    :func:`parindex.evidence.verification.evidence_recheck_all`. A chair changes only their
    own jurisdiction's anchors."""
    require_chair(actor)
    if actor is not None and not trust_anchors_managed_by(actor).filter(pk=anchor.pk).exists():
        raise PermissionDenied("Chứng thư này không thuộc kho của địa bàn bạn quản lý.")
    with transaction.atomic():
        locked = TrustAnchor.objects.select_for_update().get(pk=anchor.pk)
        if locked.is_active == active:
            anchor.is_active = active
            return locked
        locked.is_active = active
        locked.save(update_fields=["is_active"])
        anchor.is_active = active
        record(
            actor=actor,
            action="trust_anchor.activated" if active else "trust_anchor.deactivated",
            target=locked,
            summary=(f"{'Bật' if active else 'Tắt'} chứng thư tin cậy “{locked.name}”"),
            before={"is_active": not active},
            after={"is_active": active},
        )
    return locked
