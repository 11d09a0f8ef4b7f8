"""How busy this machine and its processes are, read from ``/proc`` (Linux): CPU seconds
per process group between two snapshots, peak memory of gunicorn, the background load."""

from __future__ import annotations

import math
import os
import time
from dataclasses import dataclass
from pathlib import Path

from parindex.tools.bench.database import BENCH_DATABASE


def background_load(seconds: float = 3) -> float:
    """How busy the machine is before the run (other people's tests share it), in %."""
    busy0, total0, _ = _machine_ticks()
    time.sleep(seconds)
    busy1, total1, _ = _machine_ticks()
    return 100.0 * (busy1 - busy0) / max(total1 - total0, 1)


@dataclass(frozen=True)
class ProcInfo:
    pid: int
    ppid: int
    comm: str
    start: int
    cpu_ticks: int
    title: str = ""
    """A PostgreSQL backend's process title ("postgres: 15/main: user database host state")."""


def _procs() -> dict[tuple[int, int], ProcInfo]:
    procs: dict[tuple[int, int], ProcInfo] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1 : text.rindex(")")]
        rest = text[text.rindex(")") + 2 :].split()
        title = ""
        if comm == "postgres":
            try:
                title = (
                    (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                )
            except OSError:
                continue
        # fields after comm: state(3) ppid(4) … utime(14) stime(15) … starttime(22)
        info = ProcInfo(
            pid=int(entry.name),
            ppid=int(rest[1]),
            comm=comm,
            start=int(rest[19]),
            cpu_ticks=int(rest[11]) + int(rest[12]),
            title=title,
        )
        procs[(info.pid, info.start)] = info
    return procs


def _machine_ticks() -> tuple[int, int, int]:
    """(busy, total, steal) jiffies of all CPUs since boot (guest time is already in user)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
    values += [0] * (8 - len(values))
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values), values[7]


@dataclass
class CpuSnapshot:
    procs: dict[tuple[int, int], ProcInfo]
    machine: tuple[int, int, int]

    @classmethod
    def take(cls) -> CpuSnapshot:
        return cls(_procs(), _machine_ticks())


def cpu_seconds(
    before: CpuSnapshot,
    after: CpuSnapshot,
    *,
    gunicorn_pid: int,
    locust_pid: int,
    database: str = BENCH_DATABASE,
) -> dict[str, float]:
    """CPU seconds used between two snapshots by gunicorn (master and workers), locust,
    PostgreSQL (the backends connected to ``database``: the server is shared, its WAL
    writer and checkpointer are not counted) and the whole machine (busy share in %)."""
    tick = os.sysconf("SC_CLK_TCK")
    groups: dict[str, float] = {"gunicorn": 0.0, "locust": 0.0, "postgres": 0.0}
    for key, info in after.procs.items():
        if info.pid == gunicorn_pid or info.ppid == gunicorn_pid:
            group = "gunicorn"
        elif info.pid == locust_pid:
            group = "locust"
        elif info.comm == "postgres" and f" {database} " in info.title:
            group = "postgres"
        else:
            continue
        old = before.procs.get(key)
        groups[group] += (info.cpu_ticks - (old.cpu_ticks if old else 0)) / tick
    busy = after.machine[0] - before.machine[0]
    total = after.machine[1] - before.machine[1]
    groups["machine_busy_percent"] = 100.0 * busy / total if total else math.nan
    # Everything else: this orchestrator, the kernel, other people's processes, and time
    # the hypervisor gave to other machines (steal, also shown on its own).
    ours = groups["gunicorn"] + groups["locust"] + groups["postgres"]
    groups["others"] = max(busy / tick - ours, 0.0)
    groups["steal"] = (after.machine[2] - before.machine[2]) / tick
    return groups


def peak_rss_mib(master_pid: int) -> dict[str, float]:
    """VmHWM (peak resident set) of the gunicorn master and each worker, MiB."""
    peaks: dict[str, float] = {}
    for info in _procs().values():
        if info.pid != master_pid and info.ppid != master_pid:
            continue
        try:
            status = Path(f"/proc/{info.pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                kib = int(line.split()[1])
                label = "master" if info.pid == master_pid else f"worker {info.pid}"
                peaks[label] = kib / 1024
    return peaks
