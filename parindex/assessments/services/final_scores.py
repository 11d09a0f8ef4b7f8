"""Writes of assessments: a unit's final (appraised) scores in a period.

Every value is checked with the scoring engine's own rule check
(:func:`parindex.engine.rules.check_value`, through
:func:`parindex.assessments.values.value_problem`, which says the problem in plain
Vietnamese with a decimal comma), so whatever is stored can be scored, and is
stored as the evaluation file writes it (:func:`parindex.engine.evalfile.value_document`):
a decimal string, true/false, or ``{"numerator", "denominator"}`` strings.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments.models import Assessment, AssessmentStatus, ItemScore
from parindex.assessments.values import number_text, value_problem
from parindex.assessments.workflow import move
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import engine_criteria
from parindex.engine.evalfile import num, value_document
from parindex.engine.model import NOT_APPLICABLE, ZERO, Ratio, Rule, Value, _NotApplicable
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.periods.selectors import excluded_node_codes

MAX_PLACES = 4
"""Survey, bonus and penalty are stored with 4 decimal places; more would be rounded."""

InputValue = Decimal | int | bool | Ratio | _NotApplicable
"""A value passed in: an engine value (``int`` is taken as a whole number) or
:data:`parindex.engine.NOT_APPLICABLE`."""


@dataclass(frozen=True)
class FinalScores:
    """One unit's final scores, for :func:`final_scores_store_many`."""

    unit: Unit
    values: Mapping[str, InputValue]
    survey_points: Decimal | None = None
    survey_not_applicable: bool = False
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO


@dataclass
class _SetInfo:
    criteria: engine.CriteriaSet
    node_ids: dict[str, int]
    nodes: dict[str, engine.NodeDef]
    leaves: frozenset[str]
    ancestors: dict[str, tuple[str, ...]] = field(default_factory=dict)


def final_scores_store(
    *,
    period: Period,
    unit: Unit,
    values: Mapping[str, InputValue],
    survey_points: Decimal | None,
    survey_not_applicable: bool,
    bonus: Decimal = ZERO,
    penalty: Decimal = ZERO,
    actor: User | None,
) -> Assessment:
    """Store (replace) one unit's final scores in ``period``, all or nothing.

    ``values`` maps criterion codes to a value for a leaf, or ``NOT_APPLICABLE`` for any
    node (its whole subtree is then excluded). Raises :class:`ValidationError` with one
    Vietnamese message per problem, each naming the criterion code.
    """
    entry = FinalScores(
        unit=unit,
        values=values,
        survey_points=survey_points,
        survey_not_applicable=survey_not_applicable,
        bonus=bonus,
        penalty=penalty,
    )
    with transaction.atomic():
        previous = (
            Assessment.objects.filter(period=period, unit=unit)
            .values("survey_points", "survey_not_applicable", "bonus", "penalty")
            .first()
        )
        [assessment] = _store(period=period, entries=[entry], prefix=False)
        record(
            actor=actor,
            action="assessment.final_scores_stored",
            target=assessment,
            summary=f"Lưu điểm chính thức của {unit.name} ({period.name})",
            before=_jsonable(previous) if previous is not None else None,
            after={
                "survey_points": _num(survey_points),
                "survey_not_applicable": survey_not_applicable,
                "bonus": _num(bonus),
                "penalty": _num(penalty),
                "values": {code: _audit_value(value) for code, value in _coerced(values).items()},
            },
        )
    return assessment


def final_scores_store_many(
    *,
    period: Period,
    entries: Sequence[FinalScores],
    actor: User | None,
    summary: str = "",
    mark_final: bool = False,
) -> list[Assessment]:
    """Store the final scores of many units in one transaction (imports, the demo).

    Validates everything first; on any problem nothing is stored. Records one audit event
    for the period instead of one per unit. ``mark_final`` also gives the units' assessments
    the status "Đã có kết quả" (a past period's published results brought into the system,
    which had no season here).
    """
    with transaction.atomic():
        assessments = _store(period=period, entries=entries, prefix=True)
        if mark_final:
            move(assessments, AssessmentStatus.FINAL, actor=actor, reason="kết quả đã công bố")
        record(
            actor=actor,
            action="assessment.final_scores_bulk_stored",
            target=period,
            summary=summary or f"Lưu điểm chính thức của {len(entries)} đơn vị ({period.name})",
            after={
                "units": len(entries),
                "items": sum(len(e.values) for e in entries),
                "mark_final": mark_final,
            },
        )
    return assessments


