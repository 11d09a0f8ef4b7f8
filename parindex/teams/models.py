"""Who does what inside a unit (phân công nhiệm vụ cho cán bộ, công chức): the unit's
sections (bộ phận: Văn phòng – Thống kê, Tư pháp – Hộ tịch, …) and which officer or
section answers for which field or criterion of the criteria set."""

from __future__ import annotations

from django.db import models

from parindex.core.text import fold


class Section(models.Model):
    """A section (bộ phận) or post (công chức phụ trách) of one unit, with its officers."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        on_delete=models.CASCADE,
        related_name="sections",
    )
    name = models.CharField("tên bộ phận", max_length=200)
    members = models.ManyToManyField(
        "accounts.User", verbose_name="cán bộ, công chức", related_name="sections", blank=True
    )
    position = models.PositiveIntegerField("thứ tự", default=0)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)

    class Meta:
        verbose_name = "bộ phận"
        verbose_name_plural = "bộ phận"
        ordering = ("unit", "position", "name")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="section_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class ItemAssignment(models.Model):
    """One field or criterion of the unit's criteria set given to an officer and/or a
    section: they answer for that node and every node under it (by code, as the
    appraisers' assignments do), in every period until the leader changes it."""

    unit = models.ForeignKey(
        "organizations.Unit",
        verbose_name="đơn vị",
        on_delete=models.CASCADE,
        related_name="item_assignments",
    )
    node_code = models.CharField("mã lĩnh vực / tiêu chí", max_length=30)
    officer = models.ForeignKey(
        "accounts.User",
        verbose_name="cán bộ phụ trách",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="item_assignments",
    )
    section = models.ForeignKey(
        Section,
        verbose_name="bộ phận phụ trách",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="item_assignments",
    )
    note = models.CharField("ghi chú", max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        "accounts.User",
        verbose_name="người phân công",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assigned_at = models.DateTimeField("phân công lúc", auto_now=True)

    class Meta:
        verbose_name = "phân công nội dung"
        verbose_name_plural = "phân công nội dung"
        ordering = ("unit", "node_code")
        constraints = [
            models.UniqueConstraint(fields=["unit", "node_code"], name="item_assignment_unique"),
            models.CheckConstraint(
                condition=models.Q(officer__isnull=False) | models.Q(section__isnull=False),
                name="item_assignment_officer_or_section",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit}: {self.node_code}"
