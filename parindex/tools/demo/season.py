"""The demo's current season (kỳ đánh giá đang diễn ra): "Năm 2025" in self-assessment.

Built the way a real season is run, through the services only:

* the criteria sets are cloned from 2024 (:func:`criteria_set_clone`), the period created
  with 2024 as the year to compare with (:func:`period_create`), its deadlines and evidence
  rules set, then opened with :func:`period_open_self_assessment` (every unit gets its
  assessment);
* the appraisers of the council (Hà Nam's tổ thẩm định) are assigned their fields of
  every unit (:func:`~parindex.season.setup.assignment_save`, as on the set-up page);
* each unit's progress is saved by its own people: items with :func:`answer_save` (values
  from :func:`~parindex.tools.demo.scores.unit_scores`, so they fit every rule), the
  submitted ones sent by their leader with :func:`assessment_submit`.

About a third of the units have not started, most of the others are filling in their
items and the better units (by their persistent quality) have already submitted. Which
units, how many items and every value come from seeded generators: the same seed gives
the same season.
Xã Vân Sơn and Sở Tư pháp (the printed accounts' units) are always in progress with a few
items, so a visitor can try the self-assessment screen.
"""

# Seeded, reproducible sample data, not security: the standard generator is what we want.
# ruff: noqa: S311

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Assessment, AssessmentStatus
from parindex.assessments.services.self_assessment import answer_save, assessment_submit
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import engine_criteria
from parindex.criteria.services import criteria_set_clone
from parindex.engine.model import Ratio
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import (
    Period,
    PeriodGroup,
    PeriodKind,
    UnsignedEvidencePolicy,
)
from parindex.periods.selectors import period_units
from parindex.periods.services import period_create
from parindex.season.setup import assignment_save
from parindex.season.stages import period_open_self_assessment
from parindex.tools.demo import criteria_data, units_data
from parindex.tools.demo.scores import quality, unit_scores
from parindex.tools.demo.survey import survey_create

SEASON_YEAR = 2025
PREVIOUS_YEAR = 2024
BASE_YEAR = 2023
"""The year the units' trends start from (as for the finalised periods)."""

DEADLINE_HOUR = 17
"""Deadlines fall at 17:00 local time (Asia/Ho_Chi_Minh), the end of the working day."""
DEADLINE_DAYS = {
    "self_assessment_deadline": 14,
    "appraisal_1_deadline": 21,
    "explanation_deadline": 28,
    "appraisal_2_deadline": 35,
}
EVIDENCE_TYPES = "pdf"

SHARE_SUBMITTED = 0.2
SHARE_IN_PROGRESS = 0.45
"""Of each group's units; the rest (about a third) have not started."""
IN_PROGRESS_SHARE = (0.05, 0.35)
"""The share of its items a unit in progress has saved, drawn between these."""
FEW_ITEMS = 5
"""Items already saved by the printed accounts' units (Vân Sơn, Sở Tư pháp)."""
OPTIMISM = 0.04
"""Units grade themselves a little better than the appraisers will."""

VAN_SON_CODE = units_data.commune_code(units_data.district_code("h", "Vân Khê"), "x", "Vân Sơn")
JUSTICE_CODE = f"{units_data.PREFIX}-STP"
TRY_OUT_UNITS = {
    # unit code → (staff username, leader username) of the printed accounts
    VAN_SON_CODE: ("xa.demo", "lanhdao.xa"),
    JUSTICE_CODE: ("so.canbo", "so.lanhdao"),
}
UNIT_ACCOUNT_PREFIX = "dv."
"""Internal accounts (unusable password) that save the other units' progress."""


@dataclass(frozen=True)
class Appraiser:
    """A member of the council's appraisal team and the share of the period it appraises."""

    username: str
    node_codes: tuple[str, ...]
    levels: tuple[str, ...] | None = None
    """The unit levels it appraises; None: every unit of the period."""


