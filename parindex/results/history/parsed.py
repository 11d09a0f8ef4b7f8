"""What the history files are read into: the files, their groups and their rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from parindex.organizations.models import UnitGroup


@dataclass(frozen=True)
class HistoryFile:
    name: str
    data: bytes


@dataclass
class HistoryRow:
    where: str
    """Where the row was read, to start a message: "Dòng 5", "Tệp a.json: units[2] …"."""
    line: str
    """The same inside a sentence: "dòng 5"."""
    code: str
    name: str
    group: UnitGroup
    detail: dict[str, Any]
    source: str
    survey: bool = True
    """Whether the unit was surveyed (its survey points are a number to show)."""
    leader_rating: str = ""
    parent_name: str = ""


@dataclass
class HistoryGroup:
    group: UnitGroup
    source: str
    rows: list[HistoryRow] = field(default_factory=list)
    stats: dict[str, Any] | None = None
    fields: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    points_places: int | None = None
    index_places: int | None = None
    survey_max: Decimal | None = None
    classified: bool | None = None
    criteria_name: str = ""
    document: dict[str, Any] | None = None
    class_order: list[str] | None = None
    kind: str = "table"
    """``evaluation`` (scored by the engine here: numbers, places and ranks are final),
    ``results`` (a parindex-results/1 document) or ``table``."""
