"""Reads of the survey: who may see a period's survey, its questionnaire and question codes,
progress against the sample plan, the computations of points and what they say, the stored
results, and the rows of the exports."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404

from parindex.core.text import fold
from parindex.periods.models import Period, PeriodGroup
from parindex.periods.permissions import get_overseen_period, overseen_periods
from parindex.surveys.models import (
    Channel,
    Question,
    Questionnaire,
    ResponseExport,
    ResponseSource,
    SamplePlan,
    SurveyComputation,
    SurveyResponse,
    SurveyResult,
)

CHANNEL_LABELS = dict(Channel.choices)
SOURCE_LABELS = dict(ResponseSource.choices)


def get_survey_period(user: Any, pk: int, *, manage: bool = False) -> Period:
    """The period whose survey ``user`` oversees (council chair, observer): 404 for anyone
    else or another province; 403 when an observer tries to change something."""
    return get_overseen_period(user, pk, manage=manage, what="khảo sát")


def survey_periods_for(user: Any) -> list[Period]:
    """The periods whose survey ``user`` oversees, newest first (none for other roles)."""
    return list(overseen_periods(user).select_related("jurisdiction").order_by("-year", "kind"))


def questionnaire_of(period: Period) -> Questionnaire | None:
    """The period's questionnaire (None before one is created)."""
    return Questionnaire.objects.filter(period=period).first()


def questionnaire_required(period: Period) -> Questionnaire:
    """The period's questionnaire, or a ValidationError saying it has none yet."""
    questionnaire = questionnaire_of(period)
    if questionnaire is None:
        raise ValidationError(f"Kỳ đánh giá {period.name} chưa có phiếu khảo sát.")
    return questionnaire


def question_codes(questionnaire: Questionnaire) -> list[str]:
    """The scale questions' codes in questionnaire order (the import template's columns)."""
    return list(
        Question.objects.filter(factor__questionnaire=questionnaire)
        .order_by("factor__position", "position", "id")
        .values_list("code", flat=True)
    )


def survey_maxima(period: Period) -> list[Decimal]:
    """The survey maxima of the criteria sets the period binds, smallest first."""
    maxima = PeriodGroup.objects.filter(period=period).values_list(
        "criteria_set__survey_max", flat=True
    )
    return sorted({m for m in maxima if m is not None})


def plans_matching(period: Period, query: str = "") -> QuerySet[SamplePlan]:
    """The period's sample plans, by unit position and name; ``query`` matches the unit's
    code or its name without diacritics ("van son" finds "Vân Sơn")."""
    plans = SamplePlan.objects.filter(period=period).select_related("unit", "unit__group")
    folded = fold(query)
    for word in folded.split():
        plans = plans.filter(unit__search_name__contains=word) | plans.filter(
            unit__code__icontains=word
        )
    return plans.order_by("unit__group__name", "unit__position", "unit__name")


@dataclass(frozen=True)
class ProgressRow:
    plan: SamplePlan
    forms: int
    result: SurveyResult | None

    @property
    def percent(self) -> int:
        if not self.plan.target_forms:
            return 0
        return min(100, round(100 * self.forms / self.plan.target_forms))


def progress_rows(period: Period, plans: list[SamplePlan]) -> list[ProgressRow]:
    """Forms received and the last computed result of each plan's unit (two queries for
    the page, whatever its length)."""
    unit_ids = [p.unit_id for p in plans]
    counts = dict(
        SurveyResponse.objects.filter(period=period, unit_id__in=unit_ids)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
    )
    results = {
        r.unit_id: r for r in SurveyResult.objects.filter(period=period, unit_id__in=unit_ids)
    }
    return [ProgressRow(p, counts.get(p.unit_id, 0), results.get(p.unit_id)) for p in plans]


@dataclass(frozen=True)
class PeriodTotals:
    plans: int
    surveyed: int
    target: int
    forms: int


def period_totals(period: Period) -> PeriodTotals:
    plans = SamplePlan.objects.filter(period=period)
    surveyed = plans.filter(surveyed=True)
    return PeriodTotals(
        plans=plans.count(),
        surveyed=surveyed.count(),
        target=sum(surveyed.values_list("target_forms", flat=True)),
        forms=SurveyResponse.objects.filter(period=period).count(),
    )


