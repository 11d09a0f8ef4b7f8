"""A season load run's settings (:class:`Config`), what it found (:class:`Outcome`, with
the pass rules) and its summary, printed and written as ``summary.txt``/``summary.json``."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from parindex.tools.bench.season_load.check import Verification
from parindex.tools.bench.season_load.locust_stats import Stats
from parindex.tools.bench.season_load.saves import PUT_NAME, SIGN_IN_PHASE_NAME


@dataclass
class Config:
    users: int
    duration: int
    spawn_rate: float
    workers: int
    threads: int
    pool_max: int
    think_min: float
    think_max: float
    keep_alive: int
    target_p95_ms: float
    seed: int
    redis_url: str = ""
    """Cache and sessions in this Redis; "" keeps them in PostgreSQL."""
    sign_in_timeout: int = 300
    target_sign_in_p95_ms: float = 2000.0
    """The sign-in phase's four requests together (issue 14)."""


@dataclass
class Outcome:
    config: Config
    put: Stats | None
    total: Stats | None
    by_name: dict[str, Stats]
    failures: list[str]
    verification: Verification
    phase: dict[str, Any]
    """From the locustfile: started, save_start, save_end (epoch s), signed_in, sign_in_failed."""
    cpu_sign_in: dict[str, float]
    cpu_save: dict[str, float]
    rss_mib: dict[str, float]
    locust_exit: int
    run_dir: str

    @property
    def save_seconds(self) -> float:
        start, end = self.phase.get("save_start"), self.phase.get("save_end")
        return float(end - start) if start and end else math.nan

    @property
    def put_rps(self) -> float:
        """Saves per second over the save phase (locust's own figure divides by the whole
        run, sign-in included)."""
        if self.put is None or not self.save_seconds > 0:
            return math.nan
        return self.put.requests / self.save_seconds

    @property
    def passed(self) -> bool:
        return not self.reasons()

    def reasons(self) -> list[str]:
        reasons = []
        if self.put is None or self.put.requests == 0:
            reasons.append("không có yêu cầu lưu nào / no save requests")
        elif not self.put.p95_ms < self.config.target_p95_ms:
            reasons.append(
                f"p95 lưu tiêu chí / save p95 {self.put.p95_ms:.0f} ms ≥ "
                f"{self.config.target_p95_ms:.0f} ms"
            )
        sign_in = self.by_name.get(SIGN_IN_PHASE_NAME)
        if sign_in is not None and not sign_in.p95_ms < self.config.target_sign_in_p95_ms:
            reasons.append(
                f"p95 giai đoạn đăng nhập / sign-in phase p95 {sign_in.p95_ms:.0f} ms ≥ "
                f"{self.config.target_sign_in_p95_ms:.0f} ms"
            )
        if self.total is None:
            reasons.append("không có thống kê locust / no locust statistics")
        elif self.total.failures:
            reasons.append(f"{self.total.failures} yêu cầu lỗi / failed requests")
        if self.phase.get("signed_in", 0) != self.config.users:
            reasons.append(
                f"chỉ {self.phase.get('signed_in', 0)}/{self.config.users} người dùng đăng nhập "
                "được / users signed in"
            )
        v = self.verification
        if v.mismatches:
            reasons.append(f"{len(v.mismatches)} tiêu chí sai lệch trong CSDL / mismatches")
        if v.unexpected:
            reasons.append(f"{v.unexpected} tiêu chí thay đổi không rõ nguồn / unexpected")
        if v.conflicts:
            reasons.append(f"{v.conflicts} xung đột phiên bản / version conflicts")
        if v.audit_events != v.saves:
            reasons.append(f"nhật ký {v.audit_events} ≠ {v.saves} lần lưu / audit ≠ saves")
        return reasons


def _ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.0f} ms"


def _cpu_line(label: str, cpu: Mapping[str, float], seconds: float) -> str:
    def cores(name: str) -> str:
        return f"{cpu[name] / seconds:.2f}" if seconds > 0 else "—"

    return (
        f"CPU {label}: máy bận / machine busy {cpu['machine_busy_percent']:.0f} %; lõi dùng / "
        f"cores used: gunicorn {cores('gunicorn')}, PostgreSQL {cores('postgres')}, "
        f"locust {cores('locust')}, khác / other {cores('others')} (steal {cores('steal')})"
    )


def per_save_lines(cpu: Mapping[str, float], saves: int) -> list[str]:
    """CPU milliseconds per save and the ceiling they imply for this machine's cores."""
    if not cpu or saves <= 0:
        return []
    ms = {name: 1000 * cpu[name] / saves for name in ("gunicorn", "postgres", "locust")}
    total = sum(ms.values())
    cores = os.cpu_count() or 1
    return [
        f"CPU mỗi lần lưu / CPU per save: gunicorn {ms['gunicorn']:.1f} ms, PostgreSQL "
        f"{ms['postgres']:.1f} ms, locust {ms['locust']:.1f} ms = {total:.1f} ms → trần của "
        f"{cores} lõi / ceiling on {cores} cores ≈ {cores * 1000 / total:.0f} lần lưu/s / saves/s"
    ]


