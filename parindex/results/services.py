"""Writes for results: compute a period's draft, publish it, correct a published version,
and set the leader rating rules. Every number comes from the engine.

- :func:`results_compute_start` resets the period's draft and queues
  :func:`parindex.results.tasks.compute_results`, which calls :func:`results_compute_run`:
  one engine evaluation per unit group, rows stored group by group with progress.
  A published version is never touched by a computation.
- :func:`results_publish` turns the draft into the period's current version with its
  decision; when a version is already published it needs a reason and supersedes it (both
  stay visible).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from parindex import engine
from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.text import fold
from parindex.criteria.selectors import engine_criteria, node_extras
from parindex.engine.evalfile import input_document, num, results_document
from parindex.engine.leader import LeaderRule, check_rules, default_rules, rate
from parindex.engine.model import EvaluationInput, PreviousResult, Results, UnitResult
from parindex.jobs.checkpoint import checkpoint
from parindex.jobs.errors import retryable
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodGroup, PeriodStatus
from parindex.results.models import (
    LeaderRatingRule,
    ResultGroup,
    ResultRow,
    ResultVersion,
    VersionStatus,
)
from parindex.results.selectors import (
    UnitLabel,
    period_evaluation_input,
    period_groups,
    unit_labels,
)

BULK = 2000


# --------------------------------------------------------------------------- computing


def results_compute_start(*, period: Period, actor: User | None) -> ResultVersion:
    """Reset the period's draft (or create it) and queue its computation in the worker."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if ResultVersion.objects.filter(period=locked, status=VersionStatus.COMPUTING).exists():
            raise ValidationError(
                "Kết quả đang được tính; chờ tính xong. Nếu tiến độ không thay đổi quá lâu, "
                "huỷ bản nháp rồi tính lại."
            )
        draft = _reset_draft(locked, actor)
        record(
            actor=actor,
            action="results.compute_started",
            target=draft,
            summary=f"Bắt đầu tính kết quả {locked.name}",
        )
        from parindex.results.tasks import compute_results

        version_id = draft.pk
        transaction.on_commit(lambda: compute_results.enqueue(version_id))
    return draft


def results_compute(*, period: Period, actor: User | None) -> ResultVersion:
    """Compute the period's draft now (command line, demo, tests, benchmark)."""
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        draft = _reset_draft(locked, actor)
    return results_compute_run(version=draft)


def _reset_draft(period: Period, actor: User | None) -> ResultVersion:
    ResultVersion.objects.filter(period=period, status=VersionStatus.FAILED).delete()
    draft = ResultVersion.objects.draft().filter(period=period).first()
    if draft is None:
        return ResultVersion.objects.create(
            period=period, status=VersionStatus.COMPUTING, created_by=actor
        )
    ResultRow.objects.filter(version=draft).delete()
    ResultGroup.objects.filter(version=draft).delete()
    draft.status = VersionStatus.COMPUTING
    draft.progress_done = draft.progress_total = draft.units_count = 0
    draft.warnings, draft.error, draft.computed_at = [], "", None
    draft.created_by = actor
    draft.save()
    return draft


