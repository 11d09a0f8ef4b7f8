"""The ``before``/``after`` JSON of an audit event in words: "Điểm: 1,5 → 1; Ý kiến: …".

Services store what they changed as plain JSON (field name → value). This module names the
fields in Vietnamese and shows the values the way the screens do (decimal comma, statuses by
their labels, times as "HH:MM dd/mm/yyyy", a criterion's stored value as "7/9", "Đạt").
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from parindex.assessments.models import AssessmentStatus
from parindex.assessments.values import value_text
from parindex.core.formatting import fmt_date, fmt_time, vn_plain
from parindex.periods.models import DeadlineStage, PeriodKind, PeriodStatus

FIELD_LABELS: dict[str, str] = {  # in the order changes are listed
    "value": "Giá trị tự đánh giá",
    "not_applicable": "Không áp dụng",
    "na_justification": "Lý do không áp dụng",
    "explanation": "Thuyết minh",
    "appraisal_round": "Vòng thẩm định",
    "appraised_value": "Giá trị thẩm định",
    "appraised_not_applicable": "Thẩm định: không áp dụng",
    "points": "Điểm",
    "appraisal_comment": "Ý kiến thẩm định",
    "comment": "Ý kiến",
    "needs_explanation": "Cần giải trình",
    "unit_response": "Nội dung giải trình",
    "status": "Trạng thái",
    "submitted_at": "Gửi lúc",
    "explanation_sent_at": "Gửi giải trình lúc",
    "name": "Tên",
    "code": "Mã",
    "year": "Năm",
    "kind": "Loại",
    "level": "Cấp",
    "jurisdiction": "Địa bàn",
    "unit": "Đơn vị",
    "units": "Đơn vị",
    "group": "Nhóm đơn vị",
    "groups": "Nhóm đơn vị",
    "criteria_set": "Bộ tiêu chí",
    "previous": "Kỳ trước",
    "self_assessment_deadline": "Hạn tự đánh giá",
    "appraisal_1_deadline": "Hạn thẩm định vòng 1",
    "explanation_deadline": "Hạn giải trình",
    "appraisal_2_deadline": "Hạn thẩm định vòng 2",
    "deadlines": "Thời hạn",
    "excluded_node_codes": "Chưa đánh giá ở kỳ 6 tháng",
    "node_codes": "Tiêu chí",
    "codes": "Mã",
    "stage": "Giai đoạn",
    "until": "Đến",
    "reason": "Lý do",
    "is_shared": "Dùng chung",
    "is_active": "Đang dùng",
    "archived": "Lưu trữ",
    "one_form_per_device": "Mỗi thiết bị chỉ gửi một phiếu",
    "count": "Số lượng",
    "assessments": "Số hồ sơ",
    "recipients": "Người nhận",
    "emails": "Thư điện tử",
    "to": "Gửi tới",
    "date": "Ngày",
    "read_at": "Đọc lúc",
    "document_number": "Số, ký hiệu văn bản",
    "document_date": "Ngày ban hành",
    "document_issuer": "Cơ quan ban hành",
    "document_title": "Trích yếu",
    "reused_upload": "Tệp tải lên (trùng nội dung)",
    "signer": "Người ký",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "survey_points": "Điểm khảo sát",
    "bonus": "Điểm thưởng",
    "penalty": "Điểm trừ",
    "rating": "Xếp loại",
    "class": "Xếp loại",
}
"""A stored field's name in Vietnamese; a field not listed is shown by its own name."""

HIDDEN_KEYS = frozenset({"version", "answer", "node", "evidence", "period", "permissions"})
"""Bookkeeping fields not shown as a change (row versions, ids the target already names)."""

NUMBER_KEYS = frozenset({"points", "survey_points", "bonus", "penalty"})
"""Fields that hold a decimal number as text ("1.5" → "1,5")."""

VALUE_KEYS = frozenset({"value", "appraised_value"})
"""Fields that hold a criterion's stored value (shown by its rule: "7/9", "Đạt")."""

