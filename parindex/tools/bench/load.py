"""Season load benchmark: many unit officials saving self-assessment items at once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parindex_bench \\
        .venv/bin/python -m parindex.tools.bench.load --users 200 --duration 60

What it does, all on 127.0.0.1 and bounded in time:

1. Recreates the database ``parindex_bench`` on the PostgreSQL server of ``DATABASE_URL``
   (whatever database the URL names, only ``parindex_bench`` is dropped) and migrates it.
   SQLite is refused: the point is the production stack.
2. Seeds it through the apps' services: a province, a commune group, one criteria set of 31
   leaves with every rule type (a few allow "không áp dụng"), N communes each with one unit
   official (``unit_staff``, known password), and one period opened for self-assessment
   with :func:`~parindex.periods.lifecycle.period_open_self_assessment` (deadline in 30 days).
3. Starts gunicorn (gthread) with the production settings (DEBUG off, generated
   SECRET_KEY, psycopg pool) on a free port of 127.0.0.1, after ``collectstatic`` (the sign-in
   page needs the hashed static files once DEBUG is off).
4. Runs locust headless (:mod:`parindex.tools.bench.locustfile`). Sign-in phase: each
   simulated person signs in once and opens their unit's assessment; 200 Argon2 checks are
   tens of CPU seconds, so saving starts only when everyone has signed in (the sign-in
   latencies are reported, not gated). Save phase (``--duration`` seconds): each person
   saves one item after another with the version they last saw, thinking 3–8 s between
   saves, and logs every save the server confirmed (``saves-<pid>.jsonl``).
5. Stops gunicorn, reads locust's statistics, and checks in the database that the last value
   each person saved for each item is the stored one, that every item's version equals the
   number of confirmed saves, and that there is one audit event per save.

Exit status 0 only if the save endpoint's p95 is under the target (300 ms), no request
failed, no save conflicted and the database check found nothing wrong. Everything lands in
``var/bench/season-<time>/``. Results: ``docs/performance.md``.

This module imports Django only inside functions: the locustfile imports its value
generator and log writer without loading the project.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import csv
import datetime
import json
import math
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import quote, unquote, urlsplit, urlunsplit

if TYPE_CHECKING:
    from parindex.organizations.models import Unit, UnitGroup

REPO_DIR = Path(__file__).resolve().parents[3]
BENCH_DATABASE = "parindex_bench"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", ""})
PASSWORD = "parindex-bench-Mk2025"  # noqa: S105 (a throw-away benchmark database)
TARGET_P95_MS = 300.0

LOGIN_PATH = "/tai-khoan/dang-nhap/"
PUT_NAME = "PUT /api/assessments/[id]/items/[code]"
"""The name of the save requests in locust's statistics."""
NA_SHARE = 0.1
"""Share of saves that mark a leaf which allows it as "không áp dụng"."""

UNIT_PREFIX = "BENCH"
ANSWER_TARGET = "assessments.answer"


# --------------------------------------------------------------------------- values to type


