"""Background work on evidence: the digital-signature check of an uploaded file."""

from __future__ import annotations

from django.tasks import task

from parindex.evidence.verification import evidence_verify


@task(queue_name="default")
def verify_evidence(evidence_id: int) -> str | None:
    """Check one file's signature against the active trust anchors; returns its status."""
    evidence = evidence_verify(evidence_id=evidence_id)
    return evidence.signature_status if evidence is not None else None
