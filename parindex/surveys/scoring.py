"""From stored forms to survey points, through the engine (:mod:`parindex.engine.survey`).

:func:`survey_compute` takes the surveyed units by criteria set (the set gives the survey's
maximum points, :func:`parindex.surveys.config.survey_config` the engine's configuration),
has the database count their forms set by set (:mod:`parindex.surveys.counting`: per unit,
the valid and invalid forms and each question's answers of each value) and the engine score
the counts (:func:`parindex.engine.survey.compute`, ``counted``); when the counts show a form the
engine must look at (a stored answer it would refuse), that set's forms are streamed to the
engine one by one instead (:func:`_forms`), which names the form. It stores a
:class:`SurveyResult` per unit and writes the points into the units' assessments, where the
period's results read them. Units the sample plan does not survey get "không khảo sát"
(their maximum shrinks).

The council's button goes through :func:`parindex.surveys.queueing.survey_compute_start`,
which queues the task :func:`parindex.surveys.tasks.compute_survey`; the worker runs
:func:`survey_compute_run` and the page polls the :class:`SurveyComputation`'s progress
(forms read of the total). :func:`survey_compute` stays callable directly (demo, benchmark,
tests).
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
from parindex.jobs.errors import retryable
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.surveys import jobs
from parindex.surveys.config import survey_config
from parindex.surveys.counting import count_forms
from parindex.surveys.models import (
    Questionnaire,
    SamplePlan,
    SurveyComputation,
    SurveyResponse,
    SurveyResult,
)
from parindex.surveys.selectors import questionnaire_required

logger = logging.getLogger(__name__)

ITERATOR_CHUNK = 20_000
PROGRESS_EVERY = 20_000
"""Forms read between two progress reports."""
STALE_AFTER = jobs.STALE_AFTER
"""A computation queued or running for longer than this is taken as interrupted (a worker
that stopped): a new one may start (see :mod:`parindex.surveys.jobs`)."""

ProgressCallback = Callable[[int, int], None]
"""Called with (forms counted so far, forms in total): first (0, total), then as the
units' counts reach the engine at most every ``PROGRESS_EVERY`` forms (a unit's forms at
once), last (total, total)."""


@dataclass
class ComputeSummary:
    units: int = 0
    surveyed: int = 0
    forms: int = 0
    valid_forms: int = 0
    too_few: list[str] = field(default_factory=list)
    without_forms: list[str] = field(default_factory=list)
    without_assessment: list[str] = field(default_factory=list)

    def tally(self, name: str, unit: engine_survey.UnitSurvey) -> None:
        """Count one surveyed unit's forms, and name it if it has too few valid ones."""
        self.surveyed += 1
        self.forms += unit.forms
        self.valid_forms += unit.valid_forms
        if unit.valid_forms == 0:
            self.without_forms.append(name)
        elif unit.too_few:
            self.too_few.append(name)


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

    def counted_units(
        self, counted: list[engine_survey.UnitCounts]
    ) -> Generator[engine_survey.UnitCounts, None, None]:
        """The units' counts, adding each unit's forms to the forms done."""
        next_report = self.done + PROGRESS_EVERY
        for item in counted:
            yield item
            self.done += item.valid_forms + item.invalid_forms
            if self.done >= next_report:
                self.report()
                next_report = self.done + PROGRESS_EVERY

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


def ready_to_compute(period: Period) -> tuple[Questionnaire, list[SamplePlan]]:
    """What the computation needs before reading any form, or a ValidationError saying
    what is missing."""
    if period.status == PeriodStatus.FINALISED:
        raise ValidationError(
            f"Kỳ đánh giá {period.name} đã chốt kết quả; không tính lại khảo sát."
        )
    questionnaire = questionnaire_required(period)
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
    questionnaire, plans = ready_to_compute(period)
    groups = _group_plans(period, plans)
    counter = _form_counter(period, groups, progress)
    summary = ComputeSummary(units=len(plans))
    results: list[SurveyResult] = []
    for criteria_set, group_plans in groups.surveyed:
        computed = _compute_set(period, questionnaire, criteria_set, group_plans, counter)
        for plan in group_plans:
            unit = computed[str(plan.unit_id)]
            summary.tally(plan.unit.name, unit)
            results.append(_result(period, plan.unit_id, unit))
    if counter is not None:
        counter.finish()
    _store(period, actor, plans, groups, results, summary)
    return summary


