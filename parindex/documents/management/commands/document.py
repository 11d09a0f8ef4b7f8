"""``parindex document KIND --period ID [--group SLUG] [--unit CODE] [--round N] --format
docx|pdf|xlsx -o FILE``: generate a document from the command line, through the same code as
the background job. Exit status 2, with a Vietnamese message, for a period, group or unit
that does not exist or a document that is not ready."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.documents.errors import DocumentError
from parindex.documents.generate import Request, make_file
from parindex.documents.kinds import KINDS
from parindex.documents.models import DocumentFormat
from parindex.organizations.models import Unit
from parindex.periods.models import Period


class Command(BaseCommand):
    help = "Tạo văn bản (báo cáo, biên bản, thông báo) của một kỳ đánh giá ra tệp DOCX/PDF/XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"loại văn bản: {', '.join(KINDS)}")
        parser.add_argument("--period", type=int, required=True, help="mã số (id) kỳ đánh giá")
        parser.add_argument("--group", default="", help="mã nhóm đơn vị (mặc định: mọi nhóm)")
        parser.add_argument("--unit", default="", help="mã đơn vị (văn bản của một đơn vị)")
        parser.add_argument("--round", type=int, default=None, help="vòng thẩm định (biên bản)")
        parser.add_argument(
            "--format", default="docx", help="định dạng: docx, pdf hoặc xlsx (mặc định docx)"
        )
        parser.add_argument("-o", "--output", required=True, help="tệp ghi ra")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            request = self._request(options)
            made = make_file(request, options["format"], progress=self._progress)
        except DocumentError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        Path(options["output"]).write_bytes(made.data)
        self.stderr.write(f"Đã ghi {options['output']} ({len(made.data):,} byte)")

    def _request(self, options: dict[str, Any]) -> Request:
        if options["kind"] not in KINDS:
            raise DocumentError(
                f"Không có loại văn bản “{options['kind']}”; chọn một trong: {', '.join(KINDS)}."
            )
        if options["format"] not in DocumentFormat.values:
            raise DocumentError(
                f"Định dạng “{options['format']}” không hỗ trợ; chọn docx, pdf hoặc xlsx."
            )
        period = Period.objects.select_related("jurisdiction").filter(pk=options["period"]).first()
        if period is None:
            raise DocumentError(f"Không có kỳ đánh giá mã số {options['period']}.")
        unit = None
        if options["unit"]:
            unit = Unit.objects.filter(code=options["unit"]).first()
            if unit is None:
                raise DocumentError(f"Không có đơn vị mã “{options['unit']}”.")
        return Request(
            options["kind"],
            period,
            unit=unit,
            group_code=options["group"],
            round=options["round"],
        )

    def _progress(self, done: int, total: int, label: str) -> None:
        if sys.stderr.isatty():
            self.stderr.write(f"[{done}/{total}] {label}")
