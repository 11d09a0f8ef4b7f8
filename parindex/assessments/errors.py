"""Refusals shared by the unit's and the appraiser's writes: a concurrent edit, a text too long."""

from __future__ import annotations

from parindex.assessments.models import Answer
from parindex.assessments.values import value_text
from parindex.core.formatting import fmt_datetime, person_name


class Conflict(Exception):
    """Someone saved the item after the version the caller saw. ``current`` is the stored
    row (with its value, author and time); the message says who, when and what."""

    def __init__(self, current: Answer, message: str) -> None:
        super().__init__(message)
        self.current = current
        self.message = message


def too_long(label: str, text: str, limit: int) -> str | None:
    """The Vietnamese refusal of a text longer than ``limit`` characters (None if it is
    not): never cut silently, the person shortens it."""
    if len(text) <= limit:
        return None

    def dotted(n: int) -> str:
        return f"{n:,}".replace(",", ".")

    return (
        f"{label} dài {dotted(len(text))} ký tự, tối đa {dotted(limit)} ký tự: hãy rút gọn "
        "rồi lưu lại (chưa lưu gì)."
    )


class AppraisalConflict(Conflict):
    """Someone saved the item since the form was opened; ``current`` is the item as saved
    and the message says who, when and with which appraised value (or explanation)."""

    def __init__(self, current: Answer, *, response: bool = False) -> None:
        name = person_name(current.updated_by)
        when = fmt_datetime(current.updated_at)
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
