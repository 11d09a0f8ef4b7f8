"""The season's council pages against every persona (see ``conftest.py`` for the world):
the survey, the results desk, the import of earlier years' results, the planner, and the
open data and public survey form that everyone may use.

Read the outcomes off the chokepoints:

* :func:`parindex.surveys.selectors.get_survey_period`: a period's survey is its council's
  (chair, observer, superuser of its jurisdiction); anyone else, and every period of the
  other province, is a 404; an observer who tries to act gets 403. The public form
  (``/phieu/<key>/``) needs no account, only the key of a surveyed unit's plan.
* :func:`parindex.results.manage_permissions.get_results_period`: the same rule for the
  results desk (compute, publish, discard, leader rating rules).
* :func:`parindex.results.history.selectors.jurisdictions_for`: history is imported by a
  chair, into their own province only (a superuser: any); everyone else 404.
* :func:`parindex.results.planner.access.plannable_periods` / ``get_plan_unit``: the
  overseers of a period plan for any of its units, a unit's people for their own unit only,
  and only in periods with final scores (finalised or published).
* :mod:`parindex.results.published`: open data serves published versions to anyone, and
  nothing else.
"""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parindex.assessments.services.final_scores import FinalScores, final_scores_store_many
from parindex.criteria.models import CriteriaSet
from parindex.engine import Ratio
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import (
    AppraiserAssignment,
    Period,
    PeriodGroup,
    PeriodKind,
    PeriodStatus,
)
from parindex.periods.services import period_create, period_set_status
from parindex.results.models import (
    LeaderRatingRule,
    ResultVersion,
    VersionSource,
    VersionStatus,
)
from parindex.results.services import Decision, results_compute, results_publish
from parindex.surveys.exports import responses_export_run
from parindex.surveys.import_template import CHANNEL, DATE, KEY, UNIT, template_headers
from parindex.surveys.imports import responses_import
from parindex.surveys.models import (
    ImportBatch,
    Questionnaire,
    ResponseExport,
    SamplePlan,
    SurveyComputation,
    SurveyResponse,
    SurveyResult,
)
from parindex.surveys.outline import questionnaire_outline
from parindex.surveys.queueing import responses_export_start, survey_compute_start
from parindex.surveys.scoring import survey_compute
from parindex.surveys.selectors import question_codes
from parindex.surveys.services import (
    questionnaire_create_default,
    sample_plan_update,
    sample_plans_ensure,
)

from .conftest import (
    GROUPS,
    PERSONAS,
    Case,
    World,
    body_text,
    check,
    check_effect,
    expect,
    matrix,
    send,
)
from .decision_cases import DECISION_MANAGE
from .documents_cases import DOCUMENTS
from .oversight_cases import CARRYOVER, OVERSIGHT
from .plans_cases import PLANS
from .remediation_cases import REMEDIATION
from .teams_cases import TEAMS
from .test_pages import draft_2024, publish_2024

pytestmark = pytest.mark.django_db

D = Decimal
EVERYONE = "everyone"
"""``effect_for`` of a write anyone may make (the public survey form)."""


def _url(name: str, *args: Any, query: Any = "") -> Any:
    """``reverse(name, args)`` where each arg is a function of the world (or a constant),
    then ``?query`` (a string, or a function of the world)."""

    def url(w: World) -> str:
        path = reverse(name, args=[a(w) if callable(a) else a for a in args])
        return f"{path}?{query(w) if callable(query) else query}" if query else path

    return url


def _period(w: World) -> int:
    return w.period


def _far(w: World) -> int:
    return w.far_period


def _old(w: World) -> int:
    return w.old_period


# --------------------------------------------------------------------------- survey stages


def _questionnaire(period_id: int) -> Questionnaire:
    return Questionnaire.objects.get(period_id=period_id)


def _plan(w: World, unit_id: int | None = None) -> SamplePlan:
    """The sample plan of ``unit_id`` (unit A by default) in Hà Nam's 2025 survey."""
    return SamplePlan.objects.get(period_id=w.period, unit_id=unit_id or w.unit_a)


def survey_ready(w: World) -> None:
    """Hà Nam's 2025 survey: the default questionnaire and a sample plan for A and B
    (both surveyed); the public form's rate limit of A's page starts from zero."""
    period = Period.objects.get(pk=w.period)
    questionnaire_create_default(period=period, actor=w.user("chair"))
    sample_plans_ensure(period=period, actor=w.user("chair"))
    cache.delete(f"khao-sat:{_plan(w).pk}:127.0.0.1")


def survey_ready_nb(w: World) -> None:
    """Ninh Bình's 2025 survey, set up by its chair."""
    period = Period.objects.get(pk=w.far_period)
    questionnaire_create_default(period=period, actor=w.user("other_chair"))
    sample_plans_ensure(period=period, actor=w.user("other_chair"))


def forms_csv(questionnaire: Questionnaire, unit_code: str, values: list[int]) -> bytes:
    """An import file in the template's columns: one form per value (every question)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=template_headers(questionnaire))
    writer.writeheader()
    codes = question_codes(questionnaire)
    for n, value in enumerate(values, start=1):
        writer.writerow(
            {
                KEY: f"P-{unit_code}-{n:03d}",
                UNIT: unit_code,
                DATE: "15/10/2025",
                CHANNEL: "Phiếu giấy",
                **{code: str(value) for code in codes},
            }
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def survey_batch(w: World) -> None:
    """Plus a file of five paper forms of unit A, imported."""
    survey_ready(w)
    batch = responses_import(
        period=Period.objects.get(pk=w.period),
        name="phieu-thang-10.csv",
        data=forms_csv(_questionnaire(w.period), w.unit_a_code, [5, 4, 4, 3, 5]),
        actor=w.user("chair"),
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors


def survey_computed(w: World) -> None:
    """Plus the survey points computed (the set gives the survey 10 points)."""
    survey_batch(w)
    CriteriaSet.objects.filter(pk=w.criteria_set).update(survey_max=D(10))
    survey_compute(period=Period.objects.get(pk=w.period), actor=w.user("chair"))
    assert SurveyResult.objects.filter(period_id=w.period, unit_id=w.unit_a).exists()


def survey_started(w: World) -> None:
    """Plus a computation queued for the worker."""
    survey_ready(w)
    survey_compute_start(period=Period.objects.get(pk=w.period), actor=w.user("chair"))


def survey_exported(w: World) -> None:
    """Plus the Excel export of the forms, written."""
    survey_batch(w)
    export, _ = responses_export_start(
        period=Period.objects.get(pk=w.period), actor=w.user("chair")
    )
    assert responses_export_run(export=export).status == ResponseExport.Status.DONE


def survey_b_not_surveyed(w: World) -> None:
    """Unit B is left out of the survey: its public form no longer exists."""
    survey_ready(w)
    sample_plan_update(
        plan=_plan(w, w.unit_b),
        surveyed=False,
        target_forms=0,
        channel="paper",
        tokens_required=False,
        actor=w.user("chair"),
    )


def survey_codes_required(w: World) -> None:
    """Unit A's online form takes only forms with a one-time code handed out at its desk."""
    survey_ready(w)
    sample_plan_update(
        plan=_plan(w),
        surveyed=True,
        target_forms=30,
        channel="online",
        tokens_required=True,
        actor=w.user("chair"),
    )


