"""The remediation services: tasks made of lost points (the engine's numbers), every move
of a task allowed and refused, evidence required to complete, all-or-nothing batches."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, AssessmentStatus
from parindex.assessments.selectors.unit_appraisal import unit_appraisal_view
from parindex.audit.models import AuditEvent
from parindex.evidence.models import Evidence
from parindex.evidence.uploads import evidence_store
from parindex.periods.models import Period, PeriodStatus
from parindex.remediation.models import RemediationTask, TaskComment, TaskStatus
from parindex.remediation.selectors import lost_items_for
from parindex.remediation.services import (
    TaskSpec,
    task_comment_add,
    task_complete,
    task_create,
    task_drop,
    task_evidence_add,
    task_evidence_remove,
    task_reopen,
    task_start,
    task_update,
    tasks_create_many,
)
from parindex.remediation.workflow import TRANSITIONS, available_moves

from .conftest import COMMENT_11, COMMENT_22, Season, pdf

pytestmark = pytest.mark.django_db

D = Decimal


def _today() -> datetime.date:
    return timezone.localdate()


def _in(days: int) -> datetime.date:
    return _today() + datetime.timedelta(days=days)


def make(season: Season, leader: User, code: str = "1.1", **extra: Any) -> RemediationTask:
    fields: dict[str, Any] = {
        "action": "Ban hành kế hoạch CCHC năm 2026 trước ngày 31/12/2025.",
        "due_date": _in(10),
        **extra,
    }
    return task_create(assessment=season.a, node=season.node(code), actor=leader, **fields)


def _events(task: RemediationTask, action: str) -> list[Any]:
    return list(
        AuditEvent.objects.filter(
            action=action, target_type="remediation.remediationtask", target_id=str(task.pk)
        )
    )


# --------------------------------------------------------------------------- lost items


def test_lost_items_are_the_engines_most_lost_first(season: Season) -> None:
    found = lost_items_for(season.a)
    assert found.settled and not found.reason
    assert [i.item.node.code for i in found.items] == ["2.2", "1.1", "1.2"]
    assert found.total_lost == D("5.40")
    assert found.items[0].item.comment == COMMENT_22


def test_no_lost_items_before_the_appraisal_is_settled(season: Season) -> None:
    Period.objects.filter(pk=season.period.pk).update(status=PeriodStatus.APPRAISAL_2)
    Assessment.objects.filter(pk=season.a.pk).update(status=AssessmentStatus.IN_APPRAISAL)
    found = lost_items_for(Assessment.objects.get(pk=season.a.pk))
    assert not found.settled and not found.items
    assert "chưa được chốt" in found.reason


# --------------------------------------------------------------------------- creating


def test_a_task_keeps_the_engines_numbers_and_the_councils_comment(
    season: Season, unit_leader: User, unit_staff: User
) -> None:
    task = make(season, unit_leader, "2.2", officer=unit_staff, section=season.section)
    item = unit_appraisal_view(season.a).item(season.node("2.2").pk)
    assert item is not None
    assert task.max_points == item.applicable_max == D(4)
    assert task.self_points == item.self_points == D(4)
    assert task.appraised_points == item.appraised_points == D(1)
    assert task.points_lost == item.lost == D(3)
    assert task.council_comment == COMMENT_22
    assert (task.period_id, task.unit_id, task.node_code) == (
        season.period.pk,
        season.a.unit_id,
        "2.2",
    )
    assert task.status == TaskStatus.OPEN and task.created_by == unit_leader
    [event] = _events(task, "task.created")
    assert event.after["points_lost"] == "3.00" and event.after["officer"] == unit_staff.username


def test_an_item_that_lost_nothing_is_refused(season: Season, unit_leader: User) -> None:
    with pytest.raises(ValidationError) as exc:
        make(season, unit_leader, "2.1")
    assert "Tiêu chí 2.1 không bị trừ điểm" in exc.value.message_dict["node"][0]
    assert not RemediationTask.objects.exists()


def test_an_unsettled_appraisal_is_refused(season: Season, unit_leader: User) -> None:
    Period.objects.filter(pk=season.period.pk).update(status=PeriodStatus.APPRAISAL_2)
    Assessment.objects.filter(pk=season.a.pk).update(status=AssessmentStatus.IN_APPRAISAL)
    season.a.refresh_from_db()
    with pytest.raises(ValidationError, match="chưa được chốt"):
        make(season, unit_leader)


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"action": "  "}, "action", "Cần ghi biện pháp"),
        ({"due_date": None}, "due_date", "Cần chọn hạn"),
        ({"due_date": datetime.date(2020, 1, 1)}, "due_date", "đã qua"),
    ],
)
def test_bad_fields_are_refused_by_field(
    season: Season, unit_leader: User, extra: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        make(season, unit_leader, **extra)
    assert words in exc.value.message_dict[field][0]


def test_the_officer_and_section_must_be_the_units(
    season: Season, unit_leader: User, other_staff: User, chair: User
) -> None:
    with pytest.raises(ValidationError) as exc:
        make(season, unit_leader, officer=other_staff)
    assert "không phải cán bộ của đơn vị" in exc.value.message_dict["officer"][0]
    with pytest.raises(ValidationError):
        make(season, unit_leader, officer=chair)
    from parindex.teams.services import section_create

    theirs = section_create(unit=season.b.unit, name="Tư pháp – Hộ tịch", actor=None)
    with pytest.raises(ValidationError) as exc:
        make(season, unit_leader, section=theirs)
    assert "không thuộc đơn vị" in exc.value.message_dict["section"][0]


def test_only_the_units_leader_makes_tasks(
    season: Season, unit_staff: User, other_leader: User, chair: User
) -> None:
    for actor in (unit_staff, other_leader, chair):
        with pytest.raises(PermissionDenied):
            make(season, actor)
    assert not RemediationTask.objects.exists()


def test_a_batch_makes_every_task(season: Season, unit_leader: User, unit_staff: User) -> None:
    specs = [
        TaskSpec(season.node("1.1"), "Ban hành kế hoạch đúng hạn.", _in(5), unit_staff),
        TaskSpec(season.node("2.2"), "Rà soát sổ theo dõi hồ sơ.", _in(20), None, season.section),
    ]
    tasks = tasks_create_many(assessment=season.a, specs=specs, actor=unit_leader)
    assert [t.node_code for t in tasks] == ["1.1", "2.2"]
    assert RemediationTask.objects.count() == 2
    assert AuditEvent.objects.filter(action="task.created").count() == 2


def test_a_batch_with_one_bad_row_stores_nothing_and_names_each_criterion(
    season: Season, unit_leader: User, other_staff: User
) -> None:
    specs = [
        TaskSpec(season.node("1.1"), "Ban hành kế hoạch đúng hạn.", _in(5)),
        TaskSpec(season.node("1.2"), "", datetime.date(2020, 1, 1)),
        TaskSpec(season.node("2.2"), "Rà soát.", _in(5), other_staff),
        TaskSpec(season.node("2.1"), "Không bị trừ.", _in(5)),
    ]
    with pytest.raises(ValidationError) as exc:
        tasks_create_many(assessment=season.a, specs=specs, actor=unit_leader)
    messages = exc.value.messages
    assert any(m.startswith("Tiêu chí 1.2: Cần ghi biện pháp") for m in messages)
    assert any(m.startswith("Tiêu chí 1.2: Hạn hoàn thành") for m in messages)
    assert any(m.startswith("Tiêu chí 2.2:") and "không phải cán bộ" in m for m in messages)
    assert any("Tiêu chí 2.1 không bị trừ điểm" in m for m in messages)
    assert not any(m.startswith("Tiêu chí 1.1") for m in messages)
    assert not RemediationTask.objects.exists()
    assert not AuditEvent.objects.filter(action="task.created").exists()


def test_an_empty_batch_is_refused(season: Season, unit_leader: User) -> None:
    with pytest.raises(ValidationError, match="Chưa chọn"):
        tasks_create_many(assessment=season.a, specs=[], actor=unit_leader)


# --------------------------------------------------------------------------- moves


def test_the_transition_table() -> None:
    assert {
        "open": {"in_progress", "done", "dropped"},
        "in_progress": {"done", "dropped"},
        "done": {"open"},
        "dropped": {"open"},
    } == TRANSITIONS


def test_the_assignee_starts_and_completes_with_evidence(
    season: Season, unit_leader: User, unit_staff: User
) -> None:
    task = make(season, unit_leader, officer=unit_staff)
    task = task_start(task=task, actor=unit_staff)
    assert task.status == TaskStatus.IN_PROGRESS
    [started] = _events(task, "task.started")
    assert started.before["status"] == "open" and started.after["status"] == "in_progress"
    task = task_complete(
        task=task, result="Đã ban hành Kế hoạch 12/KH-UBND.", files=[pdf()], actor=unit_staff
    )
    assert task.status == TaskStatus.DONE and task.closed_by == unit_staff and task.closed_at
    [ev] = task.evidence.all()
    assert (ev.period_id, ev.unit_id, ev.original_name) == (
        season.period.pk,
        season.a.unit_id,
        "bien-ban.pdf",
    )
    [completed] = _events(task, "task.completed")
    assert completed.after["evidence"] == [ev.pk] and completed.before["evidence"] == []


def test_a_section_member_may_work_on_the_sections_task(
    season: Season, unit_leader: User, unit_staff: User
) -> None:
    task = make(season, unit_leader, section=season.section)
    assert available_moves(task, unit_staff) == ["start", "complete"]
    assert task_start(task=task, actor=unit_staff).status == TaskStatus.IN_PROGRESS


def test_someone_else_of_the_unit_may_not_work_on_it(
    season: Season, unit_leader: User, unit_staff: User
) -> None:
    task = make(season, unit_leader)  # no officer, no section: the leader's
    assert available_moves(task, unit_staff) == []
    with pytest.raises(PermissionDenied):
        task_start(task=task, actor=unit_staff)
    assert available_moves(task, unit_leader) == ["start", "complete", "drop"]


def test_completing_needs_evidence(season: Season, unit_leader: User) -> None:
    task = make(season, unit_leader)
    with pytest.raises(ValidationError) as exc:
        task_complete(task=task, result="Đã làm.", actor=unit_leader)
    assert "ít nhất một tài liệu" in exc.value.message_dict["files"][0]
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_completing_needs_a_result_and_keeps_no_file_when_refused(
    season: Season, unit_leader: User
) -> None:
    task = make(season, unit_leader)
    with pytest.raises(ValidationError) as exc:
        task_complete(task=task, result=" ", files=[pdf()], actor=unit_leader)
    assert "Cần ghi kết quả" in exc.value.message_dict["result"][0]
    assert not Evidence.objects.filter(period=season.period, unit=season.a.unit).exists()


def test_completing_with_the_units_existing_file(season: Season, unit_leader: User) -> None:
    stored = evidence_store(
        period=season.period, unit=season.a.unit, uploaded_file=pdf("so.pdf"), actor=unit_leader
    ).evidence
    task = task_complete(
        task=make(season, unit_leader), result="Xong.", evidence=[stored], actor=unit_leader
    )
    assert list(task.evidence.all()) == [stored]


def test_another_units_file_is_refused(
    season: Season, unit_leader: User, other_staff: User
) -> None:
    theirs = evidence_store(
        period=season.period, unit=season.b.unit, uploaded_file=pdf("b.pdf"), actor=other_staff
    ).evidence
    with pytest.raises(ValidationError, match="không phải tài liệu của đơn vị"):
        task_complete(
            task=make(season, unit_leader), result="Xong.", evidence=[theirs], actor=unit_leader
        )


def test_a_wrong_file_type_is_refused(season: Season, unit_leader: User) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("ket-qua.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError, match="không phải tệp PDF"):
        task_complete(
            task=make(season, unit_leader), result="Xong.", files=[fake], actor=unit_leader
        )


def test_drop_needs_a_reason_and_the_leader(
    season: Season, unit_leader: User, unit_staff: User
) -> None:
    task = make(season, unit_leader, officer=unit_staff)
    with pytest.raises(PermissionDenied):
        task_drop(task=task, reason="Không cần.", actor=unit_staff)
    with pytest.raises(ValidationError) as exc:
        task_drop(task=task, reason="  ", actor=unit_leader)
    assert "Cần ghi lý do" in exc.value.message_dict["reason"][0]
    task = task_drop(task=task, reason="Tiêu chí bị bỏ ở bộ tiêu chí mới.", actor=unit_leader)
    assert task.status == TaskStatus.DROPPED and task.drop_reason and task.closed_at
    [event] = _events(task, "task.dropped")
    assert event.after["drop_reason"] == "Tiêu chí bị bỏ ở bộ tiêu chí mới."


def test_reopen_from_done_and_dropped(season: Season, unit_leader: User) -> None:
    task = task_drop(task=make(season, unit_leader), reason="Tạm dừng.", actor=unit_leader)
    task = task_reopen(task=task, actor=unit_leader)
    assert task.status == TaskStatus.OPEN and task.drop_reason == "" and task.closed_at is None
    task = task_complete(task=task, result="Xong.", files=[pdf()], actor=unit_leader)
    task = task_reopen(task=task, actor=unit_leader)
    assert task.status == TaskStatus.OPEN and task.evidence.count() == 1
    assert len(_events(task, "task.reopened")) == 2


@pytest.mark.parametrize(
    ("status", "verb"),
    [
        (TaskStatus.IN_PROGRESS, "start"),
        (TaskStatus.DONE, "start"),
        (TaskStatus.DROPPED, "start"),
        (TaskStatus.DONE, "complete"),
        (TaskStatus.DROPPED, "complete"),
        (TaskStatus.DONE, "drop"),
        (TaskStatus.DROPPED, "drop"),
        (TaskStatus.OPEN, "reopen"),
        (TaskStatus.IN_PROGRESS, "reopen"),
    ],
)
def test_every_move_not_in_the_table_is_refused(
    season: Season, unit_leader: User, status: str, verb: str
) -> None:
    task = make(season, unit_leader)
    RemediationTask.objects.filter(pk=task.pk).update(status=status)
    task.refresh_from_db()
    calls = {
        "start": lambda: task_start(task=task, actor=unit_leader),
        "complete": lambda: task_complete(
            task=task, result="Xong.", files=[pdf()], actor=unit_leader
        ),
        "drop": lambda: task_drop(task=task, reason="Lý do.", actor=unit_leader),
        "reopen": lambda: task_reopen(task=task, actor=unit_leader),
    }
    with pytest.raises(ValidationError, match="Nhiệm vụ đang ở trạng thái"):
        calls[verb]()
    task.refresh_from_db()
    assert task.status == status
    assert verb not in available_moves(task, unit_leader)


def test_complete_from_open_and_drop_from_in_progress(season: Season, unit_leader: User) -> None:
    done = task_complete(
        task=make(season, unit_leader), result="Xong.", files=[pdf()], actor=unit_leader
    )
    assert done.status == TaskStatus.DONE
    started = task_start(task=make(season, unit_leader, "2.2"), actor=unit_leader)
    assert task_drop(task=started, reason="Lý do.", actor=unit_leader).status == TaskStatus.DROPPED


# --------------------------------------------------------------------------- edit, comments, files


def test_update_moves_the_due_date_never_into_the_past(
    season: Season, unit_leader: User, unit_staff: User
) -> None:
    task = make(season, unit_leader)
    fields: dict[str, Any] = {"action": "Mới.", "officer": unit_staff, "section": None}
    with pytest.raises(ValidationError):
        task_update(task=task, due_date=_in(-1), actor=unit_leader, **fields)
    task = task_update(task=task, due_date=_in(30), actor=unit_leader, **fields)
    assert task.due_date == _in(30) and task.officer == unit_staff
    [event] = _events(task, "task.changed")
    assert set(event.after) == {"action", "officer", "due_date"}
    # An overdue task may be edited without moving its date.
    RemediationTask.objects.filter(pk=task.pk).update(due_date=_in(-3))
    task.refresh_from_db()
    task = task_update(task=task, due_date=_in(-3), actor=unit_leader, **{**fields, "action": "B"})
    assert task.action == "B"
    with pytest.raises(PermissionDenied):
        task_update(task=task, due_date=_in(5), actor=unit_staff, **fields)


def test_comments_by_the_unit_and_the_overseer_only(
    season: Season, unit_leader: User, unit_staff: User, observer: User, other_staff: User
) -> None:
    task = make(season, unit_leader)
    task_comment_add(task=task, text="Đã xin ý kiến Phòng Nội vụ.", actor=unit_staff)
    task_comment_add(task=task, text="Đề nghị gửi dự thảo.", actor=observer)
    assert TaskComment.objects.filter(task=task).count() == 2
    assert len(_events(task, "task.commented")) == 2
    with pytest.raises(PermissionDenied):
        task_comment_add(task=task, text="?", actor=other_staff)
    with pytest.raises(ValidationError):
        task_comment_add(task=task, text="\x00 ", actor=unit_staff)


def test_evidence_added_and_removed_while_open(season: Season, unit_leader: User) -> None:
    task = make(season, unit_leader)
    [ev] = task_evidence_add(task=task, files=[pdf("du-thao.pdf")], actor=unit_leader)
    assert _events(task, "task.evidence_added")[0].after == {"evidence": [ev.pk]}
    task = task_evidence_remove(task=task, evidence=ev, actor=unit_leader)
    assert not task.evidence.exists() and Evidence.objects.filter(pk=ev.pk).exists()
    with pytest.raises(ValidationError):
        task_evidence_remove(task=task, evidence=ev, actor=unit_leader)
    done = task_complete(task=task, result="Xong.", evidence=[ev], actor=unit_leader)
    with pytest.raises(ValidationError, match="Nhiệm vụ đã đóng"):
        task_evidence_remove(task=done, evidence=ev, actor=unit_leader)


def test_the_11_task_has_the_councils_reason(season: Season, unit_leader: User) -> None:
    task = make(season, unit_leader)
    assert task.council_comment == COMMENT_11 and task.points_lost == D(2)
