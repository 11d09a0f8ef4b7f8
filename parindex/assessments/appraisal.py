"""Appraisal (thẩm định): appraisers' rounds, the units' explanations, finalising a period.

Services (each in one transaction, each change audited before → after):

* :func:`appraisal_save`: an appraiser's value, comment and "cần giải trình" for one item
  in round 1 or 2. A comment is mandatory when the appraised points differ from the
  self-assessed points; a stale ``version`` raises :class:`AppraisalConflict`.
* :func:`appraisal_accept_self`: accept the units' own values for many items at once.
* :func:`explanation_respond`: the unit answers an item marked "cần giải trình".
* :func:`period_finalise`: the chair closes the period; the final values (appraised, else
  self-assessed) become :class:`~parindex.assessments.models.ItemScore` rows, which the
  scoring engine reads.

Selectors for the pages: :func:`appraisal_queue`, :func:`item_timeline`,
:func:`period_dashboard`. Every number of points comes from the engine's leaf scorer
(:func:`parindex.engine.rules.make_scorer`) with the criteria set's rounding.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments.models import (
    Answer,
    AppraisalRecord,
    Assessment,
    AssessmentStatus,
)
from parindex.assessments.permissions import (
    answers_appraisable_by,
    assigned_node_codes,
    can_edit_as_unit,
)
from parindex.assessments.self_assessment import Conflict, too_long
from parindex.assessments.services import FinalScores, InputValue, final_scores_store_many
from parindex.assessments.values import (
    BadValue,
    input_label,
    number_text,
    parse_input,
    value_text,
)
from parindex.assessments.values import read_stored as stored
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import engine_criteria
from parindex.engine.evalfile import num, value_document
from parindex.engine.model import NOT_APPLICABLE, Rounding, Rule, Value
from parindex.engine.rules import Scorer, check_value, make_scorer
from parindex.organizations.models import Unit
from parindex.periods.models import (
    AppraiserAssignment,
    DeadlineExtension,
    DeadlineStage,
    Period,
    PeriodGroup,
    PeriodStatus,
)
from parindex.periods.permissions import is_chair, periods_visible_to
from parindex.periods.selectors import effective_deadline
from parindex.periods.services import period_set_status

ROUND_OF: dict[str, int] = {PeriodStatus.APPRAISAL_1: 1, PeriodStatus.APPRAISAL_2: 2}
"""The appraisal round a period status holds."""

COMMENT_REQUIRED = "Cần ghi ý kiến khi điểm thẩm định khác điểm tự chấm."
MAX_COMMENT = 4_000
"""Longest appraisal comment (ý kiến thẩm định), as the form's field."""
MAX_RESPONSE = 10_000
"""Longest unit response (nội dung giải trình), as a self-assessment explanation."""


class AppraisalConflict(Conflict):
    """Someone saved the item since the form was opened; ``current`` is the item as saved
    and the message says who, when and with which appraised value (or explanation)."""

    def __init__(self, current: Answer, *, response: bool = False) -> None:
        who = current.updated_by
        name = (who.get_full_name() or who.get_username()) if who is not None else "người khác"
        when = timezone.localtime(current.updated_at).strftime("%d/%m/%Y %H:%M")
        if response:
            shown = f"nội dung giải trình “{current.unit_response[:200]}”"
        elif current.appraisal_round:
            value = value_text(
                current.appraised_value,
                current.node.rule_type,
                not_applicable=current.appraised_not_applicable,
            )
            shown = f"giá trị thẩm định vòng {current.appraisal_round} {value}"
        else:
            shown = "thay đổi mới"
        super().__init__(
            current,
            f"Tiêu chí {current.node.code} đã được {name} lưu lúc {when} với {shown}; "
            "hãy xem lại trước khi lưu.",
        )


# --------------------------------------------------------------------------- values and points


