"""How the documents name agencies and places (Decree 30's header block and date line)."""

from __future__ import annotations

import re

from parindex.organizations.models import Level, Unit

_AGENCY = re.compile(r"^(ủy ban nhân dân|uỷ ban nhân dân|ubnd)\s+", re.IGNORECASE)
_LEVEL = re.compile(
    r"^(tỉnh|thành phố|thị xã|huyện|quận|xã|phường|thị trấn|đặc khu)\s+", re.IGNORECASE
)
_NOTE = re.compile(r"\s*\([^)]*\)\s*$")


def place_name(name: str) -> str:
    """ "UBND tỉnh Hà Nam" → "Hà Nam"; "Xã Ngọc Sơn" → "Ngọc Sơn"; a note in brackets at
    the end ("(dữ liệu mẫu)") is dropped."""
    stripped = _LEVEL.sub("", _AGENCY.sub("", _NOTE.sub("", name.strip())))
    return stripped or name.strip()


def committee_name(unit: Unit) -> str:
    """The people's committee of a territorial unit: "Tỉnh Hà Nam" → "UBND tỉnh Hà Nam";
    a name that already is an agency ("UBND …", "Sở …") is kept."""
    name = _NOTE.sub("", unit.name.strip())
    if _AGENCY.match(name) or not _LEVEL.match(name):
        return name
    return f"UBND {name[0].lower()}{name[1:]}"


def home_affairs(jurisdiction: Unit) -> str:
    """The office that runs the index for a jurisdiction: Sở Nội vụ of a province, Phòng
    Nội vụ of a district."""
    return "Sở Nội vụ" if jurisdiction.level == Level.PROVINCE else "Phòng Nội vụ"


def council_name(jurisdiction: Unit) -> str:
    return f"Hội đồng thẩm định Chỉ số CCHC {place_name(jurisdiction.name)}"


def agency_code(name: str) -> str:
    """The issuing agency's part of a document number: UBND, SNV, HĐTĐ …"""
    lowered = name.lower()
    if lowered.startswith(("ubnd", "ủy ban", "uỷ ban")):
        return "UBND"
    if lowered.startswith("sở nội vụ"):
        return "SNV"
    if lowered.startswith("phòng nội vụ"):
        return "PNV"
    if lowered.startswith("hội đồng"):
        return "HĐTĐ"
    initials = "".join(word[0] for word in name.split() if word[:1].isalpha())
    return initials.upper()[:8] or "…"
