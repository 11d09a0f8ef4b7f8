"""Self-assessment services: saving items with the engine's checks and points, not
applicable, conflicts, deadlines and extensions, submit/withdraw, audit and history."""

from __future__ import annotations

import csv
import datetime
import io
import threading
import time
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction
from django.utils import timezone

from parindex import engine
from parindex.accounts.models import User
from parindex.assessments.errors import Conflict
from parindex.assessments.models import Answer, AppraisalRecord, Assessment, AssessmentStatus
from parindex.assessments.selectors.history import answer_history, assessment_history_csv
from parindex.assessments.selectors.screen import (
    answer_points_preview,
    self_assessment_results,
    self_assessment_screen,
    self_assessment_summary,
    self_assessment_tree,
)
from parindex.assessments.services.self_assessment import (
    answer_save,
    assessment_submit,
    assessment_withdraw,
)
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.selectors import engine_criteria
from parindex.periods.models import DeadlineExtension, DeadlineStage, Period, PeriodStatus

pytestmark = pytest.mark.django_db

D = Decimal


def leaf(criteria_set: CriteriaSet, code: str) -> CriterionNode:
    return CriterionNode.objects.get(criteria_set=criteria_set, code=code)


def save(
    assessment: Assessment, node: CriterionNode, actor: User, value: Any, **kwargs: Any
) -> Answer:
    current = Answer.objects.filter(assessment=assessment, node=node).first()
    kwargs.setdefault("version", current.version if current else 0)
    return answer_save(assessment=assessment, node=node, actor=actor, value=value, **kwargs)


def data(value: Any) -> dict[str, Any]:
    assert isinstance(value, dict)
    return value


def self_saved_events() -> int:
    return AuditEvent.objects.filter(action="answer.self_saved").count()


def pass_deadline(period: Period) -> None:
    Period.objects.filter(pk=period.pk).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(minutes=1)
    )
    period.refresh_from_db()


# --------------------------------------------------------------------------- saving values


@pytest.mark.parametrize(
    ("code", "raw", "stored", "points"),
    [
        ("1.1", "true", True, "2.00"),
        ("1.1", "Không đạt", False, "0.00"),
        ("1.1", True, True, "2.00"),
        ("1.2", "87,5", "87.5", "2.62"),  # 3 × 87.5% = 2.625, truncated
        ("1.2", "40%", "40", "0.00"),  # under the 50% floor
        ("1.3", "2", "2", "1.00"),
        (
            "1.3",
            {"numerator": "4", "denominator": "4"},
            {"numerator": "4", "denominator": "4"},
            "1.00",
        ),
        ("1.4", "2,5", "2.5", "2.50"),
        ("1.4", 3, "3", "3.00"),
        (
            "2.1",
            {"numerator": "9", "denominator": "10"},
            {"numerator": "9", "denominator": "10"},
            "5.40",
        ),
        (
            "2.1",
            {"numerator": "19", "denominator": "20"},
            {"numerator": "19", "denominator": "20"},
            "6.00",
        ),
        (
            "2.1",
            {"numerator": "1", "denominator": "3"},
            {"numerator": "1", "denominator": "3"},
            "0.00",
        ),
        ("2.2", "1", "1", "2.50"),
        ("2.2", "5", "5", "0.00"),
        ("3", "4,75", "4.75", "4.75"),
    ],
)
def test_each_rule_type_is_stored_and_scored_by_the_engine(
    assessment: Assessment,
    season_set: CriteriaSet,
    unit_staff: User,
    code: str,
    raw: Any,
    stored: Any,
    points: str,
) -> None:
    node = leaf(season_set, code)
    preview = answer_points_preview(assessment=assessment, node=node, value=raw)
    answer = save(assessment, node, unit_staff, raw)

    assert answer.self_value == stored
    assert answer.version == 1
    assert answer.updated_by == unit_staff
    assert preview == D(points)
    result = self_assessment_results(assessment)
    scored = result.node(code)
    assert scored is not None and scored.points == D(points)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.IN_PROGRESS


