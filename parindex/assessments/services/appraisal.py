"""The appraisers' writes (thẩm định): an item's appraised value and comment in a round,
accepting the self-assessed scores, and the unit's answer to a request for explanation."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.errors import AppraisalConflict, too_long
from parindex.assessments.leaves import Leaf, SetCache, parse_appraised
from parindex.assessments.models import (
    Answer,
    AppraisalRecord,
    AssessmentStatus,
)
from parindex.assessments.permissions import (
    answers_appraisable_by,
    can_edit_as_unit,
)
from parindex.assessments.values import (
    number_text,
)
from parindex.assessments.values import read_stored as stored
from parindex.audit.services import record
from parindex.engine.evalfile import num, value_document
from parindex.engine.model import Value
from parindex.engine.rules import check_value
from parindex.periods.models import (
    DeadlineStage,
    Period,
    PeriodStatus,
)
from parindex.periods.selectors import effective_deadline

ROUND_OF: dict[str, int] = {PeriodStatus.APPRAISAL_1: 1, PeriodStatus.APPRAISAL_2: 2}
"""The appraisal round a period status holds."""


COMMENT_REQUIRED = "Cần ghi ý kiến khi điểm thẩm định khác điểm tự chấm."


MAX_COMMENT = 4_000
"""Longest appraisal comment (ý kiến thẩm định), as the form's field."""


MAX_RESPONSE = 10_000
"""Longest unit response (nội dung giải trình), as a self-assessment explanation."""


def _snapshot(answer: Answer) -> dict[str, Any]:
    return {
        "appraised_value": answer.appraised_value,
        "appraised_not_applicable": answer.appraised_not_applicable,
        "appraisal_round": answer.appraisal_round,
        "appraisal_comment": answer.appraisal_comment,
        "needs_explanation": answer.needs_explanation,
        "version": answer.version,
    }


def _points_before(answer: Answer, leaf: Leaf) -> str | None:
    """The item's points before this decision, for the trail's "before": the last appraisal's
    when there was one, else the unit's own."""
    if answer.appraisal_round:
        points = leaf.points(stored(answer.appraised_value), answer.appraised_not_applicable)
    else:
        points = leaf.points(stored(answer.self_value), answer.self_not_applicable)
    return _num(points)


def _points_text(points: Decimal | None, not_applicable: bool) -> str:
    if not_applicable:
        return "không áp dụng"
    return "—" if points is None else f"{number_text(points)} điểm"


def _round_for(period: Period) -> int:
    round_ = ROUND_OF.get(period.status)
    if round_ is None:
        raise ValidationError(
            f"Kỳ đánh giá {period.name} đang ở trạng thái “{period.get_status_display()}”: "
            "không trong thời gian thẩm định."
        )
    return round_


def _lock_for_appraisal(answer: Answer, actor: User, version: int) -> tuple[Answer, int]:
    """The item locked for this transaction and the round it is appraised in, once it is
    known to be the actor's, not final and not changed since ``version``."""
    locked = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("assessment__period", "assessment__unit", "node")
        .get(pk=answer.pk)
    )
    assessment = locked.assessment
    if not answers_appraisable_by(actor, assessment.period).filter(pk=locked.pk).exists():
        raise PermissionDenied("Bạn không được phân công thẩm định nội dung này.")
    round_ = _round_for(assessment.period)
    if assessment.status == AssessmentStatus.FINAL:
        raise ValidationError("Phiếu chấm điểm của đơn vị đã có kết quả chính thức.")
    if locked.version != version:
        raise AppraisalConflict(locked)
    return locked, round_


def _appraised_value(
    locked: Answer, leaf: Leaf, value: Any, not_applicable: bool, errors: dict[str, list[str]]
) -> Value | None:
    """The engine value of what the appraiser typed (None: not applicable or a parent)."""
    code = locked.node.code
    if not_applicable:
        if not locked.node.allow_not_applicable and not locked.self_not_applicable:
            errors.setdefault("not_applicable", []).append(
                f"Tiêu chí {code} không được đánh dấu không áp dụng."
            )
    elif leaf.is_leaf:
        try:
            return parse_appraised(value, leaf)
        except ValidationError as exc:
            errors.setdefault("value", []).extend(exc.messages)
    elif value not in (None, ""):
        errors.setdefault("value", []).append(
            f"Tiêu chí {code} có tiêu chí con: điểm được tính từ tiêu chí con."
        )
    return None


