"""Vietnamese number and date formatting: the one home that views, services, exports and
template tags import.

Numbers:
* ``format_vn`` is how results are shown: a comma as decimal mark and dots between thousands
  ("1.234,5", "95,39", "−0,50"); ``places`` pads with zeros, never drops a digit.
* ``vn_plain`` is how a criteria set writes a maximum or a threshold and how a typed value is
  shown back: a comma, no grouping, no needless zeros ("0,5", "1234,5"), so that it can be
  typed back into a form unchanged.

Dates and times are shown in the site's time zone (Asia/Ho_Chi_Minh):
* ``fmt_datetime``: "dd/mm/yyyy HH:MM", the form of deadlines in messages and notices;
* ``fmt_time``: "HH:MM dd/mm/yyyy", the form of "saved at" / "submitted at" lines;
* ``fmt_date``: "dd/mm/yyyy", the form of decision dates.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.utils import timezone

MINUS = "\u2212"
DASH = "—"


def plain_decimal(value: Decimal) -> str:
    """A decimal without exponent or needless trailing zeros, with a dot: "0.5", "12"."""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def vn_plain(value: Decimal | str | int) -> str:
    """A number the Vietnamese way as typed: 0,5 (decimal comma), no needless zeros."""
    return plain_decimal(Decimal(str(value))).replace(".", ",")


def vn_percent(fraction: Decimal | str) -> str:
    """A fraction as a percentage: 0.7 → "70%"."""
    return f"{vn_plain(Decimal(str(fraction)) * 100)}%"


def _group_thousands(whole: str) -> str:
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return ".".join(groups)


def format_vn(value: Any, places: Any = None) -> str:
    """``value`` with a comma as decimal mark and dots between thousands.

    ``places`` pads with zeros to at least that many decimals (8.5 → "8,50"); digits the
    value already has are never dropped. Empty is "—"; what is not a number is shown as is.
    """
    if value is None or value == "":
        return DASH
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    if not number.is_finite():
        return str(value)
    exponent = number.as_tuple().exponent
    have = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    want = max(have, int(places)) if places not in (None, "") else have
    text = format(number, f".{want}f")
    sign = ""
    if text.startswith("-"):
        sign, text = MINUS, text[1:]
        if set(text) <= {"0", "."}:
            sign = ""
    whole, _, fraction = text.partition(".")
    grouped = _group_thousands(whole)
    return sign + (f"{grouped},{fraction}" if fraction else grouped)


def fmt_datetime(value: datetime.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the site's time zone; "—" for none."""
    if value is None:
        return DASH
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")


def fmt_time(value: datetime.datetime | None) -> str:
    """HH:MM dd/mm/yyyy in the site's time zone; "—" for none."""
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else DASH


def fmt_date(value: datetime.date | None) -> str:
    """dd/mm/yyyy; empty for none (a cell or a field that has no date)."""
    return value.strftime("%d/%m/%Y") if value else ""


class Person(Protocol):
    def get_full_name(self) -> str: ...
    def get_username(self) -> str: ...


def person_name(user: Person | None, fallback: str = "người khác") -> str:
    """A person as the trail and the messages name them: full name, else user name."""
    return (user.get_full_name() or user.get_username()) if user is not None else fallback
