from __future__ import annotations

import uuid

from django.db import models


class SignatureStatus(models.TextChoices):
    PENDING = "pending", "Đang kiểm tra chữ ký"
    VALID = "valid", "Chữ ký số hợp lệ"
    REVOCATION_UNKNOWN = "revocation_unknown", "Chữ ký đúng, chưa kiểm tra được thu hồi"
    REVOKED = "revoked", "Chứng thư số đã bị thu hồi"
    UNTRUSTED = "untrusted", "Chữ ký không thuộc tổ chức chứng thực tin cậy"
    MODIFIED = "modified", "Tệp bị sửa sau khi ký"
    INVALID = "invalid", "Chữ ký không hợp lệ"
    UNSIGNED = "unsigned", "Chưa ký số"
    NOT_PDF = "not_pdf", "Không phải PDF (không kiểm tra chữ ký)"


def evidence_path(instance: Evidence, filename: str) -> str:
    """Random storage keys: the original name is kept only in the database."""
    return f"evidence/{instance.period_id}/{instance.unit_id}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    """An uploaded evidence file of a unit in a period. It can be attached to several items.

    Served only through a permission-checked view. Its digital signature is checked in the
    background against the administrator's trust store.
    """

    period = models.ForeignKey(
        "periods.Period", verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField("tệp", upload_to=evidence_path, max_length=300)
    original_name = models.CharField("tên tệp", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    content_type = models.CharField("loại nội dung", max_length=100)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người tải lên",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    signature_status = models.CharField(
        "chữ ký số",
        max_length=20,
        choices=SignatureStatus.choices,
        default=SignatureStatus.PENDING,
    )
    signer = models.CharField("người ký", max_length=500, blank=True)
    signing_time = models.DateTimeField("thời điểm ký", null=True, blank=True)
    signature_report = models.JSONField("kết quả kiểm tra", default=dict, blank=True)
    checked_at = models.DateTimeField("kiểm tra lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tài liệu kiểm chứng"
        verbose_name_plural = "tài liệu kiểm chứng"
        ordering = ("-uploaded_at",)
        constraints = [
            # The same file uploaded twice by a unit in a period is one document, reused.
            models.UniqueConstraint(
                fields=["period", "unit", "sha256"], name="evidence_unique_content"
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class EvidenceLink(models.Model):
    """Evidence for one item: an uploaded file, or a citation of an existing document."""

    answer = models.ForeignKey(
        "assessments.Answer",
        verbose_name="nội dung",
        on_delete=models.CASCADE,
        related_name="evidence_links",
    )
    evidence = models.ForeignKey(
        Evidence,
        verbose_name="tệp",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="links",
    )
    document_number = models.CharField("số, ký hiệu văn bản", max_length=100, blank=True)
    document_date = models.DateField("ngày ban hành", null=True, blank=True)
    document_issuer = models.CharField("cơ quan ban hành", max_length=255, blank=True)
    document_title = models.CharField("trích yếu", max_length=500, blank=True)
    stage = models.CharField("giai đoạn", max_length=20, default="self_assessment")
    added_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người thêm",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField("thêm lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu của tiêu chí"
        verbose_name_plural = "tài liệu của tiêu chí"
        ordering = ("added_at", "id")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(evidence__isnull=False) | ~models.Q(document_number=""),
                name="evidence_link_file_or_citation",
            ),
            # A file is attached to an item once (the same file may serve many items).
            models.UniqueConstraint(
                fields=["answer", "evidence"],
                condition=models.Q(evidence__isnull=False),
                name="evidence_link_unique_file",
            ),
        ]

    def __str__(self) -> str:
        return str(self.evidence) if self.evidence_id else self.document_number


class TrustAnchor(models.Model):
    """A root or intermediate certificate trusted for signed evidence (e.g. the national
    root CA, old and new, and the Government CA).

    Installation-wide anchors (no jurisdiction) are managed by the system administrator
    and trusted for every province; a chair adds anchors for their own jurisdiction only,
    and they count only for the evidence of that jurisdiction's periods.
    """

    jurisdiction = models.ForeignKey(
        "organizations.Unit",
        verbose_name="địa bàn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="trust_anchors",
        help_text="Để trống: dùng chung cho cả hệ thống (chỉ quản trị hệ thống quản lý).",
    )
    name = models.CharField("tên", max_length=200)
    certificate = models.TextField("chứng thư (PEM)")
    subject = models.CharField("chủ thể", max_length=500)
    fingerprint = models.CharField("dấu vân tay SHA-256", max_length=64)
    not_after = models.DateTimeField("hết hạn", null=True, blank=True)
    is_active = models.BooleanField("đang dùng", default=True)
    added_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người thêm",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    added_at = models.DateTimeField("thêm lúc", auto_now_add=True)

    class Meta:
        verbose_name = "chứng thư gốc tin cậy"
        verbose_name_plural = "kho chứng thư tin cậy"
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "fingerprint"], name="trust_anchor_unique_per_jurisdiction"
            ),
            models.UniqueConstraint(
                fields=["fingerprint"],
                condition=models.Q(jurisdiction__isnull=True),
                name="trust_anchor_unique_installation_wide",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RevocationKind(models.TextChoices):
    CRL = "crl", "Danh sách chứng thư bị thu hồi (CRL)"
    OCSP = "ocsp", "Trả lời OCSP"


class RevocationData(models.Model):
    """A CRL or an OCSP answer fetched for checking signatures: the cache (reused until its
    nextUpdate) and the archive of the revocation data the verdicts relied on.

    One row per distinct content (``sha256``): a refreshed CRL is a new row, the old one
    stays, so a verdict's report can always be traced to the exact bytes it used. Written
    only by :mod:`parindex.evidence.revocation` (the background check).
    """

    kind = models.CharField("loại", max_length=10, choices=RevocationKind.choices)
    url = models.CharField("địa chỉ", max_length=1000)
    certificate_sha256 = models.CharField(
        "chứng thư được hỏi (OCSP)",
        max_length=64,
        blank=True,
        help_text="SHA-256 của chứng thư mà trả lời OCSP nói về; để trống với CRL.",
    )
    issuer = models.CharField("tổ chức phát hành", max_length=500, blank=True)
    der = models.BinaryField("dữ liệu (DER)")
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    this_update = models.DateTimeField("phát hành lúc (thisUpdate)", null=True, blank=True)
    next_update = models.DateTimeField("cập nhật tiếp (nextUpdate)", null=True, blank=True)
    fetched_at = models.DateTimeField("tải về lúc")

    class Meta:
        verbose_name = "dữ liệu thu hồi chứng thư"
        verbose_name_plural = "dữ liệu thu hồi chứng thư"
        ordering = ("-fetched_at",)
        indexes = [
            models.Index(
                fields=["kind", "url", "certificate_sha256", "-fetched_at"],
                name="revocation_data_lookup",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.url}"