APPRAISERS: tuple[Appraiser, ...] = (
    # Sở Nội vụ: chỉ đạo điều hành, tổ chức bộ máy, công vụ, and the communes' "tác động
    # của CCHC" (field 8, only in the commune set) so that every item has an appraiser.
    Appraiser("thamdinh", ("1", "4", "5", "8")),
    Appraiser("thamdinh.tuphap", ("2",)),  # Sở Tư pháp: cải cách thể chế
    Appraiser("thamdinh.vpubnd", ("3",)),  # Văn phòng UBND tỉnh: thủ tục hành chính
    Appraiser("thamdinh.taichinh", ("6",)),  # Sở Tài chính: tài chính công
    Appraiser("thamdinh.tttt", ("7",)),  # Sở TT&TT: chính quyền điện tử, chính quyền số
    # Sở KH&CN: ISO 9001 (7.5 of the sở and huyện sets; the commune set has no ISO item).
    Appraiser("thamdinh.khcn", ("7.5",), (Level.DEPARTMENT, Level.DISTRICT)),
)


@dataclass
class SeasonSummary:
    period: str = ""
    deadline: datetime.datetime | None = None
    statuses: dict[str, int] = field(default_factory=dict)
    answers: int = 0
    assignments: int = 0
    unit_accounts: int = 0
    survey_units: int = 0
    survey_forms: int = 0


def deadline_at(now: datetime.datetime, days: int) -> datetime.datetime:
    """17:00 local time, ``days`` days after ``now``'s local date."""
    tz = timezone.get_default_timezone()
    day = timezone.localdate(now, tz) + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(DEADLINE_HOUR), tzinfo=tz)


def season_period(province: Unit) -> Period | None:
    return Period.objects.filter(
        jurisdiction=province, year=SEASON_YEAR, kind=PeriodKind.ANNUAL
    ).first()


def season_create(
    *, province: Unit, seed: int, actor: User | None, now: datetime.datetime | None = None
) -> SeasonSummary:
    """Create and open the current season (call inside a transaction, after the finalised
    periods and the printed accounts exist)."""
    now = now or timezone.now()
    previous = Period.objects.get(jurisdiction=province, year=PREVIOUS_YEAR, kind=PeriodKind.ANNUAL)
    bindings = (
        PeriodGroup.objects.filter(period=previous)
        .select_related("group", "criteria_set")
        .order_by("group__position", "group__code")
    )
    groups: dict[UnitGroup, CriteriaSet] = {
        b.group: criteria_set_clone(source=b.criteria_set, year=SEASON_YEAR, actor=actor)
        for b in bindings
    }
    period = period_create(
        jurisdiction=province,
        year=SEASON_YEAR,
        kind=PeriodKind.ANNUAL,
        name=f"Năm {SEASON_YEAR}",
        groups=groups,
        previous=previous,
        actor=actor,
    )
    _set_rules(period, now, actor)
    period_open_self_assessment(
        period=period,
        actor=actor,
        deadline=deadline_at(now, DEADLINE_DAYS["self_assessment_deadline"]),
    )
    summary = SeasonSummary(period=period.name, deadline=period.self_assessment_deadline)
    units = period_units(period)
    summary.assignments = _assign_appraisers(period, units, actor)
    summary.answers, summary.unit_accounts = _progress(period, groups, seed, actor)
    for status in Assessment.objects.filter(period=period).values_list("status", flat=True):
        summary.statuses[status] = summary.statuses.get(status, 0) + 1
    survey = survey_create(period=period, seed=seed, actor=actor)
    summary.survey_units, summary.survey_forms = survey.surveyed, survey.forms
    return summary


