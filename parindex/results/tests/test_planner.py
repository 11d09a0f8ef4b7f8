"""Kế hoạch cải thiện: the what-if planner and the improvement list of a unit.

Personas (the ``scenario`` province of conftest.py):

* Đặng Thu Hà, unit staff of the Văn phòng UBND tỉnh (no administrative procedures);
* Bùi Văn Long, leader of UBND huyện Kim Bảng;
* Hoàng Văn Dũng, chair of the council (Sở Nội vụ, the province), and Vũ Thị Lan, observer;
* Lý Minh Tuấn, an appraiser (plans nothing);
* Phan Thị Mai, chair in another province (sees none of this one).
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
from dataclasses import replace
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from parindex.accounts.models import Role, User
from parindex.assessments.models import Assessment, ItemScore
from parindex.audit.models import AuditEvent
from parindex.conftest import _sample_document
from parindex.engine import Ratio, evaluate
from parindex.engine.model import EvaluationInput, Value
from parindex.organizations.models import Level, Unit
from parindex.organizations.services import unit_create
from parindex.periods.models import Period, PeriodGroup
from parindex.results.models import ResultRow
from parindex.results.planner.improvements import CSV_HEADER, improvements
from parindex.results.planner.loading import load_planner
from parindex.results.planner.standings import (
    SOURCE_COMPUTED,
    SOURCE_PUBLISHED,
    group_indexes,
    unit_input,
)
from parindex.results.planner.what_if import compute_what_if
from parindex.results.selectors import period_evaluation_input, period_groups
from parindex.results.services import Decision, results_compute, results_publish
from parindex.results.tests.conftest import Scenario

pytestmark = pytest.mark.django_db

GUIDANCE_2 = "Ban hành đầy đủ, kịp thời văn bản quy phạm pháp luật theo kế hoạch: tối đa 10 điểm."
GUIDANCE_31 = "Tỷ lệ hồ sơ giải quyết đúng hạn: dưới 70% được 0 điểm."
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Engine-computed standings are cached by period pk, which SQLite reuses between tests."""
    cache.clear()


@pytest.fixture
def sample_document() -> dict[str, Any]:
    """The sample set with guidance texts on two criteria."""
    document = _sample_document()
    for node in document["criteria_set"]["nodes"]:
        if node["code"] == "2":
            node["guidance"] = GUIDANCE_2
        if node["code"] == "3.1":
            node["guidance"] = GUIDANCE_31
    return document


def _person(username: str, full_name: str, role: str, unit: Unit) -> User:
    return User.objects.create_user(username=username, full_name=full_name, role=role, unit=unit)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def vp_staff(scenario: Scenario) -> Client:
    return _client(_person("ha.vp", "Đặng Thu Hà", Role.UNIT_STAFF, scenario.units["T-VP"]))


@pytest.fixture
def kimbang_leader(scenario: Scenario) -> Client:
    unit = scenario.units["T-KIMBANG"]
    return _client(_person("long.kimbang", "Bùi Văn Long", Role.UNIT_LEADER, unit))


@pytest.fixture
def chair(scenario: Scenario) -> Client:
    return _client(_person("dung.snv", "Hoàng Văn Dũng", Role.CHAIR, scenario.units["T-SNV"]))


@pytest.fixture
def observer(scenario: Scenario) -> Client:
    return _client(_person("lan.snv", "Vũ Thị Lan", Role.OBSERVER, scenario.units["T-SNV"]))


@pytest.fixture
def appraiser(scenario: Scenario) -> Client:
    return _client(_person("tuan.snv", "Lý Minh Tuấn", Role.APPRAISER, scenario.units["T-SNV"]))


@pytest.fixture
def other_chair(scenario: Scenario) -> Client:
    other = unit_create(code="T-NDH", name="Tỉnh Nam Định", level=Level.PROVINCE, actor=None)
    department = unit_create(
        code="T-NDH-SNV",
        name="Sở Nội vụ Nam Định",
        level=Level.DEPARTMENT,
        parent=other,
        actor=None,
    )
    return _client(_person("mai.ndh", "Phan Thị Mai", Role.CHAIR, department))


def url(period: Period, unit: str | None = None, suffix: str = "") -> str:
    base = f"/ke-hoach/{period.pk}/{suffix}"
    return f"{base}?don-vi={unit}" if unit else base


def binding_of(period: Period, unit: Unit) -> PeriodGroup:
    return next(pg for pg in period_groups(period) if pg.group_id == unit.group_id)


