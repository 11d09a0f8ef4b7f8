"""The unit's writes of its Báo cáo tự đánh giá (the narrative sections, the number and the
signer): allowed to the unit's own staff and leader while its self-assessment may be
edited (the same guard as :func:`~parindex.assessments.services.self_assessment.
answer_save`); read-only after it is sent."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from parindex.accounts.models import User
from parindex.assessments.errors import too_long
from parindex.assessments.models import REPORT_SECTIONS, Assessment, SelfAssessmentReport
from parindex.assessments.permissions import can_edit_as_unit
from parindex.assessments.selectors.state import closed_reason
from parindex.audit.services import record

__all__ = [
    "FIELD_LABELS",
    "MAX_SECTION",
    "REPORT_ACTION",
    "REPORT_FIELDS",
    "REPORT_SECTIONS",
    "self_assessment_report_save",
]

MAX_SECTION = 20_000
"""Characters in one narrative section at most."""

REPORT_ACTION = "assessment.report_saved"

_HEADER_FIELDS: tuple[tuple[str, str, int], ...] = (
    ("report_number", "Số báo cáo", 50),
    ("signer_name", "Người ký", 200),
    ("signer_title", "Chức vụ người ký", 100),
)

FIELD_LABELS: dict[str, str] = {
    **dict(REPORT_SECTIONS),
    **{name: label for name, label, _ in _HEADER_FIELDS},
}
"""Every field the unit writes → its Vietnamese name (messages, the audit summary)."""

REPORT_FIELDS: tuple[str, ...] = tuple(FIELD_LABELS)
"""The fields :func:`self_assessment_report_save` writes, in the form's order."""

_LIMITS: dict[str, int] = {
    **{name: MAX_SECTION for name, _ in REPORT_SECTIONS},
    **{name: limit for name, _, limit in _HEADER_FIELDS},
}

UNIT_ONLY = "Chỉ cán bộ, lãnh đạo của đơn vị được soạn báo cáo tự đánh giá của đơn vị."


def _lock(assessment: Assessment) -> Assessment:
    """The assessment row locked for this transaction (queued behind the unit's other
    writes: saves, submit, withdraw), with its period and unit as now stored."""
    return (
        Assessment.objects.select_related("period", "unit")
        .select_for_update(of=("self",))
        .get(pk=assessment.pk)
    )


def _cleaned(data: Mapping[str, Any]) -> dict[str, str]:
    """The fields of ``data`` the report has, stripped and checked (every problem at once,
    keyed by field); a field absent from ``data`` is left as stored."""
    cleaned: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for name in REPORT_FIELDS:
        if name not in data:
            continue
        value = data[name]
        label = FIELD_LABELS[name]
        if value is None:
            value = ""
        if not isinstance(value, str):
            problems[name] = [f"{label}: cần nhập văn bản."]
            continue
        text = value.replace("\x00", "").replace("\r\n", "\n").strip()
        if (problem := too_long(label, text, _LIMITS[name])) is not None:
            problems[name] = [problem]
            continue
        cleaned[name] = text
    if problems:
        raise ValidationError(problems)
    return cleaned


@transaction.atomic
def self_assessment_report_save(
    *, assessment: Assessment, actor: User, data: Mapping[str, Any]
) -> SelfAssessmentReport:
    """Save the unit's Báo cáo tự đánh giá of ``assessment`` (created on its first save).

    ``data`` maps fields of :data:`REPORT_FIELDS` to their text (None is empty); a field
    not given keeps its stored text, other keys are ignored. Texts are stripped; a section
    may hold :data:`MAX_SECTION` characters. Raises :class:`ValidationError` (Vietnamese,
    keyed by field for bad input, nothing stored) unless ``actor`` is staff or leader of
    the unit and its self-assessment may still be edited (stage, status, deadline).
    Records ``assessment.report_saved`` on the assessment with the changed fields' texts
    before and after; nothing changed, nothing stored nor recorded.
    """
    locked = _lock(assessment)
    if not can_edit_as_unit(actor, locked):
        raise ValidationError(UNIT_ONLY)
    if reason := closed_reason(locked):
        raise ValidationError(f"Báo cáo tự đánh giá chỉ còn xem được: {reason}")
    cleaned = _cleaned(data)
    report = (
        SelfAssessmentReport.objects.select_for_update(of=("self",))
        .filter(assessment=locked)
        .first()
    ) or SelfAssessmentReport(assessment=locked)
    changed = [name for name, text in cleaned.items() if getattr(report, name) != text]
    if not changed:
        return report
    before = {name: getattr(report, name) for name in changed} if report.pk else None
    for name in changed:
        setattr(report, name, cleaned[name])
    report.updated_by = actor
    report.save()
    record(
        actor=actor,
        action=REPORT_ACTION,
        target=locked,
        summary=f"Lưu báo cáo tự đánh giá ({locked.unit.name}): "
        + ", ".join(FIELD_LABELS[name] for name in changed),
        before=before,
        after={name: cleaned[name] for name in changed},
    )
    return report
