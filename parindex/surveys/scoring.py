"""From stored forms to survey points, through the engine (:mod:`parindex.engine.survey`).

:func:`survey_config` turns a period's questionnaire into the engine's configuration for one
criteria set (the set gives the survey's maximum points); :func:`survey_compute` streams the
period's forms group by group, stores a :class:`SurveyResult` per unit and writes the points
into the units' assessments, where the period's results read them. Units the sample plan
does not survey get "không khảo sát" (their maximum shrinks).

The council's button goes through :func:`survey_compute_start`, which queues the task
:func:`parindex.surveys.tasks.compute_survey`; the worker runs :func:`survey_compute_run`
and the page polls the :class:`SurveyComputation`'s progress (forms read of the total).
:func:`survey_compute` stays callable directly (demo, benchmark, tests).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Iterator
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

import orjson
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.audit.services import record
from parindex.core.progress import ProgressColumns
from parindex.criteria.models import CriteriaSet
from parindex.engine import survey as engine_survey
from parindex.engine.errors import InputError
from parindex.engine.model import Rounding
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.surveys import jobs
from parindex.surveys.models import (
    Questionnaire,
    SamplePlan,
    SurveyComputation,
    SurveyResponse,
    SurveyResult,
)

logger = logging.getLogger(__name__)

ITERATOR_CHUNK = 20_000
PROGRESS_EVERY = 20_000
"""Forms read between two progress reports."""
STALE_AFTER = jobs.STALE_AFTER
"""A computation queued or running for longer than this is taken as interrupted (a worker
that stopped): a new one may start (see :mod:`parindex.surveys.jobs`)."""

ProgressCallback = Callable[[int, int], None]
"""Called with (forms read so far, forms in total): first (0, total), then at most every
``PROGRESS_EVERY`` forms, last (total, total)."""


def engine_config(
    *,
    factors: tuple[engine_survey.FactorDef, ...],
    survey_max: Decimal,
    scale_min: int,
    scale_max: int,
    satisfied_at: int,
    min_answered_share: Decimal,
    min_forms: int,
    points_slope: Decimal | None,
    points_intercept: Decimal,
    rounding_mode: str,
    rounding_places: int,
) -> engine_survey.SurveyConfig:
    """The engine's configuration from a questionnaire's settings (stored or being edited)
    for a set whose survey is worth ``survey_max`` points; no slope means max ÷ 100."""
    slope = points_slope if points_slope is not None else survey_max / Decimal(100)
    return engine_survey.SurveyConfig(
        factors=factors,
        survey_max=survey_max,
        scale_min=scale_min,
        scale_max=scale_max,
        satisfied_at=satisfied_at,
        min_answered_share=min_answered_share,
        min_forms=min_forms,
        conversion=engine_survey.Conversion(a=slope, b=points_intercept),
        rounding=Rounding(rounding_mode, rounding_places),
    )


def survey_config(questionnaire: Questionnaire, survey_max: Decimal) -> engine_survey.SurveyConfig:
    """The engine's configuration of the stored ``questionnaire``."""
    return engine_config(
        factors=tuple(
            engine_survey.FactorDef(
                code=f.code,
                name=f.name,
                questions=tuple(q.code for q in f.questions.all()),
                weight=f.weight,
            )
            for f in questionnaire.factors.prefetch_related("questions")
        ),
        survey_max=survey_max,
        scale_min=questionnaire.scale_min,
        scale_max=questionnaire.scale_max,
        satisfied_at=questionnaire.satisfied_at,
        min_answered_share=questionnaire.min_answered_share,
        min_forms=questionnaire.min_forms,
        points_slope=questionnaire.points_slope,
        points_intercept=questionnaire.points_intercept,
        rounding_mode=questionnaire.rounding_mode,
        rounding_places=questionnaire.rounding_places,
    )


@dataclass
class ComputeSummary:
    units: int = 0
    surveyed: int = 0
    forms: int = 0
    valid_forms: int = 0
    too_few: list[str] = field(default_factory=list)
    without_forms: list[str] = field(default_factory=list)
    without_assessment: list[str] = field(default_factory=list)


