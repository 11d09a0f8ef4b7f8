"""Writes of CCHC plans (kế hoạch CCHC) and their items. Views, the import, the demo and
the tests all call these; each checks its actor (:func:`require_plan_writer`), validates
with Vietnamese messages keyed by form field, and writes its audit event (``plan.*``) in
the same transaction."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.formatting import fmt_date
from parindex.evidence.files import UploadedFileLike
from parindex.organizations.models import Unit
from parindex.plans.models import ItemKind, PlanItem, ReformPlan
from parindex.plans.permissions import require_plan_writer
from parindex.plans.services.files import delete_on_commit, read_plan_evidence

PLAN_LIMITS = {"number": 100, "title": 500}
ITEM_LIMITS = {"code": 30, "title": 2000, "product": 500, "lead": 300, "support": 300}
"""An item's content (nội dung) may be a paragraph; the others as the model's columns."""
ITEM_TEXTS = tuple(ITEM_LIMITS)
RESULT_MAX = 300

KIND_LABEL = {k.value: k.label.lower() for k in ItemKind}


def _errors(problems: dict[str, str]) -> None:
    if problems:
        raise ValidationError({key: [message] for key, message in problems.items()})


def _text(value: str | None) -> str:
    return (value or "").replace("\x00", "").strip()


def _check_texts(
    texts: dict[str, str], labels: dict[str, str], limits: dict[str, int]
) -> dict[str, str]:
    problems: dict[str, str] = {}
    for key, text in texts.items():
        limit = limits[key]
        if len(text) > limit:
            problems[key] = f"{labels[key]} tối đa {limit} ký tự (đang có {len(text)})."
    return problems


# --------------------------------------------------------------------------- plans

PLAN_LABELS = {"number": "Số, ký hiệu", "title": "Trích yếu"}


def _plan_problems(year: int, number: str, issued_on: datetime.date | None, title: str) -> None:
    problems = _check_texts({"number": number, "title": title}, PLAN_LABELS, PLAN_LIMITS)
    if not title:
        problems["title"] = "Cần nhập trích yếu (tên) của kế hoạch."
    if not 2000 <= year <= 2100:
        problems["year"] = f"Năm {year} không hợp lệ (cần từ 2000 đến 2100)."
    if issued_on is not None and issued_on > timezone.localdate():
        problems["issued_on"] = "Ngày ban hành không được sau ngày hôm nay."
    _errors(problems)


def _plan_state(plan: ReformPlan) -> dict[str, Any]:
    return {
        "unit": plan.unit.code,
        "year": plan.year,
        "number": plan.number,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "title": plan.title,
    }


def plan_create(
    *,
    unit: Unit,
    year: int,
    number: str,
    issued_on: datetime.date | None,
    title: str,
    actor: User | None,
) -> ReformPlan:
    """Record ``unit``'s CCHC plan of ``year`` (one a year). Raises PermissionDenied unless
    ``actor`` writes the unit's plans, ValidationError for bad input or a second plan."""
    require_plan_writer(actor, unit)
    number, title = _text(number), _text(title)
    _plan_problems(year, number, issued_on, title)
    duplicate = ValidationError(
        {"year": [f"{unit.name} đã có kế hoạch CCHC năm {year}: hãy cập nhật kế hoạch đó."]}
    )
    if ReformPlan.objects.filter(unit=unit, year=year).exists():
        raise duplicate
    plan = ReformPlan(
        unit=unit, year=year, number=number, issued_on=issued_on, title=title, created_by=actor
    )
    try:
        with transaction.atomic():
            plan.save()
            record(
                actor=actor,
                action="plan.created",
                target=plan,
                summary=f"Lập kế hoạch CCHC năm {year} của {unit.name}"
                + (f" (số {number})" if number else ""),
                after=_plan_state(plan),
            )
    except IntegrityError as exc:  # the same plan recorded at the same moment by a colleague
        raise duplicate from exc
    return plan