def _set_rules(period: Period, now: datetime.datetime, actor: User | None) -> None:
    """The later stages' deadlines and the evidence rules. No service sets them before their
    stage opens, so they are written here and recorded in the audit trail like one."""
    names = [*DEADLINE_DAYS, "unsigned_evidence", "evidence_types"]
    before = {name: _json(getattr(period, name)) for name in names}
    for name, days in DEADLINE_DAYS.items():
        if name != "self_assessment_deadline":  # set by opening the self-assessment
            setattr(period, name, deadline_at(now, days))
    period.unsigned_evidence = UnsignedEvidencePolicy.FLAG
    period.evidence_types = EVIDENCE_TYPES
    period.save(update_fields=names[1:])
    record(
        actor=actor,
        action="period.settings_changed",
        target=period,
        summary=f"Đặt thời hạn các giai đoạn và quy định tài liệu kiểm chứng của {period.name}",
        before=before,
        after={name: _json(getattr(period, name)) for name in names[1:]},
    )


def _json(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime.datetime) else value


def _assign_appraisers(period: Period, units: list[Unit], actor: User | None) -> int:
    """One assignment per appraiser account (accounts that are not appraisers, e.g. kept
    from before the demo, are left out)."""
    users = User.objects.filter(username__in=[a.username for a in APPRAISERS]).in_bulk(
        field_name="username"
    )
    count = 0
    for spec in APPRAISERS:
        user = users.get(spec.username)
        if user is None or user.role != Role.APPRAISER:
            continue
        targets = [u for u in units if spec.levels is None or u.level in spec.levels]
        assignment_save(
            period=period,
            appraiser=user,
            node_codes=spec.node_codes,
            units=targets,
            actor=actor,
        )
        count += 1
    return count


# --------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class Plan:
    status: str
    """Where the unit is: not started, in progress or submitted."""
    share: float = 1.0
    """The share of its items it saved (in criteria order)."""
    items: int | None = None
    """Or exactly this many items."""

    def count(self, leaves: int) -> int:
        if self.status == AssessmentStatus.NOT_STARTED:
            return 0
        wanted = self.items if self.items is not None else round(leaves * self.share)
        return max(1, min(leaves, wanted))


def season_plan(units: Iterable[Unit], seed: int) -> dict[str, Plan]:
    """Each unit's progress, by group: the best part (quality and luck) submitted, the next
    part in progress with some of its items, the rest not started."""
    by_group: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_group.setdefault(unit.group_id, []).append(unit)
    plans: dict[str, Plan] = {}
    for members in by_group.values():
        forced = [u for u in members if u.code in TRY_OUT_UNITS]
        for unit in forced:
            plans[unit.code] = Plan(AssessmentStatus.IN_PROGRESS, items=FEW_ITEMS)
        ranked = sorted(
            (u for u in members if u.code not in TRY_OUT_UNITS),
            key=lambda u: (-_eagerness(seed, u.code), u.code),
        )
        submitted = round(len(members) * SHARE_SUBMITTED)
        in_progress = max(0, round(len(members) * SHARE_IN_PROGRESS) - len(forced))
        for i, unit in enumerate(ranked):
            if i < submitted:
                plans[unit.code] = Plan(AssessmentStatus.SUBMITTED)
            elif i < submitted + in_progress:
                rng = random.Random(f"parindex-demo:{seed}:season-share:{unit.code}")
                plans[unit.code] = Plan(
                    AssessmentStatus.IN_PROGRESS, share=rng.uniform(*IN_PROGRESS_SHARE)
                )
            else:
                plans[unit.code] = Plan(AssessmentStatus.NOT_STARTED)
    return plans


def _eagerness(seed: int, unit_code: str) -> float:
    noise = random.Random(f"parindex-demo:{seed}:season:{unit_code}").gauss(0, 0.08)
    return quality(seed, unit_code) + noise


