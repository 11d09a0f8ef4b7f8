"""The report's pages: the unit's form (/danh-gia/<id>/bao-cao/) and the council's list of
proposals (/tham-dinh/<kỳ>/kien-nghi/ and its XLSX)."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.assessments.models import Assessment, SelfAssessmentReport
from parindex.assessments.services.report import self_assessment_report_save
from parindex.assessments.services.self_assessment import assessment_submit
from parindex.organizations.models import Level, Unit
from parindex.organizations.services import unit_create
from parindex.periods.models import Period, PeriodKind
from parindex.periods.services import period_create
from tests.personas import client_for

pytestmark = pytest.mark.django_db

PROPOSAL = "Tiêu chí 3.1.2: thêm mức hoàn thành kế hoạch từ 70% đến dưới 100% được 0,5 điểm."


def _url(assessment: Assessment) -> str:
    return reverse("assessments:report", args=[assessment.pk])


def _form(**extra: str) -> dict[str, str]:
    data = {
        "report_number": "101/BC-UBND",
        "signer_name": "Nguyễn Thị Thủy",
        "signer_title": "CHỦ TỊCH",
        "implementation": "UBND xã đã tổ chức họp, phân công nhiệm vụ tự đánh giá.",
        "shortcomings": "",
        "causes": "",
        "solutions": "",
        "proposals": PROPOSAL,
    }
    data.update(extra)
    return data


def test_the_screen_links_to_the_report(assessment: Assessment, unit_staff_client: Client) -> None:
    page = unit_staff_client.get(reverse("assessments:detail", args=[assessment.pk]))
    assert _url(assessment) in page.content.decode()


def test_the_unit_sees_the_form_with_labels_and_hints(
    assessment: Assessment, unit_staff_client: Client
) -> None:
    page = unit_staff_client.get(_url(assessment))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "1. Tình hình triển khai và kết quả thực hiện công tác cải cách hành chính",
        "2. Tồn tại, hạn chế",
        "5. Kiến nghị, đề xuất về nội dung và cách chấm điểm bộ tiêu chí",
        "Ví dụ: 101/BC-UBND",
        "3.1.2",
        'id="form-bao-cao"',
        'id="report-documents"',
    ):
        assert text in html, text


def test_the_unit_saves_and_sees_a_message(
    assessment: Assessment, unit_staff_client: Client
) -> None:
    response = unit_staff_client.post(_url(assessment), _form(), follow=True)
    assert response.redirect_chain == [(_url(assessment), 302)]
    assert "Đã lưu báo cáo tự đánh giá lúc" in response.content.decode()
    report = SelfAssessmentReport.objects.get(assessment=assessment)
    assert report.proposals == PROPOSAL and report.signer_title == "CHỦ TỊCH"
    assert PROPOSAL in response.content.decode()  # the form shows what is stored


def test_a_bad_section_is_shown_on_its_field_and_nothing_is_stored(
    assessment: Assessment, unit_staff_client: Client
) -> None:
    response = unit_staff_client.post(_url(assessment), _form(causes="x" * 20_001))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nguyên nhân của tồn tại, hạn chế dài 20.001 ký tự, tối đa 20.000 ký tự" in html
    assert "is-invalid" in html
    assert PROPOSAL in html  # what was typed is kept
    assert not SelfAssessmentReport.objects.exists()


def test_after_sending_the_unit_reads_it_only(
    assessment: Assessment, unit_staff: User, unit_leader: User, unit_staff_client: Client
) -> None:
    self_assessment_report_save(assessment=assessment, actor=unit_staff, data=_form())
    assessment_submit(assessment=assessment, actor=unit_leader)
    page = unit_staff_client.get(_url(assessment)).content.decode()
    assert 'id="form-bao-cao"' not in page
    assert "Báo cáo tự đánh giá chỉ còn xem được" in page
    assert PROPOSAL in page and "101/BC-UBND" in page
    refused = unit_staff_client.post(_url(assessment), _form(proposals="Sửa sau khi gửi"))
    assert refused.status_code == 400
    assert "Hồ sơ tự đánh giá đã gửi lúc" in refused.content.decode()
    assert SelfAssessmentReport.objects.get().proposals == PROPOSAL


def test_another_units_report_is_not_found(
    other_assessment: Assessment, unit_staff_client: Client
) -> None:
    assert unit_staff_client.get(_url(other_assessment)).status_code == 404
    assert unit_staff_client.post(_url(other_assessment), _form()).status_code == 404
    assert not SelfAssessmentReport.objects.exists()


def test_the_council_reads_but_does_not_write(
    assessment: Assessment, unit_staff: User, chair_client: Client
) -> None:
    self_assessment_report_save(assessment=assessment, actor=unit_staff, data=_form())
    page = chair_client.get(_url(assessment)).content.decode()
    assert "Bạn chỉ được xem báo cáo tự đánh giá này." in page and PROPOSAL in page
    assert 'id="form-bao-cao"' not in page
    assert chair_client.post(_url(assessment), _form(proposals="Khác")).status_code == 403


# --------------------------------------------------------------------------- the council's list


@pytest.fixture
def proposals_saved(
    assessment: Assessment, other_assessment: Assessment, unit_staff: User, other_staff: User
) -> Period:
    self_assessment_report_save(assessment=assessment, actor=unit_staff, data=_form())
    self_assessment_report_save(
        assessment=other_assessment,
        actor=other_staff,
        data={"proposals": "Đề nghị tăng kinh phí cho công tác cải cách hành chính."},
    )
    return assessment.period


def _list(period: Period, query: str = "") -> str:
    url = reverse("appraisal:proposals", args=[period.pk])
    return f"{url}?q={query}" if query else url


def test_the_council_lists_every_units_proposals(
    proposals_saved: Period, chair_client: Client, observer_client: Client
) -> None:
    for client in (chair_client, observer_client):
        page = client.get(_list(proposals_saved))
        assert page.status_code == 200
        html = page.content.decode()
        assert "UBND xã Liêm Tuyền" in html and "UBND xã Thanh Sơn" in html
        assert "UBND cấp xã" in html and "3.1.2" in html
        assert "2/2 đơn vị có kiến nghị, đề xuất." in html


def test_the_search_ignores_diacritics(proposals_saved: Period, chair_client: Client) -> None:
    html = chair_client.get(_list(proposals_saved, "kinh phi")).content.decode()
    assert "UBND xã Thanh Sơn" in html and "UBND xã Liêm Tuyền" not in html
    assert "1 đơn vị có kiến nghị phù hợp với “kinh phi”." in html


def test_the_list_is_not_found_for_units_appraisers_and_other_provinces(
    proposals_saved: Period,
    unit_staff_client: Client,
    other_staff_client: Client,
    manager_client: Client,
    appraiser: User,
    chair_client: Client,
) -> None:
    for client in (unit_staff_client, other_staff_client, manager_client, client_for(appraiser)):
        assert client.get(_list(proposals_saved)).status_code == 404
    far = unit_create(code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE, actor=None)
    far_period = period_create(
        jurisdiction=far,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Ninh Bình 2025",
        groups={},
        actor=None,
    )
    assert chair_client.get(_list(far_period)).status_code == 404
    xlsx = reverse("appraisal:proposals_xlsx", args=[far_period.pk])
    assert chair_client.get(xlsx).status_code == 404
    assert (
        unit_staff_client.get(
            reverse("appraisal:proposals_xlsx", args=[proposals_saved.pk])
        ).status_code
        == 404
    )


def test_the_xlsx_export_follows_the_search(proposals_saved: Period, chair_client: Client) -> None:
    url = reverse("appraisal:proposals_xlsx", args=[proposals_saved.pk])
    response = chair_client.get(f"{url}?q=ke hoach")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "kien-nghi-2025" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Kiến nghị"]
    rows = [r for r in sheet.iter_rows(min_row=5, values_only=True) if r[0] is not None]
    assert [(r[1], r[5]) for r in rows] == [("UBND xã Liêm Tuyền", PROPOSAL)]


def test_a_unit_in_no_group_still_lists(
    season: Period, province: Unit, chair_client: Client
) -> None:
    lone = unit_create(
        code="T-LE", name="UBND xã Lẻ", level=Level.COMMUNE, parent=province, actor=None
    )
    Assessment.objects.create(period=season, unit=lone)
    html = chair_client.get(_list(season)).content.decode()
    assert "0/1 đơn vị có kiến nghị, đề xuất." in html and "UBND xã Lẻ" in html
