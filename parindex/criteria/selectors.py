"""Reads of criteria sets, including the bridge to the scoring engine."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.text import slugify

from parindex import engine
from parindex.core.formatting import vn_percent, vn_plain
from parindex.core.text import fold
from parindex.criteria.models import (
    ClassificationBand,
    CriteriaSet,
    CriteriaSetQuerySet,
    CriterionNode,
    RuleType,
)
from parindex.criteria.xlsx.writing import write_workbook
from parindex.engine import evalfile

_ENGINE_FIELDS = (
    "code",
    "name",
    "max_points",
    "rule_type",
    "floor",
    "full_at",
    "tiers",
    "per_item",
)


def engine_criteria(
    criteria_set: CriteriaSet, nodes: Sequence[CriterionNode] | None = None
) -> engine.CriteriaSet:
    """The engine's view of a stored set: two queries (nodes, bands), or one when the
    caller has read the set's ``nodes`` already (all of them, ordered by position and id,
    as :func:`set_nodes` reads them)."""
    if nodes is None:
        rows = list(
            CriterionNode.objects.filter(criteria_set=criteria_set)
            .order_by("position", "id")
            .values(*_ENGINE_FIELDS, "parent__code")
        )
    else:
        code_of = {n.pk: n.code for n in nodes}
        rows = [
            {
                **{name: getattr(n, name) for name in _ENGINE_FIELDS},
                "parent__code": code_of.get(n.parent_id) if n.parent_id else None,
            }
            for n in nodes
        ]
    has_children = {row["parent__code"] for row in rows if row["parent__code"]}
    node_defs = tuple(
        engine.NodeDef(
            code=row["code"],
            name=row["name"],
            max=row["max_points"].normalize(),
            parent=row["parent__code"],
            rule=None if row["code"] in has_children else _rule(row),
        )
        for row in rows
    )
    bands = list(ClassificationBand.objects.filter(criteria_set=criteria_set).order_by("position"))
    classification = None
    if bands or criteria_set.classification_otherwise:
        classification = engine.Classification(
            bands=tuple(
                engine.Band(
                    label=b.label,
                    min=b.min_index.normalize(),
                    min_exclusive=b.min_exclusive,
                    field_min=_norm(b.field_min),
                )
                for b in bands
            ),
            otherwise=criteria_set.classification_otherwise or None,
        )
    return engine.CriteriaSet(
        name=criteria_set.name,
        nodes=node_defs,
        rounding=engine.Rounding(criteria_set.rounding_mode, criteria_set.rounding_places),
        index_rounding=engine.Rounding(
            criteria_set.index_rounding_mode, criteria_set.index_rounding_places
        ),
        survey_max=_norm(criteria_set.survey_max),
        bonus_max=_norm(criteria_set.bonus_max),
        penalty_max=_norm(criteria_set.penalty_max),
        classification=classification,
        ties=criteria_set.ties,
    )


def set_nodes(criteria_set: CriteriaSet) -> list[CriterionNode]:
    """Every node of the set, in the order of the criteria tree (position, then id)."""
    return list(CriterionNode.objects.filter(criteria_set=criteria_set).order_by("position", "id"))


def _rule(row: Mapping[str, Any]) -> engine.Rule | None:
    if row["rule_type"] == "manual":
        return None
    return engine.Rule(
        type=row["rule_type"],
        floor=_norm(row["floor"]),
        full_at=_norm(row["full_at"]),
        tiers=tuple(
            engine.Tier(Decimal(str(t["min"])), Decimal(str(t["points"])))
            for t in row["tiers"] or []
        ),
        per_item=_norm(row["per_item"]),
    )


def _norm(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.normalize()


def node_extras(criteria_set: CriteriaSet) -> dict[str, dict[str, Any]]:
    """Per-node texts the evaluation format carries as extension keys."""
    return {
        row["code"]: {
            "guidance": row["guidance"],
            "evidence": row["evidence"],
            "allow_not_applicable": row["allow_not_applicable"],
        }
        for row in CriterionNode.objects.filter(criteria_set=criteria_set).values(
            "code", "guidance", "evidence", "allow_not_applicable"
        )
    }


def criteria_set_document(criteria_set: CriteriaSet) -> dict[str, Any]:
    """The set as the criteria part of a parindex-evaluation/1 document (export)."""
    extras = node_extras(criteria_set)
    doc = evalfile.criteria_document(
        engine_criteria(criteria_set), lambda code: extras.get(code, {})
    )
    doc["criteria_set"]["metadata"] = {
        "level": criteria_set.level,
        "year": criteria_set.year,
        "period_label": criteria_set.period_label,
        "version": criteria_set.version,
        "decision": criteria_set.decision,
        "decision_date": (
            criteria_set.decision_date.isoformat() if criteria_set.decision_date else None
        ),
        "jurisdiction": criteria_set.jurisdiction.code if criteria_set.jurisdiction else None,
        "note": criteria_set.note,
        "plan_criterion_code": criteria_set.plan_criterion_code,
    }
    return doc


def leaf_count(criteria_set: CriteriaSet) -> int:
    return CriterionNode.objects.filter(criteria_set=criteria_set, children__isnull=True).count()


# --------------------------------------------------------------------------- pages and files


def criteria_sets_for_list(
    query: str = "", sets: CriteriaSetQuerySet | None = None
) -> QuerySet[CriteriaSet]:
    """Sets for the list page (of ``sets``, default all), newest year first; ``query`` is
    diacritic-insensitive."""
    base = CriteriaSet.objects.all() if sets is None else sets
    if query.strip():
        base = base.search(query)
    qs = base.select_related("jurisdiction").annotate(
        node_count=Count("nodes", distinct=True),
        leaf_count=Count("nodes", filter=Q(nodes__children__isnull=True), distinct=True),
    )
    return qs.order_by("-year", "level", "name", "-version")


@dataclass(frozen=True)
class TreeRow:
    """One node of the detail page's tree."""

    code: str
    name: str
    depth: int
    max_points: Decimal
    is_leaf: bool
    rule_text: str
    guidance: str
    evidence: str
    allow_not_applicable: bool

    @property
    def max_text(self) -> str:
        return vn_plain(self.max_points)

    @property
    def indent_class(self) -> str:
        """Bootstrap padding by depth (the CSP forbids style attributes)."""
        return ("", "ps-3", "ps-5", "ps-5 ms-3", "ps-5 ms-5")[min(self.depth, 4)]


