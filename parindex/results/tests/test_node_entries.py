"""``nodes[]`` written from patterns (``lazy_results_document(..., node_entries=True)``)
gives the same bytes as the dicts ``results_document`` builds."""

from __future__ import annotations

from typing import Any

import pytest

from parindex.engine import Results, evaluate
from parindex.engine.bench import generate
from parindex.engine.evalfile import dumps, results_document
from parindex.engine.evalresults import NodeEntries, lazy_results_document
from parindex.engine.tests.builders import doc, leaf_doc, run
from parindex.engine.tests.test_self_assessment import document as self_assessed
from parindex.results.json_stream import write_document


def both(results: Results) -> tuple[bytes, bytes]:
    parts: list[bytes] = []
    write_document(lazy_results_document(results, node_entries=True), parts.append)
    return b"".join(parts), (dumps(results_document(results)) + "\n").encode()


def odd_codes() -> dict[str, Any]:
    """Codes a ``%`` pattern or a JSON string must escape, and a not-applicable branch."""
    nodes = [
        {"code": '1"%s', "name": "Lĩnh vực", "max": "10"},
        {"code": "1.1%", "parent": '1"%s', "name": "Lá", "max": "4"},
        {"code": "1.2\\é", "parent": '1"%s', "name": "Lá", "max": "6"},
        {"code": "2", "name": "Lĩnh vực 2", "max": "5"},
        {"code": "2.1", "parent": "2", "name": "Lá", "max": "5"},
    ]
    units = [{"code": c, "name": c, "group": "G"} for c in ("U1", "U2")]
    scores: list[dict[str, Any]] = [
        {"unit": "U1", "code": "1.1%", "value": "3.5"},
        {"unit": "U1", "code": "1.2\\é", "value": "6"},
        {"unit": "U1", "code": "2.1", "value": "1"},
        {"unit": "U2", "code": "1.1%", "value": "4"},
        {"unit": "U2", "code": "1.2\\é", "not_applicable": True},
        {"unit": "U2", "code": "2", "not_applicable": True},
    ]
    return doc(nodes, scores, units=units)


@pytest.mark.parametrize(
    "document",
    [odd_codes(), self_assessed(), leaf_doc(None, "5", "2.5")],
    ids=["odd-codes", "self-assessed", "one-leaf"],
)
def test_patterns_give_the_documents_bytes(document: dict[str, Any]) -> None:
    written, expected = both(run(document))
    assert written == expected


def test_a_generated_period_gives_the_documents_bytes() -> None:
    written, expected = both(evaluate(generate(units=150, leaves=40, seed=11)))
    assert b'"nodes": [\n' in written
    assert written == expected


def test_the_unit_entries_carry_node_entries_only_when_asked() -> None:
    results = run(odd_codes())
    lazy = next(lazy_results_document(results, node_entries=True)["units"])
    assert isinstance(lazy["nodes"], NodeEntries)
    assert lazy["nodes"].documents() == results_document(results)["units"][0]["nodes"]
    assert isinstance(next(lazy_results_document(results)["units"])["nodes"], list)
