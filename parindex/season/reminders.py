"""Reminder e-mails before and after a deadline, at most one a day per person and kind."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import answers_appraisable_by
from parindex.assessments.workflow import SELF_ASSESSMENT_OPEN
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.core.formatting import fmt_datetime
from parindex.organizations.models import Unit
from parindex.periods.models import (
    AppraiserAssignment,
    DeadlineStage,
    Period,
    PeriodStatus,
)
from parindex.season.deadlines import extensions_of

UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_LEADER)


REMINDER_ACTION = "reminder.sent"


@dataclass
class _Reminder:
    target: Assessment | AppraiserAssignment
    kind: str
    recipients: list[str]
    subject: str
    body: str


def _unit_emails(unit_id: int) -> list[str]:
    return sorted(
        User.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def _when(deadline: datetime.datetime, today: datetime.date, days: int) -> str | None:
    """ "before" when ``deadline`` is ``days`` days away, "missed" the day after it."""
    day = timezone.localdate(deadline)
    if (day - today).days == days:
        return "before"
    if (today - day).days == 1:
        return "missed"
    return None


def _already_sent(target: Assessment | AppraiserAssignment, kind: str, today: str) -> bool:
    return AuditEvent.objects.filter(
        action=REMINDER_ACTION,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        after__kind=kind,
        after__date=today,
    ).exists()


SIGNATURE = "\n\nThư gửi tự động từ phần mềm parindex (Chỉ số cải cách hành chính)."


def _unit_reminders(period: Period, today: datetime.date, days: int) -> list[_Reminder]:
    return [
        *_self_assessment_reminders(period, today, days),
        *_explanation_reminders(period, today, days),
    ]


def _unit_reminder(assessment: Assessment, kind: str, subject: str, body: str) -> _Reminder:
    """A reminder to the unit's active staff and leaders."""
    return _Reminder(assessment, kind, _unit_emails(assessment.unit.pk), subject, body + SIGNATURE)


def _self_assessment_reminders(period: Period, today: datetime.date, days: int) -> list[_Reminder]:
    """Units that have not submitted, before their self-assessment deadline and the day after."""
    if period.self_assessment_deadline is None or period.status not in (
        PeriodStatus.SELF_ASSESSMENT,
        PeriodStatus.APPRAISAL_1,
    ):
        return []
    extensions = extensions_of(period, DeadlineStage.SELF_ASSESSMENT)
    reminders: list[_Reminder] = []
    for assessment in Assessment.objects.filter(
        period=period, submitted_at__isnull=True
    ).select_related("unit"):
        if assessment.status not in (*SELF_ASSESSMENT_OPEN, AssessmentStatus.IN_APPRAISAL):
            continue
        deadline = extensions.get(assessment.unit_id, period.self_assessment_deadline)
        when = _when(deadline, today, days)
        if when is None or (when == "before" and assessment.status not in SELF_ASSESSMENT_OPEN):
            continue
        subject, body = _self_assessment_message(period, assessment.unit, deadline, days, when)
        reminders.append(_unit_reminder(assessment, f"self_assessment_{when}", subject, body))
    return reminders


def _self_assessment_message(
    period: Period, unit: Unit, deadline: datetime.datetime, days: int, when: str
) -> tuple[str, str]:
    """The subject and body of a self-assessment reminder ("before" or "missed")."""
    if when == "before":
        subject = f"[Chỉ số CCHC] Còn {days} ngày đến hạn tự đánh giá – {period.name}"
        body = (
            f"Kính gửi {unit.name},\n\n"
            f"Hạn gửi hồ sơ tự đánh giá Chỉ số cải cách hành chính {period.name} là "
            f"{fmt_datetime(deadline)} (còn {days} ngày). Đơn vị chưa gửi hồ sơ; "
            "đề nghị hoàn thành việc tự chấm điểm, tài liệu kiểm chứng và gửi hồ sơ "
            "đúng hạn (mục “Đánh giá” trên parindex)."
        )
    else:
        subject = f"[Chỉ số CCHC] Đã quá hạn tự đánh giá – {period.name}"
        body = (
            f"Kính gửi {unit.name},\n\n"
            f"Hạn gửi hồ sơ tự đánh giá {period.name} đã kết thúc lúc "
            f"{fmt_datetime(deadline)} nhưng đơn vị chưa gửi hồ sơ. Hồ sơ đã được "
            "khóa để thẩm định theo nội dung đã nhập. Nếu có lý do chính đáng, đề "
            "nghị liên hệ cơ quan thường trực để được xem xét gia hạn."
        )
    return subject, body


def _explanation_reminders(period: Period, today: datetime.date, days: int) -> list[_Reminder]:
    """Units with unanswered explanation requests, before the deadline and the day after."""
    if period.explanation_deadline is None or period.status not in (
        PeriodStatus.EXPLANATION,
        PeriodStatus.APPRAISAL_2,
    ):
        return []
    extensions = extensions_of(period, DeadlineStage.EXPLANATION)
    counts = _unanswered_explanations(period)
    reminders: list[_Reminder] = []
    for assessment in Assessment.objects.filter(pk__in=counts).select_related("unit"):
        deadline = extensions.get(assessment.unit_id, period.explanation_deadline)
        when = _when(deadline, today, days)
        if when is None:
            continue
        if when == "before" and assessment.status != AssessmentStatus.NEEDS_EXPLANATION:
            continue
        n = counts[assessment.pk]
        subject, body = _explanation_message(period, assessment.unit, n, deadline, days, when)
        reminders.append(_unit_reminder(assessment, f"explanation_{when}", subject, body))
    return reminders


