"""What the unit documents (Báo cáo tự đánh giá, Biên bản thẩm định) share: the unit's
assessment and criteria set, its header (agency, parent agency, place, signer), the set's
nodes in display order, and the engine's results document of the unit.

Every number comes from :func:`parindex.engine.evalfile.results_document` as a string and
becomes a ``Decimal`` as printed; nothing here computes points or percentages.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from parindex import engine
from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment
from parindex.core.formatting import fmt_date, format_vn, person_name
from parindex.documents.content import Cell, Signer
from parindex.documents.errors import DocumentError
from parindex.documents.naming import agency_code, committee_name, place_name
from parindex.engine.evalfile import results_document
from parindex.engine.model import EvaluationInput
from parindex.organizations.jurisdiction import in_province, jurisdiction_of
from parindex.organizations.models import Level, Unit
from parindex.periods.models import Period, PeriodGroup

NOT_APPLICABLE_CELL = "Không áp dụng"
"""What a points cell says for a node the unit (or the council) took out."""
DOTS_DATE = "…/…/…"


@dataclass(frozen=True)
class SetNode:
    """A node of the unit's criteria set, in display order."""

    code: str
    name: str
    max: Decimal
    """The set's maximum as the set states it (a node taken out has no applicable max)."""
    depth: int
    is_field: bool
    is_leaf: bool


@dataclass
class UnitContext:
    period: Period
    unit: Unit
    assessment: Assessment
    binding: PeriodGroup
    answers: dict[str, Answer]
    """Node code → the unit's answer (every answer of the assessment in the set)."""


def unit_context(period: Period, unit: Unit) -> UnitContext:
    """The unit's assessment in ``period`` with its set; DocumentError when it has none."""
    assessment = Assessment.objects.filter(period=period, unit=unit).select_related("unit").first()
    if assessment is None:
        raise DocumentError(
            f"{unit.name} không có phiếu chấm điểm trong kỳ đánh giá “{period.name}”: "
            "chưa có văn bản nào của đơn vị để tạo."
        )
    binding = (
        PeriodGroup.objects.filter(period=period, group_id=unit.group_id)
        .select_related("group", "criteria_set")
        .first()
        if unit.group_id is not None
        else None
    )
    if binding is None:
        raise DocumentError(
            f"{unit.name} không thuộc nhóm đơn vị nào của kỳ đánh giá “{period.name}”: "
            "hãy gán đơn vị vào một nhóm có bộ tiêu chí."
        )
    answers = {
        a.node.code: a
        for a in Answer.objects.filter(
            assessment=assessment, node__criteria_set_id=binding.criteria_set_id
        ).select_related("node")
    }
    return UnitContext(period, unit, assessment, binding, answers)


def set_nodes(criteria: engine.CriteriaSet) -> list[SetNode]:
    """Every node of the set in the set's order (as the results breakdown shows it)."""
    parent_of = {node.code: node.parent for node in criteria.nodes}
    parents = {node.parent for node in criteria.nodes if node.parent is not None}
    rows: list[SetNode] = []
    for node in criteria.nodes:
        depth, parent = 0, node.parent
        while parent is not None and depth < len(parent_of):
            depth, parent = depth + 1, parent_of.get(parent)
        rows.append(
            SetNode(
                code=node.code,
                name=node.name,
                max=node.max,
                depth=depth,
                is_field=node.parent is None,
                is_leaf=node.code not in parents,
            )
        )
    return rows


def unit_results(data: EvaluationInput, unit_code: str) -> dict[str, Any]:
    """The unit's entry of the engine's ``parindex-results/1`` document for ``data``."""
    document = results_document(engine.evaluate(data))
    for entry in document["units"]:
        if entry["unit"] == unit_code:
            found: dict[str, Any] = entry
            return found
    raise DocumentError(f"Không tính được kết quả của đơn vị {unit_code}.")


def dec(text: str | None) -> Decimal | None:
    """A number the engine printed, exactly as printed (None stays None)."""
    return None if text is None else Decimal(text)


def node_numbers(block: Mapping[str, Any]) -> dict[str, tuple[Decimal, Decimal]]:
    """Node code → (points, max) of a results block (a unit's, or its "self")."""
    return {n["code"]: (Decimal(n["points"]), Decimal(n["max"])) for n in block["nodes"]}


def shown(text: str) -> str:
    """A printed number in a sentence: "77.44" → "77,44"."""
    return format_vn(Decimal(text))


def points_cell(numbers: Mapping[str, tuple[Decimal, Decimal]], code: str) -> Cell:
    found = numbers.get(code)
    return found[0] if found is not None else NOT_APPLICABLE_CELL


def day(value: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(value).date() if value is not None else None


def date_or_dots(value: datetime.date | None) -> str:
    return fmt_date(value) or DOTS_DATE


# --------------------------------------------------------------------------- the header


def is_committee(unit: Unit) -> bool:
    """A people's committee (UBND xã, huyện …) rather than a sở or another agency."""
    return agency_code(committee_name(unit)) == "UBND" or unit.level in (
        Level.COMMUNE,
        Level.DISTRICT,
    )


def unit_agency(unit: Unit) -> str:
    """How the unit is named as an issuing agency: "UBND xã Liêm Tuyền", "Sở Tư pháp"."""
    return committee_name(unit)


def parent_agency(unit: Unit, period: Period) -> str:
    """The agency above the unit: its parent unit's, else the period's jurisdiction's
    people's committee ("Tỉnh Hà Nam" → "UBND tỉnh Hà Nam")."""
    return committee_name(unit.parent if unit.parent is not None else period.jurisdiction)


def unit_place(unit: Unit, period: Period) -> str:
    """Decree 30's place name: a committee's own place ("UBND xã Liêm Tuyền" →
    "Liêm Tuyền"); for a sở or another agency, the place of the unit above it."""
    if is_committee(unit):
        return place_name(unit.name)
    above = unit.parent if unit.parent is not None else period.jurisdiction
    return place_name(above.name)


def unit_signer(unit: Unit, *, title: str = "", name: str = "") -> Signer:
    """ "TM. Ủy ban nhân dân / Chủ tịch" for a committee, else "Thủ trưởng đơn vị"; a
    title and a name the unit typed override."""
    if is_committee(unit):
        return Signer("TM. Ủy ban nhân dân", title or "Chủ tịch", name)
    return Signer("", title or "Thủ trưởng đơn vị", name)


def council_chair(period: Period) -> User | None:
    """The council's chair of the period's jurisdiction (the first active one; a
    superuser holding the role only when no one else does)."""
    jurisdiction = period.jurisdiction
    chairs = (
        User.objects.filter(role=Role.CHAIR, is_active=True)
        .filter(in_province("unit", jurisdiction))
        .select_related("unit__parent__parent")
        .order_by("is_superuser", "pk")
    )
    for chair in chairs:
        if jurisdiction_of(chair) == jurisdiction:
            return chair
    return None


def name_of(user: User | None) -> str:
    return person_name(user, "") if user is not None else ""