@transaction.atomic
def plan_update(
    *,
    plan: ReformPlan,
    number: str,
    issued_on: datetime.date | None,
    title: str,
    actor: User | None,
) -> ReformPlan:
    """Change the plan's number, date and title (its unit and year never change)."""
    require_plan_writer(actor, plan.unit)
    number, title = _text(number), _text(title)
    _plan_problems(plan.year, number, issued_on, title)
    locked = ReformPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    before = _plan_state(locked)
    locked.number, locked.issued_on, locked.title = number, issued_on, title
    after = _plan_state(locked)
    if before != after:
        locked.save(update_fields=["number", "issued_on", "title", "updated_at"])
        record(
            actor=actor,
            action="plan.changed",
            target=locked,
            summary=f"Sửa thông tin kế hoạch CCHC năm {locked.year} của {locked.unit.name}",
            before=before,
            after=after,
        )
    return locked


@transaction.atomic
def plan_delete(*, plan: ReformPlan, actor: User | None) -> None:
    """Delete a plan recorded by mistake, with its items; refused once an item is marked
    done (its evidence would be lost: take the "done" back first)."""
    require_plan_writer(actor, plan.unit)
    locked = ReformPlan.objects.select_for_update().select_related("unit").get(pk=plan.pk)
    done = locked.items.filter(done_on__isnull=False).count()
    if done:
        raise ValidationError(
            f"Kế hoạch có {done} nội dung đã xác nhận hoàn thành: không xoá được (sẽ mất "
            "kiểm chứng). Hãy bỏ xác nhận hoàn thành trước."
        )
    record(
        actor=actor,
        action="plan.deleted",
        target=locked,
        summary=f"Xoá kế hoạch CCHC năm {locked.year} của {locked.unit.name}",
        before=_plan_state(locked) | {"items": locked.items.count()},
    )
    locked.delete()


# --------------------------------------------------------------------------- items

ITEM_LABELS = {
    "code": "Số thứ tự",
    "title": "Nội dung",
    "product": "Sản phẩm",
    "lead": "Chủ trì",
    "support": "Phối hợp",
}


def item_state(item: PlanItem) -> dict[str, Any]:
    """What the audit trail records of an item."""
    return {
        "kind": item.kind,
        "parent": item.parent_id,
        "code": item.code,
        "title": item.title,
        "product": item.product,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "lead": item.lead,
        "support": item.support,
        "done_on": item.done_on.isoformat() if item.done_on else None,
        "result_document": item.result_document,
        "evidence_name": item.evidence_name,
        "evidence_sha256": item.evidence_sha256,
    }


def parent_problem(kind: str, parent_kind: str | None) -> str | None:
    """Why an item of ``kind`` cannot sit under a parent of ``parent_kind`` (None: no
    parent), or None when it can: objective → task → activity."""
    if kind == ItemKind.OBJECTIVE and parent_kind is not None:
        return "Mục tiêu không thuộc nội dung nào khác."
    if kind == ItemKind.TASK and parent_kind not in (None, ItemKind.OBJECTIVE):
        return "Nhiệm vụ chỉ thuộc một mục tiêu (hoặc trực tiếp kế hoạch)."
    if kind == ItemKind.ACTIVITY and parent_kind != ItemKind.TASK:
        return "Hoạt động phải thuộc một nhiệm vụ."
    return None


def deadline_problem(deadline: datetime.date | None, year: int) -> str | None:
    if deadline is not None and deadline.year != year:
        return (
            f"Thời hạn {fmt_date(deadline)} không thuộc năm {year} của kế hoạch: cần từ "
            f"01/01/{year} đến 31/12/{year}."
        )
    return None


def _item_problems(
    plan: ReformPlan, texts: dict[str, str], deadline: datetime.date | None
) -> dict[str, str]:
    problems = _check_texts(texts, ITEM_LABELS, ITEM_LIMITS)
    if not texts["title"]:
        problems["title"] = "Cần nhập nội dung."
    if (problem := deadline_problem(deadline, plan.year)) is not None:
        problems["deadline"] = problem
    return problems