@dataclass(frozen=True)
class Leaf:
    """What scoring one node needs: its rule, max and the set's rounding."""

    code: str
    rule: Rule
    max: Decimal
    rounding: Rounding
    is_leaf: bool
    field: str
    """The field (lĩnh vực) the node belongs to: its top-level ancestor's code."""
    ancestors: tuple[str, ...]
    scorer: Scorer | None = None

    def points(self, value: Value | None, not_applicable: bool = False) -> Decimal | None:
        """Rounded points of a valid value; None for not applicable, no value or a parent."""
        if not_applicable or value is None or not self.is_leaf or self.scorer is None:
            return None
        if check_value(self.rule, self.max, value) is not None:
            return None
        return self.scorer(value)


class SetCache:
    """Engine criteria and leaf scorers of the sets a page or service touches."""

    def __init__(self) -> None:
        self._sets: dict[int, engine.CriteriaSet] = {}
        self._leaves: dict[tuple[int, str], Leaf] = {}

    def criteria(self, set_id: int) -> engine.CriteriaSet:
        found = self._sets.get(set_id)
        if found is None:
            found = self._sets[set_id] = engine_criteria(CriteriaSet.objects.get(pk=set_id))
        return found

    def leaf(self, set_id: int, code: str) -> Leaf:
        key = (set_id, code)
        found = self._leaves.get(key)
        if found is not None:
            return found
        criteria = self.criteria(set_id)
        nodes = {node.code: node for node in criteria.nodes}
        parents = {node.parent for node in criteria.nodes if node.parent is not None}
        for node in criteria.nodes:
            chain: list[str] = []
            parent = node.parent
            while parent is not None and parent not in chain:
                chain.append(parent)
                parent = nodes[parent].parent
            is_leaf = node.code not in parents
            rule = node.rule or Rule()
            self._leaves[(set_id, node.code)] = Leaf(
                code=node.code,
                rule=rule,
                max=node.max,
                rounding=criteria.rounding,
                is_leaf=is_leaf,
                field=chain[-1] if chain else node.code,
                ancestors=tuple(chain),
                scorer=make_scorer(rule, node.max, criteria.rounding) if is_leaf else None,
            )
        return self._leaves[key]

    def for_node(self, node: CriterionNode) -> Leaf:
        return self.leaf(node.criteria_set_id, node.code)


def parse_value(raw: Any, leaf: Leaf) -> Value:
    """The engine value of what the appraiser typed or passed, by the same rules as the
    unit's (:func:`parindex.assessments.values.parse_input`); a value is required. Raises
    :class:`ValidationError` with a Vietnamese message naming the criterion."""
    try:
        value = parse_input(raw, leaf.rule, leaf.max)
    except BadValue as bad:
        raise ValidationError(
            bad.message(leaf.code, input_label(leaf.rule.type, appraisal=True))
        ) from None
    if value is None:
        raise ValidationError(f"Tiêu chí {leaf.code}: cần nhập giá trị thẩm định.")
    return value


def self_points(answer: Answer, cache: SetCache | None = None) -> Decimal | None:
    leaf = (cache or SetCache()).for_node(answer.node)
    return leaf.points(stored(answer.self_value), answer.self_not_applicable)


def appraised_points(answer: Answer, cache: SetCache | None = None) -> Decimal | None:
    if answer.appraisal_round == 0:
        return None
    leaf = (cache or SetCache()).for_node(answer.node)
    return leaf.points(stored(answer.appraised_value), answer.appraised_not_applicable)


def points_preview(
    *, answer: Answer, value: Any, not_applicable: bool = False
) -> tuple[Decimal | None, str]:
    """Points an appraised value would give, and the problem with it ("" when valid)."""
    if not_applicable:
        return None, ""
    leaf = SetCache().for_node(answer.node)
    if not leaf.is_leaf:
        return None, ""
    try:
        parsed = parse_value(value, leaf)
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    return leaf.points(parsed), ""


# --------------------------------------------------------------------------- services