def group_input(period: Period, unit: Unit) -> EvaluationInput:
    return period_evaluation_input(period, binding_of(period, unit))


def modified(data: EvaluationInput, unit: str, values: dict[str, Value | None]) -> EvaluationInput:
    """The whole group with ``unit``'s values changed: the reference the planner must match."""
    scores = {code: dict(entries) for code, entries in data.scores.items()}
    for code, value in values.items():
        if value is None:
            scores[unit].pop(code, None)
        else:
            scores.setdefault(unit, {})[code] = value
    return replace(data, scores=scores)


def text(response: Any) -> str:
    return " ".join(html.unescape(response.content.decode()).split())


def vn(value: D, places: int = 2) -> str:
    return format(value.quantize(D(1).scaleb(-places)), "f").replace(".", ",")


# --------------------------------------------------------------------------- who plans what


def test_anonymous_is_sent_to_the_login_page(anonymous_client: Client, scenario: Scenario) -> None:
    for address in (
        "/ke-hoach/",
        url(scenario.p2024),
        url(scenario.p2024, suffix="cai-thien.csv"),
    ):
        response = anonymous_client.get(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith("/tai-khoan/"), address
    assert anonymous_client.post(url(scenario.p2024, suffix="tinh/")).status_code == 302


def test_a_unit_plans_in_its_periods_with_final_scores_only(
    vp_staff: Client, appraiser: Client, scenario: Scenario
) -> None:
    page = text(vp_staff.get("/ke-hoach/"))
    assert "Kế hoạch cải thiện" in page
    assert "Năm 2024" in page and "Năm 2023" in page
    assert "Năm 2025" not in page  # still in self-assessment: no final scores
    assert vp_staff.get(url(scenario.p2025)).status_code == 404
    assert vp_staff.post(url(scenario.p2025, suffix="tinh/")).status_code == 404

    assert "Chưa có kỳ đánh giá nào" in text(appraiser.get("/ke-hoach/"))
    assert appraiser.get(url(scenario.p2024, "T-VP")).status_code == 404


def test_unit_staff_sees_only_their_own_unit(vp_staff: Client, scenario: Scenario) -> None:
    response = vp_staff.get(url(scenario.p2024))
    assert response.status_code == 200
    page = text(response)
    assert "Văn phòng UBND tỉnh" in page

    results = evaluate(group_input(scenario.p2024, scenario.units["T-VP"]))
    mine = results.unit("T-VP")
    assert f"{vn(mine.index)}%" in page
    assert f"Hạng <strong>{mine.rank}</strong>/{len(results.units)}" in page
    assert mine.class_label and mine.class_label in page

    assert vp_staff.get(url(scenario.p2024, "T-VP")).status_code == 200
    for other in ("T-SNV", "T-KIMBANG", "KHONG-CO"):
        assert vp_staff.get(url(scenario.p2024, other)).status_code == 404, other
        assert vp_staff.post(url(scenario.p2024, other, "tinh/"), {}).status_code == 404
        assert vp_staff.get(url(scenario.p2024, other, "cai-thien.csv")).status_code == 404


def test_the_chair_and_observer_choose_a_unit_of_their_periods(
    chair: Client, observer: Client, other_chair: Client, scenario: Scenario
) -> None:
    period = scenario.p2024
    choose = chair.get(url(period))
    assert choose.status_code == 200
    page = text(choose)
    assert "Chọn đơn vị" in page
    assert all(name in page for name in ("Sở Tư pháp", "UBND huyện Kim Bảng", "Sở Nội vụ"))

    found = text(chair.get(url(period) + "?q=kim bang"))
    assert "UBND huyện Kim Bảng" in found and "Sở Tư pháp" not in found

    detail = chair.get(url(period, "T-KIMBANG"))
    assert detail.status_code == 200
    assert "UBND huyện Kim Bảng" in text(detail)
    assert observer.get(url(period, "T-STP")).status_code == 200
    assert chair.get(url(period, "KHONG-CO")).status_code == 404
    assert chair.get(url(period, "T-HNA")).status_code == 404  # the province is not assessed

    assert other_chair.get(url(period)).status_code == 404
    assert other_chair.get(url(period, "T-KIMBANG")).status_code == 404
    assert "Năm 2024" not in text(other_chair.get("/ke-hoach/"))


# --------------------------------------------------------------------------- what-if


def test_raising_a_criterion_raises_index_and_rank_as_the_engine_says(
    vp_staff: Client, scenario: Scenario
) -> None:
    period, unit = scenario.p2024, scenario.units["T-VP"]
    data = group_input(period, unit)
    before = evaluate(data).unit("T-VP")
    values: dict[str, Value | None] = {"2": D(10), "5": D(13), "7.1": D(9)}
    expected = evaluate(modified(data, "T-VP", values)).unit("T-VP")
    assert expected.index > before.index and expected.rank < before.rank

    response = vp_staff.post(
        url(period, "T-VP", "tinh/"), {"gt:2": "10", "gt:5": "13", "gt:7.1": "9,0"}, headers=HTMX
    )
    assert response.status_code == 200
    page = text(response)
    assert f'id="chi-so-gia-dinh">{vn(expected.index)}%' in page
    assert f'id="hang-gia-dinh">{expected.rank}</strong>/3' in page
    assert f"+{vn(expected.index - before.index)}" in page
    assert f"▲ {before.rank - expected.rank}" in page
    assert expected.class_label and expected.class_label in page
    assert "2. Cải cách thể chế" in page  # the changed criteria are listed


def test_yes_no_ratio_and_survey_inputs_score_through_the_engine(
    kimbang_leader: Client, scenario: Scenario
) -> None:
    period, unit = scenario.p2024, scenario.units["T-KIMBANG"]
    data = group_input(period, unit)
    values: dict[str, Value | None] = {
        "1.1": False,
        "3.1": Ratio(D(950), D(1000)),
        "7.3": Ratio(D(3), D(10)),
        "1.3": Ratio(D(1), D(2)),
    }
    reference = modified(data, "T-KIMBANG", values)
    reference = replace(reference, survey={**data.survey, "T-KIMBANG": D("9.5")})
    expected = evaluate(reference).unit("T-KIMBANG")

    planner = load_planner(period, unit)
    assert planner is not None
    post = {
        "gt:1.1": "false",
        "tu:3.1": "950",
        "mau:3.1": "1000",
        "tu:7.3": "3",
        "mau:7.3": "10",
        "gt:1.3": "",
        "tu:1.3": "1",
        "mau:1.3": "2",
        "khao-sat": "9,5",
    }
    outcome = compute_what_if(planner, post)
    assert outcome.errors == [] and outcome.result is not None
    assert outcome.result.result.index == expected.index
    assert outcome.result.rank == expected.rank
    assert outcome.result.result.class_label == expected.class_label
    changed = {c.code: c for c in outcome.changed}
    assert changed["1.1"].after == 0 and changed["1.1"].before == D(4)

    response = kimbang_leader.post(url(period, suffix="tinh/"), post, headers=HTMX)
    assert f'id="chi-so-gia-dinh">{vn(expected.index)}%' in text(response)

    # clearing a value: missing, 0 points
    cleared = compute_what_if(planner, {"gt:2": ""})
    assert cleared.result is not None
    node = cleared.result.result.node("2")
    assert node is not None and node.points == 0 and "2" in cleared.result.result.missing


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"gt:1.2": "120"}, "Tiêu chí 1.2, tỷ lệ phần trăm: tỷ lệ 120% phải từ 0 đến 100."),
        ({"gt:2": "mười"}, "Tiêu chí 2, điểm tự chấm: “mười” không phải là một số"),
        ({"gt:2": "11"}, "Tiêu chí 2, điểm tự chấm: điểm 11 phải từ 0 đến 10."),
        ({"gt:1.1": "có lẽ"}, "Tiêu chí 1.1, đạt / không đạt"),
        ({"tu:3.1": "12", "mau:3.1": "10"}, "Tiêu chí 3.1"),
        ({"tu:3.1": "1", "mau:3.1": ""}, "Tiêu chí 3.1, tỷ lệ (tử số / mẫu số): cần nhập mẫu số."),
        ({"gt:3.2": "1,5"}, "Tiêu chí 3.2, số lần: số lần 1,5 phải là số nguyên không âm."),
        ({"gt:1.3": "2", "tu:1.3": "1", "mau:1.3": "2"}, "Tiêu chí 1.3: chỉ nhập một số"),
        ({"khao-sat": "12"}, "Điểm khảo sát: 12 nằm ngoài khoảng 0–10."),
        ({"khao-sat": "abc"}, "Điểm khảo sát: “abc” không phải là một số"),
    ],
)
def test_invalid_values_get_a_vietnamese_message_naming_the_criterion(
    kimbang_leader: Client, scenario: Scenario, post: dict[str, str], message: str
) -> None:
    address = url(scenario.p2024, suffix="tinh/")
    fragment = kimbang_leader.post(address, post, headers=HTMX)
    assert fragment.status_code == 200
    assert "Chưa tính được" in text(fragment)
    assert message in text(fragment)

    page = kimbang_leader.post(address, post)  # without JavaScript: the page again
    assert page.status_code == 400
    assert message in text(page)
    assert "is-invalid" in page.content.decode()


