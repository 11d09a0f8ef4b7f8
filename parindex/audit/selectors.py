"""Reading the audit trail for the council (Nhật ký): which events a person may see, the
filters, and the rows of the page and of the exports.

An event names its target by ``target_type`` (the model's ``app.model`` label) and
``target_id`` (its primary key as text). Which province an event belongs to is therefore
asked of its target: :data:`TARGETS` says, for each kind of target, the relation path from
the target to its period, to its unit, to a jurisdiction (for targets outside any period:
units, criteria sets, trust anchors) and to its criterion. A filter becomes one SQL
condition per kind of target, ``target_type = … AND target_id IN (SELECT …)``, so the page
and the exports never load events to discard them in Python, and the events table keeps
its two indexes (target, time) and (actor, time).
"""

from __future__ import annotations

import datetime
import functools
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.apps import apps
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast, Lower
from django.utils import timezone
from django.utils.functional import cached_property

from parindex.accounts.models import User
from parindex.audit.actions import action_label
from parindex.audit.changes import Change, changes, changes_text
from parindex.audit.models import AuditEvent
from parindex.core.formatting import fmt_time, person_name
from parindex.core.text import fold
from parindex.organizations.jurisdiction import in_province
from parindex.organizations.models import Unit
from parindex.periods.models import Period

PAGE_SIZE = 50
COUNT_CAP = 10_000
"""The page counts at most this many events (a count over millions of rows is slow); past
it the page says "hơn 10.000" and offers the first pages only."""
EXPORT_LIMIT = 100_000
"""Rows in one CSV export at most (streamed, some seconds): narrow the filters for more."""
XLSX_LIMIT = 30_000
"""Rows in one XLSX export at most (built in memory before it is sent)."""
BATCH = 1000
SYSTEM = "Hệ thống"


@dataclass(frozen=True)
class TargetKind:
    """How the events about one kind of object are scoped: relation paths from the object
    to its period, its unit, its jurisdiction and its criterion (None: it has none)."""

    label: str
    period: str | None = None
    unit: str | None = None
    jurisdiction: str | None = None
    node: str | None = None

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.label)


TARGETS: tuple[TargetKind, ...] = (
    TargetKind("periods.period", period="pk"),
    TargetKind("periods.periodgroup", period="period"),
    TargetKind("periods.appraiserassignment", period="period"),
    TargetKind("periods.deadlineextension", period="period", unit="unit"),
    TargetKind("assessments.assessment", period="period", unit="unit"),
    TargetKind(
        "assessments.answer",
        period="assessment__period",
        unit="assessment__unit",
        node="node",
    ),
    TargetKind("evidence.evidence", period="period", unit="unit"),
    TargetKind(
        "evidence.evidencelink",
        period="answer__assessment__period",
        unit="answer__assessment__unit",
        node="answer__node",
    ),
    TargetKind("evidence.trustanchor", jurisdiction="jurisdiction"),
    TargetKind("results.resultversion", period="period"),
    TargetKind("results.leaderratingrule", period="period"),
    TargetKind("surveys.questionnaire", period="period"),
    TargetKind("surveys.sampleplan", period="period", unit="unit"),
    TargetKind("surveys.importbatch", period="period"),
    TargetKind("surveys.surveyresponse", period="period", unit="unit"),
    TargetKind("surveys.surveycomputation", period="period"),
    TargetKind("surveys.responseexport", period="period"),
    TargetKind("organizations.unit", unit="pk", jurisdiction=""),
    TargetKind("criteria.criteriaset", jurisdiction="jurisdiction"),
    TargetKind("documents.generateddocument", period="period", unit="unit"),
    TargetKind("documents.documenttext", period="period"),
    TargetKind("documents.documenttemplate", jurisdiction="jurisdiction"),
    TargetKind("teams.section", unit="unit", jurisdiction="unit"),
    TargetKind("teams.itemassignment", unit="unit", jurisdiction="unit"),
    TargetKind("remediation.remediationtask", period="period", unit="unit", node="node"),
    TargetKind("remediation.taskcomment", period="task__period", unit="task__unit"),
    TargetKind("plans.reformplan", unit="unit", jurisdiction="unit"),
    TargetKind("plans.planitem", unit="plan__unit", jurisdiction="plan__unit"),
)
"""Every kind of target the council's page shows. Events about people (accounts, their
notices) and installation-wide objects (unit groups) are the system administrator's: they
stay in the admin."""

TARGETS_BY_LABEL = {kind.label: kind for kind in TARGETS}


# --------------------------------------------------------------------------- scope


@dataclass(frozen=True)
class Scope:
    """What one reader may see: the periods they oversee and their jurisdiction (its
    subtree of units); ``everything`` for a superuser."""

    periods: QuerySet[Period] | None
    jurisdiction: Unit | None
    everything: bool = False

    def units(self) -> QuerySet[Unit]:
        if self.everything:
            return Unit.objects.all()
        return Unit.objects.filter(in_province("", self.jurisdiction))

    def people(self) -> QuerySet[User]:
        if self.everything:
            return User.objects.all()
        return User.objects.filter(in_province("unit", self.jurisdiction))