def _snapshot(answer: Answer) -> dict[str, Any]:
    return {
        "appraised_value": answer.appraised_value,
        "appraised_not_applicable": answer.appraised_not_applicable,
        "appraisal_round": answer.appraisal_round,
        "appraisal_comment": answer.appraisal_comment,
        "needs_explanation": answer.needs_explanation,
        "version": answer.version,
    }


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
        locked = (
            Answer.objects.select_for_update(of=("self",))
            .select_related("assessment__period", "assessment__unit", "node")
            .get(pk=answer.pk)
        )
        assessment = locked.assessment
        period = assessment.period
        if not answers_appraisable_by(actor, period).filter(pk=locked.pk).exists():
            raise PermissionDenied("Bạn không được phân công thẩm định nội dung này.")
        round_ = _round_for(period)
        if assessment.status == AssessmentStatus.FINAL:
            raise ValidationError("Phiếu chấm điểm của đơn vị đã có kết quả chính thức.")
        if locked.version != version:
            raise AppraisalConflict(locked)

        leaf = SetCache().for_node(locked.node)
        errors: dict[str, list[str]] = {}
        parsed: Value | None = None
        if not_applicable:
            if not locked.node.allow_not_applicable and not locked.self_not_applicable:
                errors.setdefault("not_applicable", []).append(
                    f"Tiêu chí {locked.node.code} không được đánh dấu không áp dụng."
                )
        elif leaf.is_leaf:
            try:
                parsed = parse_value(value, leaf)
            except ValidationError as exc:
                errors.setdefault("value", []).extend(exc.messages)
        elif value not in (None, ""):
            errors.setdefault("value", []).append(
                f"Tiêu chí {locked.node.code} có tiêu chí con: điểm được tính từ tiêu chí con."
            )
        comment = (comment or "").strip()
        if (problem := too_long("Ý kiến thẩm định", comment, MAX_COMMENT)) is not None:
            errors.setdefault("comment", []).append(problem)
        new_points = leaf.points(parsed, not_applicable)
        old_points = leaf.points(stored(locked.self_value), locked.self_not_applicable)
        differs = (new_points, not_applicable) != (old_points, locked.self_not_applicable)
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
        if errors:
            raise ValidationError(errors)

        before = _snapshot(locked)
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
                f"{assessment.unit.name}: {_points_text(new_points, not_applicable)} "
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
            before = _snapshot(row)
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


def can_finalise(period: Period) -> bool:
    """Round 2, or round 1 when no item asks for an explanation."""
    if period.status == PeriodStatus.APPRAISAL_2:
        return True
    return (
        period.status == PeriodStatus.APPRAISAL_1
        and not Answer.objects.filter(
            assessment__period=period, needs_explanation=True, appraisal_round=1
        ).exists()
    )


