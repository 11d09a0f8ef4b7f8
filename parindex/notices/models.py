"""In-app notices (thông báo): what a person is told, shown under the bell in the navbar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models

if TYPE_CHECKING:
    from parindex.accounts.models import User


class NoticeKind(models.TextChoices):
    EXPLANATION_REQUESTED = "explanation_requested", "Yêu cầu giải trình"
    DEADLINE_NEAR = "deadline_near", "Sắp đến hạn"
    DEADLINE_MISSED = "deadline_missed", "Đã quá hạn"
    REMINDER = "reminder", "Nhắc việc"


class NoticeQuerySet(models.QuerySet["Notice"]):
    def for_user(self, user: User | None) -> NoticeQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NoticeQuerySet:
        return self.filter(read_at__isnull=True)


class Notice(models.Model):
    """One notice to one person; ``read_at`` is set when they open or dismiss it."""

    recipient = models.ForeignKey(
        "accounts.User",
        verbose_name="người nhận",
        on_delete=models.CASCADE,
        related_name="notices",
    )
    kind = models.CharField("loại", max_length=30, choices=NoticeKind.choices)
    text = models.CharField("nội dung", max_length=500)
    link = models.CharField("đường dẫn", max_length=300, blank=True)
    created_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("đã đọc lúc", null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        ordering = ("-created_at", "-pk")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_recipient_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.text[:60]}"
