"""How a criterion's value is stored in JSON (as in the evaluation file) and read back.

One encoding for self-assessed, appraised and final values: a decimal string, true/false,
or {"numerator": "...", "denominator": "..."}.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from parindex.engine.model import Ratio, Value


def stored_to_engine(stored: Any) -> Value:
    """A stored JSON value as the engine's value (raises on malformed data)."""
    if isinstance(stored, bool):
        return stored
    if isinstance(stored, dict):
        return Ratio(Decimal(str(stored["numerator"])), Decimal(str(stored["denominator"])))
    return Decimal(str(stored))