def _forms(period: Period, unit_ids: list[int]) -> Generator[engine_survey.Form, None, None]:
    """The period's forms of ``unit_ids``, streamed. On PostgreSQL a server-side cursor
    reads the answers as JSON text and orjson decodes them (a million forms: seconds, not
    the ~15 s of building ORM rows); elsewhere the ORM's iterator."""
    if connection.vendor != "postgresql":
        rows = (
            SurveyResponse.objects.filter(period=period, unit_id__in=unit_ids)
            .values_list("unit_id", "answers")
            .iterator(chunk_size=ITERATOR_CHUNK)
        )
        for unit_id, answers in rows:
            yield engine_survey.Form(unit=str(unit_id), answers=answers)
        return
    table = SurveyResponse._meta.db_table
    Form = engine_survey.Form
    with transaction.atomic():  # a server-side cursor lives in a transaction
        connection.ensure_connection()
        raw = connection.connection
        assert raw is not None
        with raw.cursor(name="survey_forms") as cursor:
            cursor.itersize = ITERATOR_CHUNK
            cursor.execute(
                f"SELECT unit_id, answers::text FROM {table} "  # noqa: S608 (our table name)
                "WHERE period_id = %s AND unit_id = ANY(%s)",
                [period.pk, unit_ids],
            )
            for unit_id, text in cursor:
                yield Form(unit=str(unit_id), answers=orjson.loads(text))


class _FormCounter:
    """Counts the forms the engine reads, across the groups of a computation, and reports
    them to ``progress`` at most every ``PROGRESS_EVERY`` forms."""

    def __init__(self, total: int, progress: ProgressCallback) -> None:
        self.total = total
        self.progress = progress
        self.done = 0
        self.reported: tuple[int, int] = (0, total)

    def report(self) -> None:
        current = (self.done, max(self.total, self.done))
        if current != self.reported:
            self.reported = current
            self.progress(*current)

    def finish(self) -> None:
        """The last report: every form was read, so the total is what was read (forms
        stored or deleted since the count would otherwise leave the bar short or over)."""
        self.total = self.done
        self.report()

    def counted(
        self, forms: Iterator[engine_survey.Form]
    ) -> Generator[engine_survey.Form, None, None]:
        done = self.done
        next_report = done + PROGRESS_EVERY
        for form in forms:
            yield form
            done += 1
            if done >= next_report:
                self.done = done
                self.report()
                next_report = done + PROGRESS_EVERY
        self.done = done


def _forms_total(period: Period, unit_ids: set[int]) -> int:
    """How many forms of the period belong to ``unit_ids`` (one grouped count)."""
    return sum(
        n
        for unit_id, n in SurveyResponse.objects.filter(period=period)
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .values_list("unit_id", "n")
        .order_by()
        if unit_id in unit_ids
    )


def _check_ready(period: Period) -> tuple[Questionnaire, list[SamplePlan]]:
    """What the computation needs before reading any form, or a ValidationError saying
    what is missing."""
    if period.status == PeriodStatus.FINALISED:
        raise ValidationError(
            f"Kỳ đánh giá {period.name} đã chốt kết quả; không tính lại khảo sát."
        )
    questionnaire = Questionnaire.objects.filter(period=period).first()
    if questionnaire is None:
        raise ValidationError(f"Kỳ đánh giá {period.name} chưa có phiếu khảo sát.")
    plans = list(SamplePlan.objects.filter(period=period).select_related("unit"))
    if not plans:
        raise ValidationError(f"Kỳ đánh giá {period.name} chưa có kế hoạch khảo sát.")
    return questionnaire, plans


