"""The appraiser's screen (issue 11, point 8): the rule, guidance and required evidence on
the item page, "Xem" for PDF evidence, the per-unit progress list, the timeline's numbers."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from parindex.assessments.models import Answer
from parindex.assessments.selectors.appraisal import (
    UnitProgress,
    appraisal_progress,
    item_timeline,
    shown_points,
)
from parindex.assessments.services.appraisal import appraisal_accept_self, appraisal_save
from parindex.assessments.tests.test_appraisal_support import (  # noqa: F401 (fixtures)
    Season,
    client_for,
    round_1_fixture,
    season_fixture,
)
from parindex.criteria.models import CriterionNode
from parindex.evidence.models import Evidence, EvidenceLink, SignatureStatus
from parindex.organizations.models import Unit

pytestmark = pytest.mark.django_db

GUIDANCE = "Kế hoạch ban hành trước ngày 31/12 năm trước: đạt; sau ngày đó: không đạt."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EVIDENCE = "Quyết định ban hành kế hoạch CCHC năm (bản có chữ ký số)."


def _html(response: Any) -> str:
    return str(response.content.decode())


def _timeline_html(html: str) -> str:
    start = html.index('id="dong-thoi-gian"')
    return html[start : html.index("</section>", start)]


# --------------------------------------------------------------------------- rule, guidance


def test_the_item_page_shows_the_rule_guidance_and_required_evidence(round_1: Season) -> None:
    CriterionNode.objects.filter(criteria_set=round_1.criteria_set, code="1.1").update(
        guidance=GUIDANCE, evidence=EVIDENCE
    )
    answer = round_1.answer(round_1.a, "1.1")
    html = _html(client_for(round_1.appraiser).get(reverse("appraisal:item", args=[answer.pk])))

    section = html[html.index('id="tieu-chi-cham"') :]
    assert "Cách chấm:" in section
    assert "Đạt: 4 điểm; không đạt: 0 điểm" in section  # the unit's words (describe_rule)
    assert "Hướng dẫn chấm điểm" in section and GUIDANCE in section
    assert '<details class="small mb-2" open>' in section  # unfolded for the appraiser
    assert "Tài liệu kiểm chứng cần có:" in section and EVIDENCE in section
    assert 'style="' not in html


def test_a_criterion_without_guidance_says_so(round_1: Season) -> None:
    answer = round_1.answer(round_1.a, "1.2")
    html = _html(client_for(round_1.appraiser).get(reverse("appraisal:item", args=[answer.pk])))

    assert "Tỷ lệ phần trăm × điểm tối đa" in html
    assert "không có hướng dẫn chấm điểm riêng" in html
    assert "không ghi tài liệu kiểm chứng cần có" in html


def test_the_shared_partial_renders_as_the_units_screen_did() -> None:
    from django.template.loader import render_to_string

    node = CriterionNode(guidance="Dòng 1\nDòng 2", evidence="Văn bản")
    html = render_to_string(
        "criteria/_node_guidance.html", {"node": node, "rule_text": "Đạt: 2 điểm"}
    )
    assert '<span class="visually-hidden">Cách chấm:</span> Đạt: 2 điểm' in html
    assert "Dòng 1<br>Dòng 2" in html and '<details class="small mb-2">' in html
    assert "Văn bản" in html


# --------------------------------------------------------------------------- evidence: Xem


def test_pdf_evidence_has_xem_beside_the_download(
    round_1: Season, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    answer = round_1.answer(round_1.a, "1.1")
    # The unit's file as uploaded during self-assessment (uploads are closed now).
    evidence = Evidence(
        period=round_1.period,
        unit=round_1.unit_a,
        original_name="Kế hoạch.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        signature_status=SignatureStatus.UNSIGNED,
    )
    evidence.file.save("ke-hoach.pdf", ContentFile(PDF), save=False)
    evidence.save()
    EvidenceLink.objects.create(evidence=evidence, answer=answer)
    client = client_for(round_1.appraiser)
    html = _html(client.get(reverse("appraisal:item", args=[answer.pk])))

    preview = reverse("evidence:preview", args=[evidence.pk])
    assert f'href="{preview}"' in html and "Xem" in html
    assert reverse("evidence:download", args=[evidence.pk]) in html
    shown = client.get(preview)
    assert shown.status_code == 200
    assert shown["Content-Disposition"].startswith("inline; ")
    # Unit B's appraiser may not see unit A's file.
    assert client_for(round_1.appraiser_b).get(preview).status_code == 404


# --------------------------------------------------------------------------- progress


def test_progress_per_unit_counts_the_appraisers_items(round_1: Season) -> None:
    assert appraisal_progress(round_1.appraiser, round_1.period) == [
        UnitProgress(unit_id=round_1.unit_a.pk, name="Sở Tư pháp", done=0, total=3)
    ]
    answer = round_1.answer(round_1.a, "1.2")
    appraisal_save(
        answer=answer, actor=round_1.appraiser, version=answer.version, value="80", comment="Ít"
    )
    (row,) = appraisal_progress(round_1.appraiser, round_1.period)
    assert (row.done, row.total, row.pending, row.percent) == (1, 3, 2, 33)
    # Unit B's appraiser (every field of B) sees only B.
    (b,) = appraisal_progress(round_1.appraiser_b, round_1.period)
    assert b.unit_id == round_1.unit_b.pk and b.done == 0 and b.total > 3
    # Someone without an assignment sees nothing.
    assert appraisal_progress(round_1.unit_staff, round_1.period) == []


def test_progress_is_least_first_for_the_chair(round_1: Season) -> None:
    answers = list(
        Answer.objects.filter(assessment=round_1.b, self_value__isnull=False).select_related(
            "node", "assessment__period"
        )
    )
    appraisal_accept_self(answers=answers, actor=round_1.chair)
    rows = appraisal_progress(round_1.chair, round_1.period)
    names = [r.name for r in rows]
    assert names.index("Sở Tài chính") == len(names) - 1  # the most advanced last
    tai_chinh = rows[-1]
    assert tai_chinh.done == len(answers) and tai_chinh.total > tai_chinh.done
    assert [r.done / r.total for r in rows] == sorted(r.done / r.total for r in rows)


def test_progress_takes_a_bounded_number_of_queries(
    round_1: Season, django_assert_max_num_queries: Any
) -> None:
    for n in range(6):
        unit = Unit.objects.create(
            code=f"T-S{n}",
            name=f"Sở số {n}",
            level=round_1.unit_a.level,
            parent=round_1.unit_a.parent,
        )
        round_1.period.assessments.create(unit=unit)
    with django_assert_max_num_queries(4):
        appraisal_progress(round_1.chair, round_1.period)
    with django_assert_max_num_queries(3):
        appraisal_progress(round_1.appraiser, round_1.period)


def test_the_queue_and_home_show_progress_with_links_to_the_unit(round_1: Season) -> None:
    client = client_for(round_1.appraiser)
    url = reverse("appraisal:queue", args=[round_1.period.pk])
    html = _html(client.get(url))
    assert "Tiến độ theo đơn vị" in html
    assert re.search(r"Sở Tư pháp</a>\s*<progress[^>]*>[^<]*</progress>\s*<span[^>]*>0/3<", html)
    assert f'href="{url}?don-vi={round_1.unit_a.pk}"' in html
    assert "3 chưa thẩm định" in html
    assert 'style="' not in html
    filtered = _html(client.get(url, {"don-vi": round_1.unit_a.pk}))
    assert 'aria-current="true"' in filtered

    home = _html(client.get(reverse("appraisal:home")))
    assert "Tiến độ theo đơn vị" in home and "0/3" in home


def test_the_queue_page_has_bounded_queries(
    round_1: Season, django_assert_max_num_queries: Any
) -> None:
    client = client_for(round_1.chair)
    url = reverse("appraisal:queue", args=[round_1.period.pk])
    client.get(url)
    with django_assert_max_num_queries(40):
        assert client.get(url).status_code == 200


# --------------------------------------------------------------------------- timeline


def test_timeline_points_have_no_padding_zeros(round_1: Season) -> None:
    percent = round_1.answer(round_1.a, "1.2")
    appraisal_save(
        answer=percent,
        actor=round_1.appraiser,
        version=percent.version,
        value="100",
        comment="Đủ 100%.",
    )
    boolean = round_1.answer(round_1.a, "1.1")
    appraisal_accept_self(answers=[boolean], actor=round_1.appraiser)
    client = client_for(round_1.appraiser)
    for answer, points in ((percent, "4"), (boolean, "4")):
        timeline = _timeline_html(_html(client.get(reverse("appraisal:item", args=[answer.pk]))))
        assert "Thẩm định vòng 1" in timeline
        assert f'<span class="num">{points}</span> điểm' in timeline
        assert ",0000" not in timeline
    assert "Giá trị: 100%" in _timeline_html(
        _html(client.get(reverse("appraisal:item", args=[percent.pk])))
    )
    entry = item_timeline(Answer.objects.select_related("node").get(pk=percent.pk))[-1]
    assert str(entry.points) == "4"


def test_shown_points() -> None:
    assert str(shown_points(Decimal("1.0000"))) == "1"
    assert str(shown_points(Decimal("3.5000"))) == "3.5"
    assert str(shown_points(Decimal("0.2500"))) == "0.25"
    assert str(shown_points(Decimal("10.0000"))) == "10"
    assert shown_points(None) is None
