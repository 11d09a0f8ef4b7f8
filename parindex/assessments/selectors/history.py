"""The history of an item and of an assessment (self-assessment saves, appraisal rounds,
evidence), on screen and as CSV."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import InvalidOperation
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from parindex.assessments.leaves import value_text
from parindex.assessments.models import Answer, AppraisalRecord, Assessment, AssessmentStatus
from parindex.assessments.workflow import TRANSITIONS
from parindex.audit.models import AuditEvent
from parindex.core.cells import inert
from parindex.core.formatting import fmt_time, person_name, vn_plain
from parindex.criteria.models import CriterionNode
from parindex.evidence.models import EvidenceLink

ANSWER_TARGET = "assessments.answer"


ASSESSMENT_TARGET = "assessments.assessment"


EVIDENCE_LINK_TARGET = "evidence.evidencelink"


FIELD_LABELS = {  # in the order changes are listed (JSON keys have no order in PostgreSQL)
    "value": "Giá trị tự đánh giá",
    "not_applicable": "Không áp dụng",
    "na_justification": "Lý do không áp dụng",
    "explanation": "Thuyết minh",
    "status": "Trạng thái",
    "submitted_at": "Gửi lúc",
    "appraisal_round": "Vòng thẩm định",
    "appraised_value": "Giá trị thẩm định",
    "appraised_not_applicable": "Thẩm định: không áp dụng",
    "points": "Điểm",
    "appraisal_comment": "Ý kiến thẩm định",
    "comment": "Ý kiến",
    "needs_explanation": "Cần giải trình",
    "unit_response": "Nội dung giải trình",
    "name": "Tệp",
    "reused_upload": "Tệp tải lên (trùng nội dung)",
    "document_number": "Số, ký hiệu văn bản",
    "document_date": "Ngày ban hành",
    "document_issuer": "Cơ quan ban hành",
    "document_title": "Trích yếu",
}


ACTION_LABELS = {
    **{move.action: move.label for move in TRANSITIONS.values()},
    "answer.self_saved": "Tự đánh giá",
    "assessment.self_started": "Bắt đầu tự đánh giá",
    "assessment.submitted": "Gửi hồ sơ",
    "assessment.withdrawn": "Rút hồ sơ",
}
"""Every status move by the workflow's own words; the unit's three by their short names."""


HIDDEN_KEYS = frozenset({"version", "answer", "node", "stage", "evidence"})


def action_label(action: str) -> str:
    """An audit action code in words (codes written by other modules by their prefix)."""
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    if action.startswith("evidence"):
        return "Tài liệu kiểm chứng"
    if "explanation" in action or "response" in action:
        return "Giải trình"
    if "apprais" in action:
        return "Thẩm định"
    return "Cập nhật"


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One line of an item's (or assessment's) history, newest first."""

    at: datetime.datetime
    actor: str
    action: str
    label: str
    summary: str
    node_code: str = ""
    changes: tuple[Change, ...] = field(default_factory=tuple)