def survey_compute(
    *, period: Period, actor: User | None, progress: ProgressCallback | None = None
) -> ComputeSummary:
    """Compute every surveyed unit's satisfaction index and points from the stored forms,
    store them, and give them to the units' assessments (survey points of the results).

    ``progress``, when given, is told how many forms were read (see ``ProgressCallback``);
    the forms are then counted once before reading them."""
    questionnaire, plans = _check_ready(period)
    bindings: dict[int, CriteriaSet] = {
        pg.group_id: pg.criteria_set
        for pg in PeriodGroup.objects.filter(period=period).select_related("criteria_set")
    }
    summary = ComputeSummary(units=len(plans))
    results: list[SurveyResult] = []
    points: dict[int, tuple[Decimal | None, bool]] = {}
    by_set: dict[int, list[SamplePlan]] = {}
    for plan in plans:
        if not plan.surveyed:
            points[plan.unit_id] = (None, True)
            continue
        criteria_set = bindings.get(plan.unit.group_id) if plan.unit.group_id else None
        if criteria_set is None:
            raise ValidationError(
                f"Đơn vị {plan.unit.name} ({plan.unit.code}) không thuộc nhóm đơn vị nào "
                f"của kỳ đánh giá {period.name}."
            )
        by_set.setdefault(criteria_set.pk, []).append(plan)
    sets = {cs.pk: cs for cs in bindings.values()}
    for set_id in by_set:
        criteria_set = sets[set_id]
        if criteria_set.survey_max is None:
            raise ValidationError(
                f"Bộ tiêu chí {criteria_set.name} không có điểm khảo sát: hãy ghi điểm khảo "
                "sát tối đa vào bộ tiêu chí, hoặc đánh dấu các đơn vị dùng bộ này là không "
                "khảo sát trong kế hoạch."
            )
    counter: _FormCounter | None = None
    if progress is not None:
        surveyed_ids = {p.unit_id for group_plans in by_set.values() for p in group_plans}
        counter = _FormCounter(_forms_total(period, surveyed_ids), progress)
        progress(0, counter.total)
    for set_id, group_plans in by_set.items():
        criteria_set = sets[set_id]
        assert criteria_set.survey_max is not None  # checked above
        config = survey_config(questionnaire, criteria_set.survey_max)
        unit_ids = [p.unit_id for p in group_plans]
        forms = _forms(period, unit_ids)
        stream = forms if counter is None else counter.counted(forms)
        try:
            computed = engine_survey.compute(config, stream, units=[str(u) for u in unit_ids])
        except InputError as exc:
            raise ValidationError(f"Không tính được khảo sát: {exc}") from exc
        finally:
            # A form the engine refused leaves the stream open: close it now (on
            # PostgreSQL its cursor and transaction) rather than when garbage collected.
            stream.close()
            forms.close()
        for plan in group_plans:
            unit = computed[str(plan.unit_id)]
            summary.surveyed += 1
            summary.forms += unit.forms
            summary.valid_forms += unit.valid_forms
            if unit.valid_forms == 0:
                summary.without_forms.append(plan.unit.name)
            elif unit.too_few:
                summary.too_few.append(plan.unit.name)
            results.append(
                SurveyResult(
                    period=period,
                    unit_id=plan.unit_id,
                    forms=unit.forms,
                    valid_forms=unit.valid_forms,
                    index=engine_survey.rounded(unit.index, Rounding("half_up", 4)),
                    margin_of_error=engine_survey.rounded(
                        unit.margin_of_error, Rounding("half_up", 4)
                    ),
                    points=unit.points,
                    too_few=unit.too_few,
                    factors=[
                        {
                            "code": f.code,
                            "answers": f.answers,
                            "satisfied": f.satisfied,
                            "rate": None
                            if f.rate is None
                            else format(engine_survey.rounded(f.rate, Rounding("half_up", 4)), "f"),
                            "mean": None
                            if f.mean_score is None
                            else format(
                                engine_survey.rounded(f.mean_score, Rounding("half_up", 4)), "f"
                            ),
                        }
                        for f in unit.factors
                    ],
                )
            )
            points[plan.unit_id] = (unit.points, False)
    if counter is not None:
        counter.finish()
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.status == PeriodStatus.FINALISED:
            raise ValidationError(f"Kỳ đánh giá {period.name} đã chốt kết quả.")
        SurveyResult.objects.filter(period=period).delete()
        SurveyResult.objects.bulk_create(results, batch_size=2000)
        have = set(
            Assessment.objects.filter(period=period, unit_id__in=list(points)).values_list(
                "unit_id", flat=True
            )
        )
        summary.without_assessment = sorted(p.unit.name for p in plans if p.unit_id not in have)
        # Two statements whatever the number of units: the surveyed units take the points
        # just stored in their SurveyResult, the others become "không khảo sát".
        surveyed = [unit_id for unit_id, (_, not_surveyed) in points.items() if not not_surveyed]
        others = [unit_id for unit_id, (_, not_surveyed) in points.items() if not_surveyed]
        Assessment.objects.filter(period=period, unit_id__in=surveyed).update(
            survey_points=Subquery(
                SurveyResult.objects.filter(period=period, unit_id=OuterRef("unit_id")).values(
                    "points"
                )[:1]
            ),
            survey_not_applicable=False,
        )
        Assessment.objects.filter(period=period, unit_id__in=others).update(
            survey_points=None, survey_not_applicable=True
        )
        record(
            actor=actor,
            action="survey.computed",
            target=period,
            summary=(
                f"Tính điểm khảo sát {period.name}: {summary.surveyed} đơn vị, "
                f"{summary.valid_forms}/{summary.forms} phiếu hợp lệ"
            ),
            after={
                "surveyed": summary.surveyed,
                "forms": summary.forms,
                "valid_forms": summary.valid_forms,
                "too_few": len(summary.too_few),
                "without_forms": len(summary.without_forms),
            },
        )
    return summary