def period_finalise(
    *, period: Period, actor: User | None, confirm_unappraised: bool = False
) -> Period:
    """Chốt kết quả: store every unit's final values as item scores and close the period.

    The final value of an item is the appraised value when it was appraised, else the
    unit's own value (accepted as is; counted in the audit summary). Items left empty by
    both get no score (the engine counts them as missing: 0 points). Survey points, bonus
    and penalty are kept as they are on the assessment.

    A period in which no item was appraised at all is refused unless
    ``confirm_unappraised`` (the chair ticked :data:`parindex.periods.lifecycle.
    NO_APPRAISAL_CONFIRM`): two clicks must not turn self-assessments into final results.
    """
    from parindex.periods.lifecycle import NO_APPRAISAL_REFUSED

    if actor is not None and (
        not is_chair(actor) or not periods_visible_to(actor).filter(pk=period.pk).exists()
    ):
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị kỳ đánh giá được chốt kết quả.")
    with transaction.atomic():
        locked = Period.objects.select_for_update().get(pk=period.pk)
        if not can_finalise(locked):
            if locked.status == PeriodStatus.APPRAISAL_1:
                message = (
                    "Còn nội dung được yêu cầu giải trình: cần mở giải trình và thẩm định "
                    "vòng 2 trước khi chốt kết quả."
                )
            else:
                message = (
                    f"Không thể chốt kết quả khi kỳ đánh giá đang ở trạng thái "
                    f"“{locked.get_status_display()}”."
                )
            raise ValidationError(message)
        nothing_appraised = (
            Assessment.objects.filter(period=locked).exists()
            and not Answer.objects.filter(assessment__period=locked, appraisal_round__gt=0).exists()
        )
        if nothing_appraised and not confirm_unappraised:
            raise ValidationError({"confirm_unappraised": [NO_APPRAISAL_REFUSED]})

        cache = SetCache()
        bindings = dict(
            PeriodGroup.objects.filter(period=locked).values_list("group_id", "criteria_set_id")
        )
        assessments = list(
            Assessment.objects.filter(period=locked).select_related("unit").order_by("pk")
        )
        values: dict[int, dict[str, InputValue]] = {a.pk: {} for a in assessments}
        origin: dict[tuple[int, str], str] = {}
        """(assessment, code) → "appraised", "self" or "empty" (a leaf nobody scored)."""
        answer_rows = Answer.objects.filter(assessment__period=locked).values_list(
            "assessment_id",
            "assessment__unit__group_id",
            "node__code",
            "self_value",
            "self_not_applicable",
            "appraised_value",
            "appraised_not_applicable",
            "appraisal_round",
        )
        for (
            assessment_id,
            group_id,
            code,
            self_value,
            self_na,
            appraised_value,
            appraised_na,
            round_,
        ) in answer_rows:
            set_id = bindings.get(group_id)
            if set_id is None:
                continue
            if round_ > 0:
                final_value, final_na = appraised_value, appraised_na
            else:
                final_value, final_na = self_value, self_na
            leaf = cache.leaf(set_id, code)
            if final_na:
                values[assessment_id][code] = NOT_APPLICABLE
            elif not leaf.is_leaf:
                continue
            elif (parsed := stored(final_value)) is None:
                origin[(assessment_id, code)] = "empty"
                continue
            else:
                values[assessment_id][code] = parsed
            origin[(assessment_id, code)] = "appraised" if round_ > 0 else "self"
        # A node under a not-applicable one is excluded with it, never scored on its own.
        for assessment in assessments:
            set_id = bindings.get(assessment.unit.group_id) if assessment.unit.group_id else None
            entry = values[assessment.pk]
            if set_id is None:
                continue
            excluded = {code for code, v in entry.items() if v is NOT_APPLICABLE}
            if not excluded:
                continue
            for (assessment_id, code), _how in list(origin.items()):
                if assessment_id == assessment.pk and any(
                    a in excluded for a in cache.leaf(set_id, code).ancestors
                ):
                    entry.pop(code, None)
                    del origin[(assessment_id, code)]
        tally = {"appraised": 0, "self": 0, "empty": 0}
        for how in origin.values():
            tally[how] += 1
        appraised, self_accepted, empty = tally["appraised"], tally["self"], tally["empty"]
        entries = [
            FinalScores(
                unit=a.unit,
                values=values[a.pk],
                survey_points=a.survey_points,
                survey_not_applicable=a.survey_not_applicable,
                bonus=a.bonus,
                penalty=a.penalty,
            )
            for a in assessments
        ]
        final_scores_store_many(
            period=locked,
            entries=entries,
            actor=actor,
            summary=f"Chốt điểm chính thức của {len(entries)} đơn vị ({locked.name})",
        )
        before_counts = _status_counts(locked)
        Assessment.objects.filter(period=locked).update(status=AssessmentStatus.FINAL)
        before_status = locked.status
        period_set_status(period=locked, status=PeriodStatus.FINALISED, actor=actor)
        summary = (
            f"Chốt kết quả {locked.name}: {len(entries)} đơn vị, {appraised} nội dung "
            f"theo điểm thẩm định"
        )
        if self_accepted:
            summary += f", {self_accepted} nội dung chưa thẩm định giữ điểm tự chấm"
        if empty:
            summary += f", {empty} nội dung không có điểm (tính 0 điểm)"
        if nothing_appraised:
            summary += "; chủ tịch xác nhận chốt khi chưa thẩm định nội dung nào"
        record(
            actor=actor,
            action="period.finalised",
            target=locked,
            summary=summary,
            before={"status": before_status, "assessments": before_counts},
            after={
                "status": PeriodStatus.FINALISED,
                "units": len(entries),
                "appraised_items": appraised,
                "self_accepted_items": self_accepted,
                "empty_items": empty,
                "confirmed_unappraised": nothing_appraised,
            },
        )
    period.status = locked.status
    return locked


