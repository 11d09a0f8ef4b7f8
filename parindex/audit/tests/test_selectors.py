"""The kinds of target the council's page scopes: every path is a real relation, and no
model tied to a period is forgotten."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models

from parindex.audit.selectors import TARGETS, Filters, Scope, _target_condition, events_for
from parindex.audit.tests.conftest import World
from parindex.periods.models import Period

pytestmark = pytest.mark.django_db

NOT_TARGETS = {
    # rows written with their parent, never the target of an event
    "assessments.itemscore",
    "assessments.appraisalrecord",
    "results.resultgroup",
    "results.resultrow",
    "surveys.surveyresult",
    "surveys.surveytoken",
}


def _tied_to_a_period(model: type[models.Model]) -> bool:
    return any(
        isinstance(f, models.ForeignKey | models.OneToOneField)
        and f.related_model is Period
        and f.name == "period"
        for f in model._meta.get_fields()
    )


def test_every_model_of_a_period_is_scoped() -> None:
    listed = {kind.label for kind in TARGETS}
    tied = {
        m._meta.label_lower
        for m in apps.get_models()
        if m.__module__.startswith("parindex.") and _tied_to_a_period(m)
    }
    assert tied - listed - NOT_TARGETS == set()


def test_every_path_is_a_relation(world: World) -> None:
    scope = Scope(periods=Period.objects.all(), jurisdiction=world.period.jurisdiction)
    unit = world.assessment.unit
    for filters in (
        Filters(),
        Filters(period=world.period),
        Filters(unit=unit),
        Filters(item="1.1"),
        Filters(period=world.period, unit=unit, item="1"),
    ):
        for kind in TARGETS:
            _target_condition(kind, scope, filters)
        list(events_for(scope, filters))  # the SQL runs
    everything = Scope(periods=None, jurisdiction=None, everything=True)
    assert events_for(everything, Filters()).query.where.children == []