def _check_comment(
    comment: str,
    *,
    differs: bool,
    needs_explanation: bool,
    round_: int,
    errors: dict[str, list[str]],
) -> None:
    """A comment is needed when the points differ and when an explanation is asked for."""
    if (problem := too_long("Ý kiến thẩm định", comment, MAX_COMMENT)) is not None:
        errors.setdefault("comment", []).append(problem)
    if "value" not in errors and differs and not comment:
        errors.setdefault("comment", []).append(COMMENT_REQUIRED)
    if needs_explanation:
        if round_ != 1:
            errors.setdefault("needs_explanation", []).append(
                "Chỉ yêu cầu giải trình ở thẩm định vòng 1."
            )
        elif not comment:
            errors.setdefault("comment", []).append(
                "Cần ghi ý kiến (nội dung đơn vị cần giải trình) khi yêu cầu giải trình."
            )


def appraisal_save(
    *,
    answer: Answer,
    actor: User,
    version: int,
    value: Any,
    not_applicable: bool = False,
    comment: str = "",
    needs_explanation: bool = False,
) -> Answer:
    """Record an appraiser's decision on one item in the period's current round.

    Raises :class:`PermissionDenied` when the item is not the actor's,
    :class:`AppraisalConflict` when ``version`` is stale, and :class:`ValidationError`
    (messages keyed by form field) for a bad value, a missing comment when the points
    differ from the self-assessed points, or "cần giải trình" outside round 1.
    """
    with transaction.atomic():
        locked, round_ = _lock_for_appraisal(answer, actor, version)
        leaf = SetCache().for_node(locked.node)
        errors: dict[str, list[str]] = {}
        parsed = _appraised_value(locked, leaf, value, not_applicable, errors)
        comment = (comment or "").strip()
        new_points = leaf.points(parsed, not_applicable)
        old_points = leaf.points(stored(locked.self_value), locked.self_not_applicable)
        differs = (new_points, not_applicable) != (old_points, locked.self_not_applicable)
        _check_comment(
            comment,
            differs=differs,
            needs_explanation=needs_explanation,
            round_=round_,
            errors=errors,
        )
        if errors:
            raise ValidationError(errors)

        before = {**_snapshot(locked), "points": _points_before(locked, leaf)}
        locked.appraised_value = value_document(parsed) if parsed is not None else None
        locked.appraised_not_applicable = not_applicable
        locked.appraisal_round = round_
        locked.appraisal_comment = comment
        if round_ == 1:
            locked.needs_explanation = needs_explanation
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        AppraisalRecord.objects.create(
            answer=locked,
            round=round_,
            value=locked.appraised_value,
            not_applicable=not_applicable,
            points=new_points,
            comment=comment,
            needs_explanation=needs_explanation and round_ == 1,
            appraiser=actor,
        )
        record(
            actor=actor,
            action="answer.appraised",
            target=locked,
            summary=(
                f"Thẩm định vòng {round_} tiêu chí {locked.node.code} của "
                f"{locked.assessment.unit.name}: {_points_text(new_points, not_applicable)} "
                f"(tự chấm: {_points_text(old_points, locked.self_not_applicable)})"
                + ("; yêu cầu giải trình" if locked.needs_explanation and round_ == 1 else "")
            ),
            before=before,
            after={**_snapshot(locked), "points": _num(new_points)},
        )
    return locked


