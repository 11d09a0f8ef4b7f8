"""The oversight of remediation tasks (Theo dõi khắc phục): the numbers, the filters, the
export, and who may read it.

The fixture: Hà Nam's 6-month period of 2024, finalised; unit A (Liêm Tuyền) and unit B
(Thanh Sơn) made seven tasks from their lost points, in every status:

====  =====  ===========  =====  =======  ==========
unit  item   status       lost   overdue  at stake
====  =====  ===========  =====  =======  ==========
A     1.1    open         4      yes      4 (once)
A     1.1    in progress  4      no       (same item)
A     1.2    done         2
A     3.1    dropped      3
B     1.1    in progress  4      yes      4
B     3.2    open         1.5    no       1.5
B     1.3    done         3
====  =====  ===========  =====  =======  ==========
"""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from parindex.accounts.models import Role, User
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.organizations.services import unit_create
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.remediation.oversight import Filters, overseen_tasks, period_oversight
from tests.personas import client_for

pytestmark = pytest.mark.django_db

D = Decimal
TODAY = timezone.localdate()
PAST = TODAY - datetime.timedelta(days=3)
FUTURE = TODAY + datetime.timedelta(days=30)


@pytest.fixture
def commune_set(province: Unit, sample_document: dict[str, Any]) -> CriteriaSet:
    return criteria_set_import_document(
        document=sample_document,
        info=SetInfo(level=Level.COMMUNE, year=2024, jurisdiction=province),
        actor=None,
    )


@pytest.fixture
def interim(province: Unit, communes_group: UnitGroup, commune_set: CriteriaSet) -> Period:
    period = period_create(
        jurisdiction=province,
        year=2024,
        kind=PeriodKind.INTERIM,
        name="Chỉ số CCHC 6 tháng đầu năm 2024",
        groups={communes_group: commune_set},
        actor=None,
    )
    return period_set_status(period=period, status=PeriodStatus.FINALISED, actor=None)


def make_task(
    period: Period,
    unit: Unit,
    code: str,
    status: str,
    lost: str,
    due: datetime.date,
    **extra: Any,
) -> RemediationTask:
    node = CriterionNode.objects.get(criteria_set=period.groups.get().criteria_set, code=code)
    return RemediationTask.objects.create(
        period=period,
        unit=unit,
        node=node,
        node_code=code,
        max_points=node.max_points,
        self_points=node.max_points,
        appraised_points=node.max_points - D(lost),
        points_lost=D(lost),
        council_comment=f"Hội đồng: {code} chưa đạt.",
        action=extra.pop("action", f"Khắc phục nội dung {code}"),
        due_date=due,
        status=status,
        **extra,
    )


@pytest.fixture
def tasks(interim: Period, commune: Unit, other_commune: Unit, unit_staff: User) -> Period:
    make_task(interim, commune, "1.1", TaskStatus.OPEN, "4", PAST, officer=unit_staff)
    make_task(interim, commune, "1.1", TaskStatus.IN_PROGRESS, "4", FUTURE)
    make_task(interim, commune, "1.2", TaskStatus.DONE, "2", PAST, result="Đã ban hành.")
    make_task(interim, commune, "3.1", TaskStatus.DROPPED, "3", PAST, drop_reason="Không khả thi")
    make_task(interim, other_commune, "1.1", TaskStatus.IN_PROGRESS, "4", PAST)
    make_task(interim, other_commune, "3.2", TaskStatus.OPEN, "1.5", FUTURE)
    make_task(interim, other_commune, "1.3", TaskStatus.DONE, "3", FUTURE)
    return interim


def _url(period: Period, query: str = "", *, xlsx: bool = False) -> str:
    name = "oversight:period_xlsx" if xlsx else "oversight:period"
    return reverse(name, args=[period.pk]) + (f"?{query}" if query else "")


def _oversight(user: User, period: Period, **filters: Any) -> Any:
    return period_oversight(period, overseen_tasks(user, period), Filters(**filters), today=TODAY)


# --------------------------------------------------------------------------- the numbers


def test_the_cards_count_every_status_and_each_item_at_stake_once(
    tasks: Period, chair: User
) -> None:
    t = _oversight(chair, tasks).totals
    assert (t.tasks, t.open, t.in_progress, t.done, t.dropped) == (7, 2, 2, 2, 1)
    assert t.overdue == 2
    assert t.units == 2
    # A's 1.1 (two open tasks) counts once: 4 + B's 1.1 4 + B's 3.2 1.5.
    assert t.at_stake == D("9.5")


