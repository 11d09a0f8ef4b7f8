"""``parindex bench engine``: national-scale benchmarks (see docs/performance.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parindex.engine.bench import run_engine_bench


class Command(BaseCommand):
    help = "Đo hiệu năng: parindex bench engine [--units 13000 --leaves 100 --naive]"
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="target", required=True)
        engine = sub.add_parser("engine", help="đánh giá toàn bộ một kỳ quy mô cả nước")
        engine.add_argument("--units", type=int, default=13_000)
        engine.add_argument("--leaves", type=int, default=100)
        engine.add_argument("--seed", type=int, default=2024)
        engine.add_argument("--repeat", type=int, default=3)
        engine.add_argument(
            "--naive", action="store_true", help="chạy cả baseline ngây thơ để so sánh"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["target"] == "engine":
            run_engine_bench(
                options["units"],
                options["leaves"],
                options["seed"],
                options["naive"],
                options["repeat"],
                self.stdout.write,
            )
