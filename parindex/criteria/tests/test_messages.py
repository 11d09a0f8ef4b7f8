"""Import problems in words for people, not the engine's notation (issue 11, point 9)."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.criteria.models import CriteriaSet
from parindex.criteria.selectors import criteria_set_json, criteria_set_xlsx
from parindex.criteria.services import criteria_set_import_xlsx
from parindex.criteria.xlsx.places import plain_words
from parindex.engine import InputError

pytestmark = pytest.mark.django_db


def test_plain_words() -> None:
    assert plain_words("cần một tỷ lệ trong khoảng 0..1, không phải 2") == (
        "cần một tỷ lệ từ 0 đến 1, không phải 2"
    )
    assert plain_words("cần phần trăm 0..100") == "cần phần trăm từ 0 đến 100"
    assert plain_words("phải là một số >= 0") == "phải là một số không âm"
    assert plain_words("mục 1.2.3 và 1.10") == "mục 1.2.3 và 1.10"  # codes untouched


def test_workbook_problems_have_no_programmer_notation(
    realistic_set: CriteriaSet, manager: User
) -> None:
    workbook = openpyxl.load_workbook(io.BytesIO(criteria_set_xlsx(realistic_set)))
    for row in workbook["Thông tin"].iter_rows(min_row=2):
        if row[0].value == "Số chữ số thập phân của chỉ số":
            row[1].value = 11
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=out.getvalue(), actor=manager)
    text = "\n".join(caught.value.problems)
    assert "từ 0 đến 10" in text
    assert ".." not in text


def test_json_import_page_shows_plain_words(
    manager_client: Client, realistic_set: CriteriaSet
) -> None:
    document = json.loads(criteria_set_json(realistic_set))
    leaf = next(
        n for n in document["criteria_set"]["nodes"] if n.get("rule", {}).get("type") == "percent"
    )
    leaf["rule"]["floor"] = "2"
    response = manager_client.post(
        reverse("criteria:import"),
        {"file": SimpleUploadedFile("bo.json", json.dumps(document).encode())},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "từ 0 đến 1" in page
    assert "0..1" not in page
