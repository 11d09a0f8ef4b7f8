"""Bounded input at the URL and API boundary: ``<id:…>`` for Django paths, ``MAX_ID`` and
``Text`` for the ninja operations (``parindex/*/api.py``).

The ``<id:…>`` path converter: a database id, else the URL does not match (404).

Django's ``<int:…>`` takes any number of digits, and an id past the 64-bit range reaches the
database as a parameter SQLite cannot bind (``OverflowError``) or PostgreSQL refuses
(``bigint out of range``): a 500 for a typo'd or hostile URL. ``<id:…>`` matches at most 19
digits and refuses values above ``MAX_ID`` (the largest ``BIGINT``), so such a URL is a 404
like any other unknown page.

Importing this module registers the converter (once per process; Django refuses a second
registration of the same name). Every ``urls.py`` that uses ``<id:…>`` imports it.
"""

from __future__ import annotations

from typing import Annotated

from django.urls import register_converter
from pydantic import StringConstraints

MAX_ID = 2**63 - 1
"""The largest value of a 64-bit signed integer column (``BigAutoField`` and friends)."""

Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]
"""An API string parameter or field: any text but the NUL character, which PostgreSQL can
neither store nor compare (a ``ValueError`` deep in the driver)."""


def parse_id(text: str) -> int | None:
    """``text`` as a non-negative 64-bit integer (an id, a version or page number from a
    query string), else None: never ``int()``'s ValueError on 5,000 digits or on "²"
    (which ``str.isdigit`` accepts), never a value the database cannot bind."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(f"id {value} is out of range")  # → the pattern does not match
        return number

    def to_url(self, value: int | str) -> str:
        number = int(value)
        if not 0 <= number <= MAX_ID:
            raise ValueError(f"id {value} is out of range")  # → NoReverseMatch
        return str(number)


register_converter(IdConverter, "id")
