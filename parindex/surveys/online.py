"""The public online form: one citizen's submission (no account) checked against the
period's questionnaire and, when the unit's plan requires it, a one-submission code."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.audit.services import record
from parindex.periods.models import PeriodStatus
from parindex.surveys.models import (
    Channel,
    Question,
    Questionnaire,
    ResponseSource,
    SamplePlan,
    SurveyResponse,
    SurveyToken,
)
from parindex.surveys.selectors import questionnaire_of

MAX_COMMENT = 4000


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
    questionnaire = questionnaire_of(period)
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
    used = _token(plan, token, problems)
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


def _token(plan: SamplePlan, token: str, problems: list[str]) -> SurveyToken | None:
    """The unused code the form carries (locked until the form is stored), if any; a wrong
    or used code, or none where the plan requires one, adds its problem."""
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
    return used
