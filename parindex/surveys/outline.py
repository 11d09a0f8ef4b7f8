"""The questionnaire's outline: its factors and questions as the text the chair edits
(“# mã | tên yếu tố | trọng số”, then “mã câu hỏi | nội dung”), written and read back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from parindex.surveys.models import Questionnaire


@dataclass(frozen=True)
class FactorSpec:
    code: str
    name: str
    weight: Decimal
    questions: tuple[tuple[str, str], ...]
    """(code, text) of each question, in order."""


OUTLINE_HELP = (
    "Mỗi yếu tố một dòng bắt đầu bằng #: “# mã | tên yếu tố | trọng số”; dưới nó mỗi câu "
    "hỏi một dòng: “mã câu hỏi | nội dung”. Mã câu hỏi là tên cột khi nhập tệp."
)
_CODE = re.compile(r"^[A-Za-z0-9_.-]{1,20}$")


def questionnaire_outline(questionnaire: Questionnaire) -> str:
    """The factors and questions as the editable outline (see :func:`parse_outline`)."""
    lines: list[str] = []
    for factor in questionnaire.factors.prefetch_related("questions"):
        lines.append(f"# {factor.code} | {factor.name} | {factor.weight.normalize()}")
        lines.extend(f"{q.code} | {q.text}" for q in factor.questions.all())
    return "\n".join(lines)


def parse_outline(text: str) -> list[FactorSpec]:
    """Read an outline; every problem is a ValidationError naming its line."""
    factors: list[dict[str, Any]] = []
    problems: list[str] = []
    for number, raw in enumerate(text.replace("\x00", "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            parts = [p.strip() for p in line[1:].split("|")]
            if len(parts) not in (2, 3) or not parts[0] or not parts[1]:
                problems.append(f"Dòng {number}: yếu tố cần dạng “# mã | tên | trọng số”.")
                continue
            weight = Decimal(1)
            if len(parts) == 3 and parts[2]:
                try:
                    weight = Decimal(parts[2].replace(",", "."))
                except InvalidOperation:
                    problems.append(f"Dòng {number}: trọng số “{parts[2]}” không phải số.")
                    continue
                if not weight.is_finite() or weight < 0 or weight > 1000:
                    problems.append(f"Dòng {number}: trọng số phải từ 0 đến 1000.")
                    continue
            if not _CODE.match(parts[0]):
                problems.append(
                    f"Dòng {number}: mã yếu tố “{parts[0][:30]}” chỉ gồm chữ không dấu, số, "
                    "dấu chấm, gạch (tối đa 20 ký tự)."
                )
                continue
            factors.append({"code": parts[0], "name": parts[1][:300], "weight": weight, "q": []})
            continue
        code, sep, question = (p.strip() for p in line.partition("|"))
        if not sep or not code or not question:
            problems.append(f"Dòng {number}: câu hỏi cần dạng “mã | nội dung”.")
        elif not factors:
            problems.append(f"Dòng {number}: câu hỏi đứng trước mọi yếu tố (thiếu dòng “# …”).")
        elif not _CODE.match(code):
            problems.append(
                f"Dòng {number}: mã câu hỏi “{code[:30]}” chỉ gồm chữ không dấu, số, dấu chấm, "
                "gạch (tối đa 20 ký tự)."
            )
        else:
            factors[-1]["q"].append((code, question[:500]))
    if problems:
        raise ValidationError(problems)
    return [FactorSpec(f["code"], f["name"], f["weight"], tuple(f["q"])) for f in factors]
