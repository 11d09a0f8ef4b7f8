"""Server side of two screen defects (the browser side: tests/browser/test_unit_screen.py).

* The submit confirmation counted the empty items as they were when the page loaded: the
  count is now read when asking, from the totals every save refreshes (``data-con-lai``).
* The list's main button was cut off on a phone: the list is also laid out as cards.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from parindex.assessments.models import Assessment
from parindex.criteria.models import CriteriaSet, CriterionNode

HTMX = {"HX-Request": "true"}


def test_every_save_refreshes_the_count_the_confirmation_reads(
    assessment: Assessment, season_set: CriteriaSet, unit_leader_client: Client
) -> None:
    page = unit_leader_client.get(reverse("assessments:detail", args=[assessment.pk]))
    html = page.content.decode()
    assert 'data-con-lai="7"' in html
    assert 'data-confirm-empty="Còn {n} tiêu chí chưa nhập, sẽ được 0 điểm."' in html
    assert "Còn 7 tiêu chí chưa nhập, sẽ được 0 điểm" not in html  # not frozen in the page
    node = CriterionNode.objects.get(criteria_set=season_set, code="1.4")
    saved = unit_leader_client.post(
        reverse("assessments:item_save", args=[assessment.pk, node.pk]),
        {"version": "0", "value": "2"},
        headers=HTMX,
    )
    fragment = saved.content.decode()
    assert 'id="tong-diem"' in fragment and 'data-con-lai="6"' in fragment
    assert 'id="con-lai"' in fragment and "Còn 6 tiêu chí chưa nhập." in fragment


def test_the_list_has_a_phone_layout_with_the_main_button(
    assessment: Assessment, unit_staff_client: Client
) -> None:
    html = unit_staff_client.get(reverse("assessments:list")).content.decode()
    cards = html.split('id="phieu-the"')[1].split("</ul>")[0]
    assert "d-md-none" in html.split('id="phieu-the"')[0].rsplit("<ul", 1)[1]
    assert 'class="btn btn-primary"' in cards and "Mở phiếu" in cards
    assert "Hạn tự đánh giá" in cards
