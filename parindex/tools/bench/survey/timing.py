"""Measuring a step: its wall time, the CPU of this process and of its PostgreSQL backend,
how busy the machine was, and the peak memory of this process."""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path


def peak_rss_mib() -> float:
    """Peak resident memory of this process and its waited-for children (Linux: KiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def _machine_ticks() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs since boot; None off Linux."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    except (OSError, ValueError, IndexError):
        return None
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def _process_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) of another process of this machine; None if unknown."""
    if pid is None:
        return None
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # state is field 3: utime 14, stime 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pid() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    return int(row[0]) if row else None


@dataclass
class Phase:
    """Wall time of a measured step, the CPU this process and its PostgreSQL backend used
    meanwhile, and how busy the whole machine was (other people's work included)."""

    seconds: float = 0.0
    python_cpu: float = 0.0
    database_cpu: float | None = None
    machine_busy: float | None = None
    """Share of all CPUs busy, in %."""

    def describe(self) -> str:
        parts = [f"CPU Python {self.python_cpu:.1f} s"]
        if self.database_cpu is not None:
            parts.append(f"PostgreSQL {self.database_cpu:.1f} s")
        text = ", ".join(parts)
        if self.machine_busy is not None:
            text += f"; máy bận / machine busy {self.machine_busy:.0f} % ({os.cpu_count()} CPU)"
        return text


class Clock:
    """``with Clock() as phase:`` fills ``phase`` when the block ends."""

    def __init__(self) -> None:
        self.phase = Phase()
        self._pid = _backend_pid()

    def __enter__(self) -> Phase:
        self._db = _process_cpu(self._pid)
        self._machine = _machine_ticks()
        self._cpu = time.process_time()
        self._wall = time.perf_counter()
        return self.phase

    def __exit__(self, *exc: object) -> None:
        self.phase.seconds = time.perf_counter() - self._wall
        self.phase.python_cpu = time.process_time() - self._cpu
        db = _process_cpu(self._pid)
        if db is not None and self._db is not None:
            self.phase.database_cpu = db - self._db
        machine = _machine_ticks()
        if machine is not None and self._machine is not None:
            busy, total = (a - b for a, b in zip(machine, self._machine, strict=True))
            self.phase.machine_busy = 100.0 * busy / max(total, 1)
