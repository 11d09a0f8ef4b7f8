"""The fictional province of the demo: Tỉnh Minh Hà (dữ liệu mẫu).

20 sở, ban, ngành (3 without administrative procedures), 8 huyện, thị xã, thành phố with
invented names, and 60 xã, phường, thị trấn under them.
"""

from __future__ import annotations

from parindex.core.text import fold
from parindex.tools.demo import tables

PROVINCE_CODE = "MINH-HA"
PROVINCE_NAME = "Tỉnh Minh Hà (dữ liệu mẫu)"
PREFIX = "MH"

GROUP_DEPARTMENTS = ("mh-so-ban-nganh", "Sở, ban, ngành")
GROUP_DISTRICTS = ("mh-ubnd-cap-huyen", "UBND cấp huyện")
GROUP_COMMUNES = ("mh-ubnd-cap-xa", "UBND cấp xã")

HOME_AFFAIRS_CODE = "MH-SNV"
"""Sở Nội vụ: the unit of the demo's administrators (it runs the assessment)."""

_TABLES = tables.load("units")

DEPARTMENTS: list[tuple[str, str, bool]] = [
    (row["code"], row["name"], row["has_procedures"]) for row in _TABLES["departments"]
]
"""(code suffix, name, has administrative procedures), from ``data/units.json``."""

DISTRICTS: list[tuple[str, str, list[tuple[str, str]]]] = [
    (row["kind"], row["name"], [(c["kind"], c["name"]) for c in row["communes"]])
    for row in _TABLES["districts"]
]
"""(kind, place name, communes as (kind, place name)), from ``data/units.json``; kind:
"tp", "tx", "h" / "p", "x", "tt"."""

DISTRICT_KIND = {"tp": "thành phố", "tx": "thị xã", "h": "huyện"}
COMMUNE_KIND = {"p": "phường", "x": "xã", "tt": "thị trấn"}


def slug(text: str) -> str:
    """ "Đông Lĩnh" → "DONGLINH" (for unit codes)."""
    return "".join(fold(text).split()).upper()


def district_code(kind: str, name: str) -> str:
    return f"{PREFIX}-{kind.upper()}-{slug(name)}"


def commune_code(district: str, kind: str, name: str) -> str:
    return f"{district}-{kind.upper()}-{slug(name)}"
