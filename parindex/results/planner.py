"""The what-if planner and improvement list of a unit (kế hoạch cải thiện): reads only.

Nothing here writes to the database: the planner scores the unit's *final* values (the
scores of record, :class:`~parindex.assessments.models.ItemScore`) with what-if changes
through the engine (:mod:`parindex.engine.whatif`) and shows the result; the values typed
are never stored.

Who plans what (the one place the rule lives; anything else is a 404):

- unit staff and leaders: their own unit, in the periods where it has final scores;
- the chair and observers (and superusers): any unit of the periods they oversee
  (:func:`parindex.assessments.permissions.periods_visible_to`), chosen with ``?don-vi=``;
- a period has final scores when it is finalised or has a published result version.

Where the unit's rank comes from. The unit alone is scored by the engine (its index and
class do not depend on the others); its rank is :class:`~parindex.engine.whatif.Standings`
over the *other* units' indexes of its group, read once per request:

1. from the period's current published version (:class:`ResultRow`, one query) when it
   holds the unit's group: the official ranking the unit is compared with. Drafts are
   not used: a draft may have been computed before the scores were finalised;
2. otherwise from one engine evaluation of the group
   (:func:`~parindex.results.selectors.period_evaluation_input`), kept in the cache for
   :data:`CACHE_SECONDS` under the period, group binding, set and period status. Only
   finalised periods get here, and their scores cannot change (the assessment services
   refuse), so the cached indexes stay right; a change of status changes the key.

The unit's own values are read for the unit only (:func:`unit_input`, the same reading as
``period_evaluation_input`` restricted to one assessment), so a what-if request costs a
few small queries and two one-unit evaluations, whatever the size of the group.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments.models import Assessment, ItemScore
from parindex.assessments.self_assessment import parse_value
from parindex.assessments.values import BadValue, parse_number, stored_to_engine
from parindex.core.cells import inert
from parindex.criteria.models import CriterionNode, RuleType
from parindex.criteria.selectors import describe_rule, engine_criteria
from parindex.engine.model import (
    NOT_APPLICABLE,
    Adjustment,
    EvaluationInput,
    Ratio,
    UnitInput,
    UnitResult,
    Value,
    _NotApplicable,
)
from parindex.engine.tree import CompiledTree, compile_tree
from parindex.engine.whatif import (
    KEEP,
    ImprovementPlan,
    Standings,
    SurveyChange,
    WhatIf,
    improvement_plan,
    leaf_fields,
    what_if,
)
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.periods.permissions import UNIT_ROLES, is_overseer, periods_visible_to
from parindex.results.models import ResultGroup, ResultRow, ResultVersion, VersionStatus
from parindex.results.selectors import period_evaluation_input
from parindex.results.templatetags.results_format import format_vn

CACHE_SECONDS = 600
"""How long the engine-computed indexes of a group's other units are kept."""

UNIT_PARAM = "don-vi"
SURVEY_FIELD = "khao-sat"
VALUE_PREFIX = "gt:"
NUMERATOR_PREFIX = "tu:"
DENOMINATOR_PREFIX = "mau:"
MAX_TEXT = 40

SOURCE_PUBLISHED = "published"
SOURCE_COMPUTED = "computed"


# --------------------------------------------------------------------------- who plans what


def _user(user: Any) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated and user.is_active else None


def _has_final_scores() -> Q:
    published = ResultVersion.objects.filter(
        period_id=OuterRef("pk"), status=VersionStatus.PUBLISHED
    )
    return Q(status=PeriodStatus.FINALISED) | Q(Exists(published))


def plannable_periods(user: Any) -> QuerySet[Period]:
    """The periods ``user`` may plan for, newest first."""
    u = _user(user)
    if u is None:
        return Period.objects.none()
    if is_overseer(u):
        periods = periods_visible_to(u)
    elif u.role in UNIT_ROLES and u.unit_id is not None:
        own = Assessment.objects.filter(period_id=OuterRef("pk"), unit_id=u.unit_id)
        periods = Period.objects.filter(Exists(own))
    else:
        return Period.objects.none()
    return (
        periods.filter(_has_final_scores())
        .select_related("jurisdiction")
        .order_by("-year", "kind", "name")
    )


