"""The streaming writer gives exactly the bytes of ``evaljson.dumps(document) + "\\n"``."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from parindex.engine.evaljson import dumps
from parindex.results import json_stream
from parindex.results.json_stream import write_document

CHARS = [chr(c) for c in [*range(0x00, 0x80), 0xA0, 0x1EA1, 0x2028, 0x2029, 0xFEFF, 0x1F600]]


def written(document: dict[str, Any]) -> bytes:
    parts: list[bytes] = []
    write_document(document, parts.append)
    return b"".join(parts)


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(8 if depth < 3 else 5)
    if kind == 0:
        return "".join(rng.choice(CHARS) for _ in range(rng.randrange(6)))
    if kind == 1:
        return rng.randint(-(2**63), 2**63 - 1)
    if kind == 2:
        return rng.choice([None, True, False])
    if kind == 3:
        return Decimal(rng.randint(-(10**6), 10**6)).scaleb(-rng.randrange(4))
    if kind == 4:
        return "Hoàn thành xuất sắc"
    if kind == 5:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {
        "".join(rng.choice(CHARS) for _ in range(3)): random_value(rng, depth + 1)
        for _ in range(rng.randrange(4))
    }


@pytest.mark.parametrize("seed", range(40))
def test_random_documents_match_the_standard_encoder(seed: int) -> None:
    rng = random.Random(seed)
    lists = {f"k{i}": [random_value(rng) for _ in range(rng.randrange(5))] for i in range(4)}
    expected = (dumps(lists) + "\n").encode()
    streamed = {
        key: iter(value) if i % 2 else value for i, (key, value) in enumerate(lists.items())
    }
    assert written(streamed) == expected


def test_empty_documents_and_arrays() -> None:
    assert written({}) == (dumps({}) + "\n").encode()
    assert (
        written({"units": iter([]), "warnings": []})
        == (dumps({"units": [], "warnings": []}) + "\n").encode()
    )


def test_what_orjson_refuses_goes_through_the_standard_encoder() -> None:
    document = {"big": [2**70, {"n": -(2**65)}], "units": iter([{"rank": 10**30}])}
    expected = dumps({"big": [2**70, {"n": -(2**65)}], "units": [{"rank": 10**30}]}) + "\n"
    assert written(document) == expected.encode()


def test_output_is_written_in_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(json_stream, "CHUNK_BYTES", 64)
    parts: list[bytes] = []
    units = [{"unit": f"DV{i}", "name": "Đơn vị", "points": Decimal("1.50")} for i in range(50)]
    write_document({"format": "x", "units": iter(units)}, parts.append)
    assert len(parts) > 10
    assert b"".join(parts) == (dumps({"format": "x", "units": units}) + "\n").encode()


def test_an_unknown_type_is_refused_as_before() -> None:
    with pytest.raises(TypeError):
        written({"x": [object()]})
