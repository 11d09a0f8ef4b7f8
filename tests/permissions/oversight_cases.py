"""The matrix cases of the oversight of remediation tasks (``oversight``) and of the next
round link (``carryover``), in ``test_pages_season.CASES``.

Read the outcomes off the chokepoints:

* :func:`parindex.periods.permissions.get_overseen_period` (and
  :func:`parindex.remediation.oversight.overseen_tasks`): the oversight page of Hà Nam's
  2024 period and its export are its council's (chair, observer, superuser); everyone else,
  Ninh Bình's chair included, 404.
* ``carryover:attach``: the item through the evidence chokepoint
  (:func:`parindex.evidence.selectors.get_answer_for_user`, 404 for whoever does not see
  it), 403 for whoever sees it but is not of unit A (the appraiser of field 1, the
  council), then the file must be one of A's 2024 tasks on 1.1 (else 404). A's people
  attach it to their 2025 item 1.1 (a copy in 2025 with the same SHA-256).
"""

from __future__ import annotations

import datetime
import hashlib
from decimal import Decimal

from django.core.files.base import ContentFile
from django.urls import reverse

from parindex.criteria.models import CriterionNode
from parindex.evidence.models import Evidence, EvidenceLink
from parindex.remediation.models import RemediationTask, TaskStatus

from .conftest import Case, World, expect, pdf_bytes

CARRIED = pdf_bytes(b"%carried-over-2024")
"""The report A attached to its 2024 task on 1.1."""


def task_2024(world: World) -> None:
    """Unit A closed a 2024 task on item 1.1 with a report (the file of that period)."""
    evidence = Evidence(
        period_id=world.old_period,
        unit_id=world.unit_a,
        original_name="Báo cáo khắc phục 1.1 năm 2024.pdf",
        sha256=hashlib.sha256(CARRIED).hexdigest(),
        size=len(CARRIED),
        content_type="application/pdf",
    )
    evidence.file.save("bao-cao.pdf", ContentFile(CARRIED), save=False)
    evidence.save()
    node = CriterionNode.objects.get(pk=world.nodes["1.1"])
    task = RemediationTask.objects.create(
        period_id=world.old_period,
        unit_id=world.unit_a,
        node=node,
        node_code="1.1",
        max_points=node.max_points,
        self_points=node.max_points,
        appraised_points=Decimal(0),
        points_lost=node.max_points,
        action="Ban hành kế hoạch CCHC đúng hạn",
        due_date=datetime.date(2024, 12, 31),
        status=TaskStatus.DONE,
        result="Đã ban hành.",
    )
    task.evidence.add(evidence)


def _carried(w: World) -> bool:
    return EvidenceLink.objects.filter(
        answer_id=w.answers_a["1.1"],
        evidence__period_id=w.period,
        evidence__sha256=hashlib.sha256(CARRIED).hexdigest(),
    ).exists()


def _attach_data(w: World) -> dict[str, object]:
    evidence = Evidence.objects.get(period_id=w.old_period, unit_id=w.unit_a)
    return {"evidence": evidence.pk, "next": "/phieu/"}


OVERSIGHT = [
    Case(
        "oversight:period",
        "GET",
        lambda w: reverse("oversight:period", args=[w.old_period]),
        expect(oversight="200"),
        setup=task_2024,
        owner="A",
    ),
    Case(
        "oversight:period_xlsx",
        "GET",
        lambda w: reverse("oversight:period_xlsx", args=[w.old_period]),
        expect(oversight="200"),
        setup=task_2024,
        owner="A",
    ),
]

CARRYOVER = [
    Case(
        "carryover:attach",
        "POST",
        lambda w: reverse("carryover:attach", args=[w.answers_a["1.1"]]),
        expect(unit_a="302", appraiser="403", oversight="403"),
        data=_attach_data,
        setup=task_2024,
        owner="A",
        effect=_carried,
        effect_for="unit_a",
    ),
]
