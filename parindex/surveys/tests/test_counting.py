"""The survey computation's counting in the database (:mod:`parindex.surveys.counting`)
against the form-by-form path it replaced: on a generated sample (the benchmark's seeded
generator, imported through the service), every unit's engine result — forms, factor
histograms, rates, means, index, margin of error, points — is the same object, under the
questionnaire's own configuration and under others (weights, validity share, satisfaction
level). Runs on SQLite and on PostgreSQL (their SQL differs). A stored answer the engine
would refuse sends the computation back to the form-by-form path, whose message names the
form."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError

from parindex.engine import survey as engine_survey
from parindex.periods.models import Period
from parindex.surveys.config import survey_config
from parindex.surveys.counting import count_forms
from parindex.surveys.imports import responses_import
from parindex.surveys.models import ImportBatch, SurveyResponse, SurveyResult
from parindex.surveys.scoring import _forms, survey_compute
from parindex.tools.bench.survey.generate import generate_csv
from parindex.tools.bench.survey.world import Seeded, seed


@pytest.fixture
def sample(db: None, tmp_path: Path) -> Seeded:
    """30 communes, 1,500 generated forms (blank answers, invalid forms, uneven shares)."""
    seeded = seed(units=30)
    path = tmp_path / "khao-sat.csv"
    generate_csv(path, layout=seeded.layout, unit_codes=seeded.unit_codes, responses=1500, seed=7)
    period = Period.objects.get(pk=seeded.period_id)
    batch = responses_import(period=period, name=path.name, data=path.read_bytes(), actor=None)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    return seeded


def _config(seeded: Seeded) -> engine_survey.SurveyConfig:
    period = Period.objects.get(pk=seeded.period_id)
    return survey_config(period.questionnaire, seeded.layout.survey_max)


def _variants(config: engine_survey.SurveyConfig) -> list[engine_survey.SurveyConfig]:
    weighted = tuple(
        replace(f, weight=w)
        for f, w in zip(config.factors, (D("0.3"), D(2), D(0), D("1.25"), D(1)), strict=True)
    )
    return [
        config,
        replace(config, factors=weighted),
        replace(config, min_answered_share=D("0.9")),
        replace(config, min_answered_share=D(1), satisfied_at=5),
        replace(config, min_answered_share=D(0), satisfied_at=3),
    ]


def test_counted_forms_give_the_same_results_as_forms_read_one_by_one(
    sample: Seeded,
) -> None:
    period = Period.objects.get(pk=sample.period_id)
    unit_ids = list(sample.unit_ids.values())
    units = [str(u) for u in unit_ids]
    for config in _variants(_config(sample)):
        counts = count_forms(period.pk, unit_ids, config)
        assert counts is not None
        counted = engine_survey.compute(config, (), units=units, counted=counts)
        read = engine_survey.compute(config, _forms(period, unit_ids), units=units)
        assert counted == read
        assert sum(u.forms for u in counted.values()) == 1500
        assert any(u.invalid_forms for u in counted.values()) == (config.min_answered_share > 0)


def test_only_the_units_asked_for_are_counted(sample: Seeded) -> None:
    period = Period.objects.get(pk=sample.period_id)
    some = list(sample.unit_ids.values())[:5]
    counts = count_forms(period.pk, some, _config(sample))
    assert counts is not None
    assert {c.unit for c in counts} <= {str(u) for u in some}
    stored = SurveyResponse.objects.filter(period=period, unit_id__in=some).count()
    assert sum(c.valid_forms + c.invalid_forms for c in counts) == stored


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ({"CC1": 7}, "phiếu thứ \\d+, cột CC1: giá trị 7 nằm ngoài thang 1..5"),
        ({"CC1": "4"}, "phiếu thứ \\d+, cột CC1: cần một số nguyên 1..5"),
        ({"CC1": 3.0}, "phiếu thứ \\d+, cột CC1: cần một số nguyên 1..5"),
        ({"XX9": None}, "phiếu thứ \\d+, cột XX9: không có câu hỏi XX9"),
    ],
)
def test_an_answer_the_engine_refuses_is_named_by_its_form(
    sample: Seeded, answer: dict[str, object], message: str
) -> None:
    period = Period.objects.get(pk=sample.period_id)
    form = SurveyResponse.objects.filter(period=period).order_by("pk").first()
    assert form is not None
    form.answers = {**form.answers, **answer}
    form.save(update_fields=["answers"])
    assert count_forms(period.pk, list(sample.unit_ids.values()), _config(sample)) is None
    with pytest.raises(ValidationError, match=f"Không tính được khảo sát: {message}"):
        survey_compute(period=period, actor=None)


def test_the_computation_stores_what_the_counts_give(sample: Seeded) -> None:
    period = Period.objects.get(pk=sample.period_id)
    summary = survey_compute(period=period, actor=None)
    config = _config(sample)
    unit_ids = list(sample.unit_ids.values())
    read = engine_survey.compute(config, _forms(period, unit_ids), units=[str(u) for u in unit_ids])
    assert summary.forms == 1500
    assert summary.valid_forms == sum(u.valid_forms for u in read.values())
    stored = {str(r.unit_id): r.points for r in SurveyResult.objects.filter(period=period)}
    assert stored == {unit: result.points for unit, result in read.items()}
