"""Guards of the criteria writes against doing the same thing twice: an identical set
imported again, a set copied twice into the same year. And the issuing unit a workbook
names, resolved to a unit."""

from __future__ import annotations

import re
from typing import Any

from parindex.core.text import fold
from parindex.criteria.models import CriteriaSet
from parindex.criteria.selectors import criteria_set_document
from parindex.criteria.xlsx.places import ParsedWorkbook, where
from parindex.engine import InputError
from parindex.organizations.models import Unit


class DuplicateCriteriaSet(InputError):
    """The imported set is identical to ``existing`` (name, issuing unit, level, year and
    content): nothing is stored; the page links to the existing set."""

    def __init__(self, existing: CriteriaSet) -> None:
        self.existing = existing
        super().__init__(
            [
                f"đã có bộ tiêu chí giống hệt tệp này: «{existing.name}» (năm {existing.year}, "
                f"phiên bản {existing.version}); không nhập lại. Nếu cần một bộ mới, hãy sửa "
                "tên hoặc nội dung trong tệp rồi nhập lại."
            ]
        )


def _comparable(criteria_set: CriteriaSet) -> dict[str, Any]:
    document = criteria_set_document(criteria_set)
    document["criteria_set"]["metadata"].pop("version", None)
    return document


def identical_set(criteria_set: CriteriaSet) -> CriteriaSet | None:
    """An older, not archived set with the same name, issuing unit, level, year and content."""
    candidates = (
        CriteriaSet.objects.active()
        .filter(
            name=criteria_set.name,
            jurisdiction=criteria_set.jurisdiction,
            level=criteria_set.level,
            year=criteria_set.year,
        )
        .exclude(pk=criteria_set.pk)
        .order_by("version")
    )
    if not candidates:
        return None
    new = _comparable(criteria_set)
    return next((c for c in candidates if _comparable(c) == new), None)


def refuse_second_copy(source: CriteriaSet, year: int, into: Unit | None) -> None:
    """A set is copied once into a year and unit (two clicks made two sets)."""
    earlier = (
        CriteriaSet.objects.active()
        .filter(cloned_from=source, year=year, jurisdiction=into)
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        raise SecondCopy(earlier)


class SecondCopy(InputError):
    """``source`` was already copied into that year: ``existing`` is the copy."""

    def __init__(self, existing: CriteriaSet) -> None:
        self.existing = existing
        super().__init__(
            [
                f"bộ tiêu chí này đã được sao chép sang năm {existing.year}: «{existing.name}» "
                f"(phiên bản {existing.version}); không tạo thêm bản sao"
            ]
        )


_CODE_IN_PARENS = re.compile(r"\(([^()]+)\)\s*$")


def unit_named(text: str) -> Unit | None:
    """The unit a workbook's «Đơn vị ban hành» names: by the code in parentheses, the code
    alone, or the name (letter case and diacritics aside, when only one unit has it)."""
    text = text.strip()
    if m := _CODE_IN_PARENS.search(text):
        if unit := Unit.objects.filter(code=m.group(1).strip()).first():
            return unit
        text = text[: m.start()].strip()
    if unit := Unit.objects.filter(code=text).first():
        return unit
    matches = list(Unit.objects.filter(search_name=fold(text))[:2])
    return matches[0] if len(matches) == 1 else None


def issuer_of(parsed: ParsedWorkbook) -> tuple[Unit | None, list[str]]:
    """The unit the workbook's «Đơn vị ban hành» names, or a located problem."""
    if not parsed.jurisdiction:
        return None, []
    unit = unit_named(parsed.jurisdiction)
    if unit is not None:
        return unit, []
    row = parsed.info_rows.get("jurisdiction")
    return None, [
        f"{where('Thông tin', row)} («Đơn vị ban hành»), cột «Giá trị»: không có đơn vị "
        f"«{parsed.jurisdiction[:80]}»; hãy ghi đúng tên kèm mã trong ngoặc, ví dụ «UBND tỉnh "
        "Hà Nam (T-HNA)», hoặc để trống và chọn đơn vị ban hành khi nhập"
    ]
