"""What xã Vân Sơn (the printed accounts ``xa.demo`` and ``lanhdao.xa``) did after its
6-month appraisal, as Hiền Thành did in 2023 (seeds 001, 003, 004):

* its sections (bộ phận) and who answers for each field (``teams``);
* remediation tasks on its biggest losses of "6 tháng đầu năm 2025", one already started
  (``remediation``);
* its CCHC plan for 2025: 5 objectives, 30 tasks (12 due by 30/6, 9 of them done) and a few
  activities (``plans``), which the year-end self-assessment offers as the value of 1.1.3.

Everything through the services, by the unit's own people. Deterministic (no random draw).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.plans.models import ItemKind
from parindex.plans.services import plan_create, plan_item_add, plan_item_mark_done
from parindex.remediation.selectors import lost_items_for
from parindex.remediation.services import TaskSpec, task_start, tasks_create_many
from parindex.teams.models import Section
from parindex.teams.services import item_assignment_save, section_create
from parindex.tools.demo.season import SEASON_YEAR, TRY_OUT_UNITS, VAN_SON_CODE

SECTIONS: tuple[str, ...] = (
    "Văn phòng – Thống kê",
    "Tư pháp – Hộ tịch",
    "Văn hóa – Xã hội",
    "Bộ phận Tiếp nhận và Trả kết quả",
)
FIELDS: dict[str, str] = {
    # field code → the section that answers for it (the staff account answers for field 1)
    "1": "Văn phòng – Thống kê",
    "2": "Tư pháp – Hộ tịch",
    "3": "Bộ phận Tiếp nhận và Trả kết quả",
    "4": "Văn phòng – Thống kê",
    "5": "Văn phòng – Thống kê",
    "6": "Văn phòng – Thống kê",
    "7": "Văn hóa – Xã hội",
    "8": "Văn phòng – Thống kê",
}
TASKS = 4
"""Tasks made on the biggest losses of the 6-month appraisal."""
ACTIONS: dict[str, str] = {
    "1": "Căn cứ kết quả thẩm định 6 tháng, theo dõi, đôn đốc các nhiệm vụ chưa hoàn thành "
    "của kế hoạch CCHC; xác định số nhiệm vụ cần hoàn thành trong 6 tháng.",
    "2": "Tổ chức ít nhất 01 cuộc đối thoại về thi hành pháp luật; bổ sung báo cáo theo dõi "
    "thi hành pháp luật.",
    "3": "Hướng dẫn người dân nộp hồ sơ trực tuyến, thanh toán trực tuyến; đối chiếu số liệu "
    "với Hệ thống thông tin giải quyết TTHC.",
    "": "Rà soát, bổ sung tài liệu kiểm chứng theo ý kiến của Hội đồng thẩm định.",
}

PLAN_NUMBER = "30/KH-UBND"
OBJECTIVES: tuple[tuple[str, int, int], ...] = (
    # (objective, tasks due by 30/6, tasks due later)
    ("Nâng cao hiệu quả công tác chỉ đạo, điều hành CCHC", 3, 3),
    ("Hoàn thiện thể chế, nâng cao chất lượng văn bản của UBND xã", 2, 3),
    ("Đẩy mạnh cải cách thủ tục hành chính, dịch vụ công trực tuyến", 3, 4),
    ("Xây dựng đội ngũ cán bộ, công chức chuyên nghiệp", 2, 4),
    ("Phát triển chính quyền số, chuyển đổi số cộng đồng", 2, 4),
)
DONE_FIRST_HALF = 9
DONE_SECOND_HALF = 10


@dataclass
class FollowupSummary:
    sections: int = 0
    tasks: int = 0
    plan_tasks: int = 0
    plan_done: int = 0


def followup_create(*, interim: Period, actor: User | None) -> FollowupSummary:
    """Vân Sơn's sections, assignments, tasks and plan (after :func:`interim_create`)."""
    unit = Unit.objects.get(code=VAN_SON_CODE)
    staff_name, leader_name = TRY_OUT_UNITS[VAN_SON_CODE]
    staff = User.objects.get(username=staff_name)
    leader = User.objects.get(username=leader_name)
    summary = FollowupSummary()
    sections = _sections(unit, staff, leader)
    summary.sections = len(sections)
    assessment = Assessment.objects.get(period=interim, unit=unit)
    summary.tasks = _tasks(assessment, staff, leader, sections)
    summary.plan_tasks, summary.plan_done = _plan(unit, staff)
    return summary


