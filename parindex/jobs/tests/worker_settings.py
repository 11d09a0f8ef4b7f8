"""Settings of the ``parindex worker`` that the SIGKILL tests start as a subprocess: the
project's settings on the test's own database and media folder, and the test-only pause
(:mod:`parindex.jobs.checkpoint`). Never used outside those tests."""

import json
import os
from pathlib import Path

from parindex.settings import *  # noqa: F403
from parindex.settings import DATABASES

DATABASES["default"]["NAME"] = os.environ["PARINDEX_TEST_DB_NAME"]
MEDIA_ROOT = Path(os.environ["PARINDEX_TEST_MEDIA_ROOT"])
JOBS_TEST_PAUSE = json.loads(os.environ.get("PARINDEX_TEST_PAUSE", "{}"))
