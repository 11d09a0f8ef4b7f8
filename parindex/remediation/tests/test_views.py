"""The remediation pages: the lost points with the form that makes tasks, the list with its
filters, a task's page and its POST endpoints; 404 for another unit and another province."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.organizations.models import Level, Unit
from parindex.organizations.services import unit_create
from parindex.remediation.models import RemediationTask, TaskComment, TaskStatus
from parindex.remediation.services import task_create
from tests.personas import client_for

from .conftest import COMMENT_11, COMMENT_22, Season, pdf

pytestmark = pytest.mark.django_db


def _html(response: Any) -> str:
    return str(response.content.decode())


def _due(days: int = 10) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def _task(season: Season, leader: User, code: str = "1.1", **extra: Any) -> RemediationTask:
    return task_create(
        assessment=season.a,
        node=season.node(code),
        action=extra.pop("action", "Ban hành kế hoạch CCHC trước ngày 31/12."),
        due_date=timezone.localdate() + datetime.timedelta(days=10),
        actor=leader,
        **extra,
    )


def _lost_url(season: Season) -> str:
    return reverse("remediation:lost", args=[season.a.pk])


@pytest.fixture
def far_staff(db: None) -> User:
    """Staff of a commune of another province (Ninh Bình)."""
    province = unit_create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE, actor=None)
    unit = unit_create(
        code="NB-XA-GIATHUY",
        name="UBND xã Gia Thủy",
        level=Level.COMMUNE,
        parent=province,
        actor=None,
    )
    return User.objects.create_user(
        username="can.bo.giathuy", full_name="Mai Văn Thủy", role=Role.UNIT_STAFF, unit=unit
    )


@pytest.fixture
def far_chair(far_staff: User) -> User:
    office = unit_create(
        code="NB-SNV",
        name="Sở Nội vụ tỉnh Ninh Bình",
        level=Level.DEPARTMENT,
        parent=Unit.objects.get(code="T-NBI"),
        actor=None,
    )
    return User.objects.create_user(
        username="giam.doc.nb", full_name="Trịnh Văn Bình", role=Role.CHAIR, unit=office
    )


# --------------------------------------------------------------------------- lost points


def test_the_lost_page_lists_every_lost_item_with_the_engines_numbers(
    season: Season, unit_staff_client: Client
) -> None:
    response = unit_staff_client.get(_lost_url(season))
    assert response.status_code == 200
    html = _html(response)
    assert "Điểm bị trừ và biện pháp khắc phục" in html
    for code in ("bi-tru-2.2", "bi-tru-1.1", "bi-tru-1.2"):
        assert code in html
    assert "bi-tru-2.1" not in html
    assert COMMENT_11 in html and COMMENT_22 in html
    assert 'id="tong-diem-bi-tru">5,40<' in html
    assert 'name="chon"' not in html  # staff read; only the leader assigns


def test_the_appraisal_page_links_to_it_once_final(
    season: Season, unit_staff_client: Client
) -> None:
    html = _html(unit_staff_client.get(reverse("assessments:appraisal", args=[season.a.pk])))
    assert _lost_url(season) in html


def test_the_leader_makes_tasks_for_the_selected_items(
    season: Season, unit_leader_client: Client, unit_staff: User
) -> None:
    n11, n22 = season.node("1.1").pk, season.node("2.2").pk
    response = unit_leader_client.post(
        _lost_url(season),
        {
            "chon": [str(n11), str(n22)],
            f"r{n11}-action": "Ban hành kế hoạch CCHC năm 2026 trước 31/12/2025.",
            f"r{n11}-officer": str(unit_staff.pk),
            f"r{n11}-due_date": _due(),
            f"r{n22}-action": "Rà soát, hướng dẫn hồ sơ ngay lần đầu.",
            f"r{n22}-section": str(season.section.pk),
            f"r{n22}-due_date": _due(30),
            f"r{n22}-expected_evidence": "Sổ theo dõi hồ sơ.",
        },
    )
    assert response.status_code == 302
    tasks = {t.node_code: t for t in RemediationTask.objects.all()}
    assert set(tasks) == {"1.1", "2.2"}
    assert tasks["1.1"].officer == unit_staff and tasks["2.2"].section == season.section
    html = _html(unit_leader_client.get(_lost_url(season)))
    assert "Đã giao 2 nhiệm vụ khắc phục." in html
    assert reverse("remediation:task", args=[tasks["2.2"].pk]) in html


def test_a_bad_row_stores_nothing_and_says_which_criterion(
    season: Season, unit_leader_client: Client, other_staff: User
) -> None:
    n11, n22 = season.node("1.1").pk, season.node("2.2").pk
    response = unit_leader_client.post(
        _lost_url(season),
        {
            "chon": [str(n11), str(n22), "x", "9" * 30],
            f"r{n11}-action": "Ban hành kế hoạch.",
            f"r{n11}-due_date": _due(),
            f"r{n22}-action": "",
            f"r{n22}-officer": str(other_staff.pk),
            f"r{n22}-due_date": "31/02/2025",
        },
    )
    assert response.status_code == 400
    html = _html(response)
    assert "Tiêu chí 2.2: Biện pháp khắc phục: Cần ghi biện pháp khắc phục." in html
    assert "Tiêu chí 2.2: Cán bộ thực hiện: Cán bộ đã chọn không thuộc đơn vị." in html
    assert "Tiêu chí 2.2: Hạn hoàn thành" in html
    assert "Ban hành kế hoạch." in html  # what was typed stays
    assert not RemediationTask.objects.exists()


def test_a_past_due_date_is_refused_by_the_service(
    season: Season, unit_leader_client: Client
) -> None:
    n11 = season.node("1.1").pk
    response = unit_leader_client.post(
        _lost_url(season),
        {"chon": [str(n11)], f"r{n11}-action": "A", f"r{n11}-due_date": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "Tiêu chí 1.1: Hạn hoàn thành 01/01/2020 đã qua" in _html(response)


def test_nothing_selected(season: Season, unit_leader_client: Client) -> None:
    response = unit_leader_client.post(_lost_url(season), {})
    assert response.status_code == 400
    assert "Chưa chọn tiêu chí nào" in _html(response)


def test_staff_and_overseers_may_not_make_tasks(
    season: Season, unit_staff_client: Client, chair_client: Client
) -> None:
    n11 = season.node("1.1").pk
    data = {"chon": [str(n11)], f"r{n11}-action": "A", f"r{n11}-due_date": _due()}
    assert unit_staff_client.post(_lost_url(season), data).status_code == 403
    assert chair_client.post(_lost_url(season), data).status_code == 403
    assert chair_client.get(_lost_url(season)).status_code == 200
    assert not RemediationTask.objects.exists()


def test_another_unit_and_another_province_get_404(
    season: Season,
    unit_leader: User,
    other_staff_client: Client,
    appraiser: User,
    far_staff: User,
    far_chair: User,
) -> None:
    task = _task(season, unit_leader)
    clients = [other_staff_client, *(client_for(u) for u in (appraiser, far_staff, far_chair))]
    for client in clients:
        assert client.get(_lost_url(season)).status_code == 404
        assert client.get(reverse("remediation:task", args=[task.pk])).status_code == 404
        assert client.post(reverse("remediation:start", args=[task.pk])).status_code == 404
        assert (
            client.post(reverse("remediation:comment", args=[task.pk]), {"text": "x"}).status_code
            == 404
        )
        assert "Ban hành kế hoạch" not in _html(client.get(reverse("remediation:list")))
    assert not TaskComment.objects.exists()


# --------------------------------------------------------------------------- the list


def test_the_list_filters_searches_without_diacritics_and_marks_overdue(
    season: Season, unit_leader: User, unit_staff: User, unit_staff_client: Client
) -> None:
    late = _task(season, unit_leader, "1.1", action="Ban hành kế hoạch CCHC", officer=unit_staff)
    RemediationTask.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    other = _task(season, unit_leader, "2.2", action="Rà soát sổ theo dõi hồ sơ")
    url = reverse("remediation:list")
    html = _html(unit_staff_client.get(url))
    assert f'id="nhiem-vu-{late.pk}" class="table-danger"' in html and "Quá hạn" in html
    assert f"nhiem-vu-{other.pk}" in html
    # Points as the set prints them (stored with four places: never "2,0000").
    assert ">2,00</td>" in html and ">3,00</td>" in html and ",0000" not in html
    page = _html(unit_staff_client.get(reverse("remediation:task", args=[late.pk])))
    assert ">2,00</dd>" in page and ",0000" not in page
    found = _html(unit_staff_client.get(url, {"q": "ra soat so"}))
    assert f"nhiem-vu-{other.pk}" in found and f"nhiem-vu-{late.pk}" not in found
    overdue = _html(unit_staff_client.get(url, {"trang-thai": "qua-han"}))
    assert f"nhiem-vu-{late.pk}" in overdue and f"nhiem-vu-{other.pk}" not in overdue
    mine = _html(unit_staff_client.get(url, {"can-bo": unit_staff.pk, "ky": season.period.pk}))
    assert f"nhiem-vu-{late.pk}" in mine and f"nhiem-vu-{other.pk}" not in mine


@pytest.mark.parametrize(
    "query",
    [{"q": "a\x00b"}, {"trang": "-1"}, {"ky": "9" * 40}, {"trang-thai": "\x00"}, {"can-bo": "x"}],
)
def test_hostile_queries_are_answered(
    season: Season, unit_staff_client: Client, query: Any
) -> None:
    assert unit_staff_client.get(reverse("remediation:list"), query).status_code == 200


# --------------------------------------------------------------------------- a task


def test_the_officer_starts_and_completes_with_a_file_through_the_pages(
    season: Season, unit_leader: User, unit_staff: User, unit_staff_client: Client
) -> None:
    task = _task(season, unit_leader, officer=unit_staff)
    page = _html(unit_staff_client.get(reverse("remediation:task", args=[task.pk])))
    assert reverse("remediation:start", args=[task.pk]) in page
    assert reverse("remediation:drop", args=[task.pk]) not in page
    assert COMMENT_11 in page
    assert unit_staff_client.post(reverse("remediation:start", args=[task.pk])).status_code == 302
    response = unit_staff_client.post(
        reverse("remediation:complete", args=[task.pk]),
        {"result": "Đã ban hành Kế hoạch số 12/KH-UBND.", "files": [pdf("ke-hoach.pdf")]},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    [evidence] = task.evidence.all()
    page = _html(unit_staff_client.get(reverse("remediation:task", args=[task.pk])))
    download = reverse("evidence:download", args=[evidence.pk])
    assert download in page and "Hoàn thành nhiệm vụ khắc phục" in page  # the history
    assert unit_staff_client.get(download).status_code == 200


def test_completing_without_a_file_re_renders_with_the_reason(
    season: Season, unit_leader: User, unit_leader_client: Client
) -> None:
    task = _task(season, unit_leader)
    response = unit_leader_client.post(
        reverse("remediation:complete", args=[task.pk]), {"result": "Xong."}
    )
    assert response.status_code == 400
    assert "Cần ít nhất một tài liệu kiểm chứng" in _html(response)
    response = unit_leader_client.post(
        reverse("remediation:complete", args=[task.pk]), {"result": ""}
    )
    assert response.status_code == 400 and "Cần ghi kết quả thực hiện." in _html(response)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


def test_a_refused_move_re_renders(
    season: Season, unit_leader: User, unit_leader_client: Client
) -> None:
    task = _task(season, unit_leader)
    response = unit_leader_client.post(reverse("remediation:reopen", args=[task.pk]))
    assert response.status_code == 400 and "Nhiệm vụ đang ở trạng thái" in _html(response)
    response = unit_leader_client.post(reverse("remediation:drop", args=[task.pk]), {"reason": ""})
    assert response.status_code == 400 and "Cần ghi lý do" in _html(response)
    response = unit_leader_client.post(
        reverse("remediation:drop", args=[task.pk]), {"reason": "Trùng."}
    )
    assert response.status_code == 302
    assert unit_leader_client.post(reverse("remediation:reopen", args=[task.pk])).status_code == 302


def test_staff_not_assigned_gets_403_on_work_and_manage(
    season: Season, unit_leader: User, unit_staff_client: Client
) -> None:
    task = _task(season, unit_leader)
    assert unit_staff_client.post(reverse("remediation:start", args=[task.pk])).status_code == 403
    assert (
        unit_staff_client.post(
            reverse("remediation:drop", args=[task.pk]), {"reason": "x"}
        ).status_code
        == 403
    )
    assert unit_staff_client.get(reverse("remediation:edit", args=[task.pk])).status_code == 403


def test_comments_with_htmx_return_the_discussion(
    season: Season, unit_leader: User, observer_client: Client
) -> None:
    task = _task(season, unit_leader)
    url = reverse("remediation:comment", args=[task.pk])
    response = observer_client.post(
        url, {"text": "Đề nghị gửi dự thảo kế hoạch."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = _html(response)
    assert html.startswith('<section id="trao-doi"') and "Đề nghị gửi dự thảo kế hoạch." in html
    response = observer_client.post(url, {"text": ""}, HTTP_HX_REQUEST="true")
    assert "Cần nhập nội dung trao đổi." in _html(response)
    assert observer_client.post(url, {"text": ""}).status_code == 400
    assert TaskComment.objects.filter(task=task).count() == 1


def test_edit_and_evidence_endpoints(
    season: Season, unit_leader: User, unit_staff: User, unit_leader_client: Client
) -> None:
    task = _task(season, unit_leader)
    response = unit_leader_client.post(
        reverse("remediation:edit", args=[task.pk]),
        {
            "action": "Mới",
            "officer": str(unit_staff.pk),
            "due_date": _due(40),
            "expected_evidence": "",
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.officer == unit_staff and task.action == "Mới"
    bad = unit_leader_client.post(
        reverse("remediation:edit", args=[task.pk]), {"action": "", "due_date": "x"}
    )
    assert bad.status_code == 400
    add = reverse("remediation:evidence_add", args=[task.pk])
    assert unit_leader_client.post(add, {"files": [pdf("a.pdf")]}).status_code == 302
    [ev] = task.evidence.all()
    assert unit_leader_client.post(add, {}).status_code == 400
    remove = reverse("remediation:evidence_remove", args=[task.pk])
    assert unit_leader_client.post(remove, {"evidence": "abc"}).status_code == 400
    assert unit_leader_client.post(remove, {"evidence": str(ev.pk)}).status_code == 302
    assert not task.evidence.exists()