def get_plan_period(user: Any, pk: int) -> Period | None:
    """The period ``pk`` if ``user`` may plan for it (the view answers 404 otherwise)."""
    return plannable_periods(user).filter(pk=pk).first()


def get_plan_unit(user: Any, period: Period, code: str | None) -> Unit | None:
    """The unit ``user`` plans for in ``period``.

    Unit users: their own unit (``code`` may only name it). Overseers: the unit ``code``
    among the units assessed in the period; None when no code was given (choose one).
    Raises :class:`LookupError` when the unit is not theirs (the view answers 404).
    """
    u = _user(user)
    if u is None:
        raise LookupError("không có người dùng")
    code = (code or "").strip()
    if "\x00" in code:  # no unit's code (PostgreSQL refuses NUL in a query): not found
        raise LookupError(code)
    if is_overseer(u):
        if not code:
            return None
        assessment = (
            Assessment.objects.filter(period=period, unit__code=code).select_related("unit").first()
        )
        if assessment is None:
            raise LookupError(code)
        return assessment.unit
    unit = u.unit
    if unit is None or (code and code != unit.code):
        raise LookupError(code)
    if not Assessment.objects.filter(period=period, unit=unit).exists():
        raise LookupError(unit.code)
    return unit


def period_units(period: Period, query: str = "") -> QuerySet[Unit]:
    """The units assessed in ``period`` (for an overseer to choose), search ignoring
    diacritics, in their groups' order."""
    units = Unit.objects.filter(assessments__period=period).select_related("group")
    if query.strip():
        units = units.search(query)
    return units.order_by("group__position", "group__name", "position", "name", "code")


# --------------------------------------------------------------------------- reading


def unit_input(
    period: Period, binding: PeriodGroup, unit: Unit, criteria: engine.CriteriaSet
) -> EvaluationInput:
    """The engine's input of one unit's final scores in ``period`` (two queries): what
    :func:`period_evaluation_input` holds for that unit."""
    assessment = Assessment.objects.filter(period=period, unit=unit).first()
    unit_in = UnitInput(unit.code, unit.name, binding.group.name)
    if assessment is None:
        return EvaluationInput(criteria=criteria, units=[unit_in])
    scores: dict[str, Value] = {}
    not_applicable: set[str] = set()
    items = ItemScore.objects.filter(assessment=assessment).values_list(
        "node__code", "value", "not_applicable"
    )
    for node_code, value, is_na in items.order_by("node__position"):
        if is_na:
            not_applicable.add(node_code)
        elif value is not None:
            scores[node_code] = stored_to_engine(value)
    survey: dict[str, Decimal | _NotApplicable] = {}
    if criteria.survey_max is not None:
        if assessment.survey_not_applicable:
            survey[unit.code] = NOT_APPLICABLE
        elif assessment.survey_points is not None:
            survey[unit.code] = assessment.survey_points.normalize()
    adjustments: dict[str, Adjustment] = {}
    if assessment.bonus or assessment.penalty:
        adjustments[unit.code] = Adjustment(
            assessment.bonus.normalize(), assessment.penalty.normalize()
        )
    return EvaluationInput(
        criteria=criteria,
        units=[unit_in],
        scores={unit.code: scores} if scores else {},
        not_applicable={unit.code: frozenset(not_applicable)} if not_applicable else {},
        survey=survey,
        adjustments=adjustments,
    )


@dataclass(frozen=True)
class Published:
    """The unit's line in the period's current published version."""

    version: ResultVersion
    index: Decimal
    rank: int | None
    class_label: str


@dataclass(frozen=True)
class Others:
    standings: Standings
    source: str
    published: Published | None = None


