"""Criteria pages and admin: who sees what, downloads, import and clone through the web."""

from __future__ import annotations

import io
import json
from urllib.parse import quote

import openpyxl
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import criteria_set_json, criteria_set_xlsx
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.criteria.tests.helpers import mutate
from parindex.criteria.xlsx.layout import XLSX_CONTENT_TYPE
from parindex.organizations.models import Unit

pytestmark = pytest.mark.django_db


def _upload(data: bytes, name: str = "bo-tieu-chi.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX_CONTENT_TYPE)


# --------------------------------------------------------------------------- reading


def test_anonymous_is_sent_to_login(client: Client, realistic_set: CriteriaSet) -> None:
    for url in (
        reverse("criteria:list"),
        reverse("criteria:detail", kwargs={"pk": realistic_set.pk}),
        reverse("criteria:export_xlsx", kwargs={"pk": realistic_set.pk}),
        reverse("criteria:template"),
        reverse("criteria:import"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"{resolve_url(settings.LOGIN_URL)}?next={quote(url)}"
    response = client.post(reverse("criteria:clone", kwargs={"pk": realistic_set.pk}))
    assert response.status_code == 302
    assert CriteriaSet.objects.count() == 1


def test_list_and_folded_search(
    unit_staff_client: Client, realistic_set: CriteriaSet, realistic_document: dict[str, object]
) -> None:
    realistic_document["criteria_set"]["name"] = "Bộ tiêu chí đánh giá sở, ngành"  # type: ignore[index]
    criteria_set_import_document(
        document=realistic_document, info=SetInfo(level="department", year=2024), actor=None
    )
    response = unit_staff_client.get(reverse("criteria:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bộ tiêu chí Chỉ số cải cách hành chính cấp xã năm 2025" in page
    assert "Bộ tiêu chí đánh giá sở, ngành" in page
    assert "Nhập bộ tiêu chí" not in page  # not a manager

    page = unit_staff_client.get(reverse("criteria:list"), {"q": "cai cach"}).content.decode()
    assert "Chỉ số cải cách hành chính cấp xã" in page
    assert "đánh giá sở, ngành" not in page
    page = unit_staff_client.get(reverse("criteria:list"), {"q": "danh gia so"}).content.decode()
    assert "đánh giá sở, ngành" in page and "cấp xã năm 2025" not in page
    page = unit_staff_client.get(reverse("criteria:list"), {"q": "không có"}).content.decode()
    assert "Không tìm thấy bộ tiêu chí nào khớp với «không có»" in page


def test_detail_shows_tree(unit_staff_client: Client, realistic_set: CriteriaSet) -> None:
    response = unit_staff_client.get(reverse("criteria:detail", kwargs={"pk": realistic_set.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mức độ hoàn thành kế hoạch CCHC" in page
    assert "Tỷ lệ × điểm tối đa; dưới 70% được 0 điểm" in page
    assert "<summary>Hướng dẫn chấm điểm</summary>" in page
    assert "Có thể không áp dụng" in page
    assert "Xuất sắc" in page and "Mỗi lĩnh vực từ 80%" in page and "Chỉ số trên 70%" in page
    assert "1234/QĐ-UBND" in page
    assert "style=" not in page.split('id="noi-dung"')[1]  # CSP: no inline styles
    assert "Sao chép sang năm sau" not in page  # not a manager


def test_unknown_set_is_404(unit_staff_client: Client, manager_client: Client) -> None:
    assert unit_staff_client.get(reverse("criteria:detail", kwargs={"pk": 999})).status_code == 404
    assert (
        unit_staff_client.get(reverse("criteria:export_json", kwargs={"pk": 999})).status_code
        == 404
    )
    assert manager_client.post(reverse("criteria:clone", kwargs={"pk": 999})).status_code == 404


def test_downloads(unit_staff_client: Client, realistic_set: CriteriaSet) -> None:
    response = unit_staff_client.get(
        reverse("criteria:export_xlsx", kwargs={"pk": realistic_set.pk})
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="bo-tieu-chi-chi-so-cai-cach-hanh-chinh-cap-xa-nam-2025-v1.xlsx"'
    )
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames[0] == "Tiêu chí"

    response = unit_staff_client.get(
        reverse("criteria:export_json", kwargs={"pk": realistic_set.pk})
    )
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].endswith('-v1.json"')
    assert json.loads(response.content)["format"] == "parindex-evaluation/1"


def test_blank_template_download_and_reupload(
    unit_staff_client: Client, manager_client: Client
) -> None:
    response = unit_staff_client.get(reverse("criteria:template"))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="mau-bo-tieu-chi.xlsx"'

    response = manager_client.post(
        reverse("criteria:import"), {"file": _upload(response.content, "mau.xlsx")}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Sheet «Tiêu chí»: không có tiêu chí nào (bộ tiêu chí trống)" in page
    assert "Chưa có gì được lưu" in page
    assert CriteriaSet.objects.count() == 0


# --------------------------------------------------------------------------- writing


def test_non_staff_cannot_import_or_clone(
    unit_staff_client: Client, realistic_set: CriteriaSet
) -> None:
    assert unit_staff_client.get(reverse("criteria:import")).status_code == 403
    response = unit_staff_client.post(
        reverse("criteria:import"), {"file": _upload(criteria_set_xlsx(realistic_set))}
    )
    assert response.status_code == 403
    response = unit_staff_client.post(reverse("criteria:clone", kwargs={"pk": realistic_set.pk}))
    assert response.status_code == 403
    assert CriteriaSet.objects.count() == 1


def test_import_xlsx_success(
    manager_client: Client, realistic_set: CriteriaSet, so_noi_vu: Unit
) -> None:
    assert manager_client.get(reverse("criteria:import")).status_code == 200
    response = manager_client.post(
        reverse("criteria:import"),
        {
            "file": _upload(criteria_set_xlsx(realistic_set)),
            "year": "2026",
            "level": "commune",
            "jurisdiction": str(so_noi_vu.pk),
        },
        follow=True,
    )
    assert response.status_code == 200
    imported = CriteriaSet.objects.get(year=2026)
    assert response.redirect_chain[-1][0] == reverse("criteria:detail", kwargs={"pk": imported.pk})
    assert imported.jurisdiction == so_noi_vu
    assert CriterionNode.objects.filter(criteria_set=imported).count() == 11
    assert "Đã nhập bộ tiêu chí" in response.content.decode()
    event = AuditEvent.objects.get(action="criteria_set.imported", target_id=str(imported.pk))
    assert event.actor_username == "can.bo.sonoivu"


def test_import_xlsx_failure_shows_rows_and_stores_nothing(
    manager_client: Client, realistic_set: CriteriaSet
) -> None:
    def break_it(workbook: object) -> None:
        workbook["Tiêu chí"]["D6"] = "abc"  # type: ignore[index]
        workbook["Tiêu chí"]["A5"] = "1.1.1"  # type: ignore[index]

    data = mutate(criteria_set_xlsx(realistic_set), break_it)
    response = manager_client.post(reverse("criteria:import"), {"file": _upload(data)})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="alert alert-danger"' in page
    assert "Sheet «Tiêu chí», dòng 6, cột «Điểm tối đa»: «abc» không phải là số" in page
    assert "Sheet «Tiêu chí», dòng 5, cột «Mã (STT)»: mã «1.1.1» trùng với dòng 4" in page
    assert (CriteriaSet.objects.count(), CriterionNode.objects.count()) == (1, 11)


def test_import_rejects_other_files(manager_client: Client) -> None:
    response = manager_client.post(
        reverse("criteria:import"), {"file": SimpleUploadedFile("bang.csv", b"1;2")}
    )
    assert response.status_code == 400
    assert "Chỉ nhận tệp .xlsx hoặc .json." in response.content.decode()
    response = manager_client.post(
        reverse("criteria:import"), {"file": _upload(b"PK-not-really", "gia.xlsx")}
    )
    assert "không phải là bảng tính Excel (.xlsx)" in response.content.decode()
    assert CriteriaSet.objects.count() == 0


def test_import_json(manager_client: Client, realistic_set: CriteriaSet) -> None:
    document = json.loads(criteria_set_json(realistic_set))
    document["criteria_set"]["metadata"]["note"] = "Bản sửa đổi"
    response = manager_client.post(
        reverse("criteria:import"),
        {"file": SimpleUploadedFile("bo.json", json.dumps(document).encode())},
    )
    assert response.status_code == 302
    assert CriteriaSet.objects.filter(version=2).count() == 1

    response = manager_client.post(
        reverse("criteria:import"), {"file": SimpleUploadedFile("bo.json", b"{")}
    )
    assert response.status_code == 400
    assert "JSON không hợp lệ" in response.content.decode()
    assert CriteriaSet.objects.count() == 2


def test_import_json_with_a_5000_digit_integer_is_a_located_refusal(
    manager_client: Client,
) -> None:
    data = b'{"format": "parindex-evaluation/1", "criteria_set": {"nodes": [{"max": ' + (
        b"1" * 5000 + b"}]}}"
    )
    response = manager_client.post(
        reverse("criteria:import"), {"file": SimpleUploadedFile("bo.json", data)}
    )
    assert response.status_code == 400
    assert "(dòng 1, cột 72): số nguyên dài 5.000 chữ số" in response.content.decode()
    assert CriteriaSet.objects.count() == 0


def test_clone_button(manager_client: Client, realistic_set: CriteriaSet) -> None:
    page = manager_client.get(reverse("criteria:detail", kwargs={"pk": realistic_set.pk}))
    assert "Sao chép sang năm sau (2026)" in page.content.decode()
    response = manager_client.post(
        reverse("criteria:clone", kwargs={"pk": realistic_set.pk}), {"year": "2026"}
    )
    clone = CriteriaSet.objects.get(year=2026)
    assert response.status_code == 302
    assert response["Location"] == reverse("criteria:detail", kwargs={"pk": clone.pk})
    confirm = manager_client.get(reverse("criteria:clone", kwargs={"pk": clone.pk}))
    assert confirm.status_code == 200  # the confirmation page; nothing made
    assert CriteriaSet.objects.count() == 2


# --------------------------------------------------------------------------- admin


def test_admin_lists_searches_and_links(
    superuser_client: Client, realistic_set: CriteriaSet
) -> None:
    url = reverse("admin:criteria_criteriaset_changelist")
    page = superuser_client.get(url, {"q": "cai cach cap xa"}).content.decode()
    assert "Bộ tiêu chí Chỉ số cải cách hành chính cấp xã năm 2025" in page
    assert reverse("criteria:import") in page
    assert reverse("criteria:export_xlsx", kwargs={"pk": realistic_set.pk}) in page
    page = superuser_client.get(url, {"q": "khong co gi"}).content.decode()
    assert "cấp xã năm 2025" not in page

    nodes = reverse("admin:criteria_criterionnode_changelist")
    page = superuser_client.get(nodes, {"q": "thu tuc hanh chinh"}).content.decode()
    assert "Cải cách thủ tục hành chính" in page
    assert "Công tác chỉ đạo" not in page
    page = superuser_client.get(nodes, {"q": "1.1.2"}).content.decode()
    assert "Mức độ hoàn thành kế hoạch CCHC" in page


def test_admin_edits_only_descriptive_fields(
    superuser_client: Client, realistic_set: CriteriaSet
) -> None:
    url = reverse("admin:criteria_criteriaset_change", args=[realistic_set.pk])
    assert superuser_client.get(url).status_code == 200
    response = superuser_client.post(
        url,
        {
            "name": "Bộ tiêu chí cấp xã 2025 (đã sửa)",
            "period_label": "2021–2030",
            "decision": "1234/QĐ-UBND",
            "decision_date": "2025-03-15",
            "note": "",
            "survey_max": "99",  # read-only: ignored
            "bands-TOTAL_FORMS": "4",
            "bands-INITIAL_FORMS": "4",
            "bands-MIN_NUM_FORMS": "0",
            "bands-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    realistic_set.refresh_from_db()
    assert realistic_set.name == "Bộ tiêu chí cấp xã 2025 (đã sửa)"
    assert realistic_set.survey_max == 10
    assert AuditEvent.objects.filter(action="criteria_set.updated").count() == 1
    node = CriterionNode.objects.get(criteria_set=realistic_set, code="1")
    node_url = reverse("admin:criteria_criterionnode_change", args=[node.pk])
    assert superuser_client.get(node_url).status_code == 200  # view only
    superuser_client.post(node_url, {"max_points": "1"})
    node.refresh_from_db()
    assert node.max_points == 10
    assert superuser_client.get(reverse("admin:criteria_criteriaset_add")).status_code == 403


def test_admin_clone_action(superuser_client: Client, realistic_set: CriteriaSet) -> None:
    response = superuser_client.post(
        reverse("admin:criteria_criteriaset_changelist"),
        {"action": "clone_to_next_year", "_selected_action": [str(realistic_set.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert CriteriaSet.objects.filter(year=2026).count() == 1
    assert "Đã sao chép" in response.content.decode()
