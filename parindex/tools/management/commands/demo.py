"""``parindex demo [--reset] [--seed N]``: create the demo data (dữ liệu mẫu) and print the
demo accounts.

Idempotent: when the demo province already exists it only prints the accounts (adding the
current season first to demo data made before there was one); ``--reset`` deletes the demo
data and creates it again. The same seed always gives the same scores and the same season.
Either way it ends with one run of the deadline job (:func:`deadlines_enforce`), as the
periodic ``parindex enforce_deadlines`` would.
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from parindex.assessments.models import AssessmentStatus
from parindex.organizations.models import Unit
from parindex.season.deadlines import deadlines_enforce
from parindex.tools.demo import units_data
from parindex.tools.demo.build import (
    ACCOUNTS,
    DEFAULT_SEED,
    DemoSummary,
    demo_complete,
    demo_create,
    demo_delete,
    demo_exists,
)
from parindex.tools.demo.season import SeasonSummary


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: tỉnh Minh Hà (giả định) với các sở, huyện, xã, bộ tiêu chí, "
        "kỳ đánh giá năm 2023, 2024 đã chốt kết quả, kỳ năm 2025 đang tự đánh giá và các "
        "tài khoản dùng thử."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="xóa dữ liệu mẫu hiện có rồi tạo lại"
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"hạt giống sinh điểm ngẫu nhiên (mặc định {DEFAULT_SEED})",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if demo_exists() and not options["reset"]:
            self.stdout.write(
                f"Dữ liệu mẫu đã có ({units_data.PROVINCE_NAME}); dùng --reset để xóa và tạo lại."
            )
            started = time.perf_counter()
            added = demo_complete(seed=options["seed"])
            if added is not None and added.season is not None:
                seconds = _seconds(time.perf_counter() - started)
                self.stdout.write(
                    self.style.SUCCESS(f"Đã bổ sung kỳ đánh giá đang diễn ra ({seconds} giây):")
                )
                self._season(added.season)
            self._enforce()
            self._accounts(added.existing_accounts if added else [])
            return
        started = time.perf_counter()
        with transaction.atomic():
            if options["reset"] and demo_delete():
                self.stdout.write("Đã xóa dữ liệu mẫu cũ.")
            summary = demo_create(seed=options["seed"])
        elapsed = time.perf_counter() - started
        self._summary(summary, elapsed)
        self._enforce()
        self._accounts(summary.existing_accounts)

    def _summary(self, summary: DemoSummary, elapsed: float) -> None:
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã tạo dữ liệu mẫu {units_data.PROVINCE_NAME} ({_seconds(elapsed)} giây):"
            )
        )
        self.stdout.write(
            f"  {summary.departments} sở, ban, ngành; {summary.districts} UBND cấp huyện; "
            f"{summary.communes} UBND cấp xã"
        )
        self.stdout.write(
            f"  {summary.criteria_sets} bộ tiêu chí; kỳ đánh giá "
            f"{', '.join(summary.periods)} (đã chốt kết quả); "
            f"{summary.assessments} phiếu chấm điểm, {summary.item_scores} điểm tiêu chí"
        )
        if summary.season is not None:
            self._season(summary.season)
        if summary.interim is not None:
            interim = summary.interim
            self.stdout.write(
                f"  kỳ đánh giá {interim.period} của huyện Vân Khê ({interim.units} xã): đã thẩm "
                f"định ({interim.lowered} nội dung bị hạ điểm), chốt và công bố kết quả"
            )
        if summary.followup is not None:
            followup = summary.followup
            self.stdout.write(
                f"  xã Vân Sơn: {followup.sections} bộ phận được phân công, {followup.tasks} nhiệm "
                f"vụ khắc phục điểm bị trừ kỳ 6 tháng; kế hoạch CCHC {followup.plan_tasks} nhiệm "
                f"vụ, {followup.plan_done} đã hoàn thành"
            )

    def _season(self, season: SeasonSummary) -> None:
        deadline = (
            timezone.localtime(season.deadline).strftime("%H:%M %d/%m/%Y")
            if season.deadline
            else "—"
        )
        counts = "; ".join(
            f"{season.statuses.get(status, 0)} {AssessmentStatus(status).label.lower()}"
            for status in (
                AssessmentStatus.NOT_STARTED,
                AssessmentStatus.IN_PROGRESS,
                AssessmentStatus.SUBMITTED,
            )
        )
        self.stdout.write(
            f"  kỳ đánh giá {season.period} đang tự đánh giá, hạn {deadline}: {counts}; "
            f"{season.answers} nội dung đã tự chấm; {season.assignments} thành viên tổ thẩm "
            "định được phân công"
        )
        self.stdout.write(
            f"  khảo sát sự hài lòng: {season.survey_forms} phiếu của {season.survey_units} "
            "đơn vị đã nhập và tính điểm (trang Khảo sát)"
        )

    def _enforce(self) -> None:
        for line in deadlines_enforce():
            self.stdout.write(f"  {line}")

    def _accounts(self, existing: list[str]) -> None:
        units = dict(
            Unit.objects.filter(code__in={a.unit_code for a in ACCOUNTS}).values_list(
                "code", "name"
            )
        )
        rows = [("Tài khoản", "Mật khẩu", "Vai trò", "Đơn vị")]
        for account in ACCOUNTS:
            mark = " (*)" if account.username in existing else ""
            rows.append(
                (
                    account.username + mark,
                    account.password,
                    account.label,
                    units.get(account.unit_code, account.unit_code),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("Tài khoản dùng thử:")
        for n, row in enumerate(rows):
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  " + "  ".join([*cells, row[3]]))
            if n == 0:
                self.stdout.write("  " + "  ".join(["-" * w for w in widths] + ["-" * 20]))
        if existing:
            self.stdout.write("  (*) tài khoản đã có từ trước: giữ nguyên mật khẩu.")
        port = os.environ.get("PORT", "8000")
        self.stdout.write(
            f"Mở http://127.0.0.1:{port}/ (trang quản trị: http://127.0.0.1:{port}/quan-tri/)"
        )


def _seconds(elapsed: float) -> str:
    return f"{elapsed:.1f}".replace(".", ",")
