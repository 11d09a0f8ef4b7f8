from __future__ import annotations

from django.db import models


class PeriodKind(models.TextChoices):
    ANNUAL = "annual", "Cả năm"
    INTERIM = "interim", "6 tháng"


class PeriodStatus(models.TextChoices):
    PREPARED = "prepared", "Chuẩn bị"
    SELF_ASSESSMENT = "self_assessment", "Đang tự đánh giá"
    APPRAISAL_1 = "appraisal_1", "Thẩm định vòng 1"
    EXPLANATION = "explanation", "Giải trình"
    APPRAISAL_2 = "appraisal_2", "Thẩm định vòng 2"
    FINALISED = "finalised", "Đã chốt kết quả"


class UnsignedEvidencePolicy(models.TextChoices):
    FLAG = "flag", "Chấp nhận nhưng đánh dấu"
    REFUSE = "refuse", "Từ chối"


class DeadlineStage(models.TextChoices):
    SELF_ASSESSMENT = "self_assessment", "Tự đánh giá"
    EXPLANATION = "explanation", "Giải trình"


class PeriodQuerySet(models.QuerySet["Period"]):
    def finalised(self) -> PeriodQuerySet:
        return self.filter(status=PeriodStatus.FINALISED)


class Period(models.Model):
    """An assessment period (kỳ đánh giá) of a jurisdiction: a year, or a 6-month interim.

    Binds a criteria set to each unit group through :class:`PeriodGroup`.
    """

    name = models.CharField("tên kỳ đánh giá", max_length=200)
    jurisdiction = models.ForeignKey(
        "organizations.Unit",
        verbose_name="địa bàn",
        on_delete=models.PROTECT,
        related_name="periods",
    )
    year = models.PositiveIntegerField("năm")
    kind = models.CharField(
        "loại kỳ", max_length=10, choices=PeriodKind.choices, default=PeriodKind.ANNUAL
    )
    status = models.CharField(
        "trạng thái", max_length=20, choices=PeriodStatus.choices, default=PeriodStatus.PREPARED
    )
    self_assessment_deadline = models.DateTimeField("hạn tự đánh giá", null=True, blank=True)
    appraisal_1_deadline = models.DateTimeField("hạn thẩm định vòng 1", null=True, blank=True)
    explanation_deadline = models.DateTimeField("hạn giải trình", null=True, blank=True)
    appraisal_2_deadline = models.DateTimeField("hạn thẩm định vòng 2", null=True, blank=True)
    unsigned_evidence = models.CharField(
        "tài liệu chưa ký số",
        max_length=10,
        choices=UnsignedEvidencePolicy.choices,
        default=UnsignedEvidencePolicy.FLAG,
    )
    evidence_max_mb = models.PositiveIntegerField("dung lượng tối đa mỗi tệp (MB)", default=20)
    evidence_types = models.CharField(
        "loại tệp được phép",
        max_length=100,
        default="pdf",
        help_text="Phần mở rộng, cách nhau bởi dấu phẩy, ví dụ: pdf, docx, xlsx.",
    )
    excluded_node_codes = models.JSONField(
        "chưa đánh giá ở kỳ 6 tháng",
        default=list,
        blank=True,
        help_text="Mã các lĩnh vực / tiêu chí không chấm ở kỳ 6 tháng: không tính vào điểm "
        "tối đa của mọi đơn vị (như không áp dụng).",
    )
    previous = models.ForeignKey(
        "self",
        verbose_name="kỳ trước (để so sánh)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = "kỳ đánh giá"
        verbose_name_plural = "kỳ đánh giá"
        ordering = ("-year", "kind", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "year", "kind"], name="period_unique_per_year"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PeriodGroup(models.Model):
    """Which criteria set scores which unit group in a period."""

    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="groups"
    )
    group = models.ForeignKey(
        "organizations.UnitGroup",
        verbose_name="nhóm đơn vị",
        on_delete=models.PROTECT,
        related_name="+",
    )
    criteria_set = models.ForeignKey(
        "criteria.CriteriaSet",
        verbose_name="bộ tiêu chí",
        on_delete=models.PROTECT,
        related_name="period_groups",
    )

    class Meta:
        verbose_name = "bộ tiêu chí của nhóm"
        verbose_name_plural = "bộ tiêu chí theo nhóm"
        constraints = [
            models.UniqueConstraint(fields=["period", "group"], name="period_group_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.group}"


class DeadlineExtension(models.Model):
    """A later deadline for one unit and one stage, granted with a recorded reason."""

    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="extensions"
    )
    unit = models.ForeignKey(
        "organizations.Unit", verbose_name="đơn vị", on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField("giai đoạn", max_length=20, choices=DeadlineStage.choices)
    until = models.DateTimeField("gia hạn đến")
    reason = models.TextField("lý do")
    granted_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người gia hạn",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "gia hạn"
        verbose_name_plural = "gia hạn"
        constraints = [
            # One extension per unit and stage; a new grant replaces it (audited).
            models.UniqueConstraint(fields=["period", "unit", "stage"], name="extension_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.get_stage_display()} đến {self.until:%d/%m/%Y %H:%M}"


class AppraiserAssignment(models.Model):
    """An appraiser's share of a period: which fields (or criteria) of which units.

    ``node_codes`` lists field or criterion codes; the appraiser sees those nodes and their
    descendants. Empty means every node.
    """

    period = models.ForeignKey(
        Period, verbose_name="kỳ đánh giá", on_delete=models.CASCADE, related_name="assignments"
    )
    appraiser = models.ForeignKey(
        "accounts.User",
        verbose_name="thành viên thẩm định",
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    node_codes = models.JSONField("lĩnh vực / tiêu chí được giao", default=list, blank=True)
    units = models.ManyToManyField(
        "organizations.Unit", verbose_name="đơn vị được giao", related_name="+", blank=True
    )

    class Meta:
        verbose_name = "phân công thẩm định"
        verbose_name_plural = "phân công thẩm định"
        constraints = [
            models.UniqueConstraint(fields=["period", "appraiser"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.appraiser} – {self.period}"
