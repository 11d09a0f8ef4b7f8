"""Survey services: the default questionnaire, cloning, sample plans, online forms, bulk
import (all or nothing, idempotent) and the computation of points through the engine."""

from __future__ import annotations

import csv
import io
from decimal import Decimal as D

import openpyxl
import pytest
from django.core.exceptions import ValidationError

from parindex.accounts.models import User
from parindex.assessments.models import Assessment
from parindex.audit.models import AuditEvent
from parindex.organizations.models import Unit
from parindex.periods.models import Period, PeriodKind, PeriodStatus
from parindex.periods.services import period_create
from parindex.surveys import scoring
from parindex.surveys.import_template import (
    CHANNEL,
    COMMENT,
    DATE,
    KEY,
    UNIT,
    template_headers,
    template_xlsx,
)
from parindex.surveys.imports import responses_import
from parindex.surveys.models import (
    ImportBatch,
    Questionnaire,
    SamplePlan,
    SurveyComputation,
    SurveyResponse,
    SurveyResult,
)
from parindex.surveys.online import response_submit_online
from parindex.surveys.queueing import import_batch_create, survey_compute_start
from parindex.surveys.scoring import survey_compute
from parindex.surveys.selectors import question_codes
from parindex.surveys.services import (
    questionnaire_clone,
    sample_plan_update,
    tokens_issue,
)

pytestmark = pytest.mark.django_db

QUESTIONS = 13  # 3 + 3 + 3 + 2 + 2 in the default questionnaire


def test_the_default_questionnaire_has_the_five_factors(questionnaire: Questionnaire) -> None:
    factors = list(questionnaire.factors.values_list("name", flat=True))
    assert factors == [
        "Tiếp cận dịch vụ",
        "Thủ tục hành chính",
        "Công chức giải quyết công việc",
        "Kết quả dịch vụ",
        "Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị",
    ]
    assert len(question_codes(questionnaire)) == QUESTIONS
    assert questionnaire.scale_labels[0] == "Rất không hài lòng"
    assert questionnaire.scale_labels[-1] == "Rất hài lòng"
    assert questionnaire.satisfied_at == 4
    assert AuditEvent.objects.filter(action="survey.questionnaire_created").count() == 1


def test_a_period_has_one_questionnaire(questionnaire: Questionnaire, chair: User) -> None:
    from parindex.surveys.services import questionnaire_create_default

    with pytest.raises(ValidationError, match="đã có phiếu khảo sát"):
        questionnaire_create_default(period=questionnaire.period, actor=chair)


def test_clone_copies_factors_questions_and_rules(
    questionnaire: Questionnaire, survey_period: Period, chair: User, province: Unit
) -> None:
    questionnaire.factors.filter(code="TC").update(weight=D(2))
    Questionnaire.objects.filter(pk=questionnaire.pk).update(satisfied_at=5, min_forms=50)
    questionnaire.refresh_from_db()
    next_year = period_create(
        jurisdiction=province,
        year=2026,
        kind=PeriodKind.ANNUAL,
        name="Chỉ số CCHC năm 2026",
        groups={},
        actor=None,
    )
    copy = questionnaire_clone(source=questionnaire, period=next_year, actor=chair)
    assert copy.pk != questionnaire.pk
    assert question_codes(copy) == question_codes(questionnaire)
    assert copy.factors.get(code="TC").weight == D(2)
    assert (copy.satisfied_at, copy.min_forms) == (5, 50)
    assert copy.respondent_questions.count() == questionnaire.respondent_questions.count()


def test_units_without_procedures_are_not_surveyed(plans: dict[str, SamplePlan]) -> None:
    assert plans["T-XA-HOABINH"].surveyed is False
    assert plans["T-XA-HOABINH"].target_forms == 0
    assert plans["T-XA-THANHSON"].surveyed is True
    assert plans["T-XA-THANHSON"].target_forms == 30
    assert len({p.public_key for p in plans.values()}) == 3


