"""The response table has no database foreign keys (bulk COPY speed): Django's ``on_delete``
must still keep it consistent."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError

from parindex.accounts.models import User
from parindex.surveys.imports import responses_import
from parindex.surveys.models import ImportBatch, Questionnaire, SamplePlan, SurveyResponse
from parindex.surveys.online import response_submit_online
from parindex.surveys.tests.test_services import _all, _csv, _row

pytestmark = pytest.mark.django_db


def test_deleting_a_batch_deletes_its_forms_only(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    data = _csv(questionnaire, [_row("P-001", "T-XA-THANHSON", 5, questionnaire)])
    batch = responses_import(period=questionnaire.period, name="a.csv", data=data, actor=chair)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    online = response_submit_online(plan=plans["T-XA-THANHSON"], answers=_all(4, questionnaire))

    batch.delete()

    assert list(SurveyResponse.objects.values_list("pk", flat=True)) == [online.pk]


def test_a_unit_with_forms_cannot_be_deleted(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    plan = plans["T-XA-THANHSON"]
    response_submit_online(plan=plan, answers=_all(4, questionnaire))

    response = SurveyResponse.objects.get()
    with pytest.raises(ProtectedError) as refused:
        response.unit.delete()

    assert response in refused.value.protected_objects

    assert SurveyResponse.objects.count() == 1
