"""Seeding the season load benchmark through the services: the communes, their criteria
set of 31 leaves with every rule type, one official per commune and the open period."""

from __future__ import annotations

import datetime
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parindex.tools.bench.communes import seed_communes
from parindex.tools.bench.season_load.saves import plain

if TYPE_CHECKING:
    from parindex.accounts.models import User
    from parindex.criteria.models import CriteriaSet
    from parindex.organizations.models import Unit

PASSWORD = "parindex-bench-Mk2025"  # noqa: S105 (a throw-away benchmark database)
UNIT_PREFIX = "BENCH"


# --------------------------------------------------------------------------- the criteria set


def _node(code: str, name: str, max_: str, **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {"code": code, "name": name, "max": max_}
    if "." in code:
        item["parent"] = code.rsplit(".", 1)[0]
    item.update(extra)
    return item


def _percent(floor: str | None = None) -> dict[str, Any]:
    return {"rule": {"type": "percent", **({"floor": floor} if floor else {})}}


def _ratio(floor: str | None = None, full_at: str | None = None) -> dict[str, Any]:
    rule: dict[str, Any] = {"type": "ratio"}
    if floor:
        rule["floor"] = floor
    if full_at:
        rule["full_at"] = full_at
    return {"rule": rule}


def _tiers(top: str, middle: str) -> dict[str, Any]:
    return {
        "rule": {
            "type": "tiers",
            "tiers": [{"min": "5", "points": top}, {"min": "2", "points": middle}],
        }
    }


def _deduction(per_item: str) -> dict[str, Any]:
    return {"rule": {"type": "deduction", "per_item": per_item}}


def _nodes() -> list[dict[str, Any]]:
    """6 fields, 31 leaves; field 6 three levels deep; four leaves allow "không áp dụng"."""
    node, percent, ratio, tiers, deduction = _node, _percent, _ratio, _tiers, _deduction
    boolean = {"type": "boolean"}
    manual: dict[str, Any] = {}
    na = {"allow_not_applicable": True}
    return [
        node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "10"),
        node("1.1", "Ban hành kế hoạch CCHC năm", "2", rule=boolean),
        node("1.2", "Tỷ lệ hoàn thành kế hoạch CCHC", "3", **percent("0.5")),
        node("1.3", "Số sáng kiến, giải pháp CCHC", "2", **tiers("2", "1")),
        node("1.4", "Kiểm tra công tác CCHC", "1.5", **manual),
        node("1.5", "Tuyên truyền CCHC", "1.5", rule=boolean),
        node("2", "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật", "9"),
        node("2.1", "Ban hành kế hoạch rà soát văn bản", "2", rule=boolean),
        node("2.2", "Tỷ lệ văn bản được rà soát", "2", **ratio()),
        node("2.3", "Tỷ lệ thực hiện kế hoạch theo dõi thi hành pháp luật", "2", **percent()),
        node("2.4", "Số văn bản ban hành sai thẩm quyền", "2", **deduction("0.5")),
        node("2.5", "Xử lý văn bản sau kiểm tra", "1", **manual),
        node("3", "Cải cách thủ tục hành chính", "20"),
        node("3.1", "Tỷ lệ hồ sơ giải quyết đúng hạn", "6", **ratio("0.7", "0.95")),
        node("3.2", "Hồ sơ bị yêu cầu bổ sung quá một lần", "4", **deduction("1"), **na),
        node("3.3", "Tỷ lệ công khai thủ tục hành chính", "4", **percent()),
        node("3.4", "Niêm yết địa chỉ tiếp nhận phản ánh", "2", rule=boolean),
        node("3.5", "Số phản ánh, kiến nghị được xử lý", "4", **tiers("4", "2"), **na),
        node("4", "Cải cách tổ chức bộ máy hành chính", "12"),
        node("4.1", "Thực hiện quy định về tổ chức bộ máy", "3", **manual),
        node("4.2", "Tỷ lệ cán bộ bố trí đúng vị trí việc làm", "3", **ratio("0.5")),
        node("4.3", "Ban hành quy chế làm việc", "2", rule=boolean),
        node("4.4", "Tỷ lệ thực hiện phân cấp", "2", **percent()),
        node("4.5", "Số sai phạm về tổ chức bộ máy", "2", **deduction("0.5")),
        node("5", "Cải cách chế độ công vụ", "14"),
        node("5.1", "Thực hiện quy định về tuyển dụng", "3", rule=boolean),
        node("5.2", "Tỷ lệ công chức được bồi dưỡng", "3", **ratio()),
        node("5.3", "Số công chức đạt chuẩn", "3", **tiers("3", "1.5")),
        node("5.4", "Chấp hành kỷ luật, kỷ cương", "3", **manual),
        node("5.5", "Tỷ lệ đánh giá công chức đúng hạn", "2", **percent("0.6")),
        node("6", "Xây dựng chính quyền số", "16"),
        node("6.1", "Hạ tầng số", "4"),
        node("6.1.1", "Tỷ lệ máy tính kết nối mạng", "2", **ratio(), **na),
        node("6.1.2", "Có hệ thống an toàn thông tin", "2", rule=boolean, **na),
        node("6.2", "Tỷ lệ văn bản điện tử có chữ ký số", "3", **percent()),
        node("6.3", "Sử dụng hệ thống quản lý văn bản", "3", rule=boolean),
        node("6.4", "Số dịch vụ công trực tuyến toàn trình", "3", **tiers("3", "1")),
        node("6.5", "Ứng dụng công nghệ thông tin khác", "3", **manual),
    ]