def appraisal_accept_self(*, answers: Iterable[Answer], actor: User) -> int:
    """Accept the self-assessed values of many items as the appraised values (bulk).

    Items already appraised in the current round, and items the unit left empty, are
    skipped. Returns how many were accepted. Every item must be the actor's to appraise.
    """
    ids = sorted({a.pk for a in answers})
    if not ids:
        return 0
    accepted = 0
    with transaction.atomic():
        rows = list(
            Answer.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("assessment__period", "assessment__unit", "node")
            .order_by("pk")
        )
        periods = {row.assessment.period_id for row in rows}
        if len(periods) != 1 or len(rows) != len(ids):
            raise ValidationError("Các nội dung được chọn phải thuộc cùng một kỳ đánh giá.")
        period = rows[0].assessment.period
        round_ = _round_for(period)
        allowed = set(
            answers_appraisable_by(actor, period).filter(pk__in=ids).values_list("pk", flat=True)
        )
        if allowed != set(ids):
            raise PermissionDenied("Có nội dung bạn không được phân công thẩm định.")
        cache = SetCache()
        for row in rows:
            if row.appraisal_round == round_ or row.assessment.status == AssessmentStatus.FINAL:
                continue
            leaf = cache.for_node(row.node)
            value = stored(row.self_value)
            if row.self_not_applicable:
                value = None
            elif (
                not leaf.is_leaf
                or value is None
                or check_value(leaf.rule, leaf.max, value) is not None
            ):
                continue
            points = leaf.points(value, row.self_not_applicable)
            before = {**_snapshot(row), "points": _points_before(row, leaf)}
            row.appraised_value = value_document(value) if value is not None else None
            row.appraised_not_applicable = row.self_not_applicable
            row.appraisal_round = round_
            row.appraisal_comment = ""
            if round_ == 1:
                row.needs_explanation = False
            row.version += 1
            row.updated_by = actor
            row.save()
            AppraisalRecord.objects.create(
                answer=row,
                round=round_,
                value=row.appraised_value,
                not_applicable=row.appraised_not_applicable,
                points=points,
                comment="",
                needs_explanation=False,
                appraiser=actor,
            )
            record(
                actor=actor,
                action="answer.appraisal_accepted",
                target=row,
                summary=(
                    f"Chấp nhận điểm tự chấm (vòng {round_}) tiêu chí {row.node.code} của "
                    f"{row.assessment.unit.name}: "
                    f"{_points_text(points, row.appraised_not_applicable)}"
                ),
                before=before,
                after={**_snapshot(row), "points": _num(points)},
            )
            accepted += 1
    return accepted


def explanation_respond(*, answer: Answer, actor: User, version: int, response: str) -> Answer:
    """The unit's answer (giải trình) to an item the appraisers marked "cần giải trình".

    Unit staff or leaders of the unit, while the period is in the explanation round and
    before the unit's explanation deadline (its extension, else the period's).
    """
    with transaction.atomic():
        locked = (
            Answer.objects.select_for_update(of=("self",))
            .select_related("assessment__period", "assessment__unit", "node")
            .get(pk=answer.pk)
        )
        assessment = locked.assessment
        period = assessment.period
        if not can_edit_as_unit(actor, assessment):
            raise PermissionDenied("Chỉ cán bộ, lãnh đạo của đơn vị được giải trình.")
        if period.status != PeriodStatus.EXPLANATION:
            raise ValidationError(
                f"Kỳ đánh giá {period.name} đang ở trạng thái “{period.get_status_display()}”: "
                "không trong thời gian giải trình."
            )
        deadline = effective_deadline(period, assessment.unit_id, DeadlineStage.EXPLANATION)
        if deadline is not None and timezone.now() > deadline:
            raise ValidationError(
                f"Đã hết hạn giải trình ({timezone.localtime(deadline):%d/%m/%Y %H:%M})."
            )
        if assessment.status != AssessmentStatus.NEEDS_EXPLANATION:
            raise ValidationError("Hồ sơ giải trình của đơn vị đã khóa.")
        if assessment.explanation_sent_at is not None:
            raise ValidationError(
                "Đơn vị đã gửi giải trình: lãnh đạo đơn vị rút lại giải trình để sửa."
            )
        if not (locked.needs_explanation and locked.appraisal_round == 1):
            raise ValidationError("Nội dung này không được yêu cầu giải trình.")
        if locked.version != version:
            raise AppraisalConflict(locked, response=True)
        response = (response or "").replace("\x00", "").strip()
        if not response:
            raise ValidationError({"response": ["Cần nhập nội dung giải trình."]})
        if (problem := too_long("Nội dung giải trình", response, MAX_RESPONSE)) is not None:
            raise ValidationError({"response": [problem]})
        before = {"unit_response": locked.unit_response, "version": locked.version}
        locked.unit_response = response
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        record(
            actor=actor,
            action="answer.explained",
            target=locked,
            summary=f"{assessment.unit.name} giải trình tiêu chí {locked.node.code}",
            before=before,
            after={"unit_response": response, "version": locked.version},
        )
    return locked


def _num(value: Decimal | None) -> str | None:
    return None if value is None else num(value)
