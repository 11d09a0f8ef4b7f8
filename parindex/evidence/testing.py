"""A throwaway PKI and signed PDFs for tests (evidence tests, browser tests, benchmarks).

Everything is generated in memory: no key or certificate is ever committed or written to
disk. Not used by the application itself.

The CAs publish their CRLs (and the Government CA answers OCSP) from a real HTTP server on
127.0.0.1 in a daemon thread (:class:`RevocationServer`, one per process unless a test
brings its own): the certificates name its URLs, so the background check fetches real
revocation data, and ``signer_revoked`` is listed as revoked in it.
"""

from __future__ import annotations

import datetime
import socket
import struct
import threading
import uuid
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from parindex.evidence.signatures import _run_outside_event_loop

NOW = datetime.datetime.now(datetime.UTC)
PASSPHRASE = b"test-only"

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey
REVOKED_AT = NOW - datetime.timedelta(hours=1)


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
    signer_revoked: Signer
    """Under the Government CA, revoked at :data:`REVOKED_AT` in its CRL and OCSP."""
    signer_ocsp: Signer
    """Under the Government CA, with an OCSP URL and no CRL distribution point."""
    server: RevocationServer
    prefix: str

    def crl_url(self, ca: str) -> str:
        """The CRL URL of ``ca`` ("old-root", "new-root", "government-ca")."""
        return self.server.url(f"/{self.prefix}/{ca}.crl")


# ---------------------------------------------------------------------------------------
# Revocation over HTTP


def make_crl(
    ca: Identity,
    revoked: dict[int, datetime.datetime] | None = None,
    *,
    next_update: datetime.datetime | None = None,
) -> bytes:
    """A CRL of ``ca`` listing the serials ``revoked`` (serial → revocation time)."""
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(NOW - datetime.timedelta(minutes=5))
        .next_update(next_update or NOW + datetime.timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
            critical=False,
        )
    )
    for serial, when in (revoked or {}).items():
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(when).build()
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


class RevocationServer:
    """CRLs (GET) and OCSP answers (POST) over HTTP on 127.0.0.1, on a free port, served
    by a daemon thread. ``files`` maps a path to the bytes served; ``responders`` a path to
    the CA answering OCSP there and the serials it reports revoked."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.responders: dict[str, tuple[Identity, dict[int, datetime.datetime]]] = {}
        self.issued: dict[int, x509.Certificate] = {}
        self.hits: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}{path}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def ocsp_answer(self, path: str, request_der: bytes) -> bytes:
        """The CA's signed answer about the certificate asked for: good, revoked, or
        "unauthorized" for a serial it never issued."""
        ca, revoked = self.responders[path]
        serial = ocsp.load_der_ocsp_request(request_der).serial_number
        cert = self.issued.get(serial)
        if cert is None or cert.issuer != ca.cert.subject:
            unknown = ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            )
            return unknown.public_bytes(serialization.Encoding.DER)
        status = ocsp.OCSPCertStatus.REVOKED if serial in revoked else ocsp.OCSPCertStatus.GOOD
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=cert,
                issuer=ca.cert,
                algorithm=hashes.SHA1(),  # noqa: S303 (the CertID hash of the request)
                cert_status=status,
                this_update=NOW - datetime.timedelta(minutes=5),
                next_update=NOW + datetime.timedelta(days=1),
                revocation_time=revoked.get(serial),
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, ca.cert)
        )
        return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def _handler_for(server: RevocationServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            server.hits.append(self.path)
            body = server.files.get(self.path)
            self._answer(body, "application/pkix-crl")

        def do_POST(self) -> None:  # noqa: N802
            server.hits.append(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = self.rfile.read(length)
            body = None
            if self.path in server.responders:
                body = server.ocsp_answer(self.path, request)
            self._answer(body, "application/ocsp-response")

        def _answer(self, body: bytes | None, content_type: str) -> None:
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet in test output

    return Handler


class SilentServer:
    """A port that accepts connections and never answers: for the timeout test."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}{path}"

    def close(self) -> None:
        self.sock.close()


def closed_port_url(path: str) -> str:
    """An http URL on 127.0.0.1 where nothing listens (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}{path}"


_shared_server: RevocationServer | None = None
_shared_lock = threading.Lock()


def shared_revocation_server() -> RevocationServer:
    """The process's revocation server (started at first use, a daemon thread)."""
    global _shared_server
    with _shared_lock:
        if _shared_server is None:
            _shared_server = RevocationServer()
        return _shared_server


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
    crl_url: str | None = None,
    ocsp_url: str | None = None,
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
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier(crl_url)], None, None, None
                    )
                ]
            ),
            critical=False,
        )
    if ocsp_url:
        builder = builder.add_extension(
            x509.AuthorityInformationAccess(
                [
                    x509.AccessDescription(
                        AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
                    )
                ]
            ),
            critical=False,
        )
    return Identity(key=key, cert=builder.sign(issuer_key, hashes.SHA256()))


