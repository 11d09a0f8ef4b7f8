"""``parindex evaluate FILE``: score a parindex-evaluation/1 file, print parindex-results/1.

Needs no database. Bad input: one line per problem on stderr, nothing on stdout, exit 2.
"""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parindex.engine import InputError, evaluate
from parindex.engine.evalfile import (
    dumps,
    load_json,
    loads,
    parse_previous_results,
    results_document,
)

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Tính chỉ số từ tệp parindex-evaluation/1 và in kết quả parindex-results/1 (JSON)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="tệp đánh giá (JSON); '-' để đọc từ stdin")
        parser.add_argument(
            "--previous",
            help="tệp kết quả kỳ trước (parindex-results/1) để so sánh chỉ số và thứ hạng",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = loads(_read(options["file"]))
            if options["previous"]:
                data.previous = parse_previous_results(load_json(_read(options["previous"])))
            results = evaluate(data)
        except InputError as exc:
            for line in exc.problems:
                sys.stderr.write(f"{line}\n")
            sys.exit(EXIT_BAD_INPUT)
        sys.stdout.write(dumps(results_document(results)) + "\n")


def _read(name: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise InputError([f"{name}: không đọc được tệp ({exc.strerror})"]) from exc
