"""The one value layer: what may be typed for a leaf, per rule type, and the same answer for
the unit (service and API), the appraiser and the planner's what-if inputs."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.services.self_assessment import answer_save
from parindex.assessments.values import (
    EMPTY_TEXT,
    BadValue,
    parse_input,
    parse_number,
    value_text,
)
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.engine.evalfile import value_document
from parindex.engine.model import Ratio, Rule, Tier
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodStatus
from parindex.periods.services import period_set_status
from parindex.results.planner.form import VALUE_PREFIX
from parindex.results.planner.loading import load_planner
from parindex.results.planner.what_if import parse_changes

D = Decimal

RULES: dict[str, tuple[Rule, Decimal]] = {
    "boolean": (Rule(type="boolean"), D(2)),
    "percent": (Rule(type="percent", floor=D("0.5")), D(3)),
    "tiers": (Rule(type="tiers", tiers=(Tier(D(3), D(2)), Tier(D(1), D(1)))), D(2)),
    "manual": (Rule(), D(3)),
    "ratio": (Rule(type="ratio", floor=D("0.5"), full_at=D("0.95")), D(6)),
    "deduction": (Rule(type="deduction", per_item=D("1.5")), D(4)),
}


def parsed(raw: Any, kind: str) -> Any:
    rule, max_points = RULES[kind]
    return parse_input(raw, rule, max_points)


def problem(raw: Any, kind: str) -> str:
    with pytest.raises(BadValue) as caught:
        parsed(raw, kind)
    return caught.value.problem


# --------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2", "2"),
        (" 2 ", "2"),
        ("\u00a02,5\u00a0", "2.5"),
        ("1,5", "1.5"),
        ("1.5", "1.5"),
        ("0.500", "0.500"),
        (".5", "0.5"),
        (",5", "0.5"),
        ("1.2345", "1.2345"),
        ("1.234,5", "1234.5"),
        ("1.234.567", "1234567"),
        ("+2", "2"),
        ("-2,5", "-2.5"),
        ("-0", "0"),
        (7, "7"),
        (1.25, "1.25"),
        (D("2.50"), "2.50"),
    ],
)
def test_numbers_are_read_the_vietnamese_way(raw: Any, expected: str) -> None:
    number = parse_number(raw)
    assert number == D(expected) and str(number) == expected


def test_dot_groups_of_three_are_thousands_only_when_the_number_is_whole() -> None:
    assert parse_number("1.234", whole=True) == D(1234)
    assert parsed("1.234", "deduction") == D(1234)
    for kind in ("manual", "percent", "tiers"):
        message = problem("1.234", kind)
        assert "“1.234” không rõ là số nào" in message
        assert "nhập 1234 nếu là số nguyên" in message and "1,234 nếu là số thập phân" in message
    assert "nhập -1234" in problem("-1.234", "tiers")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("abc", "“abc” không phải là một số (ví dụ: 12; 1,5; 1.234,5)"),
        ("∞", "“∞” không phải là một số"),
        ("inf", "“inf” không phải là một số"),
        ("NaN", "“NaN” không phải là một số"),
        ("1e3", "không dùng dạng số mũ, hãy viết đủ các chữ số (ví dụ: 1000)"),
        ("1,234.5", "dùng dấu phẩy cho phần thập phân và dấu chấm phân cách hàng nghìn"),
        ("1 234", "không phải là một số"),
        ("5,", "không phải là một số"),
        ("1,2,3", "không phải là một số"),
        ("٣", "không phải là một số"),  # Arabic-Indic digit: Decimal() would read it
        ("5\x00", "“5” không phải là một số"),  # NUL dropped from the message only
        ("9" * 41, "dài quá 40 ký tự"),
        (10**60, "số dài quá 40 chữ số"),
        (float("inf"), "không phải là một số"),
        (D("NaN"), "không phải là một số"),
        ([1], "không phải là một số"),
        (True, "không phải là một số"),
    ],
)
def test_what_is_not_a_number_is_refused_saying_how_to_type_it(raw: Any, expected: str) -> None:
    with pytest.raises(BadValue) as caught:
        parse_number(raw)
    assert expected in caught.value.problem
    assert caught.value.key == "value"


# --------------------------------------------------------------------------- per rule type


def test_percent_takes_a_percent_sign_and_the_range_0_to_100() -> None:
    assert parsed("85%", "percent") == D(85)
    assert parsed(" 85,5 % ", "percent") == D("85.5")
    assert parsed("100", "percent") == D(100)
    assert "tỷ lệ 120% phải từ 0 đến 100" in problem("120", "percent")
    assert "phải từ 0 đến 100" in problem("-1", "percent")
    assert "không phải là một số" in problem("%", "percent")


@pytest.mark.parametrize("kind", ["manual", "tiers", "deduction"])
def test_a_percent_sign_elsewhere_is_refused(kind: str) -> None:
    assert "chỉ tiêu chí chấm theo tỷ lệ phần trăm mới nhập dấu %" in problem("85%", kind)


def test_manual_points_are_within_0_and_the_max() -> None:
    assert parsed("2,75", "manual") == D("2.75")
    assert parsed("3", "manual") == D(3)
    assert "điểm 3,5 phải từ 0 đến 3" in problem("3,5", "manual")
    assert "phải từ 0 đến 3" in problem("-1", "manual")


def test_deduction_counts_are_whole_and_not_negative() -> None:
    assert parsed("2", "deduction") == D(2)
    assert parsed("1.000", "deduction") == D(1000)
    assert "số lần 1,5 phải là số nguyên không âm" in problem("1,5", "deduction")
    assert "số lần 1,5 phải là số nguyên" in problem("1.5", "deduction")
    assert "phải là số nguyên không âm" in problem("-1", "deduction")


def test_tiers_take_a_number_or_a_ratio_never_a_negative() -> None:
    assert parsed("2,5", "tiers") == D("2.5")
    assert parsed("7/9", "tiers") == Ratio(D(7), D(9))
    assert parsed({"numerator": "1", "denominator": "2"}, "tiers") == Ratio(D(1), D(2))
    assert problem("-1", "tiers") == "giá trị -1 không được âm"


def test_ratios_are_two_fields_or_b_over_a() -> None:
    assert parsed({"numerator": "7", "denominator": "9"}, "ratio") == Ratio(D(7), D(9))
    assert parsed({"numerator": 95, "denominator": 100}, "ratio") == Ratio(D(95), D(100))
    assert parsed(" 7 / 9 ", "ratio") == Ratio(D(7), D(9))
    assert parsed("1.234,5/2.000,5", "ratio") == Ratio(D("1234.5"), D("2000.5"))
    assert parsed(Ratio(D(1), D(2)), "ratio") == Ratio(D(1), D(2))
    assert parsed({"numerator": "", "denominator": " "}, "ratio") is None
    assert problem("0,9", "ratio") == "cần nhập tử số và mẫu số (ví dụ: 7/9)"
    assert problem(0.9, "ratio") == "cần nhập tử số và mẫu số (ví dụ: 7/9)"
    assert "cần đúng một tử số và một mẫu số" in problem("1/2/3", "ratio")


def test_ratio_problems_name_the_part() -> None:
    cases: list[tuple[Any, str, str]] = [
        ({"numerator": "7", "denominator": ""}, "denominator", "cần nhập mẫu số"),
        ("/9", "numerator", "cần nhập tử số"),
        ({"numerator": "x", "denominator": "9"}, "numerator", "tử số: “x” không phải là một số"),
        ("7/1e3", "denominator", "mẫu số: “1e3” không phải là một số viết được ở đây"),
        ("1.234/2.000", "numerator", "tử số: “1.234” không rõ là số nào"),
        ("11/10", "numerator", "tử số 11 lớn hơn mẫu số 10"),
        ("1/0", "denominator", "mẫu số 0 phải lớn hơn 0"),
        ("-1/2", "numerator", "tử số -1 không được âm"),
    ]
    for raw, key, expected in cases:
        with pytest.raises(BadValue) as caught:
            parsed(raw, "ratio")
        assert (caught.value.key, expected in caught.value.problem) == (key, True), raw


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("có", True),
        ("Có", True),
        ("co", True),
        ("Đạt", True),
        ("true", True),
        ("1", True),
        ("on", True),
        (True, True),
        (1, True),
        ("không", False),
        ("Không đạt", False),
        ("false", False),
        ("0", False),
        ("off", False),
        (False, False),
        (0, False),
    ],
)
def test_booleans(raw: Any, expected: bool) -> None:
    assert parsed(raw, "boolean") is expected


@pytest.mark.parametrize("raw", ["có lẽ", "2", 2, "7/9", {"numerator": 1, "denominator": 1}])
def test_other_booleans_are_refused(raw: Any) -> None:
    assert "cần chọn “Đạt” hoặc “Không đạt”" in problem(raw, "boolean")


@pytest.mark.parametrize("kind", ["percent", "manual", "deduction", "tiers"])
def test_numbers_refuse_ratios_and_name_booleans(kind: str) -> None:
    if kind != "tiers":
        assert problem("7/9", kind) == "cần một số, không phải tỷ lệ"
        assert problem({"numerator": 1, "denominator": 2}, kind) == "cần một số, không phải tỷ lệ"
    assert "không phải true/false" in problem(True, kind)


@pytest.mark.parametrize("kind", list(RULES))
def test_nothing_entered_is_none(kind: str) -> None:
    assert parsed(None, kind) is None
    assert parsed("  ", kind) is None


def test_value_text_is_one_display() -> None:
    assert value_text(None) == EMPTY_TEXT == "—"
    assert value_text("1", "manual", not_applicable=True) == "không áp dụng"
    assert value_text(True) == "Đạt" and value_text(False, "boolean") == "Không đạt"
    assert value_text({"numerator": "7", "denominator": "9"}, "ratio") == "7/9"
    assert value_text("87.5", "percent") == "87,5%"
    assert value_text("3", "deduction") == "3 lần"
    assert value_text("2.50", "manual") == "2,5 điểm"
    assert value_text("1234.5", "tiers") == "1234,5"
    assert value_text("1234.5") == "1234,5"
    assert value_text({"numerator": "x"}, "ratio") == "{'numerator': 'x'}"


# --------------------------------------------------------------------------- same everywhere

LEAVES = {
    "boolean": "1.1",
    "percent": "1.2",
    "tiers": "1.3",
    "manual": "1.4",
    "ratio": "2.1",
    "deduction": "2.2",
}
"""The conftest's ``season_set`` leaves (same rules and max as :data:`RULES`)."""