def test_preview_saves_nothing_and_empty_input_has_no_points(
    assessment: Assessment, season_set: CriteriaSet
) -> None:
    node = leaf(season_set, "1.2")
    assert answer_points_preview(assessment=assessment, node=node, value="") is None
    assert answer_points_preview(assessment=assessment, node=node, value="100") == D("3.00")
    na = leaf(season_set, "2.2")
    assert (
        answer_points_preview(assessment=assessment, node=na, value="1", not_applicable=True)
        is None
    )
    assert not Answer.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="answer").exists()


@pytest.mark.parametrize(
    ("code", "raw", "key", "expected"),
    [
        ("1.2", "120", "value", "tỷ lệ 120% phải từ 0 đến 100"),
        ("1.2", "abc", "value", "“abc” không phải là một số"),
        ("1.2", "1.234,5", "value", "tỷ lệ 1234,5% phải từ 0 đến 100"),
        ("1.2", "1e5", "value", "không phải là một số"),
        ("1.2", "5\x00", "value", "không phải là một số"),
        ("1.2", {"numerator": "1", "denominator": "2"}, "value", "cần một số, không phải tỷ lệ"),
        ("1.4", "3,5", "value", "điểm 3,5 phải từ 0 đến 3"),
        ("1.4", "-1", "value", "phải từ 0 đến 3"),
        ("1.1", "có lẽ", "value", "cần chọn “Đạt” hoặc “Không đạt”"),
        (
            "2.1",
            {"numerator": "11", "denominator": "10"},
            "numerator",
            "tử số 11 lớn hơn mẫu số 10",
        ),
        ("2.1", {"numerator": "1", "denominator": "0"}, "denominator", "phải lớn hơn 0"),
        ("2.1", {"numerator": "7", "denominator": ""}, "denominator", "cần nhập mẫu số"),
        ("2.1", {"numerator": "x", "denominator": "9"}, "numerator", "tử số: “x” không phải"),
        ("2.1", "0,9", "value", "cần nhập tử số và mẫu số"),
        ("2.2", "1,5", "value", "số lần 1,5 phải là số nguyên"),
        ("2.2", True, "value", "không phải true/false"),
    ],
)
def test_bad_values_are_refused_in_vietnamese_and_nothing_is_stored(
    assessment: Assessment,
    season_set: CriteriaSet,
    unit_staff: User,
    code: str,
    raw: Any,
    key: str,
    expected: str,
) -> None:
    node = leaf(season_set, code)
    with pytest.raises(ValidationError) as caught:
        save(assessment, node, unit_staff, raw)
    errors = caught.value.message_dict
    assert list(errors) == [key]
    [message] = errors[key]
    assert f"Tiêu chí {code}" in message
    assert expected in message
    with pytest.raises(ValidationError):
        answer_points_preview(assessment=assessment, node=node, value=raw)
    assert not Answer.objects.exists()
    assert self_saved_events() == 0
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.NOT_STARTED