def plain(value: Decimal) -> str:
    """A decimal without needless trailing zeros ("87.50" → "87.5", "2.00" → "2"), as the
    API stores it. Written here again, not imported, so the check is independent."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def next_value(
    leaf: Mapping[str, Any], rng: random.Random, note: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """One save of ``leaf`` as a person types it (decimal comma, ratio as two numbers,
    "không áp dụng" with a reason now and then) and what the database must then hold.

    ``note`` becomes the explanation (thuyết minh); callers make it unique per save, so no
    save is a no-op and every save bumps the item's version.
    """
    if leaf["allow_na"] and rng.random() < NA_SHARE:
        reason = f"Đơn vị không phát sinh nội dung này trong kỳ ({note})."
        body = {"value": None, "not_applicable": True, "na_justification": reason}
        return {**body, "explanation": note}, {**body, "explanation": note}
    kind = leaf["rule"]
    raw: Any
    stored: Any
    if kind == "boolean":
        raw = stored = rng.random() < 0.5
    elif kind == "ratio":
        denominator = rng.randint(1, 400)
        numerator = rng.randint(0, denominator)
        raw = {"numerator": numerator, "denominator": denominator}
        stored = {"numerator": str(numerator), "denominator": str(denominator)}
    elif kind == "percent":
        percent = Decimal(rng.randint(0, 1000)) / 10
        raw, stored = plain(percent).replace(".", ","), plain(percent)
    elif kind == "tiers":
        count = rng.randint(0, 8)
        raw, stored = count, str(count)
    elif kind == "deduction":
        count = rng.randint(0, 5)
        raw, stored = str(count), str(count)
    else:  # manual: points in quarters, up to the leaf's max
        quarters = int(Decimal(leaf["max"]) * 4)
        points = Decimal(rng.randint(0, quarters)) / 4
        raw, stored = plain(points).replace(".", ","), plain(points)
    body = {"value": raw, "not_applicable": False, "na_justification": "", "explanation": note}
    return body, {**body, "value": stored}


# --------------------------------------------------------------------------- the save log


class SaveLog:
    """Append-only JSON lines, one file per process (``saves-<pid>.jsonl``): each save the
    server confirmed (``kind: save``) and each version conflict (``kind: conflict``)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / f"saves-{os.getpid()}.jsonl"
        self._file: IO[str] | None = None

    def write(self, record: Mapping[str, Any]) -> None:
        if self._file is None:
            self._file = self.path.open("a", encoding="utf-8", buffering=1)
        self._file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")

    def save(
        self, *, unit: str, assessment: int, code: str, version: int, stored: Mapping[str, Any]
    ) -> None:
        self.write(
            {
                "kind": "save",
                "unit": unit,
                "assessment": assessment,
                "code": code,
                "version": version,
                "stored": dict(stored),
                "at": time.time(),
            }
        )

    def conflict(self, *, unit: str, assessment: int, code: str, seen: int, current: int) -> None:
        self.write(
            {
                "kind": "conflict",
                "unit": unit,
                "assessment": assessment,
                "code": code,
                "version": seen,
                "current": current,
                "at": time.time(),
            }
        )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def read_logs(directory: Path) -> list[dict[str, Any]]:
    """Every record of every ``saves-*.jsonl`` under ``directory``."""
    records: list[dict[str, Any]] = []
    for path in sorted(directory.glob("saves-*.jsonl")):
        with path.open(encoding="utf-8") as lines:
            records.extend(json.loads(line) for line in lines if line.strip())
    return records


# --------------------------------------------------------------------------- seeding


def criteria_document() -> dict[str, Any]:
    """A commune criteria set of 6 fields and 31 leaves covering all six rule types, one
    field three levels deep, four leaves that allow "không áp dụng"."""

    def node(code: str, name: str, max_: str, **extra: Any) -> dict[str, Any]:
        item: dict[str, Any] = {"code": code, "name": name, "max": max_}
        if "." in code:
            item["parent"] = code.rsplit(".", 1)[0]
        item.update(extra)
        return item

    boolean = {"type": "boolean"}
    manual: dict[str, Any] = {}

    def percent(floor: str | None = None) -> dict[str, Any]:
        return {"rule": {"type": "percent", **({"floor": floor} if floor else {})}}

    def ratio(floor: str | None = None, full_at: str | None = None) -> dict[str, Any]:
        rule: dict[str, Any] = {"type": "ratio"}
        if floor:
            rule["floor"] = floor
        if full_at:
            rule["full_at"] = full_at
        return {"rule": rule}

    def tiers(top: str, middle: str) -> dict[str, Any]:
        return {
            "rule": {
                "type": "tiers",
                "tiers": [{"min": "5", "points": top}, {"min": "2", "points": middle}],
            }
        }

    def deduction(per_item: str) -> dict[str, Any]:
        return {"rule": {"type": "deduction", "per_item": per_item}}

    na = {"allow_not_applicable": True}
    nodes = [
        node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10"),
        node("1.1", "Ban hành kế hoạch CCHC năm", "2", rule=boolean),
        node("1.2", "Tỷ lệ hoàn thành kế hoạch CCHC", "3", **percent("0.5")),
        node("1.3", "Số sáng kiến, giải pháp CCHC", "2", **tiers("2", "1")),
        node("1.4", "Kiểm tra công tác CCHC", "1.5", **manual),
        node("1.5", "Tuyên truyền CCHC", "1.5", rule=boolean),
        node("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", "9"),
        node("2.1", "Ban hành kế hoạch rà soát văn bản", "2", rule=boolean),
        node("2.2", "Tỷ lệ văn bản được rà soát", "2", **ratio()),
        node("2.3", "Tỷ lệ thực hiện kế hoạch theo dõi thi hành pháp luật", "2", **percent()),
        node("2.4", "Số văn bản ban hành sai thẩm quyền", "2", **deduction("0.5")),
        node("2.5", "Xử lý văn bản sau kiểm tra", "1", **manual),
        node("3", "Cải cách thủ tục hành chính", "20"),
        node("3.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "6", **ratio("0.7", "0.95")),
        node("3.2", "Hồ sơ bị yêu cầu bổ sung quá một lần", "4", **deduction("1"), **na),
        node("3.3", "Tỷ lệ công khai thủ tục hành chính", "4", **percent()),
        node("3.4", "Niêm yết địa chỉ tiếp nhận phản ánh", "2", rule=boolean),
        node("3.5", "Số phản ánh, kiến nghị được xử lý", "4", **tiers("4", "2"), **na),
        node("4", "Cải cách tổ chức bộ máy hành chính", "12"),
        node("4.1", "Thực hiện quy định về tổ chức bộ máy", "3", **manual),
        node("4.2", "Tỷ lệ cán bộ bố trí đúng vị trí việc làm", "3", **ratio("0.5")),
        node("4.3", "Ban hành quy chế làm việc", "2", rule=boolean),
        node("4.4", "Tỷ lệ thực hiện phân cấp", "2", **percent()),
        node("4.5", "Số sai phạm về tổ chức bộ máy", "2", **deduction("0.5")),
        node("5", "Cải cách chế độ công vụ", "14"),
        node("5.1", "Thực hiện quy định về tuyển dụng", "3", rule=boolean),
        node("5.2", "Tỷ lệ công chức được bồi dưỡng", "3", **ratio()),
        node("5.3", "Số công chức đạt chuẩn", "3", **tiers("3", "1.5")),
        node("5.4", "Chấp hành kỷ luật, kỷ cương", "3", **manual),
        node("5.5", "Tỷ lệ đánh giá công chức đúng hạn", "2", **percent("0.6")),
        node("6", "Xây dựng chính quyền số", "16"),
        node("6.1", "Hạ tầng số", "4"),
        node("6.1.1", "Tỷ lệ máy tính kết nối mạng", "2", **ratio(), **na),
        node("6.1.2", "Có hệ thống an toàn thông tin", "2", rule=boolean, **na),
        node("6.2", "Tỷ lệ văn bản điện tử có chữ ký số", "3", **percent()),
        node("6.3", "Sử dụng hệ thống quản lý văn bản", "3", rule=boolean),
        node("6.4", "Số dịch vụ công trực tuyến toàn trình", "3", **tiers("3", "1")),
        node("6.5", "Ứng dụng công nghệ thông tin khác", "3", **manual),
    ]
    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí CCHC cấp xã (đo tải)",
            "rounding": {"mode": "truncate", "places": 2},
            "index_rounding": {"mode": "half_up", "places": 2},
            "nodes": nodes,
        },
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "65"}],
            "otherwise": "Trung bình",
        },
    }