def _status_counts(period: Period) -> dict[str, int]:
    counts = {s: 0 for s in AssessmentStatus.values}
    for status in Assessment.objects.filter(period=period).values_list("status", flat=True):
        counts[status] += 1
    return counts


def _num(value: Decimal | None) -> str | None:
    return None if value is None else num(value)


# --------------------------------------------------------------------------- selectors

QUEUE_STATUSES: dict[str, tuple[str, str]] = {
    "pending": ("Chưa thẩm định", "text-bg-secondary"),
    "needs_explanation": ("Chờ đơn vị giải trình", "text-bg-danger"),
    "explained": ("Đơn vị đã giải trình", "text-bg-warning"),
    "appraised": ("Đã thẩm định", "text-bg-success"),
}
"""Item statuses in the appraisal queue: key → (label, badge class)."""


def item_status(answer: Answer) -> str:
    if answer.appraisal_round == 0:
        return "pending"
    if answer.needs_explanation and answer.appraisal_round == 1:
        return "explained" if answer.unit_response else "needs_explanation"
    return "appraised"


@dataclass(frozen=True)
class QueueRow:
    """One item of an appraiser's queue."""

    answer: Answer
    unit: Unit
    code: str
    name: str
    field: str
    max: Decimal
    self_points: Decimal | None
    self_not_applicable: bool
    self_text: str
    appraised: bool
    appraised_points: Decimal | None
    appraised_not_applicable: bool
    status: str
    differs: bool

    @property
    def status_label(self) -> str:
        return QUEUE_STATUSES[self.status][0]

    @property
    def status_badge(self) -> str:
        return QUEUE_STATUSES[self.status][1]


def appraisal_periods(user: Any) -> list[Period]:
    """Periods the user appraises (assigned) or chairs, newest first."""
    visible = periods_visible_to(user)
    if is_chair(user):
        return list(visible.order_by("-year", "kind", "name"))
    return list(
        visible.filter(assignments__appraiser=user).distinct().order_by("-year", "kind", "name")
    )


def can_appraise_period(user: Any, period: Period) -> bool:
    """Whether the user has a queue in ``period`` (an assignment, or the chair)."""
    if is_chair(user):
        return periods_visible_to(user).filter(pk=period.pk).exists()
    return (
        isinstance(user, User)
        and user.is_authenticated
        and AppraiserAssignment.objects.filter(period=period, appraiser=user).exists()
    )


def appraisal_queue(
    user: Any,
    period: Period,
    *,
    unit: int | None = None,
    field: str | None = None,
    status: str | None = None,
    differs: bool = False,
) -> list[QueueRow]:
    """The items the user may appraise in ``period``, with the engine's points, filtered by
    unit id, field code, queue status (:data:`QUEUE_STATUSES`) and "differs from the
    self-assessed points" (appraised items whose points or not-applicable differ)."""
    qs = answers_appraisable_by(user, period).select_related("assessment__unit", "node")
    if unit is not None:
        qs = qs.filter(assessment__unit_id=unit)
    if field:
        qs = qs.filter(Q(node__code=field) | Q(node__code__startswith=f"{field}."))
    cache = SetCache()
    rows: list[QueueRow] = []
    for answer in qs.order_by(
        "assessment__unit__position", "assessment__unit__name", "node__position", "pk"
    ):
        leaf = cache.for_node(answer.node)
        if field and leaf.field != field:
            continue
        own = leaf.points(stored(answer.self_value), answer.self_not_applicable)
        done = answer.appraisal_round > 0
        theirs = (
            leaf.points(stored(answer.appraised_value), answer.appraised_not_applicable)
            if done
            else None
        )
        row_differs = done and (
            (theirs, answer.appraised_not_applicable) != (own, answer.self_not_applicable)
        )
        row_status = item_status(answer)
        if status and row_status != status:
            continue
        if differs and not row_differs:
            continue
        rows.append(
            QueueRow(
                answer=answer,
                unit=answer.assessment.unit,
                code=answer.node.code,
                name=answer.node.name,
                field=leaf.field,
                max=leaf.max,
                self_points=own,
                self_not_applicable=answer.self_not_applicable,
                self_text=value_text(
                    answer.self_value,
                    answer.node.rule_type,
                    not_applicable=answer.self_not_applicable,
                ),
                appraised=done,
                appraised_points=theirs,
                appraised_not_applicable=answer.appraised_not_applicable,
                status=row_status,
                differs=row_differs,
            )
        )
    return rows


