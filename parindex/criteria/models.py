from __future__ import annotations

from typing import Any

from django.db import models

from parindex.core.text import fold
from parindex.organizations.models import Level

POINTS: dict[str, Any] = {"max_digits": 9, "decimal_places": 4}


class RoundingMode(models.TextChoices):
    TRUNCATE = "truncate", "Cắt bỏ (làm tròn xuống)"
    HALF_UP = "half_up", "Làm tròn (0,5 lên)"


class TieRule(models.TextChoices):
    SHARED = "shared", "Đồng hạng, bỏ qua hạng kế tiếp (1, 2, 2, 4)"
    DENSE = "dense", "Đồng hạng, không bỏ hạng (1, 2, 2, 3)"


class RuleType(models.TextChoices):
    MANUAL = "manual", "Chấm theo đánh giá (nhập điểm)"
    BOOLEAN = "boolean", "Đạt / không đạt"
    RATIO = "ratio", "Tỷ lệ (tử số / mẫu số)"
    PERCENT = "percent", "Tỷ lệ phần trăm"
    TIERS = "tiers", "Theo mức (bậc)"
    DEDUCTION = "deduction", "Trừ điểm theo số lần"


class CriteriaSetQuerySet(models.QuerySet["CriteriaSet"]):
    def for_year(self, year: int) -> CriteriaSetQuerySet:
        return self.filter(year=year)

    def active(self) -> CriteriaSetQuerySet:
        """Sets in use or usable: not archived (what lists and pickers offer)."""
        return self.filter(archived_at__isnull=True)

    def archived(self) -> CriteriaSetQuerySet:
        return self.filter(archived_at__isnull=False)

    def search(self, query: str) -> CriteriaSetQuerySet:
        qs = self
        for word in fold(query).split():
            qs = qs.filter(search_name__contains=word)
        return qs


