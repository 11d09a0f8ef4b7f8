"""The demo's large tables, kept as JSON files in ``parindex/tools/demo/data/`` (packaged
with the code) rather than as Python modules."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def load(name: str) -> Any:
    """The parsed content of ``data/<name>.json``."""
    text = resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8")
    return json.loads(text)
