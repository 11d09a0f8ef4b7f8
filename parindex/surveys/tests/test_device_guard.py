"""One form per device (issue 11, point 9): the same phone could send the public survey
twice and both counted. A signed cookie per unit and period now remembers the form sent;
the questionnaire can turn the guard off (a desk's tablet shared by many citizens)."""

from __future__ import annotations

import pytest
from django.test import Client

from parindex.surveys.models import Questionnaire, SamplePlan, SurveyResponse
from parindex.surveys.selectors import question_codes

pytestmark = pytest.mark.django_db

SENT = "Thiết bị này đã gửi phiếu"


def _answers(questionnaire: Questionnaire) -> dict[str, str]:
    return {code: "5" for code in question_codes(questionnaire)}


def test_the_guard_is_on_by_default(questionnaire: Questionnaire) -> None:
    assert questionnaire.one_form_per_device is True


def test_a_second_form_from_the_same_device_is_refused(
    client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    url = f"/phieu/{plans['T-XA-THANHSON'].public_key}/"
    assert client.post(url, _answers(questionnaire)).status_code == 200
    page = client.get(url)
    assert SENT in page.content.decode()
    assert 'type="submit"' not in page.content.decode()
    again = client.post(url, _answers(questionnaire))
    assert again.status_code == 409
    assert SENT in again.content.decode()
    assert SurveyResponse.objects.count() == 1


def test_the_cookie_is_per_unit_and_cannot_be_forged(
    client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    thanh_son = plans["T-XA-THANHSON"]
    client.post(f"/phieu/{thanh_son.public_key}/", _answers(questionnaire))
    other = Client()
    for name, morsel in client.cookies.items():
        other.cookies[name] = morsel.value + "x"  # tampered: ignored
    assert other.post(f"/phieu/{thanh_son.public_key}/", _answers(questionnaire)).status_code == 200
    assert SurveyResponse.objects.count() == 2


def test_the_guard_can_be_turned_off(
    client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    questionnaire.one_form_per_device = False
    questionnaire.save(update_fields=["one_form_per_device"])
    url = f"/phieu/{plans['T-XA-THANHSON'].public_key}/"
    assert client.post(url, _answers(questionnaire)).status_code == 200
    assert SENT not in client.get(url).content.decode()
    assert client.post(url, _answers(questionnaire)).status_code == 200
    assert SurveyResponse.objects.count() == 2


def test_the_chair_turns_the_guard_off_and_on(
    chair_client: Client, questionnaire: Questionnaire, survey_period: object
) -> None:
    from parindex.audit.models import AuditEvent

    page = chair_client.get(f"/khao-sat/{questionnaire.period_id}/phieu-khao-sat/")
    assert "Cho phép một thiết bị gửi nhiều phiếu" in page.content.decode()
    url = f"/khao-sat/{questionnaire.period_id}/mot-phieu-mot-thiet-bi/"
    assert chair_client.post(url, {"one_form_per_device": "0"}).status_code == 302
    questionnaire.refresh_from_db()
    assert questionnaire.one_form_per_device is False
    chair_client.post(url, {"one_form_per_device": "1"})
    questionnaire.refresh_from_db()
    assert questionnaire.one_form_per_device is True
    assert AuditEvent.objects.filter(action="survey.device_guard_changed").count() == 2


def test_an_observer_cannot_change_the_guard(
    observer_client: Client, questionnaire: Questionnaire
) -> None:
    url = f"/khao-sat/{questionnaire.period_id}/mot-phieu-mot-thiet-bi/"
    assert observer_client.post(url, {"one_form_per_device": "0"}).status_code in (403, 404)
    questionnaire.refresh_from_db()
    assert questionnaire.one_form_per_device is True


# --------------------------------------------------------------------------- numbers


def test_survey_numbers_have_no_padding_zeros(
    chair_client: Client, plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    """Stored with four decimals, shown as rounded: "7,11", "100,00%", never "7,1100"."""
    from decimal import Decimal

    from parindex.surveys.models import SurveyResult

    unit = plans["T-XA-THANHSON"].unit
    SurveyResult.objects.create(
        period=questionnaire.period,
        unit=unit,
        forms=40,
        valid_forms=40,
        index=Decimal("100"),
        margin_of_error=Decimal("1.5"),
        points=Decimal("7.11"),
        factors=[
            {"code": "TT", "name": "Tiếp cận", "answers": 40, "satisfied": 40, "rate": "100.0000"}
        ],
    )
    period = questionnaire.period
    for url in (
        f"/khao-sat/{period.pk}/ket-qua/",
        f"/khao-sat/{period.pk}/ket-qua/{unit.pk}/",
        f"/khao-sat/{period.pk}/",
    ):
        text = chair_client.get(url).content.decode()
        assert "7,11" in text, url
        for padded in ("7,1100", "100,0000", "1,5000"):
            assert padded not in text, (url, padded)