def test_the_table_per_unit_puts_the_most_at_stake_first(tasks: Period, chair: User) -> None:
    rows = list(_oversight(chair, tasks).units)
    assert [r["unit__name"] for r in rows] == ["UBND xã Thanh Sơn", "UBND xã Liêm Tuyền"]
    b, a = rows
    assert (b["tasks"], b["done"], b["overdue"], b["at_stake"]) == (3, 1, 1, D("5.5"))
    assert (a["tasks"], a["done"], a["overdue"], a["at_stake"]) == (4, 1, 1, D(4))
    assert a["last"] is not None


def test_the_table_per_criterion_counts_units_tasks_and_points(tasks: Period, chair: User) -> None:
    rows = {r["node_code"]: r for r in _oversight(chair, tasks).criteria}
    assert list(rows) == ["1.1", "1.2", "1.3", "3.1", "3.2"]
    first = rows["1.1"]
    assert (first["units"], first["tasks"], first["overdue"], first["at_stake"]) == (
        2,
        3,
        2,
        D(8),
    )
    assert first["node__name"] == "Ban hành kế hoạch CCHC"
    assert rows["3.2"]["at_stake"] == D("1.5")
    assert rows["1.2"]["at_stake"] == 0


@pytest.mark.parametrize(
    ("filters", "count", "at_stake"),
    [
        ({"group": "ubnd-cap-xa"}, 7, D("9.5")),
        ({"group": "so-ban-nganh"}, 0, D(0)),
        ({"unit": "thanh son"}, 3, D("5.5")),
        ({"unit": "LIEM"}, 4, D(4)),
        ({"status": TaskStatus.DONE}, 2, D(0)),
        ({"overdue": True}, 2, D(8)),
        ({"code": "1"}, 5, D(8)),
        ({"code": "3.1"}, 1, D(0)),
        ({"code": "3", "status": TaskStatus.OPEN}, 1, D("1.5")),
    ],
)
def test_filters_narrow_cards_tables_and_list(
    tasks: Period, chair: User, filters: dict[str, Any], count: int, at_stake: Decimal
) -> None:
    oversight = _oversight(chair, tasks, **filters)
    assert oversight.totals.tasks == count
    assert oversight.tasks.paginator.count == count
    assert oversight.totals.at_stake == at_stake
    assert sum(r["tasks"] for r in oversight.units) == count


def test_the_page_shows_the_numbers(tasks: Period, chair_client: Client) -> None:
    response = chair_client.get(_url(tasks))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-so="tasks">7<' in page
    assert 'data-so="overdue">2<' in page
    assert 'data-so="at_stake">9,50<' in page
    assert "Khắc phục nội dung 3.2" in page
    assert 'data-ma-tieu-chi="1.1"' in page
    assert reverse("oversight:period_xlsx", args=[tasks.pk]) in page


def test_the_page_filters_from_the_query_string(tasks: Period, chair_client: Client) -> None:
    page = chair_client.get(_url(tasks, "don-vi=thanh+son&qua-han=on")).content.decode()
    assert 'data-so="tasks">1<' in page
    assert "UBND xã Liêm Tuyền" not in page


@pytest.mark.parametrize(
    "query",
    [
        "trang-thai=xyz",
        "tieu-chi=1%3B2",
        "nhom=khong-co",
        "don-vi=a%00b",
        "trang=-1&trang-don-vi=x",
    ],
)
def test_bad_filters_are_answered_in_words_never_a_500(
    tasks: Period, chair_client: Client, query: str
) -> None:
    response = chair_client.get(_url(tasks, query))
    assert response.status_code == 200


def test_the_page_reads_a_constant_number_of_queries(
    tasks: Period, chair_client: Client, province: Unit, communes_group: UnitGroup
) -> None:
    assert chair_client.get(_url(tasks)).status_code == 200  # the session, the caches
    with CaptureQueriesContext(connection) as before:
        assert chair_client.get(_url(tasks)).status_code == 200
    for n in range(30):
        unit = unit_create(
            code=f"T-XA-{n:03d}",
            name=f"UBND xã Thử {n}",
            level=Level.COMMUNE,
            parent=province,
            group=communes_group,
            actor=None,
        )
        make_task(tasks, unit, "1.1", TaskStatus.OPEN, "4", PAST)
        make_task(tasks, unit, "3.2", TaskStatus.DONE, "1.5", PAST)
    with CaptureQueriesContext(connection) as after:
        assert chair_client.get(_url(tasks)).status_code == 200
    assert len(after) == len(before)