@dataclass(frozen=True)
class QueueChoices:
    units: list[tuple[int, str]]
    fields: list[tuple[str, str]]


def queue_choices(user: Any, period: Period) -> QueueChoices:
    """The units and fields the user's queue filters offer."""
    units = (
        Unit.objects.filter(
            pk__in=answers_appraisable_by(user, period).values("assessment__unit_id")
        )
        .order_by("position", "name")
        .values_list("pk", "name")
    )
    set_ids = (
        PeriodGroup.objects.filter(period=period)
        .values_list("criteria_set_id", flat=True)
        .distinct()
    )
    codes: list[str] | None = None
    if isinstance(user, User) and not is_chair(user):
        codes = assigned_node_codes(user, period)
    fields: dict[str, str] = {}
    for node_code, node_name in (
        CriterionNode.objects.filter(criteria_set_id__in=list(set_ids), parent__isnull=True)
        .order_by("position")
        .values_list("code", "name")
    ):
        fields.setdefault(node_code, node_name)
    if codes:
        wanted = {c.split(".")[0] for c in codes}
        fields = {c: n for c, n in fields.items() if c in wanted}
    return QueueChoices(units=list(units), fields=list(fields.items()))


@dataclass(frozen=True)
class TimelineEntry:
    """One step of an item's history (tự đánh giá, thẩm định, giải trình)."""

    at: datetime.datetime
    kind: str
    """"self", "appraisal", "response" or "other"."""
    title: str
    actor: str
    value: str = ""
    points: Decimal | None = None
    comment: str = ""
    needs_explanation: bool = False
    round: int = 0


APPRAISAL_ACTIONS = ("answer.appraised", "answer.appraisal_accepted")


def item_timeline(answer: Answer) -> list[TimelineEntry]:
    """Everything that happened to an item, oldest first: the unit's saves (audit trail),
    every appraisal round (appraisal records) and the unit's explanations."""
    entries: list[TimelineEntry] = []
    leaf = SetCache().for_node(answer.node)
    rule_type = answer.node.rule_type
    events = AuditEvent.objects.filter(
        target_type=Answer._meta.label_lower, target_id=str(answer.pk)
    ).exclude(action__in=APPRAISAL_ACTIONS)
    for event in events.select_related("actor").order_by("at", "id"):
        who = _person(event.actor, event.actor_username)
        after = event.after if isinstance(event.after, dict) else {}
        if event.action == "answer.explained":
            entries.append(
                TimelineEntry(
                    at=event.at,
                    kind="response",
                    title="Đơn vị giải trình",
                    actor=who,
                    comment=str(after.get("unit_response", "")),
                )
            )
            continue
        kind = "self" if event.action.startswith("answer.") else "other"
        raw = after.get("self_value", after.get("value"))
        na = bool(after.get("self_not_applicable", after.get("not_applicable", False)))
        has_value = any(
            k in after for k in ("self_value", "value", "self_not_applicable", "not_applicable")
        )
        entries.append(
            TimelineEntry(
                at=event.at,
                kind=kind,
                title=event.summary or "Đơn vị cập nhật",
                actor=who,
                value=value_text(raw, rule_type, not_applicable=na) if has_value else "",
                points=leaf.points(stored(raw), na) if has_value else None,
                comment=str(after.get("explanation", "") or ""),
            )
        )
    for rec in AppraisalRecord.objects.filter(answer=answer).select_related("appraiser"):
        entries.append(
            TimelineEntry(
                at=rec.at,
                kind="appraisal",
                title=f"Thẩm định vòng {rec.round}",
                actor=_person(rec.appraiser, ""),
                value=value_text(rec.value, rule_type, not_applicable=rec.not_applicable),
                points=rec.points,
                comment=rec.comment,
                needs_explanation=rec.needs_explanation,
                round=rec.round,
            )
        )
    entries.sort(key=lambda e: e.at)
    return entries


