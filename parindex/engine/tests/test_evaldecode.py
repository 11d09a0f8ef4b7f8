"""The quick decoding (orjson) gives exactly the standard-library path's document or
message, and steps aside whenever orjson would differ (floats, repeated keys, big ints)."""

from __future__ import annotations

import random
from decimal import Decimal
from typing import Any

import pytest

from parindex.engine.errors import InputError
from parindex.engine.evaldecode import DOUBT, quick_loads
from parindex.engine.evaljson import _load_with_stdlib, load_json

TOKENS = [
    *"{}[],: \n\t\r\x0c",
    '"a"', '"b"', '"a:b"', '":"', '"\\u003a"', '"\\u003A"', '"\\""', '"\\\\"', '"\\\\":',
    "1", "-1", "0", "-0", "01", "1.5", "-1.5", "1e5", "1E5", "1.", ".5", "+1", "true",
    "false", "null", "NaN", "Infinity", "-Infinity", '"\\ud800"', '"\\ud83d\\ude00"',
    '"\x01"', '"é"', "18446744073709551615", "18446744073709551616",
    "-9223372036854775809", "1" * 25, "1" * 31, '"x,1.5"', '"a:e"', "[1e300]", "\ufeff",
    "\u00a0", '"\\u0000"', "[-0.0]", "tru", '"',
]  # fmt: skip
SCALARS = ["1", "-1", "-0", "1.5", "1e5", "true", "null", '"a"', '"a:b"', '"\\u003a"',
           '"x,1.5"', "18446744073709551616", '"é"', '"\\""']  # fmt: skip
KEYS = ['"a"', '"b"', '"c:"', '"\\u003a"', '"é"']


def outcome(decode: Any, text: str | bytes) -> tuple[str, Any]:
    try:
        return "document", repr(decode(text))  # repr tells 1, True, 1.0 and Decimal apart
    except InputError as exc:
        return "refused", exc.problems
    except Exception as exc:  # noqa: BLE001 - e.g. Decimal's InvalidOperation for 1e5111…
        return type(exc).__name__, str(exc)


def structure(rng: random.Random, depth: int = 0) -> str:
    kind = rng.random()
    if depth > 3 or kind < 0.3:
        return rng.choice(SCALARS)
    if kind < 0.6:
        return "[" + ",".join(structure(rng, depth + 1) for _ in range(rng.randrange(4))) + "]"
    members = (f"{rng.choice(KEYS)}:{structure(rng, depth + 1)}" for _ in range(rng.randrange(4)))
    return "{" + ",".join(members) + "}"


@pytest.mark.parametrize("seed", range(4))
def test_random_texts_decode_as_the_standard_library_decodes_them(seed: int) -> None:
    rng = random.Random(seed)
    quick = 0
    for i in range(3000):
        if i % 2:
            text = "".join(rng.choice(TOKENS) for _ in range(rng.randint(1, 12)))
        else:
            text = structure(rng)
        for given in (text, text.encode("utf-8", "surrogatepass")):
            assert outcome(load_json, given) == outcome(
                lambda t: _load_with_stdlib(t, 30), given
            ), given
            quick += quick_loads(given) is not DOUBT
    assert quick > 1000  # the quick path really served many of them


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": 1, "a": 1}',
        b'{"a": {"x:": "y:z"}, "a": 2}',
        b'[{"b": [1, {"c": 1, "c": 2}]}]',
        b'{"a": 1.5}',
        b'{"a": [-1e5]}',
        b"[18446744073709551616]",
        b'{"a": "\\u003a", "a": 1, "b:": 2}',
        b"NaN",
        b"\xef\xbb\xbf{}",
        b'"\\ud800"',
        b"[" * 300 + b"]" * 300,
    ],
)
def test_what_orjson_would_read_differently_goes_to_the_standard_library(text: bytes) -> None:
    assert quick_loads(text) is DOUBT
    assert outcome(load_json, text) == outcome(lambda t: _load_with_stdlib(t, 30), text)


def test_a_repeated_key_is_still_refused_with_its_name() -> None:
    with pytest.raises(InputError) as caught:
        load_json(b'{"units": [{"code": "A", "code": "B"}]}')
    assert caught.value.problems == ["JSON không hợp lệ: khóa 'code' lặp lại trong một đối tượng"]


def test_colons_inside_strings_are_not_taken_for_members() -> None:
    text = b'{"name": "a: b, c:d", "list": ["x:", ":"], "n": 3}'
    assert quick_loads(text) == {"name": "a: b, c:d", "list": ["x:", ":"], "n": 3}


def test_floats_stay_exact_decimals() -> None:
    assert load_json(b'{"max": 0.1, "big": 1E+2}') == {
        "max": Decimal("0.1"),
        "big": Decimal("1E+2"),
    }


def test_a_long_integer_keeps_its_located_message() -> None:
    with pytest.raises(InputError) as caught:
        load_json(b'{\n  "a": ' + b"9" * 31 + b"\n}")
    assert caught.value.problems == [
        "JSON không hợp lệ (dòng 2, cột 8): số nguyên dài 31 chữ số, tối đa 30 chữ số "
        "(ghi số dạng chuỗi thập phân nếu cần)"
    ]


def test_a_digit_limit_under_20_is_applied_by_the_standard_library() -> None:
    with pytest.raises(InputError):
        load_json(b"[123456789012]", max_integer_digits=10)
    assert load_json(b"[1234567890]", max_integer_digits=10) == [1234567890]


@pytest.mark.parametrize("literal", ["1e5111111111111111111111111", "2.5e1001", "1E-1001"])
def test_a_number_with_a_huge_exponent_is_one_located_line(literal: str) -> None:
    with pytest.raises(InputError) as caught:
        load_json(f'{{"a": [{literal}]}}'.encode())
    (message,) = caught.value.problems
    assert "dòng 1, cột 8" in message
    assert "số mũ ngoài khoảng ±1000" in message


def test_an_ordinary_exponent_stays_exact() -> None:
    assert load_json(b'{"a": 1.25e2}') == {"a": Decimal("125")}
