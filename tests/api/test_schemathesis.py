"""Property-based run of the whole API against its own OpenAPI schema (schemathesis).

Every operation gets a fixed, deterministic budget of generated requests (valid and
invalid: huge and negative integers, odd strings, wrong types, broken bodies), sent through
the WSGI application as unit A's signed-in leader (session cookie and CSRF header), so the
authenticated operations are exercised too. Path parameters are either generated or, as
often as Hypothesis chooses, the world's real ids and codes, so requests reach real
objects and not only 404s. Checks: no 5xx, the status code and the response body are
those the schema declares.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import ApiWorld

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# Loaded when the module is collected (the schema endpoint reads no database); requests go
# to the same WSGI application. schemathesis' lazy ``from_fixture`` does not work with
# pytest 9 (it sets ``Function._nodeid``), hence the world's ids through REAL below.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
REAL: dict[str, list[Any]] = {}
"""The current test's world: path parameter → real values (see :func:`real_ids`)."""


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    """Each path parameter: the generated value or one of the world's real ones."""
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            key: st.sampled_from([*REAL.get(key, []), value])
            for key, value in path_parameters.items()
        }
    )


@pytest.fixture
def real_ids(api_world: ApiWorld) -> Iterator[ApiWorld]:
    # A WSGI server's request_finished closes the database connection; here it holds the
    # test's transaction (Django's own test client disconnects it the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    REAL.update(
        period_id=[api_world.published_period],
        group_code=[api_world.group_code],
        unit_code=list(api_world.unit_codes),
        assessment_id=[api_world.assessment, api_world.other_assessment],
        code=list(api_world.codes),
    )
    try:
        yield api_world
    finally:
        REAL.clear()
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema_and_never_fails(case: Any, real_ids: ApiWorld) -> None:
    case.call_and_validate(
        headers={"X-CSRFToken": real_ids.csrf}, cookies=real_ids.cookies(), checks=CHECKS
    )
