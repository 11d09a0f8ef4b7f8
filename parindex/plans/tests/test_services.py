"""The plan's writes: who may, what is refused (in Vietnamese, nothing stored), the tree's
rules, closing a task with its evidence, and the audit trail."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from parindex.audit.models import AuditEvent
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from parindex.plans.services import (
    plan_create,
    plan_delete,
    plan_item_add,
    plan_item_delete,
    plan_item_mark_done,
    plan_item_mark_undone,
    plan_item_update,
    plan_update,
)
from tests.permissions.conftest import pdf_bytes

from .conftest import YEAR

pytestmark = pytest.mark.django_db
JUNE = datetime.date(YEAR, 6, 30)


def _messages(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def _add(plan: ReformPlan, kind: str, parent: PlanItem | None = None, **extra: Any) -> PlanItem:
    values: dict[str, Any] = {"code": "1", "title": "Rà soát văn bản", "actor": None}
    values.update(extra)
    return plan_item_add(plan=plan, kind=kind, parent=parent, **values)


def test_unit_staff_creates_their_plan_once(unit_staff: Any, assessed_unit: Any) -> None:
    plan = plan_create(
        unit=assessed_unit,
        year=YEAR,
        number="12/KH-UBND",
        issued_on=datetime.date(YEAR, 1, 10),
        title="Kế hoạch CCHC năm 2025",
        actor=unit_staff,
    )
    assert AuditEvent.objects.filter(action="plan.created", target_id=str(plan.pk)).exists()
    with pytest.raises(ValidationError) as exc:
        plan_create(
            unit=assessed_unit, year=YEAR, number="", issued_on=None, title="Lần 2", actor=None
        )
    assert "đã có kế hoạch CCHC năm 2025" in _messages(exc)["year"][0]


def test_plan_needs_a_title_and_a_sane_year(assessed_unit: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        plan_create(unit=assessed_unit, year=1800, number="", issued_on=None, title=" ", actor=None)
    assert set(_messages(exc)) == {"title", "year"}
    assert not ReformPlan.objects.exists()


def test_others_may_not_write_a_units_plan(
    other_staff: Any, observer: Any, appraiser: Any, assessed_unit: Any, plan: ReformPlan
) -> None:
    for actor in (other_staff, observer, appraiser):
        with pytest.raises(PermissionDenied):
            plan_create(
                unit=assessed_unit, year=YEAR + 1, number="", issued_on=None, title="X", actor=actor
            )
        with pytest.raises(PermissionDenied):
            _add(plan, ItemKind.OBJECTIVE, actor=actor)


def test_the_provinces_plan_is_its_chairs_and_managers(
    province: Any, chair: Any, manager: Any, unit_staff: Any
) -> None:
    plan = plan_create(unit=province, year=YEAR, number="", issued_on=None, title="KH", actor=chair)
    plan_update(plan=plan, number="5/KH-UBND", issued_on=None, title="KH tỉnh", actor=manager)
    with pytest.raises(PermissionDenied):
        plan_update(plan=plan, number="", issued_on=None, title="X", actor=unit_staff)
    assert ReformPlan.objects.get(pk=plan.pk).title == "KH tỉnh"


def test_the_tree_goes_objective_task_activity(plan: ReformPlan) -> None:
    objective = _add(plan, ItemKind.OBJECTIVE, code="I")
    task = _add(plan, ItemKind.TASK, objective, deadline=JUNE)
    loose_task = _add(plan, ItemKind.TASK, None, code="2")
    activity = _add(plan, ItemKind.ACTIVITY, task, code="a")
    assert [objective.position, task.position, loose_task.position, activity.position] == [
        1,
        2,
        3,
        4,
    ]
    for kind, parent, word in (
        (ItemKind.ACTIVITY, None, "Hoạt động phải thuộc một nhiệm vụ."),
        (ItemKind.ACTIVITY, objective, "Hoạt động phải thuộc một nhiệm vụ."),
        (ItemKind.TASK, task, "Nhiệm vụ chỉ thuộc một mục tiêu"),
        (ItemKind.OBJECTIVE, objective, "Mục tiêu không thuộc nội dung nào khác."),
    ):
        with pytest.raises(ValidationError) as exc:
            _add(plan, kind, parent)
        assert word in _messages(exc)["parent"][0]
    assert plan.items.count() == 4


def test_a_deadline_outside_the_plans_year_is_refused(plan: ReformPlan) -> None:
    with pytest.raises(ValidationError) as exc:
        _add(plan, ItemKind.TASK, deadline=datetime.date(YEAR + 1, 1, 15), title="")
    problems = _messages(exc)
    assert problems["deadline"] == [
        "Thời hạn 15/01/2026 không thuộc năm 2025 của kế hoạch: cần từ 01/01/2025 đến 31/12/2025."
    ]
    assert problems["title"] == ["Cần nhập nội dung."]
    task = _add(plan, ItemKind.TASK)
    with pytest.raises(ValidationError):
        plan_item_update(item=task, code="1", title="X", deadline=datetime.date(2024, 12, 31),
                         actor=None)  # fmt: skip
    updated = plan_item_update(item=task, code="1.", title="Rà soát", deadline=JUNE, actor=None)
    assert updated.deadline == JUNE and updated.search_text == "1. ra soat"


def test_a_task_is_done_with_a_citation_or_a_file(plan: ReformPlan, unit_staff: Any) -> None:
    task = _add(plan, ItemKind.TASK, deadline=JUNE)
    with pytest.raises(ValidationError) as exc:
        plan_item_mark_done(item=task, done_on=JUNE, result_document="", file=None, actor=None)
    assert "cần có kiểm chứng" in _messages(exc)["result_document"][0]
    upload = SimpleUploadedFile("bao-cao.pdf", pdf_bytes(b"bc"), content_type="application/pdf")
    done = plan_item_mark_done(
        item=task, done_on=JUNE, result_document="", file=upload, actor=unit_staff
    )
    assert done.is_done and done.done_by == unit_staff
    assert done.evidence_name == "bao-cao.pdf" and len(done.evidence_sha256) == 64
    assert done.evidence_file.read().startswith(b"%PDF-")
    undone = plan_item_mark_undone(item=done, actor=unit_staff)
    assert not undone.is_done and not undone.evidence_file and undone.evidence_name == ""
    actions = list(
        AuditEvent.objects.filter(target_type="plans.planitem", target_id=str(task.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["plan.item_added", "plan.item_done", "plan.item_undone"]


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("bao-cao.exe", b"MZ", "chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX, ODT, ODS"),
        ("bao-cao.pdf", b"khong phai pdf", "không phải tệp PDF thật"),
        ("bao-cao.docx", b"%PDF-1.4 gia", "không phải tệp DOCX thật"),
    ],
)
def test_bad_evidence_files_are_refused(
    plan: ReformPlan, name: str, data: bytes, problem: str
) -> None:
    task = _add(plan, ItemKind.TASK)
    with pytest.raises(ValidationError) as exc:
        plan_item_mark_done(
            item=task, done_on=JUNE, result_document="", file=SimpleUploadedFile(name, data),
            actor=None,
        )  # fmt: skip
    assert problem in _messages(exc)["file"][0]
    assert not PlanItem.objects.get(pk=task.pk).is_done


def test_done_dates_are_not_in_the_future(plan: ReformPlan) -> None:
    task = _add(plan, ItemKind.TASK)
    for day, words in (
        (None, "Cần nhập ngày hoàn thành."),
        (datetime.date(2999, 1, 1), "không được sau ngày hôm nay"),
        (datetime.date(YEAR - 1, 12, 31), "phải từ năm 2025"),
    ):
        with pytest.raises(ValidationError) as exc:
            plan_item_mark_done(item=task, done_on=day, result_document="BC 1", file=None,
                                actor=None)  # fmt: skip
        assert words in _messages(exc)["done_on"][0]


def test_deleting_an_objective_takes_its_tasks_and_activities(plan: ReformPlan) -> None:
    objective = _add(plan, ItemKind.OBJECTIVE)
    task = _add(plan, ItemKind.TASK, objective)
    _add(plan, ItemKind.ACTIVITY, task)
    keep = _add(plan, ItemKind.TASK)
    assert plan_item_delete(item=objective, actor=None) == 3
    assert list(plan.items.all()) == [keep]
    event = AuditEvent.objects.get(action="plan.item_deleted")
    assert event.before is not None and len(event.before) == 3
    assert "cùng 2 nội dung bên dưới" in event.summary


def test_a_plan_is_deleted_only_while_nothing_is_done(plan: ReformPlan, unit_staff: Any) -> None:
    task = _add(plan, ItemKind.TASK)
    PlanItem.objects.filter(pk=task.pk).update(done_on=JUNE)
    with pytest.raises(ValidationError) as exc:
        plan_delete(plan=plan, actor=unit_staff)
    assert "1 nội dung đã xác nhận hoàn thành" in exc.value.messages[0]
    PlanItem.objects.filter(pk=task.pk).update(done_on=None)
    plan_delete(plan=plan, actor=unit_staff)
    assert not ReformPlan.objects.exists() and not PlanItem.objects.exists()
    before = AuditEvent.objects.get(action="plan.deleted").before
    assert before is not None and before["items"] == 1
