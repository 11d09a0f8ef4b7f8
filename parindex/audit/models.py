from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """An append-only record of a change, written by a service in the same transaction.

    Never updated or deleted. ``action`` is a dotted code (``criteria_set.imported``) so a
    grep finds every writer.
    """

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_username = models.CharField("tên đăng nhập", max_length=150, blank=True)
    action = models.CharField("hành động", max_length=80)
    target_type = models.CharField("loại đối tượng", max_length=80)
    target_id = models.CharField("mã đối tượng", max_length=64)
    summary = models.CharField("tóm tắt", max_length=500, blank=True)
    before = models.JSONField("trước", null=True, blank=True)
    after = models.JSONField("sau", null=True, blank=True)

    class Meta:
        verbose_name = "sự kiện nhật ký"
        verbose_name_plural = "nhật ký thay đổi"
        ordering = ("-at", "-id")
        indexes = [
            # Item history: every event of one object, newest first.
            models.Index(fields=["target_type", "target_id", "at"], name="audit_target_at"),
            # "What did this person do": events by actor over time.
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            # The council's "Nhật ký", newest first (its exact order: the database reads
            # the newest rows and stops at the page's end, even while it checks each row's
            # target against the reader's jurisdiction).
            models.Index(fields=["at", "id"], name="audit_at_id"),
            # The council's "Nhật ký" filtered by one action, newest first.
            models.Index(fields=["action", "at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action} {self.target_type}#{self.target_id}"