def _store(*, period: Period, entries: Sequence[FinalScores], prefix: bool) -> list[Assessment]:
    locked = Period.objects.select_for_update().get(pk=period.pk)
    if locked.status == PeriodStatus.FINALISED:
        raise ValidationError(
            f"Kỳ đánh giá {locked.name} đã chốt kết quả; không thể thay đổi điểm."
        )
    bindings = {
        pg.group_id: pg.criteria_set
        for pg in PeriodGroup.objects.filter(period=period).select_related("criteria_set")
    }
    sets: dict[int, _SetInfo] = {}
    problems: list[str] = []
    rows: list[tuple[FinalScores, _SetInfo, dict[str, Any]]] = []
    seen_units: set[int] = set()
    for entry in entries:
        where = f"Đơn vị {entry.unit.code}, " if prefix else ""
        if entry.unit.pk in seen_units:
            problems.append(f"{where}điểm của đơn vị bị nhập trùng.")
            continue
        seen_units.add(entry.unit.pk)
        criteria_set = bindings.get(entry.unit.group_id) if entry.unit.group_id else None
        if criteria_set is None:
            problems.append(
                f"Đơn vị {entry.unit.name} ({entry.unit.code}) không thuộc nhóm đơn vị nào "
                f"của kỳ đánh giá {period.name}."
            )
            continue
        info = sets.get(criteria_set.pk)
        if info is None:
            info = sets[criteria_set.pk] = _set_info(criteria_set)
        items = _check_entry(_period_excluded(entry, info, locked), info, where, problems)
        rows.append((entry, info, items))
    if problems:
        raise ValidationError(problems)

    existing = {
        a.unit_id: a
        for a in Assessment.objects.filter(
            period=period, unit_id__in=list(seen_units)
        ).select_related("unit", "period")
    }
    to_create: list[Assessment] = []
    to_update: list[Assessment] = []
    assessments: list[Assessment] = []
    for entry, _info, _items in rows:
        assessment = existing.get(entry.unit.pk) or Assessment(period=period, unit=entry.unit)
        assessment.survey_points = entry.survey_points
        assessment.survey_not_applicable = entry.survey_not_applicable
        assessment.bonus = Decimal(entry.bonus)
        assessment.penalty = Decimal(entry.penalty)
        (to_update if assessment.pk else to_create).append(assessment)
        assessments.append(assessment)
    if to_update:
        Assessment.objects.bulk_update(
            to_update, ["survey_points", "survey_not_applicable", "bonus", "penalty"]
        )
        ItemScore.objects.filter(assessment__in=to_update).delete()
    if to_create:
        Assessment.objects.bulk_create(to_create)
    ItemScore.objects.bulk_create(
        ItemScore(
            assessment=assessment,
            node_id=info.node_ids[code],
            value=stored,
            not_applicable=stored is None,
        )
        for assessment, (_entry, info, items) in zip(assessments, rows, strict=True)
        for code, stored in items.items()
    )
    return assessments


def _period_excluded(entry: FinalScores, info: _SetInfo, period: Period) -> FinalScores:
    """``entry`` with the criteria "chưa đánh giá ở kỳ 6 tháng" of ``period`` stored as not
    applicable (out of the unit's maximum) and nothing stored under them."""
    codes = excluded_node_codes(period) & info.nodes.keys()
    if not codes:
        return entry
    values: dict[str, InputValue] = {
        code: value
        for code, value in entry.values.items()
        if code not in codes and not any(a in codes for a in info.ancestors.get(code, ()))
    }
    for code in codes:
        if not any(a in codes for a in info.ancestors[code]):
            values[code] = NOT_APPLICABLE
    return dataclasses.replace(entry, values=values)


def _set_info(criteria_set: CriteriaSet) -> _SetInfo:
    criteria = engine_criteria(criteria_set)
    node_ids = dict(
        CriterionNode.objects.filter(criteria_set=criteria_set).values_list("code", "id")
    )
    nodes = {node.code: node for node in criteria.nodes}
    parents = {node.parent for node in criteria.nodes if node.parent is not None}
    ancestors: dict[str, tuple[str, ...]] = {}
    for node in criteria.nodes:
        chain: list[str] = []
        parent = node.parent
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = nodes[parent].parent
        ancestors[node.code] = tuple(chain)
    return _SetInfo(
        criteria=criteria,
        node_ids=node_ids,
        nodes=nodes,
        leaves=frozenset(nodes.keys() - parents),
        ancestors=ancestors,
    )


