"""The server under load: gunicorn (gthread) with production-like settings on a free port
of 127.0.0.1, the optional local Redis, its static files, starting and stopping it."""

from __future__ import annotations

import concurrent.futures
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

from parindex.tools.bench.database import LOCAL_HOSTS

REPO_DIR = Path(__file__).resolve().parents[4]


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


def venv_bin(name: str) -> str:
    """A program installed next to this interpreter (the venv's gunicorn, locust)."""
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


def start_gunicorn(
    *, workers: int, threads: int, keep_alive: int, port: int, env: dict[str, str], log: IO[bytes]
) -> subprocess.Popen[bytes]:
    """gunicorn gthread on 127.0.0.1:``port``, logging to ``log``."""
    return subprocess.Popen(  # noqa: S603 (the venv's gunicorn)
        [
            venv_bin("gunicorn"),
            "parindex.wsgi:application",
            "--worker-class",
            "gthread",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--keep-alive",
            str(keep_alive),
            "--graceful-timeout",
            "15",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=REPO_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def collect_static(var_dir: Path, env: dict[str, str]) -> None:
    """``collectstatic`` into ``var_dir``, only when a source file changed since the last."""
    if static_outdated(var_dir / "static"):
        # Compressing every file takes a minute on this machine: only when something changed.
        subprocess.run(  # noqa: S603 (our own interpreter and module)
            [sys.executable, "-m", "parindex.cli", "collectstatic", "--noinput", "-v", "0"],
            env=env,
            cwd=REPO_DIR,
            check=True,
            timeout=600,
        )
