"""A throwaway PKI and signed PDFs for tests (evidence tests, browser tests, benchmarks).

Everything is generated in memory: no key or certificate is ever committed or written to
disk. Not used by the application itself.
"""

from __future__ import annotations

import datetime
import struct
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from parindex.evidence.signatures import _run_outside_event_loop

NOW = datetime.datetime.now(datetime.UTC)
PASSPHRASE = b"test-only"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
NOW = datetime.datetime.now(datetime.UTC)
PASSPHRASE = b"test-only"


# ---------------------------------------------------------------------------------------
# PKI


@dataclass(frozen=True)
class Identity:
    key: PrivateKey
    cert: x509.Certificate

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode("ascii")

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


@dataclass(frozen=True)
class Signer:
    identity: Identity
    chain: tuple[x509.Certificate, ...]

    def pyhanko_signer(self) -> Any:
        from pyhanko.sign import signers

        p12 = pkcs12.serialize_key_and_certificates(
            b"signer",
            self.identity.key,
            self.identity.cert,
            list(self.chain),
            serialization.BestAvailableEncryption(PASSPHRASE),
        )
        return signers.SimpleSigner.load_pkcs12_data(p12, other_certs=[], passphrase=PASSPHRASE)


@dataclass(frozen=True)
class Pki:
    old_root: Identity
    new_root: Identity
    government_ca: Identity
    rogue_root: Identity
    signer_old: Signer
    signer_new: Signer
    signer_rogue: Signer


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key_usage(*, ca: bool) -> x509.KeyUsage:
    # Signers get digitalSignature only (no nonRepudiation), like many Vietnamese tokens.
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _certificate(
    subject: x509.Name,
    key: PrivateKey,
    issuer: Identity | None,
    *,
    ca: bool,
    days: int = 3650,
) -> Identity:
    issuer_name = issuer.cert.subject if issuer else subject
    issuer_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - datetime.timedelta(days=1))
        .not_valid_after(NOW + datetime.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(_key_usage(ca=ca), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    return Identity(key=key, cert=builder.sign(issuer_key, hashes.SHA256()))


def _ec() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def make_pki() -> Pki:
    """Roots (old and new national, a rogue twin), a Government CA and a signer each."""
    old_root = _certificate(
        _name("Root CA Quốc gia (cũ) – thử nghiệm", "Bộ Thông tin và Truyền thông"),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        None,
        ca=True,
    )
    new_root_name = _name("Root CA Quốc gia – thử nghiệm", "Bộ Khoa học và Công nghệ")
    new_root = _certificate(new_root_name, _ec(), None, ca=True)
    government_ca = _certificate(
        _name("CA chuyên dùng Chính phủ – thử nghiệm", "Ban Cơ yếu Chính phủ"),
        _ec(),
        new_root,
        ca=True,
    )
    rogue_root = _certificate(new_root_name, _ec(), None, ca=True)  # same name, other key
    return Pki(
        old_root=old_root,
        new_root=new_root,
        government_ca=government_ca,
        rogue_root=rogue_root,
        signer_old=Signer(
            _certificate(
                _name("Nguyễn Văn An", "Sở Nội vụ tỉnh Hà Nam"),
                rsa.generate_private_key(public_exponent=65537, key_size=2048),
                old_root,
                ca=False,
                days=365,
            ),
            (old_root.cert,),
        ),
        signer_new=Signer(
            _certificate(
                _name("Trần Thị Bình", "UBND xã Liêm Tuyền"),
                _ec(),
                government_ca,
                ca=False,
                days=365,
            ),
            (government_ca.cert,),
        ),
        signer_rogue=Signer(
            _certificate(_name("Kẻ Giả Mạo", "Không rõ"), _ec(), rogue_root, ca=False, days=365),
            (),
        ),
    )


# ---------------------------------------------------------------------------------------
# PDFs


@dataclass(frozen=True)
class Pdfs:
    unsigned: bytes
    signed_old: bytes
    signed_new: bytes
    signed_rogue: bytes
    signed_sha1: bytes
    signed_twice: bytes
    signed_then_rogue: bytes
    modified: bytes
    tampered: bytes
    png: bytes


TEXT = b"(Ke hoach cai cach hanh chinh nam 2024)"


def _blank_pdf() -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils import writer as pdf_writer

    pages: Any = pdf_writer  # pyHanko's writer API is untyped
    untyped_generic: Any = generic

    writer = pages.PdfFileWriter()
    stream = generic.StreamObject(stream_data=b"BT /F1 12 Tf 72 720 Td " + TEXT + b" Tj ET")
    writer.insert_page(
        pages.PageObject(
            contents=writer.add_object(stream),
            media_box=generic.ArrayObject(map(untyped_generic.NumberObject, (0, 0, 595, 842))),
        )
    )
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def sign(pdf: bytes, signer: Signer, *, field: str = "Sig1", md: str | None = None) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    out = BytesIO()
    signers.sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf)),
        signers.PdfSignatureMetadata(field_name=field, md_algorithm=md),
        signer=signer.pyhanko_signer(),
        output=out,
    )
    return out.getvalue()


def _add_language(pdf: bytes) -> bytes:
    """An incremental update after signing that is not a signature: the catalog changes."""
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer: Any = IncrementalPdfFileWriter(BytesIO(pdf))
    writer.root["/Lang"] = pdf_string("vi")
    writer.update_root()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _flip_text(pdf: bytes) -> bytes:
    """Change one letter of the page text: inside the signed byte range."""
    at = pdf.index(TEXT) + 1
    data = bytearray(pdf)
    data[at] = ord("X")
    return bytes(data)


def png_bytes(width: int = 2, height: int = 2) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def make_pdfs(pki: Pki) -> Pdfs:
    """Every kind of evidence file the signature checks must tell apart."""
    # pyHanko signs through asyncio.run: in a thread if a browser test's loop is running.
    return _run_outside_event_loop(lambda: _make_pdfs(pki))


def _make_pdfs(pki: Pki) -> Pdfs:
    unsigned = _blank_pdf()
    signed_new = sign(unsigned, pki.signer_new)
    return Pdfs(
        unsigned=unsigned,
        signed_old=sign(unsigned, pki.signer_old),
        signed_new=signed_new,
        signed_rogue=sign(unsigned, pki.signer_rogue),
        signed_sha1=sign(unsigned, pki.signer_old, md="sha1"),
        signed_twice=sign(signed_new, pki.signer_old, field="Sig2"),
        signed_then_rogue=sign(signed_new, pki.signer_rogue, field="Sig2"),
        modified=_add_language(signed_new),
        tampered=_flip_text(signed_new),
        png=png_bytes(),
    )
