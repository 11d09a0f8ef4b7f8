"""Profiling one save in-process: its SQL, sequential timings and cProfile hot spots."""

from __future__ import annotations

import json
import random
import statistics
import time
from dataclasses import dataclass

from parindex.tools.bench.season_load.saves import next_value
from parindex.tools.bench.season_load.server import REPO_DIR
from parindex.tools.bench.season_load.world import Plan


@dataclass
class SaveProfile:
    queries: list[tuple[float, str]]
    """(ms, SQL) of one save through the API, in order (Django records whole ms)."""
    in_process_ms: list[float]
    """Wall time of sequential saves through Django's test client (no HTTP, one thread)."""
    hot_spots: list[tuple[float, float, str]]
    """(cumulative ms, own ms, function) per save, from cProfile, the costliest first."""


def profile_save(plan: Plan, *, samples: int = 100) -> SaveProfile:
    """The SQL of one PUT, the time of ``samples`` sequential PUTs and where that time goes
    (cProfile), in this process with the server's settings and the same database."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from parindex.accounts.models import User

    account = plan.users[-1]
    user = User.objects.get(username=account["username"])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    rng = random.Random("profile")  # noqa: S311 (benchmark input, not security)
    # The versions as they are now (the load run saved some of these items).
    response = client.get(f"/api/assessments/{account['assessment']}")
    versions: dict[str, int] = {i["code"]: i["version"] for i in response.json()["items"]}

    def put(n: int) -> None:
        leaf = plan.leaves[n % len(plan.leaves)]
        body, _ = next_value(leaf, rng, f"Đo truy vấn lần {n}")
        response = client.put(
            f"/api/assessments/{account['assessment']}/items/{leaf['code']}",
            data=json.dumps({**body, "version": versions.get(leaf["code"], 0)}),
            content_type="application/json",
        )
        if response.status_code != 200:
            raise RuntimeError(f"PUT {leaf['code']}: {response.status_code} {response.content!r}")
        versions[leaf["code"]] = response.json()["version"]

    put(0)  # warm
    with CaptureQueriesContext(connection) as captured:
        put(1)
    queries = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    timings = []
    for n in range(2, 2 + samples):
        started = time.perf_counter()
        put(n)
        timings.append((time.perf_counter() - started) * 1000)
    profiler = cProfile.Profile()
    profiler.enable()
    for n in range(2 + samples, 2 + 2 * samples):
        put(n)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, _, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        where = filename.replace(str(REPO_DIR) + "/", "").split("site-packages/")[-1]
        rows.append((cumulative * 1000 / samples, own * 1000 / samples, f"{where}:{line} {name}"))
    rows.sort(reverse=True)
    return SaveProfile(queries, timings, rows)


def profile_lines(profile: SaveProfile, *, top: int = 40) -> list[str]:
    total = sum(ms for ms, _ in profile.queries)
    lines = [
        f"một lần lưu / one save: {len(profile.queries)} truy vấn SQL / queries, "
        f"~{total:.0f} ms trong CSDL / in the database (máy chủ rảnh / idle server)"
    ]
    lines.extend(f"  {ms:4.0f} ms  {' '.join(sql.split())[:140]}" for ms, sql in profile.queries)
    t = sorted(profile.in_process_ms)
    if t:
        lines.append(
            f"{len(t)} lần lưu tuần tự trong tiến trình (test client, không HTTP) / sequential "
            f"in-process saves: trung vị / median {statistics.median(t):.1f} ms, "
            f"p95 {t[int(0.95 * (len(t) - 1))]:.1f} ms"
        )
    if profile.hot_spots:
        lines.append("cProfile, ms mỗi lần lưu / per save (tích lũy / cumulative, riêng / own):")
        lines.extend(
            f"  {cum:6.2f} {own:6.2f}  {name}" for cum, own, name in profile.hot_spots[:top]
        )
    return lines
