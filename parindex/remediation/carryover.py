"""The next round link (kỳ trước): on an item of a later period's self-assessment, the
remediation tasks the unit had on the same criterion code in earlier periods, and their
evidence files, which the unit can attach to the item again in one click.

"Earlier" is by the calendar of the rounds: every period of an earlier year, and in a
year-end (annual) period also the 6-month (interim) period of the same year. The most
recent period comes first.

:func:`evidence_carry_over` stores the earlier file again as evidence of the current period
through the upload path, which links it to the item in the same step (type, size, content
and signature checks; the reuse of a file the unit already stored in the period with the
same SHA-256, linked as :func:`~parindex.evidence.links.evidence_attach_existing` does;
the audit event of either). The upload path is taken with the item, not bare then linked,
so that an item returned for explanation can take an earlier file too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.permissions import can_edit_as_unit
from parindex.core.converters import parse_id
from parindex.evidence.models import Evidence, EvidenceLink
from parindex.evidence.permissions import evidence_open_stage, require_unit_editor
from parindex.evidence.uploads import UploadOutcome, evidence_upload_result
from parindex.periods.models import Period, PeriodKind
from parindex.remediation.models import RemediationTask

TaskEvidence = RemediationTask.evidence.through


def earlier_periods_q(period: Period, prefix: str = "period") -> Q:
    """``Q`` of the periods before ``period`` (through relation ``prefix``)."""
    earlier = Q(**{f"{prefix}__year__lt": period.year})
    if period.kind == PeriodKind.ANNUAL:
        earlier |= Q(**{f"{prefix}__year": period.year, f"{prefix}__kind": PeriodKind.INTERIM})
    return earlier & ~Q(**{prefix: period.pk})


def _recency(period: Period) -> tuple[int, int]:
    """Later rounds sort higher: the year, then the year-end round after the 6-month one."""
    return period.year, 1 if period.kind == PeriodKind.ANNUAL else 0


def earlier_tasks(assessment: Assessment) -> QuerySet[RemediationTask]:
    """The unit's tasks from the periods before ``assessment``'s."""
    return RemediationTask.objects.filter(
        earlier_periods_q(assessment.period), unit_id=assessment.unit_id
    )


@dataclass
class EarlierFile:
    """One evidence file of an earlier task, and whether the current item already has a
    file with the same content."""

    evidence: Evidence
    attached: bool


@dataclass
class EarlierTask:
    task: RemediationTask
    files: list[EarlierFile] = field(default_factory=list)


def earlier_tasks_by_code(
    assessment: Assessment, codes: Iterable[str] | None = None
) -> dict[str, list[EarlierTask]]:
    """Node code → the unit's earlier tasks on it (most recent period first), with their
    files. Two queries whatever the number of items: the tasks, then their files with
    "already attached to the same item now" computed in SQL."""
    tasks = earlier_tasks(assessment).select_related("period", "officer", "section")
    if codes is not None:
        tasks = tasks.filter(node_code__in=list(codes))
    found = sorted(
        tasks.order_by("due_date", "pk"),
        key=lambda t: _recency(t.period),
        reverse=True,
    )
    if not found:
        return {}
    out: dict[str, list[EarlierTask]] = defaultdict(list)
    by_pk: dict[int, EarlierTask] = {}
    for task in found:
        by_pk[task.pk] = EarlierTask(task)
        out[task.node_code].append(by_pk[task.pk])
    same_now = EvidenceLink.objects.filter(
        answer__assessment_id=assessment.pk,
        answer__node__code=OuterRef("remediationtask__node_code"),
        evidence__sha256=OuterRef("evidence__sha256"),
    )
    rows: Iterable[Any] = (  # each row annotated with ``attached``
        TaskEvidence.objects.filter(remediationtask_id__in=list(by_pk))
        .select_related("evidence")
        .annotate(attached=Exists(same_now))
        .order_by("evidence__original_name", "pk")
    )
    for row in rows:
        by_pk[row.remediationtask_id].files.append(EarlierFile(row.evidence, row.attached))
    return dict(out)


def get_earlier_evidence(answer: Answer, raw_pk: str) -> Evidence:
    """The file ``raw_pk`` if it is evidence of a task of ``answer``'s unit on the same
    criterion code in an earlier period, else 404 (another unit's file, a file of this
    period, a file of another criterion: all alike)."""
    pk = parse_id(raw_pk)
    evidence = None if pk is None else _earlier_evidence(answer).filter(pk=pk).first()
    if evidence is None:
        raise Http404("Không tìm thấy tài liệu của nhiệm vụ khắc phục kỳ trước.")
    return evidence


def _earlier_evidence(answer: Answer) -> QuerySet[Evidence]:
    tasks = earlier_tasks(answer.assessment).filter(node_code=answer.node.code)
    return Evidence.objects.filter(
        pk__in=TaskEvidence.objects.filter(remediationtask__in=tasks).values("evidence_id")
    )


def evidence_carry_over(*, answer: Answer, evidence: Evidence, actor: User) -> EvidenceLink:
    """Attach an earlier task's file to ``answer`` of the current period.

    The file must be evidence of a task of the same unit on the same criterion code in an
    earlier period; only the unit's staff and leaders may do it, while the stage lets them
    change the item's evidence (:func:`evidence_open_stage`). The file is stored again as
    evidence of the current period and linked to the item by the upload service
    (:func:`evidence_upload_result`: all its checks apply, a file of the same content the
    unit stored in the period is reused, the link is audited, and a copy stored for a link
    that fails is removed); refused (:class:`ValidationError`, Vietnamese) when the item
    already has a file with that content.
    """
    assessment = answer.assessment
    require_unit_editor(actor, assessment)
    evidence_open_stage(assessment, answer)
    if not _earlier_evidence(answer).filter(pk=evidence.pk).exists():
        raise ValidationError(
            f"Tệp “{evidence.original_name}” không phải tài liệu của nhiệm vụ khắc phục kỳ "
            f"trước về tiêu chí {answer.node.code} của đơn vị."
        )
    if EvidenceLink.objects.filter(answer=answer, evidence__sha256=evidence.sha256).exists():
        raise ValidationError(
            f"Tệp “{evidence.original_name}” đã có trong tài liệu của tiêu chí này."
        )
    result = evidence_upload_result(
        assessment=assessment, answer=answer, uploaded_file=_stored_content(evidence), actor=actor
    )
    if result.outcome is UploadOutcome.ALREADY_ATTACHED:  # a colleague attached it meanwhile
        raise ValidationError(
            f"Tệp “{evidence.original_name}” đã có trong tài liệu của tiêu chí này."
        )
    return EvidenceLink.objects.get(answer=answer, evidence=result.evidence)


def _stored_content(evidence: Evidence) -> ContentFile[bytes]:
    """The earlier file's bytes under its original name (as an upload would bring them)."""
    try:
        with evidence.file.open("rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ValidationError(
            f"Tệp “{evidence.original_name}” không còn trong kho lưu trữ."
        ) from exc
    return ContentFile(data, name=evidence.original_name)


