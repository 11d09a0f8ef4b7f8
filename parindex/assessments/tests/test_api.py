"""The JSON API: same permissions and services as the pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriterionNode

pytestmark = pytest.mark.django_db


def put(client: Client, assessment: Assessment, code: str, body: dict[str, Any]) -> Any:
    return client.put(
        f"/api/assessments/{assessment.pk}/items/{code}",
        data=json.dumps(body),
        content_type="application/json",
    )


def test_anonymous_gets_401(client: Client, assessment: Assessment) -> None:
    response = client.get(f"/api/assessments/{assessment.pk}")
    assert response.status_code == 401
    assert response.json()["detail"] == "Cần đăng nhập."


def test_unit_staff_reads_their_assessment_with_engine_points(
    unit_staff_client: Client, assessment: Assessment
) -> None:
    put(unit_staff_client, assessment, "2.1", {"value": {"numerator": 96, "denominator": 100}})
    data = unit_staff_client.get(f"/api/assessments/{assessment.pk}").json()
    assert data["unit_code"] == assessment.unit.code
    item = next(i for i in data["items"] if i["code"] == "2.1")
    assert item["points"] == "6.00"  # full_at 95 %
    assert item["version"] == 1
    assert data["points"] == "6.00"


def test_saving_an_item_goes_through_the_service(
    unit_staff_client: Client, assessment: Assessment
) -> None:
    response = put(unit_staff_client, assessment, "1.2", {"value": "95,68", "version": 0})
    assert response.status_code == 200, response.content
    assert response.json()["points"] == "2.87"  # 95.68 % × 3, truncated
    answer = Answer.objects.get(assessment=assessment, node__code="1.2")
    assert answer.self_value == "95.68"
    assert AuditEvent.objects.filter(action="answer.self_saved", target_id=str(answer.pk)).exists()


def test_a_save_costs_a_fixed_number_of_queries(
    unit_staff_client: Client, assessment: Assessment, django_assert_max_num_queries: Any
) -> None:
    """The hot path of the season: session and user, the assessment in the user's scope, the
    node, then in one transaction the locked assessment (with its deadline extension), the
    leaf check, the answer, its write and the audit event. Points come from the loaded set."""
    put(unit_staff_client, assessment, "1.2", {"value": "90", "version": 0})
    with django_assert_max_num_queries(12):
        response = put(unit_staff_client, assessment, "1.2", {"value": "95,68", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["points"] == "2.87"


def test_a_parent_criterion_is_refused_with_a_reason(
    unit_staff_client: Client, assessment: Assessment
) -> None:
    parent = assessment_parent_code(assessment)
    response = put(unit_staff_client, assessment, parent, {"value": "1", "version": 0})
    assert response.status_code == 400
    assert any("tiêu chí con" in line for line in response.json()["errors"])


def assessment_parent_code(assessment: Assessment) -> str:
    node = CriterionNode.objects.filter(
        criteria_set__period_groups__period=assessment.period, children__isnull=False
    ).first()
    assert node is not None
    return node.code


def test_bad_value_is_400_with_a_vietnamese_message_and_nothing_stored(
    unit_staff_client: Client, assessment: Assessment
) -> None:
    response = put(
        unit_staff_client, assessment, "2.1", {"value": {"numerator": 9, "denominator": 3}}
    )
    assert response.status_code == 400
    assert any("2.1" in line for line in response.json()["errors"])
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_malformed_body_is_422(unit_staff_client: Client, assessment: Assessment) -> None:
    response = put(unit_staff_client, assessment, "1.2", {"version": "nhiều"})
    assert response.status_code == 422
    assert response.json()["detail"] == "Dữ liệu gửi lên không đúng định dạng."


def test_a_stale_version_is_409_with_the_other_value(
    unit_staff_client: Client, unit_leader_client: Client, assessment: Assessment
) -> None:
    assert (
        put(unit_staff_client, assessment, "1.4", {"value": "2", "version": 0}).status_code == 200
    )
    response = put(unit_leader_client, assessment, "1.4", {"value": "3", "version": 0})
    assert response.status_code == 409
    body = response.json()
    assert body["current"]["value"] == "2"
    assert Answer.objects.get(assessment=assessment, node__code="1.4").self_value == "2"


def test_outsider_gets_404_everywhere(other_staff_client: Client, assessment: Assessment) -> None:
    assert other_staff_client.get(f"/api/assessments/{assessment.pk}").status_code == 404
    assert put(other_staff_client, assessment, "1.4", {"value": "1"}).status_code == 404
    assert other_staff_client.post(f"/api/assessments/{assessment.pk}/submit").status_code == 404
    listed = other_staff_client.get("/api/assessments").json()
    assert assessment.pk not in [a["id"] for a in listed]


def test_observer_reads_but_cannot_write(observer_client: Client, assessment: Assessment) -> None:
    assert observer_client.get(f"/api/assessments/{assessment.pk}").status_code == 200
    assert put(observer_client, assessment, "1.4", {"value": "1"}).status_code == 403


def test_only_the_leader_submits_and_withdraws(
    unit_staff_client: Client, unit_leader_client: Client, assessment: Assessment
) -> None:
    assert unit_staff_client.post(f"/api/assessments/{assessment.pk}/submit").status_code == 400
    response = unit_leader_client.post(f"/api/assessments/{assessment.pk}/submit")
    assert response.status_code == 200
    assert response.json()["status"] == AssessmentStatus.SUBMITTED
    assert put(unit_staff_client, assessment, "1.4", {"value": "1"}).status_code == 400
    assert unit_leader_client.post(f"/api/assessments/{assessment.pk}/withdraw").json()[
        "status"
    ] == (AssessmentStatus.IN_PROGRESS)


def test_unknown_criterion_is_404(unit_staff_client: Client, assessment: Assessment) -> None:
    assert put(unit_staff_client, assessment, "9.9", {"value": "1"}).status_code == 404


def test_openapi_documents_the_errors(client: Client) -> None:
    spec = client.get("/api/openapi.json").json()
    put_op = spec["paths"]["/api/assessments/{assessment_id}/items/{code}"]["put"]
    assert {"200", "400", "403", "404", "409", "422"} <= set(put_op["responses"])
    assert client.get("/api/docs").status_code == 200
