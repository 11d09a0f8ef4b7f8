"""The one step a period may take next, as the chair's dashboard and the admin offer it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from parindex.accounts.models import User
from parindex.assessments.models import Answer
from parindex.periods.models import (
    Period,
    PeriodStatus,
)
from parindex.season.finalise import period_finalise
from parindex.season.stages import (
    period_open_explanation,
    period_open_self_assessment,
    period_start_appraisal,
    period_start_round_2,
)


@dataclass(frozen=True)
class Step:
    """The next lifecycle step of a period, as the dashboard offers it."""

    key: str
    label: str
    confirm: str
    deadline_label: str | None
    """The deadline the step may set (None: the step sets none)."""
    does: str = ""
    """What the step does and to whom (the confirmation page's first paragraph)."""
    button: str = ""
    """The label of the confirmation page's button."""


STEPS = {
    "open_self_assessment": Step(
        "open_self_assessment",
        "Mở tự đánh giá",
        "Mở tự đánh giá cho tất cả đơn vị?",
        "Hạn tự đánh giá",
        "Tạo phiếu tự đánh giá cho các đơn vị của kỳ đánh giá: cán bộ đơn vị nhập điểm tự "
        "chấm và tài liệu kiểm chứng, lãnh đạo đơn vị gửi hồ sơ trước hạn tự đánh giá. Không "
        "thể đưa kỳ đánh giá về trạng thái chuẩn bị.",
        "Xác nhận mở tự đánh giá",
    ),
    "start_appraisal": Step(
        "start_appraisal",
        "Bắt đầu thẩm định vòng 1",
        "Khóa hồ sơ tự đánh giá của tất cả đơn vị và bắt đầu thẩm định vòng 1?",
        "Hạn thẩm định vòng 1",
        "Khóa hồ sơ tự đánh giá của tất cả đơn vị, kể cả đơn vị chưa gửi (khóa theo nội dung "
        "đã nhập): đơn vị không sửa được điểm tự chấm nữa. Các thành viên hội đồng bắt đầu "
        "thẩm định vòng 1 các nội dung được phân công.",
        "Xác nhận bắt đầu thẩm định vòng 1",
    ),
    "open_explanation": Step(
        "open_explanation",
        "Mở giải trình",
        "Mở giải trình cho các đơn vị có nội dung cần giải trình?",
        "Hạn giải trình",
        "Các đơn vị có nội dung cần giải trình xem ý kiến thẩm định và gửi giải trình trước "
        "hạn giải trình; các nội dung khác giữ kết quả thẩm định vòng 1.",
        "Xác nhận mở giải trình",
    ),
    "start_round_2": Step(
        "start_round_2",
        "Thẩm định vòng 2",
        "Đóng giải trình và bắt đầu thẩm định vòng 2?",
        "Hạn thẩm định vòng 2",
        "Đóng giải trình: đơn vị không gửi thêm giải trình được. Các thành viên hội đồng thẩm "
        "định vòng 2 các nội dung đã yêu cầu giải trình.",
        "Xác nhận đóng giải trình và thẩm định vòng 2",
    ),
    "finalise": Step(
        "finalise",
        "Chốt kết quả",
        "Chốt kết quả kỳ đánh giá? Sau khi chốt, điểm không thể thay đổi.",
        None,
        "Chốt điểm chính thức của mọi đơn vị: nội dung đã thẩm định lấy điểm thẩm định, nội "
        "dung chưa thẩm định giữ điểm tự chấm, nội dung không có điểm được 0 điểm. Sau khi "
        "chốt, điểm không thể thay đổi; kết quả chỉ công khai khi hội đồng công bố.",
        "Xác nhận chốt kết quả",
    ),
}


DEADLINE_FIELDS = {
    "open_self_assessment": "self_assessment_deadline",
    "start_appraisal": "appraisal_1_deadline",
    "open_explanation": "explanation_deadline",
    "start_round_2": "appraisal_2_deadline",
}
"""The period's field each step's deadline goes to."""


def step_deadline(period: Period, step: Step) -> datetime.datetime | None:
    """The deadline already stored for what ``step`` opens (None: not set)."""
    field = DEADLINE_FIELDS.get(step.key)
    deadline: datetime.datetime | None = getattr(period, field) if field else None
    return deadline


def next_step(period: Period) -> Step | None:
    """The one step the period may take now (appraisal round 1 without any item that needs
    explanation goes straight to finalising)."""
    status = period.status
    if status == PeriodStatus.PREPARED:
        return STEPS["open_self_assessment"]
    if status == PeriodStatus.SELF_ASSESSMENT:
        return STEPS["start_appraisal"]
    if status == PeriodStatus.APPRAISAL_1:
        asked = Answer.objects.filter(
            assessment__period=period, needs_explanation=True, appraisal_round=1
        ).exists()
        return STEPS["open_explanation"] if asked else STEPS["finalise"]
    if status == PeriodStatus.EXPLANATION:
        return STEPS["start_round_2"]
    if status == PeriodStatus.APPRAISAL_2:
        return STEPS["finalise"]
    return None


def period_advance(
    *,
    period: Period,
    actor: User | None,
    deadline: datetime.datetime | None = None,
    confirm_unappraised: bool = False,
) -> Period:
    """Take :func:`next_step` (the admin action and the dashboard buttons)."""
    step = next_step(period)
    if step is None:
        raise ValidationError(f"Kỳ đánh giá {period.name} đã ở trạng thái cuối.")
    return run_step(
        period=period,
        step=step.key,
        actor=actor,
        deadline=deadline,
        confirm_unappraised=confirm_unappraised,
    )


def run_step(
    *,
    period: Period,
    step: str,
    actor: User | None,
    deadline: datetime.datetime | None = None,
    confirm_unappraised: bool = False,
) -> Period:
    """Run the lifecycle step named ``step`` (see :data:`STEPS`). Finalising a period in
    which no item was appraised needs ``confirm_unappraised`` (the chair's explicit
    confirmation, :data:`NO_APPRAISAL_CONFIRM`)."""
    if step == "open_self_assessment":
        return period_open_self_assessment(period=period, actor=actor, deadline=deadline)
    if step == "start_appraisal":
        return period_start_appraisal(period=period, actor=actor, deadline=deadline)
    if step == "open_explanation":
        return period_open_explanation(period=period, actor=actor, deadline=deadline)
    if step == "start_round_2":
        return period_start_round_2(period=period, actor=actor, deadline=deadline)
    if step == "finalise":
        return period_finalise(period=period, actor=actor, confirm_unappraised=confirm_unappraised)
    raise ValidationError(f"Bước {step!r} không hợp lệ.")
