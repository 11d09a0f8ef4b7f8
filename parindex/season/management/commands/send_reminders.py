"""``parindex send_reminders [--days 3]``: reminders before and after deadlines, as in-app
notices and e-mails.

Units that have not submitted, ``--days`` days before their self-assessment deadline and
the day after they missed it; units with unanswered explanation requests likewise; and
appraisers with unappraised items before the round's deadline and the day after. Each
reminder goes at most once a day (recorded as a ``reminder.sent`` audit event), so the
command may run several times a day. Mail goes through Django's email settings (the
console in development).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.season.reminders import reminders_send


class Command(BaseCommand):
    help = (
        "Nhắc hạn tự đánh giá, giải trình và thẩm định: thông báo trong phần mềm và thư điện "
        "tử (tối đa một lần mỗi ngày)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=3,
            help="nhắc trước hạn bao nhiêu ngày (mặc định 3)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["days"]
        if days < 1:
            raise CommandError("--days phải từ 1 trở lên.")
        lines = reminders_send(days=days)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(f"Đã gửi {len(lines)} thư nhắc việc.")