@dataclass
class _Groups:
    """The period's plans as the computation takes them: the surveyed ones by the criteria
    set of their unit's group (the set gives the survey's maximum points), in plan order,
    and the units not surveyed."""

    surveyed: list[tuple[CriteriaSet, list[SamplePlan]]]
    not_surveyed: list[int]

    def surveyed_ids(self) -> list[int]:
        return [p.unit_id for _, group_plans in self.surveyed for p in group_plans]


def _group_plans(period: Period, plans: list[SamplePlan]) -> _Groups:
    """Every surveyed plan's criteria set, or a ValidationError for a unit outside the
    period's groups or a set without survey points."""
    bindings: dict[int, CriteriaSet] = {
        pg.group_id: pg.criteria_set
        for pg in PeriodGroup.objects.filter(period=period).select_related("criteria_set")
    }
    not_surveyed: list[int] = []
    by_set: dict[int, tuple[CriteriaSet, list[SamplePlan]]] = {}
    for plan in plans:
        if not plan.surveyed:
            not_surveyed.append(plan.unit_id)
            continue
        criteria_set = bindings.get(plan.unit.group_id) if plan.unit.group_id else None
        if criteria_set is None:
            raise ValidationError(
                f"Đơn vị {plan.unit.name} ({plan.unit.code}) không thuộc nhóm đơn vị nào "
                f"của kỳ đánh giá {period.name}."
            )
        by_set.setdefault(criteria_set.pk, (criteria_set, []))[1].append(plan)
    for criteria_set, _ in by_set.values():
        if criteria_set.survey_max is None:
            raise ValidationError(
                f"Bộ tiêu chí {criteria_set.name} không có điểm khảo sát: hãy ghi điểm khảo "
                "sát tối đa vào bộ tiêu chí, hoặc đánh dấu các đơn vị dùng bộ này là không "
                "khảo sát trong kế hoạch."
            )
    return _Groups(surveyed=list(by_set.values()), not_surveyed=not_surveyed)


def _form_counter(
    period: Period, groups: _Groups, progress: ProgressCallback | None
) -> _FormCounter | None:
    """The counter of forms read, told first how many there are (none without
    ``progress``: the forms are then not counted beforehand)."""
    if progress is None:
        return None
    counter = _FormCounter(_forms_total(period, set(groups.surveyed_ids())), progress)
    progress(0, counter.total)
    return counter


def _compute_set(
    period: Period,
    questionnaire: Questionnaire,
    criteria_set: CriteriaSet,
    plans: list[SamplePlan],
    counter: _FormCounter | None,
) -> dict[str, engine_survey.UnitSurvey]:
    """The engine's results of the units of ``plans`` (one criteria set), from their forms
    counted in the database, or streamed from it form by form when a stored answer needs
    the engine's closer look (see the module docstring)."""
    assert criteria_set.survey_max is not None  # checked by _group_plans
    config = survey_config(questionnaire, criteria_set.survey_max)
    unit_ids = [p.unit_id for p in plans]
    counted = count_forms(period.pk, unit_ids, config)
    if counted is None:
        return _compute_streamed(period, config, unit_ids, counter)
    items = counted if counter is None else counter.counted_units(counted)
    try:
        return engine_survey.compute(config, (), units=[str(u) for u in unit_ids], counted=items)
    except InputError as exc:
        raise ValidationError(f"Không tính được khảo sát: {exc}") from exc


