"""The read-only JSON API of published results (``/api/published/…``), for anyone.

Personas: an anonymous developer of a provincial portal reads it; Chủ tịch Trần Văn Hùng's
decisions publish 2023 and 2024 through the services.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from parindex.periods.models import Period
from parindex.results.models import ResultRow, ResultVersion
from parindex.results.services import Decision, results_compute, results_publish
from parindex.results.tests.conftest import Scenario

pytestmark = pytest.mark.django_db

DECISION = Decision(
    number="125/QĐ-UBND",
    date=dt.date(2024, 3, 1),
    signer_name="Trần Văn Hùng",
    signer_title="Chủ tịch UBND tỉnh",
)
NOT_FOUND = {"detail": "Không tìm thấy."}


def publish(period: Period, decision: Decision = DECISION) -> ResultVersion:
    return results_publish(
        version=results_compute(period=period, actor=None), decision=decision, actor=None
    )


def group_url(period: Period, code: str = "so-ban-nganh") -> str:
    return f"/api/published/periods/{period.pk}/groups/{code}"


def test_periods_lists_only_published_ones_with_decision_and_groups(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2023)
    results_compute(period=scenario.p2024, actor=None)  # a draft: not listed

    response = anonymous_client.get("/api/published/periods")

    assert response.status_code == 200
    [period] = response.json()
    assert (period["id"], period["name"], period["year"], period["kind"]) == (
        scenario.p2023.pk,
        "Năm 2023",
        2023,
        "annual",
    )
    assert period["jurisdiction"] == {"code": "T-HNA", "name": "Tỉnh Hà Nam"}
    assert period["version"]["number"] == 1
    assert period["version"]["current"] is True
    assert period["version"]["source"] == "computed"
    assert period["version"]["decision"] == {
        "number": "125/QĐ-UBND",
        "date": "2024-03-01",
        "signer_name": "Trần Văn Hùng",
        "signer_title": "Chủ tịch UBND tỉnh",
    }
    version = ResultVersion.objects.get(period=scenario.p2023)
    assert period["groups"] == [
        {
            "code": g.code,
            "name": g.name,
            "units_count": 3,
            "mean": g.stats["mean"],
        }
        for g in version.groups.order_by("position")
    ]
    assert anonymous_client.get("/api/published/periods", {"year": 2024}).json() == []
    assert anonymous_client.get("/api/published/periods", {"jurisdiction": "T-HNA"}).json()
    assert anonymous_client.get("/api/published/periods", {"jurisdiction": "X"}).json() == []


def test_group_gives_statistics_and_rows_with_the_engines_exact_strings(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2023)
    version = publish(scenario.p2024)

    response = anonymous_client.get(group_url(scenario.p2024))

    assert response.status_code == 200
    data = response.json()
    stored = ResultRow.objects.filter(version=version, result_group__code="so-ban-nganh")
    assert data["count"] == 3
    assert (data["limit"], data["offset"]) == (100, 0)
    assert data["group"]["stats"]["mean"] == stored.first().result_group.stats["mean"]  # type: ignore[union-attr]
    assert data["group"]["fields"][0] == {
        "code": "1",
        "name": "Chỉ đạo, điều hành cải cách hành chính",
        "max": "14",
    }
    assert data["group"]["survey_max"] == "10"
    assert [v["number"] for v in data["versions"]] == [1]
    rows = {r["code"]: r for r in data["rows"]}
    for row in stored:
        out = rows[row.code]
        for key in ("points", "bonus", "penalty", "total", "max", "index"):
            assert out[key] == row.detail[key], (row.code, key)
        assert out["rank"] == row.detail["rank"]
        assert out["class_label"] == row.detail["class"]
        assert out["previous_index"] == row.detail["previous_index"]
        assert out["rank_change"] == row.detail["rank_change"]
        assert out["leader_rating"] == row.leader_rating
    assert rows["T-VP"]["survey"] is None  # not surveyed
    assert (
        rows["T-SNV"]["survey"]
        == ResultRow.objects.get(version=version, code="T-SNV").detail["survey"]
    )
    assert [r["code"] for r in data["rows"]] == [r.code for r in stored.order_by("position")]


def test_rows_are_paginated_and_searched_without_diacritics(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2023)
    url = group_url(scenario.p2023, "ubnd-cap-huyen")
    everything = [r["code"] for r in anonymous_client.get(url).json()["rows"]]

    page = anonymous_client.get(url, {"limit": 2, "offset": 1}).json()
    assert [r["code"] for r in page["rows"]] == everything[1:3]
    assert (page["count"], page["limit"], page["offset"]) == (3, 2, 1)

    found = anonymous_client.get(url, {"q": "kim bang"}).json()
    assert [r["name"] for r in found["rows"]] == ["UBND huyện Kim Bảng"]
    assert found["count"] == 1

    for params in ({"limit": 1001}, {"limit": 0}, {"offset": -1}):
        refused = anonymous_client.get(url, params)
        assert refused.status_code == 422
        assert refused.json()["detail"] == "Tham số phân trang không hợp lệ."
    assert anonymous_client.get(url, {"limit": 1000}).status_code == 200


def test_unit_gives_fields_nodes_and_its_years(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2023)
    version = publish(scenario.p2024)
    row = ResultRow.objects.get(version=version, code="T-VP")

    response = anonymous_client.get(f"{group_url(scenario.p2024)}/units/T-VP")

    assert response.status_code == 200
    data = response.json()
    assert (data["code"], data["name"], data["index"]) == ("T-VP", row.name, row.detail["index"])
    assert data["group"]["code"] == "so-ban-nganh"
    assert data["fields"][0] == {
        "code": "1",
        "name": "Chỉ đạo, điều hành cải cách hành chính",
        **{k: row.detail["fields"][0][k] for k in ("points", "max", "percent")},
    }
    assert [n["code"] for n in data["nodes"]] == [n["code"] for n in row.detail["nodes"]]
    node = next(n for n in data["nodes"] if n["code"] == "1.1")
    assert (node["name"], node["parent"]) == ("Ban hành kế hoạch CCHC", "1")
    assert "3" in data["not_applicable"]
    assert "survey" in data["not_applicable"]
    indexes = {
        r.version.period.year: r.detail["index"]
        for r in ResultRow.objects.filter(code="T-VP").select_related("version__period")
    }
    assert [(h["year"], h["index"]) for h in data["history"]] == [
        (2023, indexes[2023]),
        (2024, indexes[2024]),
    ]


def test_version_selects_a_superseded_version(anonymous_client: Client, scenario: Scenario) -> None:
    first = publish(scenario.p2023)
    from parindex.assessments.models import Assessment

    Assessment.objects.filter(period=scenario.p2023, unit__code="T-STP").update(bonus=Decimal(2))
    publish(
        scenario.p2023,
        Decision("130/QĐ-UBND", dt.date(2024, 3, 20), "Trần Văn Hùng", reason="Thêm điểm thưởng"),
    )
    old_index = ResultRow.objects.get(version=first, code="T-STP").detail["index"]

    current = anonymous_client.get(group_url(scenario.p2023)).json()
    old = anonymous_client.get(group_url(scenario.p2023), {"version": 1}).json()

    assert current["version"]["number"] == 2
    assert current["version"]["reason"] == "Thêm điểm thưởng"
    assert old["version"]["number"] == 1
    assert old["version"]["current"] is False
    assert [(v["number"], v["current"]) for v in current["versions"]] == [(2, True), (1, False)]
    assert next(r for r in old["rows"] if r["code"] == "T-STP")["index"] == old_index
    assert next(r for r in current["rows"] if r["code"] == "T-STP")["index"] != old_index
    unit = anonymous_client.get(f"{group_url(scenario.p2023)}/units/T-STP", {"version": 1})
    assert unit.json()["index"] == old_index


def test_unpublished_unknown_and_drafts_are_404_in_vietnamese(
    anonymous_client: Client, scenario: Scenario
) -> None:
    publish(scenario.p2023)
    results_compute(period=scenario.p2024, actor=None)
    for url, params in (
        (group_url(scenario.p2024), {}),  # a draft
        (group_url(scenario.p2025), {}),
        (group_url(scenario.p2023, "khong-co"), {}),
        (group_url(scenario.p2023), {"version": 7}),
        (f"{group_url(scenario.p2023)}/units/KHONG-CO", {}),
        (f"{group_url(scenario.p2024)}/units/T-STP", {}),
        ("/api/published/periods/999999/groups/so-ban-nganh", {}),
    ):
        response = anonymous_client.get(url, params)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND


def test_the_api_is_get_only(anonymous_client: Client, scenario: Scenario) -> None:
    publish(scenario.p2023)
    for url in ("/api/published/periods", group_url(scenario.p2023)):
        assert anonymous_client.post(url, {}, content_type="application/json").status_code == 405
        assert anonymous_client.delete(url).status_code == 405


def test_openapi_describes_the_published_paths_and_typed_rows(anonymous_client: Client) -> None:
    response = anonymous_client.get("/api/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in (
        "/api/published/periods",
        "/api/published/periods/{period_id}/groups/{group_code}",
        "/api/published/periods/{period_id}/groups/{group_code}/units/{unit_code}",
    ):
        assert set(paths[path]) == {"get"}, path
        assert paths[path]["get"]["tags"] == ["Kết quả đã công bố"]
        assert not paths[path]["get"].get("security")  # anonymous
    group = paths["/api/published/periods/{period_id}/groups/{group_code}"]["get"]
    assert {p["name"] for p in group["parameters"]} >= {"version", "limit", "offset", "q"}
    assert set(group["responses"]) == {"200", "404", "422"}
    row = schema["components"]["schemas"]["RowOut"]["properties"]
    assert row["index"]["type"] == "string"  # decimal strings, never floats
    assert row["rank"]["anyOf"][0]["type"] == "integer"