def _questionnaire_form(w: World) -> dict[str, Any]:
    questionnaire = _questionnaire(w.period)
    return {
        "name": "Phiếu khảo sát sự hài lòng năm 2025 (bản sửa)",
        "introduction": questionnaire.introduction,
        "scale_labels": "\n".join(questionnaire.scale_labels),
        "satisfied_at": "4",
        "min_answered_share": "0.5",
        "min_forms": "30",
        "points_slope": "",
        "points_intercept": "0",
        "rounding_mode": "half_up",
        "rounding_places": "2",
        "outline": questionnaire_outline(questionnaire),
    }


def _public_answers(w: World) -> dict[str, str]:
    return {
        **{code: "5" for code in question_codes(_questionnaire(w.period))},
        "gop_y": "Cán bộ một cửa hướng dẫn tận tình.",
    }


def _computation(w: World) -> int:
    return SurveyComputation.objects.get(period_id=w.period).pk


def _batch(w: World) -> int:
    return ImportBatch.objects.get(period_id=w.period).pk


def _export(w: World) -> int:
    return ResponseExport.objects.get(period_id=w.period).pk


def _plan_a(w: World) -> int:
    return _plan(w).pk


def _key_a(w: World) -> str:
    return _plan(w).public_key


SURVEYS = [
    Case("surveys:index", "GET", _url("surveys:index"), expect("200")),
    Case(
        "surveys:overview",
        "GET",
        _url("surveys:overview", _period),
        expect(oversight="200"),
        setup=survey_batch,
    ),
    # Before anything is set up, the page invites the chair to set it up.
    Case(
        "surveys:overview",
        "GET",
        _url("surveys:overview", _period),
        expect(oversight="200"),
        label="empty",
    ),
    # Ninh Bình's survey: its chair's; Hà Nam's council does not see it, nor does unit C.
    Case(
        "surveys:overview",
        "GET",
        _url("surveys:overview", _far),
        expect(runs_nb="200"),
        label="NB",
        setup=survey_ready_nb,
    ),
    Case(
        "surveys:setup",
        "POST",
        _url("surveys:setup", _period),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"action": "default"},
        effect=lambda w: Questionnaire.objects.filter(period_id=w.period).exists(),
        effect_for="runs_period",
    ),
    Case(
        "surveys:setup",
        "POST",
        _url("surveys:setup", _far),
        expect(runs_nb="302"),
        data=lambda w: {"action": "default"},
        label="NB",
        effect=lambda w: Questionnaire.objects.filter(period_id=w.far_period).exists(),
        effect_for="runs_nb",
    ),
    Case(
        "surveys:setup",
        "POST",
        _url("surveys:setup", _period),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"action": "plans"},
        label="plans",
        setup=lambda w: questionnaire_create_default(
            period=Period.objects.get(pk=w.period), actor=w.user("chair")
        ),
        effect=lambda w: SamplePlan.objects.filter(period_id=w.period).exists(),
        effect_for="runs_period",
    ),
    # A questionnaire of the other province is no source to copy from.
    Case(
        "surveys:setup",
        "POST",
        _url("surveys:setup", _period),
        expect(oversight="403", runs_period="404"),
        data=lambda w: {"action": "clone", "source": _questionnaire(w.far_period).pk},
        label="clone-NB",
        setup=survey_ready_nb,
        effect=lambda w: Questionnaire.objects.filter(period_id=w.period).exists(),
        effect_for="",
    ),
    # The questionnaire's editor is the chair's, even to look at.
    Case(
        "surveys:questionnaire",
        "GET",
        _url("surveys:questionnaire", _period),
        expect(oversight="403", runs_period="200"),
        setup=survey_ready,
    ),
    Case(
        "surveys:questionnaire",
        "POST",
        _url("surveys:questionnaire", _period),
        expect(oversight="403", runs_period="302"),
        data=_questionnaire_form,
        setup=survey_ready,
        effect=lambda w: _questionnaire(w.period).name.endswith("(bản sửa)"),
        effect_for="runs_period",
    ),
    Case(
        "surveys:device_guard",
        "POST",
        _url("surveys:device_guard", _period),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"one_form_per_device": "0"},
        setup=survey_ready,
        effect=lambda w: not _questionnaire(w.period).one_form_per_device,
        effect_for="runs_period",
    ),
    Case(
        "surveys:compute",
        "POST",
        _url("surveys:compute", _period),
        expect(oversight="403", runs_period="302"),
        setup=survey_ready,
        effect=lambda w: SurveyComputation.objects.filter(period_id=w.period).exists(),
        effect_for="runs_period",
    ),
    Case(
        "surveys:computation",
        "GET",
        _url("surveys:computation", _period, _computation),
        expect(oversight="200"),
        setup=survey_started,
    ),
    # Hà Nam's computation under Ninh Bình's period: no mixing of ids.
    Case(
        "surveys:computation",
        "GET",
        _url("surveys:computation", _far, _computation),
        expect("404"),
        label="NB-period",
        setup=survey_started,
    ),
    Case(
        "surveys:import",
        "GET",
        _url("surveys:import", _period),
        expect(oversight="200"),
        setup=survey_ready,
    ),
    Case(
        "surveys:import",
        "POST",
        _url("surveys:import", _period),
        expect(oversight="403", runs_period="302"),  # to the batch's progress
        data=lambda w: {
            "file": SimpleUploadedFile(
                "phieu-thang-11.csv",
                forms_csv(_questionnaire(w.period), w.unit_a_code, [4, 5]),
                content_type="text/csv",
            )
        },
        setup=survey_ready,
        effect=lambda w: ImportBatch.objects.filter(period_id=w.period).exists(),
        effect_for="runs_period",
    ),
    Case(
        "surveys:batch",
        "GET",
        _url("surveys:batch", _period, _batch),
        expect(oversight="200"),
        setup=survey_batch,
    ),
    Case(
        "surveys:template",
        "GET",
        _url("surveys:template", _period, "csv"),
        expect(oversight="200"),
        setup=survey_ready,
    ),
    Case(
        "surveys:template",
        "GET",
        _url("surveys:template", _period, "xlsx"),
        expect(oversight="200"),
        label="xlsx",
        setup=survey_ready,
    ),
    Case(
        "surveys:results",
        "GET",
        _url("surveys:results", _period),
        expect(oversight="200"),
        setup=survey_computed,
    ),
    Case(
        "surveys:unit",
        "GET",
        _url("surveys:unit", _period, lambda w: w.unit_a),
        expect(oversight="200"),
        setup=survey_computed,
        owner="A",
    ),
    # Unit C's result does not exist in Hà Nam's period.
    Case(
        "surveys:unit",
        "GET",
        _url("surveys:unit", _period, lambda w: w.unit_c),
        expect("404"),
        label="C",
        setup=survey_computed,
        owner="C",
    ),
    Case(
        "surveys:export_responses",
        "GET",
        _url("surveys:export_responses", _period, "csv"),
        expect(oversight="200"),
        setup=survey_batch,
    ),
    Case(
        "surveys:export_responses",
        "GET",
        _url("surveys:export_responses", _period, "xlsx"),
        expect(oversight="302"),  # to the Excel export's page (written by the worker)
        label="xlsx",
        setup=survey_batch,
    ),
    Case(
        "surveys:exports",
        "GET",
        _url("surveys:exports", _period),
        expect(oversight="200"),
        setup=survey_batch,
    ),
    # The Excel file of forms the council may already read as CSV: an observer may ask
    # for it too (the export writes no survey data, only the job and its file).
    Case(
        "surveys:exports",
        "POST",
        _url("surveys:exports", _period),
        expect(oversight="302"),
        setup=survey_batch,
        effect=lambda w: ResponseExport.objects.filter(period_id=w.period).exists(),
        effect_for="oversight",
    ),
    Case(
        "surveys:export",
        "GET",
        _url("surveys:export", _period, _export),
        expect(oversight="200"),
        setup=survey_exported,
    ),
    Case(
        "surveys:export_file",
        "GET",
        _url("surveys:export_file", _period, _export),
        expect(oversight="200"),
        setup=survey_exported,
    ),
    Case(
        "surveys:export_results",
        "GET",
        _url("surveys:export_results", _period, "csv"),
        expect(oversight="200"),
        setup=survey_computed,
    ),
    Case(
        "surveys:export_results",
        "GET",
        _url("surveys:export_results", _period, "xlsx"),
        expect(oversight="200"),
        label="xlsx",
        setup=survey_computed,
    ),
    Case(
        "surveys:qr",
        "GET",
        _url("surveys:qr", _period, _plan_a),
        expect(oversight="200"),
        setup=survey_ready,
        owner="A",
    ),
    # Hà Nam's plan under Ninh Bình's period: nobody's.
    Case(
        "surveys:qr",
        "GET",
        _url("surveys:qr", _far, _plan_a),
        expect("404"),
        label="NB-period",
        setup=survey_ready,
        owner="A",
    ),
    Case(
        "surveys:plan_update",
        "POST",
        _url("surveys:plan_update", _period, _plan_a),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"surveyed": "on", "target_forms": "45", "channel": "paper"},
        setup=survey_ready,
        owner="A",
        effect=lambda w: _plan(w).target_forms == 45,
        effect_for="runs_period",
    ),
    Case(
        "surveys:plan_update",
        "POST",
        _url("surveys:plan_update", _period, _plan_a),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"action": "tokens", "count": "3"},
        label="tokens",
        setup=survey_ready,
        owner="A",
        effect=lambda w: _plan(w).tokens.count() == 3,
        effect_for="runs_period",
    ),
    # The public form: anyone with the key of a surveyed unit (no account).
    Case(
        "surveys:public_form",
        "GET",
        _url("surveys:public_form", _key_a),
        expect("200", anonymous="200"),
        setup=survey_ready,
    ),
    Case(
        "surveys:public_form",
        "POST",
        _url("surveys:public_form", _key_a),
        expect("200", anonymous="200"),  # the thank-you page
        data=_public_answers,
        setup=survey_ready,
        effect=lambda w: SurveyResponse.objects.filter(
            period_id=w.period, unit_id=w.unit_a, source="online"
        ).exists(),
        effect_for=EVERYONE,
    ),
    # A unit that hands out one-time codes: a form without one is refused, nothing kept.
    Case(
        "surveys:public_form",
        "POST",
        _url("surveys:public_form", _key_a),
        expect("400", anonymous="400"),
        data=_public_answers,
        label="code-required",
        setup=survey_codes_required,
        effect=lambda w: SurveyResponse.objects.filter(period_id=w.period).exists(),
        effect_for="",
    ),
    Case(
        "surveys:public_form",
        "GET",
        _url("surveys:public_form", "khong-co-ma-nay"),
        expect("404", anonymous="404"),
        label="unknown",
        setup=survey_ready,
    ),
    Case(
        "surveys:public_form",
        "GET",
        _url("surveys:public_form", lambda w: _plan(w, w.unit_b).public_key),
        expect("404", anonymous="404"),
        label="B-not-surveyed",
        setup=survey_b_not_surveyed,
        owner="B",
    ),
    Case(
        "surveys:public_qr",
        "GET",
        _url("surveys:public_qr", _key_a),
        expect("200", anonymous="200"),
        setup=survey_ready,
    ),
    Case(
        "surveys:public_qr",
        "GET",
        _url("surveys:public_qr", "khong-co-ma-nay"),
        expect("404", anonymous="404"),
        label="unknown",
    ),
]


