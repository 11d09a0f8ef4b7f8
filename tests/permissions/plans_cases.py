"""The matrix cases of the CCHC plans (``plans``, in ``test_pages_season.CASES``).

Read the outcomes off :mod:`parindex.plans.permissions`: unit A's plan of 2025 is read by
A's people, the council of Hà Nam (chair, observer) and the appraiser assigned to A in 2025
(``reads_a``), and written by A's people and the superuser (``writes_a_plan``): a reader's
write is a 403, anyone else a 404. The province's own plan is written by its chair and its
manager (``sets_up_hn``). "Dùng giá trị này" is a self-assessment write (A's people only);
the set's plan criterion is its managers' (as sharing the set).
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import openpyxl
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.assessments.models import Answer
from parindex.criteria.models import CriteriaSet
from parindex.organizations.models import Unit
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from parindex.plans.xlsx import COLUMNS

from .conftest import Case, World, expect, pdf_bytes

YEAR = 2025
TITLE = "Kế hoạch CCHC năm 2025 của UBND xã Liêm Tuyền"


def _plan(w: World) -> ReformPlan:
    return ReformPlan.objects.get(unit_id=w.unit_a, year=YEAR)


def _task(w: World) -> PlanItem:
    return PlanItem.objects.get(plan__unit_id=w.unit_a, code="1")


def a_plan(w: World) -> None:
    """A's 2025 plan (số 12/KH-UBND) with one objective and one task due by 30/6."""
    plan = ReformPlan.objects.create(
        unit_id=w.unit_a,
        year=YEAR,
        number="12/KH-UBND",
        issued_on=datetime.date(YEAR, 1, 15),
        title=TITLE,
    )
    objective = PlanItem.objects.create(plan=plan, kind=ItemKind.OBJECTIVE, code="I", title="TC")
    PlanItem.objects.create(
        plan=plan,
        parent=objective,
        kind=ItemKind.TASK,
        code="1",
        title="Rà soát văn bản",
        deadline=datetime.date(YEAR, 6, 30),
        position=1,
    )


def a_plan_done(w: World) -> None:
    """A's plan with its task done, a file as evidence."""
    a_plan(w)
    task = _task(w)
    task.done_on = datetime.date(YEAR, 6, 20)
    task.evidence_name = "bao-cao.pdf"
    task.evidence_file.save("bao-cao.pdf", ContentFile(pdf_bytes(b"plan")), save=False)
    task.save()


def a_plan_criterion(w: World) -> None:
    """A's plan done, and the set's plan criterion 1.2 (percent): the plan offers 100%."""
    a_plan_done(w)
    CriteriaSet.objects.filter(pk=w.criteria_set).update(plan_criterion_code="1.2")


def _workbook() -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    book.active.append([c.label for c in COLUMNS])
    book.active.append(["2", "Kiểm tra CCHC", "Nhiệm vụ", "", "Quý III", "", ""])
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("ke-hoach.xlsx", out.getvalue())


def _on_plan(name: str) -> Any:
    return lambda w: reverse(name, args=[_plan(w).pk])


def _on_task(name: str) -> Any:
    return lambda w: reverse(name, args=[_task(w).pk])


READERS_WRITE = {"oversees_a": "403"}
"""A's plan's readers who do not write it (the superuser is then a writer)."""