def criteria_tree(criteria_set: CriteriaSet) -> list[TreeRow]:
    """Every node in display order with its depth and its rule in Vietnamese words."""
    rows = list(
        CriterionNode.objects.filter(criteria_set=criteria_set)
        .order_by("position", "id")
        .values(
            "code",
            "name",
            "max_points",
            "parent__code",
            "rule_type",
            "floor",
            "full_at",
            "tiers",
            "per_item",
            "guidance",
            "evidence",
            "allow_not_applicable",
        )
    )
    parent_of = {row["code"]: row["parent__code"] for row in rows}
    has_children = {p for p in parent_of.values() if p}

    def depth(code: str) -> int:
        level, current, seen = 0, parent_of.get(code), {code}
        while current and current not in seen:
            seen.add(current)
            level += 1
            current = parent_of.get(current)
        return level

    return [
        TreeRow(
            code=row["code"],
            name=row["name"],
            depth=depth(row["code"]),
            max_points=row["max_points"].normalize(),
            is_leaf=row["code"] not in has_children,
            rule_text=describe_rule(row, is_leaf=row["code"] not in has_children),
            guidance=row["guidance"],
            evidence=row["evidence"],
            allow_not_applicable=row["allow_not_applicable"],
        )
        for row in rows
    ]


def describe_rule(row: Mapping[str, Any], *, is_leaf: bool = True) -> str:
    """How a node is scored, in words: "Tỷ lệ × điểm tối đa; dưới 70% được 0 điểm"."""
    max_text = vn_plain(row["max_points"])
    if not is_leaf:
        return f"Tổng điểm các tiêu chí con, tối đa {max_text} điểm"
    kind = row["rule_type"]
    if kind == RuleType.BOOLEAN:
        return f"Đạt: {max_text} điểm; không đạt: 0 điểm"
    if kind in (RuleType.RATIO, RuleType.PERCENT):
        parts = [
            "Tỷ lệ × điểm tối đa" if kind == RuleType.RATIO else "Tỷ lệ phần trăm × điểm tối đa"
        ]
        if row["floor"] is not None:
            parts.append(f"dưới {vn_percent(row['floor'])} được 0 điểm")
        if row["full_at"] is not None:
            parts.append(f"từ {vn_percent(row['full_at'])} trở lên được {max_text} điểm")
        return "; ".join(parts)
    if kind == RuleType.TIERS:
        tiers = sorted(row["tiers"] or [], key=lambda t: Decimal(str(t["min"])), reverse=True)
        steps = [f"từ {vn_plain(t['min'])} được {vn_plain(t['points'])} điểm" for t in tiers]
        return "Theo mức: " + "; ".join([*steps, "thấp hơn: 0 điểm"])
    if kind == RuleType.DEDUCTION:
        per_item = vn_plain(row["per_item"]) if row["per_item"] is not None else "0"
        return f"Trừ {per_item} điểm mỗi lần (từ {max_text} điểm, thấp nhất 0 điểm)"
    return f"Chấm theo đánh giá: nhập điểm từ 0 đến {max_text}"


