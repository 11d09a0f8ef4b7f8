"""The set names its plan-completion criterion: checked, exported and imported with the
set's JSON metadata, copied by the clone; the demo's commune sets name 1.1.3."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from parindex.criteria.models import CriteriaSet
from parindex.criteria.selectors import criteria_set_document
from parindex.criteria.services import (
    SetInfo,
    criteria_set_clone,
    criteria_set_import_document,
    criteria_set_import_json,
)
from parindex.criteria.services.plan_criterion import engine_nodes, plan_code_problems
from parindex.engine import InputError
from parindex.engine.evalfile import parse_criteria
from parindex.organizations.models import Level
from parindex.tools.demo import criteria_data

from .conftest import YEAR, plan_document

pytestmark = pytest.mark.django_db


def test_json_export_and_import_keep_the_plan_criterion(
    plan_set: Callable[..., CriteriaSet],
) -> None:
    source = plan_set("percent", "half_up")
    document = criteria_set_document(source)
    assert document["criteria_set"]["metadata"]["plan_criterion_code"] == "1.1.3"
    document["criteria_set"]["metadata"]["year"] = YEAR + 1
    copy = criteria_set_import_json(data=json.dumps(document).encode(), actor=None)
    assert copy.plan_criterion_code == "1.1.3"


def test_the_clone_keeps_it(plan_set: Callable[..., CriteriaSet]) -> None:
    clone = criteria_set_clone(source=plan_set("ratio", "truncate"), year=YEAR + 1, actor=None)
    assert clone.plan_criterion_code == "1.1.3"


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("9.9", "bộ tiêu chí không có tiêu chí mã “9.9”"),
        ("1.1", "“1.1” có tiêu chí con"),
        ("1.1.1", "tiêu chí 1.1.1 chấm “đạt / không đạt”"),
    ],
)
def test_a_code_that_is_not_a_rate_leaf_is_refused(code: str, words: str, province: object) -> None:
    with pytest.raises(InputError) as exc:
        criteria_set_import_document(
            document=plan_document("ratio", "truncate"),
            info=SetInfo(level=Level.COMMUNE, year=YEAR, plan_criterion_code=code),
            actor=None,
        )
    assert words in exc.value.problems[0]
    assert not CriteriaSet.objects.exists()


def test_the_demo_commune_set_names_its_plan_criterion() -> None:
    document = criteria_data.commune_document(2023)
    [node] = [n for n in document["criteria_set"]["nodes"] if n["code"] == "1.1.3"]
    assert node["name"] == "Mức độ thực hiện kế hoạch CCHC"
    code = criteria_data.PLAN_CRITERIA[Level.COMMUNE]
    assert plan_code_problems(code, engine_nodes(parse_criteria(document).nodes)) == []
    provincial = criteria_data.department_document(2023)
    [node] = [n for n in provincial["criteria_set"]["nodes"] if n["code"] == "1.1.3"]
    assert node["name"] == "Mức độ thực hiện kế hoạch CCHC" and node["rule"]["type"] == "tiers"
    assert Level.DEPARTMENT not in criteria_data.PLAN_CRITERIA