def _texts(**values: str | None) -> dict[str, str]:
    return {key: _text(value) for key, value in values.items()}


@transaction.atomic
def plan_item_add(
    *,
    plan: ReformPlan,
    kind: str,
    parent: PlanItem | None,
    code: str,
    title: str,
    product: str = "",
    deadline: datetime.date | None = None,
    lead: str = "",
    support: str = "",
    actor: User | None,
) -> PlanItem:
    """Add an objective, task or activity at the end of ``plan`` (an activity under a task,
    a task under an objective or none, an objective under nothing)."""
    require_plan_writer(actor, plan.unit)
    texts = _texts(code=code, title=title, product=product, lead=lead, support=support)
    problems = _item_problems(plan, texts, deadline)
    if kind not in ItemKind.values:
        problems["kind"] = "Loại nội dung cần là mục tiêu, nhiệm vụ hoặc hoạt động."
    elif parent is not None and parent.plan_id != plan.pk:
        problems["parent"] = "Nội dung cấp trên không thuộc kế hoạch này."
    elif (problem := parent_problem(kind, parent.kind if parent else None)) is not None:
        problems["parent"] = problem
    _errors(problems)
    ReformPlan.objects.select_for_update().filter(pk=plan.pk).first()  # positions in turn
    last = plan.items.aggregate(last=Max("position"))["last"]
    item = PlanItem.objects.create(
        plan=plan,
        kind=kind,
        parent=parent,
        deadline=deadline,
        position=(last or 0) + 1,
        **texts,
    )
    record(
        actor=actor,
        action="plan.item_added",
        target=item,
        summary=f"Thêm {KIND_LABEL[kind]} {item} vào kế hoạch CCHC năm {plan.year} "
        f"của {plan.unit.name}",
        after=item_state(item),
    )
    return item


def _locked(item: PlanItem) -> PlanItem:
    return PlanItem.objects.select_for_update().select_related("plan__unit").get(pk=item.pk)


@transaction.atomic
def plan_item_update(
    *,
    item: PlanItem,
    code: str,
    title: str,
    product: str = "",
    deadline: datetime.date | None = None,
    lead: str = "",
    support: str = "",
    actor: User | None,
) -> PlanItem:
    """Change an item's texts and deadline (its kind and place in the tree stay)."""
    locked = _locked(item)
    plan = locked.plan
    require_plan_writer(actor, plan.unit)
    texts = _texts(code=code, title=title, product=product, lead=lead, support=support)
    _errors(_item_problems(plan, texts, deadline))
    before = item_state(locked)
    for key, value in texts.items():
        setattr(locked, key, value)
    locked.deadline = deadline
    if item_state(locked) != before:
        locked.save(update_fields=[*ITEM_TEXTS, "deadline", "search_text"])
        record(
            actor=actor,
            action="plan.item_changed",
            target=locked,
            summary=f"Sửa {KIND_LABEL[locked.kind]} {locked} của kế hoạch CCHC năm {plan.year}",
            before=before,
            after=item_state(locked),
        )
    return locked


def _subtree(item: PlanItem) -> list[PlanItem]:
    """``item`` and everything below it (three levels at most)."""
    found = [item]
    frontier = [item.pk]
    while frontier:
        children = list(PlanItem.objects.filter(parent_id__in=frontier))
        found += children
        frontier = [c.pk for c in children]
    return found


@transaction.atomic
def plan_item_delete(*, item: PlanItem, actor: User | None) -> int:
    """Delete an item with everything under it (and their evidence files, once committed);
    returns how many items were deleted."""
    locked = _locked(item)
    plan = locked.plan
    require_plan_writer(actor, plan.unit)
    doomed = _subtree(locked)
    before = [item_state(i) | {"id": i.pk} for i in doomed]
    for each in doomed:
        if each.evidence_file:
            delete_on_commit(each.evidence_file.storage, each.evidence_file.name)
    record(
        actor=actor,
        action="plan.item_deleted",
        target=locked,
        summary=f"Xoá {KIND_LABEL[locked.kind]} {locked} khỏi kế hoạch CCHC năm {plan.year}"
        + (f" (cùng {len(doomed) - 1} nội dung bên dưới)" if len(doomed) > 1 else ""),
        before=before,
    )
    PlanItem.objects.filter(pk__in=[i.pk for i in doomed]).delete()
    return len(doomed)


