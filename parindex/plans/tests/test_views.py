"""The plan pages through HTTP: the unit's own plan, what the council and the appraiser
read, 404 for another unit or province, htmx fragments, the self-assessment panel with
"Dùng giá trị này", the appraiser's comparison, and the set's plan criterion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer
from parindex.assessments.services.self_assessment import answer_save
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Level
from parindex.organizations.services import unit_create
from parindex.periods.models import AppraiserAssignment, PeriodKind, PeriodStatus
from parindex.periods.services import period_set_status
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from tests.permissions.conftest import pdf_bytes
from tests.personas import client_for

from .conftest import YEAR, thirty_tasks

pytestmark = pytest.mark.django_db


def _page(response: Any) -> str:
    return str(response.content.decode())


def test_the_unit_records_its_plan_and_its_items(
    unit_staff_client: Client, assessed_unit: Any
) -> None:
    assert unit_staff_client.get(reverse("plans:index")).status_code == 200
    response = unit_staff_client.post(
        reverse("plans:create"),
        {
            "unit": assessed_unit.pk,
            "year": YEAR,
            "number": "12/KH-UBND",
            "issued_on": "15/01/2025",
            "title": "Kế hoạch CCHC năm 2025",
        },
    )
    plan = ReformPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ke-hoach-cchc/{plan.pk}/"
    add = reverse("plans:item_add", args=[plan.pk])
    unit_staff_client.post(add, {"kind": "objective", "code": "I", "title": "Thể chế"})
    objective = plan.items.get()
    response = unit_staff_client.post(
        add,
        {"kind": "task", "parent": objective.pk, "code": "1", "title": "Rà soát",
         "deadline": "2025-06-30", "lead": "Tư pháp"},
    )  # fmt: skip
    assert response.status_code == 302
    assert plan.items.get(kind=ItemKind.TASK).parent == objective
    bad = unit_staff_client.post(add, {"kind": "activity", "title": "Lạc"})
    assert bad.status_code == 400 and "Hoạt động phải thuộc một nhiệm vụ." in _page(bad)
    page = _page(unit_staff_client.get(reverse("plans:detail", args=[plan.pk])))
    assert "Rà soát" in page and "Tư pháp" in page and "0/1" in page


def test_htmx_loads_the_forms_in_place_and_done_keeps_the_file(
    unit_staff_client: Client, plan: ReformPlan
) -> None:
    task = PlanItem.objects.create(plan=plan, kind=ItemKind.TASK, code="1", title="Rà soát")
    done_url = reverse("plans:item_done", args=[task.pk])
    fragment = unit_staff_client.get(done_url, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in _page(fragment)
    assert "<html" in _page(unit_staff_client.get(done_url))
    missing = unit_staff_client.post(done_url, {"done_on": "2025-06-20"})
    assert missing.status_code == 400 and "cần có kiểm chứng" in _page(missing)
    upload = SimpleUploadedFile("bc.pdf", pdf_bytes(b"x"), content_type="application/pdf")
    response = unit_staff_client.post(done_url, {"done_on": "2025-06-20", "file": upload})
    assert response.status_code == 302
    download: Any = unit_staff_client.get(reverse("plans:evidence", args=[task.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    edit = unit_staff_client.post(
        reverse("plans:item_edit", args=[task.pk]), {"code": "1", "title": "Rà soát VB"}
    )
    assert edit.status_code == 302 and PlanItem.objects.get(pk=task.pk).title == "Rà soát VB"


def test_others_get_404_and_readers_403_on_writes(
    plan: ReformPlan,
    other_staff_client: Client,
    observer_client: Client,
    appraiser: User,
    appraiser_unassigned: User,
) -> None:
    task = PlanItem.objects.create(plan=plan, kind=ItemKind.TASK, title="Rà soát")
    detail = reverse("plans:detail", args=[plan.pk])
    assert other_staff_client.get(detail).status_code == 404
    assert other_staff_client.get(reverse("plans:evidence", args=[task.pk])).status_code == 404
    far_province = unit_create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE,
                               actor=None)  # fmt: skip
    far = User.objects.create_user(username="cb.ninhbinh", role=Role.CHAIR, unit=far_province)
    assert client_for(far).get(detail).status_code == 404
    assert observer_client.get(detail).status_code == 200
    add = reverse("plans:item_add", args=[plan.pk])
    assert observer_client.post(add, {"kind": "objective", "title": "X"}).status_code == 403
    assert client_for(appraiser_unassigned).get(detail).status_code == 404


def test_the_overseers_list_searches_without_diacritics(
    plan: ReformPlan, chair_client: Client
) -> None:
    thirty_tasks(plan, done_by_june=9)
    page = _page(chair_client.get(reverse("plans:index"), {"q": "liem tuyen"}))
    assert "UBND xã Liêm Tuyền" in page and "9/12" in page and "75%" in page
    assert "UBND xã Liêm Tuyền" not in _page(
        chair_client.get(reverse("plans:index"), {"q": "thanh son"})
    )


def test_import_page_shows_every_problem(unit_staff_client: Client, plan: ReformPlan) -> None:
    from .test_import import workbook

    upload = SimpleUploadedFile("kh.xlsx", workbook([["1", "", "Nhiệm vụ"]]))
    response = unit_staff_client.post(reverse("plans:import", args=[plan.pk]), {"file": upload})
    assert response.status_code == 400
    assert "Dòng 3, cột «Nội dung»: cần nhập nội dung." in _page(response)
    template = unit_staff_client.get(reverse("plans:template"))
    assert template.status_code == 200 and template.content.startswith(b"PK")


def test_the_screen_offers_the_plans_value_and_uses_it(
    plan_set: Callable[..., CriteriaSet],
    period_for: Callable[..., Any],
    plan: ReformPlan,
    unit_staff_client: Client,
) -> None:
    thirty_tasks(plan, done_by_june=9)
    assessment = period_for(plan_set("ratio", "truncate"), PeriodKind.INTERIM)
    screen = _page(
        unit_staff_client.get(
            reverse("assessments:detail", args=[assessment.pk]), {"linh-vuc": "1"}
        )
    )
    assert (
        "Theo kế hoạch CCHC năm 2025 (số 12/KH-UBND): 9/12 nhiệm vụ đến hạn 30/6 đã hoàn thành"
        " → 1,50 điểm" in screen
    )
    assert "Dùng giá trị này" in screen
    response = unit_staff_client.post(
        reverse("plans:use_value", args=[assessment.pk]), {"version": "0"}
    )
    node = assessment.period.groups.get().criteria_set.nodes.get(code="1.1.3")
    assert response["Location"].endswith(f"?linh-vuc=1#muc-{node.pk}")
    answer = Answer.objects.get(assessment=assessment, node=node)
    assert answer.self_value == {"numerator": "9", "denominator": "12"}
    screen = _page(unit_staff_client.get(response["Location"]))
    assert "Giá trị đang lưu trùng với kế hoạch." in screen


def test_the_appraiser_sees_both_values_and_reads_the_plan(
    plan_set: Callable[..., CriteriaSet],
    period_for: Callable[..., Any],
    plan: ReformPlan,
    unit_staff: User,
    appraiser: User,
    assessed_unit: Any,
) -> None:
    thirty_tasks(plan, done_by_june=9)
    assessment = period_for(plan_set("ratio", "truncate"), PeriodKind.INTERIM)
    node = assessment.period.groups.get().criteria_set.nodes.get(code="1.1.3")
    answer = answer_save(
        assessment=assessment, node=node, actor=unit_staff, version=0,
        value={"numerator": "12", "denominator": "12"},
    )  # fmt: skip
    period_set_status(period=assessment.period, status=PeriodStatus.APPRAISAL_1, actor=None)
    assignment = AppraiserAssignment.objects.create(period=assessment.period, appraiser=appraiser)
    assignment.units.add(assessed_unit)
    client = client_for(appraiser)
    page = _page(client.get(reverse("appraisal:item", args=[answer.pk])))
    assert "Đơn vị nhập 2,00 điểm; theo kế hoạch 1,50 điểm; chênh lệch 0,50." in page
    plan_page = client.get(reverse("plans:detail", args=[plan.pk]))
    assert plan_page.status_code == 200 and "Báo cáo số 1/BC-UBND" in _page(plan_page)


def test_the_set_names_its_plan_criterion(
    plan_set: Callable[..., CriteriaSet], manager_client: Client, unit_staff_client: Client
) -> None:
    criteria_set = plan_set("ratio", "truncate")
    url = reverse("plans:set_criterion", args=[criteria_set.pk])
    detail = _page(manager_client.get(reverse("criteria:detail", args=[criteria_set.pk])))
    assert "Tiêu chí mức độ thực hiện kế hoạch CCHC" in detail
    assert unit_staff_client.post(url, {"plan_criterion_code": ""}).status_code == 403
    response = manager_client.post(url, {"plan_criterion_code": "1.1"}, follow=True)
    assert "“1.1” có tiêu chí con" in _page(response)
    response = manager_client.post(url, {"plan_criterion_code": "1.1.1"}, follow=True)
    assert "chấm “đạt / không đạt”" in _page(response)
    assert CriteriaSet.objects.get(pk=criteria_set.pk).plan_criterion_code == "1.1.3"
    manager_client.post(url, {"plan_criterion_code": ""})
    assert CriteriaSet.objects.get(pk=criteria_set.pk).plan_criterion_code == ""