def _published_others(period: Period, binding: PeriodGroup, unit: Unit, ties: str) -> Others | None:
    version = ResultVersion.objects.current().filter(period=period).first()
    if version is None:
        return None
    group = ResultGroup.objects.filter(version=version, code=binding.group.code).first()
    if group is None:
        return None
    others: list[Decimal] = []
    published: Published | None = None
    rows = ResultRow.objects.filter(result_group=group).values_list(
        "code", "index", "rank", "class_label", "detail__index"
    )
    for code, index, rank, class_label, exact in rows:
        if code == unit.code:
            shown = Decimal(exact) if isinstance(exact, str) else index
            published = Published(version, shown, rank, class_label)
        else:
            others.append(index)
    return Others(Standings(others, ties), SOURCE_PUBLISHED, published)


def _cache_key(period: Period, binding: PeriodGroup) -> str:
    return (
        f"parindex:planner:indexes:{period.pk}:{binding.pk}:{binding.criteria_set_id}:"
        f"{period.status}"
    )


def group_indexes(
    period: Period, binding: PeriodGroup, criteria: engine.CriteriaSet
) -> dict[str, Decimal]:
    """Unit code → rounded index of every unit of the group, from one engine evaluation
    (cached, see the module's docstring)."""
    key = _cache_key(period, binding)
    cached = cache.get(key)
    if isinstance(cached, dict):
        return {code: Decimal(index) for code, index in cached.items()}
    data = period_evaluation_input(period, binding, criteria=criteria)
    results = engine.evaluate(data)
    indexes = {result.unit: result.index for result in results.units}
    cache.set(key, {code: str(index) for code, index in indexes.items()}, CACHE_SECONDS)
    return indexes


def other_units(
    period: Period, binding: PeriodGroup, unit: Unit, criteria: engine.CriteriaSet
) -> Others:
    """The other units of the unit's group, ranked (see the module's docstring)."""
    published = _published_others(period, binding, unit, criteria.ties)
    if published is not None:
        return published
    indexes = group_indexes(period, binding, criteria)
    others = [index for code, index in indexes.items() if code != unit.code]
    return Others(Standings(others, criteria.ties), SOURCE_COMPUTED)


# --------------------------------------------------------------------------- the planner


@dataclass
class LeafRow:
    """A node of the unit's criteria set on the planner's form."""

    node: CriterionNode
    depth: int
    is_leaf: bool
    field_code: str
    rule_text: str
    points: Decimal | None
    """The engine's actual points (None: not applicable)."""
    max: Decimal | None
    missing: bool
    text: str = ""
    """What the number input shows (decimal comma), or "true"/"false"."""
    numerator: str = ""
    denominator: str = ""
    error: str = ""

    @property
    def not_applicable(self) -> bool:
        return self.points is None

    @property
    def rule_type(self) -> str:
        return self.node.rule_type

    @property
    def shows_ratio(self) -> bool:
        return self.rule_type == RuleType.RATIO or (
            self.rule_type == RuleType.TIERS and bool(self.numerator or self.denominator)
        )


