"""The season load benchmark's own logic, without gunicorn or locust: seeding through the
services, the values it types, the save log and the database check, the statistics reader
and the refusal of anything but a local PostgreSQL (``parindex/tools/bench/load.py``)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.services.self_assessment import answer_save
from parindex.criteria.models import CriterionNode, RuleType
from parindex.periods.models import Period, PeriodStatus
from parindex.tools.bench import database
from parindex.tools.bench.season_load import check, locust_stats, saves, server, world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hasher")]


def _save_all(plan: world.Plan, log: saves.SaveLog, *, saves_per_user: int) -> int:
    """What each locust user does, through the service instead of HTTP; saves made."""
    nodes = {
        n.code: n for n in CriterionNode.objects.filter(code__in=[x["code"] for x in plan.leaves])
    }
    made = 0
    for account in plan.users:
        user = User.objects.get(username=account["username"])
        assessment = Assessment.objects.get(pk=account["assessment"])
        rng = random.Random(account["username"])
        versions: dict[str, int] = {}
        # Every leaf once (every rule type), then random leaves again (new versions).
        leaves = plan.leaves + [rng.choice(plan.leaves) for _ in range(saves_per_user)]
        for n, leaf in enumerate(leaves):
            body, expected = saves.next_value(leaf, rng, f"Thuyết minh lần {n}")
            answer = answer_save(
                assessment=assessment,
                node=nodes[leaf["code"]],
                actor=user,
                version=versions.get(leaf["code"], 0),
                **body,
            )
            versions[leaf["code"]] = answer.version
            log.save(
                unit=account["unit"],
                assessment=assessment.pk,
                code=leaf["code"],
                version=answer.version,
                stored=expected,
            )
            made += 1
    log.close()
    return made


def test_seeding_creates_an_open_season_through_the_services() -> None:
    plan = world.seed(units=3, password="mat-khau-thu")

    period = Period.objects.get(pk=plan.period_id)
    assert period.status == PeriodStatus.SELF_ASSESSMENT
    assert period.self_assessment_deadline is not None
    assert len(plan.users) == 3
    assert len(plan.leaves) == 31
    assert {leaf["rule"] for leaf in plan.leaves} == set(RuleType.values)
    assert sum(leaf["allow_na"] for leaf in plan.leaves) == 4
    for account in plan.users:
        user = User.objects.get(username=account["username"])
        assert user.role == Role.UNIT_STAFF
        assert user.check_password("mat-khau-thu")
        assessment = Assessment.objects.get(pk=account["assessment"], period=period)
        assert assessment.unit == user.unit
        assert assessment.unit.code == account["unit"]
        assert assessment.status == AssessmentStatus.NOT_STARTED


def test_every_typed_value_is_accepted_and_the_check_finds_them_all(tmp_path: Path) -> None:
    plan = world.seed(units=3)
    made = _save_all(plan, saves.SaveLog(tmp_path), saves_per_user=40)

    result = check.verify(period_id=plan.period_id, records=saves.read_logs(tmp_path))

    assert result.saves == made
    assert result.items == 3 * 31
    assert result.matched == result.items
    assert result.mismatches == []
    assert result.unexpected == 0
    assert result.audit_events == made
    assert result.ok
    stored = Answer.objects.filter(assessment__period_id=plan.period_id)
    assert stored.filter(self_not_applicable=True).exists()  # "không áp dụng" was typed too


def test_the_check_reports_a_changed_value_a_lost_save_and_an_unlogged_save(
    tmp_path: Path,
) -> None:
    plan = world.seed(units=2)
    made = _save_all(plan, saves.SaveLog(tmp_path), saves_per_user=5)
    records = saves.read_logs(tmp_path)
    first, second = plan.users
    Answer.objects.filter(assessment_id=first["assessment"], node__code="2.2").update(
        explanation="sửa ngoài ứng dụng"
    )
    # A confirmed save missing from the database: the log claims one more version.
    last = max(
        (r for r in records if r["assessment"] == second["assessment"]),
        key=lambda r: r["version"],
    )
    records.append({**last, "version": last["version"] + 1})
    # A save nobody logged: an item of a unit with no log line at all.
    unlogged = [r for r in records if r["code"] != "1.1" or r["assessment"] != first["assessment"]]

    result = check.verify(period_id=plan.period_id, records=unlogged)

    assert not result.ok
    assert len(result.mismatches) == 2
    assert any("explanation" in m or "sửa ngoài" in m for m in result.mismatches)
    assert any("version" in m for m in result.mismatches)
    assert result.unexpected == 1
    assert result.audit_events == made  # the audit trail counts what really happened


def test_conflicts_in_the_log_fail_the_check(tmp_path: Path) -> None:
    plan = world.seed(units=1)
    log = saves.SaveLog(tmp_path)
    log.conflict(unit=plan.users[0]["unit"], assessment=1, code="1.1", seen=0, current=1)
    log.close()

    result = check.verify(period_id=plan.period_id, records=saves.read_logs(tmp_path))

    assert result.conflicts == 1
    assert not result.ok


def test_locust_statistics_are_read_by_name(tmp_path: Path) -> None:
    header = (
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,"
        "Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,"
        "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%"
    )
    rows = [
        f"PUT,{saves.PUT_NAME},5712,0,41,58.2,9,812,431,95.2,0.0,41,52,60,66,88,120,170,210,"
        "540,812,812",
        ",Aggregated,6512,0,44,260.1,9,9100,1200,108.5,0.0,44,56,66,73,110,950,4200,6100,"
        "8800,9100,9100",
        "GET,GET đăng nhập,0,0,0,0,0,0,0,0.0,0.0,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A",
    ]
    path = tmp_path / "locust_stats.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    stats = locust_stats.read_stats(path)

    put = stats[saves.PUT_NAME]
    assert (put.requests, put.failures, put.p50_ms, put.p95_ms, put.p99_ms) == (
        5712,
        0,
        41,
        120,
        210,
    )
    assert stats["Aggregated"].p95_ms == 950
    assert stats["GET đăng nhập"].requests == 0


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "sqlite:///var/parindex.sqlite3",
        "mysql://root@127.0.0.1/parindex_bench",
        "postgres://postgres@db.example.org:5432/parindex_bench",
    ],
)
def test_only_a_local_postgresql_is_accepted(url: str | None) -> None:
    with pytest.raises(SystemExit):
        database.bench_database_url(url)


def test_only_the_bench_database_is_ever_dropped() -> None:
    # Whatever database the URL names, the benchmark uses (and drops) parindex_bench.
    assert database.bench_database_url("postgres://postgres@127.0.0.1:5432/parindex") == (
        "postgres://postgres@127.0.0.1:5432/parindex_bench"
    )
    assert database.bench_database_url("postgresql://u:p@localhost/x?sslmode=disable") == (
        "postgresql://u:p@localhost/parindex_bench?sslmode=disable"
    )
    with pytest.raises(SystemExit):
        database.bench_database_url("postgres://postgres@127.0.0.1/parindex", name="parindex")


def test_redis_is_local_only_and_optional() -> None:
    assert server.local_redis_url("") == ""  # explicitly off: sessions in PostgreSQL
    with pytest.raises(SystemExit):
        server.local_redis_url("redis://cache.example.org:6379/0")
    with pytest.raises(SystemExit):  # asked for, but nothing answers there
        server.local_redis_url("redis://127.0.0.1:1/0")
    env = server.server_env(
        database_url="postgres://x@127.0.0.1/parindex_bench",
        var_dir=server.REPO_DIR / "var",
        pool_max=4,
        redis_url="redis://127.0.0.1:6379/15",
    )
    assert env["REDIS_URL"] == "redis://127.0.0.1:6379/15"
    assert "REDIS_URL" not in server.server_env(
        database_url="postgres://x@127.0.0.1/parindex_bench", var_dir=server.REPO_DIR, pool_max=4
    )
