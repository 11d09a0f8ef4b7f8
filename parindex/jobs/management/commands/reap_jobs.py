"""``parindex reap_jobs``: one pass of the reaper (every worker also runs it)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parindex.jobs.reaper import reap_lost_jobs


class Command(BaseCommand):
    help = "Give the jobs of dead workers another attempt, or fail them after the last one."

    def handle(self, *args: Any, **options: Any) -> None:
        reaped = reap_lost_jobs()
        self.stdout.write(
            f"Chạy lại {len(reaped.retried)} việc, dừng hẳn {len(reaped.failed)} việc "
            "của máy xử lý đã dừng."
        )
