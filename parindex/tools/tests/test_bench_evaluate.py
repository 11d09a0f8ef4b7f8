"""``parindex bench evaluate`` at a tiny size: the generated file, both programs run as
processes, their outputs compared byte for byte."""

from __future__ import annotations

import subprocess
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from parindex.engine.bench import generate
from parindex.engine.evalfile import dumps, input_document
from parindex.tools.bench import evaluate as bench


def test_a_tiny_run_measures_both_and_finds_identical_output(tmp_path: Path) -> None:
    lines: list[str] = []
    outcome = bench.run(units=40, leaves=12, seed=9, repeat=2, directory=tmp_path, out=lines.append)
    assert outcome.identical
    assert len(outcome.reference.seconds) == len(outcome.evaluate.seconds) == 2
    assert all(s > 0 for s in outcome.reference.seconds + outcome.evaluate.seconds)
    assert all(b > 10 * 2**20 for b in outcome.evaluate.peak_bytes)  # a Python process at least
    assert outcome.ratio == pytest.approx(outcome.reference.median / outcome.evaluate.median)
    assert outcome.passed == (outcome.ratio >= 3 and max(outcome.evaluate.peak_bytes) < 2**30)
    assert any("byte-identical output" in line and "có / yes" in line for line in lines)
    assert lines[-1].endswith("ĐẠT / PASS") == outcome.passed
    cached = tmp_path / "parindex-bench-evaluate-40x12-9.json"
    assert cached.read_text() == dumps(input_document(generate(40, 12, 9))) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [cached.name]  # outputs removed


def test_the_cached_input_is_reused(tmp_path: Path) -> None:
    path, made = bench.input_file(10, 8, 1, tmp_path)
    assert made
    assert bench.input_file(10, 8, 1, tmp_path) == (path, False)


def test_the_reference_refuses_a_duplicate_key_like_a_plain_reader(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"a": 1, "a": 2}')
    done = subprocess.run(bench.reference_command(path), capture_output=True, text=True)
    assert done.returncode != 0 and "duplicate key 'a'" in done.stderr


def test_the_command_fails_when_the_target_is_missed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench, "TARGET_RATIO", 1e9)
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(tmp_path))
    out = StringIO()
    with pytest.raises(CommandError, match="did not pass"):
        call_command(
            "bench", "evaluate", "--units", "5", "--leaves", "8", "--repeat", "1", stdout=out
        )
    assert "KHÔNG ĐẠT / FAIL" in out.getvalue()
