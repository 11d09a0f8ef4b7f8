"""``parindex export_period PERIOD_ID GROUP_CODE [-o FILE]``: write one group of a period as
a parindex-evaluation/1 file, the same document the results page offers for download.

``parindex evaluate`` on the file reproduces the page's indexes, ranks, classes and changes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.engine.evalfile import dumps
from parindex.periods.models import Period
from parindex.results.selectors import period_document, period_groups


class Command(BaseCommand):
    help = "Xuất tệp đánh giá (parindex-evaluation/1, JSON) của một nhóm đơn vị trong kỳ đánh giá."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period_id", type=int, help="mã số (id) của kỳ đánh giá")
        parser.add_argument("group_code", help="mã nhóm đơn vị, ví dụ so-ban-nganh")
        parser.add_argument("-o", "--output", help="ghi ra tệp này thay vì in ra màn hình (stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        period = (
            Period.objects.select_related("jurisdiction").filter(pk=options["period_id"]).first()
        )
        if period is None:
            raise CommandError(f"Không có kỳ đánh giá mã số {options['period_id']}.")
        bindings = period_groups(period)
        binding = next((b for b in bindings if b.group.code == options["group_code"]), None)
        if binding is None:
            known = ", ".join(b.group.code for b in bindings) or "không có nhóm nào"
            raise CommandError(
                f"Kỳ đánh giá {period.name} không có nhóm “{options['group_code']}” "
                f"(các nhóm: {known})."
            )
        text = dumps(period_document(period, binding)) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Đã ghi {options['output']}")
        else:
            self.stdout.write(text, ending="")