class CriteriaSet(models.Model):
    """A versioned criteria set (bộ tiêu chí) of one jurisdiction, level and year.

    Holds the settings that affect numbers (rounding, survey max, bonus/penalty caps,
    classification, tie rule); its nodes hold the tree. Changed only through services.
    """

    name = models.CharField("tên bộ tiêu chí", max_length=300)
    jurisdiction = models.ForeignKey(
        "organizations.Unit",
        verbose_name="cơ quan ban hành / địa bàn",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="criteria_sets",
    )
    level = models.CharField("áp dụng cho cấp", max_length=20, choices=Level.choices)
    year = models.PositiveIntegerField("năm áp dụng")
    period_label = models.CharField(
        "giai đoạn / kỳ", max_length=50, blank=True, help_text="Ví dụ: 2022–2030, 6 tháng đầu năm"
    )
    version = models.PositiveIntegerField("phiên bản", default=1)
    decision = models.CharField(
        "quyết định ban hành", max_length=200, blank=True, help_text="Ví dụ: 1952/QĐ-UBND"
    )
    decision_date = models.DateField("ngày ban hành", null=True, blank=True)
    rounding_mode = models.CharField(
        "làm tròn điểm tiêu chí",
        max_length=10,
        choices=RoundingMode.choices,
        default=RoundingMode.TRUNCATE,
    )
    rounding_places = models.PositiveSmallIntegerField("số chữ số thập phân", default=2)
    index_rounding_mode = models.CharField(
        "làm tròn chỉ số",
        max_length=10,
        choices=RoundingMode.choices,
        default=RoundingMode.HALF_UP,
    )
    index_rounding_places = models.PositiveSmallIntegerField(
        "số chữ số thập phân của chỉ số", default=2
    )
    survey_max = models.DecimalField(
        "điểm tối đa khảo sát",
        null=True,
        blank=True,
        **POINTS,
        help_text="Để trống nếu bộ tiêu chí không có phần khảo sát sự hài lòng.",
    )
    bonus_max = models.DecimalField("điểm thưởng tối đa", null=True, blank=True, **POINTS)
    penalty_max = models.DecimalField("điểm trừ tối đa", null=True, blank=True, **POINTS)
    ties = models.CharField(
        "xếp hạng khi bằng điểm", max_length=10, choices=TieRule.choices, default=TieRule.SHARED
    )
    classification_otherwise = models.CharField(
        "xếp loại khi không đạt mức nào", max_length=100, blank=True
    )
    plan_criterion_code = models.CharField(
        "tiêu chí mức độ thực hiện kế hoạch CCHC",
        max_length=30,
        blank=True,
        help_text="Mã tiêu chí (thành phần) chấm theo tỷ lệ nhiệm vụ của kế hoạch CCHC năm đã "
        "hoàn thành, ví dụ 1.1.3: phần mềm đề xuất giá trị từ kế hoạch của đơn vị.",
    )
    note = models.TextField("ghi chú", blank=True)
    search_name = models.CharField(max_length=300, editable=False, db_index=True)
    is_shared = models.BooleanField(
        "chia sẻ cho tỉnh khác",
        default=False,
        help_text="Các tỉnh, thành phố khác cùng hệ thống được xem và sao chép (không sửa).",
    )
    cloned_from = models.ForeignKey(
        "self",
        verbose_name="sao chép từ bộ",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
        editable=False,
    )
    archived_at = models.DateTimeField(
        "lưu trữ lúc",
        null=True,
        blank=True,
        editable=False,
        help_text="Bộ đã lưu trữ (tạo nhầm, không dùng nữa): ẩn khỏi danh sách và ô chọn.",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    objects = CriteriaSetQuerySet.as_manager()

    class Meta:
        verbose_name = "bộ tiêu chí"
        verbose_name_plural = "bộ tiêu chí"
        ordering = ("-year", "level", "name")
        constraints = [
            # One version number per jurisdiction, level and year: "the 2023 commune set, v2".
            models.UniqueConstraint(
                fields=["jurisdiction", "level", "year", "version"],
                name="criteria_set_unique_version",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(f"{self.name} {self.decision} {self.year}")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class CriterionNode(models.Model):
    """A field (lĩnh vực, no parent), criterion (tiêu chí) or sub-criterion (tiêu chí
    thành phần). Leaves carry a scoring rule; a parent scores the capped sum of its children.
    """

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    code = models.CharField("mã (STT)", max_length=30)
    name = models.TextField("nội dung tiêu chí")
    max_points = models.DecimalField("điểm tối đa", **POINTS)
    rule_type = models.CharField(
        "cách chấm", max_length=20, choices=RuleType.choices, default=RuleType.MANUAL
    )
    floor = models.DecimalField(
        "ngưỡng tối thiểu (tỷ lệ)",
        null=True,
        blank=True,
        **POINTS,
        help_text="Tỷ lệ dưới ngưỡng này được 0 điểm, ví dụ 0,70.",
    )
    full_at = models.DecimalField(
        "ngưỡng đạt tối đa (tỷ lệ)",
        null=True,
        blank=True,
        **POINTS,
        help_text="Tỷ lệ từ ngưỡng này trở lên được điểm tối đa.",
    )
    tiers = models.JSONField(
        "các mức",
        default=list,
        blank=True,
        help_text='Danh sách {"min": "...", "points": "..."}.',
    )
    per_item = models.DecimalField("điểm trừ mỗi lần", null=True, blank=True, **POINTS)
    allow_not_applicable = models.BooleanField("cho phép không áp dụng", default=False)
    guidance = models.TextField("hướng dẫn chấm điểm", blank=True)
    evidence = models.TextField("tài liệu kiểm chứng", blank=True)
    position = models.PositiveIntegerField("thứ tự", default=0)
    search_name = models.CharField(max_length=500, editable=False, db_index=True, blank=True)
    """The folded name ("cai cach" finds "Cải cách"); set by :meth:`save` and the services."""

    class Meta:
        verbose_name = "tiêu chí"
        verbose_name_plural = "tiêu chí"
        ordering = ("criteria_set", "position")
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "code"], name="criterion_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold_name(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


def fold_name(name: str) -> str:
    """A node's ``search_name``: the folded name, cut to the column's length."""
    return fold(name)[:500]


class ClassificationBand(models.Model):
    """One band of the set's classification scheme (xếp loại), highest first."""

    criteria_set = models.ForeignKey(
        CriteriaSet, verbose_name="bộ tiêu chí", on_delete=models.CASCADE, related_name="bands"
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    label = models.CharField("xếp loại", max_length=100)
    min_index = models.DecimalField("chỉ số tối thiểu (%)", **POINTS)
    min_exclusive = models.BooleanField("lớn hơn hẳn mức tối thiểu", default=False)
    field_min = models.DecimalField(
        "mỗi lĩnh vực đạt tối thiểu (%)", null=True, blank=True, **POINTS
    )

    class Meta:
        verbose_name = "mức xếp loại"
        verbose_name_plural = "các mức xếp loại"
        ordering = ("criteria_set", "position")

    def __str__(self) -> str:
        return self.label
