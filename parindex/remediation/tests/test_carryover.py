"""The next round link: in the year-end period, each item's self-assessment screen shows the
unit's tasks on it from the 6-month period, and their evidence files attach to the item in
one click (stored again in the current period, same SHA-256).

The fixture: Hà Nam's 6-month period of 2024 (finalised), where unit A (Liêm Tuyền) closed
its task on 1.1 with a report and has a task on 1.2 with its own file, and unit B (Thanh
Sơn) closed its task on 1.1 with its own file; the year-end period of 2024 in
self-assessment, where A has saved 1.1.
"""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.services.self_assessment import answer_save
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.evidence.models import Evidence, EvidenceLink
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.remediation.carryover import earlier_tasks_by_code, evidence_carry_over
from parindex.remediation.models import RemediationTask, TaskStatus
from parindex.season.stages import period_open_self_assessment
from tests.permissions.conftest import pdf_bytes
from tests.personas import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_set(province: Unit, sample_document: dict[str, Any]) -> CriteriaSet:
    return criteria_set_import_document(
        document=sample_document,
        info=SetInfo(level=Level.COMMUNE, year=2024, jurisdiction=province),
        actor=None,
    )


def _period(province: Unit, group: UnitGroup, cs: CriteriaSet, kind: str, name: str) -> Period:
    return period_create(
        jurisdiction=province, year=2024, kind=kind, name=name, groups={group: cs}, actor=None
    )


@pytest.fixture
def interim(province: Unit, communes_group: UnitGroup, commune_set: CriteriaSet) -> Period:
    period = _period(
        province, communes_group, commune_set, PeriodKind.INTERIM, "CCHC 6 tháng đầu năm 2024"
    )
    return period_set_status(period=period, status=PeriodStatus.FINALISED, actor=None)


def stored_file(period: Period, unit: Unit, name: str, salt: bytes) -> Evidence:
    data = pdf_bytes(salt)
    evidence = Evidence(
        period=period,
        unit=unit,
        original_name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        content_type="application/pdf",
    )
    evidence.file.save("tep.pdf", ContentFile(data), save=False)
    evidence.save()
    return evidence


def closed_task(period: Period, unit: Unit, code: str, file: Evidence | None) -> RemediationTask:
    node = CriterionNode.objects.get(criteria_set=period.groups.get().criteria_set, code=code)
    task = RemediationTask.objects.create(
        period=period,
        unit=unit,
        node=node,
        node_code=code,
        max_points=node.max_points,
        self_points=node.max_points,
        appraised_points=0,
        points_lost=node.max_points,
        council_comment="Kế hoạch ban hành muộn.",
        action=f"Ban hành lại văn bản {code} đúng hạn",
        due_date=datetime.date(2024, 10, 31),
        status=TaskStatus.DONE,
        result=f"Đã ban hành văn bản {code}.",
    )
    if file is not None:
        task.evidence.add(file)
    return task


@pytest.fixture
def earlier(interim: Period, commune: Unit, other_commune: Unit) -> dict[str, Evidence]:
    """The 6-month tasks and their files: A's 1.1 and 1.2, B's 1.1."""
    files = {
        "a11": stored_file(interim, commune, "Báo cáo khắc phục 1.1.pdf", b"%a11"),
        "a12": stored_file(interim, commune, "Báo cáo khắc phục 1.2.pdf", b"%a12"),
        "b11": stored_file(interim, other_commune, "Báo cáo Thanh Sơn.pdf", b"%b11"),
    }
    closed_task(interim, commune, "1.1", files["a11"])
    closed_task(interim, commune, "1.2", files["a12"])
    closed_task(interim, other_commune, "1.1", files["b11"])
    return files


@pytest.fixture
def year_end(
    province: Unit,
    communes_group: UnitGroup,
    commune_set: CriteriaSet,
    interim: Period,
    chair: User,
    commune: Unit,
    other_commune: Unit,
) -> Period:
    """Opened once both communes exist (each gets its assessment)."""
    period = _period(province, communes_group, commune_set, PeriodKind.ANNUAL, "CCHC năm 2024")
    return period_open_self_assessment(
        period=period, actor=chair, deadline=timezone.now() + datetime.timedelta(days=7)
    )