@dataclass
class Plan:
    """What the seeding created and the locust scenario needs (written as ``plan.json``)."""

    period_id: int
    password: str
    users: list[dict[str, Any]]
    """username, unit (code), assessment (id)."""
    leaves: list[dict[str, Any]]
    """code, rule, max, allow_na."""

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")


def seed_communes(
    *, prefix: str, label: str, group_code: str, purpose: str, units: int, digits: int
) -> tuple[Unit, UnitGroup, list[Unit]]:
    """A benchmark's province ``{prefix}-T`` with ``units`` communes ``{prefix}-XA-0001``…
    in one commune group, through the services (call inside a transaction)."""
    from parindex.organizations.models import Level
    from parindex.organizations.services import (
        UnitSpec,
        unit_create,
        unit_group_create,
        units_bulk_create,
    )

    province = unit_create(
        code=f"{prefix}-T",
        name=f"Tỉnh {label} (dữ liệu {purpose})",
        level=Level.PROVINCE,
        actor=None,
    )
    group = unit_group_create(
        code=group_code, name=f"UBND cấp xã ({purpose})", level=Level.COMMUNE, actor=None
    )
    communes = units_bulk_create(
        specs=[
            UnitSpec(
                code=f"{prefix}-XA-{i:0{digits}d}",
                name=f"UBND xã {label} {i:0{digits}d}",
                level=Level.COMMUNE,
                parent_code=province.code,
                group_code=group.code,
                position=i,
            )
            for i in range(1, units + 1)
        ],
        actor=None,
        summary=f"Tạo {units} xã cho {purpose}",
    )
    return province, group, communes


