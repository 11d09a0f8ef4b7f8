"""Writes of criteria sets. Views, admin, imports, the demo and commands all call these.

Every set is validated by the scoring engine's own parser (``parse_criteria``), so a set
that is stored can always be scored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol, TypedDict

from django.conf import settings
from django.db import IntegrityError, transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.core.bounded import limits
from parindex.criteria.models import ClassificationBand, CriteriaSet, CriterionNode, fold_name
from parindex.criteria.selectors import criteria_set_document
from parindex.criteria.services.archive import criteria_set_archive, criteria_set_restore
from parindex.criteria.services.guards import (
    DuplicateCriteriaSet,
    SecondCopy,
    identical_set,
    issuer_of,
    refuse_second_copy,
)
from parindex.criteria.services.plan_criterion import engine_nodes, plan_code_problems
from parindex.criteria.xlsx.reading import read_workbook
from parindex.engine import CriteriaSet as EngineCriteriaSet
from parindex.engine import InputError
from parindex.engine.evalfile import INPUT_FORMAT, load_json, parse_criteria
from parindex.organizations.models import Level, Unit

__all__ = [
    "DuplicateCriteriaSet",
    "SecondCopy",
    "criteria_set_archive",
    "criteria_set_restore",
]


@dataclass
class SetInfo:
    """What identifies a set and is not part of the scoring document."""

    level: str
    year: int
    jurisdiction: Unit | None = None
    version: int | None = None
    """None: the next free version for this jurisdiction, level and year."""
    name: str | None = None
    period_label: str = ""
    decision: str = ""
    decision_date: datetime.date | None = None
    note: str = ""
    plan_criterion_code: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def criteria_set_import_document(
    *, document: dict[str, Any], info: SetInfo, actor: User | None
) -> CriteriaSet:
    """Create a criteria set from the criteria part of an evaluation document.

    All-or-nothing: the document is validated by the engine first (raising
    :class:`InputError` with one line per problem) and stored in one transaction.
    """
    criteria = parse_criteria(document)
    problems = _check_info(info) + plan_code_problems(
        info.plan_criterion_code, engine_nodes(criteria.nodes)
    )
    if problems:
        raise InputError(problems)
    nodes_raw = document["criteria_set"]["nodes"]
    with transaction.atomic():
        version = info.version or _next_version(info)
        criteria_set = CriteriaSet.objects.create(
            name=info.name or criteria.name,
            jurisdiction=info.jurisdiction,
            level=info.level,
            year=info.year,
            version=version,
            period_label=info.period_label,
            decision=info.decision,
            decision_date=info.decision_date,
            note=info.note,
            plan_criterion_code=info.plan_criterion_code,
            rounding_mode=criteria.rounding.mode,
            rounding_places=criteria.rounding.places,
            index_rounding_mode=criteria.effective_index_rounding.mode,
            index_rounding_places=criteria.effective_index_rounding.places,
            survey_max=criteria.survey_max,
            bonus_max=criteria.bonus_max,
            penalty_max=criteria.penalty_max,
            ties=criteria.ties,
            classification_otherwise=(
                criteria.classification.otherwise or "" if criteria.classification else ""
            ),
        )
        _store_nodes(criteria_set, criteria.nodes, nodes_raw)
        if criteria.classification is not None:
            ClassificationBand.objects.bulk_create(
                ClassificationBand(
                    criteria_set=criteria_set,
                    position=i,
                    label=band.label,
                    min_index=band.min,
                    min_exclusive=band.min_exclusive,
                    field_min=band.field_min,
                )
                for i, band in enumerate(criteria.classification.bands)
            )
        record(
            actor=actor,
            action="criteria_set.imported",
            target=criteria_set,
            summary=f"Nhập bộ tiêu chí {criteria_set.name} ({len(criteria.nodes)} tiêu chí)",
            after={"nodes": len(criteria.nodes), "version": version},
        )
    return criteria_set


def _check_info(info: SetInfo) -> list[str]:
    problems = []
    if info.level not in Level.values:
        problems.append(f"cấp áp dụng {info.level!r} không hợp lệ")
    if not 1990 <= info.year <= 2100:
        problems.append(f"năm áp dụng {info.year} không hợp lệ")
    if (
        info.version is not None
        and CriteriaSet.objects.filter(
            jurisdiction=info.jurisdiction, level=info.level, year=info.year, version=info.version
        ).exists()
    ):
        problems.append(
            f"đã có bộ tiêu chí phiên bản {info.version} cho cấp và năm này; "
            "hãy chọn phiên bản khác"
        )
    return problems


def _next_version(info: SetInfo) -> int:
    latest = (
        CriteriaSet.objects.filter(jurisdiction=info.jurisdiction, level=info.level, year=info.year)
        .order_by("-version")
        .values_list("version", flat=True)
        .first()
    )
    return (latest or 0) + 1


def _store_nodes(criteria_set: CriteriaSet, nodes: Any, nodes_raw: list[dict[str, Any]]) -> None:
    raw_by_code = {str(raw.get("code")): raw for raw in nodes_raw}
    objects: dict[str, CriterionNode] = {}
    for position, node in enumerate(nodes):
        raw = raw_by_code.get(node.code, {})
        rule = node.rule
        objects[node.code] = CriterionNode(
            criteria_set=criteria_set,
            code=node.code,
            name=node.name,
            max_points=node.max,
            rule_type=rule.type if rule else "manual",
            floor=rule.floor if rule else None,
            full_at=rule.full_at if rule else None,
            tiers=[{"min": _s(t.min), "points": _s(t.points)} for t in rule.tiers] if rule else [],
            per_item=rule.per_item if rule else None,
            guidance=str(raw.get("guidance") or ""),
            evidence=str(raw.get("evidence") or ""),
            allow_not_applicable=bool(raw.get("allow_not_applicable", False)),
            position=position,
            search_name=fold_name(node.name),
        )
    CriterionNode.objects.bulk_create(objects.values())
    # Parents may be listed after their children: link in a second pass.
    linked = []
    for node in nodes:
        if node.parent is not None:
            objects[node.code].parent = objects[node.parent]
            linked.append(objects[node.code])
    CriterionNode.objects.bulk_update(linked, ["parent"])


def _s(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def criteria_set_clone(
    *,
    source: CriteriaSet,
    year: int,
    actor: User | None,
    name: str | None = None,
    into: Unit | None = None,
) -> CriteriaSet:
    """Copy a set (tree, texts, settings, classification) to another year, e.g. next year;
    ``into`` another jurisdiction (a province adopting a set another one shared), else the
    source's. A second copy of the same source into the same year and unit is refused
    (:class:`SecondCopy`, naming the first): two clicks make one set."""
    document = criteria_set_document(source)
    new_name = name or _renamed(source.name, source.year, year)
    target = into or source.jurisdiction
    with transaction.atomic():
        CriteriaSet.objects.select_for_update().filter(pk=source.pk).first()  # one at a time
        refuse_second_copy(source, year, target)
        clone = criteria_set_import_document(
            document=document,
            info=SetInfo(
                level=source.level,
                year=year,
                jurisdiction=target,
                name=new_name,
                period_label=source.period_label.replace(str(source.year), str(year)),
                note=source.note,
                plan_criterion_code=source.plan_criterion_code,
            ),
            actor=actor,
        )
        clone.cloned_from = source
        clone.save(update_fields=["cloned_from"])
        record(
            actor=actor,
            action="criteria_set.cloned",
            target=clone,
            summary=f"Sao chép từ {source.name} (năm {source.year}) sang năm {year}",
            before={"source_id": source.pk},
        )
    return clone


def criteria_set_set_shared(
    *, criteria_set: CriteriaSet, shared: bool, actor: User | None
) -> CriteriaSet:
    """Share a set read-only with the other provinces of the installation (or stop)."""
    with transaction.atomic():
        locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        if locked.is_shared != shared:
            locked.is_shared = shared
            locked.save(update_fields=["is_shared", "updated_at"])
            record(
                actor=actor,
                action="criteria_set.shared" if shared else "criteria_set.unshared",
                target=locked,
                summary=(
                    f"{'Chia sẻ' if shared else 'Thôi chia sẻ'} bộ tiêu chí {locked.name}"
                    " với các tỉnh, thành phố khác"
                ),
                before={"is_shared": not shared},
                after={"is_shared": shared},
            )
    criteria_set.is_shared = shared
    return locked


def _renamed(name: str, old_year: int, new_year: int) -> str:
    if str(old_year) in name:
        return name.replace(str(old_year), str(new_year))
    return f"{name} ({new_year})"


def criteria_set_delete(*, criteria_set: CriteriaSet, actor: User | None) -> None:
    """Delete a set not used by any period."""
    if criteria_set.period_groups.exists():
        raise InputError(["bộ tiêu chí đang được dùng trong kỳ đánh giá, không thể xóa"])
    with transaction.atomic():
        record(
            actor=actor,
            action="criteria_set.deleted",
            target=criteria_set,
            summary=f"Xóa bộ tiêu chí {criteria_set.name}",
            before=criteria_set_document(criteria_set),
        )
        criteria_set.delete()


# --------------------------------------------------------------------------- file imports


class ImportOverrides(TypedDict, total=False):
    """Fields chosen on the import form; a value that is set wins over the file's own."""

    level: str
    year: int
    jurisdiction: Unit | None


