"""Using the plan's value on the self-assessment screen ("Dùng giá trị này"): the value is
saved through the self-assessment's own service (its version, stage and deadline rules
apply) and the plan is cited as the item's evidence, once."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.services.self_assessment import answer_save
from parindex.evidence.links import evidence_cite
from parindex.evidence.models import EvidenceLink
from parindex.plans.models import ReformPlan
from parindex.plans.suggestion import PlanSuggestion, suggested_value


@dataclass(frozen=True)
class UseOutcome:
    answer: Answer
    suggestion: PlanSuggestion
    cited: bool
    """The plan was cited now (False: it was cited already, or it has no number or date)."""
    citable: bool
    """The plan has the number and date a citation needs."""


def plan_cited(answer: Answer, plan: ReformPlan) -> bool:
    return EvidenceLink.objects.filter(
        answer=answer, document_number=plan.number, document_date=plan.issued_on
    ).exists()


@transaction.atomic
def plan_value_use(*, assessment: Assessment, actor: User, version: int) -> UseOutcome:
    """Save the plan's value as the unit's self-assessment of the plan criterion, and cite
    the plan (số, ngày, đơn vị ban hành, trích yếu) unless it is cited already.

    ``version`` is the item's version the user saw (0: not saved yet): an older one raises
    :class:`parindex.assessments.errors.Conflict` like any other save. ValidationError
    when the plan offers no value (no criterion, no plan, nothing due) or the save is
    refused (stage, deadline, not the unit's people)."""
    suggestion = suggested_value(assessment.period, assessment)
    if suggestion is None:
        raise ValidationError(
            "Không có giá trị đề xuất từ kế hoạch CCHC cho kỳ đánh giá này (bộ tiêu chí chưa "
            "chỉ định tiêu chí, đơn vị chưa có kế hoạch hoặc chưa có nhiệm vụ đến hạn)."
        )
    current = Answer.objects.filter(assessment=assessment, node=suggestion.node).first()
    answer = answer_save(
        assessment=assessment,
        node=suggestion.node,
        actor=actor,
        version=version,
        value=suggestion.value,
        explanation=current.explanation if current is not None else "",
    )
    plan = suggestion.plan
    citable = bool(plan.number) and plan.issued_on is not None
    cited = False
    if citable and not plan_cited(answer, plan):
        evidence_cite(
            answer=answer,
            number=plan.number,
            date=plan.issued_on,
            issuer=plan.unit.name,
            title=plan.title[:500],
            actor=actor,
        )
        cited = True
    return UseOutcome(answer, suggestion, cited, citable)