def seed(*, units: int, password: str = PASSWORD, year: int = 2025) -> Plan:
    """Create the season through the services (see the module docstring); one transaction."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from parindex.accounts.models import Role, User
    from parindex.assessments.models import Assessment
    from parindex.audit.services import record
    from parindex.criteria.models import CriterionNode
    from parindex.criteria.services import SetInfo, criteria_set_import_document
    from parindex.organizations.models import Level
    from parindex.periods.lifecycle import period_open_self_assessment
    from parindex.periods.models import PeriodKind
    from parindex.periods.services import period_create

    with transaction.atomic():
        province, group, communes = seed_communes(
            prefix=UNIT_PREFIX,
            label="Đo Tải",
            group_code="bench-ubnd-cap-xa",
            purpose="đo tải",
            units=units,
            digits=4,
        )
        criteria_set = criteria_set_import_document(
            document=criteria_document(),
            info=SetInfo(level=Level.COMMUNE, year=year, jurisdiction=province),
            actor=None,
        )
        # No accounts service exists yet: users are written directly (one hash for the one
        # known password; Argon2 is the production hasher) and the batch is audited.
        hashed = make_password(password)
        chair = User.objects.create(
            username="bench.chutich",
            full_name="Chủ tịch hội đồng (đo tải)",
            role=Role.CHAIR,
            unit=province,
            password=hashed,
        )
        staff = User.objects.bulk_create(
            User(
                username=f"bench.xa{i:04d}",
                full_name=f"Cán bộ xã Đo Tải {i:04d}",
                role=Role.UNIT_STAFF,
                unit=unit,
                password=hashed,
            )
            for i, unit in enumerate(communes, start=1)
        )
        record(
            actor=None,
            action="user.bulk_created",
            target=chair,
            summary=f"Tạo {len(staff) + 1} tài khoản đo tải",
            after={"count": len(staff) + 1},
        )
        period = period_create(
            jurisdiction=province,
            year=year,
            kind=PeriodKind.ANNUAL,
            name=f"Đo tải năm {year}",
            groups={group: criteria_set},
            actor=chair,
        )
        period_open_self_assessment(
            period=period, actor=chair, deadline=timezone.now() + datetime.timedelta(days=30)
        )
        assessments = dict(Assessment.objects.filter(period=period).values_list("unit_id", "pk"))
        leaves = [
            {
                "code": n.code,
                "rule": n.rule_type,
                "max": plain(n.max_points),
                "allow_na": n.allow_not_applicable,
            }
            for n in CriterionNode.objects.filter(
                criteria_set=criteria_set, children__isnull=True
            ).order_by("position", "id")
        ]
    return Plan(
        period_id=period.pk,
        password=password,
        users=[
            {"username": u.username, "unit": unit.code, "assessment": assessments[unit.pk]}
            for u, unit in zip(staff, communes, strict=True)
        ],
        leaves=leaves,
    )


# --------------------------------------------------------------------------- verification


@dataclass
class Verification:
    saves: int = 0
    """Saves the server confirmed (200), from the logs."""
    items: int = 0
    """Distinct items (unit × leaf) saved at least once."""
    matched: int = 0
    mismatches: list[str] = field(default_factory=list)
    """Items whose stored value, flags, explanation or version differ from the last save."""
    unexpected: int = 0
    """Items changed in the database that no confirmed save explains."""
    audit_events: int = 0
    conflicts: int = 0

    @property
    def ok(self) -> bool:
        return (
            not self.mismatches
            and not self.unexpected
            and not self.conflicts
            and self.audit_events == self.saves
        )


def verify(*, period_id: int, records: Iterable[Mapping[str, Any]]) -> Verification:
    """Compare the database with the save log: for every item, the value of the last
    confirmed save (highest version) is stored, and its version equals the number of
    confirmed saves (none lost, none extra); one audit event per confirmed save."""
    from parindex.assessments.models import Answer
    from parindex.audit.models import AuditEvent

    result = Verification()
    last: dict[tuple[int, str], Mapping[str, Any]] = {}
    count: Counter[tuple[int, str]] = Counter()
    for rec in records:
        if rec["kind"] == "conflict":
            result.conflicts += 1
            continue
        result.saves += 1
        key = (int(rec["assessment"]), str(rec["code"]))
        count[key] += 1
        if key not in last or rec["version"] > last[key]["version"]:
            last[key] = rec
    result.items = len(last)

    stored = {
        (a.assessment_id, a.node.code): a
        for a in Answer.objects.filter(assessment__period_id=period_id).select_related("node")
    }
    for key in sorted(last, key=lambda k: (k[0], k[1])):
        rec, answer = last[key], stored.get(key)
        where = f"{rec['unit']} {rec['code']}"
        if answer is None:
            result.mismatches.append(f"{where}: không có trong CSDL / not in the database")
            continue
        got = {
            "value": answer.self_value,
            "not_applicable": answer.self_not_applicable,
            "na_justification": answer.na_justification,
            "explanation": answer.explanation,
        }
        if got != rec["stored"]:
            result.mismatches.append(
                f"{where}: CSDL / database {got!r} ≠ lưu / saved {rec['stored']!r}"
            )
        elif answer.version != rec["version"] or answer.version != count[key]:
            result.mismatches.append(
                f"{where}: phiên bản / version {answer.version}, lần lưu cuối / last save "
                f"{rec['version']}, số lần lưu / saves {count[key]}"
            )
        else:
            result.matched += 1
    result.unexpected = sum(1 for key, a in stored.items() if key not in last and a.version > 0)
    answer_ids = [str(a.pk) for a in stored.values()]
    result.audit_events = sum(
        AuditEvent.objects.filter(
            action="answer.self_saved", target_type=ANSWER_TARGET, target_id__in=chunk
        ).count()
        for chunk in _chunks(answer_ids, 5000)
    )
    return result


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------------- locust statistics


@dataclass(frozen=True)
class Stats:
    name: str
    requests: int
    failures: int
    median_ms: float
    average_ms: float
    max_ms: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    rps: float


def _number(text: str | None) -> float:
    try:
        return float(text) if text not in (None, "", "N/A") else math.nan
    except ValueError:
        return math.nan


def read_stats(path: Path) -> dict[str, Stats]:
    """locust's ``<prefix>_stats.csv`` by request name (the total is "Aggregated")."""
    rows: dict[str, Stats] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = Stats(
                name=row["Name"],
                requests=int(_number(row["Request Count"]) or 0),
                failures=int(_number(row["Failure Count"]) or 0),
                median_ms=_number(row["Median Response Time"]),
                average_ms=_number(row["Average Response Time"]),
                max_ms=_number(row["Max Response Time"]),
                p50_ms=_number(row["50%"]),
                p95_ms=_number(row["95%"]),
                p99_ms=_number(row["99%"]),
                rps=_number(row["Requests/s"]),
            )
    return rows