def test_plan_update_checks_its_input(plans: dict[str, SamplePlan], chair: User) -> None:
    plan = plans["T-XA-THANHSON"]
    with pytest.raises(ValidationError):
        sample_plan_update(
            plan=plan,
            surveyed=True,
            target_forms=-1,
            channel="interview",
            tokens_required=False,
            actor=chair,
        )
    updated = sample_plan_update(
        plan=plan,
        surveyed=True,
        target_forms=120,
        channel="paper",
        tokens_required=True,
        actor=chair,
    )
    assert (updated.target_forms, updated.channel, updated.tokens_required) == (120, "paper", True)
    assert AuditEvent.objects.filter(action="survey.plan_updated").exists()


# --------------------------------------------------------------------------- online


def _all(value: int, questionnaire: Questionnaire) -> dict[str, str]:
    return {code: str(value) for code in question_codes(questionnaire)}


def test_an_online_form_is_stored(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    response = response_submit_online(
        plan=plans["T-XA-THANHSON"],
        answers={**_all(5, questionnaire), "TC3": ""},
        respondent={"TUOI": "Từ 25 đến 39", "GIOI_TINH": "Nữ"},
        comment="Cán bộ hướng dẫn tận tình.",
    )
    assert response.answers["TC1"] == 5
    assert response.answers["TC3"] is None
    assert response.respondent == {"TUOI": "Từ 25 đến 39", "GIOI_TINH": "Nữ"}
    assert response.source == "online"


def test_a_bad_online_form_is_refused_in_vietnamese(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire
) -> None:
    with pytest.raises(ValidationError) as exc:
        response_submit_online(
            plan=plans["T-XA-THANHSON"],
            answers={**_all(5, questionnaire), "CC2": "9"},
            respondent={"TUOI": "150"},
        )
    assert any("hãy chọn một mức từ 1 đến 5" in m for m in exc.value.messages)
    assert any("Độ tuổi" in m for m in exc.value.messages)
    with pytest.raises(ValidationError, match="ít nhất một câu"):
        response_submit_online(plan=plans["T-XA-THANHSON"], answers={})
    with pytest.raises(ValidationError, match="không khảo sát"):
        response_submit_online(plan=plans["T-XA-HOABINH"], answers=_all(5, questionnaire))
    assert not SurveyResponse.objects.exists()


def test_a_token_is_used_once(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    plan = sample_plan_update(
        plan=plans["T-XA-THANHSON"],
        surveyed=True,
        target_forms=30,
        channel="online",
        tokens_required=True,
        actor=chair,
    )
    [token] = tokens_issue(plan=plan, count=1, actor=chair)
    with pytest.raises(ValidationError, match="Mã phiếu không đúng"):
        response_submit_online(plan=plan, answers=_all(4, questionnaire))
    response_submit_online(plan=plan, answers=_all(4, questionnaire), token=token.token)
    with pytest.raises(ValidationError, match="đã được dùng"):
        response_submit_online(plan=plan, answers=_all(4, questionnaire), token=token.token)
    assert SurveyResponse.objects.count() == 1


# --------------------------------------------------------------------------- import


def _csv(questionnaire: Questionnaire, rows: list[dict[str, str]]) -> bytes:
    headers = template_headers(questionnaire)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=headers)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _row(
    key: str, unit: str, value: int, questionnaire: Questionnaire, **extra: str
) -> dict[str, str]:
    return {KEY: key, UNIT: unit, **_all(value, questionnaire), **extra}


def test_the_template_names_every_column(questionnaire: Questionnaire) -> None:
    headers = template_headers(questionnaire)
    assert headers[:4] == [KEY, UNIT, DATE, CHANNEL]
    assert headers[-1] == COMMENT
    assert "TC1" in headers and "GY2" in headers and "GIOI_TINH" in headers
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(questionnaire)))
    assert book.sheetnames == ["Phiếu", "Hướng dẫn"]
    assert [c.value for c in book["Phiếu"][1]] == headers


