"""The benchmarks' own PostgreSQL databases: checking the URL names a local server, and
dropping or recreating a benchmark database (never any other)."""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

BENCH_DATABASE = "parindex_bench"
"""The season load benchmark's database (the other benchmarks name their own)."""
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", ""})


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


def bench_environment(
    *, kind: str, database: str, repo_dir: Path, web: bool = False
) -> tuple[str, Path]:
    """Point this process at benchmark ``database`` (its URL, derived from DATABASE_URL)
    with its own var directory ``var/bench/<kind>-<time>``: the environment every
    benchmark's ``main`` sets before Django starts. ``web``: the settings of a served site
    (DEBUG off, the test client's host). Returns the URL and the directory."""
    url = bench_database_url(os.environ.get("DATABASE_URL"), database)
    stamp = f"{datetime.datetime.now():%Y%m%d-%H%M%S}"  # noqa: DTZ005 (a directory name)
    out_dir = repo_dir / "var" / "bench" / f"{kind}-{stamp}"
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "parindex.settings",
            "DATABASE_URL": url,
            "DB_POOL": "false",
            "LOG_LEVEL": "WARNING",
            "PARINDEX_VAR_DIR": str(out_dir / "var"),
        }
    )
    if web:
        os.environ.update(
            {"DEBUG": "false", "ALLOWED_HOSTS": "testserver", "SECURE_SSL_REDIRECT": "false"}
        )
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    return url, out_dir


def run_bench_module(
    module: str, arguments: list[str], *, database: str, repo_dir: Path, keep: bool
) -> int:
    """What ``parindex bench NAME`` does: run ``python -m module arguments`` in a fresh
    interpreter against benchmark ``database`` (derived from DATABASE_URL); its exit
    status."""
    import subprocess
    import sys

    url = bench_database_url(os.environ.get("DATABASE_URL"), database)
    command = [sys.executable, "-m", module, *arguments, *(["--keep"] if keep else [])]
    sys.stdout.flush()
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(command, env=env, cwd=repo_dir, check=False).returncode  # noqa: S603
