"""The demo data (the shared build, see ``conftest.py``) through the internal live pages
(signed-in staff): every group's page equals ``parindex evaluate``, and the
diacritic-insensitive search finds a commune. Anonymous visitors get a 404 there: they read
the published results at /cong-bo/ (see ``test_public_results.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from parindex.accounts.models import User
from parindex.periods.models import Period
from parindex.results.tests.helpers import assert_page_matches_evaluate

from .conftest import Demo

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("fast_password_hasher"),
]


def test_demo_pages_match_evaluate_and_search(
    demo: Demo, anonymous_client: Client, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    period = Period.objects.get(jurisdiction__code="MINH-HA", year=2024)
    assert anonymous_client.get(f"/ky-danh-gia/{period.pk}/mh-so-ban-nganh/").status_code == 404
    staff = Client()
    staff.force_login(User.objects.get(username="chutich"))  # the demo's chair, is_staff
    compared = 0
    for code in ("mh-so-ban-nganh", "mh-ubnd-cap-huyen", "mh-ubnd-cap-xa"):
        compared += assert_page_matches_evaluate(staff, period, code, tmp_path, capsys)
    assert compared == 88
    unit = staff.get(f"/ky-danh-gia/{period.pk}/mh-so-ban-nganh/don-vi/MH-TTT/")
    assert unit.status_code == 200
    assert "Không áp dụng" in unit.content.decode()

    response = staff.get(f"/ky-danh-gia/{period.pk}/mh-ubnd-cap-xa/", {"q": "dong tam"})
    assert [r.name for r in response.context["rows"]] == ["UBND xã Đồng Tâm"]
    assert "UBND huyện Đông Lĩnh" in response.content.decode()  # the xã's huyện
    assert "Đồng Tâm (Đông Lĩnh)" in response.context["chart"]["labels"]
