"""The documents tests' world (the results tests' Hà Nam with 2023 and 2024 published) for
the object-storage tests of generated documents."""

from parindex.conftest import criteria_set, sample_document  # noqa: F401
from parindex.documents.tests.conftest import published  # noqa: F401
from parindex.results.tests.conftest import scenario  # noqa: F401
