"""``parindex import_history FILE [FILE …] --jurisdiction CODE --year 2022 …``: import the
results a jurisdiction published before using the system (see
:mod:`parindex.results.history`): an XLSX/CSV table of the template, a
``parindex-results/1`` document and/or ``parindex-evaluation/1`` files.

All or nothing: on any problem every message is printed and nothing is stored.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.organizations.models import Unit
from parindex.periods.models import PeriodKind
from parindex.results.history.parsed import HistoryFile
from parindex.results.history.services import history_import
from parindex.results.services import Decision


def _date(text: str) -> datetime.date:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date)
        except ValueError:
            continue
    raise CommandError(f"Ngày “{text}” không hợp lệ: nhập dạng 2023-03-01 hoặc 01/03/2023.")


class Command(BaseCommand):
    help = (
        "Nhập kết quả Chỉ số CCHC đã công bố các năm trước (bảng Excel/CSV theo mẫu, tệp kết "
        "quả parindex-results/1 hoặc tệp đánh giá parindex-evaluation/1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", help="tệp kết quả (.xlsx, .csv, .json)")
        parser.add_argument("--jurisdiction", required=True, help="mã địa bàn (tỉnh/huyện)")
        parser.add_argument("--year", type=int, required=True, help="năm của kỳ đánh giá")
        parser.add_argument(
            "--kind",
            default=PeriodKind.ANNUAL,
            choices=PeriodKind.values,
            help="loại kỳ: annual (cả năm, mặc định) hoặc interim (6 tháng)",
        )
        parser.add_argument("--name", default="", help="tên kỳ đánh giá (mặc định “Năm …”)")
        parser.add_argument("--decision-number", required=True, help="số quyết định công bố")
        parser.add_argument(
            "--decision-date", required=True, help="ngày ký quyết định (2023-03-01)"
        )
        parser.add_argument("--signer-name", required=True, help="họ tên người ký")
        parser.add_argument("--signer-title", default="", help="chức vụ người ký")
        parser.add_argument(
            "--group",
            default="",
            help="mã nhóm đơn vị của mọi đơn vị trong tệp (nếu tệp không ghi)",
        )
        parser.add_argument(
            "--reason", default="", help="lý do đính chính (khi thay kết quả đã nhập trước đó)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        jurisdiction = Unit.objects.filter(code=options["jurisdiction"]).first()
        if jurisdiction is None:
            raise CommandError(f"Không có đơn vị mã “{options['jurisdiction']}”.")
        files: list[HistoryFile] = []
        for name in options["files"]:
            try:
                files.append(HistoryFile(Path(name).name, Path(name).read_bytes()))
            except OSError as exc:
                raise CommandError(f"{name}: không đọc được tệp ({exc.strerror}).") from exc
        decision = Decision(
            number=options["decision_number"],
            date=_date(options["decision_date"]),
            signer_name=options["signer_name"],
            signer_title=options["signer_title"],
            reason=options["reason"],
        )
        try:
            outcome = history_import(
                jurisdiction=jurisdiction,
                year=options["year"],
                kind=options["kind"],
                name=options["name"],
                data=files[0].data,
                filename=files[0].name,
                more=files[1:],
                decision=decision,
                group_code=options["group"],
                actor=None,
            )
        except ValidationError as exc:
            raise CommandError("Không nhập được:\n" + "\n".join(exc.messages)) from exc
        version = outcome.version
        if not outcome.created:
            self.stdout.write(
                f"Kết quả này đã được nhập ({version.period.name}, phiên bản {version.number}); "
                "không nhập lại."
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập kết quả {version.period.name} ({jurisdiction.name}), phiên bản "
                f"{version.number}: {version.units_count} đơn vị."
            )
        )
        for warning in outcome.warnings:
            self.stdout.write(self.style.WARNING(f"Cảnh báo: {warning}"))
        for later in outcome.linked:
            self.stdout.write(f"{later.name} từ nay so sánh với kết quả {version.period.name}.")
