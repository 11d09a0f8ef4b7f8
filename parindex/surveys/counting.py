"""Counting a period's forms in the database for the survey computation
(:mod:`parindex.surveys.scoring`): one grouped query returns, per unit and validity, the
number of forms and for each question the number of answers of each value, instead of every
form's answers. The engine (:func:`parindex.engine.survey.compute`, ``counted``) then scores the
counts with the same exact arithmetic as it scores forms; rates, means and points are never
computed in SQL.

What makes a form valid is the engine's rule: at least
:func:`~parindex.engine.survey.answers_needed` answers that are not blank. Whatever the engine
would refuse on a form — a question not in the questionnaire, a value that is not an integer
of the scale — shows in the counts (an answer outside every value's count, an unexpected
key); :func:`count_forms` then returns None and the caller reads those forms one by one
through the engine, which names the form at fault exactly as before.

PostgreSQL takes each question's answer once (``answers -> code``, as JSON text) and counts
with ``FILTER`` (the same grouping over ``jsonb_each`` took ten times longer); comparing
texts, ``3.0`` or ``"3"`` is no ``3`` and goes to the engine, as before. SQLite, the small
deployments' database, goes through ``json_each`` and checks the JSON type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, transaction

from parindex.engine import survey as engine_survey
from parindex.surveys.models import SurveyResponse


def count_forms(
    period_id: int, unit_ids: Sequence[int], config: engine_survey.SurveyConfig
) -> list[engine_survey.UnitCounts] | None:
    """The counted forms of the period's ``unit_ids`` (units keyed by ``str(unit_id)``, as
    the computation keys them), or None when a form needs the engine's closer look (see the
    module docstring)."""
    if not unit_ids:
        return []
    if connection.vendor == "postgresql":
        return _postgresql(period_id, unit_ids, config)
    return _json_each(period_id, unit_ids, config)


# --------------------------------------------------------------------------- PostgreSQL


def _postgresql_sql(codes: Sequence[str], low: int, high: int) -> str:
    """The grouped query; its parameters: the answers a valid form needs, the question
    codes (an array), each code again (one extraction each), the period.

    Each answer is taken out of the jsonb once, as its JSON text (``3``, ``null``, ``"3"``;
    ``OFFSET 0`` keeps the planner from repeating the extraction in every aggregate), and
    counted by comparing texts: three times faster than comparing jsonb values."""
    table = SurveyResponse._meta.db_table
    n = len(codes)
    extract = ", ".join(f"(answers -> %s)::text AS q{i}" for i in range(n))
    answered = " + ".join(f"(CASE WHEN q{i} <> 'null' THEN 1 ELSE 0 END)" for i in range(n))
    counts: list[str] = []
    for i in range(n):
        counts.append(f"count(*) FILTER (WHERE q{i} <> 'null')")
        counts.extend(f"count(*) FILTER (WHERE q{i} = '{v:d}')" for v in range(low, high + 1))
    # Only our own names and integers go into the text; the codes are parameters.
    grouped = ", ".join(counts)
    return (
        f"SELECT unit_id, valid, count(*), count(*) FILTER (WHERE extra), {grouped} "  # noqa: S608
        f"FROM (SELECT r.*, ({answered}) >= %s AS valid "
        f"FROM (SELECT unit_id, answers - %s::text[] <> '{{}}'::jsonb AS extra, {extract} "
        f"FROM {table} WHERE period_id = %s OFFSET 0) r) s "
        "GROUP BY unit_id, valid"
    )


def _postgresql(
    period_id: int, unit_ids: Sequence[int], config: engine_survey.SurveyConfig
) -> list[engine_survey.UnitCounts] | None:
    codes = list(config.questions)
    low, high = config.scale_min, config.scale_max
    width = high - low + 1
    needed = engine_survey.answers_needed(config)
    sql = _postgresql_sql(codes, low, high)
    with transaction.atomic(), connection.cursor() as cursor:
        # Dozens of aggregates over a million rows: compiling them (JIT) costs seconds;
        # tens of thousands of groups stay in memory.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute("SET LOCAL work_mem = '64MB'")
        # The planner prices the few thousand result rows as too dear to pass between
        # processes and scans alone; read by two workers as well, the national benchmark's
        # query takes 6.8 s instead of 12.0 s (docs/performance.md, "Survey").
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 2")
        cursor.execute("SET LOCAL parallel_setup_cost = 0")
        cursor.execute("SET LOCAL parallel_tuple_cost = 0")
        cursor.execute(sql, [needed, codes, *codes, period_id])
        rows = cursor.fetchall()
    wanted = set(unit_ids)  # the whole period is counted: a list of units to match is slower
    counted: list[engine_survey.UnitCounts] = []
    for unit_id, valid, forms, extra, *columns in rows:
        if unit_id not in wanted:
            continue
        if extra:
            return None
        answers: dict[str, list[int]] = {}
        for i, code in enumerate(codes):
            answered, *histogram = columns[i * (width + 1) : (i + 1) * (width + 1)]
            if answered != sum(histogram):
                return None  # a value that is not an integer of the scale
            if valid:
                answers[code] = histogram
        counted.append(_unit_counts(unit_id, valid, forms, answers))
    return counted


def _unit_counts(
    unit_id: int, valid: Any, forms: int, answers: dict[str, list[int]]
) -> engine_survey.UnitCounts:
    return engine_survey.UnitCounts(
        unit=str(unit_id),
        valid_forms=forms if valid else 0,
        invalid_forms=0 if valid else forms,
        answers=answers,
    )


# --------------------------------------------------------------------------- SQLite


def _json_each(
    period_id: int, unit_ids: Sequence[int], config: engine_survey.SurveyConfig
) -> list[engine_survey.UnitCounts] | None:
    """SQLite's grouping: forms per unit and validity, answers per unit, validity,
    question, JSON type and value (then folded into the engine's counts here)."""
    table = SurveyResponse._meta.db_table
    forms_sql = (
        "SELECT id, unit_id, answers, (SELECT count(*) FROM json_each(answers) "  # noqa: S608
        "WHERE type <> 'null') >= %s AS valid "
        f"FROM {table} WHERE period_id = %s"
    )
    needed = engine_survey.answers_needed(config)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT unit_id, valid, count(*) FROM ({forms_sql}) GROUP BY unit_id, valid",  # noqa: S608
            [needed, period_id],
        )
        form_rows = cursor.fetchall()
        cursor.execute(
            "SELECT f.unit_id, f.valid, e.key, e.type, e.atom, count(*) "  # noqa: S608
            f"FROM ({forms_sql}) f, json_each(f.answers) e "
            "GROUP BY f.unit_id, f.valid, e.key, e.type, e.atom",
            [needed, period_id],
        )
        answer_rows = cursor.fetchall()
    wanted = set(unit_ids)
    low, high = config.scale_min, config.scale_max
    known = set(config.questions)
    histograms: dict[int, dict[str, list[int]]] = {}
    for unit_id, valid, key, kind, atom, count in answer_rows:
        if unit_id not in wanted:
            continue
        if key not in known:
            return None  # even blank: the engine refuses a question it does not know
        if kind == "null":
            continue
        if kind != "integer" or not low <= atom <= high:
            return None
        if valid:
            answers = histograms.setdefault(unit_id, {})
            answers.setdefault(key, [0] * (high - low + 1))[atom - low] += count
    return [
        _unit_counts(unit_id, valid, forms, histograms.get(unit_id, {}) if valid else {})
        for unit_id, valid, forms in form_rows
        if unit_id in wanted
    ]
