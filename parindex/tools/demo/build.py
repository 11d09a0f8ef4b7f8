"""Creating and deleting the demo data (dữ liệu mẫu) through the apps' services.

Everything is written by the services of each app (organisation tree, criteria sets,
periods, final scores, the current season's lifecycle and self-assessments) in bulk where
they offer it, so the demo is audited like any other change. It takes well under half a
minute on SQLite, most of it saving the season's items one by one as the units would. The
only direct writes are the accounts (there is no accounts service yet), the season's later
deadlines, evidence rules and appraiser assignments (no service writes them yet); each is
recorded in the audit trail.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from parindex.accounts.models import Role, User
from parindex.assessments.models import ItemScore
from parindex.assessments.services.final_scores import FinalScores, final_scores_store_many
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet
from parindex.criteria.selectors import criteria_set_document, engine_criteria
from parindex.criteria.services import (
    SetInfo,
    criteria_set_clone,
    criteria_set_delete,
    criteria_set_import_document,
)
from parindex.organizations.jurisdiction import in_province
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import (
    UnitSpec,
    unit_group_create,
    unit_groups_delete,
    units_bulk_create,
    units_delete,
)
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_delete, period_set_status
from parindex.plans.models import ReformPlan
from parindex.results.services import Decision, results_compute, results_publish
from parindex.tools.demo import criteria_data, units_data
from parindex.tools.demo.followup import FollowupSummary, followup_create
from parindex.tools.demo.interim import (
    INTERIM_CHAIR,
    INTERIM_DISTRICT_CODE,
    InterimSummary,
    interim_create,
    interim_period,
)
from parindex.tools.demo.scores import unit_scores
from parindex.tools.demo.season import (
    JUSTICE_CODE,
    VAN_SON_CODE,
    SeasonSummary,
    season_create,
    season_period,
)

DEFAULT_SEED = 2024
YEARS = (2023, 2024)
DECISION_NUMBERS = {2023: 412, 2024: 386}
"""The demo's decisions publishing each year's results (invented numbers)."""
DECISION_SIGNER = "Lê Quang Minh"


DEMO_PASSWORD = "parindex-demo"  # noqa: S105 - printed for everyone to try the demo
SNV = units_data.HOME_AFFAIRS_CODE
STP = JUSTICE_CODE
VAN_SON = VAN_SON_CODE


@dataclass(frozen=True)
class Account:
    """A printed demo account: one per role a visitor may want to try."""

    username: str
    password: str
    role: str
    """:class:`~parindex.accounts.models.Role` value."""
    label: str
    """What the account is for, as printed in the table."""
    full_name: str
    unit_code: str
    is_staff: bool = False
    is_superuser: bool = False


def _appraiser(username: str, label: str, full_name: str, unit_code: str) -> Account:
    return Account(username, DEMO_PASSWORD, Role.APPRAISER, label, full_name, unit_code)


ACCOUNTS: tuple[Account, ...] = (
    Account(
        "admin",
        "parindex-admin",
        Role.CHAIR,
        "quản trị hệ thống (toàn quyền)",
        "Quản trị hệ thống (dữ liệu mẫu)",
        SNV,
        is_staff=True,
        is_superuser=True,
    ),
    Account(
        "chutich",
        DEMO_PASSWORD,
        Role.CHAIR,
        "chủ tịch hội đồng, quản trị kỳ đánh giá",
        "Đỗ Thanh Bình (Chủ tịch Hội đồng thẩm định, dữ liệu mẫu)",
        SNV,
        is_staff=True,
    ),
    Account(
        "sonoivu",
        DEMO_PASSWORD,
        Role.CHAIR,
        "cán bộ Sở Nội vụ quản lý kỳ đánh giá (như chủ tịch)",
        "Nguyễn Thị Minh (Sở Nội vụ, dữ liệu mẫu)",
        SNV,
        is_staff=True,
    ),
    Account(
        "quansat",
        DEMO_PASSWORD,
        Role.OBSERVER,
        "quan sát (chỉ xem)",
        "Vũ Thị Lan (Sở Nội vụ, dữ liệu mẫu)",
        SNV,
    ),
    _appraiser(
        "thamdinh",
        "tổ thẩm định: lĩnh vực 1, 4, 5, 8",
        "Lê Minh Tuấn (Sở Nội vụ, dữ liệu mẫu)",
        SNV,
    ),
    _appraiser(
        "thamdinh.tuphap",
        "tổ thẩm định: lĩnh vực 2",
        "Hoàng Thu Trang (Sở Tư pháp, dữ liệu mẫu)",
        STP,
    ),
    _appraiser(
        "thamdinh.vpubnd",
        "tổ thẩm định: lĩnh vực 3",
        "Ngô Đức Thắng (Văn phòng UBND tỉnh, dữ liệu mẫu)",
        f"{units_data.PREFIX}-VPUBND",
    ),
    _appraiser(
        "thamdinh.taichinh",
        "tổ thẩm định: lĩnh vực 6",
        "Bùi Thị Hạnh (Sở Tài chính, dữ liệu mẫu)",
        f"{units_data.PREFIX}-STC",
    ),
    _appraiser(
        "thamdinh.tttt",
        "tổ thẩm định: lĩnh vực 7",
        "Đặng Quang Huy (Sở Thông tin và Truyền thông, dữ liệu mẫu)",
        f"{units_data.PREFIX}-STTTT",
    ),
    _appraiser(
        "thamdinh.khcn",
        "tổ thẩm định: tiêu chí 7.5 (ISO) của sở, huyện",
        "Trịnh Văn Long (Sở Khoa học và Công nghệ, dữ liệu mẫu)",
        f"{units_data.PREFIX}-SKHCN",
    ),
    Account(
        INTERIM_CHAIR,
        DEMO_PASSWORD,
        Role.CHAIR,
        "Phòng Nội vụ huyện: chủ tịch hội đồng kỳ 6 tháng của các xã",
        "Phạm Quốc Việt (Phòng Nội vụ huyện Vân Khê, dữ liệu mẫu)",
        INTERIM_DISTRICT_CODE,
    ),
    Account(
        "so.canbo",
        DEMO_PASSWORD,
        Role.UNIT_STAFF,
        "cán bộ đơn vị: tự chấm điểm, tài liệu",
        "Phan Thị Mai (Sở Tư pháp, dữ liệu mẫu)",
        STP,
    ),
    Account(
        "so.lanhdao",
        DEMO_PASSWORD,
        Role.UNIT_LEADER,
        "lãnh đạo đơn vị: gửi, rút hồ sơ",
        "Nguyễn Văn Khánh (Sở Tư pháp, dữ liệu mẫu)",
        STP,
    ),
    Account(
        "xa.demo",
        DEMO_PASSWORD,
        Role.UNIT_STAFF,
        "cán bộ đơn vị: tự chấm điểm, tài liệu",
        "Trần Văn Hòa (UBND xã Vân Sơn, dữ liệu mẫu)",
        VAN_SON,
    ),
    Account(
        "lanhdao.xa",
        DEMO_PASSWORD,
        Role.UNIT_LEADER,
        "lãnh đạo đơn vị: gửi, rút hồ sơ",
        "Lý Thị Thu (UBND xã Vân Sơn, dữ liệu mẫu)",
        VAN_SON,
    ),
)


@dataclass
class DemoSummary:
    departments: int = 0
    districts: int = 0
    communes: int = 0
    criteria_sets: int = 0
    periods: list[str] = field(default_factory=list)
    assessments: int = 0
    item_scores: int = 0
    existing_accounts: list[str] = field(default_factory=list)
    """Usernames that already existed (their passwords were left unchanged)."""
    season: SeasonSummary | None = None
    interim: InterimSummary | None = None
    followup: FollowupSummary | None = None


def demo_province() -> Unit | None:
    return Unit.objects.filter(code=units_data.PROVINCE_CODE).first()


def demo_exists() -> bool:
    return demo_province() is not None


def demo_complete(*, seed: int = DEFAULT_SEED, actor: User | None = None) -> DemoSummary | None:
    """Bring demo data made by an earlier version up to date: add the printed accounts and
    the current season (and the district's 6-month period) when the demo has no season
    yet. None when there was nothing to do (no demo, or its season exists)."""
    province = demo_province()
    if province is None or season_period(province) is not None:
        return None
    with transaction.atomic():
        summary = DemoSummary()
        summary.existing_accounts = _create_accounts(actor)
        summary.season = season_create(province=province, seed=seed, actor=actor)
        if interim_period(province) is None:
            summary.interim = interim_create(province=province, seed=seed, actor=actor)
            interim = interim_period(province)
            assert interim is not None
            summary.followup = followup_create(interim=interim, actor=actor)
    return summary


@transaction.atomic
def demo_create(*, seed: int = DEFAULT_SEED, actor: User | None = None) -> DemoSummary:
    """Create the demo province, its units, criteria sets, two finalised periods with
    final scores for every unit, the demo accounts and the current season (see
    :mod:`~parindex.tools.demo.season`). Deterministic for a given seed."""
    summary = DemoSummary()
    groups = _create_groups(actor)
    units = units_bulk_create(
        specs=_unit_specs(),
        actor=actor,
        summary=f"Tạo đơn vị của {units_data.PROVINCE_NAME}",
    )
    province = units[0]
    by_level: dict[str, list[Unit]] = {}
    for unit in units[1:]:
        by_level.setdefault(unit.level, []).append(unit)
    summary.departments = len(by_level[Level.DEPARTMENT])
    summary.districts = len(by_level[Level.DISTRICT])
    summary.communes = len(by_level[Level.COMMUNE])

    sets = _criteria_sets(province, actor)
    summary.criteria_sets = sum(len(year_sets) for year_sets in sets.values())

    previous: Period | None = None
    for year in YEARS:
        period = period_create(
            jurisdiction=province,
            year=year,
            kind=PeriodKind.ANNUAL,
            name=f"Năm {year}",
            groups={groups[level]: sets[year][level] for level in groups},
            previous=previous,
            actor=actor,
        )
        entries = _final_scores(sets[year], by_level, seed=seed, year=year)
        _finalise_and_publish(period, entries, year, actor)
        summary.periods.append(period.name)
        summary.assessments += len(entries)
        summary.item_scores += sum(len(e.values) for e in entries)
        previous = period

    summary.existing_accounts = _create_accounts(actor)
    summary.season = season_create(province=province, seed=seed, actor=actor)
    summary.interim = interim_create(province=province, seed=seed, actor=actor)
    interim = interim_period(province)
    assert interim is not None
    summary.followup = followup_create(interim=interim, actor=actor)
    return summary


def _create_groups(actor: User | None) -> dict[str, UnitGroup]:
    """The three ranking groups (sở, huyện, xã), by level."""
    return {
        level: unit_group_create(code=code, name=name, level=level, position=i, actor=actor)
        for i, (level, (code, name)) in enumerate(
            [
                (Level.DEPARTMENT, units_data.GROUP_DEPARTMENTS),
                (Level.DISTRICT, units_data.GROUP_DISTRICTS),
                (Level.COMMUNE, units_data.GROUP_COMMUNES),
            ],
            start=1,
        )
    }


def _final_scores(
    sets: dict[str, CriteriaSet], by_level: dict[str, list[Unit]], *, seed: int, year: int
) -> list[FinalScores]:
    """Every unit's deterministic final scores for ``year`` under its level's set."""
    entries: list[FinalScores] = []
    for level, criteria_set in sets.items():
        criteria = engine_criteria(criteria_set)
        for unit in by_level[level]:
            scores = unit_scores(
                criteria,
                seed=seed,
                unit_code=unit.code,
                year=year,
                base_year=YEARS[0],
                not_applicable=(
                    () if unit.has_procedures else criteria_data.NO_PROCEDURES_NOT_APPLICABLE
                ),
                survey=unit.has_procedures,
            )
            entries.append(
                FinalScores(
                    unit=unit,
                    values=scores.values,
                    survey_points=scores.survey_points,
                    survey_not_applicable=scores.survey_not_applicable,
                    bonus=scores.bonus,
                    penalty=scores.penalty,
                )
            )
    return entries


def _finalise_and_publish(
    period: Period, entries: list[FinalScores], year: int, actor: User | None
) -> None:
    """Store the final scores, finalise the period and publish its results by decision."""
    final_scores_store_many(
        period=period,
        entries=entries,
        actor=actor,
        summary=f"Tạo điểm chính thức mẫu của {len(entries)} đơn vị ({period.name})",
        mark_final=True,
    )
    period_set_status(period=period, status=PeriodStatus.FINALISED, actor=actor)
    results_publish(
        version=results_compute(period=period, actor=actor),
        decision=Decision(
            number=f"{DECISION_NUMBERS[year]}/QĐ-UBND",
            date=datetime.date(year + 1, 2, 20),
            signer_name=DECISION_SIGNER,
            signer_title="Chủ tịch UBND tỉnh",
        ),
        actor=actor,
    )


def _unit_specs() -> list[UnitSpec]:
    d = units_data
    specs = [
        UnitSpec(
            code=d.PROVINCE_CODE,
            name=d.PROVINCE_NAME,
            short_name="Minh Hà",
            level=Level.PROVINCE,
        )
    ]
    for i, (suffix, name, has_procedures) in enumerate(d.DEPARTMENTS, start=1):
        specs.append(
            UnitSpec(
                code=f"{d.PREFIX}-{suffix}",
                name=name,
                level=Level.DEPARTMENT,
                parent_code=d.PROVINCE_CODE,
                group_code=d.GROUP_DEPARTMENTS[0],
                has_procedures=has_procedures,
                position=i,
            )
        )
    communes: list[UnitSpec] = []
    for i, (kind, place, children) in enumerate(d.DISTRICTS, start=1):
        district = d.district_code(kind, place)
        specs.append(
            UnitSpec(
                code=district,
                name=f"UBND {d.DISTRICT_KIND[kind]} {place}",
                short_name=place,
                level=Level.DISTRICT,
                parent_code=d.PROVINCE_CODE,
                group_code=d.GROUP_DISTRICTS[0],
                position=i,
            )
        )
        for commune_kind, commune in children:
            communes.append(
                UnitSpec(
                    code=d.commune_code(district, commune_kind, commune),
                    name=f"UBND {d.COMMUNE_KIND[commune_kind]} {commune}",
                    short_name=f"{commune} ({place})",
                    level=Level.COMMUNE,
                    parent_code=district,
                    group_code=d.GROUP_COMMUNES[0],
                    position=len(communes) + 1,
                )
            )
    return specs + communes


def _criteria_sets(province: Unit, actor: User | None) -> dict[int, dict[str, CriteriaSet]]:
    """The 2023 sets from the sample documents; 2024 cloned from them (the commune set with
    one change: a higher floor for 3.11.1)."""
    first, second = YEARS
    documents = {
        Level.DEPARTMENT: criteria_data.department_document(first),
        Level.DISTRICT: criteria_data.district_document(first),
        Level.COMMUNE: criteria_data.commune_document(first),
    }
    sets: dict[int, dict[str, CriteriaSet]] = {first: {}, second: {}}
    for number, (level, document) in enumerate(documents.items(), start=1):
        sets[first][level] = criteria_set_import_document(
            document=document,
            info=SetInfo(
                level=level,
                year=first,
                jurisdiction=province,
                period_label=f"Năm {first}",
                decision=f"{100 + number}/QĐ-UBND (dữ liệu mẫu)",
                decision_date=datetime.date(first, 1, 10),
                note=criteria_data.SAMPLE_NOTE,
                plan_criterion_code=criteria_data.PLAN_CRITERIA.get(level, ""),
            ),
            actor=actor,
        )
    for level in (Level.DEPARTMENT, Level.DISTRICT):
        sets[second][level] = criteria_set_clone(
            source=sets[first][level], year=second, actor=actor
        )
    commune_2023 = sets[first][Level.COMMUNE]
    sets[second][Level.COMMUNE] = criteria_set_import_document(
        document=criteria_data.commune_changes_2024(criteria_set_document(commune_2023)),
        info=SetInfo(
            level=Level.COMMUNE,
            year=second,
            jurisdiction=province,
            name=commune_2023.name.replace(str(first), str(second)),
            period_label=f"Năm {second}",
            decision="203/QĐ-UBND (dữ liệu mẫu)",
            decision_date=datetime.date(second, 1, 12),
            note=criteria_data.SAMPLE_NOTE
            + " Năm 2024: nâng ngưỡng tối thiểu của tiêu chí 3.11.1 từ 70% lên 80%.",
            plan_criterion_code=criteria_data.PLAN_CRITERIA[Level.COMMUNE],
        ),
        actor=actor,
    )
    return sets


def _create_accounts(actor: User | None) -> list[str]:
    """Create the printed accounts; the usernames that already existed.

    An existing account keeps its password. One made by an earlier version of the demo (in
    its demo unit) gets its role and staff flag; any other is left as it is."""
    existing = User.objects.filter(username__in=[a.username for a in ACCOUNTS]).in_bulk(
        field_name="username"
    )
    units = {u.code: u for u in Unit.objects.filter(code__in=[a.unit_code for a in ACCOUNTS])}
    # One hash per password (the hasher is deliberately slow; the passwords are printed).
    hashes: dict[str, str] = {}
    for account in ACCOUNTS:
        unit = units[account.unit_code]
        user = existing.get(account.username)
        if user is not None:
            if user.unit_id == unit.pk and (user.role, user.is_staff) != (
                account.role,
                account.is_staff,
            ):
                before = {"role": user.role, "is_staff": user.is_staff}
                user.role, user.is_staff = account.role, account.is_staff
                user.save(update_fields=["role", "is_staff"])
                record(
                    actor=actor,
                    action="user.changed",
                    target=user,
                    summary=f"Cập nhật vai trò tài khoản mẫu {user.username} ({account.label})",
                    before=before,
                    after={"role": user.role, "is_staff": user.is_staff},
                )
            continue
        user = User(
            username=account.username,
            full_name=account.full_name,
            unit=unit,
            role=account.role,
            is_staff=account.is_staff,
            is_superuser=account.is_superuser,
        )
        if account.password not in hashes:
            hashes[account.password] = make_password(account.password)
        user.password = hashes[account.password]
        user.save()
        record(
            actor=actor,
            action="user.created",
            target=user,
            summary=f"Tạo tài khoản mẫu {user.username} ({account.label})",
            after={"username": user.username, "unit": account.unit_code, "role": account.role},
        )
    return sorted(existing)


def _demo_units(province: Unit) -> list[Unit]:
    units = [province]
    frontier = [province.pk]
    while frontier:
        children = list(Unit.objects.filter(parent_id__in=frontier))
        units.extend(children)
        frontier = [u.pk for u in children]
    return units


@transaction.atomic
def demo_delete(*, actor: User | None = None) -> bool:
    """Delete everything :func:`demo_create` made. False if there was no demo data."""
    province = demo_province()
    if province is None:
        return False
    # The province's periods and sets, and those of its districts (the 6-month period).
    periods = Period.objects.filter(in_province("jurisdiction", province))
    for period in periods.order_by("-year", "-pk"):
        period_delete(period=period, actor=actor, published_too=True)
    sets = CriteriaSet.objects.filter(in_province("jurisdiction", province))
    for criteria_set in sets.order_by("-pk"):
        criteria_set_delete(criteria_set=criteria_set, actor=actor)
    units = _demo_units(province)
    _delete_plans(units, actor)
    _delete_users(User.objects.filter(unit__in=units), actor)
    units_delete(units=units, actor=actor, summary=f"Xóa {units_data.PROVINCE_NAME}")
    group_codes = [
        units_data.GROUP_DEPARTMENTS[0],
        units_data.GROUP_DISTRICTS[0],
        units_data.GROUP_COMMUNES[0],
    ]
    unit_groups_delete(groups=list(UnitGroup.objects.filter(code__in=group_codes)), actor=actor)
    return True


def _delete_plans(units: list[Unit], actor: User | None) -> None:
    """The units' CCHC plans (their items go with them)."""
    for plan in ReformPlan.objects.filter(unit__in=units).select_related("unit"):
        record(
            actor=actor,
            action="plan.deleted",
            target=plan,
            summary=f"Xóa kế hoạch CCHC năm {plan.year} của {plan.unit.name} (dữ liệu mẫu)",
            before={"unit": plan.unit.code, "year": plan.year, "title": plan.title},
        )
        plan.delete()


def _delete_users(users: Iterable[User], actor: User | None) -> None:
    for user in list(users):
        record(
            actor=actor if actor is None or actor.pk != user.pk else None,
            action="user.deleted",
            target=user,
            summary=f"Xóa tài khoản mẫu {user.username}",
            before={"username": user.username},
        )
        user.delete()


def item_score_count(province: Unit) -> int:
    return ItemScore.objects.filter(assessment__period__jurisdiction=province).count()
