"""A ``parindex worker`` subprocess on the test's database, for the SIGKILL tests."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection

MANAGE = Path(settings.BASE_DIR) / "manage.py"
LEASE_SECONDS = 2


def wait_until(check: Callable[[], Any], *, timeout: float, what: str) -> Any:
    """Poll ``check`` every 0.1 s until it returns something true; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if value := check():
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class WorkerProcess:
    """``parindex worker --worker-id <id>`` with a 2-second lease and no back-off; its
    output is read line by line (``wait_for``)."""

    def __init__(self, worker_id: str, *, pause: dict[str, float] | None = None) -> None:
        self.worker_id = worker_id
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "parindex.jobs.tests.worker_settings",
            "PARINDEX_TEST_DB_NAME": str(connection.settings_dict["NAME"]),
            "PARINDEX_TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PARINDEX_TEST_PAUSE": json.dumps(pause or {}),
            "JOBS_LEASE_SECONDS": str(LEASE_SECONDS),
            "JOBS_RETRY_BACKOFF_SECONDS": "0",
            "PYTHONUNBUFFERED": "1",
        }
        command = [sys.executable, str(MANAGE), "worker", "--queue-name", "*", "--no-reload"]
        command += ["--no-startup-delay", "--interval", "0.2", "--worker-id", worker_id]
        self.process = subprocess.Popen(  # noqa: S603 (our own command)
            command,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            self.lines.put(line)

    def wait_for(self, text: str, *, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if text in self.lines.get(timeout=0.2):
                    return
            except queue.Empty:
                if self.process.poll() is not None:
                    break
        raise AssertionError(f"worker never printed {text!r}:\n{''.join(self.output)}")

    def kill(self) -> None:
        """SIGKILL: no handler runs, nothing is cleaned up."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