PLANS = [
    Case("plans:index", "GET", lambda w: reverse("plans:index"), expect("200"), setup=a_plan),
    Case("plans:template", "GET", lambda w: reverse("plans:template"), expect("200")),
    Case(
        "plans:create",
        "GET",
        lambda w: reverse("plans:create"),
        expect("200", appraiser="404", appraiser_unassigned="404", observer="404"),
    ),
    Case(
        "plans:create",
        "POST",
        lambda w: reverse("plans:create"),
        expect(
            "400", appraiser="404", appraiser_unassigned="404", observer="404", sets_up_hn="302"
        ),
        label="province",
        data=lambda w: {
            "unit": Unit.objects.get(code="T-HNA").pk,
            "year": YEAR,
            "title": "Kế hoạch CCHC năm 2025 của UBND tỉnh",
        },
        effect=lambda w: ReformPlan.objects.filter(unit__code="T-HNA", year=YEAR).exists(),
        effect_for="sets_up_hn",
    ),
    Case(
        "plans:detail",
        "GET",
        _on_plan("plans:detail"),
        expect(reads_a="200"),
        setup=a_plan,
        owner="A",
    ),
    Case(
        "plans:edit",
        "GET",
        _on_plan("plans:edit"),
        expect(**READERS_WRITE, writes_a_plan="200"),
        setup=a_plan,
        owner="A",
    ),
    Case(
        "plans:edit",
        "POST",
        _on_plan("plans:edit"),
        expect(**READERS_WRITE, writes_a_plan="302"),
        setup=a_plan,
        owner="A",
        data=lambda w: {"number": "12/KH-UBND", "issued_on": "", "title": "Kế hoạch mới"},
        effect=lambda w: _plan(w).title == "Kế hoạch mới",
        effect_for="writes_a_plan",
    ),
    Case(
        "plans:item_add",
        "POST",
        _on_plan("plans:item_add"),
        expect(**READERS_WRITE, writes_a_plan="302"),
        setup=a_plan,
        owner="A",
        data=lambda w: {"kind": "objective", "code": "II", "title": "Cải cách TTHC"},
        effect=lambda w: _plan(w).items.filter(code="II").exists(),
        effect_for="writes_a_plan",
    ),
    Case(
        "plans:import",
        "GET",
        _on_plan("plans:import"),
        expect(**READERS_WRITE, writes_a_plan="200"),
        setup=a_plan,
        owner="A",
    ),
    Case(
        "plans:import",
        "POST",
        _on_plan("plans:import"),
        expect(**READERS_WRITE, writes_a_plan="302"),
        setup=a_plan,
        owner="A",
        data=lambda w: {"file": _workbook()},
        effect=lambda w: _plan(w).items.filter(code="2").exists(),
        effect_for="writes_a_plan",
    ),
    Case(
        "plans:item_edit",
        "GET",
        _on_task("plans:item_edit"),
        expect(**READERS_WRITE, writes_a_plan="200"),
        setup=a_plan,
        owner="A",
    ),
    Case(
        "plans:item_edit",
        "POST",
        _on_task("plans:item_edit"),
        expect(**READERS_WRITE, writes_a_plan="302"),
        setup=a_plan,
        owner="A",
        data=lambda w: {"code": "1", "title": "Rà soát, hệ thống hoá văn bản"},
        effect=lambda w: _task(w).title == "Rà soát, hệ thống hoá văn bản",
        effect_for="writes_a_plan",
    ),
    Case(
        "plans:item_done",
        "GET",
        _on_task("plans:item_done"),
        expect(**READERS_WRITE, writes_a_plan="200"),
        setup=a_plan,
        owner="A",
    ),
    Case(
        "plans:item_done",
        "POST",
        _on_task("plans:item_done"),
        expect(**READERS_WRITE, writes_a_plan="302"),
        setup=a_plan,
        owner="A",
        data=lambda w: {"done_on": "2025-06-20", "result_document": "Báo cáo số 45/BC-UBND"},
        effect=lambda w: _task(w).is_done,
        effect_for="writes_a_plan",
    ),
    Case(
        "plans:item_undone",
        "POST",
        _on_task("plans:item_undone"),
        expect(**READERS_WRITE, writes_a_plan="302"),
        setup=a_plan_done,
        owner="A",
        data=lambda w: {},
        effect=lambda w: not _task(w).is_done,
        effect_for="writes_a_plan",
    ),
    Case(
        "plans:item_delete",
        "POST",
        _on_task("plans:item_delete"),
        expect(**READERS_WRITE, writes_a_plan="302"),
        setup=a_plan,
        owner="A",
        data=lambda w: {},
        effect=lambda w: not PlanItem.objects.filter(plan__unit_id=w.unit_a, code="1").exists(),
        effect_for="writes_a_plan",
    ),
    Case(
        "plans:evidence",
        "GET",
        _on_task("plans:evidence"),
        expect(reads_a="200"),
        setup=a_plan_done,
        owner="A",
    ),
    Case(
        "plans:use_value",
        "POST",
        lambda w: reverse("plans:use_value", args=[w.a]),
        expect(oversees_a="403", unit_a="302"),
        setup=a_plan_criterion,
        owner="A",
        data=lambda w: {"version": "0"},
        effect=lambda w: Answer.objects.filter(
            assessment_id=w.a, node__code="1.2", self_value="100"
        ).exists(),
        effect_for="unit_a",
    ),
    Case(
        "plans:set_criterion",
        "POST",
        lambda w: reverse("plans:set_criterion", args=[w.criteria_set]),
        expect("403", staff="302", province_nb="404"),
        data=lambda w: {"plan_criterion_code": "1.2"},
        effect=lambda w: CriteriaSet.objects.get(pk=w.criteria_set).plan_criterion_code == "1.2",
        effect_for="staff",
    ),
]
