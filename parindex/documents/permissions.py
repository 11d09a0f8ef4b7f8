"""Who may make, see and download which document (404 for "not yours").

* A unit's documents (self-assessment report, appraisal minutes): whoever sees the unit's
  whole assessment — its own staff, the council of its period, the appraisers assigned.
* A period's documents (results report, notice): the council of the period's jurisdiction;
  writing their texts is the chair's. Once their result version is published they are
  public, like the results.
* Word templates: the people who administer the jurisdiction's seasons; the installation's
  shared templates: superusers.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from parindex.assessments.models import Assessment
from parindex.assessments.permissions import assessments_visible_to, require_whole_assessment
from parindex.documents.models import DocumentKind, GeneratedDocument, JobStatus
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.periods.permissions import (
    active_user,
    administered_jurisdictions,
    can_administer_periods,
    get_overseen_period,
    overseen_periods,
)
from parindex.results.models import VersionStatus

PUBLIC_KINDS = (DocumentKind.RESULTS, DocumentKind.NOTICE)
NOT_FOUND = "Không tìm thấy văn bản."


def get_unit_documents_assessment(user: Any, pk: int) -> Assessment:
    """The assessment whose documents ``user`` may see and make, else 404."""
    assessment = assessments_visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("Không tìm thấy phiếu chấm điểm.")
    require_whole_assessment(user, assessment)
    return assessment


def get_period_for_documents(user: Any, pk: int, *, manage: bool = False) -> Period:
    """A period whose documents ``user`` oversees (403 for an observer's change)."""
    return get_overseen_period(user, pk, manage=manage, what="văn bản")


def get_document_for_user(user: Any, pk: int) -> GeneratedDocument:
    """A generated document the user may see, else 404."""
    document = (
        GeneratedDocument.objects.select_related("period", "unit", "version").filter(pk=pk).first()
    )
    if document is None or not can_see_document(user, document):
        raise Http404(NOT_FOUND)
    return document


def can_see_document(user: Any, document: GeneratedDocument) -> bool:
    if active_user(user) is None:
        return False
    if document.unit_id is not None:
        visible = assessments_visible_to(user).filter(
            period_id=document.period_id, unit_id=document.unit_id
        )
        assessment = visible.first()
        if assessment is None:
            return False
        try:
            require_whole_assessment(user, assessment)
        except Http404:
            return False
        return True
    return overseen_periods(user).filter(pk=document.period_id).exists()


def get_public_document(period_pk: int, pk: int) -> GeneratedDocument:
    """A period document made from a published result version, for anyone; else 404."""
    document = (
        GeneratedDocument.objects.select_related("period", "version")
        .filter(
            pk=pk,
            period_id=period_pk,
            kind__in=PUBLIC_KINDS,
            status=JobStatus.DONE,
            version__status__in=(VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED),
        )
        .first()
    )
    if document is None:
        raise Http404(NOT_FOUND)
    return document


def template_jurisdictions(user: Any) -> list[Unit | None]:
    """The jurisdictions whose templates ``user`` manages; None is the installation's."""
    if not can_administer_periods(user):
        raise Http404("Không tìm thấy trang mẫu văn bản.")
    found: list[Unit | None] = list(administered_jurisdictions(user).order_by("name"))
    u = active_user(user)
    if u is not None and u.is_superuser:
        found.insert(0, None)
    return found


def get_template_jurisdiction(user: Any, code: str) -> Unit | None:
    """The jurisdiction named by ``code`` ("" for the installation) if ``user`` manages its
    templates, else 404."""
    for jurisdiction in template_jurisdictions(user):
        if (jurisdiction.code if jurisdiction else "") == code:
            return jurisdiction
    raise Http404("Không tìm thấy trang mẫu văn bản.")
