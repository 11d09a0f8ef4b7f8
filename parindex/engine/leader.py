"""The head of a unit's responsibility rating (đánh giá trách nhiệm người đứng đầu).

Provinces rate the head of each unit from the unit's published class, sometimes with a
minimum per field on top (Hải Dương: "Hoàn thành xuất sắc nhiệm vụ" needs the class and
every field at or above a percentage). The mapping is a list of rules ordered from the best
rating to the worst; a unit gets the rating of the rule for its class, or, when that rule's
field minimum is not met, of the next rule down whose minimum is met (a demotion, as for
classes). Pure: no Django, no floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from parindex.engine.model import Classification

__all__ = ["LeaderRule", "check_rules", "default_rating", "default_rules", "rate"]

HTXS = "Hoàn thành xuất sắc nhiệm vụ"
HTT = "Hoàn thành tốt nhiệm vụ"
HT = "Hoàn thành nhiệm vụ"
KHT = "Không hoàn thành nhiệm vụ"


@dataclass(frozen=True, slots=True)
class LeaderRule:
    """Units of class ``class_label`` rate their head ``rating`` when every applicable field
    is at or above ``field_min`` percent (None: no minimum)."""

    class_label: str
    rating: str
    field_min: Decimal | None = None


def rate(
    class_label: str | None, field_percents: Iterable[Decimal], rules: Sequence[LeaderRule]
) -> str | None:
    """The head's rating for a unit of ``class_label`` whose applicable fields scored
    ``field_percents`` (exact percentages); None when the class has no rule."""
    start = next((i for i, rule in enumerate(rules) if rule.class_label == class_label), None)
    if start is None:
        return None
    lowest = min(field_percents, default=None)
    for rule in rules[start:]:
        if rule.field_min is None or lowest is None or lowest >= rule.field_min:
            return rule.rating
    return None


def default_rating(class_label: str) -> str:
    """The usual rating of a class label (Xuất sắc → Hoàn thành xuất sắc nhiệm vụ, …)."""
    folded = _fold(class_label)
    if "khong" in folded or "yeu" in folded or "thap" in folded or "kem" in folded:
        return KHT
    if "xuat sac" in folded:
        return HTXS
    if "tot" in folded:
        return HTT
    return HT


def default_rules(classification: Classification | None) -> list[LeaderRule]:
    """One rule per label of ``classification``, best first, with the usual ratings."""
    if classification is None:
        return []
    return [LeaderRule(label, default_rating(label)) for label in classification.labels()]


def check_rules(rules: Sequence[LeaderRule], labels: Sequence[str]) -> list[str]:
    """Problems with ``rules`` for a scheme of class ``labels`` (Vietnamese, one per line)."""
    problems: list[str] = []
    seen: set[str] = set()
    for number, rule in enumerate(rules, start=1):
        where = f"Dòng {number}"
        if not rule.class_label.strip():
            problems.append(f"{where}: thiếu xếp loại.")
        elif rule.class_label in seen:
            problems.append(f"{where}: xếp loại “{rule.class_label}” đã có ở dòng trên.")
        elif labels and rule.class_label not in labels:
            known = ", ".join(f"“{label}”" for label in labels)
            problems.append(
                f"{where}: xếp loại “{rule.class_label}” không có trong bộ tiêu chí ({known})."
            )
        seen.add(rule.class_label)
        if not rule.rating.strip():
            problems.append(f"{where}: thiếu mức đánh giá người đứng đầu.")
        if rule.field_min is not None and not (0 <= rule.field_min <= 100):
            problems.append(f"{where}: tỷ lệ tối thiểu mỗi lĩnh vực phải từ 0 đến 100 (%).")
    return problems


_FOLD = str.maketrans(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    "aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd",
)


def _fold(text: str) -> str:
    return " ".join(text.lower().translate(_FOLD).split())