TYPED = [
    "1.234,5",
    ".5",
    "85%",
    "7/9",
    "1,5",
    "1.5",
    " 2 ",
    "-1",
    "1e3",
    "∞",
    "1.234",
    "1,234.5",
    "có",
    "0",
]

EXPECTED: dict[tuple[str, str], Any] = {
    ("1.234,5", "tiers"): "1234.5",
    (".5", "manual"): "0.5",
    (".5", "percent"): "0.5",
    ("85%", "percent"): "85",
    ("7/9", "ratio"): {"numerator": "7", "denominator": "9"},
    ("7/9", "tiers"): {"numerator": "7", "denominator": "9"},
    ("1,5", "manual"): "1.5",
    ("1.5", "manual"): "1.5",
    (" 2 ", "deduction"): "2",
    ("1.234", "deduction"): "1234",
    ("có", "boolean"): True,
    ("0", "boolean"): False,
    ("0", "percent"): "0",
    ("0", "manual"): "0",
    ("0", "tiers"): "0",
    ("0", "deduction"): "0",
    (".5", "tiers"): "0.5",
    ("1,5", "percent"): "1.5",
    ("1,5", "tiers"): "1.5",
    ("1.5", "percent"): "1.5",
    ("1.5", "tiers"): "1.5",
    (" 2 ", "manual"): "2",
    (" 2 ", "percent"): "2",
    (" 2 ", "tiers"): "2",
}
"""Stored values the table must give (every other pair of :data:`TYPED` × :data:`LEAVES`
is refused, by every path, with the same message core)."""