@dataclass
class Planner:
    """Everything the planner of one unit in one period works with."""

    period: Period
    unit: Unit
    binding: PeriodGroup
    criteria: engine.CriteriaSet
    tree: CompiledTree
    data: EvaluationInput
    """The unit alone with its final values."""
    nodes: list[CriterionNode]
    others: Others
    actual: UnitResult
    """The engine's result of the final values, ranked among the others."""

    @property
    def points_places(self) -> int:
        return self.criteria.rounding.places

    @property
    def index_places(self) -> int:
        return self.criteria.effective_index_rounding.places

    @property
    def group_size(self) -> int:
        return self.others.standings.group_size

    @property
    def has_survey(self) -> bool:
        return self.criteria.survey_max is not None

    @property
    def survey_applicable(self) -> bool:
        return self.has_survey and self.actual.survey_applicable

    @property
    def survey_text(self) -> str:
        value = self.data.survey.get(self.unit.code)
        return _text(value) if isinstance(value, Decimal) else ""

    @property
    def published(self) -> Published | None:
        return self.others.published

    @property
    def published_differs(self) -> bool:
        """The final scores no longer give the published index (changed after publication)."""
        published = self.published
        return published is not None and published.index != self.actual.index

    def rows(self, raw: Mapping[str, str] | None = None) -> list[LeafRow]:
        """Every node in display order; leaves carry their input's text: the final value,
        or what was posted (``raw``) when the page is shown again after a plain POST."""
        by_id = {node.pk: node for node in self.nodes}
        has_children = {node.parent_id for node in self.nodes if node.parent_id is not None}
        fields = leaf_fields(self.criteria)
        values = self.data.scores.get(self.unit.code, {})
        missing = set(self.actual.missing)
        rows: list[LeafRow] = []
        for node in self.nodes:
            depth, parent_id = 0, node.parent_id
            while parent_id is not None and parent_id in by_id:
                depth, parent_id = depth + 1, by_id[parent_id].parent_id
            scored = self.actual.node(node.code)
            is_leaf = node.pk not in has_children
            row = LeafRow(
                node=node,
                depth=depth,
                is_leaf=is_leaf,
                field_code=fields.get(node.code, node.code),
                rule_text=describe_rule(
                    {
                        "rule_type": node.rule_type,
                        "max_points": node.max_points,
                        "floor": node.floor,
                        "full_at": node.full_at,
                        "tiers": node.tiers,
                        "per_item": node.per_item,
                    },
                    is_leaf=is_leaf,
                ),
                points=scored.points if scored else None,
                max=scored.max if scored else None,
                missing=node.code in missing,
            )
            if is_leaf:
                _fill_inputs(row, values.get(node.code), raw)
            rows.append(row)
        return rows


@dataclass(frozen=True)
class Section:
    """A field of the form with the criteria under it."""

    field: LeafRow
    rows: list[LeafRow]

    @property
    def has_error(self) -> bool:
        return bool(self.field.error) or any(row.error for row in self.rows)


def sections(rows: list[LeafRow]) -> list[Section]:
    """``rows`` (display order) grouped by field."""
    grouped: list[Section] = []
    for row in rows:
        if row.depth == 0:
            grouped.append(Section(row, []))
        elif grouped:
            grouped[-1].rows.append(row)
    return grouped


def _text(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",") if value else "0"


def _fill_inputs(row: LeafRow, value: Value | None, raw: Mapping[str, str] | None) -> None:
    code = row.node.code
    if raw is not None and any(
        prefix + code in raw for prefix in (VALUE_PREFIX, NUMERATOR_PREFIX, DENOMINATOR_PREFIX)
    ):
        row.text = raw.get(VALUE_PREFIX + code, "")[:MAX_TEXT]
        row.numerator = raw.get(NUMERATOR_PREFIX + code, "")[:MAX_TEXT]
        row.denominator = raw.get(DENOMINATOR_PREFIX + code, "")[:MAX_TEXT]
        return
    if isinstance(value, bool):
        row.text = "true" if value else "false"
    elif isinstance(value, Ratio):
        row.numerator, row.denominator = _text(value.numerator), _text(value.denominator)
    elif isinstance(value, Decimal):
        row.text = _text(value)


def load_planner(period: Period, unit: Unit) -> Planner | None:
    """The planner of ``unit`` in ``period`` (a handful of queries, no write); None when the
    period does not score the unit's group."""
    binding = (
        PeriodGroup.objects.filter(period=period, group_id=unit.group_id)
        .select_related("group", "criteria_set")
        .first()
        if unit.group_id is not None
        else None
    )
    if binding is None:
        return None
    criteria = engine_criteria(binding.criteria_set)
    tree = compile_tree(criteria)
    data = unit_input(period, binding, unit, criteria)
    nodes = list(
        CriterionNode.objects.filter(criteria_set=binding.criteria_set).order_by("position", "id")
    )
    others = other_units(period, binding, unit, criteria)
    [actual] = engine.evaluate(data, tree).units
    actual.rank = others.standings.rank(actual.index)
    return Planner(period, unit, binding, criteria, tree, data, nodes, others, actual)