# --------------------------------------------------------------------------- open data


def finalise_nb(w: World) -> None:
    """Ninh Bình's 2025 period finalised with unit C's final scores."""
    period = Period.objects.get(pk=w.far_period)
    final_scores_store_many(
        period=period,
        entries=[
            FinalScores(
                unit=Unit.objects.get(pk=w.unit_c),
                values={"1.1": True, "1.2": D("90"), "2.1": Ratio(D(8), D(10)), "2.2": D(0)},
            )
        ],
        actor=None,
    )
    period_set_status(period=period, status=PeriodStatus.FINALISED, actor=None)


def publish_nb(w: World) -> None:
    """Ninh Bình's 2025 results published by its province."""
    finalise_nb(w)
    results_publish(
        version=results_compute(period=Period.objects.get(pk=w.far_period), actor=None),
        decision=Decision("52/QĐ-UBND", datetime.date(2026, 2, 10), "Phạm Quang Ngọc"),
        actor=None,
    )


def draft_nb(w: World) -> None:
    """Ninh Bình's 2025 period finalised and its results computed, not yet published."""
    finalise_nb(w)
    results_compute(period=Period.objects.get(pk=w.far_period), actor=None)


EVERYONE_200 = expect("200", anonymous="200")
NOBODY = expect("404", anonymous="404")

