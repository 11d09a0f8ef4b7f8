"""The quick pass over ``scores[]`` stores what the full check stores, and hands every entry
it is not sure of to the full check (so the messages are the full check's)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import pytest

from parindex.engine.bench import generate
from parindex.engine.errors import InputError
from parindex.engine.evalfast import scores_fast
from parindex.engine.evalfile import input_document, load_json, parse
from parindex.engine.evalread import EvaluationReader
from parindex.engine.evalwrite import value_document
from parindex.engine.model import Ratio


class SlowList(list):  # type: ignore[type-arg]
    """A list the quick pass does not take (it takes exactly ``list``): the full check."""


def national_like(units: int = 60) -> dict[str, Any]:
    data = generate(units=units, leaves=30, seed=3)
    document = input_document(data)
    assert any(e.get("not_applicable") for e in document["scores"])
    return document


def both(document: dict[str, Any]) -> tuple[Any, Any]:
    """parse() with the quick pass, and with the full check only."""
    slow = copy.deepcopy(document)
    slow["scores"] = SlowList(slow["scores"])
    return parse(document), parse(slow)


def test_the_quick_pass_gives_the_full_checks_input() -> None:
    document = national_like()
    fast, slow = both(document)
    assert fast.scores == slow.scores
    assert list(fast.scores) == list(slow.scores)
    assert all(list(fast.scores[u]) == list(slow.scores[u]) for u in slow.scores)
    assert fast.not_applicable == slow.not_applicable
    kinds = {type(v) for entries in fast.scores.values() for v in entries.values()}
    assert kinds == {Decimal, bool, Ratio}


def test_the_quick_pass_takes_json_numbers_and_whitespace_like_the_full_check() -> None:
    document = national_like(5)
    for entry in document["scores"]:
        value = entry.get("value")
        if isinstance(value, dict):
            entry["value"] = {"numerator": int(value["numerator"]), "denominator": 1000}
            entry["value"]["numerator"] = min(entry["value"]["numerator"], 1000)
        elif isinstance(value, str):
            entry["value"] = value + "\n"
    fast, slow = both(load_json(json.dumps(document)))
    assert fast.scores == slow.scores


def entries(document: dict[str, Any]) -> list[dict[str, Any]]:
    scores: list[dict[str, Any]] = document["scores"]
    return scores


def first_with(document: dict[str, Any], kind: type) -> dict[str, Any]:
    return next(e for e in entries(document) if isinstance(e.get("value"), kind))


BREAKS = [
    ("unknown unit", lambda d: entries(d)[3].update(unit="NOPE")),
    ("unknown node", lambda d: entries(d)[3].update(code="9.9.9")),
    ("a parent", lambda d: entries(d)[3].update(code="1")),
    ("duplicate", lambda d: entries(d).append(dict(entries(d)[0]))),
    ("na with value", lambda d: entries(d)[0].update(not_applicable=True)),
    ("na not bool", lambda d: entries(d)[0].update(not_applicable="yes")),
    ("no value", lambda d: entries(d)[0].pop("value")),
    ("not an object", lambda d: d["scores"].insert(2, "x")),
    (
        "ratio above one",
        lambda d: first_with(d, dict).update(value={"numerator": "5", "denominator": "4"}),
    ),
    ("boolean as text", lambda d: first_with(d, bool).update(value="true")),
    ("number text", lambda d: first_with(d, str).update(value="một")),
    ("nan text", lambda d: first_with(d, str).update(value="NaN")),
    ("padded text", lambda d: first_with(d, str).update(value=" 1")),
]


@pytest.mark.parametrize(("case", "change"), BREAKS, ids=[b[0] for b in BREAKS])
def test_an_entry_the_quick_pass_is_not_sure_of_goes_to_the_full_check(
    case: str, change: Any
) -> None:
    document = national_like(5)
    change(document)
    reader = EvaluationReader()
    criteria = reader.criteria(document)
    assert criteria is not None
    known = {u["code"] for u in document["units"] if u.get("code") != "NOPE"}
    assert scores_fast(entries(document), reader._nodes, reader._leaf_codes, known) is None
    try:
        fast = parse(document)
    except InputError as exc:
        with pytest.raises(InputError) as slow_error:
            both_slow = copy.deepcopy(document)
            both_slow["scores"] = SlowList(both_slow["scores"])
            parse(both_slow)
        assert exc.problems == slow_error.value.problems
    else:
        slow = copy.deepcopy(document)
        slow["scores"] = SlowList(slow["scores"])
        assert fast.scores == parse(slow).scores


def test_a_duplicate_after_quick_entries_is_named_with_its_first_entry() -> None:
    document = national_like(5)
    entries(document).append(dict(entries(document)[7]))
    with pytest.raises(InputError) as error:
        parse(document)
    where = len(entries(document)) - 1
    assert any(
        p.startswith(f"scores[{where}] ") and "đã có ở scores[7]" in p for p in error.value.problems
    )


def test_values_keep_their_exact_digits() -> None:
    document = national_like(5)
    entry = first_with(document, str)
    fast, _ = both(document)
    assert value_document(fast.scores[entry["unit"]][entry["code"]]) == entry["value"]