def _progress(
    period: Period, groups: dict[UnitGroup, CriteriaSet], seed: int, actor: User | None
) -> tuple[int, int]:
    """Save each unit's items and submit as planned; (items saved, unit accounts made)."""
    assessments = list(
        Assessment.objects.filter(period=period)
        .select_related("period", "unit")
        .order_by("unit__position", "unit__code")
    )
    plans = season_plan((a.unit for a in assessments), seed)
    sets = {group.pk: criteria_set for group, criteria_set in groups.items()}
    leaves: dict[int, list[CriterionNode]] = {}
    criteria = {}
    for criteria_set in sets.values():
        leaves[criteria_set.pk] = list(
            CriterionNode.objects.filter(criteria_set=criteria_set, children__isnull=True)
            .select_related("criteria_set")
            .order_by("position", "id")
        )
        criteria[criteria_set.pk] = engine_criteria(criteria_set)
    working = [
        a.unit for a in assessments if plans[a.unit.code].status != AssessmentStatus.NOT_STARTED
    ]
    people, made = _unit_people(working, actor)
    saved = 0
    for assessment in assessments:
        unit = assessment.unit
        plan = plans[unit.code]
        if plan.status == AssessmentStatus.NOT_STARTED or unit.group_id not in sets:
            continue
        criteria_set = sets[unit.group_id]
        scores = unit_scores(
            criteria[criteria_set.pk],
            seed=seed,
            unit_code=unit.code,
            year=SEASON_YEAR,
            base_year=BASE_YEAR,
            not_applicable=(
                () if unit.has_procedures else criteria_data.NO_PROCEDURES_NOT_APPLICABLE
            ),
            survey=unit.has_procedures,
            optimism=OPTIMISM,
        )
        # Leaves under a node that does not apply to the unit stay empty (a unit marks only
        # a leaf "không áp dụng"; the sample sets allow it on the parent nodes).
        todo = [leaf for leaf in leaves[criteria_set.pk] if _is_value(scores.values.get(leaf.code))]
        staff, leader = people[unit.pk]
        for leaf in todo[: plan.count(len(todo))]:
            answer_save(
                assessment=assessment,
                node=leaf,
                actor=staff,
                version=0,
                value=scores.values[leaf.code],
            )
            saved += 1
        if plan.status == AssessmentStatus.SUBMITTED:
            assessment_submit(assessment=assessment, actor=leader)
    return saved, made


def _unit_people(units: list[Unit], actor: User | None) -> tuple[dict[int, tuple[User, User]], int]:
    """Who saves (staff) and who submits (leader) for each unit: the printed accounts of the
    try-out units, otherwise one internal account per unit (a leader, who may do both, with
    an unusable password: nobody signs in with it). How many internal accounts were made."""
    printed = {name for pair in TRY_OUT_UNITS.values() for name in pair}
    internal = {u.pk: f"{UNIT_ACCOUNT_PREFIX}{u.code.lower()}" for u in units}
    found = User.objects.filter(username__in=[*printed, *internal.values()]).in_bulk(
        field_name="username"
    )

    def usable(user: User | None, unit: Unit, roles: tuple[str, ...]) -> bool:
        return (
            user is not None and user.is_active and user.unit_id == unit.pk and user.role in roles
        )

    people: dict[int, tuple[User, User]] = {}
    new: list[User] = []
    for unit in units:
        staff_name, leader_name = TRY_OUT_UNITS.get(unit.code, ("", ""))
        staff, leader = found.get(staff_name), found.get(leader_name)
        if usable(staff, unit, (Role.UNIT_STAFF, Role.UNIT_LEADER)) and usable(
            leader, unit, (Role.UNIT_LEADER,)
        ):
            assert staff is not None and leader is not None
            people[unit.pk] = (staff, leader)
            continue
        user = found.get(internal[unit.pk])
        if user is None:
            user = User(
                username=internal[unit.pk],
                full_name=f"Cán bộ {unit.name} (tài khoản nội bộ của dữ liệu mẫu)",
                unit=unit,
                role=Role.UNIT_LEADER,
            )
            user.set_unusable_password()
            new.append(user)
        people[unit.pk] = (user, user)
    User.objects.bulk_create(new)
    for user in new:
        record(
            actor=actor,
            action="user.created",
            target=user,
            summary=f"Tạo tài khoản nội bộ {user.username} của dữ liệu mẫu (không đăng nhập được)",
            after={"username": user.username, "unit": user.unit.code if user.unit else None},
        )
    return people, len(new)


def _is_value(value: object) -> bool:
    return isinstance(value, bool | Decimal | Ratio)
