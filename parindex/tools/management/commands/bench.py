"""``parindex bench engine``, ``parindex bench survey-import`` and ``parindex bench
ranking``: national-scale benchmarks (see docs/performance.md)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parindex.engine.bench import run_engine_bench
from parindex.tools.bench import documents as documents_bench
from parindex.tools.bench import evaluate as evaluate_bench
from parindex.tools.bench import oversight as oversight_bench
from parindex.tools.bench import ranking as ranking_bench
from parindex.tools.bench import search as search_bench
from parindex.tools.bench import survey_import as survey_bench


class Command(BaseCommand):
    help = (
        "Đo hiệu năng: parindex bench engine [--units 13000 --leaves 100 --naive]; "
        "parindex bench survey-import [--responses 1000000 --units 13000 --keep]; "
        "parindex bench ranking [--units 11000 --requests 300 --keep --replica-url URL]; "
        "parindex bench documents [--units 11000 --repeat 3 --keep]; "
        "parindex bench oversight [--units 11000 --requests 140 --keep]; "
        "parindex bench evaluate [--units 13000 --leaves 100 --repeat 3]; "
        "parindex bench search [--units 11000 --requests 40 --keep]"
    )
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
        survey = sub.add_parser(
            "survey-import",
            help=(
                "nhập 1.000.000 phiếu khảo sát từ CSV vào PostgreSQL và tính điểm mọi đơn vị "
                f"(trong CSDL riêng {survey_bench.BENCH_DATABASE}, tạo lại mỗi lần)"
            ),
        )
        survey.add_argument("--responses", type=int, default=survey_bench.RESPONSES)
        survey.add_argument("--units", type=int, default=survey_bench.UNITS)
        survey.add_argument("--seed", type=int, default=survey_bench.SEED)
        survey.add_argument(
            "--keep",
            action="store_true",
            help=f"giữ lại CSDL {survey_bench.BENCH_DATABASE} và tệp CSV sau khi đo",
        )

        ranking = sub.add_parser(
            "ranking",
            help=(
                "trang xếp hạng công khai của một nhóm 11.000 xã: thời gian máy chủ p95 và số "
                f"truy vấn (trong CSDL riêng {ranking_bench.BENCH_DATABASE}, tạo lại mỗi lần)"
            ),
        )
        ranking.add_argument("--units", type=int, default=ranking_bench.UNITS)
        ranking.add_argument("--requests", type=int, default=ranking_bench.REQUESTS)
        ranking.add_argument("--seed", type=int, default=ranking_bench.SEED)
        ranking.add_argument(
            "--keep",
            action="store_true",
            help=f"giữ lại CSDL {ranking_bench.BENCH_DATABASE} sau khi đo",
        )
        ranking.add_argument(
            "--replica-url",
            default="",
            help=(
                "đọc trang công khai từ bản sao streaming này của cùng máy chủ PostgreSQL "
                "(vd. postgres://postgres@127.0.0.1:5433/), như DATABASE_REPLICA_URL"
            ),
        )

        documents = sub.add_parser(
            "documents",
            help=(
                "tạo báo cáo kết quả (25 đơn vị) và bảng kết quả 11.000 xã bằng lệnh parindex "
                f"document (trong CSDL riêng {documents_bench.BENCH_DATABASE}, tạo lại mỗi lần)"
            ),
        )
        documents.add_argument("--units", type=int, default=documents_bench.LARGE_UNITS)
        documents.add_argument("--repeat", type=int, default=documents_bench.REPEAT)
        documents.add_argument("--seed", type=int, default=documents_bench.SEED)
        documents.add_argument("--keep", action="store_true")

        oversight = sub.add_parser(
            "oversight",
            help=(
                "trang theo dõi khắc phục của 11.000 xã, 5 nhiệm vụ mỗi xã, và tệp XLSX "
                f"(trong CSDL riêng {oversight_bench.BENCH_DATABASE}, tạo lại mỗi lần)"
            ),
        )
        oversight.add_argument("--units", type=int, default=oversight_bench.UNITS)
        oversight.add_argument("--requests", type=int, default=oversight_bench.REQUESTS)
        oversight.add_argument("--seed", type=int, default=oversight_bench.SEED)
        oversight.add_argument("--keep", action="store_true")

        _add_evaluate_parser(sub)
        search_bench.add_parser(sub)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["target"] == "evaluate":
            return _run_evaluate(options, self.stdout.write)
        if options["target"] == "search":
            search_bench.handle(options)
            return
        if options["target"] == "oversight":
            try:
                status = oversight_bench.run_in_subprocess(
                    units=options["units"],
                    requests=options["requests"],
                    seed_value=options["seed"],
                    keep=options["keep"],
                )
            except SystemExit as exc:  # DATABASE_URL is not a local PostgreSQL
                raise CommandError(str(exc.code)) from None
            if status:
                raise CommandError(
                    "Đo trang theo dõi khắc phục không đạt / the oversight benchmark did not "
                    f"pass (mã thoát / exit status {status})."
                )
            return
        if options["target"] == "documents":
            try:
                status = documents_bench.run_in_subprocess(
                    repeat=options["repeat"],
                    units=options["units"],
                    seed_value=options["seed"],
                    keep=options["keep"],
                )
            except SystemExit as exc:  # DATABASE_URL is not a local PostgreSQL
                raise CommandError(str(exc.code)) from None
            if status:
                raise CommandError(
                    "Đo tạo văn bản không đạt / the documents benchmark did not pass "
                    f"(mã thoát / exit status {status})."
                )
            return
        if options["target"] == "engine":
            run_engine_bench(
                options["units"],
                options["leaves"],
                options["seed"],
                options["naive"],
                options["repeat"],
                self.stdout.write,
            )
        elif options["target"] == "survey-import":
            if options["responses"] < 1 or options["units"] < 1:
                raise CommandError("--responses và --units phải lớn hơn 0.")
            try:
                status = survey_bench.run_in_subprocess(
                    survey_bench.Config(
                        responses=options["responses"],
                        units=options["units"],
                        seed=options["seed"],
                        keep=options["keep"],
                    ),
                    self.stdout.write,
                )
            except SystemExit as exc:  # DATABASE_URL is not a local PostgreSQL
                raise CommandError(str(exc.code)) from None
            if status:
                raise CommandError(
                    f"Đo nhập phiếu khảo sát không đạt / the survey import benchmark did not "
                    f"pass (mã thoát / exit status {status})."
                )
        elif options["target"] == "ranking":
            self._ranking(options)

    def _ranking(self, options: dict[str, Any]) -> None:
        if options["units"] < 1 or options["requests"] < 1:
            raise CommandError("--units và --requests phải lớn hơn 0.")
        try:
            status = ranking_bench.run_in_subprocess(
                units=options["units"],
                requests=options["requests"],
                seed_value=options["seed"],
                keep=options["keep"],
                out=self.stdout.write,
                replica_url=options["replica_url"],
            )
        except SystemExit as exc:  # DATABASE_URL (or --replica-url) is not a local PostgreSQL
            raise CommandError(str(exc.code)) from None
        if status:
            raise CommandError(
                "Đo trang xếp hạng không đạt / the ranking page benchmark did not pass "
                f"(mã thoát / exit status {status})."
            )


def _add_evaluate_parser(sub: Any) -> None:
    evaluate = sub.add_parser(
        "evaluate",
        help=(
            "cả tiến trình parindex evaluate trên tệp cả nước so với một cài đặt tham chiếu "
            "đơn giản (Decimal thuần, json.dumps), chạy xen kẽ"
        ),
    )
    evaluate.add_argument("--units", type=int, default=evaluate_bench.UNITS)
    evaluate.add_argument("--leaves", type=int, default=evaluate_bench.LEAVES)
    evaluate.add_argument("--seed", type=int, default=evaluate_bench.SEED)
    evaluate.add_argument("--repeat", type=int, default=evaluate_bench.REPEAT)


def _run_evaluate(options: dict[str, Any], out: Any) -> None:
    if options["units"] < 1 or options["leaves"] < 1 or options["repeat"] < 1:
        raise CommandError("--units, --leaves và --repeat phải lớn hơn 0.")
    outcome = evaluate_bench.run(
        units=options["units"],
        leaves=options["leaves"],
        seed=options["seed"],
        repeat=options["repeat"],
        out=out,
    )
    if not outcome.passed:
        raise CommandError("Đo parindex evaluate không đạt / the evaluate benchmark did not pass.")
