"""``parindex bench evaluate``: the whole ``parindex evaluate`` process on the national file
against an independent plain implementation (issue 14: at least 3× faster, under 1 GiB).

1. The input (not timed): the engine benchmark's ``generate()`` (13,000 units × 100
   leaves, seed 2024) written by ``input_document`` as ``parindex export_period`` writes
   files (indent 2, 130 MB); kept in the temporary directory and reused by later runs.
2. Measured, alternately, ``--repeat`` times each, as new processes in the same minutes:
   the baseline :mod:`parindex.tools.bench.evaluate_reference` (stdlib ``json`` with
   ``Decimal``, a recursive walk per unit, ``json.dumps(..., indent=2)``) and the console
   script ``parindex evaluate FILE``, each writing to a file. Wall time and peak resident
   memory (``ru_maxrss`` from ``wait4``) come from a small launcher process, so this
   process's size does not count.
3. Checked: both outputs are the same bytes (``cmp``).

PASS when the median of the reference is at least 3× that of ``parindex evaluate``, every
``parindex evaluate`` run stays under 1 GiB and the outputs are identical.
"""

from __future__ import annotations

import filecmp
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from parindex.tools.bench.machine import background_load

Out = Callable[[str], None]
UNITS = 13_000
LEAVES = 100
SEED = 2024
REPEAT = 3
TARGET_RATIO = 3.0
MEMORY_LIMIT = 1024**3

_LAUNCHER = """
import os, subprocess, sys, time
with open(sys.argv[1], "wb") as out:
    started = time.perf_counter()
    child = subprocess.Popen(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
if status:
    sys.stderr.write(stderr.decode(errors="replace")); sys.exit(1)
print(seconds, usage.ru_maxrss)
"""
"""Runs one command with its stdout in a file: wall time and the command's peak memory."""


@dataclass
class Runs:
    label: str
    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Outcome:
    reference: Runs
    evaluate: Runs
    identical: bool
    ratio: float
    passed: bool


def input_file(units: int, leaves: int, seed: int, directory: Path) -> tuple[Path, bool]:
    """The generated evaluation file (made once per size and seed); True if it was made now."""
    path = directory / f"parindex-bench-evaluate-{units}x{leaves}-{seed}.json"
    if path.exists():
        return path, False
    from parindex.engine.bench import generate
    from parindex.engine.evalwrite import input_document
    from parindex.results.json_stream import write_document

    partial = path.with_suffix(".partial")
    with partial.open("wb") as out:
        write_document(input_document(generate(units, leaves, seed)), out.write)
    partial.replace(path)
    return path, True


def evaluate_command(path: Path) -> list[str]:
    script = Path(sys.executable).parent / "parindex"
    if script.exists():
        return [str(script), "evaluate", str(path)]
    return [sys.executable, "-m", "parindex.cli", "evaluate", str(path)]


def reference_command(path: Path) -> list[str]:
    return [sys.executable, "-m", "parindex.tools.bench.evaluate_reference", str(path)]


def _measure(command: list[str], output: Path, runs: Runs) -> None:
    done = subprocess.run(  # noqa: S603 - our own programs
        [sys.executable, "-c", _LAUNCHER, str(output), *command],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} thất bại / failed: {done.stderr.strip()}")
    seconds, kib = done.stdout.split()
    runs.seconds.append(float(seconds))
    runs.peak_bytes.append(int(kib) * 1024)


def run(
    *,
    units: int = UNITS,
    leaves: int = LEAVES,
    seed: int = SEED,
    repeat: int = REPEAT,
    directory: Path | None = None,
    out: Out = print,
) -> Outcome:
    work = directory or Path(tempfile.gettempdir())
    started = time.perf_counter()
    path, made = input_file(units, leaves, seed, work)
    how = (
        f"tạo mới / generated in {time.perf_counter() - started:.1f} s"
        if made
        else "có sẵn / cached"
    )
    out(
        f"đầu vào / input: {units:,} đơn vị × {leaves} tiêu chí lá / units × leaves, "
        f"{path.stat().st_size / 2**20:.0f} MiB ({how}): {path}"
    )
    out(f"tải nền của máy / background machine load: {background_load(1):.0f} % CPU")
    reference, ours = Runs("tham chiếu / reference"), Runs("parindex evaluate")
    ref_out, our_out = work / "bench-evaluate-reference.json", work / "bench-evaluate-ours.json"
    for attempt in range(1, repeat + 1):
        _measure(reference_command(path), ref_out, reference)
        _measure(evaluate_command(path), our_out, ours)
        out(
            f"lần / run {attempt}: tham chiếu / reference {reference.seconds[-1]:.2f} s, "
            f"{reference.peak_bytes[-1] / 2**20:.0f} MiB; parindex evaluate "
            f"{ours.seconds[-1]:.2f} s, {ours.peak_bytes[-1] / 2**20:.0f} MiB"
        )
    identical = filecmp.cmp(ref_out, our_out, shallow=False)
    size = our_out.stat().st_size
    ref_out.unlink()
    our_out.unlink()
    ratio = reference.median / ours.median
    peak = max(ours.peak_bytes)
    passed = identical and ratio >= TARGET_RATIO and peak < MEMORY_LIMIT
    for runs in (reference, ours):
        out(
            f"{runs.label}: trung vị / median {runs.median:.2f} s "
            f"({', '.join(f'{s:.2f}' for s in runs.seconds)}), "
            f"peak RSS {max(runs.peak_bytes) / 2**20:.0f} MiB"
        )
    out(
        f"kết quả giống hệt từng byte / byte-identical output ({size / 2**20:.0f} MiB): "
        f"{'có / yes' if identical else 'KHÔNG / NO'}"
    )
    out(
        f"nhanh hơn / faster: ×{ratio:.2f} (mục tiêu / target ≥ ×{TARGET_RATIO:.0f}); "
        f"peak RSS {peak / 2**20:.0f} MiB (mục tiêu / target < {MEMORY_LIMIT // 2**20} MiB): "
        f"{'ĐẠT / PASS' if passed else 'KHÔNG ĐẠT / FAIL'}"
    )
    return Outcome(reference, ours, identical, ratio, passed)