def results_compute_run(*, version: ResultVersion) -> ResultVersion:
    """Score every group of the draft's period through the engine and store the rows.

    Groups are stored one transaction each, so the progress bar moves; a failure marks the
    draft failed with a Vietnamese message (never a half-stored draft shown as done). A run
    starts from an empty draft, so a run again after a worker died mid-way (parindex/jobs)
    stores each group once; a transient error is left to the worker to retry.
    """
    if version.status not in (VersionStatus.COMPUTING, VersionStatus.DRAFT):
        raise ValidationError("Chỉ tính lại được bản nháp; kết quả đã công bố không thay đổi.")
    period = Period.objects.select_related("jurisdiction").get(pk=version.period_id)
    bindings = period_groups(period)
    with transaction.atomic():
        ResultRow.objects.filter(version=version).delete()  # rows of an attempt that died
        ResultGroup.objects.filter(version=version).delete()
        ResultVersion.objects.filter(pk=version.pk).update(
            progress_total=len(bindings), progress_done=0
        )
    warnings: list[str] = []
    if period.status != PeriodStatus.FINALISED:
        warnings.append(
            f"Kỳ đánh giá đang ở trạng thái “{PeriodStatus(period.status).label}”: "
            "điểm thẩm định chưa chốt, kết quả có thể còn thay đổi."
        )
    if not bindings:
        warnings.append("Kỳ đánh giá chưa có nhóm đơn vị nào.")
    rules = _leader_rules(period)
    previous = _previous_published(period, warnings)
    units = 0
    try:
        for position, binding in enumerate(bindings):
            with transaction.atomic():
                units += _store_group(version, period, binding, position, rules, previous, warnings)
                ResultVersion.objects.filter(pk=version.pk).update(progress_done=position + 1)
            checkpoint("results_compute")
    except Exception as error:  # a failure must reach the page, not vanish in the worker
        if retryable(error):
            raise  # the worker runs it again after a back-off (parindex/jobs)
        ResultRow.objects.filter(version=version).delete()
        ResultGroup.objects.filter(version=version).delete()
        ResultVersion.objects.filter(pk=version.pk).update(
            status=VersionStatus.FAILED, error=f"Không tính được kết quả: {error}"
        )
        version.refresh_from_db()
        return version
    ResultVersion.objects.filter(pk=version.pk).update(
        status=VersionStatus.DRAFT,
        warnings=warnings,
        units_count=units,
        computed_at=timezone.now(),
    )
    version.refresh_from_db()
    return version


def _store_group(
    version: ResultVersion,
    period: Period,
    binding: PeriodGroup,
    position: int,
    rules: Mapping[int, Sequence[LeaderRule]],
    previous: Mapping[str, Mapping[str, PreviousResult]],
    warnings: list[str],
) -> int:
    """Score the binding's group through the engine and store its group and rows."""
    criteria_set = binding.criteria_set
    criteria = engine_criteria(criteria_set)
    data = period_evaluation_input(period, binding, criteria=criteria)
    group = binding.group
    data.previous = previous.get(group.code)
    results = engine.evaluate(data)
    extras = node_extras(criteria_set)
    output = results_document(results)
    _warn(group.name, results, data.survey, criteria, warnings)
    result_group = ResultGroup.objects.create(
        version=version,
        group=group,
        code=group.code,
        name=group.name,
        position=position,
        criteria_name=criteria.name,
        points_places=criteria.rounding.places,
        index_places=criteria.effective_index_rounding.places,
        survey_max=criteria.survey_max,
        classified=criteria.classification is not None,
        fields=[
            {"code": n.code, "name": n.name, "max": num(n.max)}
            for n in criteria.nodes
            if n.parent is None
        ],
        nodes=[
            {
                "code": n.code,
                "name": n.name,
                "parent": n.parent,
                "max": num(n.max),
                "guidance": extras.get(n.code, {}).get("guidance", ""),
            }
            for n in criteria.nodes
        ],
        stats=_group_stats(results, output, criteria),
        document=_evaluation_document(data, extras),
        units_count=len(results.units),
    )
    rows = _result_rows(result_group, period, results, output, rules.get(criteria_set.pk, ()))
    ResultRow.objects.bulk_create(rows, batch_size=BULK)
    return len(rows)


def _evaluation_document(
    data: EvaluationInput, extras: Mapping[str, dict[str, Any]]
) -> dict[str, Any]:
    """The evaluation file the group was scored from, with the previous results compared."""
    document = input_document(data, lambda code: extras.get(code, {}))
    if data.previous is not None:
        document["previous_results"] = [
            {
                "unit": code,
                "index": num(p.index),
                "rank": p.rank,
                **({"class": p.class_label} if p.class_label else {}),
            }
            for code, p in data.previous.items()
        ]
    return document


def _group_stats(
    results: Results, output: dict[str, Any], criteria: engine.CriteriaSet
) -> dict[str, Any]:
    """The engine's statistics of the group with its classes counted, best first."""
    stats: dict[str, Any] = dict(output["groups"][0]) if output["groups"] else {}
    classes: dict[str, int] = {}
    for unit in results.units:
        if unit.class_label:
            classes[unit.class_label] = classes.get(unit.class_label, 0) + 1
    stats["classes"] = classes
    stats["class_order"] = criteria.class_labels
    return stats