def _unanswered_explanations(period: Period) -> dict[int, int]:
    """Assessment → how many of its round-1 explanation requests the unit has not answered."""
    pending = (
        Answer.objects.filter(assessment__period=period, needs_explanation=True, appraisal_round=1)
        .filter(unit_response="")
        .values_list("assessment_id", flat=True)
    )
    counts: dict[int, int] = {}
    for assessment_id in pending:
        counts[assessment_id] = counts.get(assessment_id, 0) + 1
    return counts


def _explanation_message(
    period: Period, unit: Unit, n: int, deadline: datetime.datetime, days: int, when: str
) -> tuple[str, str]:
    """The subject and body of an explanation reminder ("before" or "missed")."""
    if when == "before":
        subject = f"[Chỉ số CCHC] Còn {days} ngày đến hạn giải trình – {period.name}"
        body = (
            f"Kính gửi {unit.name},\n\n"
            f"Đơn vị còn {n} nội dung được tổ thẩm định yêu cầu giải trình chưa trả "
            f"lời. Hạn giải trình là {fmt_datetime(deadline)} (còn {days} ngày)."
        )
    else:
        subject = f"[Chỉ số CCHC] Đã quá hạn giải trình – {period.name}"
        body = (
            f"Kính gửi {unit.name},\n\n"
            f"Hạn giải trình {period.name} đã kết thúc lúc {fmt_datetime(deadline)}; "
            f"{n} nội dung yêu cầu giải trình chưa được đơn vị trả lời. Tổ thẩm "
            "định sẽ chấm vòng 2 theo hồ sơ hiện có."
        )
    return subject, body


def _appraiser_reminders(period: Period, today: datetime.date, days: int) -> list[_Reminder]:
    if period.status == PeriodStatus.APPRAISAL_1:
        deadline, round_, label = period.appraisal_1_deadline, 1, "thẩm định vòng 1"
        pending_filter = Q(appraisal_round__lt=1)
    elif period.status == PeriodStatus.APPRAISAL_2:
        deadline, round_, label = period.appraisal_2_deadline, 2, "thẩm định vòng 2"
        pending_filter = Q(needs_explanation=True, appraisal_round__lt=2)
    else:
        return []
    if deadline is None:
        return []
    when = _when(deadline, today, days)
    if when is None:
        return []
    reminders: list[_Reminder] = []
    for assignment in AppraiserAssignment.objects.filter(period=period).select_related("appraiser"):
        appraiser = assignment.appraiser
        if not appraiser.is_active or not appraiser.email:
            continue
        pending = answers_appraisable_by(appraiser, period).filter(pending_filter).count()
        if not pending:
            continue
        name = appraiser.get_full_name() or appraiser.get_username()
        if when == "before":
            subject = f"[Chỉ số CCHC] Còn {days} ngày đến hạn {label} – {period.name}"
            body = (
                f"Kính gửi {name},\n\n"
                f"Anh/chị còn {pending} nội dung được phân công chưa thẩm định. Hạn {label} "
                f"{period.name} là {fmt_datetime(deadline)} (còn {days} ngày)."
            )
        else:
            subject = f"[Chỉ số CCHC] Đã quá hạn {label} – {period.name}"
            body = (
                f"Kính gửi {name},\n\n"
                f"Hạn {label} {period.name} đã kết thúc lúc {fmt_datetime(deadline)}; anh/chị "
                f"còn {pending} nội dung được phân công chưa thẩm định."
            )
        reminders.append(
            _Reminder(
                assignment,
                f"appraisal_{round_}_{when}",
                [appraiser.email],
                subject,
                body + SIGNATURE,
            )
        )
    return reminders


def reminders_send(*, days: int = 3, now: datetime.datetime | None = None) -> list[str]:
    """Email reminders (``parindex send_reminders``), at most once a day per recipient:

    * units not yet submitted, ``days`` days before their self-assessment deadline and the
      day after they missed it;
    * units with unanswered explanation requests, likewise for the explanation deadline;
    * appraisers with unappraised items before the round's deadline and the day after.

    Each sent reminder is recorded as a ``reminder.sent`` audit event, which is also what
    keeps a second run on the same day from sending it again. Returns one line per email.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    now = now or timezone.now()
    today = timezone.localdate(now)
    stamp = today.isoformat()
    reminders: list[_Reminder] = []
    for period in Period.objects.exclude(
        status__in=[PeriodStatus.PREPARED, PeriodStatus.FINALISED]
    ).order_by("pk"):
        reminders.extend(_unit_reminders(period, today, days))
        reminders.extend(_appraiser_reminders(period, today, days))
    lines: list[str] = []
    with transaction.atomic():
        to_send = [
            r for r in reminders if r.recipients and not _already_sent(r.target, r.kind, stamp)
        ]
        for reminder in to_send:
            record(
                actor=None,
                action=REMINDER_ACTION,
                target=reminder.target,
                summary=f"Gửi nhắc việc “{reminder.subject}” tới {', '.join(reminder.recipients)}",
                after={"kind": reminder.kind, "date": stamp, "to": reminder.recipients},
            )
            lines.append(f"{reminder.subject} → {', '.join(reminder.recipients)}")
        if to_send:
            send_mass_mail(
                [(r.subject, r.body, None, r.recipients) for r in to_send],
            )
    return lines