CHOICE_LABELS: dict[str, str] = {
    **{str(value): str(label) for value, label in AssessmentStatus.choices},
    **{str(value): str(label) for value, label in PeriodStatus.choices},
}
"""Statuses of assessments and periods (their codes do not overlap) by their labels."""

KEY_CHOICES: dict[str, dict[str, str]] = {
    "stage": {str(value): str(label) for value, label in DeadlineStage.choices},
    "kind": {str(value): str(label) for value, label in PeriodKind.choices},
}

EMPTY = "—"
ARROW = "→"
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Change:
    """One field of one event: its name, the value before (``None``: not recorded, as for
    a new object) and after."""

    label: str
    before: str | None
    after: str

    @property
    def text(self) -> str:
        if self.before is None:
            return f"{self.label}: {self.after}"
        return f"{self.label}: {self.before} {ARROW} {self.after}"


def field_label(key: str) -> str:
    return FIELD_LABELS.get(key, key.replace("_", " "))


def value_shown(key: str, value: Any, *, rule_type: str | None = None) -> str:
    """One stored value in words."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if key in VALUE_KEYS:
        try:
            return value_text(value, rule_type)
        except (TypeError, ValueError, InvalidOperation, ArithmeticError):
            return str(value)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if key in NUMBER_KEYS or isinstance(value, (int, float, Decimal)):
        try:
            return vn_plain(str(value))
        except (InvalidOperation, ValueError):
            return str(value)
    if isinstance(value, str):
        return _text(key, value)
    if isinstance(value, dict):
        return "; ".join(
            f"{field_label(str(k))}: {value_shown(str(k), v, rule_type=rule_type)}"
            for k, v in value.items()
        )
    if isinstance(value, (list, tuple)):
        return ", ".join(value_shown(key, item, rule_type=rule_type) for item in value)
    return str(value)


def _text(key: str, value: str) -> str:
    choices = KEY_CHOICES.get(key)
    if choices and value in choices:
        return choices[value]
    if key == "status" and value in CHOICE_LABELS:
        return CHOICE_LABELS[value]
    if _ISO_TIME.fullmatch(value):
        try:
            return fmt_time(datetime.datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    if _ISO_DATE.fullmatch(value):
        try:
            return fmt_date(datetime.date.fromisoformat(value))
        except ValueError:
            return value
    return value


def changes(before: Any, after: Any, *, rule_type: str | None = None) -> list[Change]:
    """What an event changed, field by field in the order of :data:`FIELD_LABELS`: the
    fields whose value differs, or every field of a new (``before`` empty) or removed
    (``after`` empty) object. A field missing from ``before`` was not recorded there
    (``Change.before`` None), which is not the same as empty."""
    if before is None and after is None:
        return []
    if not isinstance(before, (dict, type(None))) or not isinstance(after, (dict, type(None))):
        shown_before = None if before is None else value_shown("", before, rule_type=rule_type)
        return [Change("Giá trị", shown_before, value_shown("", after, rule_type=rule_type))]
    old: dict[str, Any] = before or {}
    new: dict[str, Any] = after or {}
    order = {key: i for i, key in enumerate(FIELD_LABELS)}
    keys = sorted(new.keys() | old.keys(), key=lambda k: (order.get(k, len(order)), k))
    found: list[Change] = []
    for key in keys:
        if key in HIDDEN_KEYS:
            continue
        if key in old and key in new and old[key] == new[key]:
            continue
        label = field_label(key)
        if after is None:  # removed: what it was
            found.append(Change(label, None, value_shown(key, old[key], rule_type=rule_type)))
            continue
        shown_before = (
            value_shown(key, old[key], rule_type=rule_type)
            if before is not None and key in old
            else None
        )
        found.append(
            Change(label, shown_before, value_shown(key, new.get(key), rule_type=rule_type))
        )
    return found


def changes_text(found: list[Change]) -> str:
    """The changes on one line: "Điểm: 1,5 → 1; Ý kiến: Thiếu quyết định"."""
    return "; ".join(change.text for change in found)
