"""Who may change evidence and the trust store, and in which stage of the period."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import can_edit_as_unit
from parindex.periods.models import DeadlineStage, Period, PeriodStatus
from parindex.periods.permissions import is_chair, periods_visible_to
from parindex.periods.selectors import deadline_passed


def evidence_open_stage(assessment: Assessment, answer: Answer | None) -> str:
    """The stage in which the unit may change evidence now (``self_assessment`` or
    ``explanation``), else :class:`ValidationError` with the reason in Vietnamese."""
    period = assessment.period
    if period.status == PeriodStatus.SELF_ASSESSMENT:
        if deadline_passed(period, assessment.unit_id, DeadlineStage.SELF_ASSESSMENT):
            raise ValidationError("Đã hết hạn tự đánh giá: không thể thay đổi tài liệu kiểm chứng.")
        if assessment.status not in (AssessmentStatus.NOT_STARTED, AssessmentStatus.IN_PROGRESS):
            raise ValidationError(
                "Hồ sơ tự đánh giá đã được gửi: lãnh đạo đơn vị cần rút hồ sơ trước khi "
                "thay đổi tài liệu kiểm chứng."
            )
        return DeadlineStage.SELF_ASSESSMENT
    if period.status == PeriodStatus.EXPLANATION:
        if answer is None or not answer.needs_explanation:
            raise ValidationError(
                "Trong giai đoạn giải trình chỉ được bổ sung tài liệu cho nội dung được "
                "yêu cầu giải trình."
            )
        if deadline_passed(period, assessment.unit_id, DeadlineStage.EXPLANATION):
            raise ValidationError("Đã hết hạn giải trình: không thể thay đổi tài liệu kiểm chứng.")
        return DeadlineStage.EXPLANATION
    raise ValidationError(
        f"Kỳ đánh giá đang ở giai đoạn “{PeriodStatus(period.status).label}”: "
        "không thể thay đổi tài liệu kiểm chứng."
    )


def require_unit_editor(actor: User, assessment: Assessment) -> None:
    """Only the unit's staff and leaders change its evidence."""
    if not can_edit_as_unit(actor, assessment):
        raise PermissionDenied("Chỉ cán bộ của đơn vị được thay đổi tài liệu kiểm chứng.")


def require_chair(actor: User | None, period: Period | None = None) -> None:
    """``actor`` None is the system (a command, a migration); a person must be the chair
    (of ``period``'s jurisdiction when given) or a superuser."""
    if actor is None:
        return
    if not is_chair(actor):
        raise PermissionDenied("Chỉ chủ tịch hội đồng / quản trị hệ thống được thực hiện.")
    if period is not None and not periods_visible_to(actor).filter(pk=period.pk).exists():
        raise PermissionDenied("Kỳ đánh giá không thuộc địa bàn bạn quản lý.")