class _Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


_TEXT_LIMITS = (("period_label", 50), ("decision", 200))
_STORED_LIMIT = Decimal(10) ** 5
"""Decimal columns are max_digits=9, decimal_places=4: below 100000, at most 4 places."""


@transaction.atomic
def criteria_set_import_xlsx(
    *,
    file: _Readable | bytes,
    actor: User | None,
    jurisdiction: Unit | None = None,
    overrides: ImportOverrides | None = None,
) -> CriteriaSet:
    """Create a criteria set from an XLSX workbook (see :mod:`parindex.criteria.xlsx`).

    All-or-nothing: every problem is raised at once as :class:`InputError`, each line naming
    the sheet, row and column, and nothing is stored. The engine's own messages about the tree
    and rules are mapped back to sheet rows. ``overrides`` (level, year, jurisdiction) win over
    the «Thông tin» sheet. Audited by :func:`criteria_set_import_document`.
    """
    overrides = overrides or {}
    data = _read_upload(file)
    parsed = read_workbook(data, level=overrides.get("level"), year=overrides.get("year"))
    named, unknown = issuer_of(parsed) if not overrides.get("jurisdiction") else (None, [])
    info = SetInfo(
        level=parsed.level,
        year=parsed.year,
        jurisdiction=overrides.get("jurisdiction") or named or jurisdiction,
        period_label=parsed.period_label,
        decision=parsed.decision,
        decision_date=parsed.decision_date,
        note=parsed.note,
    )
    try:
        criteria = parse_criteria(parsed.document)
        problems = unknown + _storage_problems(criteria, info)
        if problems:
            raise InputError(problems)
        return _store(parsed.document, info, actor)
    except DuplicateCriteriaSet:
        raise
    except InputError as exc:
        raise InputError(parsed.locate(exc.problems)) from exc