# --------------------------------------------------------------------------- the panel


@dataclass
class ScreenTasks:
    """One screen's earlier tasks by code and its stage checks (kept on the screen)."""

    by_code: dict[str, list[EarlierTask]]
    stages: dict[bool, str] = field(default_factory=dict)


def _closed_reason(screen: ScreenTasks, assessment: Assessment, answer: Answer) -> str:
    """Why the unit may not change ``answer``'s evidence now ("" when it may): the
    services' own rule (:func:`evidence_open_stage`), checked once per kind of item."""
    key = answer.needs_explanation
    if key not in screen.stages:
        try:
            evidence_open_stage(assessment, answer)
            screen.stages[key] = ""
        except ValidationError as exc:
            screen.stages[key] = " ".join(exc.messages)
    return screen.stages[key]


def panel_context(
    user: Any, assessment: Assessment, code: str, answer: Answer | None, screen: ScreenTasks
) -> dict[str, Any]:
    """What ``remediation/carryover_panel.html`` shows on the item ``code`` (no tasks:
    nothing). The button is offered to the unit's people while the stage is open."""
    tasks = screen.by_code.get(code, [])
    if not tasks:
        return {"tasks": []}
    is_unit = can_edit_as_unit(user, assessment)
    closed = _closed_reason(screen, assessment, answer) if is_unit and answer else ""
    return {
        "tasks": tasks,
        "answer": answer,
        "is_unit": is_unit,
        "can_attach": is_unit and answer is not None and not closed,
        "closed_reason": closed,
    }
