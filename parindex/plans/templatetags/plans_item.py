"""The plan's value on an item's screens.

* ``{% plan_self_panel %}`` on the unit's self-assessment screen (``assessments/_item.html``,
  context ``screen`` and ``row``): on the set's plan-completion criterion, "Theo kế hoạch
  CCHC năm 2025 (số …): 9/12 nhiệm vụ đến hạn 30/6 đã hoàn thành → 1,50 điểm" with the
  button "Dùng giá trị này". The suggestion is computed once per screen (kept on it).
* ``{% plan_appraisal_note answer %}`` on the appraiser's item page: the unit's points next
  to the plan's, with the difference and a link to the plan's page.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from parindex.assessments.leaves import self_points
from parindex.assessments.models import Answer
from parindex.core.formatting import format_vn
from parindex.engine.evalwrite import value_document
from parindex.plans.suggestion import PlanSuggestion, suggested_value

register = template.Library()

CACHE_ATTRIBUTE = "_plan_suggestion"
_UNSET = object()


def _screen_suggestion(screen: Any) -> PlanSuggestion | None:
    cached = getattr(screen, CACHE_ATTRIBUTE, _UNSET)
    if cached is _UNSET:
        assessment = screen.assessment
        cached = suggested_value(assessment.period, assessment)
        setattr(screen, CACHE_ATTRIBUTE, cached)
    return cached  # type: ignore[return-value]


@register.inclusion_tag("plans/_self_panel.html", takes_context=True)
def plan_self_panel(context: template.Context) -> dict[str, Any]:
    screen, row = context.get("screen"), context.get("row")
    if screen is None or row is None or not row.is_leaf:
        return {"suggestion": None}
    suggestion = _screen_suggestion(screen)
    if suggestion is None or suggestion.node.pk != row.node.pk:
        return {"suggestion": None}
    answer = row.answer
    same = (
        answer is not None
        and not answer.self_not_applicable
        and answer.self_value == value_document(suggestion.value)
    )
    return {
        "suggestion": suggestion,
        "assessment": screen.assessment,
        "row": row,
        "same": same,
        "can_use": screen.can_edit and not row.period_excluded,
        "csrf_token": context.get("csrf_token"),
    }


def _places(suggestion: PlanSuggestion) -> int:
    return suggestion.criteria_set.rounding_places


@register.inclusion_tag("plans/_appraisal_note.html")
def plan_appraisal_note(answer: Answer) -> dict[str, Any]:
    assessment = answer.assessment
    suggestion = suggested_value(assessment.period, assessment)
    if suggestion is None or suggestion.node.pk != answer.node_id:
        return {"suggestion": None}
    typed: Decimal | None = self_points(answer)
    places = _places(suggestion)
    return {
        "suggestion": suggestion,
        "typed_text": format_vn(typed, places) if typed is not None else None,
        "difference_text": (
            format_vn(abs(typed - suggestion.points), places) if typed is not None else None
        ),
        "differs": typed is not None and typed != suggestion.points,
    }