@transaction.atomic
def criteria_set_import_json(
    *,
    data: bytes,
    actor: User | None,
    info_defaults: ImportOverrides | None = None,
) -> CriteriaSet:
    """Create a criteria set from a ``parindex-evaluation/1`` JSON document (the criteria
    part; units and scores, if any, are ignored).

    The set's level, year, period, decision, decision date, note and jurisdiction come from
    ``criteria_set.metadata`` as the JSON export writes it; a value set in ``info_defaults``
    (the import form) wins. All-or-nothing, with one line per problem.
    """
    _check_size(len(data))
    document = load_json(data, max_integer_digits=limits().integer_digits)
    if not isinstance(document, dict):
        raise InputError(["$: cần một đối tượng JSON (bộ tiêu chí dạng parindex-evaluation/1)"])
    problems: list[str] = []
    file_format = document.get("format")
    if file_format is not None and file_format != INPUT_FORMAT:
        problems.append(f"format: cần {INPUT_FORMAT!r}, không phải {file_format!r}")
    info, info_problems = _info_from_metadata(document, info_defaults or {})
    problems += info_problems
    try:
        criteria = parse_criteria(document)
    except InputError as exc:
        problems += exc.problems
    else:
        if info is not None:
            problems += _storage_problems(criteria, info)
        problems += _extension_problems(document)
    if problems or info is None:
        raise InputError(problems)
    return _store(document, info, actor)


