"""The quick decoding of an evaluation file: orjson, accepted only when it gives exactly
what :func:`parindex.engine.evaljson.load_json`'s standard-library path would give.

orjson differs from that path in three ways, each detected here; when one may apply,
:func:`quick_loads` returns :data:`DOUBT` and the caller decodes again with the standard
library (so every message stays the same):

* **Floats.** orjson gives a ``float`` for a number with a fraction or an exponent, and for
  an integer beyond 64 bits; the file wants an exact ``Decimal``. Found in orjson's own
  compact re-encoding of the document: with digits and ``-`` deleted and ``,``/``[``
  turned into ``:``, a number is ``:`` followed by ``.`` or ``e`` exactly when it is a
  float (orjson writes every float with one of them, every int with neither). A string
  holding such text (``"a:1.5"``) also matches: only a needless second decoding.
* **Duplicate keys.** orjson keeps the last value silently. A JSON text has one ``:``
  outside strings per member, and none anywhere else; inside strings a colon is either
  itself or the escape ``\\u003a``. Refusing texts with that escape, the text's colons
  are the members plus the colons of its strings; the re-encoding's colons are the
  members kept plus the colons of the strings kept (orjson never escapes a colon). They
  are equal exactly when no member was dropped.
* **Everything else** orjson refuses (NaN, lone surrogates, a byte order mark, invalid
  UTF-8, deep nesting): its error, and the standard library says what it says.

Integers: those orjson keeps as ints have at most 20 digits, so the quick path serves
only callers whose digit limit is at least :data:`QUICK_MIN_INTEGER_DIGITS`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final

import orjson

QUICK_MIN_INTEGER_DIGITS = 20
"""Digits of the longest integer orjson returns as an int (2**64 - 1)."""

DOUBT: Final = object()
"""What :func:`quick_loads` returns when the standard-library path must decode."""

SLICE = 20_000
"""Elements of a long top-level array re-encoded at a time (about 1 MB of text)."""

_MARKS = bytes.maketrans(b",[", b"::")
_NUMBER_BODY = b"0123456789-"


def quick_loads(text: str | bytes) -> Any:
    """The decoded document, or :data:`DOUBT`."""
    if type(text) is bytes:
        if b"\\u003a" in text or b"\\u003A" in text:
            return DOUBT
        colons_in_text = text.count(b":")
    elif type(text) is str:
        if "\\u003a" in text or "\\u003A" in text:
            return DOUBT
        colons_in_text = text.count(":")
    else:
        return DOUBT
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError:
        return DOUBT
    try:
        colons = 0
        for piece in _encoded_pieces(document):
            colons += piece.count(b":")
            marks = (b":" + piece).translate(_MARKS, _NUMBER_BODY)
            if b":." in marks or b":e" in marks:
                return DOUBT
    except orjson.JSONEncodeError:  # e.g. nesting deeper than orjson writes
        return DOUBT
    if colons != colons_in_text:
        return DOUBT
    return document


def _encoded_pieces(document: Any) -> Iterator[bytes]:
    """``document`` in orjson's compact encoding, in pieces that are each a whole JSON
    value (or a single ``:``), long top-level arrays a slice at a time."""
    if type(document) is not dict:
        yield orjson.dumps(document)
        return
    for key, value in document.items():
        yield orjson.dumps(key)
        yield b":"
        if type(value) is list and len(value) > SLICE:
            for start in range(0, len(value), SLICE):
                yield orjson.dumps(value[start : start + SLICE])
        else:
            yield orjson.dumps(value)