def _ec() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def make_pki(server: RevocationServer | None = None) -> Pki:
    """Roots (old and new national, a rogue twin), a Government CA and a signer each, plus
    a revoked signer and one checked by OCSP; their CRLs and OCSP published on ``server``
    (the process's shared one by default)."""
    server = server or shared_revocation_server()
    prefix = uuid.uuid4().hex[:12]

    def url(path: str) -> str:
        return server.url(f"/{prefix}/{path}")

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
        crl_url=url("new-root.crl"),
    )
    rogue_root = _certificate(new_root_name, _ec(), None, ca=True)  # same name, other key

    def under_government(cn: str, org: str, **urls: str) -> Signer:
        identity = _certificate(_name(cn, org), _ec(), government_ca, ca=False, days=365, **urls)
        server.issued[identity.cert.serial_number] = identity.cert
        return Signer(identity, (government_ca.cert,))

    signer_old = _certificate(
        _name("Nguyễn Văn An", "Sở Nội vụ tỉnh Hà Nam"),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        old_root,
        ca=False,
        days=365,
        crl_url=url("old-root.crl"),
    )
    government_crl = url("government-ca.crl")
    signer_revoked = under_government("Lê Văn Cường", "UBND xã Thanh Hà", crl_url=government_crl)
    revoked = {signer_revoked.identity.cert.serial_number: REVOKED_AT}
    server.files[f"/{prefix}/old-root.crl"] = make_crl(old_root)
    server.files[f"/{prefix}/new-root.crl"] = make_crl(new_root)
    server.files[f"/{prefix}/government-ca.crl"] = make_crl(government_ca, revoked)
    server.files[f"/{prefix}/rogue-root.crl"] = make_crl(rogue_root)
    server.responders[f"/{prefix}/ocsp/government-ca"] = (government_ca, revoked)
    return Pki(
        old_root=old_root,
        new_root=new_root,
        government_ca=government_ca,
        rogue_root=rogue_root,
        signer_old=Signer(signer_old, (old_root.cert,)),
        signer_new=under_government("Trần Thị Bình", "UBND xã Liêm Tuyền", crl_url=government_crl),
        signer_rogue=Signer(
            _certificate(
                _name("Kẻ Giả Mạo", "Không rõ"),
                _ec(),
                rogue_root,
                ca=False,
                days=365,
                crl_url=url("rogue-root.crl"),  # a working CA, only not a trusted one
            ),
            (),
        ),
        signer_revoked=signer_revoked,
        signer_ocsp=under_government(
            "Phạm Thị Dung", "Sở Tư pháp tỉnh Hà Nam", ocsp_url=url("ocsp/government-ca")
        ),
        server=server,
        prefix=prefix,
    )


def published_crls(pki: Pki) -> Any:
    """The CRLs ``pki``'s CAs publish, as the background check would hand them to
    :func:`~parindex.evidence.signatures.check_pdf_signature` (no database, no HTTP)."""
    from parindex.evidence.revocation import RevocationInput

    mine = f"/{pki.prefix}/"
    crls = [data for path, data in pki.server.files.items() if path.startswith(mine)]
    return RevocationInput(crls=crls, sources=[{"kind": "crl", "url": "test"}])


def issue_signer(
    pki: Pki, cn: str, *, crl_url: str | None = None, ocsp_url: str | None = None
) -> Signer:
    """Another signer under the Government CA, with the given revocation URLs (e.g. one
    nobody answers)."""
    identity = _certificate(
        _name(cn, "Đơn vị thử nghiệm"),
        _ec(),
        pki.government_ca,
        ca=False,
        days=365,
        crl_url=crl_url,
        ocsp_url=ocsp_url,
    )
    pki.server.issued[identity.cert.serial_number] = identity.cert
    return Signer(identity, (pki.government_ca.cert,))


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
    signed_revoked: bytes
    signed_ocsp: bytes
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
        signed_revoked=sign(unsigned, pki.signer_revoked),
        signed_ocsp=sign(unsigned, pki.signer_ocsp),
        modified=_add_language(signed_new),
        tampered=_flip_text(signed_new),
        png=png_bytes(),
    )
