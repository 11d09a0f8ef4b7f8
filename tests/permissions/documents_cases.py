"""The matrix cases of the documents (``documents``, in ``test_pages_season.CASES``).

Read the outcomes off the chokepoints of :mod:`parindex.documents.permissions`: a unit's
documents for whoever reads its whole assessment (unit A's people and the council; the
appraiser assigned to field 1 of 2025 is not assigned in 2024: 404); a period's documents
for the council of Hà Nam (its chair makes them and writes their texts, the observer 403);
a file made from published results for everyone; templates for whoever sets seasons up,
each for their own province.
"""

from __future__ import annotations

import datetime
from io import BytesIO
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document as open_docx

from parindex.documents.models import (
    DocumentTemplate,
    DocumentText,
    GeneratedDocument,
    JobStatus,
)
from parindex.documents.render.frame import build_frame
from parindex.documents.services import template_upload
from parindex.organizations.models import Unit
from parindex.periods.models import Period
from parindex.results.models import ResultVersion
from parindex.results.services import Decision, results_compute, results_publish

from .conftest import Case, World, expect


def _computed(world: World) -> ResultVersion:
    return results_compute(period=Period.objects.get(pk=world.old_period), actor=None)


def computed_2024(world: World) -> None:
    _computed(world)


def _published(world: World) -> ResultVersion:
    return results_publish(
        version=_computed(world),
        decision=Decision("386/QĐ-UBND", datetime.date(2025, 2, 20), "Trần Văn Hùng"),
        actor=None,
    )


def _document(world: World, version: ResultVersion | None) -> GeneratedDocument:
    document = GeneratedDocument(
        kind="results",
        format="docx",
        period_id=world.old_period,
        version=version,
        status=JobStatus.DONE,
        file_name="bao-cao-ket-qua-chi-so-cchc-2024.docx",
    )
    document.file.save("bao-cao.docx", ContentFile(b"PK\x03\x04 thu"), save=False)
    document.save()
    return document


def draft_document(world: World) -> None:
    _document(world, _computed(world))


def public_document(world: World) -> None:
    _document(world, _published(world))


def _doc_url(name: str) -> Any:
    return lambda w: reverse(
        name, args=[GeneratedDocument.objects.filter(period_id=w.old_period).get().pk]
    )


def _public_url(w: World) -> str:
    document = GeneratedDocument.objects.filter(period_id=w.old_period).get()
    return reverse("documents:public_download", args=[w.old_period, document.pk])


def _template() -> bytes:
    doc = open_docx(BytesIO(build_frame()))
    doc.add_paragraph("Kính gửi: các cơ quan, đơn vị.")
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def hanam_template(world: World) -> None:
    template_upload(
        actor=None,
        kind="notice",
        jurisdiction=Unit.objects.get(code="T-HNA"),
        name="thong-bao.docx",
        data=_template(),
    )


def _has_unit_document(w: World) -> bool:
    return GeneratedDocument.objects.filter(period_id=w.old_period, unit_id=w.unit_a).exists()


def _has_period_document(w: World) -> bool:
    return GeneratedDocument.objects.filter(period_id=w.old_period, unit=None).exists()


def _hanam_templates(active: bool) -> Any:
    return lambda w: (
        DocumentTemplate.objects.filter(jurisdiction__code="T-HNA", is_active=True).exists()
        is active
    )


TEMPLATES = "/van-ban/mau/"

DOCUMENTS = [
    Case(
        "documents:unit",
        "GET",
        lambda w: reverse("documents:unit", args=[w.old_a]),
        expect(unit_a="200", oversight="200"),
        owner="A",
    ),
    Case(
        "documents:unit",
        "POST",
        lambda w: reverse("documents:unit", args=[w.old_a]),
        expect(unit_a="302", oversight="302"),
        data=lambda w: {"kind": "self-assessment", "format": "docx"},
        owner="A",
        effect=_has_unit_document,
        effect_for="reads_a_whole",
    ),
    Case(
        "documents:period",
        "GET",
        lambda w: reverse("documents:period", args=[w.old_period]),
        expect(oversight="200"),
    ),
    Case(
        "documents:period",
        "POST",
        lambda w: reverse("documents:period", args=[w.old_period]),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"kind": "results", "format": "docx", "group": ""},
        setup=computed_2024,
        effect=_has_period_document,
        effect_for="runs_period",
    ),
    Case(
        "documents:texts",
        "GET",
        lambda w: reverse("documents:texts", args=[w.old_period, "results"]),
        expect(oversight="200"),
    ),
    Case(
        "documents:texts",
        "POST",
        lambda w: reverse("documents:texts", args=[w.old_period, "notice"]),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"number": "12/TB-HĐTĐ", "form": "notice", "body": ""},
        effect=lambda w: DocumentText.objects.filter(
            period_id=w.old_period, number="12/TB-HĐTĐ"
        ).exists(),
        effect_for="runs_period",
    ),
    Case(
        "documents:status",
        "GET",
        _doc_url("documents:status"),
        expect(oversight="200"),
        setup=draft_document,
    ),
    Case(
        "documents:download",
        "GET",
        _doc_url("documents:download"),
        expect(oversight="200"),
        setup=draft_document,
    ),
    Case(
        "documents:public_download",
        "GET",
        _public_url,
        expect("200", anonymous="200"),
        label="published",
        setup=public_document,
    ),
    Case(
        "documents:public_download",
        "GET",
        _public_url,
        expect("404", anonymous="404"),
        label="draft",
        setup=draft_document,
    ),
    Case("documents:templates", "GET", lambda w: TEMPLATES, expect(sets_up="200")),
    Case(
        "documents:templates",
        "POST",
        lambda w: TEMPLATES,
        expect(sets_up="404", sets_up_hn="302"),
        data=lambda w: {
            "dia-ban": "T-HNA",
            "kind": "notice",
            "note": "",
            "file": SimpleUploadedFile("thong-bao.docx", _template()),
        },
        effect=_hanam_templates(True),
        effect_for="sets_up_hn",
    ),
    Case(
        "documents:template_reset",
        "POST",
        lambda w: reverse("documents:template_reset"),
        expect(sets_up="404", sets_up_hn="302"),
        data=lambda w: {"dia-ban": "T-HNA", "kind": "notice"},
        setup=hanam_template,
        effect=_hanam_templates(False),
        effect_for="sets_up_hn",
    ),
    Case(
        "documents:template_download",
        "GET",
        lambda w: reverse(
            "documents:template_download",
            args=[DocumentTemplate.objects.get(jurisdiction__code="T-HNA").pk],
        ),
        expect(sets_up="404", sets_up_hn="200"),
        setup=hanam_template,
    ),
    Case(
        "documents:template_builtin",
        "GET",
        lambda w: reverse("documents:template_builtin", args=["notice"]),
        expect(sets_up="200"),
    ),
]
