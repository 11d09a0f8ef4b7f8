"""``parindex evaluate FILE``: score a parindex-evaluation/1 file, print parindex-results/1.

Needs no database. Bad input: one line per problem on stderr, nothing on stdout, exit 2.

A national file (13,000 units × 100 criteria, 130 MB) is read with the cyclic garbage
collector paused (the parsed document is millions of objects and no cycles), decoded by
orjson when that gives the standard library's document (:mod:`parindex.engine.evaldecode`),
validated in
one pass (:mod:`parindex.engine.evalfast`), and its results are written unit by unit
(:mod:`parindex.results.json_stream`), the same bytes as ``json.dumps(..., indent=2)``.
The console script runs this command without setting up Django's applications
(:func:`run_without_setup`): it reads no setting and no database.
"""

import gc
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser, handle_default_options

from parindex.engine import InputError, evaluate
from parindex.engine.evalfile import load_json, parse, parse_previous_results
from parindex.engine.evalresults import lazy_results_document
from parindex.results.json_stream import write_document

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
        with _collector_paused():
            try:
                raw = _read(options["file"])
                document = load_json(raw)
                del raw  # the text (130 MB for a country) is not needed past decoding
                data = parse(document)
                del document
                if options["previous"]:
                    data.previous = parse_previous_results(load_json(_read(options["previous"])))
                results = evaluate(data)
            except InputError as exc:
                for line in exc.problems:
                    sys.stderr.write(f"{line}\n")
                sys.exit(EXIT_BAD_INPUT)
            del data
            sys.stdout.flush()
            write_document(lazy_results_document(results, node_entries=True), _binary_stdout())
            sys.stdout.flush()


def run_without_setup(argv: Sequence[str]) -> None:
    """``parindex evaluate …`` from the console script: the command without
    ``django.setup()`` (which costs a second or more and gives this command nothing)."""
    command = Command()
    options = command.create_parser(argv[0], argv[1]).parse_args(argv[2:])
    handle_default_options(options)
    command.execute(**vars(options))


@contextmanager
def _collector_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _binary_stdout() -> Any:
    """Where the bytes go: the real stdout's buffer, or (under ``call_command`` with a
    captured or text-only stdout) a writer that decodes them."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        return buffer.write
    return lambda chunk: sys.stdout.write(chunk.decode())


def _read(name: str) -> bytes:
    try:
        return sys.stdin.buffer.read() if name == "-" else Path(name).read_bytes()
    except OSError as exc:
        raise InputError([f"{name}: không đọc được tệp ({exc.strerror})"]) from exc
