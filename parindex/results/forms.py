"""Forms of the council's results pages. They only parse the request: the services check
the decision (number, date, signer, reason for a correction) and the leader rating rules,
and their Vietnamese messages are shown next to the fields."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from parindex.engine.leader import HT, HTT, HTXS, KHT, LeaderRule
from parindex.results.services import Decision

RATINGS = (HTXS, HTT, HT, KHT)
"""The usual ratings of a unit's head, offered as suggestions."""

EXTRA_RULE_ROWS = 3
MAX_RULE_ROWS = 50
MAX_TEXT = 100
"""Longest class label or rating (the columns of :class:`LeaderRatingRule`)."""


class PublishForm(forms.Form):
    """The decision that publishes the draft (quyết định công bố kết quả)."""

    decision_number = forms.CharField(
        label="Số quyết định",
        required=False,
        max_length=100,
        help_text="Ví dụ: 125/QĐ-UBND.",
    )
    decision_date = forms.DateField(
        label="Ngày ký",
        required=False,
        help_text="Ngày/tháng/năm, ví dụ 01/03/2025.",
        error_messages={
            "invalid": "Ngày ký không hợp lệ: nhập theo dạng ngày/tháng/năm (dd/mm/yyyy)."
        },
    )
    signer_name = forms.CharField(label="Người ký", required=False, max_length=200)
    signer_title = forms.CharField(
        label="Chức vụ", required=False, max_length=200, help_text="Ví dụ: Chủ tịch UBND tỉnh."
    )
    reason = forms.CharField(
        label="Lý do đính chính",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm = forms.BooleanField(
        label=(
            "Tôi xác nhận công bố: kết quả công bố là chính thức và không sửa được; "
            "muốn thay đổi phải đính chính bằng một phiên bản mới."
        ),
        required=True,
        error_messages={"required": "Đánh dấu ô xác nhận trước khi công bố."},
    )

    def __init__(
        self,
        *args: Any,
        current_number: int | None = None,
        reviewing: bool = False,
        **kwargs: Any,
    ) -> None:
        """``reviewing``: the decision as typed, before the confirmation page (the box is
        ticked on that page, not before)."""
        super().__init__(*args, **kwargs)
        self.correcting = current_number is not None
        if reviewing:
            self.fields["confirm"].required = False
        reason = self.fields["reason"]
        if self.correcting:
            reason.help_text = (
                f"Bắt buộc: kỳ này đã công bố phiên bản {current_number}. Công bố lần này là "
                f"đính chính; phiên bản {current_number} chuyển sang “đã được đính chính” và "
                "vẫn được công khai cùng lý do này."
            )
        else:
            reason.help_text = "Chỉ cần khi đính chính một phiên bản đã công bố."
        for name, field in self.fields.items():
            css = "form-check-input" if name == "confirm" else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["decision_date"].widget.attrs.update(
            {"placeholder": "dd/mm/yyyy", "inputmode": "numeric", "autocomplete": "off"}
        )

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"

    def decision(self) -> Decision:
        data = self.cleaned_data
        return Decision(
            number=data.get("decision_number") or "",
            date=data.get("decision_date"),
            signer_name=data.get("signer_name") or "",
            signer_title=data.get("signer_title") or "",
            reason=data.get("reason") or "",
        )

    def add_service_errors(self, error: ValidationError) -> None:
        """The service's messages next to their fields (the rest above the form)."""
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


# --------------------------------------------------------------------------- leader rules


@dataclass(frozen=True)
class RuleLine:
    """One line of the leader rules table as typed (re-shown when refused)."""

    class_label: str = ""
    rating: str = ""
    field_min: str = ""

    @property
    def blank(self) -> bool:
        return not (self.class_label.strip() or self.rating.strip() or self.field_min.strip())


@dataclass(frozen=True)
class ParsedRules:
    lines: list[RuleLine]
    rules: list[LeaderRule]
    problems: list[str]


def rule_lines(rules: Sequence[LeaderRule]) -> list[RuleLine]:
    """The table's lines for stored (or default) rules."""
    return [
        RuleLine(
            rule.class_label,
            rule.rating,
            "" if rule.field_min is None else _show_percent(rule.field_min),
        )
        for rule in rules
    ]


def padded(lines: Sequence[RuleLine], labels: Sequence[str]) -> list[RuleLine]:
    """``lines`` with empty lines to add rules: at least one per class label, plus a few."""
    count = max(len(lines) + EXTRA_RULE_ROWS, len(labels))
    return [*lines, *[RuleLine() for _ in range(count - len(lines))]]


def parse_leader_rules(data: QueryDict) -> ParsedRules:
    """The rules typed in the table, in order (best rating first); empty lines are
    dropped, so "Dòng n" of every message is the n-th rule shown after the page reloads."""
    labels = data.getlist("class_label")[:MAX_RULE_ROWS]
    ratings = data.getlist("rating")[:MAX_RULE_ROWS]
    minima = data.getlist("field_min")[:MAX_RULE_ROWS]
    size = max(len(labels), len(ratings), len(minima))

    def at(values: list[str], i: int) -> str:
        return values[i].replace("\x00", "")[:200] if i < len(values) else ""

    lines = [RuleLine(at(labels, i), at(ratings, i), at(minima, i)) for i in range(size)]
    lines = [line for line in lines if not line.blank]
    rules: list[LeaderRule] = []
    problems: list[str] = []
    for number, line in enumerate(lines, start=1):
        if len(line.class_label.strip()) > MAX_TEXT:
            problems.append(f"Dòng {number}: xếp loại dài quá {MAX_TEXT} ký tự.")
        if len(line.rating.strip()) > MAX_TEXT:
            problems.append(f"Dòng {number}: mức đánh giá người đứng đầu dài quá {MAX_TEXT} ký tự.")
        field_min: Decimal | None = None
        text = line.field_min.strip().replace(",", ".").rstrip("%").strip()
        if text:
            try:
                field_min = Decimal(text)
            except InvalidOperation:
                problems.append(
                    f"Dòng {number}: tỷ lệ tối thiểu mỗi lĩnh vực “{line.field_min}” không phải số."
                )
            else:
                exponent = field_min.as_tuple().exponent
                if not field_min.is_finite() or (isinstance(exponent, int) and exponent < -2):
                    problems.append(
                        f"Dòng {number}: tỷ lệ tối thiểu mỗi lĩnh vực “{line.field_min}” chỉ được "
                        "có tối đa 2 chữ số thập phân."
                    )
                    field_min = None
        rules.append(LeaderRule(line.class_label.strip(), line.rating.strip(), field_min))
    return ParsedRules(lines, rules, problems)


def _show_percent(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")