@pytest.fixture
def assessment(year_end: Period, commune: Unit) -> Assessment:
    return Assessment.objects.get(period=year_end, unit=commune)


def _answer(assessment: Assessment, code: str, actor: User, value: Any = True) -> Answer:
    node = CriterionNode.objects.get(
        criteria_set__period_groups__period=assessment.period, code=code
    )
    return answer_save(
        assessment=assessment, node=node, actor=actor, version=0, value=value, explanation=""
    )


@pytest.fixture
def answer(assessment: Assessment, unit_staff: User) -> Answer:
    return _answer(assessment, "1.1", unit_staff)


def _screen(client: Client, assessment: Assessment) -> str:
    response = client.get(reverse("assessments:detail", args=[assessment.pk]) + "?linh-vuc=1")
    assert response.status_code == 200
    return str(response.content.decode())


def _attach(client: Client, answer: Answer, evidence: Evidence, *, htmx: bool = True) -> Any:
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        reverse("carryover:attach", args=[answer.pk]),
        {"evidence": evidence.pk, "next": "/phieu/"},
        headers=headers,
    )


# --------------------------------------------------------------------------- the panel


def test_the_screen_shows_the_items_earlier_tasks_and_files(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client
) -> None:
    page = _screen(unit_staff_client, answer.assessment)
    assert "Nhiệm vụ khắc phục kỳ trước" in page
    assert "Ban hành lại văn bản 1.1 đúng hạn" in page and "Đã ban hành văn bản 1.1." in page
    assert "CCHC 6 tháng đầu năm 2024" in page and "Đã hoàn thành" in page
    assert "31/10/2024" in page
    assert "Báo cáo khắc phục 1.1.pdf" in page and "Báo cáo khắc phục 1.2.pdf" in page
    assert reverse("carryover:attach", args=[answer.pk]) in page
    assert "Đính kèm vào tiêu chí này" in page
    assert "Báo cáo Thanh Sơn.pdf" not in page  # another unit's task


def test_an_item_not_saved_yet_asks_to_save_first(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client
) -> None:
    page = _screen(unit_staff_client, answer.assessment)
    assert "Lưu giá trị của tiêu chí để đính kèm tài liệu của nhiệm vụ kỳ trước." in page


def test_nothing_is_shown_without_earlier_tasks(
    interim: Period, answer: Answer, unit_staff_client: Client
) -> None:
    assert "Nhiệm vụ khắc phục kỳ trước" not in _screen(unit_staff_client, answer.assessment)


def test_the_council_sees_the_panel_without_the_button(
    earlier: dict[str, Evidence], answer: Answer, chair_client: Client
) -> None:
    page = _screen(chair_client, answer.assessment)
    assert "Báo cáo khắc phục 1.1.pdf" in page
    assert "Đính kèm vào tiêu chí này" not in page


def test_the_panel_reads_the_whole_screen_at_once(
    earlier: dict[str, Evidence],
    answer: Answer,
    interim: Period,
    commune: Unit,
    unit_staff_client: Client,
) -> None:
    _screen(unit_staff_client, answer.assessment)  # the session, the caches
    with CaptureQueriesContext(connection) as before:
        _screen(unit_staff_client, answer.assessment)
    for n in range(3):
        closed_task(interim, commune, "1.3", stored_file(interim, commune, f"{n}.pdf", b"%%%d" % n))
    with CaptureQueriesContext(connection) as after:
        page = _screen(unit_staff_client, answer.assessment)
    assert page.count('data-nhiem-vu="') == 5
    assert len(after) == len(before)


def test_a_later_period_is_not_earlier(
    earlier: dict[str, Evidence], year_end: Period, commune: Unit, interim: Period
) -> None:
    """Seen from the 6-month period, the year-end period's tasks are not earlier ones."""
    closed_task(year_end, commune, "1.1", None)
    assert earlier_tasks_by_code(Assessment(period=interim, unit=commune)) == {}
    later = earlier_tasks_by_code(Assessment.objects.get(period=year_end, unit=commune))
    assert [t.task.period_id for t in later["1.1"]] == [interim.pk]


# --------------------------------------------------------------------------- the attach


