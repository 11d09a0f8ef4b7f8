"""A throwaway PKI and signed PDFs for the evidence tests, and a period to upload into.

Everything is generated in memory when the test session starts: no key or certificate is
ever committed or written to disk.

* ``pki``: an old and a new "national root", an intermediate "Government CA" under the new
  root, a rogue root with the same name as the new one, and a signer under each.
* ``pdfs``: unsigned, signed under each root, modified after signing (an incremental
  update), tampered (a byte changed inside the signed range), signed with SHA-1, signed
  twice, and a PNG.
* ``period`` (self-assessment open) of the shared province, with ``assessment`` of the Sở
  Nội vụ and two items ``answer`` (1.1) and ``other_answer`` (1.2).

The personas are the shared ones (``tests/personas.py``), with the Sở Nội vụ as the
assessed unit and the appraiser assigned to it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django.fixtures import Settings

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.evidence.testing import (  # noqa: F401
    PASSPHRASE,
    Identity,
    Pdfs,
    Pki,
    Signer,
    make_pdfs,
    make_pki,
    png_bytes,
    sign,
)
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import AppraiserAssignment, Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status


@pytest.fixture(scope="session")
def pki() -> Pki:
    return make_pki()


@pytest.fixture(scope="session")
def pdfs(pki: Pki) -> Pdfs:
    return make_pdfs(pki)


@pytest.fixture(scope="session")
def trusted_roots(pki: Pki) -> list[str]:
    """The store of a province that trusts both national roots."""
    return [pki.old_root.pem, pki.new_root.pem]


def upload(name: str, data: bytes, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# ---------------------------------------------------------------------------------------
# A period to upload into


@pytest.fixture(autouse=True)
def evidence_settings(settings: Settings, tmp_path: Path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "imports", "reports"],
        }
    }
    yield


@pytest.fixture
def period(
    province: Unit, departments_group: UnitGroup, criteria_set: CriteriaSet, so_noi_vu: Unit
) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC năm 2024",
        groups={departments_group: criteria_set},
        actor=None,
    )
    return period_set_status(period=period, status=PeriodStatus.SELF_ASSESSMENT, actor=None)


@pytest.fixture
def assessment(period: Period, so_noi_vu: Unit) -> Assessment:
    return Assessment.objects.create(
        period=period, unit=so_noi_vu, status=AssessmentStatus.IN_PROGRESS
    )


def _answer(assessment: Assessment, code: str) -> Answer:
    node = CriterionNode.objects.get(
        criteria_set__period_groups__period=assessment.period, code=code
    )
    return Answer.objects.create(assessment=assessment, node=node)


@pytest.fixture
def answer(assessment: Assessment) -> Answer:
    return _answer(assessment, "1.1")


@pytest.fixture
def other_answer(assessment: Assessment) -> Answer:
    return _answer(assessment, "1.2")


@pytest.fixture
def assessed_unit(so_noi_vu: Unit) -> Unit:
    """Here the Sở Nội vụ is assessed: ``unit_staff`` (who uploads) works there."""
    return so_noi_vu


@pytest.fixture
def other_unit(commune: Unit) -> Unit:
    """``other_staff`` works at the commune."""
    return commune


@pytest.fixture
def appraiser(appraiser: User, period: Period, so_noi_vu: Unit) -> User:
    """The shared appraiser, assigned to the Sở Nội vụ (every field) in this period."""
    assignment = AppraiserAssignment.objects.create(period=period, appraiser=appraiser)
    assignment.units.add(so_noi_vu)
    return appraiser
