"""``parindex evaluate`` writes, unit by unit, exactly what ``dumps(results_document(...))``
gives; the console script runs it without setting up Django's applications."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from parindex.engine import evaluate
from parindex.engine.bench import generate
from parindex.engine.errors import InputError
from parindex.engine.evalfile import dumps, input_document, load_json, loads, results_document
from parindex.engine.tests.test_self_assessment import document as self_assessed

FIXTURE = Path(__file__).resolve().parents[2] / "engine" / "tests" / "fixtures" / "hanam_2022.json"
SCRIPT = Path(sys.executable).parent / "parindex"


def command_output(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> bytes:
    call_command("evaluate", *args)
    out, err = capsysbinary.readouterr()
    assert err == b""
    return out


def expected(text: str | bytes, previous: Any = None) -> bytes:
    data = loads(text)
    if previous is not None:
        from parindex.engine.evalfile import parse_previous_results

        data.previous = parse_previous_results(previous)
    return (dumps(results_document(evaluate(data))) + "\n").encode()


def test_the_fixture_gives_the_documents_bytes(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert command_output(capsysbinary, str(FIXTURE)) == expected(FIXTURE.read_bytes())


def test_self_assessment_and_previous_results_give_the_documents_bytes(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "self.json"
    path.write_text(json.dumps(self_assessed(), ensure_ascii=False))
    first = command_output(capsysbinary, str(path))
    assert first == expected(path.read_bytes())
    previous = tmp_path / "previous.json"
    previous.write_bytes(first.replace(b'"index": "', b'"index": "1'))
    again = command_output(capsysbinary, str(path), "--previous", str(previous))
    assert b'"previous_index"' in again and b'"index_change"' in again
    assert again == expected(path.read_bytes(), load_json(previous.read_bytes()))


def test_a_generated_period_gives_the_documents_bytes(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "period.json"
    path.write_text(dumps(input_document(generate(units=120, leaves=40, seed=5))) + "\n")
    assert command_output(capsysbinary, str(path)) == expected(path.read_bytes())


def test_the_console_script_does_not_set_up_the_apps(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from parindex.cli import main\n"
        f"sys.argv = ['parindex', 'evaluate', {str(FIXTURE)!r}]\n"
        "main()\n"
        "import django.apps\n"
        "sys.stderr.write(f'ready={django.apps.apps.ready}')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True)
    assert done.stderr == b"ready=False"
    assert done.stdout == expected(FIXTURE.read_bytes())


def test_the_console_script_still_refuses_bad_input_with_located_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{"format": "parindex-evaluation/1", "units": [], "units": []}')
    done = subprocess.run([str(SCRIPT), "evaluate", str(path)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "JSON không hợp lệ: khóa 'units' lặp lại trong một đối tượng\n"
    help_text = subprocess.run([str(SCRIPT), "evaluate", "--help"], capture_output=True, text=True)
    assert help_text.returncode == 0 and "--previous" in help_text.stdout


def test_the_first_repeated_key_is_named() -> None:
    with pytest.raises(InputError) as error:
        load_json('{"a": 1, "b": 2, "b": 3, "a": 4}')
    assert error.value.problems == ["JSON không hợp lệ: khóa 'b' lặp lại trong một đối tượng"]
