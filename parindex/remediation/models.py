"""Remediation tasks (nhiệm vụ khắc phục): what a unit does about the points it lost in an
appraisal (6-month or annual), who does it, by when, and the evidence that it was done.

A task keeps the numbers and the council's comment of the item as they were when the task
was made (the engine's points lost against the applicable max), so the list, the reminders
and the documents read the same figures even after a later correction; the live figures
are always the engine's."""

from __future__ import annotations

from django.db import models

from parindex.core.text import fold
from parindex.criteria.models import POINTS


class TaskStatus(models.TextChoices):
    OPEN = "open", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"
    DROPPED = "dropped", "Không thực hiện"


OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.IN_PROGRESS)
"""Statuses of a task still to do (reminded, counted as overdue after its due date)."""


class RemediationTaskQuerySet(models.QuerySet["RemediationTask"]):
    def still_open(self) -> RemediationTaskQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: object) -> RemediationTaskQuerySet:
        return self.still_open().filter(due_date__lt=today)

    def for_unit(self, unit_id: int) -> RemediationTaskQuerySet:
        return self.filter(unit_id=unit_id)


class RemediationTask(models.Model):
    """One thing to do about one item that lost points in ``period``'s appraisal."""

    period = models.ForeignKey(
        "periods.Period",
        verbose_name="kỳ đánh giá bị trừ điểm",
        on_delete=models.CASCADE,
        related_name="remediation_tasks",
    )
    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        on_delete=models.PROTECT,
        related_name="remediation_tasks",
    )
    node = models.ForeignKey(
        "criteria.CriterionNode",
        verbose_name="tiêu chí",
        on_delete=models.PROTECT,
        related_name="+",
    )
    node_code = models.CharField("mã tiêu chí", max_length=30, db_index=True)
    """The node's code, kept to find the same item in a later period's set."""
    max_points = models.DecimalField("điểm chuẩn", **POINTS)
    self_points = models.DecimalField("điểm tự đánh giá", null=True, blank=True, **POINTS)
    appraised_points = models.DecimalField("điểm thẩm định", null=True, blank=True, **POINTS)
    points_lost = models.DecimalField("điểm bị trừ", **POINTS)
    council_comment = models.TextField("ý kiến Hội đồng thẩm định", blank=True)
    action = models.TextField("biện pháp khắc phục")
    officer = models.ForeignKey(
        "accounts.User",
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remediation_tasks",
    )
    section = models.ForeignKey(
        "teams.Section",
        verbose_name="bộ phận thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="remediation_tasks",
    )
    due_date = models.DateField("hạn hoàn thành")
    expected_evidence = models.TextField("tài liệu kiểm chứng dự kiến", blank=True)
    status = models.CharField(
        "trạng thái", max_length=20, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    result = models.TextField("kết quả thực hiện", blank=True)
    drop_reason = models.TextField("lý do không thực hiện", blank=True)
    evidence = models.ManyToManyField(
        "evidence.Evidence",
        verbose_name="tài liệu kiểm chứng kết quả",
        related_name="remediation_tasks",
        blank=True,
    )
    closed_at = models.DateTimeField("hoàn thành / dừng lúc", null=True, blank=True)
    closed_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người đóng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người tạo",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    search_text = models.CharField(max_length=1000, editable=False, db_index=True, blank=True)
    """Folded code, criterion name and action, for diacritic-free search."""

    objects = RemediationTaskQuerySet.as_manager()

    class Meta:
        verbose_name = "nhiệm vụ khắc phục"
        verbose_name_plural = "nhiệm vụ khắc phục"
        ordering = ("period", "unit", "node_code", "due_date", "pk")
        indexes = [
            models.Index(fields=["period", "status"], name="task_period_status"),
            models.Index(fields=["unit", "node_code"], name="task_unit_code"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.node_code}: {self.action[:60]}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = fold(f"{self.node_code} {self.node.name} {self.action}")[:1000]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TaskComment(models.Model):
    """A comment on a task (trao đổi), by the unit or the overseer; append-only."""

    task = models.ForeignKey(
        RemediationTask, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        "accounts.User",
        verbose_name="người viết",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("nội dung")
    at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "trao đổi về nhiệm vụ"
        verbose_name_plural = "trao đổi về nhiệm vụ"
        ordering = ("task", "at", "pk")

    def __str__(self) -> str:
        return f"{self.task_id}: {self.text[:60]}"