def _result_rows(
    result_group: ResultGroup,
    period: Period,
    results: Results,
    output: dict[str, Any],
    unit_rules: Sequence[LeaderRule],
) -> list[ResultRow]:
    """The group's rows, in the engine's order, linked to their units."""
    codes = [u.unit for u in results.units]
    labels = unit_labels(codes, period.jurisdiction_id)
    unit_ids = dict(Unit.objects.filter(code__in=codes).values_list("code", "pk"))
    rows = []
    for order, (result, doc) in enumerate(zip(results.units, output["units"], strict=True)):
        rating = rate(result.class_label, [f.percent for f in result.fields], unit_rules) or ""
        label = labels.get(result.unit)
        unit_id = unit_ids.get(result.unit)
        rows.append(_result_row(result_group, order, (result, doc), unit_id, label, rating))
    return rows


def _result_row(
    result_group: ResultGroup,
    order: int,
    scored: tuple[UnitResult, dict[str, Any]],
    unit_id: int | None,
    label: UnitLabel | None,
    leader_rating: str,
) -> ResultRow:
    """The row of one unit: the engine's result and its document."""
    result, doc = scored
    return ResultRow(
        version=result_group.version,
        result_group=result_group,
        unit_id=unit_id,
        code=result.unit,
        name=result.name,
        short_name=label.short if label else "",
        parent_name=(label.parent or "") if label else "",
        search_text=fold(f"{result.unit} {result.name}")[:700],
        position=order,
        rank=result.rank,
        points=Decimal(doc["points"]),
        survey=Decimal(doc["survey"]) if result.survey_applicable else None,
        bonus=Decimal(doc["bonus"]),
        penalty=Decimal(doc["penalty"]),
        total=Decimal(doc["total"]),
        max=Decimal(doc["max"]),
        index=Decimal(doc["index"]),
        class_label=result.class_label or "",
        leader_rating=leader_rating,
        previous_index=_dec(doc.get("previous_index")),
        index_change=_dec(doc.get("index_change")),
        previous_rank=doc.get("previous_rank"),
        rank_change=doc.get("rank_change"),
        missing_count=len(result.missing),
        detail=doc,
    )