def _store(document: dict[str, Any], info: SetInfo, actor: User | None) -> CriteriaSet:
    """Import a validated document; a version taken meanwhile by another import is a problem
    to report, not a crash."""
    try:
        with transaction.atomic():
            criteria_set = criteria_set_import_document(document=document, info=info, actor=actor)
            if (existing := identical_set(criteria_set)) is not None:
                raise DuplicateCriteriaSet(existing)  # rolls the new set and its audit back
            return criteria_set
    except IntegrityError as exc:
        raise InputError(
            [
                "đã có bộ tiêu chí cùng đơn vị, cấp, năm và phiên bản (có thể do một lần nhập "
                "khác cùng lúc); hãy thử lại"
            ]
        ) from exc


def _extension_problems(document: dict[str, Any]) -> list[str]:
    """The per-node keys the engine does not read but the database stores."""
    problems: list[str] = []
    name = document["criteria_set"].get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"criteria_set.name: thiếu tên bộ tiêu chí, không phải {_shown(name)}")
    for i, raw in enumerate(document["criteria_set"]["nodes"]):
        where = f"criteria_set.nodes[{i}] (node {raw.get('code')})"
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            problems.append(
                f"{where}.name: thiếu nội dung (tên) tiêu chí, không phải {_shown(name)}"
            )
        for key in ("guidance", "evidence"):
            if raw.get(key) is not None and not isinstance(raw[key], str):
                problems.append(f"{where}.{key}: cần một chuỗi, không phải {raw[key]!r}")
        flag = raw.get("allow_not_applicable")
        if flag is not None and not isinstance(flag, bool):
            problems.append(f"{where}.allow_not_applicable: cần true/false, không phải {flag!r}")
    return problems


def _shown(value: object) -> str:
    return "giá trị trống" if value is None else f"«{str(value)[:40]}»"


def _read_upload(file: _Readable | bytes) -> bytes:
    limit: int = settings.CRITERIA_IMPORT_MAX_BYTES
    data = file if isinstance(file, bytes) else file.read(limit + 1)
    _check_size(len(data))
    return data


def _check_size(size: int) -> None:
    limit: int = settings.CRITERIA_IMPORT_MAX_BYTES
    if size > limit:
        raise InputError([f"tệp quá lớn: tối đa {limit / (1024 * 1024):.0f} MB".replace(".", ",")])


def _info_from_metadata(
    document: dict[str, Any], defaults: ImportOverrides
) -> tuple[SetInfo | None, list[str]]:
    where = "criteria_set.metadata"
    problems: list[str] = []
    cs = document.get("criteria_set")
    meta: Any = cs.get("metadata") if isinstance(cs, dict) else None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return None, [f"{where}: cần một đối tượng, không phải {type(meta).__name__}"]

    level = defaults.get("level") or meta.get("level")
    if level is None:
        problems.append(f"{where}.level: thiếu cấp áp dụng; hãy chọn cấp khi nhập")
    elif level not in Level.values:
        problems.append(
            f"{where}.level: cấp áp dụng {level!r} không hợp lệ; cần một trong "
            + ", ".join(Level.values)
        )
    year = defaults.get("year") or _whole(meta.get("year"))
    if year is None:
        if meta.get("year") is None:
            problems.append(f"{where}.year: thiếu năm áp dụng; hãy chọn năm khi nhập")
        else:
            problems.append(f"{where}.year: cần một năm, không phải {meta.get('year')!r}")
    elif not 1990 <= year <= 2100:
        problems.append(f"{where}.year: năm áp dụng {year} không hợp lệ (cần từ 1990 đến 2100)")

    texts: dict[str, str] = {}
    for key in ("period_label", "decision", "note", "plan_criterion_code"):
        value = meta.get(key)
        if value is not None and not isinstance(value, str):
            problems.append(f"{where}.{key}: cần một chuỗi, không phải {value!r}")
            value = None
        texts[key] = value or ""
    decision_date = None
    if meta.get("decision_date") is not None:
        try:
            decision_date = datetime.date.fromisoformat(str(meta["decision_date"]))
        except ValueError:
            problems.append(
                f"{where}.decision_date: cần ngày dạng YYYY-MM-DD, "
                f"không phải {meta['decision_date']!r}"
            )
    jurisdiction = defaults.get("jurisdiction")
    if jurisdiction is None and meta.get("jurisdiction") is not None:
        code = str(meta["jurisdiction"])
        jurisdiction = Unit.objects.filter(code=code).first()
        if jurisdiction is None:
            problems.append(
                f"{where}.jurisdiction: không có đơn vị mã {code!r}; hãy chọn đơn vị ban hành "
                "khi nhập"
            )
    if problems or level is None or year is None:
        return None, problems
    return (
        SetInfo(
            level=level,
            year=year,
            jurisdiction=jurisdiction,
            period_label=texts["period_label"],
            decision=texts["decision"],
            decision_date=decision_date,
            note=texts["note"],
            plan_criterion_code=texts["plan_criterion_code"].strip(),
        ),
        [],
    )