def test_attach_stores_the_file_in_this_period_and_links_it(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client
) -> None:
    original = earlier["a11"]
    response = _attach(unit_staff_client, answer, original)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="minh-chung-{answer.pk}"' in body
    assert "Đã đính kèm tệp “Báo cáo khắc phục 1.1.pdf”" in body
    # the item's panel, swapped out of band, marks the file attached
    assert f'id="ky-truoc-{answer.node_id}" hx-swap-oob="true"' in body
    assert "Đã đính kèm vào tiêu chí này</span>" in body
    link = EvidenceLink.objects.get(answer=answer, evidence__sha256=original.sha256)
    copy = link.evidence
    assert copy is not None and copy.pk != original.pk
    assert copy.period_id == answer.assessment.period_id and copy.unit_id == original.unit_id
    assert copy.original_name == original.original_name
    assert copy.file.read() == pdf_bytes(b"%a11")
    assert AuditEvent.objects.filter(action="evidence.uploaded").exists()
    # the screen now says so
    assert "Đã đính kèm vào tiêu chí này" in _screen(unit_staff_client, answer.assessment)


def test_attach_reuses_a_file_the_unit_already_stored_this_period(
    earlier: dict[str, Evidence], answer: Answer, commune: Unit, unit_leader: User
) -> None:
    period = answer.assessment.period
    same = stored_file(period, commune, "Đã tải lên.pdf", b"%a11")  # the same content
    link = evidence_carry_over(answer=answer, evidence=earlier["a11"], actor=unit_leader)
    assert link.evidence_id == same.pk
    assert Evidence.objects.filter(period=period).count() == 1


def test_attaching_twice_is_refused_in_words(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client
) -> None:
    _attach(unit_staff_client, answer, earlier["a11"])
    response = _attach(unit_staff_client, answer, earlier["a11"])
    assert response.status_code == 200
    assert "đã có trong tài liệu của tiêu chí này" in response.content.decode()
    assert EvidenceLink.objects.filter(answer=answer).count() == 1


def test_without_javascript_the_form_goes_back(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client
) -> None:
    response = _attach(unit_staff_client, answer, earlier["a11"], htmx=False)
    assert response.status_code == 302 and response["Location"] == "/phieu/"
    assert EvidenceLink.objects.filter(answer=answer).exists()


@pytest.mark.parametrize("which", ["b11", "a12"], ids=["other-unit", "other-criterion"])
def test_a_file_of_another_unit_or_criterion_is_404(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client, which: str
) -> None:
    assert _attach(unit_staff_client, answer, earlier[which]).status_code == 404
    assert not EvidenceLink.objects.filter(answer=answer).exists()


def test_a_file_of_this_period_is_404(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client, commune: Unit
) -> None:
    current = stored_file(answer.assessment.period, commune, "Mới.pdf", b"%new")
    closed_task(answer.assessment.period, commune, "1.1", current)
    assert _attach(unit_staff_client, answer, current).status_code == 404


def test_attach_is_refused_once_the_stage_is_closed(
    earlier: dict[str, Evidence], answer: Answer, unit_staff_client: Client
) -> None:
    Period.objects.filter(pk=answer.assessment.period_id).update(
        self_assessment_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    response = _attach(unit_staff_client, answer, earlier["a11"])
    assert response.status_code == 200
    assert "Đã hết hạn tự đánh giá" in response.content.decode()
    assert not EvidenceLink.objects.filter(answer=answer).exists()
    assert not Evidence.objects.filter(period=answer.assessment.period).exists()


def test_the_council_may_not_attach(
    earlier: dict[str, Evidence], answer: Answer, chair_client: Client
) -> None:
    assert _attach(chair_client, answer, earlier["a11"]).status_code == 403


def test_another_unit_gets_404(
    earlier: dict[str, Evidence], answer: Answer, other_staff: User
) -> None:
    assert _attach(client_for(other_staff), answer, earlier["b11"]).status_code == 404


def test_a_get_is_not_allowed(answer: Answer, unit_staff_client: Client) -> None:
    url = reverse("carryover:attach", args=[answer.pk])
    assert unit_staff_client.get(url).status_code == 405
