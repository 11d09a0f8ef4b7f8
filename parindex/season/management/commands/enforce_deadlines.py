"""``parindex enforce_deadlines``: lock what passed deadlines lock (run every 15 minutes).

Units whose self-assessment or explanation deadline (their extension, else the period's)
passed are locked; a period moves to appraisal round 1 (or 2) once no unit holds a later
extension. Idempotent: a second run does nothing. Schedule it with cron or a systemd timer,
for example ``*/15 * * * * parindex enforce_deadlines``.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parindex.season.deadlines import deadlines_enforce


class Command(BaseCommand):
    help = (
        "Khóa hồ sơ khi hết hạn tự đánh giá / giải trình và chuyển kỳ đánh giá sang giai "
        "đoạn thẩm định (chạy định kỳ 15 phút một lần)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        lines = deadlines_enforce()
        for line in lines:
            self.stdout.write(line)
        if not lines and options["verbosity"] >= 2:
            self.stdout.write("Không có hạn nào vừa kết thúc.")
