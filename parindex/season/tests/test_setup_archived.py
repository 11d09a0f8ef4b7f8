"""An archived criteria set (created by mistake) is not offered when a season is set up, and
binding it to a unit group is refused with a message on the set field."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from parindex.accounts.models import User
from parindex.criteria.models import CriteriaSet
from parindex.criteria.services import SetInfo, criteria_set_import_document
from parindex.criteria.services.archive import criteria_set_archive
from parindex.organizations.models import Level, Unit, UnitGroup
from parindex.periods.models import Period, PeriodGroup, PeriodKind
from parindex.season.admin_forms import BindForm
from parindex.season.setup import period_group_bind, period_new

pytestmark = pytest.mark.django_db


@pytest.fixture
def blank_2026(province: Unit) -> Period:
    return period_new(jurisdiction=province, year=2026, kind=PeriodKind.ANNUAL, actor=None)


@pytest.fixture
def mistaken_set(province: Unit, sample_document: dict[str, Any]) -> CriteriaSet:
    made = criteria_set_import_document(
        document=sample_document,
        info=SetInfo(level=Level.DEPARTMENT, year=2026, jurisdiction=province),
        actor=None,
    )
    return criteria_set_archive(criteria_set=made, actor=None)


def test_the_binding_form_offers_only_sets_not_archived(
    chair: User, criteria_set: CriteriaSet, mistaken_set: CriteriaSet
) -> None:
    offered = list(BindForm(user=chair).fields["criteria_set"].queryset)  # type: ignore[attr-defined]
    assert criteria_set in offered
    assert mistaken_set not in offered


def test_the_binding_form_refuses_an_archived_set_posted_anyway(
    chair: User, departments_group: UnitGroup, mistaken_set: CriteriaSet
) -> None:
    form = BindForm({"group": departments_group.pk, "criteria_set": mistaken_set.pk}, user=chair)
    assert not form.is_valid()
    assert "criteria_set" in form.errors


def test_binding_an_archived_set_is_refused_on_the_set_field(
    blank_2026: Period, departments_group: UnitGroup, mistaken_set: CriteriaSet, chair: User
) -> None:
    with pytest.raises(ValidationError) as caught:
        period_group_bind(
            period=blank_2026, group=departments_group, criteria_set=mistaken_set, actor=chair
        )
    [message] = caught.value.message_dict["criteria_set"]
    assert "lưu trữ" in message
    assert mistaken_set.name in message
    assert not PeriodGroup.objects.filter(period=blank_2026).exists()


def test_binding_an_archived_set_is_refused_without_an_actor_too(
    blank_2026: Period, departments_group: UnitGroup, mistaken_set: CriteriaSet
) -> None:
    with pytest.raises(ValidationError) as caught:
        period_group_bind(
            period=blank_2026, group=departments_group, criteria_set=mistaken_set, actor=None
        )
    assert "criteria_set" in caught.value.message_dict


def test_the_setup_page_does_not_list_the_archived_set(
    chair_client: Client, blank_2026: Period, criteria_set: CriteriaSet, mistaken_set: CriteriaSet
) -> None:
    url = reverse("season_setup:detail", kwargs={"period_id": blank_2026.pk})
    page = chair_client.get(url)
    assert page.status_code == 200
    options = page.content.decode()
    assert f'value="{criteria_set.pk}"' in options
    assert f'value="{mistaken_set.pk}"' not in options
