"""Reads of the documents pages: what was made for a unit or a period, what is public, which
template each kind uses."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from parindex.assessments.models import AppraisalRecord, Assessment
from parindex.documents.generate import uploaded_template
from parindex.documents.kinds import KINDS, KindSpec
from parindex.documents.models import DocumentTemplate, GeneratedDocument, JobStatus
from parindex.documents.permissions import PUBLIC_KINDS
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.models import ResultVersion, VersionStatus

LISTED = 30


def _listed(documents: QuerySet[GeneratedDocument]) -> list[GeneratedDocument]:
    return list(
        documents.select_related("requested_by", "version", "unit").order_by(
            "-requested_at", "-pk"
        )[:LISTED]
    )


def unit_documents(period: Period, unit: Unit) -> list[GeneratedDocument]:
    return _listed(GeneratedDocument.objects.filter(period=period, unit=unit))


def period_documents(period: Period) -> list[GeneratedDocument]:
    """Everything made for ``period``: its own documents and the units'."""
    return _listed(GeneratedDocument.objects.filter(period=period))


def public_documents(version: ResultVersion) -> list[GeneratedDocument]:
    """The newest file of each kind, group and format made from the published ``version``."""
    newest: dict[tuple[str, str, str], GeneratedDocument] = {}
    for document in GeneratedDocument.objects.filter(
        version=version, kind__in=PUBLIC_KINDS, status=JobStatus.DONE
    ).order_by("-finished_at", "-pk"):
        newest.setdefault((document.kind, document.group_code, document.format), document)
    return sorted(newest.values(), key=lambda d: (d.kind, d.group_code, d.format))


def appraisal_rounds(assessment: Assessment) -> list[int]:
    """The rounds in which the unit's items were appraised (the minutes one can make)."""
    return sorted(
        set(
            AppraisalRecord.objects.filter(answer__assessment=assessment).values_list(
                "round", flat=True
            )
        )
    )


def is_stale(document: GeneratedDocument) -> bool:
    """Made from a result version that a correction has since replaced, or from a draft
    that was computed again since."""
    version = document.version
    if version is None:
        return False
    return version.status == VersionStatus.SUPERSEDED or (
        version.computed_at != document.results_computed_at
    )


@dataclass(frozen=True)
class TemplateRow:
    spec: KindSpec
    own: DocumentTemplate | None
    """The jurisdiction's active upload."""
    used: DocumentTemplate | None
    """What generation uses: ``own``, else the installation's; None is the built-in one."""
    history: list[DocumentTemplate]


def template_rows(jurisdiction: Unit | None) -> list[TemplateRow]:
    rows = []
    for spec in KINDS.values():
        uploads = DocumentTemplate.objects.filter(kind=spec.kind, jurisdiction=jurisdiction)
        own = uploads.filter(is_active=True).order_by("-pk").first()
        rows.append(
            TemplateRow(
                spec,
                own,
                uploaded_template(spec.kind, jurisdiction),
                list(uploads.select_related("uploaded_by").order_by("-pk")[:5]),
            )
        )
    return rows
