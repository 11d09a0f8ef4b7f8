"""The annual CCHC plan (kế hoạch cải cách hành chính năm) of a unit, or of the province
for its own plan: objectives (mục tiêu), tasks (nhiệm vụ) and activities (hoạt động), each
with its product, deadline, lead and supporting agency, marked done with evidence.

Its completion rate (tasks done over tasks due: by 30/6 at 6 months, all at year end) is
what the set's plan-completion criterion (``CriteriaSet.plan_criterion_code``) measures."""

from __future__ import annotations

import uuid

from django.db import models

from parindex.core.text import fold


class ReformPlan(models.Model):
    """One unit's CCHC plan for one year."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="reform_plans",
    )
    year = models.PositiveIntegerField("năm")
    number = models.CharField("số, ký hiệu", max_length=100, blank=True)
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.CharField("trích yếu", max_length=500)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người tạo",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ("-year", "unit")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="reform_plan_unique_year"),
        ]

    def __str__(self) -> str:
        return self.title


class ItemKind(models.TextChoices):
    OBJECTIVE = "objective", "Mục tiêu"
    TASK = "task", "Nhiệm vụ"
    ACTIVITY = "activity", "Hoạt động"


def plan_evidence_path(instance: PlanItem, filename: str) -> str:
    """Random storage keys: the original name is kept only in the database."""
    return f"plans/{instance.plan_id}/{uuid.uuid4().hex}"


class PlanItem(models.Model):
    """An objective, task or activity of a plan. Tasks are what the completion rate counts;
    an activity belongs to a task, a task to an objective (or to the plan directly)."""

    plan = models.ForeignKey(
        ReformPlan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="thuộc",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    kind = models.CharField("loại", max_length=10, choices=ItemKind.choices)
    code = models.CharField("số thứ tự", max_length=30, blank=True)
    title = models.TextField("nội dung")
    product = models.CharField("sản phẩm", max_length=500, blank=True)
    deadline = models.DateField("thời hạn hoàn thành", null=True, blank=True)
    lead = models.CharField("cơ quan / bộ phận chủ trì", max_length=300, blank=True)
    support = models.CharField("cơ quan / bộ phận phối hợp", max_length=300, blank=True)
    position = models.PositiveIntegerField("thứ tự", default=0)
    done_on = models.DateField("hoàn thành ngày", null=True, blank=True)
    done_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người xác nhận hoàn thành",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result_document = models.CharField("văn bản, sản phẩm hoàn thành", max_length=300, blank=True)
    evidence_file = models.FileField(
        "tệp kiểm chứng", upload_to=plan_evidence_path, max_length=300, blank=True
    )
    evidence_name = models.CharField("tên tệp", max_length=255, blank=True)
    evidence_sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    search_text = models.CharField(max_length=1000, editable=False, db_index=True, blank=True)

    class Meta:
        verbose_name = "nội dung kế hoạch"
        verbose_name_plural = "nội dung kế hoạch"
        ordering = ("plan", "position", "pk")

    def __str__(self) -> str:
        return f"{self.code} {self.title[:80]}".strip()

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(f"{self.code} {self.title} {self.product} {self.lead}")[:1000]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_done(self) -> bool:
        return self.done_on is not None