def _check_entry(
    entry: FinalScores, info: _SetInfo, where: str, problems: list[str]
) -> dict[str, Any]:
    """Problems with ``entry`` (appended to ``problems``) and the values to store,
    code → evaluation-file JSON value, or None for not applicable."""
    items: dict[str, Any] = {}
    values = _coerced(entry.values, where, problems)
    not_applicable = {code for code, value in values.items() if value is NOT_APPLICABLE}
    for code, value in values.items():
        node = info.nodes.get(code)
        if node is None:
            problems.append(f"{where}tiêu chí {code}: không có trong bộ tiêu chí.")
            continue
        excluded_by = next((a for a in info.ancestors[code] if a in not_applicable), None)
        if excluded_by is not None:
            problems.append(
                f"{where}tiêu chí {code}: thuộc tiêu chí {excluded_by} đã đánh dấu "
                "không áp dụng, không nhập riêng."
            )
            continue
        if value is NOT_APPLICABLE:
            items[code] = None
            continue
        if code not in info.leaves:
            problems.append(
                f"{where}tiêu chí {code}: có tiêu chí con, điểm được tính từ tiêu chí con "
                "(chỉ được đánh dấu không áp dụng)."
            )
            continue
        assert not isinstance(value, _NotApplicable)
        if problem := value_problem(node.rule or Rule(), node.max, value):
            problems.append(f"{where}tiêu chí {code}: {problem}.")
            continue
        items[code] = value_document(value)

    survey_max = info.criteria.survey_max
    if entry.survey_points is not None:
        if entry.survey_not_applicable:
            problems.append(f"{where}điểm khảo sát: không thể vừa có điểm vừa không khảo sát.")
        elif survey_max is None:
            problems.append(f"{where}điểm khảo sát: bộ tiêu chí không có phần khảo sát.")
        elif _bad_number(entry.survey_points) or not ZERO <= entry.survey_points <= survey_max:
            problems.append(
                f"{where}điểm khảo sát {_shown(entry.survey_points)} phải từ 0 đến "
                f"{number_text(survey_max)}, tối đa {MAX_PLACES} chữ số thập phân."
            )
    for label, amount, cap in (
        ("điểm thưởng", entry.bonus, info.criteria.bonus_max),
        ("điểm trừ", entry.penalty, info.criteria.penalty_max),
    ):
        amount = Decimal(amount)
        if _bad_number(amount) or amount < 0:
            problems.append(
                f"{where}{label} {_shown(amount)} phải là số không âm, tối đa {MAX_PLACES} "
                "chữ số thập phân."
            )
        elif cap is not None and amount > cap:
            problems.append(f"{where}{label} {_shown(amount)} vượt mức tối đa {number_text(cap)}.")
    return items


def _coerced(
    values: Mapping[str, InputValue], where: str = "", problems: list[str] | None = None
) -> dict[str, Value | _NotApplicable]:
    result: dict[str, Value | _NotApplicable] = {}
    for code, value in values.items():
        if isinstance(value, bool | Ratio | _NotApplicable):
            result[code] = value
        elif isinstance(value, int):
            result[code] = Decimal(value)
        elif isinstance(value, Decimal) and value.is_finite():
            result[code] = value
        elif problems is not None:
            problems.append(
                f"{where}tiêu chí {code}: giá trị “{_shown(value)}” không hợp lệ (cần một "
                "số, đạt/không đạt, hoặc tử số và mẫu số)."
            )
    return result


def _audit_value(value: Value | _NotApplicable) -> Any:
    return "not_applicable" if isinstance(value, _NotApplicable) else value_document(value)


def _bad_number(value: Decimal) -> bool:
    if not value.is_finite():
        return True
    exponent = value.normalize().as_tuple().exponent
    return isinstance(exponent, int) and exponent < -MAX_PLACES


def _shown(value: object) -> str:
    """A value in a message: a number with a decimal comma, anything else as text."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        number = Decimal(value)
        if number.is_finite():
            return number_text(number)
    if isinstance(value, float):
        return str(value).replace(".", ",")
    return "".join(ch for ch in str(value) if ch.isprintable())[:40]


def _num(value: Decimal | int | None) -> str | None:
    return None if value is None else num(Decimal(value))


def _jsonable(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _num(value) if isinstance(value, Decimal) else value for key, value in row.items()}
