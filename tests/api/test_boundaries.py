"""Boundary input at the HTTP surface (issue 9, point 8): a clean 404 or 422, never a 500.

An id past the 64-bit range used to reach SQLite as a parameter it cannot bind
(``OverflowError``) and PostgreSQL as ``bigint out of range``; an offset likewise; a
5,000-digit integer in a JSON body made Python's parser raise.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from parindex.assessments.models import Answer
from parindex.core.converters import MAX_ID, IdConverter, parse_id
from tests.api.conftest import ApiWorld

HUGE = (10**25, 2**63, MAX_ID + 1)
NOT_FOUND = {"detail": "Không tìm thấy."}
INVALID = "Dữ liệu gửi lên không đúng định dạng."


def group_url(world: ApiWorld, period: Any = None) -> str:
    period = world.published_period if period is None else period
    return f"/api/published/periods/{period}/groups/{world.group_code}"


# --------------------------------------------------------------------------- the converter


def test_id_converter_takes_bigint_ids_and_refuses_larger_ones() -> None:
    converter = IdConverter()
    assert converter.to_python("0") == 0
    assert converter.to_python(str(MAX_ID)) == MAX_ID
    with pytest.raises(ValueError):
        converter.to_python(str(MAX_ID + 1))
    assert converter.to_url(42) == "42"
    assert reverse("criteria:detail", args=[MAX_ID]) == f"/bo-tieu-chi/{MAX_ID}/"
    with pytest.raises(NoReverseMatch):
        reverse("criteria:detail", args=[MAX_ID + 1])


# --------------------------------------------------------------------------- HTML pages


@pytest.mark.parametrize("huge", HUGE)
@pytest.mark.parametrize(
    "template",
    ["/tai-lieu/{}/tai-xuong/", "/bo-tieu-chi/{}/", "/tai-lieu/noi-dung/{}/", "/cong-bo/{}/"],
)
def test_a_huge_id_in_a_page_path_is_a_404(api_world: ApiWorld, template: str, huge: int) -> None:
    for client in (Client(), api_world.client()):
        assert client.get(template.format(huge)).status_code == 404


def test_the_largest_id_reaches_the_view_and_is_a_plain_404(api_world: ApiWorld) -> None:
    client = api_world.client()
    for template in ("/tai-lieu/{}/tai-xuong/", "/tai-lieu/noi-dung/{}/"):
        assert client.get(template.format(MAX_ID)).status_code == 404


@pytest.mark.parametrize("param", ["phien-ban", "trang"])
@pytest.mark.parametrize("value", ["9" * 5000, str(2**63), "²", "-1"])
def test_odd_numbers_in_public_page_queries_are_not_a_500(
    api_world: ApiWorld, param: str, value: str
) -> None:
    client = Client(raise_request_exception=False)
    period = api_world.published_period
    for url in (
        f"/cong-bo/{period}/",
        f"/cong-bo/{period}/{api_world.group_code}/",
        f"/cong-bo/{period}/du-lieu.json",
        f"/cong-bo/{period}/{api_world.group_code}/bang-xep-hang.csv",
    ):
        response = client.get(url, {param: value})
        assert response.status_code in (200, 302, 404), (url, response.status_code)
        if param == "phien-ban":
            assert response.status_code == 404, url


def test_parse_id() -> None:
    assert parse_id(" 42 ") == 42
    assert parse_id(str(MAX_ID)) == MAX_ID
    for text in ("", "-1", "1.5", "²", "١٢", str(MAX_ID + 1), "9" * 5000):
        assert parse_id(text) is None, text


# --------------------------------------------------------------------------- published results


@pytest.mark.parametrize("offset", [2**63, -1, 10**30, MAX_ID, 1_000_001, "9" * 5000])
def test_an_offset_out_of_range_is_a_422(api_world: ApiWorld, offset: Any) -> None:
    response = Client().get(group_url(api_world), {"offset": str(offset)})

    assert response.status_code == 422
    body = response.json()
    if isinstance(offset, int):
        assert body["detail"] == "Tham số phân trang không hợp lệ."
        assert body["errors"] == [
            "limit phải từ 1 đến 1000, offset từ 0 đến 1000000 "
            f"(nhận được limit=100, offset={offset})."
        ]
    else:  # too long to be read as an integer at all
        assert body["detail"] == INVALID
        assert body["errors"] == ["query.offset: số nguyên quá dài."]


def test_the_boundary_offsets_are_served(api_world: ApiWorld) -> None:
    for offset in (0, 1_000_000):
        response = Client().get(group_url(api_world), {"offset": offset, "limit": 1000})
        assert response.status_code == 200
        assert response.json()["offset"] == offset


@pytest.mark.parametrize("limit", [0, 1001, 2**63, 10**30])
def test_a_limit_out_of_range_is_a_422(api_world: ApiWorld, limit: int) -> None:
    response = Client().get(group_url(api_world), {"limit": limit})
    assert response.status_code == 422
    assert response.json()["detail"] == "Tham số phân trang không hợp lệ."


@pytest.mark.parametrize("version", [0, 2**63, 10**30])
def test_a_version_out_of_range_is_a_422_naming_it(api_world: ApiWorld, version: int) -> None:
    response = Client().get(group_url(api_world), {"version": version})

    assert response.status_code == 422
    assert response.json()["detail"] == INVALID
    [line] = response.json()["errors"]
    assert line.startswith("query.version: phải ")


@pytest.mark.parametrize("year", [0, 10**30, "hai nghìn"])
def test_a_bad_year_filter_is_a_422(api_world: ApiWorld, year: Any) -> None:
    response = Client().get("/api/published/periods", {"year": year})
    assert response.status_code == 422
    assert response.json()["errors"][0].startswith("query.year: ")


@pytest.mark.parametrize("period", [*HUGE, 0, "abc"])
def test_a_bad_period_id_in_an_api_path_is_a_404(api_world: ApiWorld, period: Any) -> None:
    client = Client()
    assert client.get(group_url(api_world, period)).json() == NOT_FOUND
    response = client.get(f"{group_url(api_world, period)}/units/{api_world.unit_codes[0]}")
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_nul_characters_are_refused_not_sent_to_the_database(api_world: ApiWorld) -> None:
    client = Client()
    assert client.get(group_url(api_world), {"q": "Liêm\x00"}).status_code == 422
    assert client.get("/api/published/periods", {"jurisdiction": "\x00"}).status_code == 422
    response = client.get(group_url(api_world).replace(api_world.group_code, "x%00y"))
    assert response.status_code == 404
    assert response.json() == NOT_FOUND


def test_the_real_page_is_still_served(api_world: ApiWorld) -> None:
    response = Client().get(group_url(api_world), {"limit": 1, "offset": 1})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert len(response.json()["rows"]) == 1


# --------------------------------------------------------------------------- self-assessment


def item_url(world: ApiWorld, assessment: Any = None, code: str = "1.2") -> str:
    assessment = world.assessment if assessment is None else assessment
    return f"/api/assessments/{assessment}/items/{code}"


def put(client: Client, url: str, body: str | bytes) -> Any:
    return client.put(url, body, content_type="application/json")


@pytest.mark.parametrize("assessment", [*HUGE, 0, "abc"])
def test_a_bad_assessment_id_is_a_404(api_world: ApiWorld, assessment: Any) -> None:
    client = api_world.client()
    for response in (
        client.get(f"/api/assessments/{assessment}"),
        put(client, item_url(api_world, assessment), json.dumps({"value": "50"})),
        client.post(f"/api/assessments/{assessment}/submit"),
        client.post(f"/api/assessments/{assessment}/withdraw"),
    ):
        assert response.status_code == 404
        assert response.json() == NOT_FOUND


def test_a_5000_digit_integer_in_a_body_is_a_422(api_world: ApiWorld) -> None:
    client = api_world.client()
    for field in ("value", "version"):
        body = f'{{"{field}": {"9" * 5000}}}'
        response = put(client, item_url(api_world), body)

        assert response.status_code == 422
        assert response.json() == {
            "detail": INVALID,
            "errors": ["Nội dung JSON gửi lên: có số nguyên dài 5.000 chữ số, tối đa 30 chữ số."],
        }
    assert not Answer.objects.filter(assessment_id=api_world.assessment).exists()


@pytest.mark.parametrize("version", [2**63, 10**25, -1])
def test_a_version_out_of_range_in_a_body_is_a_422(api_world: ApiWorld, version: int) -> None:
    response = put(
        api_world.client(), item_url(api_world), json.dumps({"value": "50", "version": version})
    )

    assert response.status_code == 422
    [line] = response.json()["errors"]
    assert line.startswith("body.payload.version: phải ")
    assert not Answer.objects.filter(assessment_id=api_world.assessment).exists()


def test_a_body_that_is_not_json_is_a_422(api_world: ApiWorld) -> None:
    response = put(api_world.client(), item_url(api_world), b'{"value": "50"')

    assert response.status_code == 422
    assert response.json()["detail"] == INVALID
    assert response.json()["errors"][0].startswith("Nội dung JSON gửi lên: không phải JSON hợp lệ")


def test_a_write_without_the_csrf_header_is_a_vietnamese_403(api_world: ApiWorld) -> None:
    response = put(api_world.client(csrf_header=False), item_url(api_world), '{"value": "50"}')

    assert response.status_code == 403
    assert response.json() == {
        "detail": "Thiếu hoặc sai mã CSRF: gửi header X-CSRFToken bằng giá trị cookie csrftoken."
    }
    assert not Answer.objects.filter(assessment_id=api_world.assessment).exists()


def test_a_valid_save_still_works(api_world: ApiWorld) -> None:
    response = put(api_world.client(), item_url(api_world), json.dumps({"value": "50"}))
    assert response.status_code == 200, response.content
    assert response.json()["points"] is not None