def criteria_set_bands(criteria_set: CriteriaSet) -> list[ClassificationBand]:
    return list(ClassificationBand.objects.filter(criteria_set=criteria_set).order_by("position"))


def criteria_set_xlsx(criteria_set: CriteriaSet) -> bytes:
    """The set as an XLSX workbook (import gives the same set back, its issuing unit too)."""
    document = criteria_set_document(criteria_set)
    if (unit := criteria_set.jurisdiction) is not None:
        document["criteria_set"]["metadata"]["jurisdiction_label"] = f"{unit.name} ({unit.code})"
    return write_workbook(document)


def criteria_set_json(criteria_set: CriteriaSet) -> bytes:
    """The set as the criteria part of a ``parindex-evaluation/1`` JSON document."""
    return (evalfile.dumps(criteria_set_document(criteria_set)) + "\n").encode()


def blank_template_xlsx() -> bytes:
    return write_workbook(None)


def download_filename(criteria_set: CriteriaSet, extension: str) -> str:
    """An ASCII file name: "bo-tieu-chi-cchc-cap-xa-2025-v1.xlsx"."""
    slug = slugify(fold(criteria_set.name))[:80].strip("-") or "bo-tieu-chi"
    if str(criteria_set.year) not in slug:
        slug = f"{slug}-{criteria_set.year}"
    return f"{slug}-v{criteria_set.version}.{extension}"


def criteria_set_facts(criteria_set: CriteriaSet) -> list[tuple[str, str]]:
    """The set's settings as (label, text) pairs for the detail page; empty ones left out."""

    def points(value: Decimal | None) -> str:
        return "" if value is None else f"{vn_plain(value)} điểm"

    cs = criteria_set
    facts = [
        ("Cấp áp dụng", cs.get_level_display()),
        ("Năm áp dụng", str(cs.year)),
        ("Giai đoạn / kỳ", cs.period_label),
        ("Phiên bản", str(cs.version)),
        ("Đơn vị ban hành", cs.jurisdiction.name if cs.jurisdiction else ""),
        ("Quyết định ban hành", cs.decision),
        ("Ngày ban hành", cs.decision_date.strftime("%d/%m/%Y") if cs.decision_date else ""),
        (
            "Làm tròn điểm tiêu chí",
            f"{cs.get_rounding_mode_display()}, {cs.rounding_places} chữ số thập phân",
        ),
        (
            "Làm tròn chỉ số",
            f"{cs.get_index_rounding_mode_display()}, {cs.index_rounding_places} chữ số thập phân",
        ),
        ("Điểm tối đa khảo sát", points(cs.survey_max) or "Không có khảo sát"),
        ("Điểm thưởng tối đa", points(cs.bonus_max)),
        ("Điểm trừ tối đa", points(cs.penalty_max)),
        ("Xếp hạng khi bằng điểm", cs.get_ties_display()),
        ("Xếp loại khi không đạt mức nào", cs.classification_otherwise),
        ("Ghi chú", cs.note),
    ]
    return [(label, text) for label, text in facts if text]


def band_rows(criteria_set: CriteriaSet) -> list[dict[str, str]]:
    """Classification bands in words: "từ 90%", "trên 70%", "mỗi lĩnh vực từ 50%"."""
    return [
        {
            "label": band.label,
            "condition": (
                ("Chỉ số trên " if band.min_exclusive else "Chỉ số từ ")
                + f"{vn_plain(band.min_index)}%"
            ),
            "field_min": (
                f"Mỗi lĩnh vực từ {vn_plain(band.field_min)}%" if band.field_min is not None else ""
            ),
        }
        for band in criteria_set_bands(criteria_set)
    ]


def copies_of(source: CriteriaSet, year: int) -> list[CriteriaSet]:
    """The copies of ``source`` already made into ``year`` (not archived)."""
    return list(
        CriteriaSet.objects.active()
        .filter(cloned_from=source, year=year)
        .select_related("jurisdiction")
        .order_by("pk")
    )


def periods_using(criteria_set: CriteriaSet) -> list[str]:
    """The names of the periods that score a group with ``criteria_set``."""
    return sorted(
        {binding.period.name for binding in criteria_set.period_groups.select_related("period")}
    )
