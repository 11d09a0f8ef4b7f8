"""Stored results: computed drafts, published versions (immutable snapshots) and the leader
rating rules.

A period's results are computed by the engine into a :class:`ResultVersion` in status
*draft* (the council's preview, recomputed at will). Publishing turns the draft into
version *n* with its decision (number, date, signer): from then on its rows are never
changed. A correction is a new draft published as version *n + 1* with a reason; the
earlier version becomes *superseded* and stays visible. Imported history (results
published before the system was used) is a published version with ``source = imported``.

Each version keeps, per unit group, a :class:`ResultGroup` (statistics, fields, the
engine's group document, and the evaluation file it was computed from) and, per unit,
a :class:`ResultRow` whose numbers are the engine's output formatted exactly as
``parindex evaluate`` prints them, so public pages, downloads and the API read a
snapshot and never recompute.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from parindex.evidence.models import SignatureStatus


class VersionStatus(models.TextChoices):
    COMPUTING = "computing", "Đang tính"
    DRAFT = "draft", "Bản nháp"
    FAILED = "failed", "Tính lỗi"
    PUBLISHED = "published", "Đã công bố"
    SUPERSEDED = "superseded", "Đã được đính chính"


class VersionSource(models.TextChoices):
    COMPUTED = "computed", "Tính trên hệ thống"
    IMPORTED = "imported", "Nhập kết quả đã công bố"


class ResultVersionQuerySet(models.QuerySet["ResultVersion"]):
    def published(self) -> ResultVersionQuerySet:
        """Versions the public may see: the current one and the superseded ones."""
        return self.filter(status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED])

    def current(self) -> ResultVersionQuerySet:
        return self.filter(status=VersionStatus.PUBLISHED)

    def draft(self) -> ResultVersionQuerySet:
        return self.filter(status__in=[VersionStatus.COMPUTING, VersionStatus.DRAFT])


class ResultVersion(models.Model):
    """One computation of a period's results: a draft, or a published (immutable) version."""

    period = models.ForeignKey(
        "periods.Period",
        verbose_name="kỳ đánh giá",
        on_delete=models.PROTECT,
        related_name="result_versions",
    )
    number = models.PositiveIntegerField(
        "phiên bản", null=True, blank=True, help_text="1 cho lần công bố đầu, tăng khi đính chính."
    )
    status = models.CharField(
        "trạng thái", max_length=12, choices=VersionStatus.choices, default=VersionStatus.COMPUTING
    )
    source = models.CharField(
        "nguồn", max_length=10, choices=VersionSource.choices, default=VersionSource.COMPUTED
    )
    progress_done = models.PositiveIntegerField("đã tính (nhóm)", default=0)
    progress_total = models.PositiveIntegerField("tổng số nhóm", default=0)
    warnings = models.JSONField("cảnh báo", default=list, blank=True)
    error = models.TextField("lỗi", blank=True)
    units_count = models.PositiveIntegerField("số đơn vị", default=0)
    computed_at = models.DateTimeField("tính lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tính",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_number = models.CharField("số quyết định", max_length=100, blank=True)
    decision_date = models.DateField("ngày quyết định", null=True, blank=True)
    signer_name = models.CharField("người ký", max_length=200, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=200, blank=True)
    reason = models.TextField("lý do đính chính", blank=True)
    published_at = models.DateTimeField("công bố lúc", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người công bố",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name="đính chính phiên bản",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    objects = ResultVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "kết quả (phiên bản)"
        verbose_name_plural = "kết quả (các phiên bản)"
        ordering = ["period", "-number", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "number"],
                condition=Q(number__isnull=False),
                name="result_version_number_unique",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status__in=["computing", "draft"]),
                name="result_one_draft_per_period",
            ),
            models.UniqueConstraint(
                fields=["period"],
                condition=Q(status="published"),
                name="result_one_current_per_period",
            ),
        ]

    def __str__(self) -> str:
        if self.number:
            return f"{self.period} — phiên bản {self.number}"
        return f"{self.period} — {self.get_status_display().lower()}"

    @property
    def is_public(self) -> bool:
        return self.status in (VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class ResultGroup(models.Model):
    """One unit group of a version: its statistics and fields, and what it was computed from."""

    version = models.ForeignKey(
        ResultVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="groups"
    )
    group = models.ForeignKey(
        "organizations.UnitGroup",
        verbose_name="nhóm đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.SlugField("mã nhóm", max_length=50)
    name = models.CharField("tên nhóm", max_length=200)
    position = models.PositiveIntegerField("thứ tự", default=0)
    criteria_name = models.CharField("bộ tiêu chí", max_length=300, blank=True)
    points_places = models.PositiveSmallIntegerField("chữ số thập phân của điểm", default=2)
    index_places = models.PositiveSmallIntegerField("chữ số thập phân của chỉ số", default=2)
    survey_max = models.DecimalField(
        "điểm khảo sát tối đa", max_digits=9, decimal_places=4, null=True, blank=True
    )
    classified = models.BooleanField("có xếp loại", default=True)
    fields = models.JSONField(
        "lĩnh vực", default=list, help_text='[{"code", "name", "max"}] theo thứ tự hiển thị.'
    )
    nodes = models.JSONField(
        "tiêu chí",
        default=list,
        help_text='[{"code", "name", "parent", "guidance"}] theo thứ tự hiển thị.',
    )
    stats = models.JSONField(
        "thống kê", default=dict, help_text="Nhóm theo parindex-results/1 và số đơn vị mỗi loại."
    )
    document = models.JSONField(
        "tệp đánh giá", null=True, blank=True, help_text="parindex-evaluation/1 đã dùng để tính."
    )
    units_count = models.PositiveIntegerField("số đơn vị", default=0)

    class Meta:
        verbose_name = "kết quả của nhóm"
        verbose_name_plural = "kết quả của các nhóm"
        ordering = ["version", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="result_group_code_unique")
        ]

    def __str__(self) -> str:
        return f"{self.version} — {self.name}"

    @property
    def mean(self) -> Decimal | None:
        value = self.stats.get("mean")
        return Decimal(value) if value is not None else None


class ResultRow(models.Model):
    """One unit's published line: the engine's numbers as ``parindex evaluate`` prints them."""

    version = models.ForeignKey(
        ResultVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="rows"
    )
    result_group = models.ForeignKey(
        ResultGroup, verbose_name="nhóm", on_delete=models.CASCADE, related_name="rows"
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code = models.CharField("mã đơn vị", max_length=50)
    name = models.CharField("tên đơn vị", max_length=300)
    short_name = models.CharField("tên ngắn", max_length=120, blank=True)
    parent_name = models.CharField("trực thuộc", max_length=300, blank=True)
    search_text = models.CharField(
        "chuỗi tìm kiếm", max_length=700, blank=True, help_text="Mã và tên, bỏ dấu, chữ thường."
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    rank = models.PositiveIntegerField("xếp hạng", null=True, blank=True)
    points = models.DecimalField("điểm thẩm định", max_digits=12, decimal_places=4, null=True)
    survey = models.DecimalField("điểm khảo sát", max_digits=12, decimal_places=4, null=True)
    bonus = models.DecimalField("điểm thưởng", max_digits=12, decimal_places=4, default=0)
    penalty = models.DecimalField("điểm trừ", max_digits=12, decimal_places=4, default=0)
    total = models.DecimalField("tổng điểm", max_digits=12, decimal_places=4, null=True)
    max = models.DecimalField("điểm tối đa", max_digits=12, decimal_places=4, null=True)
    index = models.DecimalField("chỉ số (%)", max_digits=9, decimal_places=4)
    class_label = models.CharField("xếp loại", max_length=100, blank=True)
    leader_rating = models.CharField("đánh giá người đứng đầu", max_length=100, blank=True)
    previous_index = models.DecimalField(
        "chỉ số năm trước", max_digits=9, decimal_places=4, null=True, blank=True
    )
    index_change = models.DecimalField(
        "tăng/giảm chỉ số", max_digits=9, decimal_places=4, null=True, blank=True
    )
    previous_rank = models.PositiveIntegerField("hạng năm trước", null=True, blank=True)
    rank_change = models.IntegerField("tăng/giảm hạng", null=True, blank=True)
    missing_count = models.PositiveIntegerField("tiêu chí chưa có điểm", default=0)
    detail = models.JSONField(
        "chi tiết",
        default=dict,
        help_text="Đơn vị theo parindex-results/1 (lĩnh vực, tiêu chí, điểm), chuỗi số chính xác.",
    )

    class Meta:
        verbose_name = "kết quả của đơn vị"
        verbose_name_plural = "kết quả của các đơn vị"
        ordering = ["result_group", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="result_row_code_unique")
        ]
        indexes = [
            models.Index(fields=["result_group", "position"], name="result_row_group_position"),
            models.Index(fields=["unit", "version"], name="result_row_unit_version"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.index}"

    def text(self, key: str) -> str:
        """An exact number of the engine's document, e.g. ``row.text("index")`` → "74.22"."""
        value: Any = self.detail.get(key, "")
        return str(value)


class LeaderRatingRule(models.Model):
    """A period's mapping from a class (with an optional per-field minimum) to the rating of
    the unit's head; ordered best first (see :mod:`parindex.engine.leader`)."""

    period = models.ForeignKey(
        "periods.Period",
        verbose_name="kỳ đánh giá",
        on_delete=models.CASCADE,
        related_name="leader_rules",
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    class_label = models.CharField("xếp loại của đơn vị", max_length=100)
    rating = models.CharField("đánh giá người đứng đầu", max_length=100)
    field_min = models.DecimalField(
        "mỗi lĩnh vực tối thiểu (%)", max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "quy tắc đánh giá người đứng đầu"
        verbose_name_plural = "quy tắc đánh giá người đứng đầu"
        ordering = ["period", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "class_label"], name="leader_rule_class_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.class_label} → {self.rating}"


def signed_decision_path(instance: SignedDecision, filename: str) -> str:
    """Random storage keys (as for evidence): the original name is kept only in the database."""
    return f"results/decisions/{uuid.uuid4().hex}"


class SignedDecision(models.Model):
    """The signed PDF of the decision announcing a published version's results, uploaded by
    the council chair and accepted only when its digital signature is valid (signed,
    unchanged since, chain to an active trust anchor). A new upload replaces the file; the
    audit trail keeps every upload."""

    version = models.OneToOneField(
        ResultVersion,
        verbose_name="phiên bản",
        on_delete=models.CASCADE,
        related_name="signed_decision",
    )
    file = models.FileField("tệp", upload_to=signed_decision_path, max_length=300)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    signature_status = models.CharField("chữ ký số", max_length=20, choices=SignatureStatus.choices)
    signer = models.CharField("người ký", max_length=500, blank=True)
    signing_time = models.DateTimeField("thời điểm ký", null=True, blank=True)
    signature_report = models.JSONField("kết quả kiểm tra", default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tải lên",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("tải lên lúc", default=timezone.now)

    class Meta:
        verbose_name = "quyết định công bố đã ký số"
        verbose_name_plural = "quyết định công bố đã ký số"

    def __str__(self) -> str:
        return f"{self.version} — {self.original_name}"