@dataclass(frozen=True)
class Filters:
    """The page's filters, already validated (:mod:`parindex.audit.forms`)."""

    period: Period | None = None
    unit: Unit | None = None
    person: str = ""
    item: str = ""
    action: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


def _id_text(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The primary keys of ``qs`` as text, to compare with ``target_id`` in SQL."""
    found: QuerySet[Any] = qs.annotate(audit_target_id=Cast("pk", output_field=CharField())).values(
        "audit_target_id"
    )
    return found


def _node_q(path: str, code: str) -> Q:
    """The criterion ``code`` and everything under it ("1.2" also finds "1.2.3")."""
    return Q(**{f"{path}__code": code}) | Q(**{f"{path}__code__startswith": f"{code}."})


def _target_condition(
    kind: TargetKind, scope: Scope, filters: Filters, type_field: str = "target_type"
) -> Q | None:
    """Events about ``kind`` that ``scope`` may see and ``filters`` keep; None when none
    can be (the kind has no unit and a unit is asked, say)."""
    qs: QuerySet[Any] = kind.model._default_manager.all()
    narrowed = False
    if filters.period is not None:
        if kind.period is None:
            return None
        qs = qs.filter(**{kind.period: filters.period.pk})
        narrowed = True
    elif not scope.everything:
        if kind.period is not None and scope.periods is not None:
            qs = qs.filter(**{f"{kind.period}__in": scope.periods})
        elif kind.jurisdiction is not None:
            qs = qs.filter(in_province(kind.jurisdiction, scope.jurisdiction))
        else:
            return None
        narrowed = True
    if filters.unit is not None:
        if kind.unit is None:
            return None
        qs = qs.filter(**{kind.unit: filters.unit.pk})
        narrowed = True
    if filters.item:
        if kind.node is None:
            return None
        qs = qs.filter(_node_q(kind.node, filters.item))
        narrowed = True
    if not narrowed:
        return Q(**{type_field: kind.label})
    return Q(**{type_field: kind.label}, target_id__in=_id_text(qs))


def _targets_q(scope: Scope, filters: Filters, type_field: str) -> Q | None:
    """One condition over every kind of target; None when nothing restricts the targets."""
    if scope.everything and not (filters.period or filters.unit or filters.item):
        return None
    conditions = [
        found
        for kind in TARGETS
        if (found := _target_condition(kind, scope, filters, type_field)) is not None
    ]
    if not conditions:
        return Q(pk__in=[])
    return functools.reduce(lambda a, b: a | b, conditions)


def _person_q(scope: Scope, text: str) -> Q:
    """Events by the people whose name or user name holds every word of ``text``, without
    regard to diacritics ("nguyen van" finds "Nguyễn Văn"); "hệ thống" finds the system's
    own events (no person)."""
    words = fold(text).split()
    ids = [
        pk
        for pk, username, full_name in scope.people().values_list("pk", "username", "full_name")
        if all(word in fold(f"{full_name} {username}") for word in words)
    ]
    match = Q(actor_id__in=ids)
    if all(word in fold(SYSTEM) for word in words):
        match |= Q(actor__isnull=True, actor_username="")
    return match


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def events_for(scope: Scope, filters: Filters) -> QuerySet[AuditEvent]:
    """The events ``scope`` may see that ``filters`` keep, newest first (one SQL query)."""
    qs = AuditEvent.objects.all()
    type_field = "target_type"
    if connections[qs.db].vendor == "sqlite" and not (filters.unit or filters.item):
        # Most events pass a broad filter; read them newest first through the (at, id)
        # index and stop at the page's end. SQLite's planner would rather gather every
        # match through the target index (an OR of targets) and sort them all: the
        # expression (the labels are lower case already) keeps that index out of its
        # reach. PostgreSQL picks the (at, id) index itself (with the expression it would
        # misjudge how many rows match and scan the table).
        qs = qs.annotate(audit_kind=Lower("target_type"))
        type_field = "audit_kind"
    targets = _targets_q(scope, filters, type_field)
    if targets is not None:
        qs = qs.filter(targets)
    if filters.person:
        qs = qs.filter(_person_q(scope, filters.person))
    if filters.action:
        qs = qs.filter(action=filters.action)
    if filters.date_from is not None:
        qs = qs.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to is not None:
        qs = qs.filter(at__lt=_day_start(filters.date_to + datetime.timedelta(days=1)))
    return qs.select_related("actor").order_by("-at", "-id")


class CappedPaginator(Paginator[AuditEvent]):
    """A paginator that counts at most :data:`COUNT_CAP` rows."""

    @cached_property
    def count(self) -> int:
        events = cast(QuerySet[AuditEvent], self.object_list)
        return events[: COUNT_CAP + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP


# --------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class Target:
    """What an event is about, in words."""

    period: str = ""
    unit: str = ""
    item: str = ""
    other: str = ""
    rule_type: str | None = None

    @property
    def parts(self) -> list[str]:
        return [part for part in (self.period, self.unit, self.item, self.other) if part]


@dataclass(frozen=True)
class Row:
    """One event as the page and the exports show it."""

    event: AuditEvent
    target: Target
    changes: list[Change] = field(default_factory=list)

    @property
    def at(self) -> str:
        return fmt_time(self.event.at)

    @property
    def person(self) -> str:
        actor = self.event.actor
        if actor is not None:
            return person_name(actor)
        return self.event.actor_username or SYSTEM

    @property
    def username(self) -> str:
        actor = self.event.actor
        return actor.get_username() if actor is not None else self.event.actor_username

    @property
    def action(self) -> str:
        return action_label(self.event.action)

    @property
    def changes_text(self) -> str:
        return changes_text(self.changes)


def _value_path(path: str, field: str) -> str:
    return field if path in ("", "pk") else f"{path}__{field}"


def _names_by_values(kind: TargetKind, keys: list[int]) -> dict[str, Target]:
    """Targets with a period, a unit or a criterion, named from their columns (no model
    instances: an export reads tens of thousands)."""
    columns = {"pk": "pk"}
    if kind.period is not None:
        columns["period"] = _value_path(kind.period, "name")
    if kind.unit is not None:
        columns["unit"] = _value_path(kind.unit, "name")
    if kind.node is not None:
        columns["code"] = f"{kind.node}__code"
        columns["rule_type"] = f"{kind.node}__rule_type"
    model = kind.model
    own = "" if model in (Period, Unit) or kind.node else _model_name(model)
    found = {}
    for row in model._default_manager.filter(pk__in=keys).values(*columns.values()):
        data = {key: row[column] for key, column in columns.items()}
        found[str(data["pk"])] = Target(
            period=data.get("period") or "",
            unit=data.get("unit") or "",
            item=f"Tiêu chí {data['code']}" if data.get("code") else "",
            other=own,
            rule_type=data.get("rule_type"),
        )
    return found


def _names_by_objects(model: type[models.Model], keys: list[int]) -> dict[str, Target]:
    """Other targets (criteria sets, trust anchors; any model for a superuser) by their own
    names."""
    return {
        str(obj.pk): Target(other=f"{_model_name(model)}: {obj}")
        for obj in model._default_manager.filter(pk__in=keys)
    }


def _model_name(model: type[models.Model]) -> str:
    return str(model._meta.verbose_name).capitalize()


def _model_or_none(label: str) -> type[models.Model] | None:
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _missing(label: str, target_id: str) -> Target:
    model = _model_or_none(label)
    name = _model_name(model) if model is not None else label
    return Target(other=f"{name} #{target_id} (không còn)")


Targets = dict[tuple[str, str], Target]


def _load_targets(events: Sequence[AuditEvent], known: Targets) -> None:
    """Name the targets of ``events`` not in ``known`` yet, one query per kind of target;
    a target that no longer exists is named as such."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for event in events:
        if (event.target_type, event.target_id) not in known:
            wanted[event.target_type].add(event.target_id)
    for label, ids in wanted.items():
        keys = [int(i) for i in ids if i.isdigit()]
        kind = TARGETS_BY_LABEL.get(label)
        model = _model_or_none(label)
        found: dict[str, Target] = {}
        if kind is not None and (kind.period or kind.unit or kind.node):
            found = _names_by_values(kind, keys)
        elif model is not None:
            found = _names_by_objects(model, keys)
        for target_id in ids:
            known[(label, target_id)] = found.get(target_id) or _missing(label, target_id)


def rows_of(events: Iterable[AuditEvent], known: Targets | None = None) -> list[Row]:
    """The page's (or an export batch's) events with their targets named and their changes
    in words. ``known`` carries the targets named by earlier batches."""
    listed = list(events)
    targets: Targets = {} if known is None else known
    _load_targets(listed, targets)
    rows = []
    for event in listed:
        target = targets[(event.target_type, event.target_id)]
        rows.append(
            Row(
                event=event,
                target=target,
                changes=changes(event.before, event.after, rule_type=target.rule_type),
            )
        )
    return rows


def rows_for_export(qs: QuerySet[AuditEvent], limit: int = EXPORT_LIMIT) -> Iterator[Row]:
    """The first ``limit`` rows of ``qs``, read in batches."""
    known: Targets = {}
    for batch in itertools.batched(qs[:limit].iterator(chunk_size=BATCH), BATCH):
        yield from rows_of(batch, known)


# --------------------------------------------------------------------------- choices


def period_choices(scope: Scope) -> QuerySet[Period]:
    if scope.everything:
        return Period.objects.all()
    assert scope.periods is not None
    return scope.periods


def unit_choices(scope: Scope) -> QuerySet[Unit]:
    return scope.units().order_by("name")
