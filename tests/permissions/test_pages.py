"""Every page of every app against every persona (see ``conftest.py`` for the world).

Read the outcomes off the chokepoints: :mod:`parindex.assessments.permissions` (another
unit's assessment, items, evidence are 404; a row the user may read but not change is 403),
:mod:`parindex.criteria.permissions` (read: signed in; import/clone: staff),
:mod:`parindex.results.permissions` (the live results pages are the staff's preview, else
404), :mod:`parindex.results.published` (the public pages show published versions only, to
everyone; anything else is 404) and the views' own checks (the chair's dashboard, the trust
store).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from parindex.accounts.models import User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus, SelfAssessmentReport
from parindex.assessments.services.appraisal import explanation_respond
from parindex.assessments.services.explanation import explanation_send
from parindex.audit.models import AuditEvent
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.evidence.models import Evidence, EvidenceLink, TrustAnchor
from parindex.notices.models import Notice, NoticeKind
from parindex.notices.services import notices_create
from parindex.periods.models import DeadlineExtension, Period, PeriodStatus
from parindex.results.services import Decision, results_compute, results_publish

from .conftest import (
    PERSONAS,
    Case,
    World,
    a_submitted,
    answer_version,
    assign_b_last_year,
    body_text,
    check,
    check_effect,
    expect,
    matrix,
    send,
    tiny_pdf,
    to_appraisal_1,
    to_explanation,
)
from .decision_cases import DECISION_PUBLIC

pytestmark = pytest.mark.django_db


def _url(name: str, *args: Any) -> Any:
    """``reverse(name, args)`` where each arg is a function of the world (or a constant)."""
    return lambda w: reverse(name, args=[a(w) if callable(a) else a for a in args])


def _answer(assessment_id: int, code: str) -> Any:
    answer = Answer.objects.filter(assessment_id=assessment_id, node__code=code).first()
    return None if answer is None else answer.self_value


def _status(assessment_id: int) -> str:
    return Assessment.objects.get(pk=assessment_id).status


def _a(w: World) -> int:
    return w.a


def _b(w: World) -> int:
    return w.b


def _extension(w: World) -> dict[str, Any]:
    until = timezone.localtime() + datetime.timedelta(days=14)
    return {
        "unit": w.unit_a,
        "stage": "self_assessment",
        "until": until.strftime("%d/%m/%Y %H:%M"),
        "reason": "Mất điện kéo dài ở trụ sở xã.",
    }


def _explanation_sent(assessment_id: int) -> bool:
    return Assessment.objects.get(pk=assessment_id).explanation_sent_at is not None


def explanation_sent(world: World) -> None:
    """In the explanation round, unit A's leader answered item 1.1 and sent it."""
    to_explanation(world)
    leader = world.user("unit_leader")
    answer = Answer.objects.get(pk=world.answers_a["1.1"])
    explanation_respond(
        answer=answer, actor=leader, version=answer.version, response="Đã bổ sung quyết định."
    )
    explanation_send(assessment=Assessment.objects.get(pk=world.a), actor=leader)


def field_2_may_not_apply(world: World) -> None:
    """Field 2 of the set allows "không áp dụng" for the whole group."""
    CriterionNode.objects.filter(pk=world.nodes["2"]).update(allow_not_applicable=True)


def _group_na(w: World) -> dict[str, Any]:
    return {
        "version": "0",
        "not_applicable": "on",
        "na_justification": "Xã không có bộ phận một cửa riêng trong năm 2025.",
    }


def _group_na_asked(assessment_id: int) -> bool:
    return Answer.objects.filter(
        assessment_id=assessment_id, node__code="2", self_not_applicable=True
    ).exists()


ACCOUNTS = [
    Case("accounts:login", "GET", _url("accounts:login"), expect("302", anonymous="200")),
    Case("accounts:logout", "GET", _url("accounts:logout"), expect("405", anonymous="405")),
    Case("accounts:logout", "POST", _url("accounts:logout"), expect("302", anonymous="302")),
    Case("accounts:two_factor", "GET", _url("accounts:two_factor"), expect("200")),
    # Turning the second factor off needs a current code or the password: refused without.
    Case(
        "accounts:two_factor",
        "POST",
        _url("accounts:two_factor"),
        expect("400"),
        data=lambda w: {"action": "disable"},
    ),
    Case("accounts:password_change", "GET", _url("accounts:password_change"), expect("200")),
    Case(
        "accounts:password_change_done",
        "GET",
        _url("accounts:password_change_done"),
        expect("200"),
    ),
    Case(
        "accounts:password_reset",
        "GET",
        _url("accounts:password_reset"),
        expect("200", anonymous="200"),
    ),
    Case(
        "accounts:password_reset_done",
        "GET",
        _url("accounts:password_reset_done"),
        expect("200", anonymous="200"),
    ),
    # A made-up link: the "invalid link" page, for anyone.
    Case(
        "accounts:password_reset_confirm",
        "GET",
        _url("accounts:password_reset_confirm", "MQ", "bogus-token"),
        expect("200", anonymous="200"),
    ),
    Case(
        "accounts:password_reset_complete",
        "GET",
        _url("accounts:password_reset_complete"),
        expect("200", anonymous="200"),
    ),
]

