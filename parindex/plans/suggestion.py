"""The value the unit's CCHC plan offers for the set's plan-completion criterion
(``CriteriaSet.plan_criterion_code``) in a period, and the points the engine gives it.

The criterion is looked up in the set the period binds to the unit's group (as the
self-assessment screen does, :func:`parindex.assessments.selectors.state.binding_of`). The
rule input follows the criterion's rule — ``ratio``: {numerator: done, denominator: due};
``percent``: done × 100 / due as councils print it (see :func:`completion_percent`);
``manual``: done / due × max under the set's rounding — and the points always come from the
engine's scorer for that leaf (:func:`parindex.assessments.leaves.leaf_points`).
"""

from __future__ import annotations

import decimal
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from parindex.assessments.leaves import leaf_points
from parindex.assessments.models import Assessment
from parindex.assessments.permissions import code_within
from parindex.assessments.selectors.state import binding_of
from parindex.assessments.values import value_text
from parindex.core.formatting import format_vn
from parindex.criteria.models import CriteriaSet, CriterionNode, RuleType
from parindex.engine.evalwrite import value_document
from parindex.engine.model import Ratio, Rounding
from parindex.periods.models import Period, PeriodKind
from parindex.periods.selectors import excluded_node_codes
from parindex.plans.completion import Completion, completion_percent, plan_completion
from parindex.plans.models import ReformPlan

PLAN_RULES = (RuleType.RATIO, RuleType.PERCENT, RuleType.MANUAL)
"""The rules a plan-completion criterion may have: the rate is a ratio, a percentage or
(scored by hand) points in proportion."""


@dataclass(frozen=True)
class PlanSuggestion:
    """What the plan offers for the criterion ``node`` of a unit's assessment."""

    plan: ReformPlan
    node: CriterionNode
    criteria_set: CriteriaSet
    completion: Completion
    as_of_interim: bool
    value: Any
    """The rule input, as :func:`answer_save` takes it (a Ratio or a Decimal)."""
    points: Decimal
    """The engine's points for :attr:`value`."""

    @property
    def value_text(self) -> str:
        """The value as the screens show it: "9/12", "75%", "1,5 điểm"."""
        return value_text(value_document(self.value), self.node.rule_type)

    @property
    def points_text(self) -> str:
        return format_vn(self.points, self.criteria_set.rounding_places)

    @property
    def due_label(self) -> str:
        return "nhiệm vụ đến hạn 30/6" if self.as_of_interim else "nhiệm vụ của cả năm"

    @property
    def plan_label(self) -> str:
        number = f" (số {self.plan.number})" if self.plan.number else ""
        return f"kế hoạch CCHC năm {self.plan.year}{number}"

    @property
    def sentence(self) -> str:
        """ "Theo kế hoạch CCHC năm 2025 (số 12/KH-UBND): 9/12 nhiệm vụ đến hạn 30/6 đã
        hoàn thành → 1,50 điểm"."""
        c = self.completion
        return (
            f"Theo {self.plan_label}: {c.done}/{c.due} {self.due_label} đã hoàn thành → "
            f"{self.points_text} điểm"
        )


def rule_input(
    node: CriterionNode, criteria_set: CriteriaSet, completion: Completion
) -> Any | None:
    """The value of the criterion's rule for ``completion`` (None when nothing is due or
    the rule is not one of :data:`PLAN_RULES`)."""
    done, due = completion.done, completion.due
    if due <= 0:
        return None
    if node.rule_type == RuleType.RATIO:
        return Ratio(Decimal(done), Decimal(due))
    if node.rule_type == RuleType.PERCENT:
        return completion_percent(done, due)
    if node.rule_type == RuleType.MANUAL:
        rounding = Rounding(criteria_set.rounding_mode, criteria_set.rounding_places)
        with decimal.localcontext(prec=60):  # exact enough that the rounding decides
            share = Decimal(done) * node.max_points / Decimal(due)
        return rounding.apply(share)
    return None


def plan_criterion(assessment: Assessment) -> tuple[CriteriaSet, CriterionNode] | None:
    """The set bound to the unit's group in the assessment's period and its plan-completion
    leaf, when the set names one that is a leaf with a plan rule (and scored in the
    period: not "chưa đánh giá ở kỳ 6 tháng")."""
    binding = binding_of(assessment)
    if binding is None or not binding.criteria_set.plan_criterion_code:
        return None
    criteria_set = binding.criteria_set
    node = CriterionNode.objects.filter(
        criteria_set=criteria_set,
        code=criteria_set.plan_criterion_code,
        children__isnull=True,
        rule_type__in=PLAN_RULES,
    ).first()
    if node is None:
        return None
    excluded = excluded_node_codes(assessment.period)
    if excluded and code_within(node.code, tuple(excluded)):
        return None
    return criteria_set, node


def suggested_value(period: Period, assessment: Assessment) -> PlanSuggestion | None:
    """What the unit's plan of the period's year offers for the plan criterion, or None (no
    criterion named, no plan, no task due)."""
    found = plan_criterion(assessment)
    if found is None:
        return None
    criteria_set, node = found
    plan = ReformPlan.objects.filter(unit_id=assessment.unit_id, year=period.year).first()
    if plan is None:
        return None
    interim = period.kind == PeriodKind.INTERIM
    completion = plan_completion(plan, as_of_interim=interim)
    value = rule_input(node, criteria_set, completion)
    if value is None:
        return None
    points = leaf_points(criteria_set, node, value)
    if points is None:  # pragma: no cover - a value is always given here
        return None
    return PlanSuggestion(plan, node, criteria_set, completion, interim, value, points)