def last_computation(period: Period) -> SurveyComputation | None:
    """The period's latest computation of survey points (None before the first)."""
    return SurveyComputation.objects.filter(period=period).select_related("created_by").first()


def get_computation(period: Period, computation_id: int) -> SurveyComputation:
    """One computation of ``period`` (404 for another period's)."""
    found = (
        SurveyComputation.objects.filter(period=period, pk=computation_id)
        .select_related("created_by")
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy lượt tính điểm khảo sát.")
    return found


def last_export(period: Period) -> ResponseExport | None:
    """The period's latest Excel export of the forms (None before the first)."""
    return ResponseExport.objects.filter(period=period).select_related("created_by").first()


def get_export(period: Period, export_id: int) -> ResponseExport:
    """One Excel export of ``period`` (404 for another period's)."""
    found = (
        ResponseExport.objects.filter(period=period, pk=export_id)
        .select_related("created_by")
        .first()
    )
    if found is None:
        raise Http404("Không tìm thấy tệp xuất phiếu khảo sát.")
    return found


@dataclass(frozen=True)
class Notice:
    level: str
    """Bootstrap's alert colour: success, warning."""
    text: str


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def _names(names: list[str], shown: int = 5) -> str:
    return ", ".join(names[:shown]) + ("…" if len(names) > shown else "")


def computation_notices(computation: SurveyComputation) -> list[Notice]:
    """What a finished computation tells the council (none before it is done)."""
    if computation.status != SurveyComputation.Status.DONE:
        return []
    summary = computation.summary
    notices = [
        Notice(
            "success",
            f"Đã tính điểm khảo sát của {summary.get('surveyed', 0)} đơn vị từ "
            f"{_number(summary.get('valid_forms', 0))} phiếu hợp lệ / "
            f"{_number(summary.get('forms', 0))} phiếu.",
        )
    ]
    too_few: list[str] = summary.get("too_few", [])
    if too_few:
        notices.append(
            Notice("warning", f"{len(too_few)} đơn vị chưa đủ số phiếu hợp lệ tối thiểu.")
        )
    without_forms: list[str] = summary.get("without_forms", [])
    if without_forms:
        notices.append(
            Notice(
                "warning",
                f"{len(without_forms)} đơn vị chưa có phiếu hợp lệ nào (chưa có điểm): "
                + _names(without_forms),
            )
        )
    without_assessment: list[str] = summary.get("without_assessment", [])
    if without_assessment:
        notices.append(
            Notice(
                "warning",
                f"{len(without_assessment)} đơn vị chưa có phiếu chấm điểm của kỳ nên điểm "
                "khảo sát chưa vào kết quả: " + _names(without_assessment),
            )
        )
    return notices


def results_of(period: Period) -> list[SurveyResult]:
    """Stored results by points (highest first), then unit name."""
    return list(
        SurveyResult.objects.filter(period=period)
        .select_related("unit")
        .order_by("-points", "unit__name")
    )


def response_rows(
    period: Period, question_codes: list[str], respondent_codes: list[str]
) -> Iterator[list[Any]]:
    """The export of every stored form (streamed), one row per form, in the columns of the
    import template (so that an export can be imported into another installation)."""
    rows = (
        SurveyResponse.objects.filter(period=period)
        .order_by("unit__code", "form_key")
        .values_list(
            "form_key",
            "unit__code",
            "unit__name",
            "collected_on",
            "channel",
            "source",
            "answers",
            "respondent",
            "comment",
        )
        .iterator(chunk_size=5000)
    )
    for key, code, name, collected, channel, source, answers, respondent, comment in rows:
        yield [
            key,
            code,
            collected.strftime("%d/%m/%Y") if collected else "",
            CHANNEL_LABELS.get(channel, channel),
            *["" if answers.get(c) is None else answers[c] for c in question_codes],
            *[respondent.get(c, "") for c in respondent_codes],
            comment,
            name,
            SOURCE_LABELS.get(source, source),
        ]