OPENDATA = [
    Case(
        "opendata:version_json",
        "GET",
        _url("opendata:version_json", _old),
        EVERYONE_200,
        label="2024",
        setup=publish_2024,
    ),
    Case(
        "opendata:version_json",
        "GET",
        _url("opendata:version_json", _old),
        NOBODY,
        label="2024-draft",
        setup=draft_2024,
    ),
    Case(
        "opendata:version_json",
        "GET",
        _url("opendata:version_json", _old, query="phien-ban=2"),
        NOBODY,
        label="2024-no-such-version",
        setup=publish_2024,
    ),
    Case(
        "opendata:version_json",
        "GET",
        _url("opendata:version_json", _period),
        NOBODY,
        label="2025",
    ),
    Case(
        "opendata:ranking",
        "GET",
        _url("opendata:ranking", _old, lambda w: w.group_code, "csv"),
        EVERYONE_200,
        label="2024-csv",
        setup=publish_2024,
    ),
    Case(
        "opendata:ranking",
        "GET",
        _url("opendata:ranking", _old, lambda w: w.group_code, "xlsx"),
        EVERYONE_200,
        label="2024-xlsx",
        setup=publish_2024,
    ),
    Case(
        "opendata:ranking",
        "GET",
        _url("opendata:ranking", _old, lambda w: w.group_code, "json"),
        EVERYONE_200,
        label="2024-json",
        setup=publish_2024,
    ),
    Case(
        "opendata:ranking",
        "GET",
        _url("opendata:ranking", _old, lambda w: w.group_code, "csv"),
        NOBODY,
        label="2024-draft",
        setup=draft_2024,
    ),
    # Ninh Bình's running period: nothing published, for nobody (its chair included).
    Case(
        "opendata:ranking",
        "GET",
        _url("opendata:ranking", _far, lambda w: w.group_code, "csv"),
        NOBODY,
        label="NB-2025",
        setup=finalise_nb,
    ),
    # Once Ninh Bình publishes, its open data is everyone's (Hà Nam's people too).
    Case(
        "opendata:ranking",
        "GET",
        _url("opendata:ranking", _far, lambda w: w.group_code, "json"),
        EVERYONE_200,
        label="NB-2025-published",
        setup=publish_nb,
    ),
    Case(
        "opendata:points",
        "GET",
        _url("opendata:points", _old, lambda w: w.group_code, "csv"),
        EVERYONE_200,
        label="2024-csv",
        setup=publish_2024,
    ),
    Case(
        "opendata:points",
        "GET",
        _url("opendata:points", _old, lambda w: w.group_code, "xlsx"),
        EVERYONE_200,
        label="2024-xlsx",
        setup=publish_2024,
    ),
    Case(
        "opendata:ranking",
        "GET",
        _url("opendata:ranking", _old, "so-ban-nganh", "csv"),
        NOBODY,
        label="2024-no-such-group",
        setup=publish_2024,
    ),
    Case(
        "opendata:points",
        "GET",
        _url("opendata:points", _old, lambda w: w.group_code, "json"),
        NOBODY,
        label="2024-json",
        setup=publish_2024,
    ),
    Case(
        "opendata:points",
        "GET",
        _url("opendata:points", _old, lambda w: w.group_code, "csv"),
        NOBODY,
        label="2024-draft",
        setup=draft_2024,
    ),
]


# --------------------------------------------------------------------------- history

HISTORY_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Nhóm (mã nhóm)",
    "Điểm thẩm định",
    "Điểm khảo sát",
    "Tổng điểm",
    "Chỉ số (%)",
    "Xếp hạng",
    "Xếp loại",
]


def _history_form(w: World, province: str) -> dict[str, Any]:
    """The 2020 ranking of ``province`` ("HN": units A and B; "NB": unit C)."""
    if province == "HN":
        jurisdiction = Unit.objects.get(code="T-HNA")
        rows = [
            [w.unit_a_code, "UBND xã Liêm Tuyền", w.group_code, "12", "", "12", "75", "1", "Khá"],
            [w.unit_b_code, "UBND xã Thanh Sơn", w.group_code, "10", "", "10", "62,5", "2", ""],
        ]
    else:
        jurisdiction = Unit.objects.get(code="T-NBI")
        rows = [[w.unit_c_code, "UBND xã Gia Thủy", w.group_code, "13", "", "13", "81,25", "1", ""]]
    out = io.StringIO()
    csv.writer(out).writerows([HISTORY_HEADER, *rows])
    return {
        "jurisdiction": jurisdiction.pk,
        "year": "2020",
        "kind": "annual",
        "name": "",
        "group": "",
        "decision_number": "210/QĐ-UBND",
        "decision_date": "10/03/2021",
        "signer_name": "Nguyễn Xuân Đông",
        "signer_title": "Chủ tịch UBND tỉnh",
        "reason": "",
        "files": SimpleUploadedFile(
            "ket-qua-2020.csv", ("\ufeff" + out.getvalue()).encode(), content_type="text/csv"
        ),
    }


def _imported_2020(province_code: str) -> bool:
    return ResultVersion.objects.filter(
        source=VersionSource.IMPORTED,
        period__year=2020,
        period__jurisdiction__code=province_code,
    ).exists()


