"""Writes of the survey: questionnaires, sample plans and the online form's codes.

Every function here is a service: keyword-only, one transaction, Vietnamese
:class:`~django.core.exceptions.ValidationError` on bad input with nothing stored, and an
audit event written in the same transaction. A citizen's online form is stored by
:mod:`parindex.surveys.online`; the outline of factors and questions is read
and written by :mod:`parindex.surveys.outline`, bulk import lives in
:mod:`parindex.surveys.imports`, the computation of points in :mod:`parindex.surveys.scoring`,
and the services that queue background jobs in :mod:`parindex.surveys.queueing`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.engine import survey as engine_survey
from parindex.periods.models import Period, PeriodStatus
from parindex.periods.selectors import period_units
from parindex.surveys import defaults
from parindex.surveys.config import engine_config
from parindex.surveys.models import (
    Channel,
    Factor,
    Question,
    Questionnaire,
    RespondentQuestion,
    SamplePlan,
    SurveyResponse,
    SurveyToken,
)
from parindex.surveys.outline import FactorSpec, questionnaire_outline
from parindex.surveys.selectors import question_codes, survey_maxima

MAX_TOKENS_PER_CALL = 5000


def _check_open(period: Period) -> None:
    if period.status == PeriodStatus.FINALISED:
        raise ValidationError(f"Kỳ đánh giá {period.name} đã chốt kết quả; không sửa khảo sát.")


# --------------------------------------------------------------------------- questionnaire


@transaction.atomic
def questionnaire_create_default(*, period: Period, actor: User | None) -> Questionnaire:
    """Give ``period`` the default five-factor questionnaire (1–5 scale)."""
    _check_open(period)
    if Questionnaire.objects.filter(period=period).exists():
        raise ValidationError(f"Kỳ đánh giá {period.name} đã có phiếu khảo sát.")
    questionnaire = Questionnaire.objects.create(
        period=period,
        name=defaults.NAME,
        introduction=defaults.INTRODUCTION,
        scale_min=1,
        scale_max=len(defaults.SCALE_LABELS),
        scale_labels=list(defaults.SCALE_LABELS),
        satisfied_at=defaults.SATISFIED_AT,
        min_answered_share=defaults.MIN_ANSWERED_SHARE,
        min_forms=defaults.MIN_FORMS,
    )
    for f_pos, (code, name, questions) in enumerate(defaults.FACTORS, start=1):
        factor = Factor.objects.create(
            questionnaire=questionnaire, code=code, name=name, position=f_pos
        )
        Question.objects.bulk_create(
            Question(factor=factor, code=q_code, text=text, position=q_pos)
            for q_pos, (q_code, text) in enumerate(questions, start=1)
        )
    RespondentQuestion.objects.bulk_create(
        RespondentQuestion(
            questionnaire=questionnaire, code=code, text=text, choices=choices, position=pos
        )
        for pos, (code, text, choices) in enumerate(defaults.RESPONDENT_QUESTIONS, start=1)
    )
    record(
        actor=actor,
        action="survey.questionnaire_created",
        target=questionnaire,
        summary=f"Tạo phiếu khảo sát mặc định (5 yếu tố) cho {period.name}",
        after={"factors": len(defaults.FACTORS)},
    )
    return questionnaire


@transaction.atomic
def questionnaire_clone(
    *, source: Questionnaire, period: Period, actor: User | None
) -> Questionnaire:
    """Copy ``source`` (factors, questions, respondent questions, rules) to ``period``."""
    _check_open(period)
    if Questionnaire.objects.filter(period=period).exists():
        raise ValidationError(f"Kỳ đánh giá {period.name} đã có phiếu khảo sát.")
    factors = list(source.factors.prefetch_related("questions"))
    respondent = list(source.respondent_questions.all())
    copy = Questionnaire.objects.create(
        period=period,
        name=source.name,
        introduction=source.introduction,
        scale_min=source.scale_min,
        scale_max=source.scale_max,
        scale_labels=list(source.scale_labels),
        satisfied_at=source.satisfied_at,
        min_answered_share=source.min_answered_share,
        min_forms=source.min_forms,
        points_slope=source.points_slope,
        points_intercept=source.points_intercept,
        rounding_mode=source.rounding_mode,
        rounding_places=source.rounding_places,
    )
    for factor in factors:
        new = Factor.objects.create(
            questionnaire=copy,
            code=factor.code,
            name=factor.name,
            weight=factor.weight,
            position=factor.position,
        )
        Question.objects.bulk_create(
            Question(factor=new, code=q.code, text=q.text, position=q.position)
            for q in factor.questions.all()
        )
    RespondentQuestion.objects.bulk_create(
        RespondentQuestion(
            questionnaire=copy, code=r.code, text=r.text, choices=r.choices, position=r.position
        )
        for r in respondent
    )
    record(
        actor=actor,
        action="survey.questionnaire_cloned",
        target=copy,
        summary=f"Sao chép phiếu khảo sát của {source.period} sang {period.name}",
        after={"source": source.pk, "factors": len(factors)},
    )
    return copy


# --------------------------------------------------------------------------- sample plans


def _new_key() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def sample_plans_ensure(*, period: Period, actor: User | None) -> int:
    """A sample plan for every unit the period scores: units with administrative
    procedures are surveyed (target = the questionnaire's minimum of valid forms), the
    others are not. Existing plans are kept. Returns how many plans were created."""
    _check_open(period)
    questionnaire = Questionnaire.objects.filter(period=period).first()
    target = questionnaire.min_forms if questionnaire else defaults.MIN_FORMS
    have = set(SamplePlan.objects.filter(period=period).values_list("unit_id", flat=True))
    new = [
        SamplePlan(
            period=period,
            unit=unit,
            surveyed=unit.has_procedures,
            target_forms=target if unit.has_procedures else 0,
            public_key=_new_key(),
        )
        for unit in period_units(period)
        if unit.pk not in have
    ]
    SamplePlan.objects.bulk_create(new)
    if new:
        record(
            actor=actor,
            action="survey.plans_created",
            target=period,
            summary=f"Lập kế hoạch khảo sát cho {len(new)} đơn vị ({period.name})",
            after={"plans": len(new), "surveyed": sum(p.surveyed for p in new)},
        )
    return len(new)


@transaction.atomic
def sample_plan_update(
    *,
    plan: SamplePlan,
    surveyed: bool,
    target_forms: int,
    channel: str,
    tokens_required: bool,
    actor: User | None,
) -> SamplePlan:
    """Change one unit's plan."""
    locked = SamplePlan.objects.select_for_update().select_related("period", "unit").get(pk=plan.pk)
    _check_open(locked.period)
    if channel not in Channel.values:
        raise ValidationError({"channel": [f"Hình thức khảo sát “{channel}” không có."]})
    if target_forms < 0 or target_forms > 1_000_000:
        raise ValidationError({"target_forms": ["Số phiếu cần thu phải từ 0 đến 1.000.000."]})
    before = {
        "surveyed": locked.surveyed,
        "target_forms": locked.target_forms,
        "channel": locked.channel,
        "tokens_required": locked.tokens_required,
    }
    locked.surveyed = surveyed
    locked.target_forms = target_forms if surveyed else 0
    locked.channel = channel
    locked.tokens_required = tokens_required
    locked.save()
    record(
        actor=actor,
        action="survey.plan_updated",
        target=locked,
        summary=f"Sửa kế hoạch khảo sát của {locked.unit.name} ({locked.period.name})",
        before=before,
        after={
            "surveyed": locked.surveyed,
            "target_forms": locked.target_forms,
            "channel": locked.channel,
            "tokens_required": locked.tokens_required,
        },
    )
    return locked


@transaction.atomic
def tokens_issue(*, plan: SamplePlan, count: int, actor: User | None) -> list[SurveyToken]:
    """Issue ``count`` one-submission codes for the unit's online form."""
    _check_open(plan.period)
    if not plan.surveyed:
        raise ValidationError(f"{plan.unit.name} không thuộc diện khảo sát trong kỳ này.")
    if not 1 <= count <= MAX_TOKENS_PER_CALL:
        raise ValidationError(
            {"count": [f"Số mã phát mỗi lần từ 1 đến {MAX_TOKENS_PER_CALL:,}.".replace(",", ".")]}
        )
    tokens = SurveyToken.objects.bulk_create(
        SurveyToken(plan=plan, token=secrets.token_urlsafe(9)) for _ in range(count)
    )
    record(
        actor=actor,
        action="survey.tokens_issued",
        target=plan,
        summary=f"Phát {count} mã phiếu trực tuyến cho {plan.unit.name}",
        after={"count": count},
    )
    return tokens


# --------------------------------------------------------------------------- editing


@dataclass(frozen=True)
class _Rules:
    """What counts as satisfied, the minimums and the conversion to points."""

    satisfied_at: int
    min_answered_share: Decimal
    min_forms: int
    points_slope: Decimal | None
    points_intercept: Decimal
    rounding_mode: str
    rounding_places: int

    def config(
        self, factors: list[FactorSpec], survey_max: Decimal, scale_min: int, scale_max: int
    ) -> engine_survey.SurveyConfig:
        return engine_config(
            factors=tuple(
                engine_survey.FactorDef(
                    code=f.code,
                    name=f.name,
                    questions=tuple(c for c, _ in f.questions),
                    weight=f.weight,
                )
                for f in factors
            ),
            survey_max=survey_max,
            scale_min=scale_min,
            scale_max=scale_max,
            satisfied_at=self.satisfied_at,
            min_answered_share=self.min_answered_share,
            min_forms=self.min_forms,
            points_slope=self.points_slope,
            points_intercept=self.points_intercept,
            rounding_mode=self.rounding_mode,
            rounding_places=self.rounding_places,
        )


@transaction.atomic
def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    name: str,
    introduction: str,
    scale_labels: list[str],
    satisfied_at: int,
    min_answered_share: Decimal,
    min_forms: int,
    points_slope: Decimal | None,
    points_intercept: Decimal,
    rounding_mode: str,
    rounding_places: int,
    factors: list[FactorSpec],
    actor: User | None,
) -> Questionnaire:
    """Replace the questionnaire's wording, factors, questions and scoring rules, checked
    by the engine against every criteria set of the period. Once forms are stored the
    question codes are fixed (wording, weights and rules can still change)."""
    locked = (
        Questionnaire.objects.select_for_update().select_related("period").get(pk=questionnaire.pk)
    )
    _check_open(locked.period)
    # NUL: never in a questionnaire's text, and refused by PostgreSQL (a 500, not a message).
    name, introduction = name.replace("\x00", "").strip(), introduction.replace("\x00", "")
    labels = [text for text in (s.replace("\x00", "").strip() for s in scale_labels) if text]
    rules = _Rules(
        satisfied_at,
        min_answered_share,
        min_forms,
        points_slope,
        points_intercept,
        rounding_mode,
        rounding_places,
    )
    if problems := _wording_problems(name, labels, rules):
        raise ValidationError(problems)
    scale_max = locked.scale_min + len(labels) - 1
    problems = _engine_problems(locked, factors, scale_max, rules) + _code_problems(locked, factors)
    if problems:
        raise ValidationError(problems)
    before = _edited(locked)
    _apply(
        locked,
        name=name[:300],
        introduction=introduction.strip(),
        labels=labels,
        scale_max=scale_max,
        rules=rules,
    )
    _replace_factors(locked, factors)
    record(
        actor=actor,
        action="survey.questionnaire_updated",
        target=locked,
        summary=f"Sửa phiếu khảo sát của {locked.period.name}",
        before=before,
        after=_edited(locked),
    )
    return locked


