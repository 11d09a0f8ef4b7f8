"""The evidence tests' world (their PKI, PDFs, period, assessment and items, the Sở Nội vụ
assessed with its appraiser assigned) for the object-storage tests of evidence."""

from parindex.conftest import criteria_set, sample_document  # noqa: F401
from parindex.evidence.tests.conftest import (  # noqa: F401
    answer,
    appraiser,
    assessed_unit,
    assessment,
    evidence_settings,
    other_unit,
    pdfs,
    period,
    pki,
)
