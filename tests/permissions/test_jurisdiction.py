"""Two provinces in one installation: what one province does cannot reach the other.

The probe behind these tests: a chair of province B added a home-made CA and A's evidence
signed by "Giám đốc giả mạo" became valid; a manager of B cloned A's criteria set; an
appraiser given one field read the whole self-assessment. The matrix (test_pages.py,
test_api.py) shows the 404s; these follow the data through.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.assessments.models import Assessment
from parindex.criteria.models import CriteriaSet
from parindex.evidence.models import SignatureStatus
from parindex.evidence.testing import make_pdfs, make_pki
from parindex.evidence.uploads import evidence_upload
from parindex.evidence.verification import evidence_verify

from .conftest import World

pytestmark = pytest.mark.django_db


def _upload_signed(world: World, data: bytes, assessment_id: int, persona: str) -> int:
    assessment = Assessment.objects.get(pk=assessment_id)
    evidence = evidence_upload(
        assessment=assessment,
        answer=None,
        uploaded_file=SimpleUploadedFile("Quyết định ký số.pdf", data, "application/pdf"),
        actor=world.user(persona),
    )
    return evidence.pk


def _add_root(world: World, persona: str, pem: str) -> None:
    response = world.client(persona).post(
        reverse("evidence:trust_store"), {"name": "CA tự lập", "pem": pem}
    )
    assert response.status_code == 302, response.content.decode()[:500]


def test_another_provinces_ca_does_not_make_our_evidence_valid(world: World) -> None:
    pki = make_pki()
    pdfs = make_pdfs(pki)
    ours = _upload_signed(world, pdfs.signed_rogue, world.a, "unit_staff")
    theirs = _upload_signed(world, pdfs.signed_rogue, world.c, "far_staff")

    # Ninh Bình's chair trusts a home-made root; Hà Nam's chair re-checks everything.
    _add_root(world, "other_chair", pki.rogue_root.pem)
    assert world.client("chair").post(reverse("evidence:recheck")).status_code == 302
    for pk in (ours, theirs):
        evidence_verify(evidence_id=pk)

    ours_after = evidence_verify(evidence_id=ours)
    theirs_after = evidence_verify(evidence_id=theirs)
    assert ours_after is not None and theirs_after is not None
    # It counts for Ninh Bình's own evidence only (the test is not vacuous) …
    assert theirs_after.signature_status == SignatureStatus.VALID
    # … never for Hà Nam's.
    assert ours_after.signature_status != SignatureStatus.VALID


def test_the_same_root_added_by_our_chair_does_count_for_us(world: World) -> None:
    pki = make_pki()
    ours = _upload_signed(world, make_pdfs(pki).signed_rogue, world.a, "unit_staff")
    _add_root(world, "chair", pki.rogue_root.pem)
    checked = evidence_verify(evidence_id=ours)
    assert checked is not None and checked.signature_status == SignatureStatus.VALID


def test_the_trust_store_page_lists_no_other_provinces_anchor(world: World) -> None:
    body = world.client("chair").get(reverse("evidence:trust_store")).content.decode()
    assert "CA nội bộ tỉnh Hà Nam" in body
    assert "Root CA Quốc gia – thử nghiệm" in body  # installation-wide, read-only
    assert "CA nội bộ tỉnh Ninh Bình" not in body


def test_a_shared_set_is_adopted_into_the_managers_own_province(world: World) -> None:
    response = world.client("manager").post(
        reverse("criteria:clone", args=[world.nb_shared_set]), {"year": "2031"}
    )
    assert response.status_code == 302
    clone = CriteriaSet.objects.get(year=2031)
    assert clone.jurisdiction is not None and clone.jurisdiction.code == "T-HNA"
    assert not clone.is_shared


def test_a_criteria_list_shows_no_other_provinces_own_set(world: World) -> None:
    body = world.client("chair").get(reverse("criteria:list")).content.decode()
    assert "Bộ tiêu chí mẫu cấp sở (Ninh Bình chia sẻ)" in body
    assert "Bộ tiêu chí CCHC cấp xã tỉnh Ninh Bình" not in body
    ninh_binh = world.client("other_chair").get(reverse("criteria:list")).content.decode()
    assert "Bộ tiêu chí CCHC cấp xã tỉnh Ninh Bình" in ninh_binh


def test_the_appraisers_screen_shows_only_their_field(world: World) -> None:
    """Field 1 of unit A: the tree and the items of field 2 are not on the page."""
    url = reverse("assessments:detail", args=[world.a])
    appraiser = world.client("appraiser").get(url).content.decode()
    chair = world.client("chair").get(url).content.decode()
    field_2 = "Cải cách thủ tục hành chính"
    assert field_2 in chair
    assert field_2 not in appraiser
    assert "Ban hành kế hoạch CCHC năm" in appraiser
    # Asking for field 2 by name falls back to field 1.
    asked = world.client("appraiser").get(url + "?linh-vuc=2").content.decode()
    assert field_2 not in asked and "Hồ sơ bị yêu cầu bổ sung quá một lần" not in asked


def test_a_history_import_links_no_unit_of_another_province(world: World) -> None:
    """Hà Nam's 2020 ranking naming Ninh Bình's unit C: the row is kept (it is what the
    decision published) but not linked to C, whose pages must not show Hà Nam's numbers."""
    from parindex.results.models import ResultRow

    from .test_pages_season import _history_form

    form = _history_form(world, "HN")
    form["files"] = SimpleUploadedFile(
        "ket-qua-2020.csv",
        (
            "\ufeffMã đơn vị,Tên đơn vị,Nhóm (mã nhóm),Điểm thẩm định,Điểm khảo sát,Tổng điểm,"
            f"Chỉ số (%),Xếp hạng,Xếp loại\n{world.unit_a_code},UBND xã Liêm Tuyền,"
            f"{world.group_code},12,,12,75,1,Khá\n{world.unit_c_code},UBND xã Gia Thủy,"
            f"{world.group_code},10,,10,62.5,2,\n"
        ).encode(),
        content_type="text/csv",
    )
    response = world.client("chair").post(reverse("results_history:upload"), form)
    assert response.status_code == 302, response.content.decode()[:800]
    rows = ResultRow.objects.filter(
        result_group__version__period__year=2020,
        result_group__version__period__jurisdiction__code="T-HNA",
    )
    linked = dict(rows.values_list("code", "unit_id"))
    assert linked[world.unit_a_code] == world.unit_a
    assert linked[world.unit_c_code] is None