def test_the_unit_table_and_the_list_are_paginated(
    tasks: Period, chair_client: Client, province: Unit, communes_group: UnitGroup
) -> None:
    for n in range(30):
        unit = unit_create(
            code=f"T-XA-{n:03d}",
            name=f"UBND xã Thử {n}",
            level=Level.COMMUNE,
            parent=province,
            group=communes_group,
            actor=None,
        )
        make_task(tasks, unit, "1.1", TaskStatus.OPEN, "1", FUTURE)
        make_task(tasks, unit, "1.2", TaskStatus.OPEN, "1", FUTURE)
    page = chair_client.get(_url(tasks)).content.decode()
    assert "32 đơn vị có nhiệm vụ" in page and "trang 1/2" in page
    assert "67 nhiệm vụ" in page
    second = chair_client.get(_url(tasks, "trang-don-vi=2&trang=2")).content.decode()
    assert "trang 2/2" in second


# --------------------------------------------------------------------------- the export


def _workbook(response: Any) -> Any:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _table(sheet: Any, first_row: int = 5) -> list[tuple[Any, ...]]:
    rows = []
    for row in sheet.iter_rows(min_row=first_row, values_only=True):
        if row[0] is None:
            break
        rows.append(row)
    return rows


def test_the_export_holds_the_list_and_both_summaries(tasks: Period, chair_client: Client) -> None:
    book = _workbook(chair_client.get(_url(tasks, xlsx=True)))
    assert book.sheetnames[:3] == ["Nhiệm vụ", "Theo đơn vị", "Theo tiêu chí"]
    listed = _table(book["Nhiệm vụ"])
    assert len(listed) == 7
    first = listed[0]
    assert first[2] == "UBND xã Liêm Tuyền" and first[3] == "1.1"
    assert first[7] == 4 and isinstance(first[7], int | float)
    assert isinstance(first[12], datetime.datetime)  # the due date, a real date
    units = {r[2]: r for r in _table(book["Theo đơn vị"])}
    assert units["UBND xã Thanh Sơn"][3:7] == (3, 1, 1, 5.5)
    assert units["UBND xã Liêm Tuyền"][3:7] == (4, 1, 1, 4)
    criteria = {r[0]: r for r in _table(book["Theo tiêu chí"])}
    assert criteria["1.1"][2:6] == (2, 3, 2, 8)
    assert book["Theo tiêu chí"]._charts  # the bar chart of the points at stake


def test_the_export_keeps_the_filters(tasks: Period, observer_client: Client) -> None:
    book = _workbook(observer_client.get(_url(tasks, "trang-thai=done", xlsx=True)))
    assert [r[3] for r in _table(book["Nhiệm vụ"])] == ["1.2", "1.3"]
    assert "Trạng thái: Đã hoàn thành" in book["Nhiệm vụ"]["A2"].value


def test_a_formula_typed_into_a_task_stays_text(
    tasks: Period, chair_client: Client, commune: Unit
) -> None:
    make_task(tasks, commune, "7.5", TaskStatus.OPEN, "4", FUTURE, action="=HYPERLINK(1)")
    book = _workbook(chair_client.get(_url(tasks, "tieu-chi=7.5", xlsx=True)))
    assert _table(book["Nhiệm vụ"])[0][9] == "'=HYPERLINK(1)"


# --------------------------------------------------------------------------- who reads it


@pytest.mark.parametrize("persona", ["chair", "observer", "superuser"])
def test_the_council_reads_it(tasks: Period, persona: str, request: Any) -> None:
    client = request.getfixturevalue(f"{persona}_client")
    assert client.get(_url(tasks)).status_code == 200
    assert client.get(_url(tasks, xlsx=True)).status_code == 200


@pytest.mark.parametrize(
    "persona", ["unit_staff", "unit_leader", "other_staff", "appraiser", "manager"]
)
def test_anyone_else_gets_404(tasks: Period, persona: str, request: Any) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(_url(tasks)).status_code == 404
    assert client.get(_url(tasks, xlsx=True)).status_code == 404


def test_another_provinces_chair_gets_404(tasks: Period) -> None:
    other = unit_create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE, actor=None)
    office = unit_create(
        code="NB-SNV", name="Sở Nội vụ Ninh Bình", level=Level.DEPARTMENT, parent=other, actor=None
    )
    chair = User.objects.create_user(
        username="giam.doc.nb", full_name="Giám đốc NB", role=Role.CHAIR, unit=office
    )
    client = client_for(chair)
    assert client.get(_url(tasks)).status_code == 404
    assert client.get(_url(tasks, xlsx=True)).status_code == 404
    assert not overseen_tasks(chair, tasks).exists()


def test_a_visitor_is_sent_to_sign_in(tasks: Period, anonymous_client: Client) -> None:
    response = anonymous_client.get(_url(tasks))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_the_season_dashboard_links_a_finalised_period(tasks: Period, chair_client: Client) -> None:
    page = chair_client.get(reverse("season:dashboard", args=[tasks.pk])).content.decode()
    assert reverse("oversight:period", args=[tasks.pk]) in page
