"""The matrix cases of the signed decision of a published version (see
:mod:`parindex.results.decision`): the council's page and its upload and removal
(``results_manage``, in ``test_pages_season.CASES``) and the public download (``public``,
in ``test_pages.PAGES``).

Read the outcomes off the chokepoints: :func:`parindex.results.manage_permissions.
get_results_period` (the council of Hà Nam looks, its chair acts, anyone else 404; the
observer's write 403) and :mod:`parindex.results.published` (a published version's
decision for everyone, a draft's for nobody).

The signed PDF is made with the test CA of :mod:`parindex.evidence.testing` (once per
session, in memory); its root is added to Hà Nam's trust store by the case's setup.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from parindex.evidence.models import TrustAnchor
from parindex.evidence.testing import Pki, _blank_pdf, make_pki, sign
from parindex.periods.models import Period
from parindex.results.decision import decision_upload
from parindex.results.models import ResultVersion, SignedDecision
from parindex.results.services import Decision, results_compute, results_publish

from .conftest import Case, World, expect, tiny_pdf


@functools.cache
def _pki() -> Pki:
    return make_pki()


@functools.cache
def _signed_pdf() -> bytes:
    return sign(_blank_pdf(), _pki().signer_new)


def _url(name: str, query: str = "") -> Any:
    return lambda w: reverse(name, args=[w.old_period]) + query


def _published(world: World) -> ResultVersion:
    """The 2024 results published (a decision of the province), Hà Nam trusting the test
    national root."""
    period = Period.objects.get(pk=world.old_period)
    root = _pki().new_root
    TrustAnchor.objects.create(
        jurisdiction_id=period.jurisdiction_id,
        name="Root CA Quốc gia – thử nghiệm",
        certificate=root.pem,
        subject="Root CA Quốc gia – thử nghiệm",
        fingerprint=hashlib.sha256(root.der).hexdigest(),
    )
    return results_publish(
        version=results_compute(period=period, actor=None),
        decision=Decision("386/QĐ-UBND", datetime.date(2025, 2, 20), "Trần Văn Hùng"),
        actor=None,
    )


def published_2024(world: World) -> None:
    _published(world)


def with_decision(world: World) -> None:
    """Published, and the chair attached the signed decision."""
    version = _published(world)
    decision_upload(version=version, actor=world.user("chair"), upload=_upload())


def draft_2024(world: World) -> None:
    results_compute(period=Period.objects.get(pk=world.old_period), actor=None)


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("quyet-dinh.pdf", _signed_pdf(), content_type="application/pdf")


def _has_decision(w: World) -> bool:
    return SignedDecision.objects.filter(version__period_id=w.old_period).exists()


DECISION_MANAGE = [
    Case(
        "results_manage:decision_upload",
        "GET",
        _url("results_manage:decision_upload"),
        expect(oversight="200"),
        label="2024",
        setup=with_decision,
    ),
    Case(
        "results_manage:decision_upload",
        "POST",
        _url("results_manage:decision_upload"),
        expect(oversight="403", runs_period="302"),
        data=lambda w: {"file": _upload()},
        label="2024",
        setup=published_2024,
        effect=_has_decision,
        effect_for="runs_period",
    ),
    # An unsigned PDF: refused for the chair too (400), nothing stored.
    Case(
        "results_manage:decision_upload",
        "POST",
        _url("results_manage:decision_upload"),
        expect(oversight="403", runs_period="400"),
        data=lambda w: {"file": tiny_pdf("quyet-dinh.pdf")},
        label="2024-unsigned",
        setup=published_2024,
    ),
    Case(
        "results_manage:decision_remove",
        "POST",
        _url("results_manage:decision_remove"),
        expect(oversight="403", runs_period="302"),
        label="2024",
        setup=with_decision,
        effect=lambda w: not _has_decision(w),
        effect_for="runs_period",
    ),
]

DECISION_PUBLIC = [
    Case(
        "public:decision",
        "GET",
        _url("public:decision"),
        expect("200", anonymous="200"),
        label="2024",
        setup=with_decision,
    ),
    Case(
        "public:decision",
        "GET",
        _url("public:decision"),
        expect("404", anonymous="404"),
        label="2024-no-decision",
        setup=published_2024,
    ),
    Case(
        "public:decision",
        "GET",
        _url("public:decision"),
        expect("404", anonymous="404"),
        label="2024-draft",
        setup=draft_2024,
    ),
]
