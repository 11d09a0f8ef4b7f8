"""JSON API for a unit's self-assessment: read it, save items, submit and withdraw.

Thin adapters over the same chokepoints (:mod:`~parindex.assessments.permissions`) and
services (:mod:`~parindex.assessments.services.self_assessment`) as the pages, so the API can never
do what the screen refuses. Signed-in session (cookie) with the CSRF header for writes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.params.functions import Path
from ninja.security import django_auth
from pydantic import Field

from parindex.accounts.requests import request_user
from parindex.assessments.errors import Conflict
from parindex.assessments.leaves import leaf_points
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.permissions import (
    assessments_visible_to,
    code_within,
    get_assessment_for_user,
    node_codes_visible_to,
)
from parindex.assessments.selectors.screen import evaluation, tree_rows
from parindex.assessments.selectors.state import assessment_node_by_code, self_deadline
from parindex.assessments.services.self_assessment import (
    answer_save,
    assessment_submit,
    assessment_withdraw,
)
from parindex.assessments.values import stored_to_engine
from parindex.core.converters import MAX_ID, Text
from parindex.criteria.models import CriterionNode

router = Router(tags=["Tự đánh giá"], auth=django_auth)
ERRORS = frozenset({400, 422})
READ_ERRORS = frozenset({401, 404, 422})
"""Every operation: 401 without a session, 404 not yours (or a malformed id), 422 a bad
query or body."""


def _assessment_id() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="Mã số phiếu tự đánh giá")


class ErrorOut(Schema):
    detail: str
    errors: list[str] = []


class ItemOut(Schema):
    code: str
    name: str
    max: str
    rule: str
    value: Any = None
    not_applicable: bool
    na_justification: str
    explanation: str
    points: str | None
    version: int


class ConflictOut(Schema):
    detail: str
    current: ItemOut


class AssessmentSummaryOut(Schema):
    id: int
    unit_code: str
    unit_name: str
    period_id: int
    period_name: str
    status: str
    status_label: str
    deadline: datetime.datetime | None


class AssessmentOut(AssessmentSummaryOut):
    points: str
    max: str
    index: str
    items: list[ItemOut]


class ItemIn(Schema):
    value: Any = None
    not_applicable: bool = False
    # Text lengths and NUL characters are the service's (messages name the criterion).
    na_justification: str = ""
    explanation: str = ""
    version: int = Field(0, ge=0, le=MAX_ID)


def _summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "unit_code": assessment.unit.code,
        "unit_name": assessment.unit.name,
        "period_id": assessment.period_id,
        "period_name": assessment.period.name,
        "status": assessment.status,
        "status_label": assessment.get_status_display(),
        "deadline": self_deadline(assessment),
    }


def _item(node: CriterionNode, answer: Answer | None, points: Any, rule: str) -> dict[str, Any]:
    return {
        "code": node.code,
        "name": node.name,
        "max": format(node.max_points.normalize(), "f"),
        "rule": rule,
        "value": answer.self_value if answer else None,
        "not_applicable": bool(answer and answer.self_not_applicable),
        "na_justification": answer.na_justification if answer else "",
        "explanation": answer.explanation if answer else "",
        "points": None if points is None else format(points, "f"),
        "version": answer.version if answer else 0,
    }


@router.get(
    "/assessments",
    response={200: list[AssessmentSummaryOut], 401: ErrorOut},
    summary="Phiếu được xem",
)
def list_assessments(request: HttpRequest) -> list[dict[str, Any]]:
    visible = assessments_visible_to(request.user).order_by("-period__year", "unit__name")
    return [_summary(a) for a in visible[:500]]


@router.get(
    "/assessments/{assessment_id}",
    response={200: AssessmentOut, READ_ERRORS: ErrorOut},
    summary="Một phiếu tự đánh giá với từng tiêu chí và điểm do hệ thống tính",
)
def get_assessment(request: HttpRequest, assessment_id: int = _assessment_id()) -> dict[str, Any]:
    assessment = get_assessment_for_user(request.user, assessment_id)
    codes = node_codes_visible_to(request.user, assessment)  # an appraiser's fields only
    evaluated = evaluation(assessment)  # once: the rows and the totals come from it
    rows = [r for r in tree_rows(evaluated) if code_within(r.node.code, codes)]
    result = evaluated.result
    return {
        **_summary(assessment),
        "points": format(result.points, "f"),
        "max": format(result.max, "f"),
        "index": format(result.index, "f"),
        "items": [_item(r.node, r.answer, r.points, r.rule_text) for r in rows if r.is_leaf],
    }


@router.put(
    "/assessments/{assessment_id}/items/{code}",
    response={
        200: ItemOut,
        409: ConflictOut,
        READ_ERRORS | ERRORS | {403}: ErrorOut,
    },
    summary="Lưu điểm tự đánh giá của một tiêu chí",
)
def save_item(
    request: HttpRequest, code: Text, payload: ItemIn, assessment_id: int = _assessment_id()
) -> Any:
    assessment = get_assessment_for_user(request.user, assessment_id, write=True)
    node = _leaf(assessment, code)
    try:
        answer = answer_save(
            assessment=assessment,
            node=node,
            actor=request_user(request),
            version=payload.version,
            value=payload.value,
            not_applicable=payload.not_applicable,
            na_justification=payload.na_justification,
            explanation=payload.explanation,
        )
    except Conflict as conflict:
        current = conflict.current
        points = _points(node, current)
        return Status(409, {"detail": str(conflict), "current": _item(node, current, points, "")})
    except ValidationError as exc:
        return Status(400, {"detail": "Dữ liệu không hợp lệ.", "errors": exc.messages})
    return Status(200, _item(node, answer, _points(node, answer), ""))


def _leaf(assessment: Assessment, code: str) -> CriterionNode:
    node = assessment_node_by_code(assessment, code)
    if node is None:
        raise Http404("Không có tiêu chí này trong bộ tiêu chí của đơn vị.")
    return node


def _points(node: CriterionNode, answer: Answer) -> Any:
    """The stored answer's points: ``node`` came from :func:`_leaf` (with its set) and was
    saved, so it is a leaf of the unit's set."""
    if answer.self_not_applicable or answer.self_value is None:
        return None
    return leaf_points(node.criteria_set, node, stored_to_engine(answer.self_value))


@router.post(
    "/assessments/{assessment_id}/submit",
    response={200: AssessmentSummaryOut, READ_ERRORS | ERRORS | {403}: ErrorOut},
    summary="Lãnh đạo đơn vị gửi hồ sơ tự đánh giá",
)
def submit(request: HttpRequest, assessment_id: int = _assessment_id()) -> Any:
    return _transition(request, assessment_id, assessment_submit)


@router.post(
    "/assessments/{assessment_id}/withdraw",
    response={200: AssessmentSummaryOut, READ_ERRORS | ERRORS | {403}: ErrorOut},
    summary="Lãnh đạo đơn vị rút hồ sơ (trước hạn)",
)
def withdraw(request: HttpRequest, assessment_id: int = _assessment_id()) -> Any:
    return _transition(request, assessment_id, assessment_withdraw)


def _transition(request: HttpRequest, assessment_id: int, service: Any) -> Any:
    assessment = get_assessment_for_user(request.user, assessment_id, write=True)
    try:
        assessment = service(assessment=assessment, actor=request_user(request))
    except ValidationError as exc:
        return Status(400, {"detail": "Không thực hiện được.", "errors": exc.messages})
    return Status(200, _summary(assessment))