def _dec(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _warn(
    group: str,
    results: Results,
    survey: Mapping[str, object],
    criteria: engine.CriteriaSet,
    warnings: list[str],
) -> None:
    """Warnings the council should read before publishing."""
    warnings.extend(f"{group}: {w}" for w in results.warnings)
    incomplete = [u for u in results.units if u.missing]
    if incomplete:
        names = ", ".join(u.name for u in incomplete[:5])
        more = f" và {len(incomplete) - 5} đơn vị khác" if len(incomplete) > 5 else ""
        warnings.append(
            f"{group}: {len(incomplete)} đơn vị còn tiêu chí chưa có điểm (tính 0 điểm): "
            f"{names}{more}."
        )
    if criteria.survey_max is not None:
        without = [u for u in results.units if u.unit not in survey]
        if without:
            names = ", ".join(u.name for u in without[:5])
            more = f" và {len(without) - 5} đơn vị khác" if len(without) > 5 else ""
            warnings.append(
                f"{group}: {len(without)} đơn vị chưa có điểm khảo sát (tính 0 điểm): "
                f"{names}{more}."
            )


def _previous_published(
    period: Period, warnings: list[str]
) -> dict[str, dict[str, PreviousResult]]:
    """Group code → unit code → the previous period's published index, rank and class."""
    if period.previous_id is None:
        return {}
    version = (
        ResultVersion.objects.current()
        .filter(period_id=period.previous_id)
        .select_related("period")
        .first()
    )
    if version is None:
        warnings.append(
            "Kỳ đánh giá trước chưa có kết quả công bố trên hệ thống: không so sánh với năm "
            "trước (có thể nhập kết quả đã công bố các năm trước)."
        )
        return {}
    previous: dict[str, dict[str, PreviousResult]] = {}
    rows = ResultRow.objects.filter(version=version).values_list(
        "result_group__code", "code", "index", "rank", "class_label"
    )
    for group_code, code, index, rank, class_label in rows:
        previous.setdefault(group_code, {})[code] = PreviousResult(
            index=index.normalize(), rank=rank, class_label=class_label or None
        )
    return previous


def _stored_leader_rules(period: Period) -> list[LeaderRule]:
    return [
        LeaderRule(rule.class_label, rule.rating, rule.field_min)
        for rule in LeaderRatingRule.objects.filter(period=period).order_by("position")
    ]


def _leader_rules(period: Period) -> dict[int, list[LeaderRule]]:
    """Criteria set id → the period's rules, or the default rules of the set's scheme."""
    stored = _stored_leader_rules(period)
    rules: dict[int, list[LeaderRule]] = {}
    for binding in period_groups(period):
        if binding.criteria_set_id in rules:
            continue
        criteria = engine_criteria(binding.criteria_set)
        labels = criteria.class_labels
        own = [rule for rule in stored if rule.class_label in labels]
        rules[binding.criteria_set_id] = own or default_rules(criteria.classification)
    return rules


# --------------------------------------------------------------------------- publishing


@dataclass(frozen=True)
class Decision:
    """The decision that publishes the results (quyết định công bố)."""

    number: str
    date: date | None
    signer_name: str
    signer_title: str = ""
    reason: str = ""


DECISION_YEARS_AFTER = 2
"""A decision publishing the results of year Y is signed from 1 January Y to 31 December
Y + 2: results are published early in the next year, a correction may come later; a
date beyond that is a typo (2062 for 2026) even when it has passed."""


def decision_date_problem(day: date | None, year: int) -> str | None:
    """Why ``day`` cannot be the signing date of the decision publishing the results of a
    period of ``year`` (None if it can): missing, in the future (a typo such as 2099),
    before the period's year, or more than :data:`DECISION_YEARS_AFTER` years after it."""
    if day is None:
        return "Nhập ngày ký quyết định."
    today = timezone.localdate()
    if day > today:
        return (
            f"Ngày ký {day:%d/%m/%Y} chưa đến (hôm nay là {today:%d/%m/%Y}): nhập ngày đã ký "
            "quyết định công bố."
        )
    if day.year < year:
        return (
            f"Ngày ký {day:%d/%m/%Y} trước năm {year} của kỳ đánh giá: quyết định công bố kết "
            f"quả năm {year} được ký từ năm {year} trở đi."
        )
    if day.year > year + DECISION_YEARS_AFTER:
        return (
            f"Ngày ký {day:%d/%m/%Y} quá xa kỳ đánh giá năm {year}: quyết định công bố kết "
            f"quả năm {year} được ký trong các năm {year}–{year + DECISION_YEARS_AFTER}."
        )
    return None


def decision_problems(
    period: Period, decision: Decision, current: ResultVersion | None
) -> dict[str, list[str]]:
    """What is wrong with ``decision`` for publishing ``period`` (by field; empty if
    nothing): the number, the date (:func:`decision_date_problem`), the signer, and the
    reason of a correction when ``current`` is already published."""
    errors: dict[str, list[str]] = {}
    if not decision.number.strip():
        errors["decision_number"] = ["Nhập số quyết định công bố."]
    if (problem := decision_date_problem(decision.date, period.year)) is not None:
        errors["decision_date"] = [problem]
    if not decision.signer_name.strip():
        errors["signer_name"] = ["Nhập họ tên người ký quyết định."]
    if current is not None and not decision.reason.strip():
        errors["reason"] = [f"Kỳ này đã công bố phiên bản {current.number}: nhập lý do đính chính."]
    return errors


def results_publish(
    *, version: ResultVersion, decision: Decision, actor: User | None
) -> ResultVersion:
    """Publish the draft ``version``: it becomes the period's current, immutable version."""
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=version.period_id)
        locked = ResultVersion.objects.select_for_update().get(pk=version.pk)
        if locked.status != VersionStatus.DRAFT:
            raise ValidationError(
                "Chỉ công bố được bản nháp đã tính xong "
                f"(phiên bản này: “{VersionStatus(locked.status).label}”)."
            )
        if period.status != PeriodStatus.FINALISED:
            raise ValidationError(
                "Chỉ công bố khi kỳ đánh giá đã chốt kết quả "
                f"(hiện tại: “{PeriodStatus(period.status).label}”)."
            )
        current = ResultVersion.objects.select_for_update().current().filter(period=period).first()
        errors = decision_problems(period, decision, current)
        if errors:
            raise ValidationError(errors)
        number = (
            ResultVersion.objects.filter(period=period).aggregate(n=Max("number"))["n"] or 0
        ) + 1
        if current is not None:
            current.status = VersionStatus.SUPERSEDED
            current.save(update_fields=["status"])
        locked.status = VersionStatus.PUBLISHED
        locked.number = number
        locked.decision_number = decision.number.strip()
        locked.decision_date = decision.date
        locked.signer_name = decision.signer_name.strip()
        locked.signer_title = decision.signer_title.strip()
        locked.reason = decision.reason.strip()
        locked.published_at = timezone.now()
        locked.published_by = actor if actor is not None and actor.pk else None
        locked.supersedes = current
        locked.save()
        summary = f"Công bố kết quả {period.name}, phiên bản {number} (QĐ {locked.decision_number})"
        if current is not None:
            summary += f", đính chính phiên bản {current.number}: {locked.reason}"
        record(
            actor=actor,
            action="results.published",
            target=locked,
            summary=summary,
            after={
                "number": number,
                "decision_number": locked.decision_number,
                "decision_date": str(locked.decision_date),
                "signer": locked.signer_name,
                "reason": locked.reason,
                "supersedes": current.number if current is not None else None,
            },
        )
    return locked