def read_final_stats(path: Path) -> dict[str, Stats]:
    """``final-stats.json`` written by the locustfile when locust quits (complete, unlike
    the CSV, whose writer stops before the saves in flight at the end have come back)."""
    rows: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return {
        name: Stats(
            name=name,
            requests=int(row["requests"]),
            failures=int(row["failures"]),
            median_ms=float(row["median_ms"] or 0),
            average_ms=float(row["average_ms"] or 0),
            max_ms=float(row["max_ms"] or 0),
            p50_ms=float(row["p50_ms"] or 0),
            p95_ms=float(row["p95_ms"] or 0),
            p99_ms=float(row["p99_ms"] or 0),
            rps=float(row["rps"] or 0),
        )
        for name, row in rows.items()
    }


def read_failures(path: Path) -> list[str]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            f"{row['Occurrences']} × {row['Method']} {row['Name']}: {row['Error']}"
            for row in csv.DictReader(handle)
        ]


# --------------------------------------------------------------------------- the database


def bench_database_url(database_url: str | None, name: str = BENCH_DATABASE) -> str:
    """The URL of the benchmark database on the same local PostgreSQL server as
    ``database_url``. Raises :class:`SystemExit` with a message for anything else."""
    if not database_url:
        raise SystemExit(
            "Cần DATABASE_URL trỏ tới PostgreSQL / DATABASE_URL must point at PostgreSQL, e.g. "
            f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
        )
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(
            f"Đo tải chỉ chạy trên PostgreSQL, không chạy trên {parts.scheme or '?'} / "
            "the load benchmark runs on PostgreSQL only (SQLite serialises every write and "
            "is not what production runs). Set "
            f"DATABASE_URL=postgres://postgres@127.0.0.1:5432/{BENCH_DATABASE}"
        )
    host = unquote(parts.hostname or "")
    if host not in LOCAL_HOSTS and not host.startswith("/"):
        raise SystemExit(
            f"Máy chủ PostgreSQL {host} không phải máy này / {host} is not this machine: the "
            "benchmark drops and recreates its database, so it only runs against 127.0.0.1."
        )
    if "bench" not in name:
        raise SystemExit(f"Tên CSDL đo tải phải chứa 'bench' / must contain 'bench': {name}")
    return urlunsplit((parts.scheme, parts.netloc, "/" + quote(name), parts.query, ""))


def drop_database(url: str, name: str) -> None:
    """DROP the benchmark database ``url`` names (forcing out leftover sessions); refuses
    any database but ``name``."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    actual = unquote(parts.path.lstrip("/"))
    if actual != name:
        raise SystemExit(f"Chỉ xoá CSDL {name} / only drops {name}: {actual}")
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(actual))
        )


def recreate_database(url: str) -> None:
    """DROP (forcing out leftover sessions) and CREATE the database ``url`` names."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = unquote(parts.path.lstrip("/"))
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, ""))
    with psycopg.connect(admin, autocommit=True, connect_timeout=10) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


