"""A test hook: pause a job at a named point so that a test can kill its worker there.

Production never enables it: only ``settings.JOBS_TEST_PAUSE`` turns it on, and
``parindex/settings.py`` never defines it; the SIGKILL tests start their worker with
``parindex.jobs.tests.worker_settings``, which sets it from the environment. The worker
prints ``checkpoint <name>`` (flushed) before sleeping, so the test knows where it is even
on SQLite, where the work's own progress stays invisible until its transaction commits.
"""

from __future__ import annotations

import sys
import time

from django.conf import settings


def checkpoint(name: str) -> None:
    """Sleep when the test settings ask for a pause at ``name`` (``{"survey_import": 60}``)."""
    pauses: dict[str, float] | None = getattr(settings, "JOBS_TEST_PAUSE", None)
    if not pauses or name not in pauses:
        return
    sys.stdout.write(f"checkpoint {name}\n")
    sys.stdout.flush()
    time.sleep(pauses[name])
