"""The set's plan-completion criterion (tiêu chí mức độ thực hiện kế hoạch CCHC,
``CriteriaSet.plan_criterion_code``): the leaf whose value the units' CCHC plans offer
(:mod:`parindex.plans.suggestion`). It must be a leaf scored by a ratio, a percentage or
points typed by hand: the completion rate is one of those."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet, CriterionNode, RuleType
from parindex.engine import InputError
from parindex.engine.model import NodeDef

PLAN_RULES = (RuleType.RATIO, RuleType.PERCENT, RuleType.MANUAL)
LABEL = "Tiêu chí mức độ thực hiện kế hoạch CCHC"


def plan_code_problems(code: str, nodes: Iterable[tuple[str, bool, str]]) -> list[str]:
    """Why ``code`` cannot be the plan criterion of a set of ``nodes`` (code, is_leaf, rule
    type), or [] when it can (an empty code names none)."""
    if not code:
        return []
    found = next(((leaf, rule) for c, leaf, rule in nodes if c == code), None)
    if found is None:
        return [f"{LABEL}: bộ tiêu chí không có tiêu chí mã “{code}”."]
    is_leaf, rule = found
    if not is_leaf:
        return [
            f"{LABEL}: “{code}” có tiêu chí con; hãy chọn tiêu chí thành phần (không có "
            "tiêu chí con) được chấm theo tỷ lệ."
        ]
    if rule not in PLAN_RULES:
        return [
            f"{LABEL}: tiêu chí {code} chấm “{RuleType(rule).label.lower()}”; cần tiêu chí chấm "
            "theo tỷ lệ (tử số / mẫu số), tỷ lệ phần trăm hoặc nhập điểm."
        ]
    return []


def engine_nodes(nodes: Iterable[NodeDef]) -> list[tuple[str, bool, str]]:
    """The (code, is_leaf, rule type) of an engine criteria tree."""
    listed = list(nodes)
    parents = {n.parent for n in listed if n.parent is not None}
    return [(n.code, n.code not in parents, n.rule.type if n.rule else "manual") for n in listed]


def stored_nodes(criteria_set: CriteriaSet) -> list[tuple[str, bool, str]]:
    """The (code, is_leaf, rule type) of a stored set (one query)."""
    rows = list(
        CriterionNode.objects.filter(criteria_set=criteria_set).values_list(
            "code", "parent__code", "rule_type"
        )
    )
    parents = {parent for _code, parent, _rule in rows if parent is not None}
    return [(code, code not in parents, rule) for code, _parent, rule in rows]


@transaction.atomic
def criteria_set_set_plan_criterion(
    *, criteria_set: CriteriaSet, code: str, actor: User | None
) -> CriteriaSet:
    """Name (or, with an empty ``code``, clear) the set's plan-completion criterion. Raises
    :class:`InputError` (Vietnamese) unless it is a leaf with a ratio, percent or manual
    rule."""
    code = code.strip()
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    problems = plan_code_problems(code, stored_nodes(locked))
    if problems:
        raise InputError(problems)
    before = locked.plan_criterion_code
    if before != code:
        locked.plan_criterion_code = code
        locked.save(update_fields=["plan_criterion_code", "updated_at"])
        record(
            actor=actor,
            action="criteria_set.updated",
            target=locked,
            summary=f"Bộ tiêu chí {locked.name}: tiêu chí mức độ thực hiện kế hoạch CCHC "
            + (code or "(không chỉ định)"),
            before={"plan_criterion_code": before},
            after={"plan_criterion_code": code},
        )
    criteria_set.plan_criterion_code = code
    return locked
