"""Writing a JSON document piece by piece, byte for byte what
``parindex.engine.evaljson.dumps(document) + "\\n"`` gives (``json.dumps`` with
``ensure_ascii=False, indent=2`` and decimals as strings), at orjson's speed.

A value of the top-level object that is an iterator (a generator, not a list) is written
as an array one element at a time, so a national results document (13,000 units, 190 MB)
is never held whole, neither as Python objects nor as text.

orjson's ``OPT_INDENT_2`` output is the standard library's for the values these documents
hold (strings, ints, None, booleans, lists, dicts, ``Decimal`` through ``default``):
two-space indent, ``", "``-free item separators at line ends, ``": "`` after keys, text
left unescaped except ``"``, ``\\`` and control characters (``\\u001f``). An element
nested one level deeper is orjson's text with every line break followed by two more
spaces: a JSON string never holds a raw line break. A ``nodes`` value that is a
:class:`~parindex.engine.evalresults.NodeEntries` is written from a text pattern per
layout (see :meth:`_Encoder.nodes`), not from 1.7 million dicts. Anything orjson refuses (an integer
beyond 64 bits, a lone surrogate) goes through ``json.dumps``, which then behaves as
before.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from itertools import repeat
from operator import is_, itemgetter
from typing import Any

import orjson

from parindex.engine.evaljson import _json_default
from parindex.engine.evalresults import DecimalText, NodeEntries
from parindex.engine.model import NodeLayout

CHUNK_BYTES = 1 << 20
"""Pieces are collected up to about this size before each write."""


Write = Callable[[bytes], Any]
MEMO_LIMIT = 200_000
"""Encoded number texts remembered."""
_NONES = repeat(None)


def write_document(document: Mapping[str, Any], write: Write) -> None:
    """Write ``document`` and a final line break with ``write`` (e.g. a binary stream's
    ``write``), in pieces of about :data:`CHUNK_BYTES`."""
    if not document:
        write(b"{}\n")
        return
    out = _Chunks(write)
    dump = _Encoder().dump
    separator = b"{\n  "
    for key, value in document.items():
        out.add(separator + dump(key, 0) + b": ")
        separator = b",\n  "
        if isinstance(value, Iterator):
            _write_array(value, 1, out, dump)
        else:
            out.add(dump(value, 1))
    out.add(b"\n}\n")
    out.flush()


def _write_array(
    items: Iterator[Any], level: int, out: _Chunks, dump: Callable[[Any, int], bytes]
) -> None:
    inner = b"\n" + b"  " * (level + 1)
    opening = b"[" + inner
    separator = b"," + inner
    empty = True
    for item in items:
        out.add((opening if empty else separator) + dump(item, level + 1))
        empty = False
    out.add(b"[]" if empty else b"\n" + b"  " * level + b"]")


class _Encoder:
    """The encoding of one document: orjson, with ``Decimal`` as its ``"f"`` text and each
    :class:`NodeEntries` as already-encoded text (:meth:`nodes`)."""

    def __init__(self) -> None:
        self._layouts: dict[tuple[int, int], tuple[NodeLayout, Any, bytes]] = {}
        self._text: _Texts | None = None

    def dump(self, value: Any, level: int) -> bytes:
        """``value`` as the standard encoder writes it ``level`` levels deep (its first
        line not indented: the caller has written the indent)."""
        try:
            text = orjson.dumps(value, default=self._default, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:
            text = json.dumps(value, ensure_ascii=False, indent=2, default=_json_fallback).encode()
        return text.replace(b"\n", b"\n" + b"  " * level) if level else text

    def _default(self, value: object) -> object:
        if isinstance(value, Decimal):
            return format(value, "f")
        if isinstance(value, NodeEntries):
            return self.nodes(value)
        raise TypeError

    def nodes(self, entries: NodeEntries) -> orjson.Fragment:
        """``entries.documents()`` as orjson writes it at ``entries.depth``: a ``%``
        pattern per layout, depth and shown slots (a national document has 1.7 million
        entries and a handful of patterns) filled with the numbers' texts, without a dict
        per entry. A number's text (``format(Decimal, "f")``: digits, ``-``, ``.``) never
        needs escaping in a JSON string."""
        layout, depth = entries.layout, entries.depth
        known = self._layouts.get((id(layout), depth))
        if known is None or known[0] is not layout:
            getter = itemgetter(*layout.display) if len(layout.display) > 1 else None
            pattern = _pattern(layout, layout.display, depth)
            known = self._layouts[id(layout), depth] = (layout, getter, pattern)
        _layout, getter, pattern = known
        if getter is None:  # zero or one node: the general path
            return self._fill(entries)
        values, maxima = getter(entries.node_points), getter(entries.node_max)
        # not `None in values`: comparing a Decimal with None costs two ABC checks
        if any(map(is_, values, _NONES)) or any(map(is_, maxima, _NONES)):
            return self._fill(entries)
        text = self._texts(entries).__getitem__
        numbers: list[bytes | None] = [None] * (2 * len(values))
        numbers[0::2], numbers[1::2] = list(map(text, values)), list(map(text, maxima))
        return orjson.Fragment(pattern % tuple(numbers))

    def _texts(self, entries: NodeEntries) -> _Texts:
        if self._text is None or self._text.points is not entries.points:
            self._text = _Texts(entries.points)
        return self._text

    def _fill(self, entries: NodeEntries) -> orjson.Fragment:
        """The general path: the slots shown and their pattern found for this unit."""
        text = self._texts(entries).__getitem__
        shown: list[int] = []
        numbers: list[bytes] = []
        for slot in entries.layout.display:
            value, max_ = entries.node_points[slot], entries.node_max[slot]
            if value is not None and max_ is not None:
                shown.append(slot)
                numbers += (text(value), text(max_))
        return orjson.Fragment(_pattern(entries.layout, shown, entries.depth) % tuple(numbers))


class _Texts(dict[Decimal, bytes]):
    """``points[value]`` encoded, as a memo (the texts are a few thousand)."""

    def __init__(self, points: DecimalText) -> None:
        super().__init__()
        self.points = points

    def __missing__(self, value: Decimal) -> bytes:
        text = self.points[value].encode()
        if len(self) < MEMO_LIMIT:
            self[value] = text
        return text


def _pattern(layout: NodeLayout, shown: Sequence[int], depth: int) -> bytes:
    """``nodes[]`` of the ``shown`` slots as a ``%`` pattern (points, then max, per entry)
    indented as orjson's ``OPT_INDENT_2`` writes it ``depth`` objects deep."""
    if not shown:
        return b"[]"
    outer, inner = b"\n" + b"  " * (depth + 1), b"\n" + b"  " * (depth + 2)
    entries = [
        b'{%s"code": %s,%s"points": "%%s",%s"max": "%%s"%s}'
        % (inner, orjson.dumps(layout.codes[slot]).replace(b"%", b"%%"), inner, inner, outer)
        for slot in shown
    ]
    return b"[" + outer + (b"," + outer).join(entries) + b"\n" + b"  " * depth + b"]"


def _json_fallback(value: object) -> object:
    if isinstance(value, NodeEntries):
        return value.documents()
    return _json_default(value)


class _Chunks:
    def __init__(self, write: Write) -> None:
        self._write = write
        self._parts: list[bytes] = []
        self._size = 0

    def add(self, part: bytes) -> None:
        self._parts.append(part)
        self._size += len(part)
        if self._size >= CHUNK_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._parts:
            self._write(b"".join(self._parts))
            self._parts, self._size = [], 0
