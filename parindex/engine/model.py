"""Plain data the engine takes and returns. No behaviour beyond single-value facts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Final

ZERO: Final = Decimal(0)
HUNDRED: Final = Decimal(100)

ROUNDING_MODES: Final = ("truncate", "half_up")
RULE_TYPES: Final = ("manual", "boolean", "ratio", "percent", "tiers", "deduction")
TIE_RULES: Final = ("shared", "dense")
SURVEY: Final = "survey"
"""Pseudo-code used in ``missing`` / ``not_applicable`` lists for the survey component."""


@dataclass(frozen=True, slots=True)
class Rounding:
    """How a number is rounded: ``truncate`` drops digits toward zero, ``half_up`` rounds
    halves away from zero. Applied to every leaf (``rounding``) or to the index."""

    mode: str = "half_up"
    places: int = 2
    quantum: Decimal = field(init=False, repr=False, compare=False)
    decimal_mode: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.mode not in ROUNDING_MODES:
            raise ValueError(f"unknown rounding mode {self.mode!r}")
        object.__setattr__(self, "quantum", Decimal(1).scaleb(-self.places))
        object.__setattr__(
            self, "decimal_mode", ROUND_DOWN if self.mode == "truncate" else ROUND_HALF_UP
        )

    def apply(self, value: Decimal) -> Decimal:
        result = value.quantize(self.quantum, rounding=self.decimal_mode)
        return result if result else result.copy_abs()  # never "-0.00"


@dataclass(frozen=True, slots=True)
class Tier:
    """``points`` are given when the measured value is at least ``min``."""

    min: Decimal
    points: Decimal


@dataclass(frozen=True, slots=True)
class Rule:
    """How a leaf turns its value into points (see docs/evaluation-format.md)."""

    type: str = "manual"
    floor: Decimal | None = None
    full_at: Decimal | None = None
    tiers: tuple[Tier, ...] = ()
    per_item: Decimal | None = None


MANUAL: Final = Rule()


@dataclass(frozen=True, slots=True)
class NodeDef:
    """A field (no parent), criterion or sub-criterion of a criteria set."""

    code: str
    name: str
    max: Decimal
    parent: str | None = None
    rule: Rule | None = None


@dataclass(frozen=True, slots=True)
class Band:
    """A classification band: index >= min (> min when exclusive) and, when ``field_min``
    is set, every applicable field at or above that percentage."""

    label: str
    min: Decimal
    min_exclusive: bool = False
    field_min: Decimal | None = None


@dataclass(frozen=True, slots=True)
class Classification:
    bands: tuple[Band, ...]
    otherwise: str | None = None

    def labels(self) -> list[str]:
        """Every class label, best first, without repeats (the bands', then ``otherwise``)."""
        labels: list[str] = []
        for label in (*(band.label for band in self.bands), self.otherwise):
            if label and label not in labels:
                labels.append(label)
        return labels


@dataclass(frozen=True)
class CriteriaSet:
    """Everything about a criteria set that affects numbers."""

    name: str
    nodes: tuple[NodeDef, ...]
    rounding: Rounding = Rounding()
    index_rounding: Rounding | None = None
    survey_max: Decimal | None = None
    bonus_max: Decimal | None = None
    penalty_max: Decimal | None = None
    classification: Classification | None = None
    ties: str = "shared"

    @property
    def effective_index_rounding(self) -> Rounding:
        return self.index_rounding or self.rounding

    @property
    def class_labels(self) -> list[str]:
        """The classification's labels, best first; none when the set does not classify."""
        return self.classification.labels() if self.classification is not None else []


@dataclass(frozen=True, slots=True)
class Ratio:
    """A measured ratio b/a (numerator b of denominator a)."""

    numerator: Decimal
    denominator: Decimal


class _NotApplicable:
    _instance: _NotApplicable | None = None

    def __new__(cls) -> _NotApplicable:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE: Final = _NotApplicable()

Value = Decimal | bool | Ratio
"""A leaf's input: a number, yes/no, or a ratio, depending on its rule."""


@dataclass(frozen=True, slots=True)
class UnitInput:
    code: str
    name: str
    group: str


@dataclass(frozen=True, slots=True)
class Adjustment:
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO


@dataclass(frozen=True, slots=True)
class PreviousResult:
    """A unit's published result in an earlier period, for year-over-year comparison."""

    index: Decimal
    rank: int | None = None
    class_label: str | None = None
    """The class published then (``"class"`` of the earlier results), when known."""


@dataclass
class EvaluationInput:
    """One period's data: the set, the units and their final scores."""

    criteria: CriteriaSet
    units: Sequence[UnitInput]
    scores: Mapping[str, Mapping[str, Value]] = field(default_factory=dict)
    not_applicable: Mapping[str, frozenset[str]] = field(default_factory=dict)
    survey: Mapping[str, Decimal | _NotApplicable] = field(default_factory=dict)
    adjustments: Mapping[str, Adjustment] = field(default_factory=dict)
    previous: Mapping[str, PreviousResult] | None = None
    self_scores: Mapping[str, Mapping[str, Value]] | None = None
    """The units' self-assessed values (same shape as ``scores``); None: not given, and no
    unit gets a :class:`SelfResult`."""
    self_not_applicable: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """Nodes a unit self-assessed as not applicable (same shape as ``not_applicable``)."""


@dataclass(frozen=True, slots=True)
class NodeLayout:
    """Where each node's numbers sit in a unit's arrays (its *slot*) and in what order the
    nodes are shown: ``codes[slot]``, ``display`` lists slots in display order."""

    codes: tuple[str, ...]
    display: tuple[int, ...]
    index: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class NodeResult:
    code: str
    points: Decimal
    max: Decimal

    @property
    def lost(self) -> Decimal:
        """Points lost against the applicable max (computed, never typed: seed 004's
        hand-made deduction column did not add up)."""
        return self.max - self.points


@dataclass(frozen=True, slots=True)
class FieldResult:
    code: str
    points: Decimal
    max: Decimal
    percent: Decimal
    """Exact (unrounded) percentage of the field's applicable max."""


@dataclass(slots=True)
class SelfResult:
    """A unit's self-assessment scored with the same rules and rounding as the appraisal,
    without survey, bonus or penalty. ``max`` is the self-applicable fields' maxima."""

    points: Decimal
    max: Decimal
    percent_exact: Decimal
    """points ÷ max × 100, unrounded (0 when max is 0)."""
    percent: Decimal
    """``percent_exact`` rounded with the index rounding."""
    fields: list[FieldResult]
    not_applicable: list[str]
    missing: list[str]
    layout: NodeLayout = field(repr=False)
    node_points: Sequence[Decimal | None] = field(repr=False)
    node_max: Sequence[Decimal | None] = field(repr=False)

    def nodes(self) -> Iterator[NodeResult]:
        """Every self-applicable node, in display order."""
        return _nodes(self.layout, self.node_points, self.node_max)


def _nodes(
    layout: NodeLayout, points: Sequence[Decimal | None], maxes: Sequence[Decimal | None]
) -> Iterator[NodeResult]:
    codes = layout.codes
    for slot in layout.display:
        node_points, node_max = points[slot], maxes[slot]
        if node_points is not None and node_max is not None:
            yield NodeResult(codes[slot], node_points, node_max)


@dataclass(slots=True)
class UnitResult:
    """A unit's scored result. Node points are kept in arrays indexed by slot (see
    :class:`NodeLayout`); :meth:`nodes` lists them in display order."""

    unit: str
    name: str
    group: str
    points: Decimal
    survey: Decimal
    survey_applicable: bool
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    max: Decimal
    index_exact: Decimal
    index: Decimal
    fields: list[FieldResult]
    not_applicable: list[str]
    missing: list[str]
    layout: NodeLayout = field(repr=False)
    node_points: Sequence[Decimal | None] = field(repr=False)
    node_max: Sequence[Decimal | None] = field(repr=False)
    rank: int = 0
    class_label: str | None = None
    previous_index: Decimal | None = None
    index_change: Decimal | None = None
    previous_rank: int | None = None
    rank_change: int | None = None
    previous_class: str | None = None
    """The class of the previous result, when it gave one."""
    self_result: SelfResult | None = None
    """The self-assessment scored, when the unit has self-assessed entries."""

    def nodes(self) -> Iterator[NodeResult]:
        """Every applicable node, in display order."""
        return _nodes(self.layout, self.node_points, self.node_max)

    def node(self, code: str) -> NodeResult | None:
        """The node's result, or None when it does not apply (KeyError if unknown)."""
        slot = self.layout.index[code]
        points, max_ = self.node_points[slot], self.node_max[slot]
        return None if points is None or max_ is None else NodeResult(code, points, max_)


@dataclass(frozen=True, slots=True)
class GroupFieldStat:
    code: str
    mean_points: Decimal
    units_at_max: int
    units: int


@dataclass(frozen=True, slots=True)
class GroupNodeStat:
    """One node over a group's units: how many it applies to, how many scored its full
    applicable max, and their mean points (rounded with ``rounding``; None for 0 units)."""

    code: str
    units: int
    units_at_max: int
    mean_points: Decimal | None


@dataclass(frozen=True, slots=True)
class GroupClassStat:
    """How many units of a group have a class; ``previous_count``: how many had it in the
    previous results (None when no previous result of the group carries a class)."""

    label: str
    count: int
    previous_count: int | None = None


@dataclass(frozen=True, slots=True)
class GroupPrevious:
    """Statistics of the previous indexes of a group's units that have one."""

    count: int
    mean: Decimal
    max: Decimal
    min: Decimal
    spread: Decimal


@dataclass(frozen=True, slots=True)
class GroupChange:
    """This period's rounded statistic minus the previous one (so printed numbers subtract
    exactly)."""

    mean: Decimal
    max: Decimal
    min: Decimal
    spread: Decimal


@dataclass(frozen=True, slots=True)
class GroupResult:
    group: str
    count: int
    mean: Decimal
    max: Decimal
    min: Decimal
    spread: Decimal
    above_mean: int
    fields: tuple[GroupFieldStat, ...]
    survey_mean: Decimal | None = None
    """Mean survey points of the units the survey applies to, rounded with ``rounding``;
    None without a survey component or when it applies to no unit."""
    survey_units: int | None = None
    """How many units the survey applies to; None without a survey component."""
    self_mean: Decimal | None = None
    """Mean of the units' exact self-assessed percentages, rounded with the index rounding;
    None when no unit has a self result."""
    self_units: int | None = None
    """How many units have a self result; None when none has."""
    classes: tuple[GroupClassStat, ...] = ()
    """Every class label of the scheme, best first (empty when not classified)."""
    nodes: tuple[GroupNodeStat, ...] = ()
    """Every node of the set in display order (empty for published statistics)."""
    previous: GroupPrevious | None = None
    change: GroupChange | None = None
    rose: int | None = None
    fell: int | None = None
    unchanged: int | None = None
    """Units whose index rose, fell, stayed (index_change > 0, < 0, = 0); None, like
    ``previous`` and ``change``, when no unit of the group has a previous index."""


@dataclass
class Results:
    criteria: CriteriaSet
    units: list[UnitResult]
    groups: list[GroupResult]
    warnings: list[str]

    def unit(self, code: str) -> UnitResult:
        for result in self.units:
            if result.unit == code:
                return result
        raise KeyError(code)
