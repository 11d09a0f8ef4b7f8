"""One realistic world for the permission matrix, and a signed-in client for every persona.

The world (built once for this package, inside a transaction rolled back when the package
ends; every test runs in its own savepoint, so a POST that succeeds never reaches the next
test: each test sees the world exactly as built here):

* Tỉnh Hà Nam (T-HNA) with its Sở Nội vụ, and two communes: A "UBND xã Liêm Tuyền" and
  B "UBND xã Thanh Sơn"; Tỉnh Ninh Bình (T-NBI) with its own Sở Nội vụ.
* A commune criteria set: field 1 (1.1 boolean, 1.2 percent), field 2 (2.1 ratio, 2.2
  deduction that allows "không áp dụng").
* "Năm 2024" finalised with final scores for A and B (the public results pages), and
  "Năm 2025" in self-assessment (deadline in a week) with the assessments of A and B.
* A's items 1.1 (with an uploaded PDF and a citation) and 2.2; B's item 1.1 with B's PDF.
* An appraiser assigned to unit A, field "1" only, in 2025 (A's item 2.2 has a file of
  its own, which the appraiser must not open).
* Tỉnh Ninh Bình (T-NBI) runs its own 2025 season: commune C "UBND xã Gia Thủy" with an
  item and a PDF, its own criteria set, and a second set it shares with other provinces.
* Trust anchors: one installation-wide (the system administrator's), one of Hà Nam, one
  of Ninh Bình.

Personas (:data:`PERSONAS`): anonymous, unit A's staff and leader, unit B's staff and
leader ("other unit"), the assigned and an unassigned appraiser, the chair and an observer
of the Sở Nội vụ of Hà Nam, the chair of Ninh Bình, a staff user (``is_staff``, no role in
the season) of each province, unit C's staff (the other province) and a superuser.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment
from parindex.assessments.services.appraisal import appraisal_save
from parindex.assessments.services.final_scores import FinalScores, final_scores_store_many
from parindex.assessments.services.self_assessment import answer_save, assessment_submit
from parindex.criteria.models import CriterionNode
from parindex.criteria.services import (
    SetInfo,
    criteria_set_import_document,
    criteria_set_set_shared,
)
from parindex.engine import Ratio
from parindex.evidence.links import evidence_cite
from parindex.evidence.models import TrustAnchor
from parindex.evidence.uploads import evidence_upload
from parindex.organizations.models import Level, Unit
from parindex.organizations.services import unit_create, unit_group_create
from parindex.periods.models import AppraiserAssignment, Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.season.stages import (
    period_open_explanation,
    period_open_self_assessment,
    period_start_appraisal,
)

D = Decimal

PERSONAS: tuple[str, ...] = (
    "anonymous",
    "unit_staff",
    "unit_leader",
    "other_staff",
    "other_leader",
    "appraiser",
    "appraiser_unassigned",
    "chair",
    "observer",
    "other_chair",
    "far_staff",
    "manager",
    "other_manager",
    "superuser",
)

LOGIN_URL = "/tai-khoan/dang-nhap/"
ADMIN_LOGIN_URL = "/quan-tri/login/"

UNIT_A_NAME = "UBND xã Liêm Tuyền"
UNIT_B_NAME = "UBND xã Thanh Sơn"
UNIT_C_NAME = "UBND xã Gia Thủy"


def pdf_bytes(salt: bytes = b"") -> bytes:
    """A one-page PDF small enough to read, with a correct cross-reference table (libmagic
    says application/pdf, a PDF parser opens it); ``salt`` (a comment) makes it unique."""
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
    ]
    out = bytearray(b"%PDF-1.4\n%" + salt.replace(b"\n", b" ") + b"\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


TINY_PDF = pdf_bytes()


def tiny_pdf(name: str = "ke-hoach.pdf", salt: bytes = b"") -> SimpleUploadedFile:
    """A fresh upload (a different ``salt`` gives different content, so no reuse)."""
    return SimpleUploadedFile(name, pdf_bytes(salt), content_type="application/pdf")


def commune_document() -> dict[str, Any]:
    def node(code: str, name: str, max_: str, parent: str | None = None, **extra: Any) -> Any:
        item: dict[str, Any] = {"code": code, "name": name, "max": max_, **extra}
        if parent:
            item["parent"] = parent
        return item

    return {
        "format": "parindex-evaluation/1",
        "criteria_set": {
            "name": "Bộ tiêu chí CCHC cấp xã (kiểm thử phân quyền)",
            "rounding": {"mode": "half_up", "places": 2},
            "nodes": [
                node("1", "Công tác chỉ đạo, điều hành cải cách hành chính", "6"),
                node("1.1", "Ban hành kế hoạch CCHC năm", "2", "1", rule={"type": "boolean"}),
                node("1.2", "Tỷ lệ hoàn thành kế hoạch CCHC", "4", "1", rule={"type": "percent"}),
                node("2", "Cải cách thủ tục hành chính", "10"),
                node(
                    "2.1",
                    "Tỷ lệ hồ sơ giải quyết đúng hạn",
                    "6",
                    "2",
                    rule={"type": "ratio", "floor": "0.5"},
                ),
                node(
                    "2.2",
                    "Hồ sơ bị yêu cầu bổ sung quá một lần",
                    "4",
                    "2",
                    rule={"type": "deduction", "per_item": "1.5"},
                    allow_not_applicable=True,
                ),
            ],
        },
        "classification": {
            "bands": [{"label": "Tốt", "min": "80"}, {"label": "Khá", "min": "70"}],
            "otherwise": "Trung bình",
        },
    }


@dataclass(frozen=True)
class World:
    """Ids of everything the matrix addresses (objects are re-read by each request)."""

    group_code: str
    criteria_set: int
    period: int
    old_period: int
    unit_a: int
    unit_b: int
    unit_a_code: str
    unit_b_code: str
    a: int
    b: int
    old_a: int
    nodes: dict[str, int]
    answers_a: dict[str, int]
    answers_b: dict[str, int]
    evidence_a: int
    evidence_a_22: int
    evidence_b: int
    citation_a: int
    trust_anchor: int
    """Installation-wide (the system administrator's)."""
    anchor_hn: int
    anchor_nb: int
    # Ninh Bình
    unit_c: int
    unit_c_code: str
    far_period: int
    c: int
    answers_c: dict[str, int]
    evidence_c: int
    nb_set: int
    nb_shared_set: int
    users: dict[str, int]
    sessions: dict[str, str] = field(repr=False)

    def user(self, persona: str) -> User:
        return User.objects.get(pk=self.users[persona])

    def client(self, persona: str, **kwargs: Any) -> Client:
        """A client signed in as ``persona`` (the session was created with the world)."""
        client = Client(**kwargs)
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client

    def unit_name(self, owner: str) -> str:
        return {"A": UNIT_A_NAME, "B": UNIT_B_NAME, "C": UNIT_C_NAME}[owner]

    def unit_code(self, owner: str) -> str:
        return {"A": self.unit_a_code, "B": self.unit_b_code, "C": self.unit_c_code}[owner]


# --------------------------------------------------------------------------- stages


def period_of(world: World) -> Period:
    return Period.objects.get(pk=world.period)


def to_appraisal_1(world: World) -> None:
    """The 2025 period in appraisal round 1 (every assessment locked, every leaf an item)."""
    period_start_appraisal(period=period_of(world), actor=world.user("chair"))


def to_explanation(world: World) -> None:
    """Round 1 asked unit A to explain item 1.1; the explanation round is open."""
    to_appraisal_1(world)
    chair = world.user("chair")
    answer = Answer.objects.get(pk=world.answers_a["1.1"])
    appraisal_save(
        answer=answer,
        actor=chair,
        version=answer.version,
        value=False,
        comment="Kế hoạch ban hành muộn.",
        needs_explanation=True,
    )
    period_open_explanation(
        period=period_of(world),
        actor=chair,
        deadline=timezone.now() + datetime.timedelta(days=5),
    )


def a_submitted(world: World) -> None:
    """Unit A's leader sent the self-assessment."""
    assessment_submit(
        assessment=Assessment.objects.get(pk=world.a), actor=world.user("unit_leader")
    )


def assign_b_last_year(world: World) -> None:
    """Last year (2024) the appraiser appraised unit B; this year unit A, field 1."""
    old = AppraiserAssignment.objects.create(
        period_id=world.old_period, appraiser_id=world.users["appraiser"], node_codes=[]
    )
    old.units.set([world.unit_b])


def answer_version(answer_id: int) -> int:
    return Answer.objects.get(pk=answer_id).version


# --------------------------------------------------------------------------- the world


def _person(username: str, role: str, unit: Unit, **extra: Any) -> User:
    return User.objects.create_user(
        username=username,
        full_name=extra.pop("full_name", username.replace(".", " ").title()),
        email=f"{username}@example.org",
        role=role,
        unit=unit,
        **extra,
    )


def build_world() -> World:
    province = unit_create(code="T-HNA", name="Tỉnh Hà Nam", level=Level.PROVINCE, actor=None)
    other_province = unit_create(
        code="T-NBI", name="Tỉnh Ninh Bình", level=Level.PROVINCE, actor=None
    )
    departments = unit_group_create(
        code="so-ban-nganh", name="Sở, ban, ngành", level=Level.DEPARTMENT, position=1, actor=None
    )
    communes = unit_group_create(
        code="ubnd-cap-xa", name="UBND cấp xã", level=Level.COMMUNE, position=3, actor=None
    )
    so_noi_vu = unit_create(
        code="T-SNV",
        name="Sở Nội vụ tỉnh Hà Nam",
        level=Level.DEPARTMENT,
        parent=province,
        group=departments,
        actor=None,
    )
    other_so_noi_vu = unit_create(
        code="NB-SNV",
        name="Sở Nội vụ tỉnh Ninh Bình",
        level=Level.DEPARTMENT,
        parent=other_province,
        group=departments,
        actor=None,
    )
    unit_a = unit_create(
        code="T-XA-LIEMTUYEN",
        name=UNIT_A_NAME,
        short_name="Liêm Tuyền",
        level=Level.COMMUNE,
        parent=province,
        group=communes,
        position=1,
        actor=None,
    )
    unit_b = unit_create(
        code="T-XA-THANHSON",
        name=UNIT_B_NAME,
        short_name="Thanh Sơn",
        level=Level.COMMUNE,
        parent=province,
        group=communes,
        position=2,
        actor=None,
    )

    unit_c = unit_create(
        code="NB-XA-GIATHUY",
        name=UNIT_C_NAME,
        short_name="Gia Thủy",
        level=Level.COMMUNE,
        parent=other_province,
        group=communes,
        position=3,
        actor=None,
    )

    users = {
        "unit_staff": _person("can.bo.liemtuyen", Role.UNIT_STAFF, unit_a),
        "unit_leader": _person("chu.tich.liemtuyen", Role.UNIT_LEADER, unit_a),
        "other_staff": _person("can.bo.thanhson", Role.UNIT_STAFF, unit_b),
        "other_leader": _person("chu.tich.thanhson", Role.UNIT_LEADER, unit_b),
        "appraiser": _person("tham.dinh.linhvuc1", Role.APPRAISER, so_noi_vu),
        "appraiser_unassigned": _person("tham.dinh.khac", Role.APPRAISER, so_noi_vu),
        "chair": _person("giam.doc.snv", Role.CHAIR, so_noi_vu),
        "observer": _person("quan.sat.snv", Role.OBSERVER, so_noi_vu),
        "other_chair": _person("giam.doc.snv.ninhbinh", Role.CHAIR, other_so_noi_vu),
        "far_staff": _person("can.bo.giathuy", Role.UNIT_STAFF, unit_c),
        "manager": _person("quan.tri.vien", Role.UNIT_STAFF, so_noi_vu, is_staff=True),
        "other_manager": _person(
            "quan.tri.ninhbinh", Role.UNIT_STAFF, other_so_noi_vu, is_staff=True
        ),
        "superuser": User.objects.create_superuser(
            username="admin",
            password=None,
            email="admin@example.org",
            full_name="Lê Quản Trị",
            unit=so_noi_vu,
        ),
    }

    criteria_set = criteria_set_import_document(
        document=commune_document(),
        info=SetInfo(level=Level.COMMUNE, year=2025, jurisdiction=province),
        actor=None,
    )
    nodes = dict(CriterionNode.objects.filter(criteria_set=criteria_set).values_list("code", "id"))

    old = period_create(
        jurisdiction=province,
        year=2024,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC cấp xã năm 2024",
        groups={communes: criteria_set},
        actor=None,
    )
    final_scores_store_many(
        period=old,
        entries=[
            FinalScores(
                unit=unit_a,
                values={"1.1": True, "1.2": D("80"), "2.1": Ratio(D(9), D(10)), "2.2": D(1)},
            ),
            FinalScores(
                unit=unit_b,
                values={"1.1": False, "1.2": D("60"), "2.1": Ratio(D(7), D(10)), "2.2": D(2)},
            ),
        ],
        actor=None,
    )
    period_set_status(period=old, status=PeriodStatus.FINALISED, actor=None)

    current = period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC cấp xã năm 2025",
        groups={communes: criteria_set},
        previous=old,
        actor=None,
    )
    period_open_self_assessment(
        period=current,
        actor=users["chair"],
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    a = Assessment.objects.get(period=current, unit=unit_a)
    b = Assessment.objects.get(period=current, unit=unit_b)

    def save(assessment: Assessment, code: str, actor: User, value: Any) -> Answer:
        return answer_save(
            assessment=assessment,
            node=CriterionNode.objects.get(pk=nodes[code]),
            actor=actor,
            version=0,
            value=value,
            explanation=f"Thuyết minh {code}",
        )

    a_11 = save(a, "1.1", users["unit_staff"], True)
    a_22 = save(a, "2.2", users["unit_staff"], "1")
    b_11 = save(b, "1.1", users["other_staff"], True)

    evidence_a = evidence_upload(
        assessment=a,
        answer=a_11,
        uploaded_file=tiny_pdf("Kế hoạch CCHC Liêm Tuyền.pdf", b"%A"),
        actor=users["unit_staff"],
    )
    citation_a = evidence_cite(
        answer=a_11,
        number="15/KH-UBND",
        date=datetime.date(2025, 1, 10),
        issuer="UBND xã Liêm Tuyền",
        title="Kế hoạch cải cách hành chính năm 2025",
        actor=users["unit_staff"],
    )
    evidence_a_22 = evidence_upload(
        assessment=a,
        answer=a_22,
        uploaded_file=tiny_pdf("Sổ theo dõi hồ sơ Liêm Tuyền.pdf", b"%A22"),
        actor=users["unit_staff"],
    )
    evidence_b = evidence_upload(
        assessment=b,
        answer=b_11,
        uploaded_file=tiny_pdf("Kế hoạch CCHC Thanh Sơn.pdf", b"%B"),
        actor=users["other_staff"],
    )

    assignment = AppraiserAssignment.objects.create(
        period=current, appraiser=users["appraiser"], node_codes=["1"]
    )
    assignment.units.set([unit_a])

    def anchor(name: str, fingerprint: str, jurisdiction: Unit | None) -> TrustAnchor:
        return TrustAnchor.objects.create(
            jurisdiction=jurisdiction,
            name=name,
            certificate="-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----\n",
            subject=f"CN={name},C=VN",
            fingerprint=fingerprint * 32,
            not_after=timezone.now() + datetime.timedelta(days=3650),
        )

    national = anchor("Root CA Quốc gia – thử nghiệm", "ab", None)
    anchor_hn = anchor("CA nội bộ tỉnh Hà Nam", "cd", province)
    anchor_nb = anchor("CA nội bộ tỉnh Ninh Bình", "ef", other_province)

    # Ninh Bình's own season: its set, its period, unit C's item and file.
    nb_document = commune_document()
    nb_document["criteria_set"]["name"] = "Bộ tiêu chí CCHC cấp xã tỉnh Ninh Bình"
    nb_set = criteria_set_import_document(
        document=nb_document,
        info=SetInfo(level=Level.COMMUNE, year=2025, jurisdiction=other_province),
        actor=None,
    )
    shared_document = commune_document()
    shared_document["criteria_set"]["name"] = "Bộ tiêu chí mẫu cấp sở (Ninh Bình chia sẻ)"
    nb_shared_set = criteria_set_import_document(
        document=shared_document,
        info=SetInfo(level=Level.DEPARTMENT, year=2025, jurisdiction=other_province),
        actor=None,
    )
    criteria_set_set_shared(criteria_set=nb_shared_set, shared=True, actor=None)
    far_period = period_create(
        jurisdiction=other_province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC cấp xã tỉnh Ninh Bình năm 2025",
        groups={communes: nb_set},
        actor=None,
    )
    period_open_self_assessment(
        period=far_period,
        actor=users["other_chair"],
        deadline=timezone.now() + datetime.timedelta(days=7),
    )
    c = Assessment.objects.get(period=far_period, unit=unit_c)
    c_11 = answer_save(
        assessment=c,
        node=CriterionNode.objects.get(criteria_set=nb_set, code="1.1"),
        actor=users["far_staff"],
        version=0,
        value=True,
        explanation="Thuyết minh 1.1",
    )
    evidence_c = evidence_upload(
        assessment=c,
        answer=c_11,
        uploaded_file=tiny_pdf("Kế hoạch CCHC Gia Thủy.pdf", b"%C"),
        actor=users["far_staff"],
    )

    sessions: dict[str, str] = {}
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value

    return World(
        group_code=communes.code,
        criteria_set=criteria_set.pk,
        period=current.pk,
        old_period=old.pk,
        unit_a=unit_a.pk,
        unit_b=unit_b.pk,
        unit_a_code=unit_a.code,
        unit_b_code=unit_b.code,
        a=a.pk,
        b=b.pk,
        old_a=Assessment.objects.get(period=old, unit=unit_a).pk,
        nodes=nodes,
        answers_a={"1.1": a_11.pk, "2.2": a_22.pk},
        answers_b={"1.1": b_11.pk},
        evidence_a=evidence_a.pk,
        evidence_a_22=evidence_a_22.pk,
        evidence_b=evidence_b.pk,
        citation_a=citation_a.pk,
        trust_anchor=national.pk,
        anchor_hn=anchor_hn.pk,
        anchor_nb=anchor_nb.pk,
        unit_c=unit_c.pk,
        unit_c_code=unit_c.code,
        far_period=far_period.pk,
        c=c.pk,
        answers_c={"1.1": c_11.pk},
        evidence_c=evidence_c.pk,
        nb_set=nb_set.pk,
        nb_shared_set=nb_shared_set.pk,
        users={persona: user.pk for persona, user in users.items()},
        sessions=sessions,
    )


@pytest.fixture(scope="package")
def world(
    django_db_setup: None,
    django_db_blocker: Any,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[World]:
    """Built once per package in a transaction that is rolled back afterwards; the tests
    (``django_db``) run in savepoints inside it."""
    media: Path = tmp_path_factory.mktemp("permissions-media")
    with (
        django_db_blocker.unblock(),
        override_settings(
            MEDIA_ROOT=str(media),
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --------------------------------------------------------------------------- the matrix

GROUPS: dict[str, tuple[str, ...]] = {
    # Unit A's own people: read and write A's self-assessment.
    "unit_a": ("unit_staff", "unit_leader"),
    # The "other unit".
    "unit_b": ("other_staff", "other_leader"),
    # Read A's assessment without being its unit: 403 on its writes.
    "oversees_a": ("appraiser", "chair", "observer", "superuser"),
    "reads_a": ("unit_staff", "unit_leader", "appraiser", "chair", "observer", "superuser"),
    # Write A's CCHC plan (kế hoạch CCHC, /ke-hoach-cchc/): A's people and the superuser.
    "writes_a_plan": ("unit_staff", "unit_leader", "superuser"),
    "reads_b": ("other_staff", "other_leader", "chair", "observer", "superuser"),
    # Read A's whole 2024 assessment (its documents): A's people and the council.
    "reads_a_whole": ("unit_staff", "unit_leader", "chair", "observer", "superuser"),
    # Appraise A's field 1 in 2025 (the assigned appraiser, the chair, the superuser).
    "appraises_a": ("appraiser", "chair", "superuser"),
    # Chair or superuser of Hà Nam: run the 2025 period.
    "runs_period": ("chair", "superuser"),
    # Take part in the 2025 period without overseeing it: 403 on the chair's pages.
    "in_period": ("unit_staff", "unit_leader", "other_staff", "other_leader", "appraiser"),
    "oversight": ("chair", "observer", "superuser"),
    # Any chair (each opens their own jurisdiction's trust store) or the superuser.
    "chairs": ("chair", "other_chair", "superuser"),
    # is_staff of Hà Nam: its criteria sets and unfinished results; the admin site.
    "staff": ("manager", "superuser"),
    # is_staff anywhere: import and clone criteria sets into their own province.
    "all_staff": ("manager", "other_manager", "superuser"),
    # Ninh Bình's people: none of Hà Nam's unpublished data is theirs.
    "province_nb": ("other_chair", "far_staff", "other_manager"),
    # Read unit C's assessment (Ninh Bình), and run Ninh Bình's period.
    "reads_c": ("far_staff", "other_chair", "superuser"),
    "runs_nb": ("other_chair", "superuser"),
    "manages_nb": ("other_manager", "superuser"),
    # Set seasons up (/dieu-hanh/ky/): the chair or a manager (is_staff) of the province.
    "sets_up_hn": ("chair", "manager", "superuser"),
    "sets_up_nb": ("other_chair", "other_manager", "superuser"),
    "sets_up": ("chair", "manager", "other_chair", "other_manager", "superuser"),
    # Read a jurisdiction's audit trail (Nhật ký): its overseers, each their own.
    "overseers": ("chair", "observer", "other_chair", "superuser"),
}


def expect(others: str = "404", *, anonymous: str = "login", **rules: str) -> dict[str, str]:
    """Outcome per persona: ``others`` for the signed-in personas, ``anonymous`` for the
    visitor, then each rule in order (a group of :data:`GROUPS` or a persona name)."""
    outcome = {p: others for p in PERSONAS}
    outcome["anonymous"] = anonymous
    for key, value in rules.items():
        for persona in GROUPS.get(key, (key,)):
            assert persona in outcome, key
            outcome[persona] = value
    return outcome


@dataclass(frozen=True)
class Case:
    """One URL of the matrix with the outcome for each persona.

    Outcomes: an HTTP status ("200", "400", "401", "403", "404", "405", "409"), "302" (a
    redirect that is not to a sign-in page), "login" (302 to the site's sign-in page) or
    "admin_login" (302 to the admin's sign-in page).
    """

    name: str
    method: str
    url: Any  # Callable[[World], str]
    outcomes: dict[str, str]
    label: str = ""
    data: Any = None  # Callable[[World], dict[str, Any]] | None
    setup: Any = None  # Callable[[World], None] | None
    owner: str | None = None
    """The unit ("A" or "B") whose name a 404 must not show."""
    json: bool = False
    effect: Any = None  # Callable[[World], bool] | None
    """For a write: whether it took place. True after the request exactly for the personas
    of ``effect_for`` (a group or a persona), so a 302 is never a refusal in disguise and a
    refusal never writes."""
    effect_for: str = ""
    xfail: dict[str, str] = field(default_factory=dict)
    """Persona → reason: a known product bug, the outcome being what the product should do
    (``xfail(strict=True)``: the case fails the suite once the bug is fixed, to be unmarked)."""

    @property
    def key(self) -> str:
        return f"{self.name}[{self.label}]" if self.label else self.name


def matrix(cases: list[Case]) -> list[Any]:
    """pytest params ``(persona, case, outcome)`` with ids like
    ``unit_staff-GET-assessments:detail-200``."""
    params = []
    for case in cases:
        for persona in PERSONAS:
            outcome = case.outcomes[persona]
            marks = (
                [pytest.mark.xfail(strict=True, reason=case.xfail[persona])]
                if persona in case.xfail
                else []
            )
            params.append(
                pytest.param(
                    persona,
                    case,
                    outcome,
                    id=f"{persona}-{case.method}-{case.key}-{outcome}",
                    marks=marks,
                )
            )
    return params


def send(world: World, persona: str, case: Case) -> Any:
    if case.setup is not None:
        case.setup(world)
    client = world.client(persona)
    url = case.url(world)
    data = case.data(world) if case.data is not None else None
    method = getattr(client, case.method.lower())
    if case.json:
        return method(url, data=json.dumps(data or {}), content_type="application/json")
    if data is None:
        return method(url)
    return method(url, data)


def body_text(response: Any) -> str:
    """The body as a reader sees it (JSON without the \\u escapes of Vietnamese letters)."""
    if response.streaming:
        return b"".join(response).decode()
    if "json" in response.get("Content-Type", ""):
        return json.dumps(response.json(), ensure_ascii=False)
    return str(response.content.decode())


def check(world: World, case: Case, response: Any, outcome: str) -> None:
    status = response.status_code
    where = f"{case.method} {case.key} → {status}"
    location = response.get("Location", "")
    if outcome == "login":
        assert status == 302 and location.startswith(LOGIN_URL), (where, location)
    elif outcome == "admin_login":
        assert status == 302 and location.startswith(ADMIN_LOGIN_URL), (where, location)
    elif outcome == "302":
        assert status == 302, where
        assert not location.startswith((LOGIN_URL, ADMIN_LOGIN_URL)), (where, location)
    else:
        assert status == int(outcome), (where, location)
    if status == 404 and case.owner is not None:
        body = body_text(response).replace(response.request["PATH_INFO"], "")  # ?next=…
        name, code = world.unit_name(case.owner), world.unit_code(case.owner)
        assert name not in body and code not in body, f"{where}: the 404 names {name}"


def check_effect(world: World, case: Case, persona: str) -> None:
    if case.effect is None:
        return
    expected = persona in GROUPS.get(case.effect_for, (case.effect_for,))
    assert case.effect(world) is expected, f"{persona} {case.method} {case.key}: the write " + (
        "did not take place" if expected else "took place"
    )