def criteria_document() -> dict[str, Any]:
    """A commune criteria set of 6 fields and 31 leaves covering all six rule types, one
    field three levels deep, four leaves that allow "không áp dụng"."""
    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí CCHC cấp xã (đo tải)",
            "rounding": {"mode": "truncate", "places": 2},
            "index_rounding": {"mode": "half_up", "places": 2},
            "nodes": _nodes(),
        },
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "65"}],
            "otherwise": "Trung bình",
        },
    }


# --------------------------------------------------------------------------- the season


@dataclass
class Plan:
    """What the seeding created and the locust scenario needs (written as ``plan.json``)."""

    period_id: int
    password: str
    users: list[dict[str, Any]]
    """username, unit (code), assessment (id)."""
    leaves: list[dict[str, Any]]
    """code, rule, max, allow_na."""

    def write(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=1), encoding="utf-8")


def seed(*, units: int, password: str = PASSWORD, year: int = 2025) -> Plan:
    """Create the season through the services (see :mod:`parindex.tools.bench.load`); one
    transaction."""
    from django.db import transaction
    from django.utils import timezone

    from parindex.assessments.models import Assessment
    from parindex.criteria.services import SetInfo, criteria_set_import_document
    from parindex.organizations.models import Level
    from parindex.periods.models import PeriodKind
    from parindex.periods.services import period_create
    from parindex.season.stages import period_open_self_assessment

    with transaction.atomic():
        province, group, communes = seed_communes(
            prefix=UNIT_PREFIX,
            label="Đo Tải",
            group_code="bench-ubnd-cap-xa",
            purpose="đo tải",
            units=units,
            digits=4,
        )
        criteria_set = criteria_set_import_document(
            document=criteria_document(),
            info=SetInfo(level=Level.COMMUNE, year=year, jurisdiction=province),
            actor=None,
        )
        chair, staff = _create_accounts(province, communes, password)
        period = period_create(
            jurisdiction=province,
            year=year,
            kind=PeriodKind.ANNUAL,
            name=f"Đo tải năm {year}",
            groups={group: criteria_set},
            actor=chair,
        )
        period_open_self_assessment(
            period=period, actor=chair, deadline=timezone.now() + datetime.timedelta(days=30)
        )
        assessments = dict(Assessment.objects.filter(period=period).values_list("unit_id", "pk"))
        leaves = _leaves(criteria_set)
    return Plan(
        period_id=period.pk,
        password=password,
        users=[
            {"username": u.username, "unit": unit.code, "assessment": assessments[unit.pk]}
            for u, unit in zip(staff, communes, strict=True)
        ],
        leaves=leaves,
    )


def _create_accounts(
    province: Unit, communes: list[Unit], password: str
) -> tuple[User, list[User]]:
    """The chair of the province and one unit official per commune (audited as a batch)."""
    from django.contrib.auth.hashers import make_password

    from parindex.accounts.models import Role, User
    from parindex.audit.services import record

    # No accounts service exists yet: users are written directly (one hash for the one
    # known password; Argon2 is the production hasher) and the batch is audited.
    hashed = make_password(password)
    chair = User.objects.create(
        username="bench.chutich",
        full_name="Chủ tịch hội đồng (đo tải)",
        role=Role.CHAIR,
        unit=province,
        password=hashed,
    )
    staff = User.objects.bulk_create(
        User(
            username=f"bench.xa{i:04d}",
            full_name=f"Cán bộ xã Đo Tải {i:04d}",
            role=Role.UNIT_STAFF,
            unit=unit,
            password=hashed,
        )
        for i, unit in enumerate(communes, start=1)
    )
    record(
        actor=None,
        action="user.bulk_created",
        target=chair,
        summary=f"Tạo {len(staff) + 1} tài khoản đo tải",
        after={"count": len(staff) + 1},
    )
    return chair, staff


def _leaves(criteria_set: CriteriaSet) -> list[dict[str, Any]]:
    """The leaves the locust users save: code, rule, max points, whether N/A is allowed."""
    from parindex.criteria.models import CriterionNode

    return [
        {
            "code": n.code,
            "rule": n.rule_type,
            "max": plain(n.max_points),
            "allow_na": n.allow_not_applicable,
        }
        for n in CriterionNode.objects.filter(
            criteria_set=criteria_set, children__isnull=True
        ).order_by("position", "id")
    ]
