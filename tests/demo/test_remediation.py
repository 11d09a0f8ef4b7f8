"""A 6-month period of the demo run to the end, and what the unit does about its lost points.

The demo's "6 tháng đầu năm 2025" of huyện Vân Khê (``parindex/tools/demo/interim.py``) is
appraised, finalised and ranked by the district's council. Then xã Vân Sơn, as a commune of
Vĩnh Linh did after the 2023 6-month appraisal (seed 004):

* prints the appendix of its lost points (Phụ lục các nội dung bị trừ điểm);
* its leader sets up a section, gives field 2 to an officer, and turns two losses the
  demo left without a task into tasks for that officer and that section;
* ``parindex send_reminders`` e-mails the officer (console e-mail) before the due date and
  the day after it;
* the officer closes a task with a signed-or-not PDF as its evidence;
* in the year-end period ("Năm 2025", in self-assessment), the same item's screen offers
  that evidence, and one click attaches it to the item.
"""

from __future__ import annotations

import datetime
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from docx import Document as open_docx

from parindex.accounts.models import User
from parindex.assessments.models import AppraisalRecord, Assessment
from parindex.assessments.services.self_assessment import answer_save
from parindex.core.formatting import format_vn
from parindex.criteria.models import CriterionNode
from parindex.documents.generate import Request, make_file
from parindex.documents.models import DocumentFormat
from parindex.evidence.models import EvidenceLink
from parindex.organizations.models import Unit
from parindex.periods.models import PeriodStatus
from parindex.remediation.models import TaskStatus
from parindex.remediation.selectors import lost_items_for
from parindex.remediation.services import TaskSpec, task_complete, tasks_create_many
from parindex.remediation.tests.conftest import pdf_bytes
from parindex.results.models import ResultRow, ResultVersion
from parindex.teams.services import item_assignment_save, section_create
from parindex.tools.demo.build import demo_province
from parindex.tools.demo.interim import interim_period
from parindex.tools.demo.season import VAN_SON_CODE, season_period

from .conftest import Demo

pytestmark = pytest.mark.django_db

CONSOLE = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}


def _docx_text(data: bytes) -> str:
    doc = open_docx(BytesIO(data))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_6_month_period_from_appraisal_to_the_year_end(
    demo: Demo, capsys: pytest.CaptureFixture[str]
) -> None:
    province = demo_province()
    assert province is not None
    period = interim_period(province)
    assert period is not None and period.status == PeriodStatus.FINALISED

    # The appraisal: every item appraised, some lowered with the council's reason.
    records = AppraisalRecord.objects.filter(answer__assessment__period=period)
    assert records.exclude(comment="").exists()
    assert not period.assessments.filter(answers__appraisal_round=0).exists()
    # The ranking, published: the district's communes, ranked 1…n.
    version = ResultVersion.objects.filter(period=period).current().get()
    rows = list(ResultRow.objects.filter(version=version).order_by("rank"))
    assert len(rows) == period.assessments.count() >= 5
    assert rows[0].rank == 1 and rows[-1].rank <= len(rows)

    van_son = Unit.objects.get(code=VAN_SON_CODE)
    assessment = Assessment.objects.get(period=period, unit=van_son)
    lost = lost_items_for(assessment)
    assert lost.settled and len(lost.items) >= 2

    # The appendix prints every lost item with the engine's points lost.
    made = make_file(Request("deductions", period, unit=van_son), DocumentFormat.DOCX)
    text = _docx_text(made.data)
    for item in lost.items:
        assert item.item.node.code in text
        assert format_vn(item.item.lost, lost.points_places) in text

    directive = make_file(Request("directive", period, unit=van_son), DocumentFormat.DOCX)
    assert "Căn cứ Thông báo số 285/TB-HĐTĐ ngày 08/08/2025" in _docx_text(directive.data)

    # The leader assigns field 1 to an officer and turns two losses into tasks.
    leader = User.objects.get(username="lanhdao.xa")
    officer = User.objects.get(username="xa.demo")
    officer.email = "hoa.vanson@example.vn"
    officer.save(update_fields=["email"])
    section = section_create(unit=van_son, name="Tổ công nghệ số cộng đồng", actor=leader)
    item_assignment_save(unit=van_son, node_code="2", officer=officer, section=None, actor=leader)
    due = timezone.localdate() + datetime.timedelta(days=3)
    untouched = [i for i in lost.items if not i.tasks]  # the demo gave its biggest ones
    assert len(untouched) >= 2
    first, second = untouched[0].item.node, untouched[1].item.node
    tasks = tasks_create_many(
        assessment=assessment,
        specs=[
            TaskSpec(first, "Bổ sung tài liệu kiểm chứng còn thiếu", due, officer=officer),
            TaskSpec(second, "Rà soát số liệu với cơ quan chuyên môn", due, section=section),
        ],
        actor=leader,
    )
    assert [t.points_lost for t in tasks] == [untouched[0].item.lost, untouched[1].item.lost]

    # Reminders: three days before the due date, and the day after it, by console e-mail.
    with override_settings(MAILERS=CONSOLE):
        call_command("send_reminders", "--days", "3")
        before = capsys.readouterr().out
        later = timezone.now() + datetime.timedelta(days=4)
        with _now(later):
            call_command("send_reminders", "--days", "3")
        after = capsys.readouterr().out
    assert "To: hoa.vanson@example.vn" in before and first.code in before
    assert "quá hạn" in after.lower() and "hoa.vanson@example.vn" in after

    # The officer closes the first task with a PDF as its evidence.
    upload = SimpleUploadedFile("bao-cao-khac-phuc.pdf", pdf_bytes(b"van-son"), "application/pdf")
    done = task_complete(
        task=tasks[0], result="Đã bổ sung, gửi Phòng Nội vụ.", files=[upload], actor=officer
    )
    assert done.status == TaskStatus.DONE
    [evidence] = list(done.evidence.all())

    # The year-end period offers that evidence on the same item, attached in one click.
    annual = season_period(province)
    assert annual is not None and annual.status == PeriodStatus.SELF_ASSESSMENT
    yearly = Assessment.objects.get(period=annual, unit=van_son)
    node = CriterionNode.objects.get(
        criteria_set__period_groups__period=annual,
        criteria_set__period_groups__group=van_son.group,
        code=first.code,
    )
    value = _any_value(assessment, first.code)
    answer = answer_save(assessment=yearly, node=node, actor=officer, version=0, value=value)
    field = first.code.split(".")[0]
    client = _client(officer)
    html = client.get(reverse("assessments:detail", args=[yearly.pk]), {"linh-vuc": field})
    page = html.content.decode()
    attach = reverse("carryover:attach", args=[answer.pk])
    assert evidence.original_name in page and attach in page
    response = client.post(attach, {"evidence": evidence.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    link = EvidenceLink.objects.get(answer=answer, evidence__sha256=evidence.sha256)
    assert link.evidence is not None and link.evidence.period_id == annual.pk


def _any_value(assessment: Assessment, code: str) -> Any:
    """The value the unit entered on ``code`` in the 6-month period (valid for the rule)."""
    return assessment.answers.get(node__code=code).self_value


class _now:
    """``timezone.now`` (and the local date) moved to ``when`` inside the block."""

    def __init__(self, when: datetime.datetime) -> None:
        self.when = when

    def __enter__(self) -> None:
        self.patch = pytest.MonkeyPatch()
        self.patch.setattr(timezone, "now", lambda: self.when)

    def __exit__(self, *exc: object) -> None:
        self.patch.undo()
