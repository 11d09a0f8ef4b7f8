"""The jobs tests reuse the results scenario and the survey fixtures."""

from parindex.results.tests.conftest import scenario  # noqa: F401
from parindex.surveys.tests.conftest import (  # noqa: F401
    hoa_binh,
    plans,
    questionnaire,
    survey_period,
    thanh_son,
)