def _wording_problems(name: str, labels: list[str], rules: _Rules) -> list[str]:
    problems: list[str] = []
    if not name:
        problems.append("Tên phiếu khảo sát không được để trống.")
    if not 2 <= len(labels) <= 11:
        problems.append("Thang trả lời cần từ 2 đến 11 mức (mỗi mức một dòng).")
    if rules.rounding_mode not in ("half_up", "truncate") or not 0 <= rules.rounding_places <= 4:
        problems.append("Cách làm tròn điểm không hợp lệ (0 đến 4 chữ số thập phân).")
    return problems


def _engine_problems(
    questionnaire: Questionnaire, factors: list[FactorSpec], scale_max: int, rules: _Rules
) -> list[str]:
    """What the engine refuses in the edited questionnaire, for every survey maximum of the
    period's criteria sets (each message once)."""
    problems: list[str] = []
    for survey_max in survey_maxima(questionnaire.period) or [Decimal(100)]:
        config = rules.config(factors, survey_max, questionnaire.scale_min, scale_max)
        for problem in engine_survey.check_config(config):
            message = problem[0].upper() + problem[1:] + "."
            if message not in problems:
                problems.append(message)
    return problems


def _code_problems(questionnaire: Questionnaire, factors: list[FactorSpec]) -> list[str]:
    """Once forms are stored, the question codes (the forms' answers) may not change."""
    stored = SurveyResponse.objects.filter(period=questionnaire.period).count()
    before_codes = question_codes(questionnaire)
    after_codes = [c for f in factors for c, _ in f.questions]
    if stored and sorted(before_codes) != sorted(after_codes):
        return [
            f"Đã có {stored} phiếu trả lời: không thêm, bớt hoặc đổi mã câu hỏi; chỉ sửa được "
            "câu chữ, trọng số và cách tính điểm."
        ]
    return []


