"""The QR sheet prints as the sheet only (issue 11, point 9): the site's print stylesheet
hides the navigation bar and the footer."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from parindex.surveys.models import SamplePlan

pytestmark = pytest.mark.django_db


def _print_rules() -> str:
    path = finders.find("css/parindex.css")
    assert isinstance(path, str)
    css = open(path, encoding="utf-8").read()  # noqa: PTH123, SIM115
    blocks = re.findall(r"@media print\s*\{(.*?\})\s*\}", css, re.S)
    assert blocks, "no print stylesheet"
    return "\n".join(blocks)


def test_the_qr_sheet_prints_without_the_site_around_it(
    chair_client: Client, plans: dict[str, SamplePlan]
) -> None:
    rules = _print_rules()
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none", rules)
    assert hidden is not None
    for selector in (".navbar", ".site-footer"):
        assert selector in hidden.group(1)
    plan = plans["T-XA-THANHSON"]
    sheet = chair_client.get(f"/khao-sat/{plan.period_id}/qr/{plan.pk}/").content.decode()
    assert "/static/css/parindex.css" in sheet
    assert 'class="navbar' in sheet and "site-footer" in sheet  # what the rules hide
