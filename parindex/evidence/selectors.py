"""Reads of evidence: who may see a file, and what the evidence block of an item shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from parindex.assessments.models import Answer, Assessment
from parindex.assessments.permissions import (
    assessments_visible_to,
    can_edit_as_unit,
    code_within,
    node_codes_visible_to,
    require_node_visible,
)
from parindex.evidence.files import allowed_extensions
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus
from parindex.evidence.permissions import evidence_open_stage
from parindex.periods.models import UnsignedEvidencePolicy

BADGES: dict[str, tuple[str, str]] = {
    SignatureStatus.PENDING: ("text-bg-info", "bi-hourglass-split"),
    SignatureStatus.VALID: ("text-bg-success", "bi-patch-check-fill"),
    SignatureStatus.REVOCATION_UNKNOWN: ("text-bg-warning", "bi-question-octagon"),
    SignatureStatus.REVOKED: ("text-bg-danger", "bi-slash-circle-fill"),
    SignatureStatus.UNTRUSTED: ("text-bg-warning", "bi-shield-exclamation"),
    SignatureStatus.MODIFIED: ("text-bg-danger", "bi-exclamation-octagon-fill"),
    SignatureStatus.INVALID: ("text-bg-danger", "bi-x-octagon-fill"),
    SignatureStatus.UNSIGNED: ("text-bg-secondary", "bi-dash-circle"),
    SignatureStatus.NOT_PDF: ("text-bg-light border", "bi-file-earmark"),
}
"""Bootstrap badge class and icon for each signature status (colour is never the only
signal: the badge always carries the status text)."""


def get_evidence_for_user(user: Any, pk: int) -> Evidence:
    """A file the user may download, else 404: its unit's users, the appraisers assigned
    to its unit, and the chair and observers of its period (the assessment chokepoint)."""
    evidence = Evidence.objects.filter(pk=pk).first()
    assessment = (
        None
        if evidence is None
        else assessments_visible_to(user)
        .filter(period_id=evidence.period_id, unit_id=evidence.unit_id)
        .first()
    )
    if evidence is None or assessment is None:
        raise Http404("Không tìm thấy tài liệu.")
    codes = node_codes_visible_to(user, assessment)
    if codes is not None:
        # An appraiser given some fields: only files attached to the items of those fields.
        attached = EvidenceLink.objects.filter(evidence=evidence).values_list(
            "answer__node__code", flat=True
        )
        if not any(code_within(code, codes) for code in attached):
            raise Http404("Không tìm thấy tài liệu.")
    return evidence


def get_answer_for_user(user: Any, pk: int) -> Answer:
    """An item of an assessment the user may see, else 404."""
    answer = (
        Answer.objects.select_related("assessment__period", "assessment__unit", "node")
        .filter(pk=pk, assessment__in=assessments_visible_to(user).values("pk"))
        .first()
    )
    if answer is None:
        raise Http404("Không tìm thấy nội dung chấm điểm.")
    require_node_visible(user, answer.assessment, answer.node.code)
    return answer


def get_link_for_user(user: Any, pk: int) -> EvidenceLink:
    link = (
        EvidenceLink.objects.select_related(
            "evidence", "answer__assessment__period", "answer__assessment__unit", "answer__node"
        )
        .filter(pk=pk, answer__assessment__in=assessments_visible_to(user).values("pk"))
        .first()
    )
    if link is None:
        raise Http404("Không tìm thấy tài liệu.")
    require_node_visible(user, link.answer.assessment, link.answer.node.code)
    return link


@dataclass
class ItemEvidence:
    """Everything ``evidence/_item_evidence_body.html`` shows for one item."""

    answer: Answer
    assessment: Assessment
    links: list[EvidenceLink]
    can_edit: bool
    is_unit_member: bool
    stage: str
    closed_reason: str
    library: list[Evidence]
    pending: bool
    max_mb: int
    extensions: list[str]
    refuse_unsigned: bool
    errors: list[str] = field(default_factory=list)
    notice: str = ""
    cite: dict[str, str] = field(default_factory=dict)

    @property
    def accept(self) -> str:
        """The file input's ``accept`` attribute: ``.pdf,.docx``."""
        return ",".join(f".{ext}" for ext in self.extensions)

    @property
    def types_label(self) -> str:
        return ", ".join(ext.upper() for ext in self.extensions)

    def context(self) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "assessment": self.assessment,
            "links": self.links,
            "can_edit": self.can_edit,
            "is_unit_member": self.is_unit_member,
            "stage": self.stage,
            "closed_reason": self.closed_reason,
            "library": self.library,
            "pending": self.pending,
            "max_mb": self.max_mb,
            "accept": self.accept,
            "types_label": self.types_label,
            "refuse_unsigned": self.refuse_unsigned,
            "errors": self.errors,
            "notice": self.notice,
            "cite": self.cite,
        }


def item_evidence(
    user: Any,
    assessment: Assessment,
    answer: Answer,
    *,
    cache: dict[Any, Any] | None = None,
    errors: list[str] | None = None,
    notice: str = "",
    cite: dict[str, str] | None = None,
) -> ItemEvidence:
    """The evidence block of ``answer``. ``cache`` (one per request) keeps the unit's file
    list and the stage check across the items of one page."""
    cache = {} if cache is None else cache
    if _is_prefetched(answer):  # the page did prefetch_related("evidence_links__evidence")
        links = list(answer.evidence_links.all())
    else:
        links = list(answer.evidence_links.select_related("evidence"))
    is_unit_member = can_edit_as_unit(user, assessment)
    stage, closed_reason = "", ""
    if is_unit_member:
        key = ("stage", assessment.pk, answer.needs_explanation)
        if key not in cache:
            try:
                cache[key] = (evidence_open_stage(assessment, answer), "")
            except ValidationError as exc:
                cache[key] = ("", " ".join(exc.messages))
        stage, closed_reason = cache[key]
    library: list[Evidence] = []
    if stage:
        lib_key = ("library", assessment.pk)
        if lib_key not in cache:
            cache[lib_key] = list(
                Evidence.objects.filter(
                    period_id=assessment.period_id, unit_id=assessment.unit_id
                ).order_by("original_name", "pk")
            )
        linked = {link.evidence_id for link in links if link.evidence_id is not None}
        library = [ev for ev in cache[lib_key] if ev.pk not in linked]
    period = assessment.period
    return ItemEvidence(
        answer=answer,
        assessment=assessment,
        links=links,
        can_edit=bool(stage),
        is_unit_member=is_unit_member,
        stage=stage,
        closed_reason=closed_reason,
        library=library,
        pending=any(
            link.evidence is not None and link.evidence.signature_status == SignatureStatus.PENDING
            for link in links
        ),
        max_mb=period.evidence_max_mb,
        extensions=allowed_extensions(period),
        refuse_unsigned=period.unsigned_evidence == UnsignedEvidencePolicy.REFUSE,
        errors=errors or [],
        notice=notice,
        cite=cite or {},
    )


def _is_prefetched(answer: Answer) -> bool:
    cache = getattr(answer, "_prefetched_objects_cache", {})
    return "evidence_links" in cache