def _text(node: CriterionNode | None, key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if key in ("value", "appraised_value") and node is not None:
        return value_text(node, value)
    if key == "status" and value in AssessmentStatus.values:
        return str(AssessmentStatus(value).label)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key == "points":
        try:
            return vn_plain(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
    if key == "submitted_at" and isinstance(value, str):
        try:
            return fmt_time(datetime.datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def _changes(node: CriterionNode | None, before: Any, after: Any) -> tuple[Change, ...]:
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    changes = []
    order = {key: i for i, key in enumerate(FIELD_LABELS)}
    keys = sorted(new.keys() | old.keys(), key=lambda k: (order.get(k, len(order)), k))
    for key in keys:
        if key in HIDDEN_KEYS or old.get(key) == new.get(key):
            continue
        label = FIELD_LABELS.get(key, key)
        changes.append(
            Change(label, _text(node, key, old.get(key)), _text(node, key, new.get(key)))
        )
    return tuple(changes)


def _event_entry(event: AuditEvent, node: CriterionNode | None) -> HistoryEntry:
    actor = (
        person_name(event.actor) if event.actor is not None else event.actor_username or "Hệ thống"
    )
    return HistoryEntry(
        at=event.at,
        actor=actor,
        action=event.action,
        label=action_label(event.action),
        summary=event.summary,
        node_code=node.code if node is not None else "",
        changes=(
            ()
            if event.action.startswith("evidence.")
            else _changes(node, event.before, event.after)
        ),
    )


def _record_entry(rec: AppraisalRecord, node: CriterionNode) -> HistoryEntry:
    shown = value_text(node, rec.value, not_applicable=rec.not_applicable)
    changes = [Change("Giá trị thẩm định", "", shown)]
    if rec.points is not None:
        changes.append(Change("Điểm", "", vn_plain(rec.points)))
    if rec.comment:
        changes.append(Change("Ý kiến", "", rec.comment))
    if rec.needs_explanation:
        changes.append(Change("Cần giải trình", "", "Có"))
    return HistoryEntry(
        at=rec.at,
        actor=person_name(rec.appraiser) if rec.appraiser is not None else "—",
        action="appraisal.record",
        label=f"Thẩm định vòng {rec.round}",
        summary="",
        node_code=node.code,
        changes=tuple(changes),
    )


def _unrecorded(
    records: Iterable[AppraisalRecord], events: Sequence[AuditEvent]
) -> list[AppraisalRecord]:
    """Appraisal records that no audit event of the appraisal service already tells."""
    told = [
        (e.target_id, e.actor_id, e.at)
        for e in events
        if e.action.startswith("answer.apprais") and e.target_type == ANSWER_TARGET
    ]
    return [
        r
        for r in records
        if not any(
            target == str(r.answer_id)
            and actor == r.appraiser_id
            and abs((at - r.at).total_seconds()) < 60
            for target, actor, at in told
        )
    ]


def _events(q: Q) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(q).select_related("actor").order_by("-at", "-id")


def _evidence_link_ids(answer_ids: Sequence[int]) -> dict[str, int]:
    """Evidence link id (as audit target id) → answer id, for the evidence events."""
    return {
        str(pk): answer_id
        for pk, answer_id in EvidenceLink.objects.filter(answer_id__in=answer_ids).values_list(
            "pk", "answer_id"
        )
    }


def answer_history(answer: Answer) -> list[HistoryEntry]:
    """Everything that happened to one item, newest first: its audit events (self-assessment,
    appraisal, explanation, evidence) and its appraisal records."""
    node = answer.node
    links = _evidence_link_ids([answer.pk])
    events = list(
        _events(
            Q(target_type=ANSWER_TARGET, target_id=str(answer.pk))
            | Q(target_type=EVIDENCE_LINK_TARGET, target_id__in=list(links))
        )
    )
    entries = [_event_entry(e, node) for e in events]
    records = AppraisalRecord.objects.filter(answer=answer).select_related("appraiser")
    entries.extend(_record_entry(r, node) for r in _unrecorded(records, events))
    return sorted(entries, key=lambda e: e.at, reverse=True)


def assessment_history(assessment: Assessment) -> list[HistoryEntry]:
    """Every event of the assessment and of its items, newest first."""
    answers = {a.pk: a for a in Answer.objects.filter(assessment=assessment).select_related("node")}
    links = _evidence_link_ids(list(answers))
    events = list(
        _events(
            Q(target_type=ASSESSMENT_TARGET, target_id=str(assessment.pk))
            | Q(target_type=ANSWER_TARGET, target_id__in=[str(pk) for pk in answers])
            | Q(target_type=EVIDENCE_LINK_TARGET, target_id__in=list(links))
        )
    )
    entries: list[HistoryEntry] = []
    for event in events:
        answer_id: int | None = None
        if event.target_type == ANSWER_TARGET:
            answer_id = int(event.target_id)
        elif event.target_type == EVIDENCE_LINK_TARGET:
            answer_id = links.get(event.target_id)
        answer = answers.get(answer_id) if answer_id is not None else None
        entries.append(_event_entry(event, answer.node if answer else None))
    records = AppraisalRecord.objects.filter(answer__assessment=assessment).select_related(
        "appraiser"
    )
    entries.extend(
        _record_entry(r, answers[r.answer_id].node) for r in _unrecorded(records, events)
    )
    return sorted(entries, key=lambda e: e.at, reverse=True)


CSV_HEADER = (
    "Thời điểm",
    "Người thực hiện",
    "Hành động",
    "Tiêu chí",
    "Nội dung thay đổi",
    "Trước",
    "Sau",
    "Tóm tắt",
)


def assessment_history_csv(assessment: Assessment) -> str:
    """The assessment's history as CSV (one line per changed field), newest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for entry in assessment_history(assessment):
        base = [
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
            entry.actor,
            entry.label,
            entry.node_code,
        ]
        for change in entry.changes or (Change("", "", ""),):
            writer.writerow(
                [
                    inert(x)
                    for x in (*base, change.label, change.before, change.after, entry.summary)
                ]
            )
    return out.getvalue()