def test_a_good_file_is_stored(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    data = _csv(
        questionnaire,
        [
            _row("P-001", "T-XA-THANHSON", 5, questionnaire, **{DATE: "15/10/2025"}),
            _row("P-002", "t-xa-thanhson", 4, questionnaire, **{CHANNEL: "phiếu giấy"}),
            _row("P-003", "T-XA-THANHSON", 2, questionnaire, **{"TUOI": "tu 60 tro len"}),
        ],
    )
    batch = responses_import(
        period=questionnaire.period, name="thang-10.csv", data=data, actor=chair
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert (batch.rows_total, batch.stored, batch.skipped) == (3, 3, 0)
    stored = {r.form_key: r for r in SurveyResponse.objects.all()}
    assert str(stored["P-001"].collected_on) == "2025-10-15"
    assert stored["P-002"].channel == "paper"
    assert stored["P-003"].respondent == {"TUOI": "Từ 60 trở lên"}
    assert AuditEvent.objects.filter(action="survey.imported").count() == 1


def test_a_file_with_errors_is_refused_with_rows_and_columns_and_stores_nothing(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    data = _csv(
        questionnaire,
        [
            _row("P-001", "T-XA-THANHSON", 5, questionnaire),
            _row("P-002", "T-XA-THANHSON", 4, questionnaire, TT2="7"),
            _row("P-003", "T-XA-KHONGCO", 4, questionnaire),
            _row("P-001", "T-XA-THANHSON", 4, questionnaire),
            _row("P-005", "T-XA-HOABINH", 4, questionnaire),
            _row("P-006", "T-XA-THANHSON", 4, questionnaire, **{DATE: "31/02/2025"}),
        ],
    )
    batch = responses_import(period=questionnaire.period, name="loi.csv", data=data, actor=chair)
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [
        "Dòng 3, cột “TT2”: “7” không phải mức 1..5.",
        "Dòng 4, cột “Mã đơn vị”: đơn vị “T-XA-KHONGCO” không thuộc diện khảo sát của "
        "Chỉ số CCHC năm 2025.",
        "Dòng 5, cột “Mã phiếu”: mã phiếu P-001 trùng dòng 2.",
        "Dòng 6, cột “Mã đơn vị”: đơn vị “T-XA-HOABINH” không thuộc diện khảo sát của "
        "Chỉ số CCHC năm 2025.",
        "Dòng 7, cột “Ngày thu phiếu”: “31/02/2025” không phải ngày (dạng 15/10/2025).",
    ]
    assert not SurveyResponse.objects.exists()


def test_a_file_with_a_wrong_header_is_refused(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    data = "Mã phiếu;Mã đơn vị;TC1;Câu lạ\nP-1;T-XA-THANHSON;5;x\n".encode()
    batch = responses_import(period=questionnaire.period, name="sai.csv", data=data, actor=chair)
    assert batch.status == ImportBatch.Status.FAILED
    assert "Dòng 1, cột 4: tiêu đề “Câu lạ” không có trong mẫu nhập" in batch.errors[0]
    assert "Dòng 1: thiếu cột “TC2”." in batch.errors
    with pytest.raises(ValidationError, match="CSV hoặc Excel"):
        responses_import(period=questionnaire.period, name="phieu.pdf", data=b"%PDF", actor=chair)
    assert not SurveyResponse.objects.exists()


def test_reimporting_the_same_batch_does_not_duplicate_it(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    rows = [_row(f"P-{n:03}", "T-XA-THANHSON", 4, questionnaire) for n in range(1, 6)]
    first = responses_import(
        period=questionnaire.period, name="dot-1.csv", data=_csv(questionnaire, rows), actor=chair
    )
    again = responses_import(
        period=questionnaire.period,
        name="dot-1 (2).csv",
        data=_csv(questionnaire, rows),
        actor=chair,
    )
    assert again.pk == first.pk
    assert SurveyResponse.objects.count() == 5
    # An overlapping file: the 5 known forms are skipped, the new one is stored.
    more = rows + [_row("P-006", "T-XA-THANHSON", 5, questionnaire)]
    batch = responses_import(
        period=questionnaire.period, name="dot-2.csv", data=_csv(questionnaire, more), actor=chair
    )
    assert (batch.status, batch.stored, batch.skipped) == (ImportBatch.Status.DONE, 1, 5)
    assert SurveyResponse.objects.count() == 6
    # The same code with other answers is a mistake: the whole file is refused.
    clash = [
        _row("P-001", "T-XA-THANHSON", 1, questionnaire),
        _row("P-007", "T-XA-THANHSON", 5, questionnaire),
    ]
    batch = responses_import(
        period=questionnaire.period, name="dot-3.csv", data=_csv(questionnaire, clash), actor=chair
    )
    assert batch.status == ImportBatch.Status.FAILED
    assert batch.errors == [
        "Dòng 2, cột “Mã phiếu”: mã phiếu P-001 đã được nhập trước đây với nội dung khác."
    ]
    assert SurveyResponse.objects.count() == 6


def test_an_xlsx_made_from_the_template_is_imported(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(questionnaire)))
    sheet = book["Phiếu"]
    headers = template_headers(questionnaire)
    for n in range(1, 4):
        row = _row(f"X-{n}", "T-XA-THANHSON", 3 + n % 3, questionnaire)
        sheet.append(
            [int(row[h]) if h in question_codes(questionnaire) else row.get(h, "") for h in headers]
        )
    out = io.BytesIO()
    book.save(out)
    batch = responses_import(
        period=questionnaire.period, name="phieu-giay.xlsx", data=out.getvalue(), actor=chair
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    assert SurveyResponse.objects.filter(form_key__startswith="X-").count() == 3


def test_a_queued_batch_can_be_seen_before_it_runs(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    data = _csv(questionnaire, [_row("P-1", "T-XA-THANHSON", 5, questionnaire)])
    batch, new = import_batch_create(
        period=questionnaire.period, name="a.csv", data=data, actor=chair
    )
    assert new and batch.status == ImportBatch.Status.QUEUED
    assert not SurveyResponse.objects.exists()


# --------------------------------------------------------------------------- computation


def test_points_of_a_hand_checked_sample(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User, commune: Unit
) -> None:
    """Four valid forms and one invalid at UBND xã Thanh Sơn, satisfied = 4 or 5:

    form A all 5, form B all 4, form C all 3, form D all 2 except the three TC questions 4;
    form E answers 2 of 13 questions (< 50 %): invalid, ignored.

    TC: satisfied answers A 3 + B 3 + C 0 + D 3 = 9 of 12 → 75 %;
    TT, CC, KQ, GY: only A and B satisfied → 50 % each.
    Index = (75 + 50 + 50 + 50 + 50) ÷ 5 = 55 %; points = 55 × 10 ÷ 100 = 5.50.
    Margin of error = 1.96 × √(0.55 × 0.45 ÷ 4) × 100 = 1.96 × 0.24875 × 100 ≈ 48.75 points.
    UBND xã Hòa Bình is not surveyed; the commune of the fixture has no form.
    """
    Questionnaire.objects.filter(pk=questionnaire.pk).update(min_forms=4)
    codes = question_codes(questionnaire)
    tc = [c for c in codes if c.startswith("TC")]
    d_row = {c: ("4" if c in tc else "2") for c in codes}
    e_row = {c: ("5" if c in ("TC1", "TT1") else "") for c in codes}
    rows = [
        {KEY: "A", UNIT: "T-XA-THANHSON", **_all(5, questionnaire)},
        {KEY: "B", UNIT: "T-XA-THANHSON", **_all(4, questionnaire)},
        {KEY: "C", UNIT: "T-XA-THANHSON", **_all(3, questionnaire)},
        {KEY: "D", UNIT: "T-XA-THANHSON", **d_row},
        {KEY: "E", UNIT: "T-XA-THANHSON", **e_row},
    ]
    batch = responses_import(
        period=questionnaire.period, name="mau.csv", data=_csv(questionnaire, rows), actor=chair
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors

    summary = survey_compute(period=questionnaire.period, actor=chair)

    result = SurveyResult.objects.get(unit__code="T-XA-THANHSON")
    assert (result.forms, result.valid_forms) == (5, 4)
    assert [f["rate"] for f in result.factors] == [
        "75.0000",
        "50.0000",
        "50.0000",
        "50.0000",
        "50.0000",
    ]
    assert result.index == D("55.0000")
    assert result.margin_of_error == D("48.7544")
    assert result.points == D("5.50")
    assert result.too_few is False
    empty = SurveyResult.objects.get(unit=commune)
    assert (empty.valid_forms, empty.points, empty.too_few) == (0, None, True)
    assert summary.without_forms == [commune.name]
    by_code = {a.unit.code: a for a in Assessment.objects.select_related("unit")}
    assert by_code["T-XA-THANHSON"].survey_points == D("5.50")
    assert by_code["T-XA-HOABINH"].survey_not_applicable is True
    assert by_code[commune.code].survey_points is None
    assert AuditEvent.objects.filter(action="survey.computed").count() == 1


def test_compute_needs_a_questionnaire_and_plans(survey_period: Period, chair: User) -> None:
    with pytest.raises(ValidationError, match="chưa có phiếu khảo sát"):
        survey_compute(period=survey_period, actor=chair)


def test_the_progress_callback_counts_the_forms_read_up_to_the_total(
    plans: dict[str, SamplePlan],
    questionnaire: Questionnaire,
    chair: User,
    commune: Unit,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Five forms at UBND xã Thanh Sơn and two at the fixture's commune, reported every two
    forms: the total first, then as each unit's counted forms reach the engine (a unit's
    forms at once: 5 or 2, in the database's order), the last 7."""
    rows = [_row(f"T-{n}", "T-XA-THANHSON", 4, questionnaire) for n in range(5)]
    rows += [_row(f"L-{n}", commune.code, 5, questionnaire) for n in range(2)]
    batch = responses_import(
        period=questionnaire.period, name="dot.csv", data=_csv(questionnaire, rows), actor=chair
    )
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    monkeypatch.setattr(scoring, "PROGRESS_EVERY", 2)
    calls: list[tuple[int, int]] = []

    summary = survey_compute(
        period=questionnaire.period,
        actor=chair,
        progress=lambda done, total: calls.append((done, total)),
    )

    assert calls in ([(0, 7), (5, 7), (7, 7)], [(0, 7), (2, 7), (7, 7)])
    assert summary.forms == 7 and summary.surveyed == 2
    assert SurveyResult.objects.get(unit__code="T-XA-THANHSON").points == D("10.00")


def test_a_period_without_forms_reports_zero_of_zero(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    calls: list[tuple[int, int]] = []
    summary = survey_compute(
        period=questionnaire.period,
        actor=chair,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert calls == [(0, 0)]
    assert summary.surveyed == 2 and summary.forms == 0


def test_starting_checks_at_once_what_needs_no_form(
    survey_period: Period, questionnaire: Questionnaire, chair: User
) -> None:
    with pytest.raises(ValidationError, match="chưa có kế hoạch khảo sát"):
        survey_compute_start(period=survey_period, actor=chair)
    Period.objects.filter(pk=survey_period.pk).update(status=PeriodStatus.FINALISED)
    survey_period.refresh_from_db()
    with pytest.raises(ValidationError, match="đã chốt kết quả; không tính lại khảo sát"):
        survey_compute_start(period=survey_period, actor=chair)
    assert not SurveyComputation.objects.exists()
    assert not AuditEvent.objects.filter(action="survey.compute_started").exists()


# --------------------------------------------------------------------------- editing


def _edit(
    questionnaire: Questionnaire, chair: User, outline: str, **changes: object
) -> Questionnaire:
    from parindex.surveys.outline import parse_outline
    from parindex.surveys.services import questionnaire_update

    values: dict[str, object] = {
        "name": questionnaire.name,
        "introduction": questionnaire.introduction,
        "scale_labels": list(questionnaire.scale_labels),
        "satisfied_at": questionnaire.satisfied_at,
        "min_answered_share": questionnaire.min_answered_share,
        "min_forms": questionnaire.min_forms,
        "points_slope": None,
        "points_intercept": D(0),
        "rounding_mode": "half_up",
        "rounding_places": 2,
        **changes,
    }
    return questionnaire_update(
        questionnaire=questionnaire,
        factors=parse_outline(outline),
        actor=chair,
        **values,  # type: ignore[arg-type]
    )


def test_the_outline_round_trips_and_edits_are_checked(
    questionnaire: Questionnaire, chair: User
) -> None:
    from parindex.surveys.outline import parse_outline, questionnaire_outline

    outline = questionnaire_outline(questionnaire)
    assert outline.splitlines()[0] == "# TC | Tiếp cận dịch vụ | 1"
    edited = outline.replace("# TC | Tiếp cận dịch vụ | 1", "# TC | Tiếp cận dịch vụ | 2")
    edited += "\nGY3 | Kết quả xử lý phản ánh được công khai"
    saved = _edit(questionnaire, chair, edited, satisfied_at=5)
    assert saved.factors.get(code="TC").weight == D(2)
    assert "GY3" in question_codes(saved)
    assert saved.satisfied_at == 5
    assert AuditEvent.objects.filter(action="survey.questionnaire_updated").count() == 1

    with pytest.raises(ValidationError) as exc:
        parse_outline(
            "TC1 | câu đứng trước yếu tố\n# X\n# Y | Yếu tố | nhiều\nZ1 không có dấu gạch"
        )
    assert exc.value.messages == [
        "Dòng 1: câu hỏi đứng trước mọi yếu tố (thiếu dòng “# …”).",
        "Dòng 2: yếu tố cần dạng “# mã | tên | trọng số”.",
        "Dòng 3: trọng số “nhiều” không phải số.",
        "Dòng 4: câu hỏi cần dạng “mã | nội dung”.",
    ]
    with pytest.raises(ValidationError) as exc:
        _edit(
            questionnaire,
            chair,
            "# A | Một | 1\nQ1 | Câu\n# B | Hai | 1\nQ1 | Câu trùng",
            satisfied_at=9,
        )
    assert any("Mã câu hỏi Q1 bị trùng" in m for m in exc.value.messages)
    assert any("mức hài lòng" in m.lower() for m in exc.value.messages)


def test_question_codes_are_fixed_once_forms_arrive(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    from parindex.surveys.outline import questionnaire_outline

    response_submit_online(plan=plans["T-XA-THANHSON"], answers=_all(5, questionnaire))
    outline = questionnaire_outline(questionnaire)
    with pytest.raises(ValidationError, match="không thêm, bớt hoặc đổi mã câu hỏi"):
        _edit(questionnaire, chair, outline.replace("TC1 |", "TC9 |"))
    reworded = _edit(questionnaire, chair, outline.replace("Nơi ngồi chờ", "Chỗ ngồi chờ"))
    assert reworded.factors.get(code="TC").questions.get(code="TC1").text.startswith("Chỗ ngồi")


def test_awkward_text_survives_the_import(
    plans: dict[str, SamplePlan], questionnaire: Questionnaire, chair: User
) -> None:
    """Tabs, line breaks, backslashes and quotes in a comment or a form code are stored as
    typed (PostgreSQL's COPY text format escapes them)."""
    comment = 'Dòng một\nDòng hai\tcó tab, \\ gạch chéo và "ngoặc kép"'
    data = _csv(
        questionnaire,
        [_row("P\\01", "T-XA-THANHSON", 5, questionnaire, **{COMMENT: comment, "TUOI": "Dưới 25"})],
    )
    batch = responses_import(period=questionnaire.period, name="la.csv", data=data, actor=chair)
    assert batch.status == ImportBatch.Status.DONE, batch.errors
    stored = SurveyResponse.objects.get()
    assert (stored.form_key, stored.comment) == ("P\\01", comment)
    assert stored.respondent == {"TUOI": "Dưới 25"}
    assert stored.collected_on is None