def _person(user: User | None, fallback: str) -> str:
    if user is None:
        return fallback or "Hệ thống"
    return user.get_full_name() or user.get_username()


def explanation_items(assessment: Assessment) -> list[Answer]:
    """The items of a unit's assessment the appraisers asked it to explain (round 1)."""
    return list(
        Answer.objects.filter(assessment=assessment, needs_explanation=True, appraisal_round__gte=1)
        .select_related("node")
        .order_by("node__position", "pk")
    )


# -- dashboard

STATUS_BADGES: dict[str, tuple[str, str]] = {
    AssessmentStatus.NOT_STARTED: ("text-bg-secondary", "#6c757d"),
    AssessmentStatus.IN_PROGRESS: ("text-bg-info", "#0dcaf0"),
    AssessmentStatus.SUBMITTED: ("text-bg-primary", "#0d6efd"),
    AssessmentStatus.IN_APPRAISAL: ("text-bg-warning", "#ffc107"),
    AssessmentStatus.NEEDS_EXPLANATION: ("text-bg-danger", "#dc3545"),
    AssessmentStatus.FINAL: ("text-bg-success", "#198754"),
}
"""Assessment status → (Bootstrap badge class, chart colour)."""

STAGE_DEADLINES: dict[str, tuple[str, str]] = {
    PeriodStatus.SELF_ASSESSMENT: ("self_assessment_deadline", "Hạn tự đánh giá"),
    PeriodStatus.APPRAISAL_1: ("appraisal_1_deadline", "Hạn thẩm định vòng 1"),
    PeriodStatus.EXPLANATION: ("explanation_deadline", "Hạn giải trình"),
    PeriodStatus.APPRAISAL_2: ("appraisal_2_deadline", "Hạn thẩm định vòng 2"),
}


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int
    badge: str
    color: str


@dataclass(frozen=True)
class UnitProgress:
    unit: Unit
    assessment_id: int
    status: str
    label: str
    badge: str
    items: int
    answered: int
    appraised: int
    needs_explanation: int
    extensions: list[DeadlineExtension]


@dataclass(frozen=True)
class AppraiserProgress:
    appraiser: User
    assigned: int
    appraised: int
    last_at: datetime.datetime | None


@dataclass
class Dashboard:
    period: Period
    counts: list[StatusCount]
    units: list[UnitProgress]
    appraisers: list[AppraiserProgress]
    deadline_label: str | None
    deadline: datetime.datetime | None
    days_left: int | None
    extensions: list[DeadlineExtension] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(c.count for c in self.counts)

    @property
    def overdue_days(self) -> int:
        """Days since the deadline passed (0 when not overdue)."""
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0

    def chart(self) -> dict[str, Any]:
        """Data for the doughnut (json_script)."""
        shown = [c for c in self.counts if c.count]
        return {
            "labels": [c.label for c in shown],
            "values": [c.count for c in shown],
            "colors": [c.color for c in shown],
            "title": "Trạng thái hồ sơ của các đơn vị",
        }


def stage_deadline(period: Period) -> tuple[str | None, datetime.datetime | None]:
    """The current stage's deadline and its label (None outside a stage with one)."""
    found = STAGE_DEADLINES.get(period.status)
    if found is None:
        return None, None
    deadline: datetime.datetime | None = getattr(period, found[0])
    return found[1], deadline


