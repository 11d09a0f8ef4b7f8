"""Who may see and change assessments: the chokepoints every view and API endpoint uses.

* Unit staff and leaders see their own unit's assessments; staff and leaders edit them
  while the self-assessment (or explanation) stage is open for their unit; only leaders
  submit and withdraw.
* Appraisers see the units and fields assigned to them in a period: of those units'
  assessments, only the items (their history and evidence) of the fields or criteria
  they were given (:func:`node_codes_visible_to`); every other item is 404.
* The council chair (administrator) and observers see every assessment of the periods of
  their jurisdiction (their unit's province or district); only the chair changes them.
* Anything else is "not found" (404), never "forbidden": nobody learns that another unit's
  assessment exists. 403 is only for a row the user may read but not change.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment
from parindex.periods.models import AppraiserAssignment, Period
from parindex.periods.permissions import (
    OVERSIGHT_ROLES,
    UNIT_ROLES,
    active_user,
    is_chair,
    periods_visible_to,
)
from parindex.periods.selectors import excluded_node_codes

# The period chokepoints live with periods; the assessment ones below build on them.
_user = active_user


def assessments_visible_to(user: Any) -> QuerySet[Assessment]:
    u = _user(user)
    if u is None:
        return Assessment.objects.none()
    qs = Assessment.objects.select_related("period", "unit")
    if u.is_superuser:
        return qs
    if u.role in OVERSIGHT_ROLES:
        return qs.filter(period__in=periods_visible_to(u))
    if u.role == Role.APPRAISER:
        # The period and the unit must come from the same assignment.
        same_assignment = AppraiserAssignment.objects.filter(
            appraiser=u, period=OuterRef("period"), units=OuterRef("unit")
        )
        return qs.filter(Exists(same_assignment))
    return qs.filter(unit_id=u.unit_id) if u.unit_id is not None else qs.none()


def get_assessment_for_user(user: Any, pk: int, *, write: bool = False) -> Assessment:
    """The assessment if visible, else 404. With ``write``, 403 unless the user works in
    the assessed unit (unit staff or leader); stage and deadline are the services' job."""
    assessment = assessments_visible_to(user).filter(pk=pk).first()
    if assessment is None:
        raise Http404("Không tìm thấy phiếu chấm điểm.")
    if write and not can_edit_as_unit(user, assessment):
        raise PermissionDenied("Bạn chỉ được xem phiếu chấm điểm này.")
    return assessment


def can_edit_as_unit(user: Any, assessment: Assessment) -> bool:
    u = _user(user)
    return u is not None and u.role in UNIT_ROLES and u.unit_id == assessment.unit_id


def can_submit(user: Any, assessment: Assessment) -> bool:
    u = _user(user)
    return u is not None and u.role == Role.UNIT_LEADER and u.unit_id == assessment.unit_id


def assigned_node_codes(user: User, period: Period) -> list[str] | None:
    """The codes an appraiser was given in ``period`` ([] = all), or None if not assigned."""
    assignment = AppraiserAssignment.objects.filter(period=period, appraiser=user).first()
    return None if assignment is None else list(assignment.node_codes)


def answers_appraisable_by(user: Any, period: Period) -> QuerySet[Answer]:
    """The items an appraiser (or the chair) may appraise in ``period``: never one
    "chưa đánh giá ở kỳ 6 tháng" (nor one below such a node)."""
    u = _user(user)
    qs = Answer.objects.filter(assessment__period=period).select_related("assessment__unit", "node")
    left_out = Q()
    for code in sorted(excluded_node_codes(period)):
        left_out |= Q(node__code=code) | Q(node__code__startswith=f"{code}.")
    if left_out:
        qs = qs.exclude(left_out)
    if u is None:
        return qs.none()
    if is_chair(u) and period in periods_visible_to(u):
        return qs
    if u.role != Role.APPRAISER:
        return qs.none()
    assignment = AppraiserAssignment.objects.filter(period=period, appraiser=u).first()
    if assignment is None:
        return qs.none()
    qs = qs.filter(assessment__unit__in=assignment.units.all())
    if assignment.node_codes:
        match = Q()
        for code in assignment.node_codes:
            match |= Q(node__code=code) | Q(node__code__startswith=f"{code}.")
        qs = qs.filter(match)
    return qs


def get_answer_for_appraiser(user: Any, pk: int) -> Answer:
    """An item the user may appraise, else 404."""
    answer = Answer.objects.select_related("assessment__period").filter(pk=pk).first()
    if (
        answer is None
        or not answers_appraisable_by(user, answer.assessment.period).filter(pk=pk).exists()
    ):
        raise Http404("Không tìm thấy nội dung cần thẩm định.")
    return answer


def node_codes_visible_to(user: Any, assessment: Assessment) -> tuple[str, ...] | None:
    """The field/criterion codes of ``assessment`` whose items ``user`` may read, or None
    for all of them. Only an appraiser given some fields is restricted; call it for an
    assessment the user may see (:func:`get_assessment_for_user`)."""
    u = _user(user)
    if u is None or u.is_superuser or u.role != Role.APPRAISER:
        return None
    codes = assigned_node_codes(u, assessment.period)
    return tuple(codes) if codes else None


def code_within(code: str, codes: tuple[str, ...] | None) -> bool:
    """Whether node ``code`` is one of ``codes`` or lies below one (None: everything)."""
    return codes is None or any(code == c or code.startswith(f"{c}.") for c in codes)


def code_on_the_way(code: str, codes: tuple[str, ...] | None) -> bool:
    """Whether node ``code`` is within ``codes`` or above one of them (a field heading an
    appraiser needs to reach the criteria they were given)."""
    return code_within(code, codes) or any(c.startswith(f"{code}.") for c in codes or ())


def require_node_visible(user: Any, assessment: Assessment, code: str) -> None:
    """404 unless ``user`` may read the item ``code`` of ``assessment``."""
    if not code_within(code, node_codes_visible_to(user, assessment)):
        raise Http404("Không tìm thấy tiêu chí trong phiếu chấm điểm này.")


def require_whole_assessment(user: Any, assessment: Assessment) -> None:
    """404 for a reader restricted to some fields (pages that show every item at once)."""
    if node_codes_visible_to(user, assessment) is not None:
        raise Http404("Không tìm thấy trang này.")
