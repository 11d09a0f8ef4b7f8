"""Appraisal services: rounds, mandatory comments, explanations, bulk accept, conflicts,
finalising into item scores the engine ranks."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from parindex.assessments.errors import AppraisalConflict
from parindex.assessments.leaves import points_preview
from parindex.assessments.models import (
    Answer,
    AppraisalRecord,
    Assessment,
    AssessmentStatus,
    ItemScore,
)
from parindex.assessments.selectors.appraisal import appraisal_queue, item_timeline
from parindex.assessments.services.appraisal import (
    COMMENT_REQUIRED,
    appraisal_accept_self,
    appraisal_save,
    explanation_respond,
)
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    A_TOTAL,
    Season,
    round_1_fixture,
    season_fixture,
)
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.periods.models import PeriodStatus
from parindex.results.selectors import period_group_results
from parindex.season.dashboard import period_dashboard
from parindex.season.finalise import period_finalise
from parindex.season.stages import period_open_explanation, period_start_round_2

pytestmark = pytest.mark.django_db

D = Decimal


def test_round_1_save_records_value_points_and_audit(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    saved = appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value="80,5",
        comment="Kế hoạch thực hiện được 80,5%.",
    )
    assert saved.appraised_value == "80.5"
    assert saved.appraisal_round == 1
    assert saved.version == answer.version + 1
    record_ = AppraisalRecord.objects.get(answer=answer)
    assert record_.points == D("3.22")
    assert record_.round == 1
    assert record_.appraiser == round_1.appraiser
    event = AuditEvent.objects.get(action="answer.appraised", target_id=str(answer.pk))
    assert event.before is not None and event.before["appraisal_round"] == 0
    assert event.before["points"] == "3.5"  # the unit's own points before the first round
    assert event.after is not None and event.after["points"] == "3.22"
    assert "3,22 điểm" in event.summary and "tự chấm: 3,5 điểm" in event.summary


def test_comment_is_mandatory_when_points_differ(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.1")
    with pytest.raises(ValidationError) as exc:
        appraisal_save(answer=answer, actor=round_1.appraiser, version=answer.version, value=False)
    assert exc.value.message_dict["comment"] == [COMMENT_REQUIRED]
    assert "Cần ghi ý kiến khi điểm thẩm định khác điểm tự chấm" in COMMENT_REQUIRED
    assert not AppraisalRecord.objects.exists()

    saved = appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value="false",
        comment="Kế hoạch ban hành sau thời hạn.",
    )
    assert saved.appraised_value is False
    assert AppraisalRecord.objects.get(answer=answer).points == D("0.00")


def test_same_points_need_no_comment(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.3")
    # 2 initiatives → 3 points; 2.5 also gives 3 points (tier from 1): same points.
    saved = appraisal_save(
        answer=answer, actor=round_1.appraiser, version=answer.version, value="2,5"
    )
    assert saved.appraisal_comment == ""
    assert AppraisalRecord.objects.get(answer=answer).points == D("3.00")


def test_invalid_values_are_refused_with_the_engine_message(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    with pytest.raises(ValidationError) as exc:
        appraisal_save(answer=answer, actor=round_1.appraiser, version=0, value="120", comment="x")
    assert "phải từ 0 đến 100" in exc.value.message_dict["value"][0]
    with pytest.raises(ValidationError) as exc:
        appraisal_save(answer=answer, actor=round_1.appraiser, version=0, value="abc")
    assert "“abc” không phải là một số" in exc.value.message_dict["value"][0]
    assert points_preview(answer=answer, value="50") == (D("2.00"), "")
    points, problem = points_preview(answer=answer, value="-1")
    assert points is None and "phải từ 0 đến 100" in problem


def test_a_comment_past_the_limit_is_refused_not_cut(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    with pytest.raises(ValidationError) as exc:
        appraisal_save(
            answer=answer,
            actor=round_1.appraiser,
            version=answer.version,
            value="50",
            comment="y" * 4_050,
        )
    assert exc.value.message_dict["comment"] == [
        "Ý kiến thẩm định dài 4.050 ký tự, tối đa 4.000 ký tự: hãy rút gọn rồi lưu lại "
        "(chưa lưu gì)."
    ]
    answer.refresh_from_db()
    assert (answer.appraisal_comment, answer.appraisal_round) == ("", 0)
    assert not AppraisalRecord.objects.exists()


def test_needs_explanation_requires_a_comment_and_round_1(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.3")
    with pytest.raises(ValidationError) as exc:
        appraisal_save(
            answer=answer,
            actor=round_1.appraiser,
            version=answer.version,
            value="2",
            needs_explanation=True,
        )
    assert "comment" in exc.value.message_dict
    saved = appraisal_save(
        answer=answer,
        actor=round_1.appraiser,
        version=answer.version,
        value="2",
        comment="Đề nghị gửi quyết định công nhận sáng kiến.",
        needs_explanation=True,
    )
    assert saved.needs_explanation
    assert AppraisalRecord.objects.get(answer=answer).needs_explanation


def test_appraiser_cannot_appraise_unassigned_items(round_1: Season) -> None:
    other_field = round_1.answer(round_1.a, "2")
    other_unit = round_1.answer(round_1.b, "1.1")
    for answer in (other_field, other_unit):
        with pytest.raises(PermissionDenied):
            appraisal_save(
                answer=answer, actor=round_1.appraiser, version=answer.version, value="1"
            )
    with pytest.raises(PermissionDenied):
        appraisal_save(
            answer=other_field, actor=round_1.unit_leader, version=0, value="1", comment="x"
        )


def test_no_appraisal_outside_the_rounds(season: Season) -> None:
    answer = season.answer(season.a, "1.1")
    with pytest.raises(ValidationError) as exc:
        appraisal_save(answer=answer, actor=season.appraiser, version=answer.version, value=True)
    assert "không trong thời gian thẩm định" in exc.value.messages[0]


def test_stale_version_is_a_conflict_showing_the_other_value(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    opened_at = answer.version
    appraisal_save(
        answer=answer, actor=round_1.chair, version=opened_at, value="70", comment="Chủ tịch"
    )
    with pytest.raises(AppraisalConflict) as exc:
        appraisal_save(
            answer=answer,
            actor=round_1.appraiser,
            version=opened_at,
            value="90",
            comment="Thẩm định viên",
        )
    assert exc.value.current.appraised_value == "70"
    assert exc.value.current.updated_by == round_1.chair
    assert AppraisalRecord.objects.filter(answer=answer).count() == 1


def test_bulk_accept_copies_self_values(round_1: Season) -> None:
    answers = list(Answer.objects.filter(assessment=round_1.a, node__code__startswith="1."))
    appraisal_save(
        answer=answers[0],
        actor=round_1.appraiser,
        version=answers[0].version,
        value=answers[0].self_value,
    )
    accepted = appraisal_accept_self(answers=answers, actor=round_1.appraiser)
    assert accepted == 2  # the first was already appraised in this round
    for answer in answers:
        answer.refresh_from_db()
        assert answer.appraisal_round == 1
        assert answer.appraised_value == answer.self_value
    assert AuditEvent.objects.filter(action="answer.appraisal_accepted").count() == 2
    assert AppraisalRecord.objects.count() == 3
    with pytest.raises(PermissionDenied):
        appraisal_accept_self(answers=[round_1.answer(round_1.a, "2")], actor=round_1.appraiser)


def _explanation_round(season: Season) -> Answer:
    answer = season.answer(season.a, "1.3")
    appraisal_save(
        answer=answer,
        actor=season.appraiser,
        version=answer.version,
        value="1",
        comment="Chỉ có 1 sáng kiến được công nhận; đề nghị giải trình.",
        needs_explanation=True,
    )
    period_open_explanation(period=season.period, actor=season.chair)
    season.refresh()
    answer.refresh_from_db()
    return answer


def test_explanation_by_the_unit_then_round_2_settles(round_1: Season) -> None:
    answer = _explanation_round(round_1)
    assert round_1.a.status == AssessmentStatus.NEEDS_EXPLANATION
    assert round_1.b.status == AssessmentStatus.IN_APPRAISAL

    with pytest.raises(PermissionDenied):
        explanation_respond(
            answer=answer, actor=round_1.other_staff, version=answer.version, response="x"
        )
    with pytest.raises(ValidationError):
        explanation_respond(
            answer=answer, actor=round_1.unit_staff, version=answer.version, response="  "
        )
    not_asked = round_1.answer(round_1.a, "1.1")
    with pytest.raises(ValidationError):
        explanation_respond(
            answer=not_asked, actor=round_1.unit_staff, version=not_asked.version, response="x"
        )
    with pytest.raises(ValidationError) as exc:
        explanation_respond(
            answer=answer, actor=round_1.unit_staff, version=answer.version, response="z" * 10_050
        )
    assert exc.value.message_dict["response"] == [
        "Nội dung giải trình dài 10.050 ký tự, tối đa 10.000 ký tự: hãy rút gọn rồi lưu lại "
        "(chưa lưu gì)."
    ]
    answer.refresh_from_db()
    assert answer.unit_response == ""
    explained = explanation_respond(
        answer=answer,
        actor=round_1.unit_staff,
        version=answer.version,
        response="Đơn vị bổ sung quyết định công nhận 3 sáng kiến.",
    )
    assert explained.unit_response.startswith("Đơn vị bổ sung")
    assert AuditEvent.objects.filter(action="answer.explained").count() == 1
    with pytest.raises(AppraisalConflict):
        explanation_respond(
            answer=answer, actor=round_1.unit_leader, version=answer.version, response="cũ"
        )

    # Explanations are closed once round 2 starts; the appraiser settles the item.
    with pytest.raises(ValidationError):
        appraisal_save(
            answer=explained, actor=round_1.appraiser, version=explained.version, value="3"
        )
    period_start_round_2(period=round_1.period, actor=round_1.chair)
    with pytest.raises(ValidationError):
        explanation_respond(
            answer=explained, actor=round_1.unit_staff, version=explained.version, response="y"
        )
    with pytest.raises(ValidationError) as exc:
        appraisal_save(
            answer=explained,
            actor=round_1.appraiser,
            version=explained.version,
            value="3",
            comment="Chấp nhận giải trình.",
            needs_explanation=True,
        )
    assert "vòng 1" in exc.value.message_dict["needs_explanation"][0]
    settled = appraisal_save(
        answer=explained,
        actor=round_1.appraiser,
        version=explained.version,
        value="3",
        comment="Chấp nhận giải trình: 3 sáng kiến.",
    )
    assert settled.appraisal_round == 2
    assert [r.round for r in AppraisalRecord.objects.filter(answer=answer)] == [1, 2]

    timeline = item_timeline(settled)
    kinds = [entry.kind for entry in timeline]
    assert kinds == ["appraisal", "response", "appraisal"]
    assert timeline[0].needs_explanation and timeline[0].points == D("3.00")
    assert timeline[1].comment.startswith("Đơn vị bổ sung")
    assert timeline[2].round == 2 and timeline[2].points == D("6.00")


def test_timeline_includes_the_units_own_saves(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    record(
        actor=round_1.unit_staff,
        action="answer.saved",
        target=answer,
        summary="Tự chấm tiêu chí 1.2",
        after={"self_value": "87.5", "self_not_applicable": False},
    )
    appraisal_save(answer=answer, actor=round_1.appraiser, version=answer.version, value="87.5")
    timeline = item_timeline(answer)
    assert [e.kind for e in timeline] == ["self", "appraisal"]
    assert timeline[0].value == "87,5%" and timeline[0].points == D("3.50")


def test_queue_filters(round_1: Season) -> None:
    rows = appraisal_queue(round_1.appraiser, round_1.period)
    assert [r.code for r in rows] == ["1.1", "1.2", "1.3"]
    assert {r.unit for r in rows} == {round_1.unit_a}
    assert rows[1].self_points == D("3.50")
    answer = rows[1].answer
    appraisal_save(
        answer=answer, actor=round_1.appraiser, version=answer.version, value="50", comment="x"
    )
    differs = appraisal_queue(round_1.appraiser, round_1.period, differs=True)
    assert [(r.code, r.appraised_points) for r in differs] == [("1.2", D("2.00"))]
    assert [
        r.code for r in appraisal_queue(round_1.appraiser, round_1.period, status="pending")
    ] == [
        "1.1",
        "1.3",
    ]
    assert appraisal_queue(round_1.appraiser, round_1.period, field="2") == []
    # Unit B's appraiser sees all of B's leaves, including those B left empty.
    rows_b = appraisal_queue(round_1.appraiser_b, round_1.period)
    assert len(rows_b) == 12
    assert sum(1 for r in rows_b if r.self_points is None) == 10
    chair_rows = appraisal_queue(round_1.chair, round_1.period, unit=round_1.unit_a.pk, field="7")
    assert [r.code for r in chair_rows] == ["7.1", "7.3", "7.5"]


def test_finalise_feeds_the_engine(round_1: Season) -> None:
    season = round_1
    answer = season.answer(season.a, "1.2")
    appraisal_save(
        answer=answer,
        actor=season.appraiser,
        version=answer.version,
        value="80",
        comment="Thực hiện 80% kế hoạch.",
    )  # 3.5 → 3.2
    explained = _explanation_round(season)  # 1.3 asked
    with pytest.raises(ValidationError):
        period_finalise(period=season.period, actor=season.chair)
    explained = explanation_respond(
        answer=explained, actor=season.unit_staff, version=explained.version, response="Có 3."
    )
    period_start_round_2(period=season.period, actor=season.chair)
    appraisal_save(
        answer=explained,
        actor=season.appraiser,
        version=explained.version,
        value="3",
        comment="Chấp nhận.",
    )  # 3 → 6
    with pytest.raises(PermissionDenied):
        period_finalise(period=season.period, actor=season.appraiser)

    period_finalise(period=season.period, actor=season.chair)
    season.refresh()
    assert season.period.status == PeriodStatus.FINALISED
    assert set(Assessment.objects.values_list("status", flat=True)) == {AssessmentStatus.FINAL}
    scores = dict(ItemScore.objects.filter(assessment=season.a).values_list("node__code", "value"))
    assert scores["1.2"] == "80"
    assert scores["1.3"] == "3"
    assert scores["2"] == "9.25"  # never appraised: the unit's own value
    assert ItemScore.objects.filter(assessment=season.b).count() == 2  # empty leaves: none
    assert not ItemScore.objects.filter(assessment=season.office_assessment).exists()
    event = AuditEvent.objects.get(action="period.finalised")
    assert "chưa thẩm định giữ điểm tự chấm" in event.summary

    [group] = period_group_results(season.period)
    indexes = {r.unit: r.index for r in group.results.units}
    assert indexes["T-STP"] == A_TOTAL - D("0.3") + D("3")  # 80.14
    assert indexes["T-STC"] == D("18.00")
    assert indexes["T-SNV"] == D("0.00")
    with pytest.raises(ValidationError):
        period_finalise(period=season.period, actor=season.chair)


def test_finalise_from_round_1_when_nothing_needs_explanation(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(answer=answer, actor=round_1.appraiser, version=answer.version, value=True)
    period_finalise(period=round_1.period, actor=round_1.chair)
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.FINALISED
    [group] = period_group_results(round_1.period)
    assert {r.unit: r.index for r in group.results.units}["T-STP"] == A_TOTAL


def test_dashboard_numbers(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.1")
    appraisal_save(answer=answer, actor=round_1.appraiser, version=answer.version, value=True)
    accepted = appraisal_accept_self(
        answers=list(Answer.objects.filter(assessment=round_1.b, self_value__isnull=False)),
        actor=round_1.appraiser_b,
    )
    assert accepted == 2
    dashboard = period_dashboard(round_1.period)
    counts = {c.status: c.count for c in dashboard.counts}
    assert counts[AssessmentStatus.IN_APPRAISAL] == 3
    assert dashboard.total == 3
    per_unit = {u.unit.code: u for u in dashboard.units}
    assert per_unit["T-STP"].answered == 12 and per_unit["T-STP"].appraised == 1
    assert per_unit["T-STC"].items == 12 and per_unit["T-STC"].answered == 2
    per_appraiser = {p.appraiser.username: (p.appraised, p.assigned) for p in dashboard.appraisers}
    assert per_appraiser == {"tham.dinh.1": (1, 3), "tham.dinh.2": (2, 12)}
    assert dashboard.deadline_label == "Hạn thẩm định vòng 1"
    assert dashboard.days_left is None
    chart = dashboard.chart()
    assert chart["values"] == [3] and chart["labels"] == ["Đang thẩm định"]


def test_a_period_nobody_appraised_is_finalised_only_with_the_chairs_confirmation(
    round_1: Season,
) -> None:
    """30 units not started became final in two clicks: now the chair must confirm."""
    with pytest.raises(ValidationError) as exc:
        period_finalise(period=round_1.period, actor=round_1.chair)
    [message] = exc.value.message_dict["confirm_unappraised"]
    assert message.startswith("Chưa có nội dung nào được thẩm định")
    round_1.refresh()
    assert round_1.period.status == PeriodStatus.APPRAISAL_1
    assert not ItemScore.objects.exists()
    assert not AuditEvent.objects.filter(action="period.finalised").exists()

    period_finalise(period=round_1.period, actor=round_1.chair, confirm_unappraised=True)

    round_1.refresh()
    assert round_1.period.status == PeriodStatus.FINALISED
    event = AuditEvent.objects.get(action="period.finalised")
    assert "chủ tịch xác nhận chốt khi chưa thẩm định nội dung nào" in event.summary
    assert event.after is not None and event.after["confirmed_unappraised"] is True
