"""The public ranking page links the open-data files of what it shows (issue 11, point 9),
and every link downloads."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from parindex.results.tests.conftest import Scenario
from parindex.results.tests.test_public_pages import publish, ranking_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(scenario: Scenario) -> Scenario:
    publish(scenario.p2024)
    return scenario


def _open_data_links(html: str) -> list[str]:
    section = re.search(r'<section[^>]*id="du-lieu-mo".*?</section>', html, re.S)
    assert section, "no «Dữ liệu mở» section"
    return [link.replace("&amp;", "&") for link in re.findall(r'href="([^"]+)"', section.group(0))]


def test_ranking_page_links_every_open_data_file(
    anonymous_client: Client, published: Scenario
) -> None:
    period = published.p2024
    html = anonymous_client.get(ranking_url(period)).content.decode()
    assert "Dữ liệu mở" in html
    links = _open_data_links(html)
    expected = [reverse("opendata:version_json", kwargs={"pk": period.pk})] + [
        reverse(name, kwargs={"pk": period.pk, "group_code": "so-ban-nganh", "fmt": fmt})
        for name, fmt in (
            ("opendata:ranking", "csv"),
            ("opendata:ranking", "xlsx"),
            ("opendata:ranking", "json"),
            ("opendata:points", "csv"),
            ("opendata:points", "xlsx"),
        )
    ]
    for url in expected:
        assert url in links, url
    for url in links:
        response = anonymous_client.get(url)
        assert response.status_code == 200, url


def test_an_earlier_version_links_its_own_files(
    anonymous_client: Client, published: Scenario
) -> None:
    period = published.p2024
    publish(period, "400/QĐ-UBND", reason="Sửa điểm")
    html = anonymous_client.get(ranking_url(period), {"phien-ban": 1}).content.decode()
    links = _open_data_links(html)
    assert links and all(link.endswith("?phien-ban=1") for link in links)