def _compute_streamed(
    period: Period,
    config: engine_survey.SurveyConfig,
    unit_ids: list[int],
    counter: _FormCounter | None,
) -> dict[str, engine_survey.UnitSurvey]:
    """The engine's results of ``unit_ids`` from their forms, read one by one."""
    forms = _forms(period, unit_ids)
    stream = forms if counter is None else counter.counted(forms)
    try:
        return engine_survey.compute(config, stream, units=[str(u) for u in unit_ids])
    except InputError as exc:
        raise ValidationError(f"Không tính được khảo sát: {exc}") from exc
    finally:
        # A form the engine refused leaves the stream open: close it now (on
        # PostgreSQL its cursor and transaction) rather than when garbage collected.
        stream.close()
        forms.close()


STORED_ROUNDING = Rounding("half_up", 4)
"""The rounding of the index, margin, rates and means stored in a SurveyResult."""


def _stored(value: Decimal | None) -> str | None:
    return None if value is None else format(engine_survey.rounded(value, STORED_ROUNDING), "f")


def _result(period: Period, unit_id: int, unit: engine_survey.UnitSurvey) -> SurveyResult:
    """The SurveyResult of one unit's engine result (not yet saved)."""
    return SurveyResult(
        period=period,
        unit_id=unit_id,
        forms=unit.forms,
        valid_forms=unit.valid_forms,
        index=engine_survey.rounded(unit.index, STORED_ROUNDING),
        margin_of_error=engine_survey.rounded(unit.margin_of_error, STORED_ROUNDING),
        points=unit.points,
        too_few=unit.too_few,
        factors=[
            {
                "code": f.code,
                "answers": f.answers,
                "satisfied": f.satisfied,
                "rate": _stored(f.rate),
                "mean": _stored(f.mean_score),
            }
            for f in unit.factors
        ],
    )


def _store(
    period: Period,
    actor: User | None,
    plans: list[SamplePlan],
    groups: _Groups,
    results: list[SurveyResult],
    summary: ComputeSummary,
) -> None:
    """Replace the period's results and give the points to the units' assessments, in one
    transaction (refused if the period was finalised meanwhile), with the audit event."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if locked.status == PeriodStatus.FINALISED:
            raise ValidationError(f"Kỳ đánh giá {period.name} đã chốt kết quả.")
        SurveyResult.objects.filter(period=period).delete()
        SurveyResult.objects.bulk_create(results, batch_size=2000)
        have = set(
            Assessment.objects.filter(
                period=period, unit_id__in=[p.unit_id for p in plans]
            ).values_list("unit_id", flat=True)
        )
        summary.without_assessment = sorted(p.unit.name for p in plans if p.unit_id not in have)
        _give_to_assessments(period, groups)
        _record_computed(period, actor, summary)


def _give_to_assessments(period: Period, groups: _Groups) -> None:
    """Two statements whatever the number of units: the surveyed units take the points
    just stored in their SurveyResult, the others become "không khảo sát"."""
    Assessment.objects.filter(period=period, unit_id__in=groups.surveyed_ids()).update(
        survey_points=Subquery(
            SurveyResult.objects.filter(period=period, unit_id=OuterRef("unit_id")).values(
                "points"
            )[:1]
        ),
        survey_not_applicable=False,
    )
    Assessment.objects.filter(period=period, unit_id__in=groups.not_surveyed).update(
        survey_points=None, survey_not_applicable=True
    )


def _record_computed(period: Period, actor: User | None, summary: ComputeSummary) -> None:
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


# --------------------------------------------------------------------------- in the worker

COMPUTE_FAILED = (
    "Không tính được điểm khảo sát do lỗi của hệ thống; hãy thử lại sau ít phút, nếu vẫn "
    "không được hãy báo quản trị hệ thống."
)
"""What the page says of an unexpected error (the details go to the log, not the page)."""


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
    except Exception as error:  # a failure must reach the page, not vanish in the worker
        if retryable(error):
            raise  # the worker runs it again after a back-off (parindex/jobs)
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