def _unit_save(assessment: Assessment, node: CriterionNode, staff: User, raw: str) -> Any:
    current = Answer.objects.filter(assessment=assessment, node=node).first()
    try:
        answer = answer_save(
            assessment=assessment,
            node=node,
            actor=staff,
            version=current.version if current else 0,
            value=raw,
        )
    except ValidationError as exc:
        return ("refused", exc.messages)
    return ("stored", answer.self_value)


def _api_save(client: Client, assessment: Assessment, node: CriterionNode, raw: str) -> Any:
    current = Answer.objects.filter(assessment=assessment, node=node).first()
    response = client.put(
        f"/api/assessments/{assessment.pk}/items/{node.code}",
        data=json.dumps({"value": raw, "version": current.version if current else 0}),
        content_type="application/json",
    )
    body = response.json()
    if response.status_code == 400:
        return ("refused", body["errors"])
    assert response.status_code == 200, body
    return ("stored", body["value"])


def _screen_save(client: Client, assessment: Assessment, node: CriterionNode, raw: str) -> Any:
    """The self-assessment screen's autosave (the item_save view, as htmx posts it)."""
    current = Answer.objects.filter(assessment=assessment, node=node).first()
    response = client.post(
        reverse("assessments:item_save", args=[assessment.pk, node.pk]),
        {"value": raw, "version": str(current.version if current else 0)},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    errors = response.context.get("errors")
    if errors:
        return ("refused", [message for messages in errors.values() for message in messages])
    return ("stored", response.context["answer"].self_value)


def _planner_parse(planner: Any, node: CriterionNode, raw: str) -> Any:
    changes = parse_changes(planner, {VALUE_PREFIX + node.code: raw})
    if changes.errors:
        return ("refused", [message for _, message in changes.errors])
    value = changes.values[node.code]
    return ("stored", None if value is None else value_document(value))


def _appraiser_save(answer: Answer, chair: User, raw: str) -> Any:
    answer.refresh_from_db()
    try:
        saved = appraisal_save(
            answer=answer, actor=chair, version=answer.version, value=raw, comment="Kiểm tra."
        )
    except ValidationError as exc:
        return ("refused", exc.message_dict["value"])
    return ("stored", saved.appraised_value)


@pytest.mark.django_db
@pytest.mark.parametrize("raw", TYPED)
def test_the_same_typed_input_gives_the_same_value_for_everyone(
    raw: str,
    season: Period,
    season_set: CriteriaSet,
    assessment: Assessment,
    commune: Unit,
    unit_staff: User,
    unit_staff_client: Client,
    chair: User,
) -> None:
    """A unit (service, API and screen), the planner and an appraiser typing the same thing."""
    nodes = {n.code: n for n in CriterionNode.objects.filter(criteria_set=season_set)}
    planner = load_planner(season, commune)
    assert planner is not None
    outcomes: dict[str, dict[str, Any]] = {}
    for kind, code in LEAVES.items():
        node = nodes[code]
        outcomes[kind] = {
            "unit": _unit_save(assessment, node, unit_staff, raw),
            "api": _api_save(unit_staff_client, assessment, node, raw),
            "screen": _screen_save(unit_staff_client, assessment, node, raw),
            "planner": _planner_parse(planner, node, raw),
        }
    period_set_status(period=season, status=PeriodStatus.APPRAISAL_1, actor=None)
    for kind, code in LEAVES.items():
        answer, _ = Answer.objects.get_or_create(assessment=assessment, node=nodes[code])
        outcomes[kind]["appraiser"] = _appraiser_save(answer, chair, raw)

    for kind, by_path in outcomes.items():
        try:
            value = parsed(raw, kind)
        except BadValue as bad:
            for path, (outcome, messages) in by_path.items():
                assert outcome == "refused", (raw, kind, path, messages)
                assert any(bad.problem in message for message in messages), (raw, kind, path)
                assert any(f"Tiêu chí {LEAVES[kind]}" in message for message in messages)
            unit_paths = ("unit", "api", "screen", "planner")
            assert len({tuple(by_path[path][1]) for path in unit_paths}) == 1
            assert (raw, kind) not in EXPECTED, (raw, kind, bad.problem)
        else:
            stored = value_document(value)
            assert EXPECTED.get((raw, kind)) == stored, (raw, kind, stored)
            for path, result in by_path.items():
                assert result == ("stored", stored), (raw, kind, path)


# --------------------------------------------------------------------------- plain words


@pytest.mark.parametrize(
    ("raw", "kind", "expected"),
    [
        ("120", "percent", "tỷ lệ 120% phải từ 0 đến 100"),
        ("100,5", "percent", "tỷ lệ 100,5% phải từ 0 đến 100"),
        ("3,5", "manual", "điểm 3,5 phải từ 0 đến 3"),
        ("1,5", "deduction", "số lần 1,5 phải là số nguyên không âm"),
        ("-1,5", "tiers", "giá trị -1,5 không được âm"),
        ("1/0", "ratio", "mẫu số 0 phải lớn hơn 0"),
        ("-1,5/2", "ratio", "tử số -1,5 không được âm"),
        ("11,5/10", "ratio", "tử số 11,5 lớn hơn mẫu số 10"),
    ],
)
def test_problems_are_plain_vietnamese_with_a_decimal_comma(
    raw: str, kind: str, expected: str
) -> None:
    """No English, no programmer notation ("0..100", ">= 0", "(denominator)"), and the
    number echoed back the way it was typed: "1,5", never "1.5" (issue 11, point 9)."""
    text = problem(raw, kind)
    assert text == expected
    for notation in ("..", ">=", "numerator", "denominator", "1.5"):
        assert notation not in text
