"""Writes of the survey: questionnaires, sample plans, tokens and online forms.

Every function here is a service: keyword-only, one transaction, Vietnamese
:class:`~django.core.exceptions.ValidationError` on bad input with nothing stored, and an
audit event written in the same transaction. Bulk import lives in
:mod:`parindex.surveys.imports`, the computation of points in :mod:`parindex.surveys.scoring`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.periods.lifecycle import period_units
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.surveys import defaults
from parindex.surveys.models import (
    Channel,
    Factor,
    Question,
    Questionnaire,
    RespondentQuestion,
    ResponseSource,
    SamplePlan,
    SurveyResponse,
    SurveyToken,
)

MAX_COMMENT = 4000
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


def question_codes(questionnaire: Questionnaire) -> list[str]:
    """The scale questions' codes in questionnaire order (the import template's columns)."""
    return list(
        Question.objects.filter(factor__questionnaire=questionnaire)
        .order_by("factor__position", "position", "id")
        .values_list("code", flat=True)
    )


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


# --------------------------------------------------------------------------- online form


def _online_answers(
    questionnaire: Questionnaire, raw: Mapping[str, Any]
) -> tuple[dict[str, int | None], list[str]]:
    """The scale answers of a posted form, and Vietnamese problems (naming the question)."""
    answers: dict[str, int | None] = {}
    problems: list[str] = []
    questions = Question.objects.filter(factor__questionnaire=questionnaire).order_by(
        "factor__position", "position"
    )
    for question in questions:
        value = raw.get(question.code)
        if value in (None, ""):
            answers[question.code] = None
            continue
        text = str(value).strip()
        if not (text.isascii() and text.isdigit() and len(text) <= 6) or not (
            questionnaire.scale_min <= int(text) <= questionnaire.scale_max
        ):
            problems.append(
                f"Câu “{question.text}”: hãy chọn một mức từ {questionnaire.scale_min} "
                f"đến {questionnaire.scale_max}."
            )
            continue
        answers[question.code] = int(text)
    return answers, problems


def _respondent(
    questionnaire: Questionnaire, raw: Mapping[str, Any]
) -> tuple[dict[str, str], list[str]]:
    values: dict[str, str] = {}
    problems: list[str] = []
    for question in questionnaire.respondent_questions.all():
        value = str(raw.get(question.code) or "").strip()
        if not value:
            continue
        if value not in question.choices:
            problems.append(f"“{question.text}”: lựa chọn “{value[:40]}” không có trong phiếu.")
            continue
        values[question.code] = value
    return values, problems


@transaction.atomic
def response_submit_online(
    *,
    plan: SamplePlan,
    answers: Mapping[str, Any],
    respondent: Mapping[str, Any] | None = None,
    comment: str = "",
    token: str = "",
) -> SurveyResponse:
    """Store one form submitted on the unit's public page (no account). With
    ``plan.tokens_required`` the form must carry an unused code, which it then uses up."""
    period = plan.period
    if period.status == PeriodStatus.FINALISED:
        raise ValidationError("Đợt khảo sát đã kết thúc. Cảm ơn Ông/Bà đã quan tâm.")
    if not plan.surveyed:
        raise ValidationError(f"{plan.unit.name} không khảo sát trong kỳ này.")
    questionnaire = Questionnaire.objects.filter(period=period).first()
    if questionnaire is None:
        raise ValidationError("Kỳ đánh giá chưa có phiếu khảo sát.")
    values, problems = _online_answers(questionnaire, answers)
    who, more = _respondent(questionnaire, respondent or {})
    problems += more
    text = (comment or "").replace("\x00", "").strip()
    if len(text) > MAX_COMMENT:
        problems.append(f"Góp ý dài {len(text)} ký tự, tối đa {MAX_COMMENT}.")
    if values and all(v is None for v in values.values()):
        problems.append("Hãy trả lời ít nhất một câu hỏi về mức độ hài lòng.")
    used: SurveyToken | None = None
    token = (token or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in a query
    if plan.tokens_required or token:
        used = (
            SurveyToken.objects.select_for_update().filter(plan=plan, token=token).first()
            if token
            else None
        )
        if used is None:
            problems.append("Mã phiếu không đúng. Hãy dùng đường dẫn hoặc mã QR được phát.")
        elif used.used_at is not None:
            problems.append("Mã phiếu này đã được dùng để gửi một phiếu.")
    if problems:
        raise ValidationError(problems)
    now = timezone.now()
    response = SurveyResponse.objects.create(
        period=period,
        unit=plan.unit,
        source=ResponseSource.ONLINE,
        channel=Channel.ONLINE,
        form_key=f"TT-{used.token if used else secrets.token_urlsafe(12)}",
        answers=values,
        respondent=who,
        comment=text,
        collected_on=timezone.localdate(now),
    )
    if used is not None:
        used.used_at = now
        used.save(update_fields=["used_at"])
    record(
        actor=None,
        action="survey.response_online",
        target=response,
        summary=f"Phiếu khảo sát trực tuyến của {plan.unit.name}",
        after={"answered": sum(v is not None for v in values.values()), "token": bool(used)},
    )
    return response


def survey_maxima(period: Period) -> list[Decimal]:
    """The survey maxima of the criteria sets the period binds, smallest first."""
    maxima = PeriodGroup.objects.filter(period=period).values_list(
        "criteria_set__survey_max", flat=True
    )
    return sorted({m for m in maxima if m is not None})


# --------------------------------------------------------------------------- editing


@dataclass(frozen=True)
class FactorSpec:
    code: str
    name: str
    weight: Decimal
    questions: tuple[tuple[str, str], ...]
    """(code, text) of each question, in order."""


OUTLINE_HELP = (
    "Mỗi yếu tố một dòng bắt đầu bằng #: “# mã | tên yếu tố | trọng số”; dưới nó mỗi câu "
    "hỏi một dòng: “mã câu hỏi | nội dung”. Mã câu hỏi là tên cột khi nhập tệp."
)
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")


def questionnaire_outline(questionnaire: Questionnaire) -> str:
    """The factors and questions as the editable outline (see :func:`parse_outline`)."""
    lines: list[str] = []
    for factor in questionnaire.factors.prefetch_related("questions"):
        lines.append(f"# {factor.code} | {factor.name} | {factor.weight.normalize()}")
        lines.extend(f"{q.code} | {q.text}" for q in factor.questions.all())
    return "\n".join(lines)


def parse_outline(text: str) -> list[FactorSpec]:
    """Read an outline; every problem is a ValidationError naming its line."""
    factors: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, raw in enumerate(text.replace("\x00", "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = [p.strip() for p in line[1:].split("|")]
            if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
                problems.append(f"Dòng {number}: yếu tố cần dạng “# mã | tên | trọng số”.")
                continue
            weight = Decimal(1)
            if len(parts) == 3 and parts[2]:
                try:
                    weight = Decimal(parts[2].replace(",", "."))
                except InvalidOperation:
                    problems.append(f"Dòng {number}: trọng số “{parts[2]}” không phải số.")
                    continue
                if not weight.is_finite() or weight < 0 or weight > 1000:
                    problems.append(f"Dòng {number}: trọng số phải từ 0 đến 1000.")
                    continue
            if not _CODE.match(parts[0]):
                problems.append(
                    f"Dòng {number}: mã yếu tố “{parts[0][:30]}” chỉ gồm chữ không dấu, số, "
                    "dấu chấm, gạch (tối đa 20 ký tự)."
                )
                continue
            factors.append({"code": parts[0], "name": parts[1][:300], "weight": weight, "q": []})
            continue
        code, sep, question = (p.strip() for p in line.partition("|"))
        if not sep or not code or not question:
            problems.append(f"Dòng {number}: câu hỏi cần dạng “mã | nội dung”.")
        elif not factors:
            problems.append(f"Dòng {number}: câu hỏi đứng trước mọi yếu tố (thiếu dòng “# …”).")
        elif not _CODE.match(code):
            problems.append(
                f"Dòng {number}: mã câu hỏi “{code[:30]}” chỉ gồm chữ không dấu, số, dấu chấm, "
                "gạch (tối đa 20 ký tự)."
            )
        else:
            factors[-1]["q"].append((code, question[:500]))
    if problems:
        raise ValidationError(problems)
    return [FactorSpec(f["code"], f["name"], f["weight"], tuple(f["q"])) for f in factors]


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
    from parindex.engine import survey as engine_survey
    from parindex.surveys.scoring import engine_config

    locked = (
        Questionnaire.objects.select_for_update().select_related("period").get(pk=questionnaire.pk)
    )
    _check_open(locked.period)
    problems: list[str] = []
    # NUL: never in a questionnaire's text, and refused by PostgreSQL (a 500, not a message).
    name, introduction = name.replace("\x00", "").strip(), introduction.replace("\x00", "")
    scale_labels = [label.replace("\x00", "") for label in scale_labels]
    if not name:
        problems.append("Tên phiếu khảo sát không được để trống.")
    labels = [label.strip() for label in scale_labels if label.strip()]
    if not 2 <= len(labels) <= 11:
        problems.append("Thang trả lời cần từ 2 đến 11 mức (mỗi mức một dòng).")
    if rounding_mode not in ("half_up", "truncate") or not 0 <= rounding_places <= 4:
        problems.append("Cách làm tròn điểm không hợp lệ (0 đến 4 chữ số thập phân).")
    if problems:
        raise ValidationError(problems)
    scale_max = locked.scale_min + len(labels) - 1
    config_factors = tuple(
        engine_survey.FactorDef(
            code=f.code, name=f.name, questions=tuple(c for c, _ in f.questions), weight=f.weight
        )
        for f in factors
    )
    for survey_max in survey_maxima(locked.period) or [Decimal(100)]:
        config = engine_config(
            factors=config_factors,
            survey_max=survey_max,
            scale_min=locked.scale_min,
            scale_max=scale_max,
            satisfied_at=satisfied_at,
            min_answered_share=min_answered_share,
            min_forms=min_forms,
            points_slope=points_slope,
            points_intercept=points_intercept,
            rounding_mode=rounding_mode,
            rounding_places=rounding_places,
        )
        for problem in engine_survey.check_config(config):
            message = problem[0].upper() + problem[1:] + "."
            if message not in problems:
                problems.append(message)
    stored = SurveyResponse.objects.filter(period=locked.period).count()
    before_codes = question_codes(locked)
    after_codes = [c for f in factors for c, _ in f.questions]
    if stored and sorted(before_codes) != sorted(after_codes):
        problems.append(
            f"Đã có {stored} phiếu trả lời: không thêm, bớt hoặc đổi mã câu hỏi; chỉ sửa được "
            "câu chữ, trọng số và cách tính điểm."
        )
    if problems:
        raise ValidationError(problems)
    before = {
        "outline": questionnaire_outline(locked),
        "satisfied_at": locked.satisfied_at,
        "scale_labels": locked.scale_labels,
    }
    locked.name = name[:300]
    locked.introduction = introduction.strip()
    locked.scale_labels = labels
    locked.scale_max = scale_max
    locked.satisfied_at = satisfied_at
    locked.min_answered_share = min_answered_share
    locked.min_forms = min_forms
    locked.points_slope = points_slope
    locked.points_intercept = points_intercept
    locked.rounding_mode = rounding_mode
    locked.rounding_places = rounding_places
    locked.save()
    locked.factors.all().delete()
    for f_pos, spec in enumerate(factors, start=1):
        factor = Factor.objects.create(
            questionnaire=locked, code=spec.code, name=spec.name, weight=spec.weight, position=f_pos
        )
        Question.objects.bulk_create(
            Question(factor=factor, code=code, text=text, position=q_pos)
            for q_pos, (code, text) in enumerate(spec.questions, start=1)
        )
    record(
        actor=actor,
        action="survey.questionnaire_updated",
        target=locked,
        summary=f"Sửa phiếu khảo sát của {locked.period.name}",
        before=before,
        after={
            "outline": questionnaire_outline(locked),
            "satisfied_at": satisfied_at,
            "scale_labels": labels,
        },
    )
    return locked