CRITERIA = [
    Case("criteria:list", "GET", _url("criteria:list"), expect("200")),
    Case("criteria:template", "GET", _url("criteria:template"), expect("200")),
    Case(
        "criteria:detail",
        "GET",
        _url("criteria:detail", lambda w: w.criteria_set),
        expect("200", province_nb="404"),
    ),
    # Ninh Bình's own set: not Hà Nam's to read; the set it shares: everyone's to read.
    Case(
        "criteria:detail",
        "GET",
        _url("criteria:detail", lambda w: w.nb_set),
        expect("404", province_nb="200", superuser="200"),
        label="NB",
    ),
    Case(
        "criteria:detail",
        "GET",
        _url("criteria:detail", lambda w: w.nb_shared_set),
        expect("200"),
        label="NB-shared",
    ),
    Case(
        "criteria:detail",
        "GET",
        _url("criteria:detail", 999_999),
        expect("404"),
        label="unknown",
    ),
    Case(
        "criteria:export_xlsx",
        "GET",
        _url("criteria:export_xlsx", lambda w: w.criteria_set),
        expect("200", province_nb="404"),
    ),
    Case(
        "criteria:export_json",
        "GET",
        _url("criteria:export_json", lambda w: w.criteria_set),
        expect("200", province_nb="404"),
    ),
    Case("criteria:import", "GET", _url("criteria:import"), expect("403", all_staff="200")),
    Case(
        "criteria:import",
        "POST",
        _url("criteria:import"),
        expect("403", all_staff="400"),  # staff: the empty form is refused (400), not forbidden
        data=lambda w: {},
    ),
    # Sao chép: GET is the confirmation page (what the copy will make), nothing written.
    Case(
        "criteria:clone",
        "GET",
        lambda w: reverse("criteria:clone", args=[w.criteria_set]) + "?year=2030",
        expect("403", staff="200", other_manager="404"),
        effect=lambda w: CriteriaSet.objects.filter(year=2030).exists(),
        effect_for="",
    ),
    Case(
        "criteria:clone",
        "GET",
        lambda w: reverse("criteria:clone", args=[w.nb_shared_set]),
        expect("403", all_staff="200"),
        label="NB-shared",
    ),
    Case(
        "criteria:clone",
        "POST",
        _url("criteria:clone", lambda w: w.criteria_set),
        expect("403", staff="302", other_manager="404"),
        data=lambda w: {"year": "2030"},
        effect=lambda w: CriteriaSet.objects.filter(year=2030).exists(),
        effect_for="staff",
    ),
    # A shared set is adopted by any province's manager (into their own province).
    Case(
        "criteria:clone",
        "POST",
        _url("criteria:clone", lambda w: w.nb_shared_set),
        expect("403", all_staff="302"),
        data=lambda w: {"year": "2030"},
        label="NB-shared",
        effect=lambda w: CriteriaSet.objects.filter(year=2030).exists(),
        effect_for="all_staff",
    ),
    Case(
        "criteria:share",
        "POST",
        _url("criteria:share", lambda w: w.criteria_set),
        expect("403", staff="302", province_nb="404"),
        data=lambda w: {"shared": "1"},
        effect=lambda w: CriteriaSet.objects.get(pk=w.criteria_set).is_shared,
        effect_for="staff",
    ),
    Case(
        "criteria:share",
        "POST",
        _url("criteria:share", lambda w: w.nb_shared_set),
        expect("403", other_manager="302", superuser="302"),
        data=lambda w: {"shared": "0"},
        label="NB-shared",
        effect=lambda w: not CriteriaSet.objects.get(pk=w.nb_shared_set).is_shared,
        effect_for="manages_nb",
    ),
    # Archiving a set created by mistake: its province's managers, after a confirmation page.
    Case(
        "criteria:archive",
        "GET",
        _url("criteria:archive", lambda w: w.criteria_set),
        expect("403", staff="200", province_nb="404"),
    ),
    Case(
        "criteria:archive",
        "POST",
        _url("criteria:archive", lambda w: w.criteria_set),
        expect("403", staff="302", province_nb="404"),
        data=lambda w: {},
        # The set is in use by the world's periods: refused (302 with a message) for everyone.
        effect=lambda w: CriteriaSet.objects.get(pk=w.criteria_set).archived_at is not None,
        effect_for="",
    ),
]

