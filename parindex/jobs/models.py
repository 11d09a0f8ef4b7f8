"""The workers' leases and the jobs' attempts (see :mod:`parindex.jobs.leases`).

django_tasks_db keeps one row per job (``DBTaskResult``) and knows nothing of the worker
once it claimed the job: a worker killed mid-job leaves the row "running" for ever. Here a
worker (``parindex worker``) holds a :class:`WorkerLease` that it renews from a thread;
each time it runs a job it records a :class:`JobAttempt`. A job whose worker's lease ran
out is reclaimed by the reaper: run again after a back-off, or failed after
``JOBS_MAX_ATTEMPTS`` attempts.
"""

from __future__ import annotations

from django.db import models


class WorkerLease(models.Model):
    """One running (or stopped) ``parindex worker`` process and the time its lease ends."""

    worker_id = models.CharField("mã máy xử lý", max_length=64, unique=True)
    hostname = models.CharField("máy chủ", max_length=255)
    pid = models.PositiveIntegerField("số hiệu tiến trình")
    queues = models.CharField("hàng đợi", max_length=255)
    started_at = models.DateTimeField("khởi động lúc")
    heartbeat_at = models.DateTimeField("báo còn chạy lúc")
    expires_at = models.DateTimeField("hết hạn lúc", db_index=True)
    stopped_at = models.DateTimeField("dừng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "máy xử lý nền"
        verbose_name_plural = "máy xử lý nền"
        ordering = ("-started_at",)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}, pid {self.pid})"


class AttemptOutcome(models.TextChoices):
    RUNNING = "running", "Đang chạy"
    SUCCEEDED = "succeeded", "Thành công"
    FAILED = "failed", "Lỗi"
    RETRY = "retry", "Lỗi tạm thời, sẽ chạy lại"
    LOST = "lost", "Máy xử lý bị dừng giữa chừng"


class JobAttempt(models.Model):
    """One run of a job on one worker; the attempts of a job are numbered from 1."""

    task_result = models.ForeignKey(
        "django_tasks_database.DBTaskResult",
        verbose_name="tác vụ",
        on_delete=models.CASCADE,
        related_name="+",
    )
    number = models.PositiveSmallIntegerField("lần chạy")
    worker_id = models.CharField("mã máy xử lý", max_length=64)
    started_at = models.DateTimeField("bắt đầu lúc")
    finished_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    outcome = models.CharField(
        "kết quả", max_length=10, choices=AttemptOutcome.choices, default=AttemptOutcome.RUNNING
    )
    error = models.TextField("lỗi", blank=True)

    class Meta:
        verbose_name = "lần chạy tác vụ"
        verbose_name_plural = "các lần chạy tác vụ"
        ordering = ("task_result", "number")
        constraints = [
            models.UniqueConstraint(fields=["task_result", "number"], name="job_attempt_unique")
        ]

    def __str__(self) -> str:
        return f"{self.task_result_id} — lần {self.number}"
