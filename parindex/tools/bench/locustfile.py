"""Locust scenario of the season load benchmark (run by :mod:`parindex.tools.bench.load`).

Each simulated user is one unit official with their own account and their own commune's
assessment, as in the real season (nobody else edits that unit's items).

Sign-in phase (gated on its own: its four requests together, p95 < 2 s): every user signs
in once (GET the sign-in page for the CSRF cookie and form token, POST user name and
password, no redirect followed), then
opens their assessment (GET ``/api/assessments`` must list exactly their unit's; GET
``/api/assessments/{id}`` gives the version of every item) and waits until every user has
done so. The sign-in storm (an Argon2id check of ~30 ms of CPU per person) is kept apart
from the saving; ``final-stats.json`` also holds its four requests as one distribution.

Save phase (the measured load, ``PARINDEX_BENCH_DURATION`` seconds, then locust quits,
letting each user finish the save it is sending): again and again, a user picks a leaf,
types a new valid value (decimal comma, ratios, "không áp dụng" with a reason now and then,
a new explanation each time) and PUTs it with the version it last saw; the new version
comes back with the answer. On 409 (someone saved in between) it takes the current version
from the answer and retries once; the 409 counts as a failure and is logged as a conflict
(there should be none). Between two saves it thinks 3–8 s
(``PARINDEX_BENCH_THINK_MIN``/``MAX``): the screen autosaves when a field is left, so two
saves are a typed value or a typed sentence apart — still faster than an official who
reads the guidance first. 200 such users offer about 200 / 5.5 s ≈ 36 saves per second;
``--think-min 1 --think-max 3`` (≈ 100/s offered) measures the machine's capacity instead.

Every save the server confirmed is appended to ``saves-<pid>.jsonl`` (unit, item, version,
what must be stored) for the database check; ``save-phase.json`` tells when the save phase
ran and how many users signed in.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import gevent
from gevent.event import Event
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser
from locust.stats import StatsEntry

from parindex.tools.bench.season_load.saves import (
    LOGIN_PATH,
    PUT_NAME,
    SIGN_IN_PHASE_NAME,
    SaveLog,
    next_value,
)

PLAN: dict[str, Any] = json.loads(
    Path(os.environ["PARINDEX_BENCH_PLAN"]).read_text(encoding="utf-8")
)
LOG = SaveLog(Path(os.environ["PARINDEX_BENCH_LOG_DIR"]))
SEED = os.environ.get("PARINDEX_BENCH_SEED", "2025")
THINK_MIN = float(os.environ.get("PARINDEX_BENCH_THINK_MIN", "3"))
THINK_MAX = float(os.environ.get("PARINDEX_BENCH_THINK_MAX", "8"))
USERS = int(os.environ.get("PARINDEX_BENCH_USERS", str(len(PLAN["users"]))))
DURATION = float(os.environ.get("PARINDEX_BENCH_DURATION", "60"))
SIGN_IN_TIMEOUT = float(os.environ.get("PARINDEX_BENCH_SIGN_IN_TIMEOUT", "300"))
PHASE_FILE = Path(os.environ["PARINDEX_BENCH_LOG_DIR"]) / "save-phase.json"

_ACCOUNTS = iter(PLAN["users"])  # one account per simulated user (one locust process)
_FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STORED_KEYS = ("value", "not_applicable", "na_justification", "explanation")
SIGN_IN_NAMES = (
    "GET đăng nhập",
    "POST đăng nhập",
    "GET /api/assessments",
    "GET /api/assessments/[id]",
)

_SAVING = Event()
_PHASE: dict[str, Any] = {"started": time.time(), "signed_in": 0, "sign_in_failed": 0}


def _write_phase() -> None:
    PHASE_FILE.write_text(json.dumps(_PHASE, indent=1), encoding="utf-8")


def _final_stats(environment: Any, **_: Any) -> None:
    """The statistics once every user has stopped (``final-stats.json``): locust's CSV is
    written by a greenlet that the quit stops before the last saves have come back."""
    stats = environment.stats
    entries = {entry.name: entry for entry in stats.entries.values()}
    entries["Aggregated"] = stats.total
    # The four requests of signing in and opening the assessment, as one distribution.
    sign_in = StatsEntry(stats, SIGN_IN_PHASE_NAME, "")
    for name in SIGN_IN_NAMES:
        if name in entries:
            sign_in.extend(entries[name])
    entries[SIGN_IN_PHASE_NAME] = sign_in
    rows = {
        name: {
            "method": entry.method or "",
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.median_response_time,
            "average_ms": entry.avg_response_time,
            "max_ms": entry.max_response_time,
            "p50_ms": entry.get_response_time_percentile(0.50),
            "p95_ms": entry.get_response_time_percentile(0.95),
            "p99_ms": entry.get_response_time_percentile(0.99),
            "rps": entry.total_rps,
        }
        for name, entry in entries.items()
        if entry.num_requests or entry.num_failures
    }
    (PHASE_FILE.parent / "final-stats.json").write_text(
        json.dumps(rows, indent=1), encoding="utf-8"
    )


events.quitting.add_listener(_final_stats)  # type: ignore[no-untyped-call]


class UnitOfficial(FastHttpUser):
    wait_time = between(THINK_MIN, THINK_MAX)

    account: dict[str, Any]
    rng: random.Random
    versions: dict[str, int]
    csrf: str
    saves: int

    def on_start(self) -> None:
        account = next(_ACCOUNTS, None)
        if account is None:  # more users than seeded accounts
            raise StopUser()
        self.account = account
        self.rng = random.Random(f"{SEED}:{account['username']}")  # noqa: S311 (not security)
        self.saves = 0
        ready = self._sign_in() and self._open_assessment()
        _PHASE["signed_in" if ready else "sign_in_failed"] += 1
        if _PHASE["signed_in"] + _PHASE["sign_in_failed"] == USERS:
            self._start_saving()
        if not ready:
            raise StopUser()
        # The save phase starts once the last user has signed in; each user then reads for
        # a think time before the first save, so they do not all save in the same instant.
        if not _SAVING.wait(timeout=SIGN_IN_TIMEOUT):
            self._start_saving()
        gevent.sleep(self.rng.uniform(THINK_MIN, THINK_MAX))

    def _start_saving(self) -> None:
        if _SAVING.is_set():
            return
        _PHASE["save_start"] = time.time()
        _PHASE["sign_in_seconds"] = _PHASE["save_start"] - _PHASE["started"]
        _write_phase()
        _SAVING.set()
        runner = self.environment.runner

        def end() -> None:
            _PHASE["save_end"] = time.time()
            _write_phase()
            if runner is not None:
                runner.quit()  # stops users gracefully (--stop-timeout): saves in flight end

        gevent.spawn_later(DURATION, end)

    def _cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.client.cookiejar if c.name == name), "")

    def _sign_in(self) -> bool:
        with self.client.get(LOGIN_PATH, name="GET đăng nhập", catch_response=True) as page:
            match = _FORM_TOKEN.search(page.text or "")
            if page.status_code != 200 or match is None:
                page.failure(f"trang đăng nhập: HTTP {page.status_code}, không có mã CSRF")
                return False
        body = urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "username": self.account["username"],
                "password": PLAN["password"],
                "otp_token": "",
            }
        )
        with self.client.post(
            LOGIN_PATH,
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            name="POST đăng nhập",
            catch_response=True,
        ) as response:
            if response.status_code != 302 or not self._cookie("sessionid"):
                response.failure(f"đăng nhập không thành công: HTTP {response.status_code}")
                return False
        self.csrf = self._cookie("csrftoken")  # rotated at sign-in
        return True

    def _open_assessment(self) -> bool:
        with self.client.get(
            "/api/assessments", name="GET /api/assessments", catch_response=True
        ) as response:
            ids = [a["id"] for a in response.json()] if response.status_code == 200 else None
            if ids != [self.account["assessment"]]:
                response.failure(f"danh sách phiếu: HTTP {response.status_code}, {ids!r}")
                return False
        with self.client.get(
            f"/api/assessments/{self.account['assessment']}",
            name="GET /api/assessments/[id]",
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"mở phiếu: HTTP {response.status_code}")
                return False
            self.versions = {i["code"]: i["version"] for i in response.json()["items"]}
        return True

    @task
    def save_item(self) -> None:
        leaf = self.rng.choice(PLAN["leaves"])
        code = leaf["code"]
        self.saves += 1
        note = f"Thuyết minh của {self.account['username']}, tiêu chí {code}, lần {self.saves}"
        body, expected = next_value(leaf, self.rng, note)
        for _attempt in range(2):  # the save, and one retry after a conflict
            seen = self.versions.get(code, 0)
            with self.client.put(
                f"/api/assessments/{self.account['assessment']}/items/{code}",
                json={**body, "version": seen},
                headers={"X-CSRFToken": self.csrf},
                name=PUT_NAME,
                catch_response=True,
            ) as response:
                if response.status_code == 200:
                    data = response.json()
                    self.versions[code] = data["version"]
                    LOG.save(
                        unit=self.account["unit"],
                        assessment=self.account["assessment"],
                        code=code,
                        version=data["version"],
                        stored=expected,
                    )
                    answered = {key: data[key] for key in STORED_KEYS}
                    if answered != expected:
                        response.failure(f"{code}: trả về {answered!r}, đã gửi {expected!r}")
                    return
                if response.status_code == 409:
                    current = response.json()["current"]["version"]
                    LOG.conflict(
                        unit=self.account["unit"],
                        assessment=self.account["assessment"],
                        code=code,
                        seen=seen,
                        current=current,
                    )
                    self.versions[code] = current
                    response.failure(f"409 xung đột phiên bản ({code}: {seen} → {current})")
                    continue
                response.failure(f"HTTP {response.status_code}: {(response.text or '')[:300]}")
                return
