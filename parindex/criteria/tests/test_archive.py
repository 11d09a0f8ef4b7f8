"""Archiving a set created by mistake (issue 11, point 1): audited, refused for a set a
period uses, hidden from the list but kept, visible behind a filter, restorable."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import criteria_set_archive, criteria_set_restore
from parindex.engine import InputError
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import PeriodKind
from parindex.periods.services import period_create

pytestmark = pytest.mark.django_db


def test_archive_hides_but_keeps_and_is_audited(realistic_set: CriteriaSet, manager: User) -> None:
    criteria_set_archive(criteria_set=realistic_set, actor=manager)
    realistic_set.refresh_from_db()
    assert realistic_set.is_archived
    assert list(CriteriaSet.objects.active()) == []
    assert list(CriteriaSet.objects.archived()) == [realistic_set]
    event = AuditEvent.objects.get(action="criteria_set.archived")
    assert event.actor == manager
    criteria_set_restore(criteria_set=realistic_set, actor=manager)
    realistic_set.refresh_from_db()
    assert not realistic_set.is_archived
    assert AuditEvent.objects.filter(action="criteria_set.restored").count() == 1


def test_a_set_in_use_by_a_period_cannot_be_archived(
    realistic_set: CriteriaSet, province: Unit, communes_group: UnitGroup, manager: User
) -> None:
    period_create(
        jurisdiction=province,
        year=2025,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC năm 2025",
        groups={communes_group: realistic_set},
        actor=None,
    )
    with pytest.raises(InputError) as caught:
        criteria_set_archive(criteria_set=realistic_set, actor=manager)
    assert "Chỉ số CCHC năm 2025" in caught.value.problems[0]
    realistic_set.refresh_from_db()
    assert not realistic_set.is_archived


def test_archive_page_confirms_then_list_hides_and_filter_shows(
    manager_client: Client, realistic_set: CriteriaSet
) -> None:
    url = reverse("criteria:archive", kwargs={"pk": realistic_set.pk})
    detail = manager_client.get(reverse("criteria:detail", kwargs={"pk": realistic_set.pk}))
    assert f'href="{url}"' in detail.content.decode()
    confirm = manager_client.get(url)
    assert confirm.status_code == 200
    assert "Xác nhận lưu trữ" in confirm.content.decode()
    realistic_set.refresh_from_db()
    assert not realistic_set.is_archived

    response = manager_client.post(url)
    assert response.status_code == 302
    link = f'href="{reverse("criteria:detail", kwargs={"pk": realistic_set.pk})}"'
    listing = manager_client.get(reverse("criteria:list")).content.decode()
    assert link not in listing
    archived = manager_client.get(reverse("criteria:list"), {"luu_tru": "1"}).content.decode()
    assert link in archived
    assert "Đã lưu trữ" in archived
    detail = manager_client.get(reverse("criteria:detail", kwargs={"pk": realistic_set.pk}))
    assert detail.status_code == 200  # kept
    assert "Bộ tiêu chí này đã được lưu trữ" in detail.content.decode()


def test_only_managers_archive(unit_staff_client: Client, realistic_set: CriteriaSet) -> None:
    url = reverse("criteria:archive", kwargs={"pk": realistic_set.pk})
    assert unit_staff_client.post(url).status_code == 403
    realistic_set.refresh_from_db()
    assert not realistic_set.is_archived
