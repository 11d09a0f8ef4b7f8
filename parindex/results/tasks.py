"""Background work of results: a period's computation runs in the worker, the page polls it."""

from __future__ import annotations

from django.tasks import task

from parindex.results.models import ResultVersion, VersionStatus
from parindex.results.services import results_compute_run


@task(queue_name="reports")
def compute_results(version_id: int) -> str | None:
    """Compute one draft (a no-op when it was discarded or already computed)."""
    version = ResultVersion.objects.filter(pk=version_id).first()
    if version is None or version.status != VersionStatus.COMPUTING:
        return version.status if version is not None else None
    return results_compute_run(version=version).status


@task(queue_name="default")
def verify_decision(decision_id: int) -> str | None:
    """The revocation check (CRL/OCSP fetched in the worker) of a signed decision."""
    from parindex.results.decision import decision_verify

    decision = decision_verify(decision_id=decision_id)
    return decision.signature_status if decision is not None else None