HISTORY = [
    Case("results_history:upload", "GET", _url("results_history:upload"), expect(chairs="200")),
    Case(
        "results_history:template",
        "GET",
        _url("results_history:template"),
        expect(chairs="200"),
    ),
    # Into Hà Nam: its chair (and the superuser); Ninh Bình's chair may not choose Hà Nam
    # (the form offers their own province only: 400, nothing stored).
    Case(
        "results_history:upload",
        "POST",
        _url("results_history:upload"),
        expect(chairs="400", runs_period="302"),
        data=lambda w: _history_form(w, "HN"),
        label="HN",
        effect=lambda w: _imported_2020("T-HNA"),
        effect_for="runs_period",
    ),
    Case(
        "results_history:upload",
        "POST",
        _url("results_history:upload"),
        expect(chairs="400", runs_nb="302"),
        data=lambda w: _history_form(w, "NB"),
        label="NB",
        effect=lambda w: _imported_2020("T-NBI"),
        effect_for="runs_nb",
    ),
]


# --------------------------------------------------------------------------- results desk


def _versions(period_id: int, *statuses: str) -> bool:
    versions = ResultVersion.objects.filter(period_id=period_id)
    return (versions.filter(status__in=statuses) if statuses else versions).exists()


PUBLISH_FORM = {
    "decision_number": "386/QĐ-UBND",
    "decision_date": "20/02/2025",
    "signer_name": "Trần Văn Hùng",
    "signer_title": "Chủ tịch UBND tỉnh",
    "reason": "",
    "confirm": "on",
}

RESULTS_MANAGE = [
    Case(
        "results_manage:index",
        "GET",
        _url("results_manage:index"),
        expect(oversight="200", other_chair="200"),  # each council its own periods
    ),
    Case(
        "results_manage:desk",
        "GET",
        _url("results_manage:desk", _period),
        expect(oversight="200"),
        label="2025",
    ),
    # The draft's preview (group by group) for the council.
    Case(
        "results_manage:desk",
        "GET",
        _url("results_manage:desk", _old),
        expect(oversight="200"),
        label="2024-draft",
        setup=draft_2024,
    ),
    Case(
        "results_manage:desk",
        "GET",
        _url("results_manage:desk", _far),
        expect(runs_nb="200"),
        label="NB",
    ),
    Case(
        "results_manage:progress",
        "GET",
        _url("results_manage:progress", _period),
        expect(oversight="302"),  # without htmx: back to the desk
    ),
    Case(
        "results_manage:compute",
        "POST",
        _url("results_manage:compute", _period),
        expect(oversight="403", runs_period="302"),
        effect=lambda w: _versions(w.period),
        effect_for="runs_period",
    ),
    Case(
        "results_manage:compute",
        "POST",
        _url("results_manage:compute", _far),
        expect(runs_nb="302"),
        label="NB",
        effect=lambda w: _versions(w.far_period),
        effect_for="runs_nb",
    ),
    Case(
        "results_manage:publish",
        "POST",
        _url("results_manage:publish", _old),
        expect(oversight="403", runs_period="302"),
        data=lambda w: PUBLISH_FORM,
        label="2024",
        setup=draft_2024,
        effect=lambda w: _versions(w.old_period, VersionStatus.PUBLISHED),
        effect_for="runs_period",
    ),
    Case(
        "results_manage:publish",
        "POST",
        _url("results_manage:publish", _far),
        expect(runs_nb="302"),
        data=lambda w: {**PUBLISH_FORM, "decision_date": "10/02/2026"},
        label="NB",
        setup=draft_nb,
        effect=lambda w: _versions(w.far_period, VersionStatus.PUBLISHED),
        effect_for="runs_nb",
    ),
    Case(
        # the confirmation page (that it discards nothing: results/tests/test_manage_discard.py)
        "results_manage:discard",
        "GET",
        _url("results_manage:discard", _old),
        expect(oversight="403", runs_period="200"),
        label="2024",
        setup=draft_2024,
    ),
    Case(
        "results_manage:discard",
        "POST",
        _url("results_manage:discard", _old),
        expect(oversight="403", runs_period="302"),
        label="2024",
        setup=draft_2024,
        effect=lambda w: not _versions(w.old_period),
        effect_for="runs_period",
    ),
    Case(
        "results_manage:leader_rules",
        "GET",
        _url("results_manage:leader_rules", _period),
        expect(oversight="200"),
    ),
    Case(
        "results_manage:leader_rules",
        "POST",
        _url("results_manage:leader_rules", _period),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {
            "class_label": ["Tốt", "Khá"],
            "rating": ["Hoàn thành tốt", "Hoàn thành"],
            "field_min": ["", ""],
        },
        effect=lambda w: LeaderRatingRule.objects.filter(period_id=w.period).exists(),
        effect_for="runs_period",
    ),
    Case(
        "results_manage:leader_rules",
        "POST",
        _url("results_manage:leader_rules", _far),
        expect(runs_nb="302"),
        data=lambda w: {"class_label": ["Tốt"], "rating": ["Hoàn thành tốt"], "field_min": [""]},
        label="NB",
        effect=lambda w: LeaderRatingRule.objects.filter(period_id=w.far_period).exists(),
        effect_for="runs_nb",
    ),
]


# --------------------------------------------------------------------------- planner


def _unit_query(owner: str) -> Any:
    return lambda w: f"don-vi={w.unit_code(owner)}"


# 2024 is finalised: its overseers plan for any of its units, each unit for itself.
PLANS_2024 = expect(oversight="200", unit_a="200", unit_b="200")
PLANS_2024_A = expect(oversight="200", unit_a="200")