# --------------------------------------------------------------------------- processes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(
    *, database_url: str, var_dir: Path, pool_max: int, redis_url: str = ""
) -> dict[str, str]:
    """Production-like settings for 127.0.0.1 over plain HTTP: with ``redis_url`` the
    cache and the sessions are in Redis, as docs/deployment.md deploys them."""
    env = {
        "DJANGO_SETTINGS_MODULE": "parindex.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "DB_POOL": "true",
        "DB_POOL_MAX": str(pool_max),
        "PARINDEX_VAR_DIR": str(var_dir),
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def local_redis_url(explicit: str | None) -> str:
    """The Redis of the benchmark: ``--redis URL`` (127.0.0.1 only), else database 15 of the
    local server when it answers, else "" (sessions in PostgreSQL, said in the summary)."""
    url = explicit if explicit is not None else "redis://127.0.0.1:6379/15"
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.hostname not in LOCAL_HOSTS:
        raise SystemExit(f"Chỉ dùng Redis trên 127.0.0.1 / local Redis only: {url}")
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 2):
            return url
    except OSError:
        if explicit:
            raise SystemExit(f"Redis không trả lời / not answering: {url}") from None
        return ""


def static_outdated(static_root: Path) -> bool:
    """True unless the hashed static files (whitenoise manifest) are newer than every source
    file the static finders see."""
    from django.contrib.staticfiles import finders

    manifest = static_root / "staticfiles.json"
    if not manifest.exists():
        return True
    built = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list(ignore_patterns=[]):
            if Path(storage.path(path)).stat().st_mtime > built:
                return True
    return False


def background_load(seconds: float = 3) -> float:
    """How busy the machine is before the run (other people's tests share it), in %."""
    busy0, total0, _ = _machine_ticks()
    time.sleep(seconds)
    busy1, total1, _ = _machine_ticks()
    return 100.0 * (busy1 - busy0) / max(total1 - total0, 1)


def _bin(name: str) -> str:
    path = Path(sys.executable).parent / name
    if not path.exists():
        raise SystemExit(f"Không tìm thấy {name} cạnh {sys.executable} / {name} not found")
    return str(path)


def wait_ready(url: str, *, timeout: float, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn dừng ngay khi khởi động / exited ({process.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (127.0.0.1)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"gunicorn không sẵn sàng sau {timeout:.0f} s / not ready")


def warm_up(url: str, requests: int) -> None:
    """Let every worker import the views and compile the templates before the clock runs."""

    def get(_: int) -> None:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (127.0.0.1)
            response.read()

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(get, range(requests)))


def stop(process: subprocess.Popen[bytes], *, timeout: float = 30) -> None:
    """SIGTERM (gunicorn: graceful), then SIGKILL after ``timeout``; only this process."""
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


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


# --------------------------------------------------------------------------- profiling one save


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


# --------------------------------------------------------------------------- the run


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
        f"KẾT QUẢ / RESULT (p95 lưu < {c.target_p95_ms:.0f} ms, 0 lỗi, 0 sai lệch): {verdict}"
    )
    return lines


_STARTED = time.monotonic()


def _step(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f} s] {message}", flush=True)


def _read_phase(path: Path) -> dict[str, Any]:
    try:
        phase: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return phase


