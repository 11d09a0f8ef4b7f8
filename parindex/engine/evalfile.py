"""The evaluation file (``parindex-evaluation/1``) and the results document
(``parindex-results/1``): parsing with exact, located error messages, and writing.

Parsing never stops at the first problem: it collects one line per problem, each naming
where it is (a JSON path, plus unit and node codes), and raises :class:`InputError`.

This module is the public face of the format; its parts live in :mod:`~parindex.engine.evaljson`
(JSON text, decimals as strings), :mod:`~parindex.engine.evalcheck` (primitive checks),
:mod:`~parindex.engine.evalcriteria` (the criteria part), :mod:`~parindex.engine.evalread`
(a whole file), :mod:`~parindex.engine.evalwrite` (writing evaluation files) and
:mod:`~parindex.engine.evalresults` (the results document).
"""

from parindex.engine.evalcriteria import MAX_PLACES
from parindex.engine.evaljson import (
    INPUT_FORMAT,
    MAX_INTEGER_DIGITS,
    RESULTS_FORMAT,
    dumps,
    fmt,
    load_json,
    num,
)
from parindex.engine.evalread import loads, parse, parse_criteria, parse_previous_results
from parindex.engine.evalresults import group_document, results_document
from parindex.engine.evalwrite import (
    criteria_document,
    input_document,
    rule_document,
    value_document,
)
from parindex.engine.model import SURVEY

__all__ = [
    "INPUT_FORMAT",
    "MAX_INTEGER_DIGITS",
    "MAX_PLACES",
    "RESULTS_FORMAT",
    "SURVEY",
    "criteria_document",
    "dumps",
    "fmt",
    "group_document",
    "input_document",
    "load_json",
    "loads",
    "num",
    "parse",
    "parse_criteria",
    "parse_previous_results",
    "results_document",
    "rule_document",
    "value_document",
]