# --------------------------------------------------------------------------- what-if


@dataclass
class Changes:
    """What-if values parsed from a form: leaf code → value (None: cleared), the survey."""

    values: dict[str, Value | None] = field(default_factory=dict)
    survey: SurveyChange = KEEP
    errors: list[tuple[str, str]] = field(default_factory=list)
    """(criterion code or "khao-sat", Vietnamese message)."""


def parse_changes(planner: Planner, post: Mapping[str, Any]) -> Changes:
    """The what-if values in ``post``: a leaf missing from it keeps its final value, an
    empty input clears it. Values are checked by the engine's rules; every problem names
    the criterion (nothing is raised)."""
    changes = Changes()
    leaves = set(planner.tree.leaf_codes)
    for node in planner.nodes:
        code = node.code
        if code not in leaves or planner.actual.node(code) is None:  # not applicable
            continue
        keys = (VALUE_PREFIX + code, NUMERATOR_PREFIX + code, DENOMINATOR_PREFIX + code)
        if not any(key in post for key in keys):
            continue
        number = str(post.get(keys[0], ""))
        ratio = {"numerator": str(post.get(keys[1], "")), "denominator": str(post.get(keys[2], ""))}
        has_ratio = any(part.strip() for part in ratio.values())
        raw: Any = number  # "b/a" typed in one input is a ratio too (values.parse_input)
        if has_ratio and node.rule_type in (RuleType.RATIO, RuleType.TIERS):
            if number.strip():
                changes.errors.append(
                    (code, f"Tiêu chí {code}: chỉ nhập một số hoặc một tỷ lệ, không nhập cả hai.")
                )
                continue
            raw = ratio
        try:
            changes.values[code] = parse_value(node, raw)
        except ValidationError as error:
            changes.errors.append((code, " ".join(error.messages)))
    if SURVEY_FIELD in post and planner.survey_applicable:
        changes.survey = _survey(planner, str(post.get(SURVEY_FIELD, "")), changes.errors)
    return changes


def _survey(planner: Planner, text: str, errors: list[tuple[str, str]]) -> SurveyChange:
    text = text.strip()
    if not text:
        return None
    maximum = planner.criteria.survey_max
    assert maximum is not None
    try:
        value = parse_number(text)  # typed as a leaf's number (values.parse_number)
    except BadValue as bad:
        errors.append((SURVEY_FIELD, f"Điểm khảo sát: {bad.problem}."))
        return KEEP
    if not 0 <= value <= maximum:
        errors.append(
            (
                SURVEY_FIELD,
                f"Điểm khảo sát: {format_vn(value)} nằm ngoài khoảng 0–{format_vn(maximum)}.",
            )
        )
        return KEEP
    return value


@dataclass(frozen=True)
class ChangedNode:
    """A node whose points the what-if values change (None: not applicable)."""

    code: str
    name: str
    is_field: bool
    before: Decimal | None
    after: Decimal | None

    @property
    def change(self) -> Decimal:
        return (self.after or Decimal(0)) - (self.before or Decimal(0))


@dataclass(frozen=True)
class Outcome:
    """The result of a what-if request: the engine's numbers, or the problems."""

    result: WhatIf | None
    errors: list[tuple[str, str]]
    changed: list[ChangedNode] = field(default_factory=list)


def _changed(planner: Planner, result: WhatIf) -> list[ChangedNode]:
    nodes = {node.code: node for node in planner.criteria.nodes}
    return [
        ChangedNode(
            code=code,
            name=nodes[code].name,
            is_field=nodes[code].parent is None,
            before=before.points if before else None,
            after=after.points if after else None,
        )
        for code, before, after in result.changed_nodes()
    ]