def test_nothing_is_saved(vp_staff: Client, kimbang_leader: Client, scenario: Scenario) -> None:
    period = scenario.p2024

    def snapshot() -> tuple[list[Any], list[Any], int, list[Any]]:
        return (
            list(ItemScore.objects.order_by("pk").values_list("pk", "value", "not_applicable")),
            list(
                Assessment.objects.order_by("pk").values_list(
                    "pk", "survey_points", "survey_not_applicable", "bonus", "penalty", "status"
                )
            ),
            AuditEvent.objects.count(),
            list(ResultRow.objects.order_by("pk").values_list("pk", "index")),
        )

    before = snapshot()
    with CaptureQueriesContext(connection) as queries:
        vp_staff.post(url(period, suffix="tinh/"), {"gt:2": "10", "gt:1.1": "false"}, headers=HTMX)
        vp_staff.post(url(period, suffix="tinh/"), {"gt:2": "10"})
        kimbang_leader.post(
            url(period, suffix="tinh/"),
            {"tu:3.1": "1", "mau:3.1": "1", "khao-sat": "10"},
            headers=HTMX,
        )
        kimbang_leader.post(url(period, suffix="tinh/"), {"gt:1.2": "120"}, headers=HTMX)
        vp_staff.get(url(period))
        vp_staff.get(url(period, suffix="cai-thien.csv"))
    # The session's last-activity stamp (the idle timeout) is the only write allowed.
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and '"django_session"' not in q["sql"]
    ]
    assert writes == []
    assert snapshot() == before