def _whole(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return int(value)
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None


def _storage_problems(criteria: EngineCriteriaSet, info: SetInfo) -> list[str]:
    """What the engine accepts but the database columns cannot hold exactly: numbers with
    more than 4 decimal places or of 100000 and more, and texts longer than their column.
    Paths are those of the document, like the engine's own messages."""
    problems: list[str] = []

    def number(where: str, value: Decimal | None) -> None:
        if value is None:
            return
        exponent = value.normalize().as_tuple().exponent
        if abs(value) >= _STORED_LIMIT or (isinstance(exponent, int) and exponent < -4):
            problems.append(
                f"{where}: {value} vượt quá giới hạn lưu trữ "
                "(nhỏ hơn 100000, tối đa 4 chữ số thập phân)"
            )

    def text(where: str, value: str | None, limit: int) -> None:
        if value is not None and len(value) > limit:
            problems.append(f"{where}: dài quá {limit} ký tự")

    text("criteria_set.name", info.name or criteria.name, 300)
    for i, node in enumerate(criteria.nodes):
        where = f"criteria_set.nodes[{i}] (node {node.code})"
        text(f"{where}.code", node.code, 30)
        number(f"{where}.max", node.max)
        if node.rule is not None:
            number(f"{where}.rule.floor", node.rule.floor)
            number(f"{where}.rule.full_at", node.rule.full_at)
            number(f"{where}.rule.per_item", node.rule.per_item)
    number("survey.max", criteria.survey_max)
    number("adjustments.bonus_max", criteria.bonus_max)
    number("adjustments.penalty_max", criteria.penalty_max)
    if criteria.classification is not None:
        text("classification.otherwise", criteria.classification.otherwise, 100)
        for i, band in enumerate(criteria.classification.bands):
            text(f"classification.bands[{i}].label", band.label, 100)
            number(f"classification.bands[{i}].min", band.min)
            number(f"classification.bands[{i}].field_min", band.field_min)
    for key, limit in _TEXT_LIMITS:
        text(f"criteria_set.metadata.{key}", getattr(info, key), limit)
    return problems


@transaction.atomic
def criteria_set_update_info(
    *,
    criteria_set: CriteriaSet,
    actor: User | None,
    name: str,
    period_label: str = "",
    decision: str = "",
    decision_date: datetime.date | None = None,
    note: str = "",
) -> CriteriaSet:
    """Change the descriptive fields of a set (nothing that affects numbers): name, period,
    decision, decision date and note. Used by the admin's change form."""
    name = name.strip()
    if not name:
        raise InputError(["tên bộ tiêu chí không được để trống"])
    fields = ("name", "period_label", "decision", "decision_date", "note")
    stored = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    before = {key: _jsonable(getattr(stored, key)) for key in fields}
    stored.name = name
    stored.period_label = period_label
    stored.decision = decision
    stored.decision_date = decision_date
    stored.note = note
    stored.save(update_fields=[*fields, "search_name", "updated_at"])
    after = {key: _jsonable(getattr(stored, key)) for key in fields}
    if before != after:
        record(
            actor=actor,
            action="criteria_set.updated",
            target=stored,
            summary=f"Sửa thông tin bộ tiêu chí {stored.name}",
            before=before,
            after=after,
        )
    return stored


def _jsonable(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.date) else value