def results_discard_draft(*, period: Period, actor: User | None) -> None:
    """Delete the period's draft (never a published version)."""
    with transaction.atomic():
        ResultVersion.objects.filter(period=period, status=VersionStatus.FAILED).delete()
        draft = ResultVersion.objects.select_for_update().draft().filter(period=period).first()
        if draft is None:
            return
        record(
            actor=actor,
            action="results.draft_discarded",
            target=period,
            summary=f"Huỷ bản nháp kết quả {period.name}",
        )
        draft.delete()


# --------------------------------------------------------------------------- leader rating


def leader_rules_for(period: Period) -> list[LeaderRule]:
    """The period's rules as stored, or the default ones of its first classified set."""
    stored = _stored_leader_rules(period)
    if stored:
        return stored
    for binding in period_groups(period):
        defaults = default_rules(engine_criteria(binding.criteria_set).classification)
        if defaults:
            return defaults
    return []


def class_labels_of(period: Period) -> list[str]:
    """Every class label of the period's sets, best first, without repeats."""
    labels: list[str] = []
    for binding in period_groups(period):
        for label in engine_criteria(binding.criteria_set).class_labels:
            if label not in labels:
                labels.append(label)
    return labels


def leader_rules_update(
    *, period: Period, rules: Sequence[LeaderRule], actor: User | None
) -> list[LeaderRatingRule]:
    """Replace the period's leader rating rules (checked against its class labels).

    Published versions keep the ratings they were published with."""
    problems = check_rules(rules, class_labels_of(period))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        Period.objects.select_for_update().get(pk=period.pk)
        before = [
            {"class": r.class_label, "rating": r.rating, "field_min": _show(r.field_min)}
            for r in leader_rules_for(period)
        ]
        LeaderRatingRule.objects.filter(period=period).delete()
        stored = LeaderRatingRule.objects.bulk_create(
            LeaderRatingRule(
                period=period,
                position=position,
                class_label=rule.class_label.strip(),
                rating=rule.rating.strip(),
                field_min=rule.field_min,
            )
            for position, rule in enumerate(rules)
        )
        record(
            actor=actor,
            action="results.leader_rules_updated",
            target=period,
            summary=f"Cập nhật quy tắc đánh giá người đứng đầu của {period.name}",
            before=before,
            after=[
                {"class": r.class_label, "rating": r.rating, "field_min": _show(r.field_min)}
                for r in rules
            ],
        )
    return stored


def _show(value: Decimal | None) -> str | None:
    return None if value is None else num(value)