def test_unit_input_reads_what_the_group_input_holds(scenario: Scenario) -> None:
    for period in (scenario.p2023, scenario.p2024):
        for code, unit in scenario.units.items():
            binding = binding_of(period, unit)
            group = period_evaluation_input(period, binding)
            alone = unit_input(period, binding, unit, group.criteria)
            assert [u.code for u in alone.units] == [code]
            assert alone.units[0] in group.units
            assert dict(alone.scores.get(code, {})) == dict(group.scores.get(code, {}))
            assert alone.not_applicable.get(code) == group.not_applicable.get(code)
            assert alone.survey.get(code) == group.survey.get(code)
            assert alone.adjustments.get(code) == group.adjustments.get(code)


# --------------------------------------------------------------------------- where ranks come from

DECISION = Decision(
    number="18/QĐ-UBND",
    date=dt.date(2024, 2, 20),
    signer_name="Trần Văn Hùng",
    signer_title="Chủ tịch",
)


def test_without_publication_others_come_from_one_engine_evaluation_cached(
    scenario: Scenario,
) -> None:
    period, unit = scenario.p2024, scenario.units["T-STP"]
    planner = load_planner(period, unit)
    assert planner is not None
    assert planner.others.source == SOURCE_COMPUTED and planner.published is None
    results = evaluate(group_input(period, unit))
    assert planner.actual.rank == results.unit("T-STP").rank
    assert planner.group_size == len(results.units)

    binding = binding_of(period, unit)
    cached = group_indexes(period, binding, planner.criteria)
    assert cached == {r.unit: r.index for r in results.units}

    # a /tinh/ request reads the cache: only the unit's own scores are read again
    def item_reads() -> int:
        with CaptureQueriesContext(connection) as queries:
            again = load_planner(period, unit)
        assert again is not None and again.actual.rank == planner.actual.rank
        return sum("assessments_itemscore" in q["sql"] for q in queries.captured_queries)

    assert item_reads() == 1
    cache.clear()
    assert item_reads() == 2  # the unit's, then the whole group's
    assert item_reads() == 1