def _done_problems(
    item: PlanItem, done_on: datetime.date | None, result: str, has_file: bool
) -> dict[str, str]:
    problems: dict[str, str] = {}
    if done_on is None:
        problems["done_on"] = "Cần nhập ngày hoàn thành."
    elif done_on > timezone.localdate():
        problems["done_on"] = "Ngày hoàn thành không được sau ngày hôm nay."
    elif done_on.year < item.plan.year:
        problems["done_on"] = f"Ngày hoàn thành phải từ năm {item.plan.year} của kế hoạch."
    if len(result) > RESULT_MAX:
        problems["result_document"] = f"Văn bản, sản phẩm hoàn thành tối đa {RESULT_MAX} ký tự."
    elif item.kind == ItemKind.TASK and not result and not has_file:
        problems["result_document"] = (
            "Nhiệm vụ hoàn thành cần có kiểm chứng: ghi số, ngày văn bản / sản phẩm hoàn "
            "thành hoặc đính kèm tệp."
        )
    return problems


@transaction.atomic
def plan_item_mark_done(
    *,
    item: PlanItem,
    done_on: datetime.date | None,
    result_document: str,
    file: UploadedFileLike | None,
    actor: User | None,
) -> PlanItem:
    """Mark an item done on ``done_on`` with its evidence: a citation of the resulting
    document or product, or a file (a task needs one of them). A new file replaces the one
    kept before; without a new file the kept one stays."""
    locked = _locked(item)
    require_plan_writer(actor, locked.plan.unit)
    result = _text(result_document)
    content = read_plan_evidence(file) if file is not None else None
    has_file = content is not None or bool(locked.evidence_file)
    _errors(_done_problems(locked, done_on, result, has_file))
    before = item_state(locked)
    locked.done_on, locked.done_by, locked.result_document = done_on, actor, result
    fields = ["done_on", "done_by", "result_document"]
    if content is not None:
        name, data = content
        delete_on_commit(locked.evidence_file.storage, locked.evidence_file.name or None)
        locked.evidence_file.save(name, ContentFile(data.data), save=False)
        locked.evidence_name, locked.evidence_sha256 = name, data.sha256
        fields += ["evidence_file", "evidence_name", "evidence_sha256"]
    try:
        locked.save(update_fields=fields)
        record(
            actor=actor,
            action="plan.item_done",
            target=locked,
            summary=f"Xác nhận hoàn thành {KIND_LABEL[locked.kind]} {locked} "
            f"ngày {fmt_date(done_on)}",
            before=before,
            after=item_state(locked),
        )
    except BaseException:
        if content is not None:
            locked.evidence_file.delete(save=False)
        raise
    return locked


@transaction.atomic
def plan_item_mark_undone(*, item: PlanItem, actor: User | None) -> PlanItem:
    """Take back an item's "done" (its evidence goes with it)."""
    locked = _locked(item)
    require_plan_writer(actor, locked.plan.unit)
    if locked.done_on is None:
        return locked
    before = item_state(locked)
    delete_on_commit(locked.evidence_file.storage, locked.evidence_file.name or None)
    locked.done_on, locked.done_by, locked.result_document = None, None, ""
    locked.evidence_file = ""
    locked.evidence_name = locked.evidence_sha256 = ""
    locked.save(
        update_fields=[
            "done_on",
            "done_by",
            "result_document",
            "evidence_file",
            "evidence_name",
            "evidence_sha256",
        ]
    )
    record(
        actor=actor,
        action="plan.item_undone",
        target=locked,
        summary=f"Bỏ xác nhận hoàn thành {KIND_LABEL[locked.kind]} {locked}",
        before=before,
        after=item_state(locked),
    )
    return locked
