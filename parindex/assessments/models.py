from __future__ import annotations

from django.db import models

from parindex.criteria.models import POINTS


class AssessmentStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa bắt đầu"
    IN_PROGRESS = "in_progress", "Đang tự đánh giá"
    SUBMITTED = "submitted", "Đã gửi"
    IN_APPRAISAL = "in_appraisal", "Đang thẩm định"
    NEEDS_EXPLANATION = "needs_explanation", "Cần giải trình"
    FINAL = "final", "Đã có kết quả"


class AssessmentQuerySet(models.QuerySet["Assessment"]):
    def for_period(self, period_id: int) -> AssessmentQuerySet:
        return self.filter(period_id=period_id)


class Assessment(models.Model):
    """One unit's scoring in one period: its final item scores, survey points and
    bonus/penalty. The self-assessment and appraisal rounds build on this row."""

    period = models.ForeignKey(
        "periods.Period",
        verbose_name="kỳ đánh giá",
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    survey_points = models.DecimalField("điểm khảo sát", null=True, blank=True, **POINTS)
    survey_not_applicable = models.BooleanField("không khảo sát", default=False)
    bonus = models.DecimalField("điểm thưởng", default=0, **POINTS)
    penalty = models.DecimalField("điểm trừ", default=0, **POINTS)
    status = models.CharField(
        "trạng thái",
        max_length=20,
        choices=AssessmentStatus.choices,
        default=AssessmentStatus.NOT_STARTED,
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người gửi",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    explanation_sent_at = models.DateTimeField("gửi giải trình lúc", null=True, blank=True)
    explanation_sent_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người gửi giải trình",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = "phiếu chấm điểm"
        verbose_name_plural = "phiếu chấm điểm"
        constraints = [
            # One assessment per unit per period.
            models.UniqueConstraint(fields=["period", "unit"], name="assessment_unique_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.period}"


class ItemScore(models.Model):
    """The final (appraised) value of one criterion for one unit.

    ``value`` holds the rule's input as in the evaluation file: a decimal string, true/false,
    or {"numerator": "...", "denominator": "..."}. ``not_applicable`` removes the node.
    """

    assessment = models.ForeignKey(
        Assessment,
        verbose_name="phiếu chấm điểm",
        on_delete=models.CASCADE,
        related_name="items",
    )
    node = models.ForeignKey(
        "criteria.CriterionNode",
        verbose_name="tiêu chí",
        on_delete=models.CASCADE,
        related_name="+",
    )
    value = models.JSONField("giá trị", null=True, blank=True)
    not_applicable = models.BooleanField("không áp dụng", default=False)

    class Meta:
        verbose_name = "điểm tiêu chí"
        verbose_name_plural = "điểm tiêu chí"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="item_score_unique_node"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.node.code}"


class Answer(models.Model):
    """One criterion of one unit's assessment through the season: the self-assessed value,
    the current appraised value, and the explanation round.

    ``version`` grows with every save; a save that carries an older version is a conflict
    (two people editing the same item), never a silent overwrite. Every round's values are
    also kept in :class:`AppraisalRecord`, and every change in the audit trail.
    """

    assessment = models.ForeignKey(
        Assessment,
        verbose_name="phiếu chấm điểm",
        on_delete=models.CASCADE,
        related_name="answers",
    )
    node = models.ForeignKey(
        "criteria.CriterionNode",
        verbose_name="tiêu chí",
        on_delete=models.CASCADE,
        related_name="+",
    )
    self_value = models.JSONField("giá trị tự đánh giá", null=True, blank=True)
    self_not_applicable = models.BooleanField("đơn vị đề nghị không áp dụng", default=False)
    na_justification = models.TextField("lý do không áp dụng", blank=True)
    explanation = models.TextField("thuyết minh của đơn vị", blank=True)
    appraised_value = models.JSONField("giá trị thẩm định", null=True, blank=True)
    appraised_not_applicable = models.BooleanField("thẩm định: không áp dụng", default=False)
    appraisal_round = models.PositiveSmallIntegerField("vòng thẩm định", default=0)
    appraisal_comment = models.TextField("ý kiến thẩm định", blank=True)
    needs_explanation = models.BooleanField("cần giải trình", default=False)
    unit_response = models.TextField("nội dung giải trình", blank=True)
    version = models.PositiveIntegerField("phiên bản", default=0)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "nội dung chấm điểm"
        verbose_name_plural = "nội dung chấm điểm"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "node"], name="answer_unique_node"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.node.code}"


class AppraisalRecord(models.Model):
    """Append-only: what an appraiser decided for an item in a round (the timeline)."""

    answer = models.ForeignKey(
        Answer, verbose_name="nội dung", on_delete=models.CASCADE, related_name="records"
    )
    round = models.PositiveSmallIntegerField("vòng")
    value = models.JSONField("giá trị", null=True, blank=True)
    not_applicable = models.BooleanField("không áp dụng", default=False)
    points = models.DecimalField("điểm", null=True, blank=True, **POINTS)
    comment = models.TextField("ý kiến", blank=True)
    needs_explanation = models.BooleanField("yêu cầu giải trình", default=False)
    appraiser = models.ForeignKey(
        "accounts.User",
        verbose_name="người thẩm định",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "kết quả thẩm định"
        verbose_name_plural = "lịch sử thẩm định"
        ordering = ("answer", "at", "id")

    def __str__(self) -> str:
        return f"{self.answer} – vòng {self.round}"


REPORT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("implementation", "Tình hình triển khai và kết quả thực hiện công tác cải cách hành chính"),
    ("shortcomings", "Tồn tại, hạn chế"),
    ("causes", "Nguyên nhân của tồn tại, hạn chế"),
    ("solutions", "Giải pháp, nhiệm vụ trọng tâm"),
    ("proposals", "Kiến nghị, đề xuất về nội dung và cách chấm điểm bộ tiêu chí"),
)
"""The narrative sections of the unit's Báo cáo tự đánh giá, in the report's order:
(field of :class:`SelfAssessmentReport`, its heading in the document)."""


class SelfAssessmentReport(models.Model):
    """The narrative of a unit's Báo cáo tự đánh giá for one assessment (the sections of
    :data:`REPORT_SECTIONS`, the number and the signer). Written by
    :func:`parindex.assessments.services.report.self_assessment_report_save` only."""

    assessment = models.OneToOneField(
        Assessment,
        verbose_name="phiếu chấm điểm",
        on_delete=models.CASCADE,
        related_name="report",
    )
    implementation = models.TextField("tình hình triển khai, kết quả đạt được", blank=True)
    shortcomings = models.TextField("tồn tại, hạn chế", blank=True)
    causes = models.TextField("nguyên nhân", blank=True)
    solutions = models.TextField("giải pháp, nhiệm vụ trọng tâm", blank=True)
    proposals = models.TextField("kiến nghị, đề xuất về bộ tiêu chí", blank=True)
    report_number = models.CharField("số báo cáo", max_length=50, blank=True)
    signer_name = models.CharField("người ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=100, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "báo cáo tự đánh giá"
        verbose_name_plural = "báo cáo tự đánh giá"

    def __str__(self) -> str:
        return f"Báo cáo tự đánh giá: {self.assessment}"