def test_clearing_a_value_keeps_the_explanation(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    node = leaf(season_set, "1.4")
    save(assessment, node, unit_staff, "2", explanation="  Đã kiểm tra 4/4 phòng.  ")
    answer = save(assessment, node, unit_staff, "", explanation="Đã kiểm tra 4/4 phòng.")
    assert answer.self_value is None
    assert answer.explanation == "Đã kiểm tra 4/4 phòng."
    assert answer.version == 2
    assert self_assessment_results(assessment).missing.count("1.4") == 1


def test_too_long_explanation_is_refused(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        save(assessment, leaf(season_set, "1.4"), unit_staff, "1", explanation="x" * 10_001)
    assert "thuyết minh dài 10.001 ký tự" in caught.value.message_dict["explanation"][0]
    assert not Answer.objects.exists()


def test_an_explanation_of_10050_characters_is_refused_not_cut(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    node = leaf(season_set, "1.4")
    save(assessment, node, unit_staff, "1", explanation="Đã kiểm tra.")
    with pytest.raises(ValidationError) as caught:
        save(assessment, node, unit_staff, "2", explanation="Thuyết minh " + "x" * 10_038)
    assert caught.value.message_dict["explanation"] == [
        "Tiêu chí 1.4: thuyết minh dài 10.050 ký tự, tối đa 10.000 ký tự: hãy rút gọn rồi "
        "lưu lại (chưa lưu gì)."
    ]
    answer = Answer.objects.get()
    assert (answer.explanation, answer.version) == ("Đã kiểm tra.", 1)


# --------------------------------------------------------------------------- not applicable


def test_not_applicable_needs_a_node_that_allows_it(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        save(
            assessment,
            leaf(season_set, "1.4"),
            unit_staff,
            None,
            not_applicable=True,
            na_justification="Không tổ chức",
        )
    assert caught.value.message_dict == {
        "not_applicable": ["Tiêu chí 1.4 không được đánh dấu “không áp dụng”."]
    }
    assert not Answer.objects.exists()


def test_not_applicable_needs_a_justification(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        save(
            assessment,
            leaf(season_set, "2.2"),
            unit_staff,
            "1",
            not_applicable=True,
            na_justification="  ",
        )
    assert caught.value.message_dict == {
        "na_justification": ["Tiêu chí 2.2: cần nêu lý do không áp dụng."]
    }
    assert not Answer.objects.exists()


def test_not_applicable_leaves_the_index(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    node = leaf(season_set, "2.2")
    answer = save(
        assessment,
        node,
        unit_staff,
        "3",  # ignored: the item is not applicable
        not_applicable=True,
        na_justification="Xã không có hồ sơ TTHC phải bổ sung trong năm.",
    )
    assert answer.self_not_applicable is True
    assert answer.self_value is None
    result = self_assessment_results(assessment)
    assert result.node("2.2") is None
    field_2 = result.node("2")
    assert field_2 is not None and field_2.max == D(6)
    assert result.max == D(21)  # 10 + 6 + 5: no survey in the self-assessment
    # Un-ticking clears the justification and takes the value again.
    answer = save(assessment, node, unit_staff, "0", na_justification="bỏ qua")
    assert (answer.self_not_applicable, answer.na_justification, answer.self_value) == (
        False,
        "",
        "0",
    )


# --------------------------------------------------------------------------- conflicts


def test_second_save_on_a_stale_version_gets_the_other_persons_value(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User, unit_leader: User
) -> None:
    node = leaf(season_set, "1.2")
    answer_save(assessment=assessment, node=node, actor=unit_staff, version=0, value="87,5")
    with pytest.raises(Conflict) as caught:
        answer_save(assessment=assessment, node=node, actor=unit_leader, version=0, value="60")
    conflict = caught.value
    assert conflict.current.version == 1
    assert conflict.current.self_value == "87.5"
    assert "Tiêu chí 1.2 đã được Trần Thị Bình lưu lúc" in conflict.message
    assert "với giá trị 87,5%; hãy xem lại trước khi lưu" in conflict.message
    assert str(conflict) == conflict.message
    stored = Answer.objects.get(assessment=assessment, node=node)
    assert (stored.self_value, stored.version) == ("87.5", 1)
    assert self_saved_events() == 1
    # Having seen version 1, the leader's save goes through.
    answer = answer_save(assessment=assessment, node=node, actor=unit_leader, version=1, value="60")
    assert (answer.self_value, answer.version, answer.updated_by) == ("60", 2, unit_leader)


def test_stale_save_of_the_same_value_is_not_a_conflict(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User, unit_leader: User
) -> None:
    node = leaf(season_set, "1.1")
    answer_save(assessment=assessment, node=node, actor=unit_staff, version=0, value="true")
    answer = answer_save(assessment=assessment, node=node, actor=unit_leader, version=0, value=True)
    assert answer.version == 1
    assert answer.updated_by == unit_staff
    assert self_saved_events() == 1


@pytest.mark.django_db(transaction=True)
def test_two_first_saves_at_once_one_wins_the_other_conflicts(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User, unit_leader: User
) -> None:
    """Two connections save the same new item with version 0: the row locks queue them,
    the second sees the first's row and gets a conflict (PostgreSQL: real row locks)."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's (SQLite serialises writers by itself)")
    node = leaf(season_set, "1.2")
    started = threading.Event()
    outcome: dict[str, object] = {}

    def second() -> None:
        try:
            started.set()
            outcome["second"] = answer_save(
                assessment=assessment, node=node, actor=unit_leader, version=0, value="40"
            )
        except Conflict as conflict:
            outcome["second"] = conflict
        finally:
            connections.close_all()

    with transaction.atomic():
        Assessment.objects.select_for_update().get(pk=assessment.pk)  # as the first save does
        thread = threading.Thread(target=second)
        thread.start()
        started.wait(5)
        time.sleep(0.3)  # the second save is now waiting for the lock
        answer_save(assessment=assessment, node=node, actor=unit_staff, version=0, value="87,5")
    thread.join(10)
    conflict = outcome["second"]
    assert isinstance(conflict, Conflict)
    assert "Trần Thị Bình" in conflict.message and "87,5%" in conflict.message
    stored = Answer.objects.get(assessment=assessment, node=node)
    assert (stored.self_value, stored.version) == ("87.5", 1)


def test_version_without_a_saved_row_is_refused(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    with pytest.raises(ValidationError, match="hãy tải lại trang"):
        answer_save(
            assessment=assessment,
            node=leaf(season_set, "1.1"),
            actor=unit_staff,
            version=3,
            value=True,
        )


def test_empty_row_created_by_the_season_is_version_zero(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    node = leaf(season_set, "1.4")
    Answer.objects.create(assessment=assessment, node=node)  # e.g. an evidence link first
    answer = answer_save(assessment=assessment, node=node, actor=unit_staff, version=0, value="1")
    assert answer.version == 1
    event = AuditEvent.objects.get(action="answer.self_saved")
    assert event.before == {
        "value": None,
        "not_applicable": False,
        "na_justification": "",
        "explanation": "",
        "version": 0,
    }


# --------------------------------------------------------------------------- who, when, which


def test_only_people_of_the_unit_may_save(
    assessment: Assessment,
    season_set: CriteriaSet,
    other_staff: User,
    chair: User,
    observer: User,
) -> None:
    for person in (other_staff, chair, observer):
        with pytest.raises(ValidationError, match="Chỉ cán bộ, lãnh đạo của đơn vị"):
            save(assessment, leaf(season_set, "1.1"), person, True)
    assert not Answer.objects.exists()


def test_node_must_be_a_leaf_of_the_units_set(
    assessment: Assessment,
    season_set: CriteriaSet,
    criteria_set: CriteriaSet,
    unit_staff: User,
) -> None:
    with pytest.raises(ValidationError, match="Tiêu chí 1 có tiêu chí con"):
        save(assessment, leaf(season_set, "1"), unit_staff, "1")
    with pytest.raises(ValidationError, match="không thuộc bộ tiêu chí"):
        save(assessment, leaf(criteria_set, "1.1"), unit_staff, True)
    assert not Answer.objects.exists()


def test_saving_needs_the_self_assessment_stage(
    assessment: Assessment, season: Period, season_set: CriteriaSet, unit_staff: User
) -> None:
    Period.objects.filter(pk=season.pk).update(status=PeriodStatus.APPRAISAL_1)
    with pytest.raises(ValidationError, match="không ở giai đoạn tự đánh giá"):
        save(assessment, leaf(season_set, "1.1"), unit_staff, True)
    assert not Answer.objects.exists()


def test_deadline_passed_refuses_and_an_extension_lets_the_unit_save(
    assessment: Assessment,
    season: Period,
    season_set: CriteriaSet,
    unit_staff: User,
    unit_leader: User,
    chair: User,
) -> None:
    node = leaf(season_set, "1.1")
    pass_deadline(season)
    with pytest.raises(ValidationError, match="Đã hết hạn tự đánh giá"):
        save(assessment, node, unit_staff, True)
    with pytest.raises(ValidationError, match="đã hết hạn tự đánh giá"):
        assessment_submit(assessment=assessment, actor=unit_leader)
    assert not Answer.objects.exists()

    DeadlineExtension.objects.create(
        period=season,
        unit=assessment.unit,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="Mưa bão",
        granted_by=chair,
    )
    assert save(assessment, node, unit_staff, True).self_value is True
    assert assessment_submit(assessment=assessment, actor=unit_leader).status == "submitted"


def test_deadline_of_another_unit_does_not_extend_this_one(
    assessment: Assessment,
    other_assessment: Assessment,
    season: Period,
    season_set: CriteriaSet,
    unit_staff: User,
) -> None:
    pass_deadline(season)
    DeadlineExtension.objects.create(
        period=season,
        unit=other_assessment.unit,
        stage=DeadlineStage.SELF_ASSESSMENT,
        until=timezone.now() + datetime.timedelta(days=2),
        reason="Mưa bão",
    )
    with pytest.raises(ValidationError, match="Đã hết hạn"):
        save(assessment, leaf(season_set, "1.1"), unit_staff, True)


# --------------------------------------------------------------------------- submit, withdraw


def test_leader_submits_then_the_assessment_is_read_only(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User, unit_leader: User
) -> None:
    save(assessment, leaf(season_set, "1.1"), unit_staff, True)
    submitted = assessment_submit(assessment=assessment, actor=unit_leader)
    assert submitted.status == AssessmentStatus.SUBMITTED
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.submitted_by == unit_leader
    assert assessment.submitted_at is not None
    with pytest.raises(ValidationError, match="Hồ sơ tự đánh giá đã gửi lúc"):
        save(assessment, leaf(season_set, "1.1"), unit_staff, False)
    with pytest.raises(ValidationError, match="không gửi được"):
        assessment_submit(assessment=assessment, actor=unit_leader)
    screen = self_assessment_screen(assessment, unit_staff)
    assert not screen.can_edit
    assert screen.closed is not None and "đã gửi" in screen.closed
    assert Answer.objects.get(node__code="1.1").self_value is True


def test_staff_cannot_submit_or_withdraw(
    assessment: Assessment, unit_staff: User, unit_leader: User, chair: User
) -> None:
    for person in (unit_staff, chair):
        with pytest.raises(ValidationError, match="Chỉ lãnh đạo đơn vị được gửi hồ sơ"):
            assessment_submit(assessment=assessment, actor=person)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.NOT_STARTED
    assessment_submit(assessment=assessment, actor=unit_leader)
    with pytest.raises(ValidationError, match="Chỉ lãnh đạo đơn vị được rút hồ sơ"):
        assessment_withdraw(assessment=assessment, actor=unit_staff)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


def test_leader_withdraws_before_the_deadline_and_edits_again(
    assessment: Assessment,
    season: Period,
    season_set: CriteriaSet,
    unit_staff: User,
    unit_leader: User,
) -> None:
    with pytest.raises(ValidationError, match="chưa được gửi"):
        assessment_withdraw(assessment=assessment, actor=unit_leader)
    assessment_submit(assessment=assessment, actor=unit_leader)
    withdrawn = assessment_withdraw(assessment=assessment, actor=unit_leader)
    assert withdrawn.status == AssessmentStatus.IN_PROGRESS
    assert withdrawn.submitted_at is None and withdrawn.submitted_by is None
    assert assessment.status == AssessmentStatus.IN_PROGRESS  # the caller's object follows
    assert save(assessment, leaf(season_set, "1.4"), unit_staff, "1").version == 1

    assessment_submit(assessment=assessment, actor=unit_leader)
    pass_deadline(season)
    with pytest.raises(ValidationError, match="đã hết hạn tự đánh giá"):
        assessment_withdraw(assessment=assessment, actor=unit_leader)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED


# --------------------------------------------------------------------------- audit


def test_every_change_writes_an_audit_event_with_before_and_after(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User, unit_leader: User
) -> None:
    node = leaf(season_set, "2.1")
    first = save(assessment, node, unit_staff, {"numerator": "9", "denominator": "10"})
    save(
        assessment, node, unit_staff, {"numerator": "9", "denominator": "10"}
    )  # unchanged: no event
    save(
        assessment,
        node,
        unit_leader,
        {"numerator": "19", "denominator": "20"},
        explanation="Sổ theo dõi",
    )
    assessment_submit(assessment=assessment, actor=unit_leader)
    assessment_withdraw(assessment=assessment, actor=unit_leader)

    events = list(AuditEvent.objects.order_by("at", "id"))
    assert [e.action for e in events if e.action.startswith(("answer", "assessment"))] == [
        "answer.self_saved",
        "assessment.self_started",
        "answer.self_saved",
        "assessment.submitted",
        "assessment.withdrawn",
    ]
    saved = [e for e in events if e.action == "answer.self_saved"]
    assert saved[0].target_type == "assessments.answer"
    assert saved[0].target_id == str(first.pk)
    assert saved[0].actor == unit_staff
    assert saved[0].before is None
    assert saved[0].after == {
        "value": {"numerator": "9", "denominator": "10"},
        "not_applicable": False,
        "na_justification": "",
        "explanation": "",
        "version": 1,
    }
    assert saved[1].actor == unit_leader
    before, after = data(saved[1].before), data(saved[1].after)
    assert before["value"] == {"numerator": "9", "denominator": "10"}
    assert after["value"] == {"numerator": "19", "denominator": "20"}
    assert after["explanation"] == "Sổ theo dõi"
    assert (before["version"], after["version"]) == (1, 2)
    started = next(e for e in events if e.action == "assessment.self_started")
    assert data(started.before)["status"] == "not_started"
    assert data(started.after)["status"] == "in_progress"
    submitted = next(e for e in events if e.action == "assessment.submitted")
    assert data(submitted.before)["status"] == "in_progress"
    assert data(submitted.after)["status"] == "submitted"


def test_answer_history_lists_self_assessment_and_appraisal_newest_first(
    assessment: Assessment,
    season_set: CriteriaSet,
    unit_staff: User,
    unit_leader: User,
    chair: User,
) -> None:
    node = leaf(season_set, "1.2")
    save(assessment, node, unit_staff, "80")
    answer = save(assessment, node, unit_leader, "90", explanation="Báo cáo số 12/BC-UBND")
    AppraisalRecord.objects.create(
        answer=answer,
        round=1,
        value="85",
        points=D("2.55"),
        comment="Thiếu minh chứng",
        appraiser=chair,
    )
    history = answer_history(answer)
    assert [e.label for e in history] == ["Thẩm định vòng 1", "Tự đánh giá", "Tự đánh giá"]
    appraisal, second, first = history
    assert appraisal.actor == "Hoàng Văn Dũng"
    assert ("Ý kiến", "", "Thiếu minh chứng") in [
        (c.label, c.before, c.after) for c in appraisal.changes
    ]
    assert second.actor == "Phạm Văn Cường"
    assert [(c.label, c.before, c.after) for c in second.changes] == [
        ("Giá trị tự đánh giá", "80%", "90%"),
        ("Thuyết minh", "", "Báo cáo số 12/BC-UBND"),
    ]
    assert first.changes[0] == type(first.changes[0])("Giá trị tự đánh giá", "", "80%")


def test_history_tells_an_appraisal_once_and_evidence_by_its_summary(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User, chair: User
) -> None:
    answer = save(assessment, leaf(season_set, "1.1"), unit_staff, True)
    AppraisalRecord.objects.create(answer=answer, round=1, value=False, appraiser=chair)
    record(
        actor=chair,
        action="answer.appraised",
        target=answer,
        summary="Thẩm định vòng 1 tiêu chí 1.1: 0 điểm",
        before={"appraised_value": None, "appraisal_round": 0, "version": 1},
        after={"appraised_value": False, "appraisal_round": 1, "points": "0", "version": 2},
    )
    record(
        actor=unit_staff,
        action="evidence.cited",
        target=answer,
        summary="Dẫn chiếu văn bản 12/QĐ-UBND cho nội dung 1.1",
        after={"answer": answer.pk, "node": "1.1", "document_number": "12/QĐ-UBND"},
    )
    history = answer_history(answer)
    assert [e.label for e in history] == ["Tài liệu kiểm chứng", "Thẩm định", "Tự đánh giá"]
    evidence, appraisal, _ = history
    assert evidence.changes == () and evidence.summary.startswith("Dẫn chiếu văn bản")
    assert [(c.label, c.before, c.after) for c in appraisal.changes] == [
        ("Vòng thẩm định", "0", "1"),
        ("Giá trị thẩm định", "", "Không đạt"),
        ("Điểm", "", "0"),
    ]


def test_history_csv_has_one_line_per_change(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User, unit_leader: User
) -> None:
    save(assessment, leaf(season_set, "1.1"), unit_staff, True, explanation='=HYPERLINK("x")')
    assessment_submit(assessment=assessment, actor=unit_leader)
    rows = list(csv.reader(io.StringIO(assessment_history_csv(assessment))))
    assert rows[0] == [
        "Thời điểm",
        "Người thực hiện",
        "Hành động",
        "Tiêu chí",
        "Nội dung thay đổi",
        "Trước",
        "Sau",
        "Tóm tắt",
    ]
    body = rows[1:]
    assert ["Phạm Văn Cường", "Gửi hồ sơ", "", "Trạng thái", "Đang tự đánh giá", "Đã gửi"] in [
        r[1:7] for r in body
    ]
    assert ["Trần Thị Bình", "Tự đánh giá", "1.1", "Giá trị tự đánh giá", "", "Đạt"] in [
        r[1:7] for r in body
    ]
    explanation = next(r for r in body if r[4] == "Thuyết minh")
    assert explanation[6] == '\'=HYPERLINK("x")'  # never a spreadsheet formula
    assert body[0][2] == "Gửi hồ sơ"  # newest first


# --------------------------------------------------------------------------- engine numbers


def test_results_summary_and_tree_are_the_engines(
    assessment: Assessment, season_set: CriteriaSet, unit_staff: User
) -> None:
    values = {
        "1.1": True,
        "1.2": "87,5",
        "1.3": "2",
        "1.4": "2,5",
        "2.1": {"numerator": "9", "denominator": "10"},
        "2.2": "1",
    }
    for code, value in values.items():
        save(assessment, leaf(season_set, code), unit_staff, value)

    expected = engine.evaluate(
        engine.EvaluationInput(
            criteria=engine_criteria(season_set),
            units=[engine.UnitInput(assessment.unit.code, assessment.unit.name, "x")],
            scores={
                assessment.unit.code: {
                    "1.1": True,
                    "1.2": D("87.5"),
                    "1.3": D(2),
                    "1.4": D("2.5"),
                    "2.1": engine.Ratio(D(9), D(10)),
                    "2.2": D(1),
                }
            },
            survey={assessment.unit.code: engine.NOT_APPLICABLE},
        )
    ).units[0]
    result = self_assessment_results(assessment)
    assert result.index == expected.index == D("64.08")  # 16.02 / 25, "3" not entered yet
    assert result.total == D("16.02")
    assert result.missing == ["3"]
    assert result.class_label == "Trung bình"

    summary = self_assessment_summary(assessment)
    assert [(f.code, f.points, f.max, f.percent) for f in summary.fields] == [
        ("1", D("8.12"), D(10), D("81.20")),
        ("2", D("7.90"), D(10), D("79.00")),
        ("3", D("0.00"), D(5), D("0.00")),
    ]
    assert (summary.answered, summary.leaves) == (6, 7)

    tree = self_assessment_tree(assessment)
    by_code = {row.node.code: row for row in tree}
    assert [row.node.code for row in tree] == [
        "1",
        "1.1",
        "1.2",
        "1.3",
        "1.4",
        "2",
        "2.1",
        "2.2",
        "3",
    ]
    assert (by_code["1"].depth, by_code["1.2"].depth) == (0, 1)
    assert (by_code["1"].answered, by_code["1"].leaves) == (4, 4)
    assert (by_code["3"].answered, by_code["3"].leaves, by_code["3"].is_leaf) == (0, 1, True)
    assert by_code["1.2"].points == D("2.62") and by_code["1.2"].max == D(3)
    assert by_code["1.2"].input_value == "87,5"
    assert by_code["2.1"].input_numerator == "9"
    assert by_code["1.2"].field_code == "1"
    assert by_code["2.2"].rule_text == "Trừ 1,5 điểm mỗi lần (từ 4 điểm, thấp nhất 0 điểm)"
