"""A small world for the API's boundary tests and the schemathesis run.

Tỉnh Hà Nam with two communes (A and B) scored with the permission tests' commune criteria
set; "Năm 2024" finalised and published (the anonymous ``/api/published/…`` operations),
"Năm 2025" in self-assessment with A's and B's assessments, and unit A's leader signed in
(session cookie and CSRF token), who may read, save, submit and withdraw A's assessment.
Built with the project's services, in each test's own transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from parindex.accounts.models import Role, User
from parindex.assessments.models import Assessment
from parindex.assessments.services.final_scores import FinalScores, final_scores_store_many
from parindex.criteria.models import CriterionNode
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.engine import Ratio
from parindex.organizations.models import Level
from parindex.organizations.services import unit_create, unit_group_create
from parindex.periods.models import PeriodKind, PeriodStatus
from parindex.periods.services import period_create, period_set_status
from parindex.results.services import Decision, results_compute, results_publish
from parindex.season.stages import period_open_self_assessment
from tests.permissions.conftest import commune_document

D = Decimal


@dataclass(frozen=True)
class ApiWorld:
    published_period: int
    group_code: str
    unit_codes: tuple[str, ...]
    assessment: int
    other_assessment: int
    codes: tuple[str, ...]
    session: str
    csrf: str

    def client(self, *, csrf_header: bool = True) -> Client:
        """Unit A's leader, signed in, sending the CSRF header (checked) on writes."""
        headers = {"X-CSRFToken": self.csrf} if csrf_header else {}
        client = Client(enforce_csrf_checks=True, headers=headers)
        client.cookies[settings.SESSION_COOKIE_NAME] = self.session
        client.cookies[settings.CSRF_COOKIE_NAME] = self.csrf
        return client

    def cookies(self) -> dict[str, str]:
        """The same identity for another client (schemathesis'): the session and CSRF
        cookies, with :attr:`csrf` in the ``X-CSRFToken`` header."""
        return {settings.SESSION_COOKIE_NAME: self.session, settings.CSRF_COOKIE_NAME: self.csrf}


def build_api_world() -> ApiWorld:
    province = unit_create(code="T-HNA", name="Tỉnh Hà Nam", level=Level.PROVINCE, actor=None)
    communes = unit_group_create(
        code="ubnd-cap-xa", name="UBND cấp xã", level=Level.COMMUNE, position=1, actor=None
    )
    unit_a = unit_create(
        code="T-XA-LIEMTUYEN",
        name="UBND xã Liêm Tuyền",
        level=Level.COMMUNE,
        parent=province,
        group=communes,
        actor=None,
    )
    unit_b = unit_create(
        code="T-XA-THANHSON",
        name="UBND xã Thanh Sơn",
        level=Level.COMMUNE,
        parent=province,
        group=communes,
        actor=None,
    )
    leader = User.objects.create_user(
        username="chu.tich.liemtuyen",
        full_name="Nguyễn Văn An",
        role=Role.UNIT_LEADER,
        unit=unit_a,
    )
    criteria_set = criteria_set_import_document(
        document=commune_document(),
        info=SetInfo(level=Level.COMMUNE, year=2025, jurisdiction=province),
        actor=None,
    )

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
    results_publish(
        version=results_compute(period=old, actor=None),
        decision=Decision(
            number="125/QĐ-UBND",
            date=datetime.date(2025, 3, 1),
            signer_name="Trần Văn Hùng",
            signer_title="Chủ tịch UBND tỉnh",
        ),
        actor=None,
    )

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
        period=current, actor=None, deadline=timezone.now() + datetime.timedelta(days=7)
    )

    client = Client()
    client.force_login(leader)
    leaves = CriterionNode.objects.filter(criteria_set=criteria_set, children__isnull=True)
    return ApiWorld(
        published_period=old.pk,
        group_code=communes.code,
        unit_codes=(unit_a.code, unit_b.code),
        assessment=Assessment.objects.get(period=current, unit=unit_a).pk,
        other_assessment=Assessment.objects.get(period=current, unit=unit_b).pk,
        codes=tuple(sorted(leaves.values_list("code", flat=True))),
        session=client.cookies[settings.SESSION_COOKIE_NAME].value,
        csrf=get_random_string(32),
    )


@pytest.fixture
def api_world(db: Any, settings: Any, tmp_path: Any) -> ApiWorld:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return build_api_world()