def compute_what_if(planner: Planner, post: Mapping[str, Any]) -> Outcome:
    """Score the unit with the values in ``post`` (nothing is saved)."""
    changes = parse_changes(planner, post)
    if changes.errors:
        return Outcome(None, changes.errors)
    try:
        result = what_if(
            planner.data,
            planner.unit.code,
            planner.others.standings,
            changes.values,
            changes.survey,
            tree=planner.tree,
        )
    except engine.InputError as error:  # the rules' own check: parse_value ran it already
        return Outcome(None, [("", problem) for problem in error.problems])
    return Outcome(result, [], _changed(planner, result))


def unchanged(planner: Planner) -> WhatIf:
    """The what-if result before anything is changed (the actual result)."""
    return WhatIf(
        planner.actual, planner.actual.rank, planner.actual, planner.actual.rank, planner.group_size
    )


# --------------------------------------------------------------------------- improvements


@dataclass(frozen=True)
class ImprovementRow:
    code: str
    name: str
    field_code: str
    field_name: str
    points: Decimal
    max: Decimal
    recoverable: Decimal
    missing: bool
    guidance: str
    evidence: str


@dataclass(frozen=True)
class Improvements:
    """The unit's improvement list with the engine's result if everything is recovered."""

    plan: ImprovementPlan
    rows: list[ImprovementRow]
    best_rank: int

    @property
    def total(self) -> Decimal:
        return self.plan.leaf_total

    @property
    def capped(self) -> bool:
        """A parent criterion's max keeps the gain below the leaves' sum."""
        return self.plan.gain < self.plan.leaf_total


def improvements(planner: Planner) -> Improvements:
    plan = improvement_plan(planner.data, planner.unit.code, tree=planner.tree)
    nodes = {node.code: node for node in planner.nodes}
    rows = [
        ImprovementRow(
            code=item.code,
            name=item.name,
            field_code=item.field,
            field_name=nodes[item.field].name if item.field in nodes else item.field,
            points=item.points,
            max=item.max,
            recoverable=item.recoverable,
            missing=item.missing,
            guidance=nodes[item.code].guidance if item.code in nodes else "",
            evidence=nodes[item.code].evidence if item.code in nodes else "",
        )
        for item in plan.items
    ]
    return Improvements(plan, rows, planner.others.standings.rank(plan.best.index))


CSV_HEADER = (
    "STT",
    "Mã lĩnh vực",
    "Lĩnh vực",
    "Mã tiêu chí",
    "Tiêu chí",
    "Điểm đạt",
    "Điểm tối đa",
    "Điểm có thể tăng",
    "Chưa có điểm",
    "Hướng dẫn chấm điểm",
)


def improvements_csv(planner: Planner, found: Improvements) -> str:
    """The improvement list as CSV (numbers as the page shows them, decimal comma), with
    the total and the index if every criterion is recovered on the last lines."""
    points, index = planner.points_places, planner.index_places
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for number, row in enumerate(found.rows, start=1):
        writer.writerow(
            [
                str(number),
                inert(row.field_code),
                inert(row.field_name),
                inert(row.code),
                inert(row.name),
                format_vn(row.points, points),
                format_vn(row.max),
                format_vn(row.recoverable, points),
                "x" if row.missing else "",
                inert(row.guidance),
            ]
        )
    best = found.plan.best
    writer.writerow([])
    writer.writerow(
        ["", "", "Tổng điểm có thể tăng", "", "", "", "", format_vn(found.total, points)]
    )
    writer.writerow(
        [
            "",
            "",
            "Nếu đạt tối đa mọi tiêu chí"
            + (" (giữ nguyên điểm khảo sát)" if planner.has_survey else ""),
            "",
            f"chỉ số {format_vn(best.index, index)}%, hạng {found.best_rank}/"
            f"{planner.group_size}"
            + (f", xếp loại {best.class_label}" if best.class_label else ""),
        ]
    )
    return out.getvalue()
