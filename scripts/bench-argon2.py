"""CPU per Argon2id password check with 1, 2, 4 and 8 threads checking at once.

    .venv/bin/python scripts/bench-argon2.py [--checks 40]

Uses the project's parameters (PASSWORD_ARGON2_*: 19 MiB, t = 2, p = 1 by default) through
argon2-cffi directly, so no Django set-up. Prints the wall time and the process's CPU time
per check for each thread count: on a machine with fewer cores than threads, the CPU per
check shows what concurrent checks cost each other (the reason for
PASSWORD_ARGON2_CONCURRENCY, docs/performance.md "Sign-in").
"""

from __future__ import annotations

import argparse
import os
import resource
import threading
import time

import argon2


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=40, help="checks per thread count")
    args = parser.parse_args()
    hasher = argon2.PasswordHasher(
        memory_cost=int(os.environ.get("PASSWORD_ARGON2_MEMORY_KIB", "19456")),
        time_cost=int(os.environ.get("PASSWORD_ARGON2_TIME_COST", "2")),
        parallelism=int(os.environ.get("PASSWORD_ARGON2_PARALLELISM", "1")),
    )
    encoded = hasher.hash("mật khẩu thử")
    print(f"Argon2id m={hasher.memory_cost} KiB t={hasher.time_cost} p={hasher.parallelism}")
    print(f"{os.cpu_count()} lõi / cores; {args.checks} lần kiểm tra mỗi dòng / checks per row")
    for threads in (1, 2, 4, 8):
        per_thread = max(1, args.checks // threads)

        def check(count: int = per_thread) -> None:
            for _ in range(count):
                hasher.verify(encoded, "mật khẩu thử")

        workers = [threading.Thread(target=check) for _ in range(threads)]
        cpu, wall = _cpu_seconds(), time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        done = per_thread * threads
        wall_ms = 1000 * (time.perf_counter() - wall) / done
        cpu_ms = 1000 * (_cpu_seconds() - cpu) / done
        print(
            f"{threads} luồng / threads: {wall_ms:5.1f} ms thời gian thực / wall, "
            f"{cpu_ms:5.1f} ms CPU mỗi lần / per check"
        )


if __name__ == "__main__":
    main()