def test_with_a_publication_others_come_from_the_published_rows(
    vp_staff: Client, scenario: Scenario
) -> None:
    period = scenario.p2024
    version = results_publish(
        version=results_compute(period=period, actor=None), decision=DECISION, actor=None
    )
    row = ResultRow.objects.get(version=version, code="T-VP")
    planner = load_planner(period, scenario.units["T-VP"])
    assert planner is not None
    assert planner.others.source == SOURCE_PUBLISHED
    assert planner.published is not None and planner.published.rank == row.rank
    assert (planner.actual.index, planner.actual.rank) == (row.index, row.rank)
    assert not planner.published_differs
    assert "quyết định số 18/QĐ-UBND" in text(vp_staff.get(url(period)))

    # the published standings are what the unit is ranked against
    ResultRow.objects.filter(version=version, code="T-SNV").update(index=D(0))
    ResultRow.objects.filter(version=version, code="T-STP").update(index=D(0))
    moved = load_planner(period, scenario.units["T-VP"])
    assert moved is not None and moved.actual.rank == 1

    # a score changed after publication (a correction under way) is pointed out
    Assessment.objects.filter(period=period, unit__code="T-VP").update(bonus=D(2))
    changed = vp_staff.get(url(period))
    assert "đã thay đổi sau khi công bố" in text(changed)


# --------------------------------------------------------------------------- improvement list


def test_improvement_list_is_ordered_by_recoverable_points_with_guidance(
    kimbang_leader: Client, scenario: Scenario
) -> None:
    period, unit = scenario.p2023, scenario.units["T-KIMBANG"]
    data = group_input(period, unit)
    actual = evaluate(data).unit("T-KIMBANG")
    parents = {n.parent for n in data.criteria.nodes if n.parent}
    lost = {
        n.code: n.max - n.points
        for n in actual.nodes()
        if n.code not in parents and n.points < n.max
    }

    planner = load_planner(period, unit)
    assert planner is not None
    found = improvements(planner)
    assert [r.code for r in found.rows] == sorted(lost, key=lambda c: (-lost[c], _position(c)))
    assert {r.code: r.recoverable for r in found.rows} == lost
    assert found.total == sum(lost.values())
    best = evaluate(
        modified(
            data,
            "T-KIMBANG",
            {
                "1.1": True,
                "1.2": D(100),
                "1.3": D(3),
                "2": D(10),
                "3.1": Ratio(D(1), D(1)),
                "3.2": D(0),
                "4": D(8),
                "5": D(13),
                "6": D(6),
                "7.1": D(9),
                "7.3": Ratio(D(1), D(1)),
                "7.5": True,
            },
        )
    ).unit("T-KIMBANG")
    assert found.plan.best.index == best.index
    assert found.best_rank == best.rank

    page = text(kimbang_leader.get(url(period)))
    assert "Danh sách tiêu chí cần cải thiện" in page
    assert f'id="tong-co-the-tang">{vn(found.total)}' in page
    assert f'id="chi-so-toi-da">{vn(best.index)}%' in page
    assert GUIDANCE_2 in page and GUIDANCE_31 in page
    first, second = found.rows[0], found.rows[1]
    assert page.index(f"{first.code}</span> {first.name}") < page.index(
        f"{second.code}</span> {second.name}"
    )


def _position(code: str) -> int:
    order = [n["code"] for n in _sample_document()["criteria_set"]["nodes"]]
    return order.index(code)


def test_improvement_list_as_csv(kimbang_leader: Client, chair: Client, scenario: Scenario) -> None:
    period, unit = scenario.p2023, scenario.units["T-KIMBANG"]
    response = kimbang_leader.get(url(period, suffix="cai-thien.csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "cai-thien-t-kimbang-2023-annual.csv" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    lines = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert lines[0] == list(CSV_HEADER)

    planner = load_planner(period, unit)
    assert planner is not None
    found = improvements(planner)
    rows = lines[1 : 1 + len(found.rows)]
    assert [r[3] for r in rows] == [r.code for r in found.rows]
    assert [r[7] for r in rows] == [vn(r.recoverable) for r in found.rows]
    by_code = {r[3]: r for r in rows}
    if "2" in by_code:
        assert by_code["2"][9] == GUIDANCE_2
    assert lines[1 + len(found.rows)] == []
    assert lines[-2][2] == "Tổng điểm có thể tăng" and lines[-2][7] == vn(found.total)
    assert f"chỉ số {vn(found.plan.best.index)}%" in lines[-1][4]

    assert chair.get(url(period, "T-KIMBANG", "cai-thien.csv")).status_code == 200
    assert chair.get(url(period, suffix="cai-thien.csv")).status_code == 404  # no unit chosen