# --------------------------------------------------------------------------- in the worker

COMPUTE_FAILED = (
    "Không tính được điểm khảo sát do lỗi của hệ thống; hãy thử lại sau ít phút, nếu vẫn "
    "không được hãy báo quản trị hệ thống."
)
"""What the page says of an unexpected error (the details go to the log, not the page)."""


def survey_compute_start(*, period: Period, actor: User | None) -> SurveyComputation:
    """Queue the computation of the period's survey points in the background worker.

    Refuses at once what can be checked without reading forms (no questionnaire, no sample
    plan, a finalised period) and a second computation while one is queued or running."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        _check_ready(locked)
        active = SurveyComputation.objects.filter(
            period=locked, status__in=SurveyComputation.ACTIVE
        )
        jobs.release_interrupted(
            active,
            active=SurveyComputation.ACTIVE,
            failed=SurveyComputation.Status.FAILED,
            error="Lượt tính bị gián đoạn (quá lâu không xong); đã có lượt tính mới.",
        )
        if active.exists():
            raise ValidationError(
                f"Điểm khảo sát của {locked.name} đang được tính; hãy chờ lượt tính này "
                "xong rồi mới tính lại."
            )
        computation = SurveyComputation.objects.create(period=locked, created_by=actor)
        record(
            actor=actor,
            action="survey.compute_started",
            target=computation,
            summary=f"Bắt đầu tính điểm khảo sát {locked.name}",
        )
        from parindex.surveys.tasks import compute_survey

        computation_id = computation.pk
        transaction.on_commit(lambda: compute_survey.enqueue(computation_id))
    return computation


def survey_compute_run(*, computation: SurveyComputation) -> SurveyComputation:
    """Run a queued computation (the worker's task): the forms read are written as they
    go, the outcome at the end — the summary, or the reason it failed in Vietnamese."""
    table = SurveyComputation.objects.filter(pk=computation.pk)
    if not table.filter(status=SurveyComputation.Status.QUEUED).update(
        status=SurveyComputation.Status.RUNNING
    ):
        computation.refresh_from_db()
        return computation  # already taken, or given up as interrupted
    writer = _ProgressWriter(computation)
    outcome: dict[str, Any]
    try:
        period = Period.objects.get(pk=computation.period_id)
        summary = survey_compute(period=period, actor=computation.created_by, progress=writer)
    except ValidationError as exc:
        outcome = {"status": SurveyComputation.Status.FAILED, "error": " ".join(exc.messages)}
    except Exception:  # a failure must reach the page, not vanish in the worker
        logger.exception("Survey computation %s failed", computation.pk)
        outcome = {"status": SurveyComputation.Status.FAILED, "error": COMPUTE_FAILED}
    else:
        outcome = {
            "status": SurveyComputation.Status.DONE,
            "summary": asdict(summary),
            "forms_done": writer.done,
            "forms_total": writer.total,
        }
    finally:
        writer.close()
    table.update(finished_at=timezone.now(), **outcome)
    computation.refresh_from_db()
    return computation


class _ProgressWriter:
    """Forms read so far, for the page polling the computation (see
    :class:`parindex.core.progress.ProgressColumns`)."""

    def __init__(self, computation: SurveyComputation) -> None:
        self.computation = computation
        self.done = 0
        self.total = 0
        self.columns = ProgressColumns(SurveyComputation, computation.pk)

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = done, total
        self.columns.write(forms_done=done, forms_total=total)

    def close(self) -> None:
        self.columns.close()
