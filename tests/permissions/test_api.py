"""Every JSON API endpoint (``/api/``) against every persona.

The API goes through the same chokepoints as the pages (parindex/assessments/api.py):
anonymous → 401, another unit's (or an unassigned appraiser's, another province's chair's)
assessment → 404 with no name in the body, a readable assessment the user may not change
→ 403. Writes need a session and (outside the test client) the CSRF token.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from parindex.assessments.models import Answer, Assessment, AssessmentStatus

from .conftest import (
    PERSONAS,
    Case,
    World,
    a_submitted,
    assign_b_last_year,
    check,
    check_effect,
    expect,
    matrix,
    send,
)

pytestmark = pytest.mark.django_db


def _assessment(pick: Any) -> Any:
    return lambda w: f"/api/assessments/{pick(w)}"


def _item(pick: Any, code: str) -> Any:
    return lambda w: f"/api/assessments/{pick(w)}/items/{code}"


def _saved(assessment_id: int, code: str) -> bool:
    return Answer.objects.filter(
        assessment_id=assessment_id, node__code=code, self_value="80"
    ).exists()


def _status(assessment_id: int) -> str:
    return Assessment.objects.get(pk=assessment_id).status


def _a(w: World) -> int:
    return w.a


def _b(w: World) -> int:
    return w.b


ITEM = {"value": "80", "version": 0}

API = [
    Case("api:api-root", "GET", lambda w: "/api/", expect("404", anonymous="404")),
    Case("api:openapi-json", "GET", lambda w: "/api/openapi.json", expect("200", anonymous="200")),
    Case("api:openapi-view", "GET", lambda w: "/api/docs", expect("200", anonymous="200")),
    Case(
        "api:list_assessments",
        "GET",
        lambda w: "/api/assessments",
        expect("200", anonymous="401"),
    ),
    Case(
        "api:get_assessment",
        "GET",
        _assessment(_a),
        expect(reads_a="200", anonymous="401"),
        label="A",
        owner="A",
    ),
    Case(
        "api:get_assessment",
        "GET",
        _assessment(_b),
        expect(reads_b="200", anonymous="401"),
        label="B",
        owner="B",
    ),
    Case(
        "api:get_assessment",
        "GET",
        _assessment(lambda w: w.old_a),
        expect(unit_a="200", oversight="200", anonymous="401"),
        label="A-2024",
        owner="A",
    ),
    Case(
        "api:get_assessment",
        "GET",
        _assessment(lambda w: 999_999),
        expect("404", anonymous="401"),
        label="unknown",
    ),
    Case(
        "api:get_assessment",
        "DELETE",
        _assessment(_a),
        expect("405", anonymous="405"),
        label="A",
    ),
    Case(
        "api:save_item",
        "PUT",
        _item(_a, "1.2"),
        expect(unit_a="200", oversees_a="403", anonymous="401"),
        data=lambda w: ITEM,
        json=True,
        label="A-1.2",
        owner="A",
        effect=lambda w: _saved(w.a, "1.2"),
        effect_for="unit_a",
    ),
    Case(
        "api:save_item",
        "PUT",
        _item(_b, "1.2"),
        expect(unit_b="200", oversight="403", anonymous="401"),
        data=lambda w: ITEM,
        json=True,
        label="B-1.2",
        owner="B",
        effect=lambda w: _saved(w.b, "1.2"),
        effect_for="unit_b",
    ),
    # A code that is not in the unit's criteria set: the unit learns it is unknown (404);
    # a reader who may not write is refused before the code is looked up (403).
    Case(
        "api:save_item",
        "PUT",
        _item(_a, "9.9"),
        expect(unit_a="404", oversees_a="403", anonymous="401"),
        data=lambda w: ITEM,
        json=True,
        label="A-unknown-code",
        owner="A",
    ),
    # Unit staff may change the assessment but not send it: the service's refusal is 400.
    Case(
        "api:submit",
        "POST",
        lambda w: f"/api/assessments/{w.a}/submit",
        expect(unit_leader="200", unit_staff="400", oversees_a="403", anonymous="401"),
        json=True,
        owner="A",
        effect=lambda w: _status(w.a) == AssessmentStatus.SUBMITTED,
        effect_for="unit_leader",
    ),
    Case(
        "api:withdraw",
        "POST",
        lambda w: f"/api/assessments/{w.a}/withdraw",
        expect(unit_leader="200", unit_staff="400", oversees_a="403", anonymous="401"),
        json=True,
        setup=a_submitted,
        owner="A",
        effect=lambda w: _status(w.a) == AssessmentStatus.IN_PROGRESS,
        effect_for="unit_leader",
    ),
    Case(
        "api:withdraw",
        "POST",
        lambda w: f"/api/assessments/{w.a}/withdraw",
        expect(unit_a="400", oversees_a="403", anonymous="401"),  # not sent: nothing to take back
        json=True,
        label="not-submitted",
        owner="A",
    ),
    # Ninh Bình's unit C: its own people and council, never Hà Nam's.
    Case(
        "api:get_assessment",
        "GET",
        _assessment(lambda w: w.c),
        expect(reads_c="200", anonymous="401"),
        label="C",
        owner="C",
    ),
    Case(
        "api:save_item",
        "PUT",
        _item(lambda w: w.c, "1.2"),
        expect(far_staff="200", runs_nb="403", anonymous="401"),
        data=lambda w: ITEM,
        json=True,
        label="C-1.2",
        owner="C",
        effect=lambda w: _saved(w.c, "1.2"),
        effect_for="far_staff",
    ),
    Case(
        "api:submit",
        "POST",
        lambda w: f"/api/assessments/{w.c}/submit",
        expect(far_staff="400", runs_nb="403", anonymous="401"),
        json=True,
        label="C",
        owner="C",
    ),
    Case(
        "api:published_periods",
        "GET",
        lambda w: "/api/published/periods",
        expect("200", anonymous="200"),
    ),
    Case(
        "api:published_group",
        "GET",
        lambda w: f"/api/published/periods/{w.old_period}/groups/{w.group_code}",
        expect("404", anonymous="404"),
        label="finalised, not published",
    ),
    Case(
        "api:published_unit",
        "GET",
        lambda w: (
            f"/api/published/periods/{w.old_period}/groups/{w.group_code}/units/{w.unit_code('A')}"
        ),
        expect("404", anonymous="404"),
        label="finalised, not published",
        owner="A",
    ),
]


# Every persona × every page: in `make test` and CI, not in the edit loop (`make test-fast`).
@pytest.mark.slow
@pytest.mark.parametrize(("persona", "case", "outcome"), matrix(API))
def test_api(world: World, persona: str, case: Case, outcome: str) -> None:
    response = send(world, persona, case)
    check(world, case, response, outcome)
    check_effect(world, case, persona)
    if outcome == "401":
        assert response.json() == {"detail": "Cần đăng nhập."}
    if outcome == "404" and case.name != "api:api-root":
        assert response.json() == {"detail": "Không tìm thấy."}


def test_every_api_endpoint_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    api = next(p for p in get_resolver().url_patterns if getattr(p, "namespace", "") == "api")
    named = {f"api:{p.name}" for p in api.url_patterns if p.name}
    assert named <= {case.name for case in API}, named - {case.name for case in API}


def test_every_case_has_an_outcome_for_every_persona() -> None:
    for case in API:
        assert set(case.outcomes) == set(PERSONAS), case.key


# --------------------------------------------------------------------------- the list

VISIBLE = {
    "unit_staff": {"A-2024", "A-2025"},
    "unit_leader": {"A-2024", "A-2025"},
    "other_staff": {"B-2024", "B-2025"},
    "other_leader": {"B-2024", "B-2025"},
    "appraiser": {"A-2025"},  # assigned to A in 2025 only
    "appraiser_unassigned": set(),
    "chair": {"A-2024", "A-2025", "B-2024", "B-2025"},
    "observer": {"A-2024", "A-2025", "B-2024", "B-2025"},
    "other_chair": {"C-NB2025"},  # Ninh Bình's chair: Ninh Bình's period only
    "far_staff": {"C-NB2025"},
    "manager": set(),  # staff, but no role in the season
    "other_manager": set(),
    "superuser": {"A-2024", "A-2025", "B-2024", "B-2025", "C-NB2025"},
}


def _listed(world: World, client: Client) -> set[str]:
    response = client.get("/api/assessments")
    assert response.status_code == 200
    labels = {world.unit_a_code: "A", world.unit_b_code: "B", world.unit_c_code: "C"}
    years = {world.period: "2025", world.old_period: "2024", world.far_period: "NB2025"}
    return {f"{labels[row['unit_code']]}-{years[row['period_id']]}" for row in response.json()}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_the_list_shows_exactly_what_the_persona_may_read(world: World, persona: str) -> None:
    assert _listed(world, world.client(persona)) == VISIBLE[persona]


# --------------------------------------------------------------------------- beyond the matrix


def test_a_write_without_the_csrf_token_is_refused(world: World) -> None:
    client = world.client("unit_staff", enforce_csrf_checks=True)
    response = client.put(
        f"/api/assessments/{world.a}/items/1.2",
        data='{"value": "80", "version": 0}',
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not Answer.objects.filter(assessment_id=world.a, node__code="1.2").exists()


def test_a_refused_write_changes_nothing(world: World) -> None:
    """403 (observer) and 404 (other unit) leave the item as it was."""
    for persona in ("observer", "other_staff", "appraiser"):
        response = world.client(persona).put(
            f"/api/assessments/{world.a}/items/1.1",
            data='{"value": false, "version": 1}',
            content_type="application/json",
        )
        assert response.status_code in (403, 404), persona
    assert Answer.objects.get(pk=world.answers_a["1.1"]).self_value is True


def test_an_appraiser_reads_only_the_items_of_their_fields(world: World) -> None:
    """Assigned field 1 of unit A: the API lists field 1's items and nothing of field 2."""
    items = world.client("appraiser").get(f"/api/assessments/{world.a}").json()["items"]
    codes = {item["code"] for item in items}
    assert codes == {"1.1", "1.2"}
    everything = world.client("chair").get(f"/api/assessments/{world.a}").json()["items"]
    assert {item["code"] for item in everything} == {"1.1", "1.2", "2.1", "2.2"}


def test_an_assignment_in_another_period_opens_nothing_else(world: World) -> None:
    assign_b_last_year(world)
    client = world.client("appraiser")
    assert _listed(world, client) == {"A-2025", "B-2024"}


def test_last_years_assignment_does_not_open_this_years_assessment(world: World) -> None:
    assign_b_last_year(world)
    response = world.client("appraiser").get(f"/api/assessments/{world.b}")
    assert response.status_code == 404