def days_left(
    deadline: datetime.datetime | None, now: datetime.datetime | None = None
) -> int | None:
    """Calendar days from today to the deadline's day (negative when overdue)."""
    if deadline is None:
        return None
    today = timezone.localdate(now or timezone.now())
    return (timezone.localdate(deadline) - today).days


def period_dashboard(period: Period, *, now: datetime.datetime | None = None) -> Dashboard:
    """Units × status, items appraised per appraiser and the days left in the stage."""
    assessments = list(
        Assessment.objects.filter(period=period)
        .select_related("unit")
        .annotate(
            n_items=Count("answers"),
            n_answered=Count(
                "answers",
                filter=Q(answers__self_value__isnull=False) | Q(answers__self_not_applicable=True),
            ),
            n_appraised=Count("answers", filter=Q(answers__appraisal_round__gt=0)),
            n_asked=Count(
                "answers",
                filter=Q(answers__needs_explanation=True, answers__appraisal_round__gte=1),
            ),
        )
        .order_by("unit__position", "unit__name")
    )
    extensions = list(
        DeadlineExtension.objects.filter(period=period)
        .select_related("unit", "granted_by")
        .order_by("unit__name", "stage")
    )
    by_unit: dict[int, list[DeadlineExtension]] = {}
    for extension in extensions:
        by_unit.setdefault(extension.unit_id, []).append(extension)
    counts = {s: 0 for s in AssessmentStatus.values}
    units: list[UnitProgress] = []
    for a in assessments:
        counts[a.status] += 1
        units.append(
            UnitProgress(
                unit=a.unit,
                assessment_id=a.pk,
                status=a.status,
                label=a.get_status_display(),
                badge=STATUS_BADGES[a.status][0],
                items=a.n_items,  # type: ignore[attr-defined]
                answered=a.n_answered,  # type: ignore[attr-defined]
                appraised=a.n_appraised,  # type: ignore[attr-defined]
                needs_explanation=a.n_asked,  # type: ignore[attr-defined]
                extensions=by_unit.get(a.unit_id, []),
            )
        )
    done = {
        row["appraiser"]: (row["n"], row["last"])
        for row in AppraisalRecord.objects.filter(answer__assessment__period=period)
        .values("appraiser")
        .annotate(n=Count("answer", distinct=True), last=Max("at"))
    }
    appraisers: list[AppraiserProgress] = []
    seen: set[int] = set()
    for assignment in (
        AppraiserAssignment.objects.filter(period=period)
        .select_related("appraiser")
        .order_by("appraiser__full_name", "appraiser__username")
    ):
        user = assignment.appraiser
        seen.add(user.pk)
        n, last = done.get(user.pk, (0, None))
        appraisers.append(
            AppraiserProgress(
                appraiser=user,
                assigned=answers_appraisable_by(user, period).count(),
                appraised=n,
                last_at=last,
            )
        )
    others = [pk for pk in done if pk is not None and pk not in seen]
    for user in User.objects.filter(pk__in=others).order_by("full_name", "username"):
        n, last = done[user.pk]
        appraisers.append(AppraiserProgress(appraiser=user, assigned=0, appraised=n, last_at=last))
    label, deadline = stage_deadline(period)
    return Dashboard(
        period=period,
        counts=[
            StatusCount(
                status=status,
                label=str(AssessmentStatus(status).label),
                count=counts[status],
                badge=STATUS_BADGES[status][0],
                color=STATUS_BADGES[status][1],
            )
            for status in AssessmentStatus.values
        ],
        units=units,
        appraisers=appraisers,
        deadline_label=label,
        deadline=deadline,
        days_left=days_left(deadline, now),
        extensions=extensions,
    )


def unit_explanation_assessments(user: Any) -> Sequence[Assessment]:
    """A unit user's assessments in the explanation round (for the appraisal home page)."""
    if not isinstance(user, User) or not user.is_authenticated or user.unit_id is None:
        return []
    return list(
        Assessment.objects.filter(
            unit_id=user.unit_id,
            period__status=PeriodStatus.EXPLANATION,
            status=AssessmentStatus.NEEDS_EXPLANATION,
        ).select_related("period", "unit")
    )
