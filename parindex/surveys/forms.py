"""Forms of the council's survey pages. They only parse the request (numbers, the outline,
the uploaded file), with the pages' Vietnamese messages; the services check the rest."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from parindex.core.converters import parse_id
from parindex.surveys.models import Questionnaire
from parindex.surveys.outline import FactorSpec, parse_outline, questionnaire_outline


def _posted(value: Any) -> str:
    """A field's text as posted, unstripped; missing is empty."""
    return "" if value is None else str(value)


class _Field(forms.Field):
    """A field the page may leave out: each kind below reads the posted text itself."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)


class _Text(_Field):
    """Text as posted (the services drop NULs and blanks themselves)."""

    def to_python(self, value: Any) -> str:
        return _posted(value)


class _Checkbox(_Field):
    """A ticked checkbox ("on")."""

    def to_python(self, value: Any) -> bool:
        return _posted(value) == "on"


class _Number(_Field):
    """A decimal number (comma or dot), at most 10,000 either side of zero; ``blank`` when
    left empty."""

    def __init__(self, label: str, *, blank: Decimal | None) -> None:
        super().__init__(label=label)
        self.blank = blank

    def to_python(self, value: Any) -> Decimal | None:
        raw = _posted(value)
        text = raw.strip().replace(",", ".")
        if not text:
            return self.blank
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(f"{self.label}: “{raw[:20]}” không phải số.") from None
        if not number.is_finite() or abs(number) > 10_000:
            raise ValidationError(f"{self.label}: “{raw[:20]}” không hợp lệ.")
        return number


class _Count(_Field):
    """A non-negative integer of at most seven digits."""

    def to_python(self, value: Any) -> int:
        raw = _posted(value)
        text = raw.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 7:
            raise ValidationError(f"{self.label}: “{raw[:20]}” phải là số nguyên không âm.")
        return int(text)


class _Outline(_Field):
    """The factors and questions (:func:`parindex.surveys.outline.parse_outline`)."""

    def to_python(self, value: Any) -> list[FactorSpec]:
        return parse_outline(_posted(value))


class QuestionnaireForm(forms.Form):
    """The questionnaire's editing page. Its fields are checked in this order, so that the
    page lists the problems as before: the outline first, then the numbers."""

    outline = _Outline()
    min_answered_share = _Number("Tỷ lệ câu trả lời tối thiểu", blank=None)
    points_intercept = _Number("Hằng số quy đổi (b)", blank=Decimal(0))
    points_slope = _Number("Hệ số quy đổi (a)", blank=None)
    satisfied_at = _Count(label="Mức hài lòng")
    min_forms = _Count(label="Số phiếu hợp lệ tối thiểu")
    rounding_places = _Count(label="Số chữ số thập phân")
    name = _Text()
    introduction = _Text()
    scale_labels = _Text()
    rounding_mode = _Text()

    def __init__(self, questionnaire: Questionnaire, data: Any = None) -> None:
        super().__init__(data)
        self.questionnaire = questionnaire
        share = self.fields["min_answered_share"]
        assert isinstance(share, _Number)
        share.blank = questionnaire.min_answered_share  # left empty: unchanged

    def update(self) -> dict[str, Any]:
        """The keyword arguments of :func:`parindex.surveys.services.questionnaire_update`
        (but the questionnaire and the actor), once the form is valid."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "introduction": data["introduction"],
            "scale_labels": data["scale_labels"].splitlines(),
            "satisfied_at": data["satisfied_at"],
            "min_answered_share": data["min_answered_share"] or Decimal(0),
            "min_forms": data["min_forms"],
            "points_slope": data["points_slope"],
            "points_intercept": data["points_intercept"] or Decimal(0),
            "rounding_mode": data["rounding_mode"],
            "rounding_places": data["rounding_places"],
            "factors": data["outline"],
        }

    def shown(self) -> dict[str, Any]:
        """What the page shows in each field: what was posted, else the questionnaire's
        current value."""
        return {name: self.data.get(name, value) for name, value in self._current().items()}

    def _current(self) -> dict[str, Any]:
        q = self.questionnaire
        return {
            "name": q.name,
            "introduction": q.introduction,
            "scale_labels": "\n".join(q.scale_labels),
            "satisfied_at": q.satisfied_at,
            "min_answered_share": format(q.min_answered_share.normalize(), "f"),
            "min_forms": q.min_forms,
            "points_slope": ""
            if q.points_slope is None
            else format(q.points_slope.normalize(), "f"),
            "points_intercept": format(q.points_intercept.normalize(), "f"),
            "rounding_mode": q.rounding_mode,
            "rounding_places": q.rounding_places,
            "outline": questionnaire_outline(q),
        }


class UploadForm(forms.Form):
    """The file of forms to import (CSV or Excel; the import service checks its content)."""

    file = forms.FileField(
        widget=forms.FileInput,
        allow_empty_file=True,
        error_messages={"required": "Hãy chọn tệp CSV hoặc Excel để nhập."},
    )


class _Id(_Field):
    """A whole number (:func:`parindex.core.converters.parse_id`), with its own message."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message

    def to_python(self, value: Any) -> int:
        number = parse_id(_posted(value))
        if number is None:
            raise ValidationError(self.message)
        return number


class TokensForm(forms.Form):
    """How many one-time codes to issue for a unit's online form."""

    count = _Id("Số mã cần phát phải là số nguyên dương.")


class PlanForm(forms.Form):
    """One unit's sample plan (the service checks the channel and the number's range)."""

    target_forms = _Id("Số phiếu cần thu phải là số nguyên.")
    surveyed = _Checkbox()
    channel = _Text()
    tokens_required = _Checkbox()


def form_problems(form: forms.Form) -> list[str]:
    """Every message of a form's fields, in the fields' order."""
    return [m for errors in form.errors.as_data().values() for e in errors for m in e.messages]