PLANNER = [
    Case("planner:index", "GET", _url("planner:index"), expect("200")),
    # Overseers choose the unit; a unit's people get their own unit's planner.
    Case("planner:planner", "GET", _url("planner:planner", _old), PLANS_2024, label="2024"),
    Case(
        "planner:planner",
        "GET",
        _url("planner:planner", _old, query=_unit_query("A")),
        PLANS_2024_A,
        label="2024-A",
        owner="A",
    ),
    Case(
        "planner:planner",
        "GET",
        _url("planner:planner", _old, query=_unit_query("B")),
        expect(oversight="200", unit_b="200"),
        label="2024-B",
        owner="B",
    ),
    # Ranked against the published version once there is one.
    Case(
        "planner:planner",
        "GET",
        _url("planner:planner", _old, query=_unit_query("A")),
        PLANS_2024_A,
        label="2024-A-published",
        setup=publish_2024,
        owner="A",
    ),
    # 2025 has no final scores yet: nobody plans on it.
    Case("planner:planner", "GET", _url("planner:planner", _period), expect(), label="2025"),
    Case(
        "planner:planner",
        "GET",
        _url("planner:planner", _far),
        expect(reads_c="200"),
        label="NB",
        setup=finalise_nb,
    ),
    # Unit C is not assessed in Hà Nam's 2024.
    Case(
        "planner:planner",
        "GET",
        _url("planner:planner", _old, query=_unit_query("C")),
        expect(unit_a="404", unit_b="404"),
        label="2024-C",
        owner="C",
    ),
    Case(
        "planner:planner",
        "GET",
        _url("planner:planner", _far, query=_unit_query("C")),
        expect(reads_c="200"),
        label="NB-C",
        setup=finalise_nb,
        owner="C",
    ),
    Case(
        "planner:compute",
        "POST",
        _url("planner:compute", _old, query=_unit_query("A")),
        PLANS_2024_A,
        data=lambda w: {},
        label="2024-A",
        owner="A",
    ),
    Case(
        "planner:compute",
        "POST",
        _url("planner:compute", _far, query=_unit_query("C")),
        expect(reads_c="200"),
        data=lambda w: {},
        label="NB-C",
        setup=finalise_nb,
        owner="C",
    ),
    Case(
        "planner:improvements_csv",
        "GET",
        _url("planner:improvements_csv", _old, query=_unit_query("A")),
        PLANS_2024_A,
        label="2024-A",
        owner="A",
    ),
    Case(
        "planner:improvements_csv",
        "GET",
        _url("planner:improvements_csv", _far, query=_unit_query("C")),
        expect(reads_c="200"),
        label="NB-C",
        setup=finalise_nb,
        owner="C",
    ),
]

# --------------------------------------------------------------------------- season set-up

# :func:`parindex.periods.permissions.get_period_for_admin`: the chair or a manager
# (is_staff) sets up the periods of their own province (a superuser: any); an observer is
# refused (403) before any period is looked up; anyone else, and the other province's
# periods, 404.


def _province(code: str) -> Unit:
    return Unit.objects.get(code=code)


def _setup_period(year: int, kind: str = PeriodKind.ANNUAL) -> Period:
    return Period.objects.get(jurisdiction__code="T-HNA", year=year, kind=kind)


def prepared_2026(w: World) -> None:
    """Hà Nam's 2026 period, just created ("Chuẩn bị"), no unit group bound yet."""
    period_create(
        jurisdiction=_province("T-HNA"),
        year=2026,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC cấp xã năm 2026",
        groups={},
        actor=None,
    )


def interim_2025(w: World) -> None:
    """Hà Nam's 6-month 2025 period ("Chuẩn bị"), the communes bound to the world's set."""
    period_create(
        jurisdiction=_province("T-HNA"),
        year=2025,
        kind=PeriodKind.INTERIM,
        name="Chỉ số CCHC cấp xã 6 tháng đầu năm 2025",
        groups={
            UnitGroup.objects.get(code=w.group_code): CriteriaSet.objects.get(pk=w.criteria_set)
        },
        actor=None,
    )


def _interim(w: World) -> int:
    return _setup_period(2025, PeriodKind.INTERIM).pk


def _communes(w: World) -> int:
    return UnitGroup.objects.get(code=w.group_code).pk


def _assignment(w: World) -> int:
    return AppraiserAssignment.objects.get(period_id=w.period, appraiser_id=w.users["appraiser"]).pk


def _new_deadline() -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=10)
    return datetime.datetime.combine(day, datetime.time(17, 0))


def _deadlines_form(w: World) -> dict[str, str]:
    return {"self_assessment_deadline": _new_deadline().strftime("%d/%m/%Y %H:%M")}


def _deadline_moved(period_id: int) -> bool:
    deadline = Period.objects.get(pk=period_id).self_assessment_deadline
    return deadline is not None and timezone.localtime(deadline).date() == _new_deadline().date()


SETUP_LIST = expect("404", sets_up="200", observer="403")
SETUP_HN = expect("404", sets_up_hn="200", observer="403")