def summary_lines(outcome: Outcome) -> list[str]:
    c, v, phase = outcome.config, outcome.verification, outcome.phase
    lines = [
        f"Đo tải mùa tự đánh giá / season load: {c.users} người dùng đồng thời / concurrent "
        f"users, lưu trong / saving for {c.duration} s, nghỉ giữa hai lần lưu / think time "
        f"{c.think_min:g}–{c.think_max:g} s",
        f"gunicorn gthread {c.workers} worker × {c.threads} luồng / threads, keep-alive "
        f"{c.keep_alive} s, psycopg pool ≤ {c.pool_max}/worker; PostgreSQL 127.0.0.1; "
        + (
            f"phiên đăng nhập / sessions: Redis {c.redis_url}"
            if c.redis_url
            else "phiên đăng nhập / sessions: PostgreSQL"
        ),
        f"đăng nhập / sign-in: {phase.get('signed_in', 0)} người dùng / users "
        f"({phase.get('sign_in_failed', 0)} lỗi / failed), tạo {c.spawn_rate:g}/s, xong sau / "
        f"done after {phase.get('sign_in_seconds', math.nan):.1f} s",
    ]
    put = outcome.put
    if put is None:
        lines.append("lưu tiêu chí / save item (PUT): không có số liệu / no data")
    else:
        lines.append(
            f"lưu tiêu chí / save item (PUT): {put.requests} yêu cầu / requests, {put.failures} "
            f"lỗi / failures, {outcome.put_rps:.1f} req/s trong / over "
            f"{outcome.save_seconds:.0f} s; p50 {_ms(put.p50_ms)}, p95 {_ms(put.p95_ms)}, "
            f"p99 {_ms(put.p99_ms)}, max {_ms(put.max_ms)}"
        )
    for name, stats in sorted(outcome.by_name.items()):
        if name == PUT_NAME:
            continue
        label = "tất cả, kể cả đăng nhập / all, sign-in included" if name == "Aggregated" else name
        lines.append(
            f"  {label}: {stats.requests} yêu cầu, {stats.failures} lỗi; "
            f"p50 {_ms(stats.p50_ms)}, p95 {_ms(stats.p95_ms)}, max {_ms(stats.max_ms)}"
        )
    lines.extend(f"  lỗi / failure: {f}" for f in outcome.failures[:10])
    lines.append(f"xung đột phiên bản (409) / version conflicts: {v.conflicts}")
    lines.append(
        f"kiểm tra CSDL / database check: {v.saves} lần lưu được xác nhận / confirmed saves, "
        f"{v.items} tiêu chí / items; khớp / matching {v.matched}, sai lệch / mismatches "
        f"{len(v.mismatches)}, thay đổi không rõ nguồn / unexpected {v.unexpected}; "
        f"sự kiện kiểm toán / audit events {v.audit_events}"
    )
    lines.extend(f"  sai lệch / mismatch: {m}" for m in v.mismatches[:10])
    if outcome.cpu_save:
        lines.append(_cpu_line("khi lưu / save phase", outcome.cpu_save, outcome.save_seconds))
        lines.extend(per_save_lines(outcome.cpu_save, put.requests if put else 0))
    if outcome.cpu_sign_in:
        lines.append(
            _cpu_line(
                "khi đăng nhập / sign-in phase",
                outcome.cpu_sign_in,
                float(phase.get("sign_in_seconds", math.nan)),
            )
        )
    if outcome.rss_mib:
        workers = [mib for label, mib in outcome.rss_mib.items() if label != "master"]
        lines.append(
            f"RSS đỉnh / peak RSS (VmHWM): worker lớn nhất / largest "
            f"{max(workers, default=0):.0f} MiB, tổng các worker / sum of workers "
            f"{sum(workers):.0f} MiB, master {outcome.rss_mib.get('master', 0):.0f} MiB"
        )
    verdict = (
        "ĐẠT / PASS" if outcome.passed else "KHÔNG ĐẠT / FAIL: " + "; ".join(outcome.reasons())
    )
    lines.append(
        f"KẾT QUẢ / RESULT (p95 lưu < {c.target_p95_ms:.0f} ms, p95 đăng nhập / sign-in < "
        f"{c.target_sign_in_p95_ms:.0f} ms, 0 lỗi, 0 sai lệch): {verdict}"
    )
    return lines


def summary_document(outcome: Outcome) -> dict[str, Any]:
    """What ``summary.json`` holds."""
    verification = outcome.verification
    return {
        "config": asdict(outcome.config),
        "passed": outcome.passed,
        "reasons": outcome.reasons(),
        "put_rps_save_phase": outcome.put_rps,
        "phase": outcome.phase,
        "stats": {name: asdict(s) for name, s in outcome.by_name.items()},
        "verification": {
            **asdict(verification),
            "mismatches": verification.mismatches[:100],
            "ok": verification.ok,
        },
        "cpu_sign_in": outcome.cpu_sign_in,
        "cpu_save": outcome.cpu_save,
        "rss_mib": outcome.rss_mib,
        "locust_exit": outcome.locust_exit,
    }
