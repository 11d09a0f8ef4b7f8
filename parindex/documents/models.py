"""The documents a season ends in: their Word templates, the texts people write for them,
and every generated file with the result version it came from."""

from __future__ import annotations

from django.db import models


class DocumentKind(models.TextChoices):
    SELF_ASSESSMENT = "self-assessment", "Báo cáo tự đánh giá"
    MINUTES = "minutes", "Biên bản thẩm định"
    RESULTS = "results", "Báo cáo kết quả xác định Chỉ số CCHC"
    NOTICE = "notice", "Thông báo công bố kết quả Chỉ số CCHC"
    DEDUCTIONS = "deductions", "Phụ lục các nội dung bị trừ điểm"
    IMPROVEMENT = "improvement", "Báo cáo đánh giá kết quả và giải pháp nâng cao Chỉ số CCHC"
    DIRECTIVE = "directive", "Công văn khắc phục tồn tại, hạn chế"


class DocumentFormat(models.TextChoices):
    DOCX = "docx", "Word (DOCX)"
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "Excel (XLSX)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang tạo"
    DONE = "done", "Đã tạo xong"
    FAILED = "failed", "Không tạo được"


class DocumentTemplate(models.Model):
    """A Word template (docxtpl) an administrator uploaded for one kind of document of a
    jurisdiction (or, without one, of the whole installation). The newest active one of the
    period's jurisdiction is used, else the installation's, else the built-in one."""

    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    jurisdiction = models.ForeignKey(
        "organizations.Unit",
        verbose_name="địa bàn",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="Để trống: mẫu dùng chung cho cả hệ thống.",
    )
    file = models.FileField("tệp mẫu", upload_to="document-templates/%Y/")
    original_name = models.CharField("tên tệp gốc", max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField("dung lượng (byte)")
    note = models.CharField("ghi chú", max_length=300, blank=True)
    is_active = models.BooleanField("đang dùng", default=True)
    uploaded_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người tải lên",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "mẫu văn bản"
        verbose_name_plural = "mẫu văn bản"
        ordering = ("kind", "-uploaded_at", "-pk")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.original_name}"


class DocumentText(models.Model):
    """The sections of a document that people write before it is issued (the chair's parts
    of the results report and of the notice), by period and kind."""

    period = models.ForeignKey(
        "periods.Period", verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    parent_agency = models.CharField("cơ quan chủ quản", max_length=200, blank=True)
    agency = models.CharField("cơ quan ban hành", max_length=200, blank=True)
    number = models.CharField("số văn bản", max_length=60, blank=True)
    place = models.CharField("địa danh", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=200, blank=True)
    signer_name = models.CharField("người ký", max_length=200, blank=True)
    recipients = models.TextField("nơi nhận", blank=True)
    sections = models.JSONField("các phần do người soạn viết", default=dict, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người cập nhật",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "nội dung soạn thảo"
        verbose_name_plural = "nội dung soạn thảo"
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="document_text_unique")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.period}"


class GeneratedDocument(models.Model):
    """One generated file: what it is (kind, period, group, unit, round, format), the result
    version its numbers come from, and the job that made it."""

    kind = models.CharField("loại văn bản", max_length=30, choices=DocumentKind.choices)
    format = models.CharField("định dạng", max_length=10, choices=DocumentFormat.choices)
    period = models.ForeignKey(
        "periods.Period",
        verbose_name="kỳ đánh giá",
        on_delete=models.CASCADE,
        related_name="documents",
    )
    version = models.ForeignKey(
        "results.ResultVersion",
        verbose_name="phiên bản kết quả",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="documents",
    )
    results_computed_at = models.DateTimeField(
        "kết quả tính lúc",
        null=True,
        blank=True,
        help_text="Thời điểm tính của phiên bản kết quả khi tạo văn bản (bản nháp tính lại thì"
        " văn bản cũ không còn đúng).",
    )
    group_code = models.CharField("nhóm đơn vị", max_length=50, blank=True)
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    round = models.PositiveSmallIntegerField("vòng thẩm định", null=True, blank=True)
    template = models.ForeignKey(
        DocumentTemplate,
        verbose_name="mẫu đã dùng",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "trạng thái", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress_done = models.PositiveSmallIntegerField("đã làm (bước)", default=0)
    progress_total = models.PositiveSmallIntegerField("tổng số bước", default=0)
    progress_label = models.CharField("đang làm", max_length=200, blank=True)
    error = models.TextField("lỗi", blank=True)
    file = models.FileField("tệp", upload_to="documents/%Y/", blank=True)
    file_name = models.CharField("tên tệp", max_length=255, blank=True)
    size = models.PositiveIntegerField("dung lượng (byte)", default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người yêu cầu",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)

    class Meta:
        verbose_name = "văn bản đã tạo"
        verbose_name_plural = "văn bản đã tạo"
        ordering = ("-requested_at", "-pk")
        indexes = [
            models.Index(fields=["period", "kind", "status"], name="document_period_kind"),
        ]

    def __str__(self) -> str:
        return self.file_name or f"{self.get_kind_display()} ({self.get_format_display()})"