ASSESSMENTS = [
    Case("assessments:list", "GET", _url("assessments:list"), expect("200")),
    Case(
        "assessments:detail",
        "GET",
        _url("assessments:detail", _a),
        expect(reads_a="200"),
        label="A",
        owner="A",
    ),
    Case(
        "assessments:detail",
        "GET",
        _url("assessments:detail", _b),
        expect(reads_b="200"),
        label="B",
        owner="B",
    ),
    # Last year's assessment: the appraiser was assigned in 2025 only.
    Case(
        "assessments:detail",
        "GET",
        _url("assessments:detail", lambda w: w.old_a),
        expect(unit_a="200", oversight="200"),
        label="A-2024",
        owner="A",
    ),
    Case(
        "assessments:summary",
        "GET",
        _url("assessments:summary", _a),
        expect(reads_a="200", appraiser="404"),  # the appraiser was given field 1 only
        owner="A",
    ),
    Case(
        "assessments:history_csv",
        "GET",
        _url("assessments:history_csv", _a),
        expect(reads_a="200", appraiser="404"),
        owner="A",
    ),
    Case(
        "assessments:item",
        "GET",
        _url("assessments:item", _a, lambda w: w.nodes["1.1"]),
        expect(reads_a="200"),
        label="A-1.1",
        owner="A",
    ),
    # Field 2 is not the appraiser's: its items, history and files do not exist for them.
    Case(
        "assessments:item",
        "GET",
        _url("assessments:item", _a, lambda w: w.nodes["2.2"]),
        expect(reads_a="200", appraiser="404"),
        label="A-2.2",
        owner="A",
    ),
    Case(
        "assessments:item",
        "GET",
        _url("assessments:item", _b, lambda w: w.nodes["1.1"]),
        expect(reads_b="200"),
        label="B-1.1",
        owner="B",
    ),
    Case(
        "assessments:item_save",
        "POST",
        _url("assessments:item_save", _a, lambda w: w.nodes["1.2"]),
        expect(unit_a="302", oversees_a="403"),
        data=lambda w: {"version": "0", "value": "80"},
        owner="A",
        effect=lambda w: _answer(w.a, "1.2") == "80",
        effect_for="unit_a",
    ),
    Case(
        "assessments:item_save",
        "POST",
        _url("assessments:item_save", _b, lambda w: w.nodes["1.2"]),
        expect(unit_b="302", oversight="403"),
        data=lambda w: {"version": "0", "value": "80"},
        label="B",
        owner="B",
        effect=lambda w: _answer(w.b, "1.2") == "80",
        effect_for="unit_b",
    ),
    Case(
        "assessments:item_preview",
        "POST",
        _url("assessments:item_preview", _a, lambda w: w.nodes["1.2"]),
        expect(reads_a="200"),
        data=lambda w: {"value": "80"},
        owner="A",
    ),
    # Unit staff may post, and get the service's refusal ("only the leader") as a message.
    Case(
        "assessments:submit",
        "POST",
        _url("assessments:submit", _a),
        expect(unit_a="302", oversees_a="403"),
        owner="A",
        effect=lambda w: _status(w.a) == AssessmentStatus.SUBMITTED,
        effect_for="unit_leader",
    ),
    Case(
        "assessments:withdraw",
        "POST",
        _url("assessments:withdraw", _a),
        expect(unit_a="302", oversees_a="403"),
        setup=a_submitted,
        owner="A",
        effect=lambda w: _status(w.a) == AssessmentStatus.IN_PROGRESS,
        effect_for="unit_leader",
    ),
    Case(
        "assessments:item_history",
        "GET",
        _url("assessments:item_history", _a, lambda w: w.answers_a["1.1"]),
        expect(reads_a="200"),
        owner="A",
    ),
    Case(
        "assessments:item_history",
        "GET",
        _url("assessments:item_history", _b, lambda w: w.answers_b["1.1"]),
        expect(reads_b="200"),
        label="B",
        owner="B",
    ),
    Case(
        "assessments:item_history",
        "GET",
        _url("assessments:item_history", _a, lambda w: w.answers_a["2.2"]),
        expect(reads_a="200", appraiser="404"),
        label="A-2.2",
        owner="A",
    ),
    # Ninh Bình's unit: Hà Nam's chair, observer and staff do not see it.
    Case(
        "assessments:detail",
        "GET",
        _url("assessments:detail", lambda w: w.c),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
    Case(
        "assessments:summary",
        "GET",
        _url("assessments:summary", lambda w: w.c),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
]

ASSESSMENTS += [
    # Kết quả thẩm định (the unit's view of its appraisal): every item at once, so not for
    # an appraiser given field 1 only; before appraisal the page says so, the sheet is 404.
    Case(
        "assessments:appraisal",
        "GET",
        _url("assessments:appraisal", _a),
        expect(reads_a="200", appraiser="404"),
        label="A",
        setup=to_appraisal_1,
        owner="A",
    ),
    Case(
        "assessments:appraisal",
        "GET",
        _url("assessments:appraisal", _b),
        expect(reads_b="200"),
        label="B-self-assessment",
        owner="B",
    ),
    Case(
        "assessments:appraisal",
        "GET",
        _url("assessments:appraisal", lambda w: w.c),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
    Case(
        "assessments:appraisal_xlsx",
        "GET",
        _url("assessments:appraisal_xlsx", _a),
        expect(reads_a="200", appraiser="404"),
        label="A",
        setup=to_appraisal_1,
        owner="A",
    ),
    Case(
        "assessments:appraisal_xlsx",
        "GET",
        _url("assessments:appraisal_xlsx", _a),
        expect("404"),
        label="A-self-assessment",
        owner="A",
    ),
    # Giải trình from the unit's own pages: readers of A read it (the appraiser: their own
    # items); only unit A answers, and only its leader sends or takes it back.
    Case(
        "assessments:explanation",
        "GET",
        _url("assessments:explanation", _a),
        expect(reads_a="200"),
        label="A",
        setup=to_explanation,
        owner="A",
    ),
    Case(
        "assessments:explanation",
        "GET",
        _url("assessments:explanation", _b),
        expect(reads_b="200"),
        label="B",
        setup=to_explanation,
        owner="B",
    ),
    Case(
        "assessments:explanation",
        "GET",
        _url("assessments:explanation", lambda w: w.c),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
    Case(
        "assessments:explanation",
        "POST",
        _url("assessments:explanation", _a),
        expect(unit_a="302", oversees_a="403"),
        data=lambda w: {
            "answer": w.answers_a["1.1"],
            "version": answer_version(w.answers_a["1.1"]),
            "response": "Kế hoạch ban hành ngày 28/12, kèm quyết định.",
        },
        setup=to_explanation,
        label="A",
        owner="A",
        effect=lambda w: bool(Answer.objects.get(pk=w.answers_a["1.1"]).unit_response),
        effect_for="unit_a",
    ),
    Case(
        "assessments:explanation_send",
        "POST",
        _url("assessments:explanation_send", _a),
        expect(unit_a="302", oversees_a="403"),
        setup=to_explanation,
        owner="A",
        effect=lambda w: _explanation_sent(w.a),
        effect_for="unit_leader",
    ),
    Case(
        "assessments:explanation_withdraw",
        "POST",
        _url("assessments:explanation_withdraw", _a),
        expect(unit_a="302", oversees_a="403"),
        setup=explanation_sent,
        owner="A",
        effect=lambda w: not _explanation_sent(w.a),
        effect_for="unit_leader",
    ),
    Case(
        "assessments:explanation_send",
        "POST",
        _url("assessments:explanation_send", _b),
        expect(unit_b="302", oversight="403"),
        setup=to_explanation,
        label="B",
        owner="B",
        # B was not asked to explain anything: its leader is refused (a message), too.
        effect=lambda w: _explanation_sent(w.b),
        effect_for="",
    ),
    # Đề nghị không áp dụng a whole field (field 2 of the set allows it, for this case).
    Case(
        "assessments:group_not_applicable",
        "POST",
        _url("assessments:group_not_applicable", _a, lambda w: w.nodes["2"]),
        expect(unit_a="302", oversees_a="403"),
        data=_group_na,
        setup=field_2_may_not_apply,
        owner="A",
        effect=lambda w: _group_na_asked(w.a),
        effect_for="unit_a",
    ),
    Case(
        "assessments:group_not_applicable",
        "POST",
        _url("assessments:group_not_applicable", _b, lambda w: w.nodes["2"]),
        expect(unit_b="302", oversight="403"),
        data=_group_na,
        setup=field_2_may_not_apply,
        label="B",
        owner="B",
        effect=lambda w: _group_na_asked(w.b),
        effect_for="unit_b",
    ),
]

REPORT_PROPOSAL = "Tiêu chí 1.2: thêm mức hoàn thành từ 70% đến dưới 100% kế hoạch."


def _report_saved(assessment_id: int) -> bool:
    return SelfAssessmentReport.objects.filter(
        assessment_id=assessment_id, proposals=REPORT_PROPOSAL
    ).exists()


ASSESSMENTS += [
    # Báo cáo tự đánh giá: the whole report, so not for an appraiser given field 1 only; the
    # unit writes it while its self-assessment is open, the others read it (403 on a post).
    Case(
        "assessments:report",
        "GET",
        _url("assessments:report", _a),
        expect(reads_a="200", appraiser="404"),
        label="A",
        owner="A",
    ),
    Case(
        "assessments:report",
        "GET",
        _url("assessments:report", _b),
        expect(reads_b="200"),
        label="B",
        owner="B",
    ),
    Case(
        "assessments:report",
        "GET",
        _url("assessments:report", lambda w: w.c),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
    Case(
        "assessments:report",
        "POST",
        _url("assessments:report", _a),
        expect(unit_a="302", oversees_a="403"),
        data=lambda w: {"proposals": REPORT_PROPOSAL},
        label="A",
        owner="A",
        effect=lambda w: _report_saved(w.a),
        effect_for="unit_a",
    ),
    Case(
        "assessments:report",
        "POST",
        _url("assessments:report", _b),
        expect(unit_b="302", oversight="403"),
        data=lambda w: {"proposals": REPORT_PROPOSAL},
        label="B",
        owner="B",
        effect=lambda w: _report_saved(w.b),
        effect_for="unit_b",
    ),
]

APPRAISAL = [
    Case("appraisal:home", "GET", _url("appraisal:home"), expect("200")),
    Case(
        "appraisal:queue",
        "GET",
        _url("appraisal:queue", lambda w: w.period),
        expect(appraises_a="200"),
    ),
    Case(
        "appraisal:accept_self",
        "POST",
        _url("appraisal:accept_self", lambda w: w.period),
        expect(appraises_a="302"),
        data=lambda w: {"muc": [str(w.answers_a["1.1"])]},
        setup=to_appraisal_1,
        effect=lambda w: Answer.objects.get(pk=w.answers_a["1.1"]).appraisal_round == 1,
        effect_for="appraises_a",
    ),
    # The chair's dashboard: 404 outside the period, 403 for its units and appraisers.
    Case(
        "season:dashboard",
        "GET",
        _url("season:dashboard", lambda w: w.period),
        expect(in_period="403", oversight="200"),
    ),
    Case(
        "season:dashboard",
        "GET",
        _url("season:dashboard", lambda w: w.old_period),
        expect(unit_a="403", unit_b="403", oversight="200"),
        label="2024",
    ),
    Case(
        "season:dashboard",
        "GET",
        _url("season:dashboard", lambda w: w.far_period),
        expect(far_staff="403", runs_nb="200"),
        label="NB",
    ),
    Case(
        "season:advance",
        "POST",
        _url("season:advance", lambda w: w.period),
        expect(in_period="403", observer="403", runs_period="302"),
        data=lambda w: {"step": "start_appraisal"},
        effect=lambda w: Period.objects.get(pk=w.period).status == PeriodStatus.APPRAISAL_1,
        effect_for="runs_period",
    ),
    Case(
        "season:extend",
        "POST",
        _url("season:extend", lambda w: w.period),
        expect(in_period="403", observer="403", runs_period="302"),
        data=_extension,
        effect=lambda w: DeadlineExtension.objects.filter(period_id=w.period).exists(),
        effect_for="runs_period",
    ),
    # Chuyển bước: GET is the step's confirmation page (what it does, to whom).
    Case(
        "season:advance",
        "GET",
        _url("season:advance", lambda w: w.period),
        expect(in_period="403", observer="403", runs_period="200"),
    ),
    Case(
        "season:advance",
        "GET",
        _url("season:advance", lambda w: w.far_period),
        expect(far_staff="403", runs_nb="200"),
        label="NB",
    ),
    # 2024 is finalised: no step left, back to the dashboard with a message.
    Case(
        "season:advance",
        "GET",
        _url("season:advance", lambda w: w.old_period),
        expect(unit_a="403", unit_b="403", observer="403", runs_period="302"),
        label="2024",
    ),
    # Nhắc các đơn vị chưa gửi: a notice to the people of A and B (neither has sent).
    Case(
        "season:remind",
        "POST",
        _url("season:remind", lambda w: w.period),
        expect(in_period="403", observer="403", runs_period="302"),
        effect=lambda w: Notice.objects.filter(
            recipient_id=w.users["unit_staff"], kind=NoticeKind.REMINDER
        ).exists(),
        effect_for="runs_period",
    ),
    Case(
        "season:remind",
        "POST",
        _url("season:remind", lambda w: w.far_period),
        expect(far_staff="403", runs_nb="302"),
        label="NB",
        effect=lambda w: Notice.objects.filter(
            recipient_id=w.users["far_staff"], kind=NoticeKind.REMINDER
        ).exists(),
        effect_for="runs_nb",
    ),
    Case(
        "appraisal:item",
        "GET",
        _url("appraisal:item", lambda w: w.answers_a["1.1"]),
        expect(appraises_a="200"),
        label="A-1.1",
        owner="A",
    ),
    # Field 2 of unit A: not the appraiser's (assigned field "1" only).
    Case(
        "appraisal:item",
        "GET",
        _url("appraisal:item", lambda w: w.answers_a["2.2"]),
        expect(runs_period="200"),
        label="A-2.2",
        owner="A",
    ),
    Case(
        "appraisal:item",
        "GET",
        _url("appraisal:item", lambda w: w.answers_b["1.1"]),
        expect(runs_period="200"),
        label="B-1.1",
        owner="B",
    ),
    Case(
        "appraisal:item",
        "POST",
        _url("appraisal:item", lambda w: w.answers_a["1.1"]),
        expect(appraises_a="302"),
        data=lambda w: {
            "version": answer_version(w.answers_a["1.1"]),
            "value": "true",
            "comment": "Đã kiểm tra kế hoạch.",
        },
        setup=to_appraisal_1,
        label="A-1.1",
        owner="A",
        effect=lambda w: Answer.objects.get(pk=w.answers_a["1.1"]).appraisal_round == 1,
        effect_for="appraises_a",
    ),
    Case(
        "appraisal:preview",
        "GET",
        lambda w: reverse("appraisal:preview", args=[w.answers_a["1.1"]]) + "?value=true",
        expect(appraises_a="200"),
        owner="A",
    ),
    # The unit explains from its own pages (assessments:explanation): the old address sends
    # it there; the council and the appraiser still read here; another unit: 404.
    Case(
        "appraisal:explanation",
        "GET",
        _url("appraisal:explanation", _a),
        expect(reads_a="200", unit_a="302"),
        label="A",
        owner="A",
    ),
    Case(
        "appraisal:explanation",
        "GET",
        _url("appraisal:explanation", _b),
        expect(reads_b="200", unit_b="302"),
        label="B",
        owner="B",
    ),
    # In the explanation round: unit A answers; readers of A may not (403).
    Case(
        "appraisal:explanation",
        "POST",
        _url("appraisal:explanation", _a),
        expect(unit_a="302", oversees_a="403"),
        data=lambda w: {
            "answer": w.answers_a["1.1"],
            "version": answer_version(w.answers_a["1.1"]),
            "response": "Kế hoạch ban hành ngày 28/12, kèm quyết định.",
        },
        setup=to_explanation,
        label="A",
        owner="A",
        effect=lambda w: bool(Answer.objects.get(pk=w.answers_a["1.1"]).unit_response),
        effect_for="unit_a",
    ),
]

APPRAISAL += [
    # Kiến nghị, đề xuất of every unit: the period's council (chair, observer), each their own.
    Case(
        "appraisal:proposals",
        "GET",
        _url("appraisal:proposals", lambda w: w.period),
        expect(oversight="200"),
    ),
    Case(
        "appraisal:proposals",
        "GET",
        _url("appraisal:proposals", lambda w: w.far_period),
        expect(runs_nb="200"),
        label="NB",
    ),
    Case(
        "appraisal:proposals_xlsx",
        "GET",
        _url("appraisal:proposals_xlsx", lambda w: w.period),
        expect(oversight="200"),
    ),
]

EVIDENCE = [
    Case(
        "evidence:item",
        "GET",
        _url("evidence:item", lambda w: w.answers_a["1.1"]),
        expect(reads_a="200"),
        label="A",
        owner="A",
    ),
    Case(
        "evidence:item",
        "GET",
        _url("evidence:item", lambda w: w.answers_b["1.1"]),
        expect(reads_b="200"),
        label="B",
        owner="B",
    ),
    Case(
        "evidence:item",
        "GET",
        _url("evidence:item", lambda w: w.answers_a["2.2"]),
        expect(reads_a="200", appraiser="404"),
        label="A-2.2",
        owner="A",
    ),
    Case(
        "evidence:item",
        "GET",
        _url("evidence:item", lambda w: w.answers_c["1.1"]),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
    Case(
        "evidence:upload",
        "POST",
        _url("evidence:upload", lambda w: w.answers_a["1.1"]),
        expect(unit_a="302", oversees_a="403"),
        data=lambda w: {"files": tiny_pdf("Quyết định bổ sung.pdf", b"%upload")},
        owner="A",
        effect=lambda w: Evidence.objects.filter(unit_id=w.unit_a).count() == 3,
        effect_for="unit_a",
    ),
    Case(
        "evidence:attach",
        "POST",
        _url("evidence:attach", lambda w: w.answers_a["2.2"]),
        expect(unit_a="302", oversees_a="403", appraiser="404"),  # field 2: not theirs
        data=lambda w: {"evidence": w.evidence_a},
        owner="A",
        effect=lambda w: EvidenceLink.objects.filter(
            answer_id=w.answers_a["2.2"], evidence_id=w.evidence_a
        ).exists(),
        effect_for="unit_a",
    ),
    Case(
        "evidence:cite",
        "POST",
        _url("evidence:cite", lambda w: w.answers_a["2.2"]),
        expect(unit_a="302", oversees_a="403", appraiser="404"),  # field 2: not theirs
        data=lambda w: {
            "number": "20/BC-UBND",
            "date": "10/02/2025",
            "issuer": "UBND xã Liêm Tuyền",
            "title": "Báo cáo kết quả giải quyết thủ tục hành chính",
        },
        owner="A",
        effect=lambda w: EvidenceLink.objects.filter(
            answer_id=w.answers_a["2.2"], document_number="20/BC-UBND"
        ).exists(),
        effect_for="unit_a",
    ),
    Case(
        "evidence:detach",
        "POST",
        _url("evidence:detach", lambda w: w.citation_a),
        expect(unit_a="302", oversees_a="403"),
        owner="A",
        effect=lambda w: not EvidenceLink.objects.filter(pk=w.citation_a).exists(),
        effect_for="unit_a",
    ),
    Case(
        "evidence:download",
        "GET",
        _url("evidence:download", lambda w: w.evidence_a),
        expect(reads_a="200"),
        label="A",
        owner="A",
    ),
    Case(
        "evidence:download",
        "GET",
        _url("evidence:download", lambda w: w.evidence_b),
        expect(reads_b="200"),
        label="B",
        owner="B",
    ),
    # A's file attached only to item 2.2: not the appraiser's (field 1).
    Case(
        "evidence:download",
        "GET",
        _url("evidence:download", lambda w: w.evidence_a_22),
        expect(reads_a="200", appraiser="404"),
        label="A-2.2",
        owner="A",
    ),
    Case(
        "evidence:download",
        "GET",
        _url("evidence:download", lambda w: w.evidence_c),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
    # Xem (a PDF shown inline): the download's permission check, file for file.
    Case(
        "evidence:preview",
        "GET",
        _url("evidence:preview", lambda w: w.evidence_a),
        expect(reads_a="200"),
        label="A",
        owner="A",
    ),
    Case(
        "evidence:preview",
        "GET",
        _url("evidence:preview", lambda w: w.evidence_b),
        expect(reads_b="200"),
        label="B",
        owner="B",
    ),
    Case(
        "evidence:preview",
        "GET",
        _url("evidence:preview", lambda w: w.evidence_a_22),
        expect(reads_a="200", appraiser="404"),
        label="A-2.2",
        owner="A",
    ),
    Case(
        "evidence:preview",
        "GET",
        _url("evidence:preview", lambda w: w.evidence_c),
        expect(reads_c="200"),
        label="C",
        owner="C",
    ),
    Case("evidence:trust_store", "GET", _url("evidence:trust_store"), expect("403", chairs="200")),
    Case(
        "evidence:trust_store",
        "POST",
        _url("evidence:trust_store"),
        expect("403", chairs="400"),  # chairs: the empty form is refused (400)
        data=lambda w: {"name": "Không có tệp"},
    ),
    # The installation-wide anchors are the system administrator's; each chair switches
    # their own jurisdiction's, and another province's do not exist for them.
    Case(
        "evidence:trust_anchor_toggle",
        "POST",
        _url("evidence:trust_anchor_toggle", lambda w: w.trust_anchor),
        expect("403", chairs="404", superuser="302"),
        data=lambda w: {"active": "0"},
        label="national",
        effect=lambda w: not TrustAnchor.objects.get(pk=w.trust_anchor).is_active,
        effect_for="superuser",
    ),
    Case(
        "evidence:trust_anchor_toggle",
        "POST",
        _url("evidence:trust_anchor_toggle", lambda w: w.anchor_hn),
        expect("403", chairs="404", runs_period="302"),
        data=lambda w: {"active": "0"},
        label="HN",
        effect=lambda w: not TrustAnchor.objects.get(pk=w.anchor_hn).is_active,
        effect_for="runs_period",
    ),
    Case(
        "evidence:trust_anchor_toggle",
        "POST",
        _url("evidence:trust_anchor_toggle", lambda w: w.anchor_nb),
        expect("403", chairs="404", runs_nb="302"),
        data=lambda w: {"active": "0"},
        label="NB",
        effect=lambda w: not TrustAnchor.objects.get(pk=w.anchor_nb).is_active,
        effect_for="runs_nb",
    ),
    # Ninh Bình's chair may press the button, but it rechecks only Ninh Bình's periods.
    Case(
        "evidence:recheck",
        "POST",
        _url("evidence:recheck"),
        expect("403", chairs="302"),
        effect=lambda w: AuditEvent.objects.filter(
            action="evidence.recheck_requested", target_id=str(w.period)
        ).exists(),
        effect_for="runs_period",
    ),
]


def a_notice(world: World) -> None:
    """Unit A's staff were told something (unread), with a link into the site."""
    notices_create(
        recipients=[world.user("unit_staff")],
        kind=NoticeKind.DEADLINE_NEAR,
        text="Còn 3 ngày đến hạn tự đánh giá.",
        link=reverse("assessments:detail", args=[world.a]),
    )


def _notice(w: World) -> Notice:
    return Notice.objects.get(recipient_id=w.users["unit_staff"])


# Each person's own notices and to-do list: any signed-in user, their own only.
NOTICES = [
    Case("todo", "GET", _url("todo"), expect("200")),
    Case("notices:list", "GET", _url("notices:list"), expect("200"), setup=a_notice),
    Case(
        "notices:open",
        "POST",
        _url("notices:open", lambda w: _notice(w).pk),
        expect(unit_staff="302"),  # to the notice's link
        setup=a_notice,
        effect=lambda w: _notice(w).read_at is not None,
        effect_for="unit_staff",
    ),
    Case(
        "notices:open",
        "GET",
        _url("notices:open", lambda w: _notice(w).pk),
        expect("405"),
        setup=a_notice,
    ),
    Case(
        "notices:read_all",
        "POST",
        _url("notices:read_all"),
        expect("302"),
        setup=a_notice,
        effect=lambda w: _notice(w).read_at is not None,
        effect_for="unit_staff",
    ),
]


def publish_2024(world: World) -> None:
    """The 2024 results computed and published (a decision of the province)."""
    period = Period.objects.get(pk=world.old_period)
    results_publish(
        version=results_compute(period=period, actor=None),
        decision=Decision("386/QĐ-UBND", datetime.date(2025, 2, 20), "Trần Văn Hùng"),
        actor=None,
    )


def draft_2024(world: World) -> None:
    """The 2024 results computed, not published: a draft the public never sees."""
    results_compute(period=Period.objects.get(pk=world.old_period), actor=None)


# The live pages (/ky-danh-gia/…) are the staff's internal preview; the public reads the
# published versions (/cong-bo/…), whoever they are, and nothing else.
RESULTS = [
    Case("results:home", "GET", _url("results:home"), expect("200", anonymous="200")),
    Case(
        "results:period",
        "GET",
        _url("results:period", lambda w: w.old_period),
        expect("404", anonymous="404", staff="302"),  # to its first group's ranking
        label="2024",
        setup=publish_2024,
    ),
    Case(
        "results:period_group",
        "GET",
        _url("results:period_group", lambda w: w.old_period, lambda w: w.group_code),
        expect("404", anonymous="404", staff="200"),
        label="2024",
        setup=publish_2024,
    ),
    Case(
        "results:unit_detail",
        "GET",
        _url(
            "results:unit_detail",
            lambda w: w.old_period,
            lambda w: w.group_code,
            lambda w: w.unit_a_code,
        ),
        expect("404", anonymous="404", staff="200"),
        label="2024-A",
        owner="A",
        setup=publish_2024,
    ),
    Case(
        "results:period_export",
        "GET",
        _url("results:period_export", lambda w: w.old_period, lambda w: w.group_code),
        expect("404", anonymous="404", staff="200"),
        label="2024",
    ),
    # Ninh Bình's running period: its own staff preview it, Hà Nam's staff do not.
    Case(
        "results:period_group",
        "GET",
        _url("results:period_group", lambda w: w.far_period, lambda w: w.group_code),
        expect("404", anonymous="404", other_manager="200", superuser="200"),
        label="NB-2025",
    ),
    Case(
        "results:unit_detail",
        "GET",
        _url(
            "results:unit_detail",
            lambda w: w.far_period,
            lambda w: w.group_code,
            lambda w: w.unit_c_code,
        ),
        expect("404", anonymous="404", other_manager="200", superuser="200"),
        label="NB-2025-C",
        owner="C",
    ),
    Case(
        "results:period_export",
        "GET",
        _url("results:period_export", lambda w: w.far_period, lambda w: w.group_code),
        expect("404", anonymous="404", other_manager="200", superuser="200"),
        label="NB-2025",
    ),
    # 2025 is not finalised: only staff preview it; for everyone else it does not exist.
    Case(
        "results:period",
        "GET",
        _url("results:period", lambda w: w.period),
        expect("404", anonymous="404", staff="302"),
        label="2025",
    ),
    Case(
        "results:period_group",
        "GET",
        _url("results:period_group", lambda w: w.period, lambda w: w.group_code),
        expect("404", anonymous="404", staff="200"),
        label="2025",
    ),
    Case(
        "results:unit_detail",
        "GET",
        _url(
            "results:unit_detail",
            lambda w: w.period,
            lambda w: w.group_code,
            lambda w: w.unit_a_code,
        ),
        expect("404", anonymous="404", staff="200"),
        label="2025-A",
        owner="A",
    ),
    Case(
        "results:period_export",
        "GET",
        _url("results:period_export", lambda w: w.period, lambda w: w.group_code),
        expect("404", anonymous="404", staff="200"),
        label="2025",
    ),
]

PUBLIC = [
    Case("public:home", "GET", _url("public:home"), expect("200", anonymous="200")),
    Case(
        "public:period",
        "GET",
        _url("public:period", lambda w: w.old_period),
        expect("302", anonymous="302"),  # to its first group's ranking
        label="2024",
        setup=publish_2024,
    ),
    Case(
        "public:ranking",
        "GET",
        _url("public:ranking", lambda w: w.old_period, lambda w: w.group_code),
        expect("200", anonymous="200"),
        label="2024",
        setup=publish_2024,
    ),
    Case(
        "public:unit",
        "GET",
        _url(
            "public:unit", lambda w: w.old_period, lambda w: w.group_code, lambda w: w.unit_a_code
        ),
        expect("200", anonymous="200"),
        label="2024-A",
        setup=publish_2024,
    ),
    # 2024 computed but not published: a draft, for nobody here (staff preview it live).
    Case(
        "public:period",
        "GET",
        _url("public:period", lambda w: w.old_period),
        expect("404", anonymous="404"),
        label="2024-draft",
        setup=draft_2024,
    ),
    Case(
        "public:ranking",
        "GET",
        _url("public:ranking", lambda w: w.old_period, lambda w: w.group_code),
        expect("404", anonymous="404"),
        label="2024-draft",
        setup=draft_2024,
    ),
    Case(
        "public:unit",
        "GET",
        _url(
            "public:unit", lambda w: w.old_period, lambda w: w.group_code, lambda w: w.unit_a_code
        ),
        expect("404", anonymous="404"),
        label="2024-draft-A",
        owner="A",
        setup=draft_2024,
    ),
    # 2025 is running: nothing published.
    Case(
        "public:ranking",
        "GET",
        _url("public:ranking", lambda w: w.period, lambda w: w.group_code),
        expect("404", anonymous="404"),
        label="2025",
    ),
    Case(
        "public:unit",
        "GET",
        _url("public:unit", lambda w: w.period, lambda w: w.group_code, lambda w: w.unit_a_code),
        expect("404", anonymous="404"),
        label="2025-A",
        owner="A",
    ),
]

ADMIN = [
    Case(
        "admin:index",
        "GET",
        _url("admin:index"),
        expect("admin_login", anonymous="admin_login", all_staff="200"),
    ),
    Case(
        "admin:login",
        "GET",
        _url("admin:login"),
        # The one sign-in (with the second factor) is the site's; staff go on to the admin.
        expect("403", anonymous="login", all_staff="302"),
    ),
    Case(
        "admin:assessments_assessment_changelist",
        "GET",
        _url("admin:assessments_assessment_changelist"),
        expect(
            "admin_login",
            anonymous="admin_login",
            manager="403",
            other_manager="403",
            superuser="200",
        ),
    ),
    Case(
        "admin:evidence_evidence_changelist",
        "GET",
        _url("admin:evidence_evidence_changelist"),
        expect(
            "admin_login",
            anonymous="admin_login",
            manager="403",
            other_manager="403",
            superuser="200",
        ),
    ),
    # The revocation data (CRLs, OCSP answers) fetched for every province's checks.
    Case(
        "admin:evidence_revocationdata_changelist",
        "GET",
        _url("admin:evidence_revocationdata_changelist"),
        expect("admin_login", anonymous="admin_login", all_staff="403", superuser="200"),
    ),
    # The audit trail spans every province: the system administrator's only.
    Case(
        "admin:audit_auditevent_changelist",
        "GET",
        _url("admin:audit_auditevent_changelist"),
        expect("admin_login", anonymous="admin_login", all_staff="403", superuser="200"),
    ),
    Case(
        "admin:accounts_user_changelist",
        "GET",
        _url("admin:accounts_user_changelist"),
        expect(
            "admin_login",
            anonymous="admin_login",
            manager="403",
            other_manager="403",
            superuser="200",
        ),
    ),
]

PAGES = (
    ACCOUNTS
    + CRITERIA
    + ASSESSMENTS
    + APPRAISAL
    + EVIDENCE
    + NOTICES
    + RESULTS
    + PUBLIC
    + DECISION_PUBLIC
    + ADMIN
)


# Every persona × every page: in `make test` and CI, not in the edit loop (`make test-fast`).
@pytest.mark.slow
@pytest.mark.parametrize(("persona", "case", "outcome"), matrix(PAGES))
def test_page(world: World, persona: str, case: Case, outcome: str) -> None:
    check(world, case, send(world, persona, case), outcome)
    check_effect(world, case, persona)


# --------------------------------------------------------------------------- coverage


APP_NAMESPACES = (
    "accounts",
    "criteria",
    "assessments",
    "appraisal",
    "evidence",
    "season",
    "notices",
    "results",
    "public",
)


def _named_urls(namespace: str) -> set[str]:
    resolver = get_resolver()
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == namespace:
            names |= {
                f"{namespace}:{p.name}"
                for p in pattern.url_patterns
                if isinstance(p, URLPattern) and p.name
            }
    return names


@pytest.mark.parametrize("namespace", APP_NAMESPACES)
def test_every_named_url_of_the_app_is_in_the_matrix(namespace: str) -> None:
    covered = {case.name for case in PAGES}
    assert _named_urls(namespace) <= covered, _named_urls(namespace) - covered


def test_every_named_url_outside_the_apps_is_in_the_matrix() -> None:
    """The names without a namespace (``todo``, /viec-can-lam/)."""
    named = {p.name for p in get_resolver().url_patterns if isinstance(p, URLPattern) and p.name}
    assert named, "no top-level names"
    assert named <= {case.name for case in PAGES}, named - {case.name for case in PAGES}


def test_every_case_has_an_outcome_for_every_persona() -> None:
    for case in PAGES:
        assert set(case.outcomes) == set(PERSONAS), case.key


# --------------------------------------------------------------------------- beyond the matrix


def test_item_history_of_another_units_answer_through_my_assessment_is_404(world: World) -> None:
    """The answer id of unit B under unit A's assessment id: no mixing of ids."""
    url = reverse("assessments:item_history", args=[world.a, world.answers_b["1.1"]])
    response = world.client("unit_staff").get(url)
    assert response.status_code == 404
    assert world.unit_name("B") not in response.content.decode()


def test_attaching_another_units_file_is_refused(world: World) -> None:
    url = reverse("evidence:attach", args=[world.answers_a["2.2"]])
    response = world.client("unit_staff").post(url, {"evidence": world.evidence_b})
    assert response.status_code == 302
    assert (
        not EvidenceLink.objects.filter(evidence_id=world.evidence_b)
        .exclude(answer_id=world.answers_b["1.1"])
        .exists()
    )


def test_accepting_items_outside_the_assignment_is_404(world: World) -> None:
    """Unit B's item, and unit A's field 2, are not the appraiser's to accept."""
    to_appraisal_1(world)
    url = reverse("appraisal:accept_self", args=[world.period])
    client = world.client("appraiser")
    for answer_id in (world.answers_b["1.1"], world.answers_a["2.2"]):
        assert client.post(url, {"muc": [str(answer_id)]}).status_code == 404


def test_explaining_an_item_of_another_assessment_is_404(world: World) -> None:
    to_explanation(world)
    url = reverse("appraisal:explanation", args=[world.b])
    response = world.client("other_staff").post(
        url, {"answer": world.answers_a["1.1"], "version": "1", "response": "x"}
    )
    assert response.status_code == 404
    assert world.unit_name("A") not in response.content.decode()


def test_a_deactivated_account_is_signed_out(world: World) -> None:
    User.objects.filter(pk=world.users["unit_staff"]).update(is_active=False)
    response = world.client("unit_staff").get(reverse("assessments:detail", args=[world.a]))
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/")


@pytest.mark.parametrize("attempt", ["first", "second"])
def test_each_test_starts_from_the_same_world(world: World, attempt: str) -> None:
    """Writes that succeed (in either order) are gone by the next test."""
    assert Period.objects.get(pk=world.period).status == PeriodStatus.SELF_ASSESSMENT
    assert not Answer.objects.filter(assessment_id=world.a, node__code="1.2").exists()
    assert EvidenceLink.objects.filter(pk=world.citation_a).exists()

    chair, staff = world.client("chair"), world.client("unit_staff")
    staff.post(
        reverse("assessments:item_save", args=[world.a, world.nodes["1.2"]]),
        {"version": "0", "value": "80"},
    )
    staff.post(reverse("evidence:detach", args=[world.citation_a]))
    chair.post(reverse("season:advance", args=[world.period]), {"step": "start_appraisal"})

    assert Answer.objects.get(assessment_id=world.a, node__code="1.2").self_value == "80"
    assert not EvidenceLink.objects.filter(pk=world.citation_a).exists()
    assert Period.objects.get(pk=world.period).status == PeriodStatus.APPRAISAL_1


# Regression: an assignment in another period must not open this period's assessment
# (the period and the unit have to come from the same assignment).


@pytest.mark.parametrize(
    "url_of",
    [
        lambda w: reverse("assessments:detail", args=[w.b]),
        lambda w: reverse("evidence:item", args=[w.answers_b["1.1"]]),
        lambda w: reverse("evidence:download", args=[w.evidence_b]),
    ],
    ids=["assessments:detail[B]", "evidence:item[B]", "evidence:download[B]"],
)
def test_last_years_assignment_does_not_open_this_years_pages(world: World, url_of: Any) -> None:
    assign_b_last_year(world)
    response = world.client("appraiser").get(url_of(world))
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("url_of", "owner"),
    [
        (lambda w: reverse("assessments:detail", args=[w.b]), "B"),
        (lambda w: reverse("evidence:item", args=[w.answers_a["1.1"]]), "A"),
        (lambda w: f"/api/assessments/{w.a}", "A"),
    ],
    ids=["assessments:detail[B]", "evidence:item[A]", "api:get_assessment[A]"],
)
def test_the_pages_behind_the_404s_do_name_the_unit(world: World, url_of: Any, owner: str) -> None:
    """The "no name in a 404" check is not vacuous: for a reader these pages show it."""
    body = body_text(world.client("chair").get(url_of(world)))
    assert world.unit_name(owner) in body