SEASON_SETUP = [
    Case("season_setup:list", "GET", _url("season_setup:list"), SETUP_LIST),
    Case("season_setup:create", "GET", _url("season_setup:create"), SETUP_LIST),
    # Copying Hà Nam's 2025 period: not a source Ninh Bình's people may pick (the form
    # refuses it, 400).
    Case(
        "season_setup:create",
        "POST",
        _url("season_setup:create"),
        expect("404", sets_up_hn="302", other_chair="400", other_manager="400", observer="403"),
        data=lambda w: {"source": w.period, "year": "2026", "kind": "annual", "name": ""},
        effect=lambda w: Period.objects.filter(jurisdiction__code="T-HNA", year=2026).exists(),
        effect_for="sets_up_hn",
    ),
    # A blank period of Ninh Bình: not a jurisdiction Hà Nam's people may pick.
    Case(
        "season_setup:create",
        "POST",
        _url("season_setup:create"),
        expect("404", sets_up_nb="302", chair="400", manager="400", observer="403"),
        data=lambda w: {
            "source": "",
            "jurisdiction": _province("T-NBI").pk,
            "year": "2026",
            "kind": "annual",
            "name": "",
        },
        label="NB-blank",
        effect=lambda w: Period.objects.filter(jurisdiction__code="T-NBI", year=2026).exists(),
        effect_for="sets_up_nb",
    ),
    Case("season_setup:detail", "GET", _url("season_setup:detail", _period), SETUP_HN),
    Case(
        "season_setup:detail",
        "GET",
        _url("season_setup:detail", _far),
        expect("404", sets_up_nb="200", observer="403"),
        label="NB",
    ),
    Case(
        "season_setup:detail",
        "GET",
        _url("season_setup:detail", 999_999),
        expect("404", observer="403"),
        label="unknown",
    ),
    Case(
        "season_setup:deadlines",
        "POST",
        _url("season_setup:deadlines", _period),
        expect("404", sets_up_hn="302", observer="403"),
        data=_deadlines_form,
        effect=lambda w: _deadline_moved(w.period),
        effect_for="sets_up_hn",
    ),
    Case(
        "season_setup:deadlines",
        "POST",
        _url("season_setup:deadlines", _far),
        expect("404", sets_up_nb="302", observer="403"),
        data=_deadlines_form,
        label="NB",
        effect=lambda w: _deadline_moved(w.far_period),
        effect_for="sets_up_nb",
    ),
    Case(
        "season_setup:bind",
        "POST",
        _url("season_setup:bind", lambda w: _setup_period(2026).pk),
        expect("404", sets_up_hn="302", observer="403"),
        data=lambda w: {"group": _communes(w), "criteria_set": w.criteria_set},
        setup=prepared_2026,
        effect=lambda w: PeriodGroup.objects.filter(period=_setup_period(2026)).exists(),
        effect_for="sets_up_hn",
    ),
    # Ninh Bình's own set (not shared) is no set for Hà Nam's periods (the form: 400).
    Case(
        "season_setup:bind",
        "POST",
        _url("season_setup:bind", lambda w: _setup_period(2026).pk),
        expect("404", chair="400", manager="400", superuser="302", observer="403"),
        data=lambda w: {"group": _communes(w), "criteria_set": w.nb_set},
        label="NB-set",
        setup=prepared_2026,
        effect=lambda w: PeriodGroup.objects.filter(period=_setup_period(2026)).exists(),
        effect_for="superuser",
    ),
    Case(
        "season_setup:unbind",
        "POST",
        _url("season_setup:unbind", _interim, _communes),
        expect("404", sets_up_hn="302", observer="403"),
        setup=interim_2025,
        effect=lambda w: not PeriodGroup.objects.filter(period_id=_interim(w)).exists(),
        effect_for="sets_up_hn",
    ),
    Case(
        "season_setup:assignment_create",
        "GET",
        _url("season_setup:assignment_create", _period),
        SETUP_HN,
    ),
    Case(
        "season_setup:assignment_create",
        "POST",
        _url("season_setup:assignment_create", _period),
        expect("404", sets_up_hn="302", observer="403"),
        data=lambda w: {"appraiser": w.users["appraiser_unassigned"], "units": [w.unit_b]},
        effect=lambda w: AppraiserAssignment.objects.filter(
            period_id=w.period, appraiser_id=w.users["appraiser_unassigned"]
        ).exists(),
        effect_for="sets_up_hn",
    ),
    Case(
        "season_setup:assignment_edit",
        "GET",
        _url("season_setup:assignment_edit", _period, _assignment),
        SETUP_HN,
    ),
    # Hà Nam's assignment under Ninh Bình's period: no mixing of ids.
    Case(
        "season_setup:assignment_edit",
        "GET",
        _url("season_setup:assignment_edit", _far, _assignment),
        expect("404", observer="403"),
        label="NB-period",
    ),
    Case(
        "season_setup:assignment_edit",
        "POST",
        _url("season_setup:assignment_edit", _period, _assignment),
        expect("404", sets_up_hn="302", observer="403"),
        data=lambda w: {
            "appraiser": w.users["appraiser"],
            "node_codes": ["2"],
            "units": [w.unit_a],
        },
        effect=lambda w: AppraiserAssignment.objects.get(pk=_assignment(w)).node_codes == ["2"],
        effect_for="sets_up_hn",
    ),
    Case(
        "season_setup:assignment_delete",
        "GET",
        _url("season_setup:assignment_delete", _period, _assignment),
        SETUP_HN,
    ),
    Case(
        "season_setup:assignment_delete",
        "POST",
        _url("season_setup:assignment_delete", _period, _assignment),
        expect("404", sets_up_hn="302", observer="403"),
        effect=lambda w: (
            not AppraiserAssignment.objects.filter(
                period_id=w.period, appraiser_id=w.users["appraiser"]
            ).exists()
        ),
        effect_for="sets_up_hn",
    ),
    # Only a 6-month period has a list of criteria not assessed.
    Case(
        "season_setup:excluded",
        "GET",
        _url("season_setup:excluded", _period),
        expect("404", observer="403"),
        label="annual",
    ),
    Case(
        "season_setup:excluded",
        "GET",
        _url("season_setup:excluded", _interim),
        SETUP_HN,
        setup=interim_2025,
    ),
    Case(
        "season_setup:excluded",
        "POST",
        _url("season_setup:excluded", _interim),
        expect("404", sets_up_hn="302", observer="403"),
        data=lambda w: {"node_codes": ["2"]},
        setup=interim_2025,
        effect=lambda w: (
            list(_setup_period(2025, PeriodKind.INTERIM).excluded_node_codes or []) == ["2"]
        ),
        effect_for="sets_up_hn",
    ),
]

# --------------------------------------------------------------------------- audit trail

# :func:`parindex.audit.permissions.audit_scope_for`: the overseers of a jurisdiction read
# its trail (each their own: Ninh Bình's chair reads Ninh Bình's), the superuser all of
# it; anyone else 404.
AUDIT = [
    Case("audit:log", "GET", _url("audit:log"), expect("404", overseers="200")),
    Case("audit:log_csv", "GET", _url("audit:log_csv"), expect("404", overseers="200")),
    Case("audit:log_xlsx", "GET", _url("audit:log_xlsx"), expect("404", overseers="200")),
]

CASES = (
    SURVEYS
    + OPENDATA
    + HISTORY
    + RESULTS_MANAGE
    + DECISION_MANAGE
    + PLANNER
    + SEASON_SETUP
    + AUDIT
    + DOCUMENTS
    + OVERSIGHT
    + CARRYOVER
    + PLANS
    + TEAMS
    + REMEDIATION
)


def _check_effect(world: World, case: Case, persona: str) -> None:
    if case.effect_for == EVERYONE:
        assert case.effect(world) is True, f"{persona} {case.method} {case.key}: no write"
    else:
        check_effect(world, case, persona)


# Every persona × every page: in `make test` and CI, not in the edit loop (`make test-fast`).
@pytest.mark.slow
@pytest.mark.parametrize(("persona", "case", "outcome"), matrix(CASES))
def test_season_page(world: World, persona: str, case: Case, outcome: str) -> None:
    check(world, case, send(world, persona, case), outcome)
    _check_effect(world, case, persona)


# --------------------------------------------------------------------------- coverage

SEASON_NAMESPACES = (
    "surveys",
    "opendata",
    "results_history",
    "results_manage",
    "planner",
    "season_setup",
    "audit",
    "documents",
    "oversight",
    "carryover",
    "plans",
    "teams",
    "remediation",
)