def _sections(unit: Unit, staff: User, leader: User) -> dict[str, Section]:
    sections = {
        name: section_create(unit=unit, name=name, members=[staff] if i == 0 else [], actor=leader)
        for i, name in enumerate(SECTIONS)
    }
    for code, name in FIELDS.items():
        item_assignment_save(
            unit=unit,
            node_code=code,
            officer=staff if code == "1" else None,
            section=sections[name],
            actor=leader,
        )
    return sections


def _tasks(assessment: Assessment, staff: User, leader: User, sections: dict[str, Section]) -> int:
    lost = lost_items_for(assessment)
    due = timezone.localdate() + datetime.timedelta(days=45)
    specs = []
    for found in lost.items[:TASKS]:
        node = found.item.node
        field = node.code.split(".")[0]
        specs.append(
            TaskSpec(
                node=node,
                action=ACTIONS.get(field, ACTIONS[""]),
                due_date=due,
                officer=staff if field == "1" else None,
                section=sections[FIELDS.get(field, SECTIONS[0])],
                expected_evidence="Báo cáo kết quả khắc phục; văn bản, hình ảnh kèm theo.",
            )
        )
    tasks = tasks_create_many(assessment=assessment, specs=specs, actor=leader)
    if tasks:
        task_start(task=tasks[0], actor=leader)
    return len(tasks)


def _plan(unit: Unit, staff: User) -> tuple[int, int]:
    """The 2025 plan; (tasks, tasks done)."""
    year = SEASON_YEAR
    plan = plan_create(
        unit=unit,
        year=year,
        number=PLAN_NUMBER,
        issued_on=datetime.date(year, 1, 15),
        title=f"Kế hoạch cải cách hành chính năm {year} của UBND xã Vân Sơn",
        actor=staff,
    )
    tasks = done = 0
    first_left, second_left = DONE_FIRST_HALF, DONE_SECOND_HALF
    for i, (title, early, late) in enumerate(OBJECTIVES, start=1):
        objective = plan_item_add(
            plan=plan, kind=ItemKind.OBJECTIVE, parent=None, code=str(i), title=title, actor=staff
        )
        for j in range(1, early + late + 1):
            first_half = j <= early
            month = 3 + j if first_half else 6 + j
            deadline = datetime.date(year, min(month, 6) if first_half else min(month, 12), 28)
            task = plan_item_add(
                plan=plan,
                kind=ItemKind.TASK,
                parent=objective,
                code=f"{i}.{j}",
                title=f"{title.split(',')[0]}: nhiệm vụ {i}.{j}",
                product="Báo cáo, văn bản triển khai",
                deadline=deadline,
                lead="Văn phòng – Thống kê" if i in (1, 4) else SECTIONS[i % len(SECTIONS)],
                support="Các bộ phận chuyên môn",
                actor=staff,
            )
            tasks += 1
            if j == 1:
                plan_item_add(
                    plan=plan,
                    kind=ItemKind.ACTIVITY,
                    parent=task,
                    code=f"{i}.{j}.1",
                    title="Xây dựng dự thảo, lấy ý kiến các bộ phận",
                    deadline=deadline,
                    lead=task.lead,
                    actor=staff,
                )
            left = first_left if first_half else second_left
            if left:
                plan_item_mark_done(
                    item=task,
                    done_on=deadline - datetime.timedelta(days=3),
                    result_document=f"Báo cáo số {10 + tasks}/BC-UBND ngày "
                    f"{(deadline - datetime.timedelta(days=3)):%d/%m/%Y}",
                    file=None,
                    actor=staff,
                )
                done += 1
                if first_half:
                    first_left -= 1
                else:
                    second_left -= 1
    return tasks, done
