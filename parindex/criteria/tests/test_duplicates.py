"""Re-importing and copying a set (issue 11, point 9): the issuing unit survives the XLSX
round trip, an identical set is not imported twice, a copy asks first and is made once."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.criteria.models import CriteriaSet
from parindex.criteria.selectors import criteria_set_json, criteria_set_xlsx
from parindex.criteria.services import (
    DuplicateCriteriaSet,
    criteria_set_clone,
    criteria_set_import_xlsx,
)
from parindex.criteria.xlsx.layout import XLSX_CONTENT_TYPE
from parindex.engine import InputError
from parindex.organizations.models import Unit

pytestmark = pytest.mark.django_db


def _info(data: bytes) -> dict[str, object]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return {row[0].value: row[1].value for row in workbook["Thông tin"].iter_rows(min_row=2)}


def _edited(data: bytes, label: str, value: object) -> bytes:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    for row in workbook["Thông tin"].iter_rows(min_row=2):
        if row[0].value == label:
            row[1].value = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --------------------------------------------------------------------------- issuing unit


def test_export_names_the_issuing_unit(realistic_set: CriteriaSet) -> None:
    assert _info(criteria_set_xlsx(realistic_set))["Đơn vị ban hành"] == "Tỉnh Hà Nam (T-HNA)"


def test_issuing_unit_survives_the_round_trip(
    realistic_set: CriteriaSet, province: Unit, superuser: User
) -> None:
    data = _edited(criteria_set_xlsx(realistic_set), "Tên bộ tiêu chí", "Bộ tiêu chí nhập lại")
    again = criteria_set_import_xlsx(file=data, actor=superuser)  # no unit chosen on the form
    assert again.jurisdiction == province
    by_name = _edited(data, "Đơn vị ban hành", "tỉnh hà nam")
    by_name = _edited(by_name, "Tên bộ tiêu chí", "Bộ tiêu chí nhập lại lần hai")
    assert criteria_set_import_xlsx(file=by_name, actor=superuser).jurisdiction == province


def test_unknown_issuing_unit_is_a_located_problem(
    realistic_set: CriteriaSet, superuser: User
) -> None:
    data = _edited(criteria_set_xlsx(realistic_set), "Đơn vị ban hành", "UBND tỉnh Không Có")
    with pytest.raises(InputError) as caught:
        criteria_set_import_xlsx(file=data, actor=superuser)
    assert any(
        "Sheet «Thông tin»" in p and "«Đơn vị ban hành»" in p and "UBND tỉnh Không Có" in p
        for p in caught.value.problems
    ), caught.value.problems


# --------------------------------------------------------------------------- duplicates


def test_identical_reimport_is_refused_naming_the_existing_set(
    realistic_set: CriteriaSet, province: Unit, manager: User
) -> None:
    with pytest.raises(DuplicateCriteriaSet) as caught:
        criteria_set_import_xlsx(
            file=criteria_set_xlsx(realistic_set), actor=manager, jurisdiction=province
        )
    assert caught.value.existing == realistic_set
    assert "đã có bộ tiêu chí giống hệt" in caught.value.problems[0]
    assert CriteriaSet.objects.count() == 1


def test_reimport_with_a_change_is_a_new_version(
    realistic_set: CriteriaSet, province: Unit, manager: User
) -> None:
    data = _edited(criteria_set_xlsx(realistic_set), "Ghi chú", "Sửa đổi theo QĐ mới")
    again = criteria_set_import_xlsx(file=data, actor=manager, jurisdiction=province)
    assert again.version == 2


def test_import_page_refuses_a_duplicate_with_a_link(
    manager_client: Client, realistic_set: CriteriaSet
) -> None:
    upload = SimpleUploadedFile(
        "bo.xlsx", criteria_set_xlsx(realistic_set), content_type=XLSX_CONTENT_TYPE
    )
    response = manager_client.post(reverse("criteria:import"), {"file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "đã có bộ tiêu chí giống hệt" in page
    assert reverse("criteria:detail", kwargs={"pk": realistic_set.pk}) in page
    json_upload = SimpleUploadedFile("bo.json", criteria_set_json(realistic_set))
    response = manager_client.post(reverse("criteria:import"), {"file": json_upload})
    assert response.status_code == 400
    assert CriteriaSet.objects.count() == 1


# --------------------------------------------------------------------------- copying


def test_clone_asks_for_confirmation_first(
    manager_client: Client, realistic_set: CriteriaSet
) -> None:
    url = reverse("criteria:clone", kwargs={"pk": realistic_set.pk})
    detail = manager_client.get(reverse("criteria:detail", kwargs={"pk": realistic_set.pk}))
    assert f'href="{url}?year=2026"' in detail.content.decode()
    page = manager_client.get(url, {"year": "2026"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Xác nhận sao chép" in text and "năm 2026" in text
    assert CriteriaSet.objects.count() == 1


def test_a_second_copy_into_the_same_year_is_refused(
    realistic_set: CriteriaSet, manager: User
) -> None:
    first = criteria_set_clone(source=realistic_set, year=2026, actor=manager)
    with pytest.raises(InputError) as caught:
        criteria_set_clone(source=realistic_set, year=2026, actor=manager)
    assert "đã được sao chép sang năm 2026" in caught.value.problems[0]
    assert CriteriaSet.objects.filter(year=2026).get() == first


def test_double_submitted_copy_makes_one_set(
    manager_client: Client, realistic_set: CriteriaSet
) -> None:
    url = reverse("criteria:clone", kwargs={"pk": realistic_set.pk})
    first = manager_client.post(url, {"year": "2026"})
    second = manager_client.post(url, {"year": "2026"}, follow=True)
    clone = CriteriaSet.objects.get(year=2026)
    assert first["Location"] == reverse("criteria:detail", kwargs={"pk": clone.pk})
    assert second.redirect_chain[-1][0] == reverse("criteria:detail", kwargs={"pk": clone.pk})
    assert "đã được sao chép sang năm 2026" in second.content.decode()