def run(config: Config, *, database_url: str, out_dir: Path, profile: bool) -> Outcome:
    """The whole benchmark (see the module docstring)."""
    run_dir = out_dir / f"season-{datetime.datetime.now():%Y%m%d-%H%M%S}"  # noqa: DTZ005
    run_dir.mkdir(parents=True)
    var_dir = out_dir / "var"  # static files (collectstatic is incremental between runs)
    env = server_env(
        database_url=database_url,
        var_dir=var_dir,
        pool_max=config.pool_max,
        redis_url=config.redis_url,
    )

    _step(f"CSDL / database: tạo lại / recreating {urlsplit(database_url).path.lstrip('/')}")
    recreate_database(database_url)
    os.environ.update(env)  # this process uses the same settings as the server

    import django
    from django.core.management import call_command

    django.setup()
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    _step(f"migrate ({time.perf_counter() - started:.1f} s); tạo dữ liệu / seeding")
    started = time.perf_counter()
    plan = seed(units=config.users)
    plan_path = run_dir / "plan.json"
    plan.write(plan_path)
    _step(
        f"đã tạo / seeded {len(plan.users)} xã và tài khoản / communes and accounts, "
        f"{len(plan.leaves)} tiêu chí lá / leaves, kỳ / period {plan.period_id} "
        f"({time.perf_counter() - started:.1f} s); collectstatic"
    )
    from django.db import connections

    connections.close_all()

    child_env = {**os.environ, **env}
    if static_outdated(var_dir / "static"):
        # Compressing every file takes a minute on this machine: only when something changed.
        subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "parindex.cli", "collectstatic", "--noinput", "-v", "0"],
            env=child_env,
            cwd=REPO_DIR,
            check=True,
            timeout=600,
        )
    background = background_load()
    _step(f"tải nền của máy / background machine load: {background:.0f} % CPU")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn_log = (run_dir / "gunicorn.log").open("wb")
    gunicorn = subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
        [
            _bin("gunicorn"),
            "parindex.wsgi:application",
            "--worker-class",
            "gthread",
            "--workers",
            str(config.workers),
            "--threads",
            str(config.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--keep-alive",
            str(config.keep_alive),
            "--graceful-timeout",
            "15",
            "--log-level",
            "warning",
        ],
        env=child_env,
        cwd=REPO_DIR,
        stdout=gunicorn_log,
        stderr=subprocess.STDOUT,
    )
    locust_exit = -1
    phase_path = run_dir / "save-phase.json"
    cpu_sign_in: dict[str, float] = {}
    cpu_save: dict[str, float] = {}
    rss: dict[str, float] = {}
    try:
        wait_ready(base + LOGIN_PATH, timeout=60, process=gunicorn)
        warm_up(base + LOGIN_PATH, 4 * config.workers * config.threads)
        _step(
            f"gunicorn sẵn sàng / ready: {base}; locust: {config.users} người dùng đăng nhập "
            f"rồi lưu trong {config.duration} s / users sign in, then save for "
            f"{config.duration} s"
        )
        locust_env = {
            **os.environ,
            "PARINDEX_BENCH_PLAN": str(plan_path),
            "PARINDEX_BENCH_LOG_DIR": str(run_dir),
            "PARINDEX_BENCH_USERS": str(config.users),
            "PARINDEX_BENCH_DURATION": str(config.duration),
            "PARINDEX_BENCH_SIGN_IN_TIMEOUT": str(config.sign_in_timeout),
            "PARINDEX_BENCH_THINK_MIN": str(config.think_min),
            "PARINDEX_BENCH_THINK_MAX": str(config.think_max),
            "PARINDEX_BENCH_SEED": str(config.seed),
        }
        # The locustfile quits after the save phase; --run-time is only the hard bound.
        hard_bound = config.sign_in_timeout + config.duration + 60
        first = CpuSnapshot.take()
        with (run_dir / "locust.log").open("wb") as locust_log:
            locust = subprocess.Popen(  # noqa: S603 (the venv's locust)
                [
                    _bin("locust"),
                    "-f",
                    str(Path(__file__).with_name("locustfile.py")),
                    "--headless",
                    "--host",
                    base,
                    "--users",
                    str(config.users),
                    "--spawn-rate",
                    f"{config.spawn_rate:g}",
                    "--run-time",
                    f"{hard_bound}s",
                    # Let every user finish the save it is sending: a save cut off after the
                    # server committed it would look like a lost update in the check.
                    "--stop-timeout",
                    "30",
                    "--csv",
                    str(run_dir / "locust"),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                ],
                env=locust_env,
                cwd=REPO_DIR,
                stdout=locust_log,
                stderr=subprocess.STDOUT,
            )
            locust_pid = locust.pid
            try:
                deadline = time.monotonic() + hard_bound + 60
                save_start: CpuSnapshot | None = None
                last = first
                # Sample every second, up to just before locust exits (its CPU is read then).
                while locust.poll() is None:
                    if time.monotonic() > deadline:
                        raise SystemExit("locust không dừng đúng hạn / did not stop in time")
                    last = CpuSnapshot.take()
                    if save_start is None and "save_start" in _read_phase(phase_path):
                        save_start = last
                        cpu_sign_in = cpu_seconds(
                            first, last, gunicorn_pid=gunicorn.pid, locust_pid=locust_pid
                        )
                    rss = peak_rss_mib(gunicorn.pid) or rss
                    time.sleep(1)
                locust_exit = locust.returncode
            finally:
                stop(locust, timeout=10)
        if save_start is not None:
            cpu_save = cpu_seconds(
                save_start, last, gunicorn_pid=gunicorn.pid, locust_pid=locust_pid
            )
        rss = peak_rss_mib(gunicorn.pid) or rss
    finally:
        stop(gunicorn)
        gunicorn_log.close()
    _step(f"locust xong / done (mã thoát / exit {locust_exit}); kiểm tra CSDL / checking")

    final_path, csv_path = run_dir / "final-stats.json", run_dir / "locust_stats.csv"
    if final_path.exists():
        by_name = read_final_stats(final_path)
    else:
        by_name = read_stats(csv_path) if csv_path.exists() else {}
    verification = verify(period_id=plan.period_id, records=read_logs(run_dir))
    outcome = Outcome(
        config=config,
        put=by_name.get(PUT_NAME),
        total=by_name.get("Aggregated"),
        by_name=by_name,
        failures=read_failures(run_dir / "locust_failures.csv"),
        verification=verification,
        phase=_read_phase(phase_path),
        cpu_sign_in=cpu_sign_in,
        cpu_save=cpu_save,
        rss_mib=rss,
        locust_exit=locust_exit,
        run_dir=str(run_dir),
    )
    summary = summary_lines(outcome)
    if profile:
        _step("đo một lần lưu / profiling one save (SQL, cProfile)")
        summary.extend(profile_lines(profile_save(plan)))
    (run_dir / "summary.txt").write_text("\n".join(summary) + "\n", encoding="utf-8")
    (run_dir / "summary.json").write_text(
        json.dumps(
            {
                "config": asdict(config),
                "passed": outcome.passed,
                "reasons": outcome.reasons(),
                "put_rps_save_phase": outcome.put_rps,
                "phase": outcome.phase,
                "stats": {name: asdict(s) for name, s in by_name.items()},
                "verification": {
                    **asdict(verification),
                    "mismatches": verification.mismatches[:100],
                    "ok": verification.ok,
                },
                "cpu_sign_in": cpu_sign_in,
                "cpu_save": cpu_save,
                "rss_mib": rss,
                "locust_exit": locust_exit,
            },
            ensure_ascii=False,
            indent=1,
            default=str,
        ),
        encoding="utf-8",
    )
    print("\n".join(summary), flush=True)
    print(f"(chi tiết / details: {run_dir})", flush=True)
    return outcome


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(
        prog="python -m parindex.tools.bench.load",
        description="Đo tải mùa tự đánh giá: N cán bộ xã cùng lưu điểm tự đánh giá "
        "(gunicorn + PostgreSQL + locust, chỉ trên 127.0.0.1).",
    )
    parser.add_argument("--users", type=int, default=200, help="số người dùng đồng thời")
    parser.add_argument("--duration", type=int, default=60, help="thời gian lưu (giây)")
    parser.add_argument("--spawn-rate", type=float, default=50, help="người dùng mới mỗi giây")
    parser.add_argument("--workers", type=int, default=cores, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="luồng mỗi worker")
    parser.add_argument("--pool-max", type=int, default=None, help="DB_POOL_MAX (≥ threads)")
    parser.add_argument("--think-min", type=float, default=3.0, help="nghỉ tối thiểu (s)")
    parser.add_argument("--think-max", type=float, default=8.0, help="nghỉ tối đa (s)")
    parser.add_argument("--keep-alive", type=int, default=10, help="gunicorn --keep-alive (s)")
    parser.add_argument("--target-p95-ms", type=float, default=TARGET_P95_MS)
    parser.add_argument("--seed", type=int, default=2025, help="hạt giống giá trị nhập")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="sau khi đo: các truy vấn SQL của một lần lưu, thời gian lưu tuần tự, cProfile",
    )
    parser.add_argument(
        "--redis",
        default=None,
        help="Redis cho cache và phiên (mặc định redis://127.0.0.1:6379/15 nếu có; '' = không)",
    )
    parser.add_argument("--out", type=Path, default=REPO_DIR / "var" / "bench")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 5000 or not 1 <= args.duration <= 3600:
        parser.error("1 ≤ --users ≤ 5000, 1 ≤ --duration ≤ 3600")
    if not 0 <= args.think_min <= args.think_max:
        parser.error("0 ≤ --think-min ≤ --think-max")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    url = bench_database_url(os.environ.get("DATABASE_URL"))
    config = Config(
        users=args.users,
        duration=args.duration,
        spawn_rate=args.spawn_rate,
        workers=args.workers,
        threads=args.threads,
        pool_max=args.pool_max or max(args.threads, 2),
        think_min=args.think_min,
        think_max=args.think_max,
        keep_alive=args.keep_alive,
        target_p95_ms=args.target_p95_ms,
        seed=args.seed,
        redis_url=local_redis_url(args.redis),
    )
    outcome = run(config, database_url=url, out_dir=args.out, profile=args.profile)
    return 0 if outcome.passed else 1


if __name__ == "__main__":
    sys.exit(main())