def _edited(questionnaire: Questionnaire) -> dict[str, Any]:
    """What the audit keeps of an edit, before and after."""
    return {
        "outline": questionnaire_outline(questionnaire),
        "satisfied_at": questionnaire.satisfied_at,
        "scale_labels": questionnaire.scale_labels,
    }


def _apply(
    questionnaire: Questionnaire,
    *,
    name: str,
    introduction: str,
    labels: list[str],
    scale_max: int,
    rules: _Rules,
) -> None:
    questionnaire.name = name
    questionnaire.introduction = introduction
    questionnaire.scale_labels = labels
    questionnaire.scale_max = scale_max
    questionnaire.satisfied_at = rules.satisfied_at
    questionnaire.min_answered_share = rules.min_answered_share
    questionnaire.min_forms = rules.min_forms
    questionnaire.points_slope = rules.points_slope
    questionnaire.points_intercept = rules.points_intercept
    questionnaire.rounding_mode = rules.rounding_mode
    questionnaire.rounding_places = rules.rounding_places
    questionnaire.save()


def _replace_factors(questionnaire: Questionnaire, factors: list[FactorSpec]) -> None:
    questionnaire.factors.all().delete()
    for f_pos, spec in enumerate(factors, start=1):
        factor = Factor.objects.create(
            questionnaire=questionnaire,
            code=spec.code,
            name=spec.name,
            weight=spec.weight,
            position=f_pos,
        )
        Question.objects.bulk_create(
            Question(factor=factor, code=code, text=text, position=q_pos)
            for q_pos, (code, text) in enumerate(spec.questions, start=1)
        )


@transaction.atomic
def questionnaire_set_device_guard(
    *, questionnaire: Questionnaire, on: bool, actor: User | None
) -> Questionnaire:
    """Turn on (or off) "one online form per device" for the period's public forms."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.one_form_per_device != on:
        locked.one_form_per_device = on
        locked.save(update_fields=["one_form_per_device", "updated_at"])
        record(
            actor=actor,
            action="survey.device_guard_changed",
            target=locked,
            summary=(
                "Phiếu trực tuyến: mỗi thiết bị chỉ gửi một phiếu"
                if on
                else "Phiếu trực tuyến: cho phép một thiết bị gửi nhiều phiếu"
            ),
            before={"one_form_per_device": not on},
            after={"one_form_per_device": on},
        )
    questionnaire.one_form_per_device = on
    return locked