def _named_urls(namespace: str) -> set[str]:
    names: set[str] = set()
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            names |= {
                f"{namespace}:{p.name}"
                for p in pattern.url_patterns
                if isinstance(p, URLPattern) and p.name
            }
    return names


@pytest.mark.parametrize("namespace", SEASON_NAMESPACES)
def test_every_named_url_of_the_app_is_in_the_matrix(namespace: str) -> None:
    named = _named_urls(namespace)
    assert named, namespace
    covered = {case.name for case in CASES}
    assert named <= covered, named - covered


def test_every_case_has_an_outcome_for_every_persona() -> None:
    for case in CASES:
        assert set(case.outcomes) == set(PERSONAS), case.key
        if case.effect_for not in ("", EVERYONE):
            assert case.effect_for in GROUPS or case.effect_for in PERSONAS, case.key


def test_every_write_says_whom_it_writes_for() -> None:
    """A 302 is never a refusal in disguise: every POST that redirects has an effect."""
    for case in CASES:
        if case.method == "POST" and "302" in case.outcomes.values():
            assert case.effect is not None and case.effect_for, case.key


# --------------------------------------------------------------------------- beyond the matrix


def _with(name: str, arg: Any, query: str) -> Any:
    return lambda w: reverse(name, args=[arg(w) if callable(arg) else arg]) + query


def _nothing(w: World) -> None:
    return None


# A NUL character (``%00``) in a search, a unit code or a key: PostgreSQL refuses it in a
# query, so each of these was a 500 there (never on SQLite) until the input was cleaned.
@pytest.mark.parametrize(
    ("persona", "setup", "url_of", "status"),
    [
        ("chair", survey_ready, _with("surveys:overview", _period, "?q=%00&trang=-1"), 200),
        ("chair", draft_2024, _with("results_manage:desk", _old, "?q=a%00&nhom=%00"), 200),
        ("chair", _nothing, _with("planner:planner", _old, "?q=a%00"), 200),
        ("chair", _nothing, _with("planner:planner", _old, "?don-vi=a%00"), 404),
        ("unit_staff", _nothing, _with("planner:planner", _old, "?don-vi=a%00"), 404),
        ("unit_staff", _nothing, _with("planner:planner", _old, "?don-vi=" + "x" * 300), 404),
        ("anonymous", survey_ready, lambda w: "/phieu/a%00b/", 404),
        ("anonymous", survey_ready, lambda w: "/phieu/a%00b/qr.svg", 404),
        ("anonymous", survey_ready, _with("surveys:public_form", "x" * 300, ""), 404),
        (
            "anonymous",
            publish_2024,
            _with("opendata:version_json", _old, "?phien-ban=" + "9" * 40),
            404,
        ),
        ("anonymous", publish_2024, _with("opendata:version_json", _old, "?phien-ban=-1"), 404),
    ],
    ids=[
        "survey-search",
        "desk-search",
        "planner-search",
        "planner-unit",
        "planner-own-unit",
        "planner-long-unit",
        "public-form-key",
        "public-qr-key",
        "public-long-key",
        "version-huge",
        "version-negative",
    ],
)
def test_hostile_query_strings_are_answered_never_a_500(
    world: World, persona: str, setup: Any, url_of: Any, status: int
) -> None:
    setup(world)
    assert world.client(persona).get(url_of(world)).status_code == status


def test_a_nul_in_a_public_forms_code_is_a_wrong_code(world: World) -> None:
    survey_ready(world)
    url = reverse("surveys:public_form", args=[_key_a(world)])
    response = world.client("anonymous").post(url, {**_public_answers(world), "ma": "a\x00"})
    assert response.status_code == 400
    assert "Mã phiếu không đúng" in response.content.decode()
    assert not SurveyResponse.objects.filter(period_id=world.period).exists()


def test_nul_characters_typed_by_the_chair_are_dropped(world: World) -> None:
    """The questionnaire's texts and the leader rating rules are saved without them."""
    survey_ready(world)
    chair = world.client("chair")
    form = _questionnaire_form(world)
    form["name"] = "Phiếu khảo sát\x00 năm 2025"
    form["scale_labels"] = form["scale_labels"].replace("Hài lòng", "Hài\x00 lòng")
    response = chair.post(reverse("surveys:questionnaire", args=[world.period]), form)
    assert response.status_code == 302
    questionnaire = _questionnaire(world.period)
    assert questionnaire.name == "Phiếu khảo sát năm 2025"
    assert "Hài lòng" in questionnaire.scale_labels

    response = chair.post(
        reverse("results_manage:leader_rules", args=[world.period]),
        {"class_label": ["Tốt"], "rating": ["Hoàn thành\x00 tốt"], "field_min": [""]},
    )
    assert response.status_code == 302
    rule = LeaderRatingRule.objects.get(period_id=world.period)
    assert rule.rating == "Hoàn thành tốt"


def test_the_history_page_lists_the_chairs_own_province_only(world: World) -> None:
    """Hà Nam's imported 2020 results are listed on Hà Nam's page, not on Ninh Bình's."""
    data = _history_form(world, "HN")
    response = world.client("chair").post(reverse("results_history:upload"), data)
    assert response.status_code == 302 and _imported_2020("T-HNA")
    url = reverse("results_history:upload")
    assert "210/QĐ-UBND" in world.client("chair").get(url).content.decode()
    page = world.client("other_chair").get(url).content.decode()
    assert "210/QĐ-UBND" not in page and "Tỉnh Hà Nam" not in page


@pytest.mark.parametrize(
    ("persona", "own", "foreign"),
    [("chair", "unit_staff", "far_staff"), ("other_chair", "far_staff", "unit_staff")],
)
@pytest.mark.parametrize("query", ["", "period"], ids=["all", "other-period"])
def test_each_province_reads_its_own_audit_trail(
    world: World, persona: str, own: str, foreign: str, query: str
) -> None:
    """The events of the province's own units are listed, the other province's never (not
    even when its period is asked for in the query string)."""
    foreign_period = world.far_period if persona == "chair" else world.period
    url = reverse("audit:log_csv")
    if query:
        url += f"?ky={foreign_period}"
    response = world.client(persona).get(url)
    assert response.status_code == 200 and response.streaming
    body = body_text(response)
    assert world.user(foreign).full_name not in body
    if not query:
        assert world.user(own).full_name in body
