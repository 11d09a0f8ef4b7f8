"""Reminders before and after a deadline, at most one a day per person and kind, in the app
(notices) and by e-mail; and the chair's "Nhắc các đơn vị chưa gửi"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone

from parindex.accounts.models import Role, User
from parindex.assessments.models import Answer, Assessment, AssessmentStatus
from parindex.assessments.permissions import answers_appraisable_by
from parindex.assessments.workflow import EDITABLE, SELF_ASSESSMENT_OPEN
from parindex.audit.models import AuditEvent
from parindex.audit.services import record
from parindex.core.formatting import fmt_datetime
from parindex.notices.models import NoticeKind
from parindex.notices.season import explanation_url, unit_people
from parindex.notices.services import notices_create
from parindex.organizations.models import Unit
from parindex.periods.models import (
    AppraiserAssignment,
    DeadlineStage,
    Period,
    PeriodStatus,
)
from parindex.periods.selectors import days_left
from parindex.season.deadlines import extensions_of
from parindex.season.guards import check_actor, status_label

UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_LEADER)


REMINDER_ACTION = "reminder.sent"


SUBJECT_PREFIX = "[Chỉ số CCHC] "


@dataclass
class _Reminder:
    target: Model
    """The reminded thing (an assessment, an assignment, a remediation task)."""
    kind: str
    users: list[User]
    """Who is told: a notice each, an e-mail to those with an address."""
    subject: str
    body: str
    link: str = ""

    @property
    def recipients(self) -> list[str]:
        """The e-mail addresses (sorted)."""
        return sorted(u.email for u in self.users if u.email)

    @property
    def notice_text(self) -> str:
        return self.subject.removeprefix(SUBJECT_PREFIX)

    @property
    def notice_kind(self) -> str:
        if self.kind.endswith("_missed"):
            return NoticeKind.DEADLINE_MISSED
        return NoticeKind.DEADLINE_NEAR


def _unit_users(unit_id: int) -> list[User]:
    return list(
        User.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES, is_active=True).order_by("pk")
    )


def _when(deadline: datetime.datetime, today: datetime.date, days: int) -> str | None:
    """ "before" when ``deadline`` is ``days`` days away, "missed" the day after it."""
    day = timezone.localdate(deadline)
    if (day - today).days == days:
        return "before"
    if (today - day).days == 1:
        return "missed"
    return None


def _already_sent(target: Model, kind: str, today: str) -> bool:
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


def _unit_reminder(
    assessment: Assessment, kind: str, subject: str, body: str, link: str
) -> _Reminder:
    """A reminder to the unit's active staff and leaders."""
    return _Reminder(
        assessment, kind, _unit_users(assessment.unit.pk), subject, body + SIGNATURE, link
    )


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
        link = reverse("assessments:detail", args=[assessment.pk])
        reminders.append(_unit_reminder(assessment, f"self_assessment_{when}", subject, body, link))
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
        link = explanation_url(assessment.pk)
        reminders.append(_unit_reminder(assessment, f"explanation_{when}", subject, body, link))
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
        if not appraiser.is_active:
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
                [appraiser],
                subject,
                body + SIGNATURE,
                reverse("appraisal:queue", args=[period.pk]),
            )
        )
    return reminders


def reminders_send(*, days: int = 3, now: datetime.datetime | None = None) -> list[str]:
    """Reminders (``parindex send_reminders``), in the app (a notice each) and by e-mail to
    those with an address, at most once a day per recipient:

    * units not yet submitted, ``days`` days before their self-assessment deadline and the
      day after they missed it;
    * units with unanswered explanation requests, likewise for the explanation deadline;
    * appraisers with unappraised items before the round's deadline and the day after;
    * remediation tasks still open, likewise for their due date
      (:func:`parindex.remediation.reminders.task_reminders`).

    Each sent reminder is recorded as a ``reminder.sent`` audit event, which is also what
    keeps a second run on the same day from sending it again. Returns one line per
    reminder.
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
    from parindex.remediation.reminders import task_reminders  # imports this module

    reminders.extend(task_reminders(today, days))
    lines: list[str] = []
    with transaction.atomic():
        to_send = [r for r in reminders if r.users and not _already_sent(r.target, r.kind, stamp)]
        for reminder in to_send:
            notices_create(
                recipients=reminder.users,
                kind=reminder.notice_kind,
                text=reminder.notice_text,
                link=reminder.link,
            )
            where = _where(reminder)
            record(
                actor=None,
                action=REMINDER_ACTION,
                target=reminder.target,
                summary=f"Gửi nhắc việc “{reminder.subject}” tới {where}",
                after={
                    "kind": reminder.kind,
                    "date": stamp,
                    "to": reminder.recipients,
                    "notices": [u.get_username() for u in reminder.users],
                },
            )
            lines.append(f"{reminder.subject} → {where}")
        mails = [(r.subject, r.body, None, r.recipients) for r in to_send if r.recipients]
        if mails:
            send_mass_mail(mails)
    return lines


def _where(reminder: _Reminder) -> str:
    """The e-mail addresses, else how many people are told in the app only."""
    if reminder.recipients:
        return ", ".join(reminder.recipients)
    return f"{len(reminder.users)} người (thông báo trong phần mềm, không có e-mail)"


# --------------------------------------------------------------------------- the chair's button

REMIND_ACTION = "reminder.not_submitted"


def _not_submitted(period: Period) -> list[Assessment]:
    """The units that may still send and have not (locked ones cannot act any more)."""
    return list(
        Assessment.objects.filter(period=period, status__in=EDITABLE, submitted_at__isnull=True)
        .select_related("unit")
        .order_by("unit__position", "unit__name")
    )


def _remind_refusal(period: Period) -> str:
    """Why the units cannot be reminded now ("" when they can)."""
    if period.status != PeriodStatus.SELF_ASSESSMENT:
        return (
            "Chỉ nhắc các đơn vị chưa gửi hồ sơ khi kỳ đánh giá đang tự đánh giá (hiện "
            f"đang ở “{status_label(period.status)}”)."
        )
    return ""


@dataclass(frozen=True)
class RemindPreview:
    """What "Nhắc các đơn vị chưa gửi" would do now (the confirmation's numbers)."""

    units: int
    """Units that have not sent their self-assessment."""
    reachable: int
    """Of those, the units with at least one active account (they can be told)."""
    people: int
    last_at: datetime.datetime | None
    """When the chair last reminded them (None: never)."""
    refusal: str

    @property
    def unreachable(self) -> int:
        return self.units - self.reachable

    @property
    def confirm(self) -> str:
        return (
            f"Sẽ gửi nhắc việc tới {self.reachable} đơn vị chưa gửi hồ sơ ({self.people} "
            "người), trong phần mềm và qua e-mail."
        )


def remind_not_submitted_preview(period: Period) -> RemindPreview:
    """The numbers of the confirmation (three queries)."""
    refusal = _remind_refusal(period)
    last = (
        AuditEvent.objects.filter(
            action=REMIND_ACTION, target_type=period._meta.label_lower, target_id=str(period.pk)
        )
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if refusal:
        return RemindPreview(0, 0, 0, last, refusal)
    unit_ids = list(
        Assessment.objects.filter(
            period=period, status__in=EDITABLE, submitted_at__isnull=True
        ).values_list("unit_id", flat=True)
    )
    people = unit_people(unit_ids)
    return RemindPreview(
        units=len(unit_ids),
        reachable=len(people),
        people=sum(len(p) for p in people.values()),
        last_at=last,
        refusal="",
    )


@dataclass(frozen=True)
class RemindResult:
    units: int
    """Units reminded."""
    people: int
    emails: int
    unreachable: list[str]
    """Names of the units not submitted that have no active account."""

    @property
    def message(self) -> str:
        if not self.units and not self.unreachable:
            return "Tất cả các đơn vị đã gửi hồ sơ: không có đơn vị nào cần nhắc."
        text = (
            f"Đã nhắc {self.units} đơn vị chưa gửi hồ sơ ({self.people} người, "
            f"{self.emails} thư điện tử)."
        )
        if self.unreachable:
            text += (
                f" {len(self.unreachable)} đơn vị chưa có tài khoản nên không nhắc được: "
                f"{', '.join(self.unreachable[:10])}{'…' if len(self.unreachable) > 10 else ''}."
            )
        return text


def _not_submitted_text(period: Period, deadline: datetime.datetime | None) -> str:
    if deadline is None:
        return f"{period.name}: đơn vị chưa gửi hồ sơ tự đánh giá."
    left = days_left(deadline) or 0
    when = f"còn {left} ngày" if left > 0 else "hết hạn hôm nay" if left == 0 else "đã quá hạn"
    return (
        f"{period.name}: đơn vị chưa gửi hồ sơ tự đánh giá, hạn {fmt_datetime(deadline)} ({when})."
    )


@transaction.atomic
def remind_not_submitted(
    *, period: Period, actor: User | None, expected: int | None = None
) -> RemindResult:
    """The chair's "Nhắc các đơn vị chưa gửi": a notice to the staff and leaders of every
    unit that has not sent its self-assessment, and an e-mail to those with an address
    (sent once the transaction commits). Only during the self-assessment stage, and with
    ``expected`` (the number of units the confirmation showed) only if it still holds. One
    audit event ``reminder.not_submitted`` on the period, naming the units."""
    check_actor(actor, period)
    locked = Period.objects.select_for_update().get(pk=period.pk)
    refusal = _remind_refusal(locked)
    if refusal:
        raise ValidationError(refusal)
    assessments = _not_submitted(locked)
    people = unit_people([a.unit_id for a in assessments])
    extensions = extensions_of(locked, DeadlineStage.SELF_ASSESSMENT)
    reachable = [a for a in assessments if a.unit_id in people]
    if expected is not None and expected != len(reachable):
        raise ValidationError(
            f"Số đơn vị cần nhắc đã thay đổi: nay là {len(reachable)} đơn vị (trang đã hiện "
            f"{expected}). Vui lòng xem lại trước khi gửi."
        )
    reminded: list[Assessment] = []
    unreachable: list[str] = []
    mails: list[tuple[str, str, None, list[str]]] = []
    n_people = 0
    subject = f"{SUBJECT_PREFIX}Đề nghị gửi hồ sơ tự đánh giá – {locked.name}"
    for assessment in assessments:
        users = people.get(assessment.unit_id, [])
        if not users:
            unreachable.append(assessment.unit.name)
            continue
        deadline = extensions.get(assessment.unit_id, locked.self_assessment_deadline)
        text = _not_submitted_text(locked, deadline)
        notices_create(
            recipients=users,
            kind=NoticeKind.REMINDER,
            text=text,
            link=reverse("assessments:detail", args=[assessment.pk]),
        )
        reminded.append(assessment)
        n_people += len(users)
        emails = sorted(u.email for u in users if u.email)
        if emails:
            body = (
                f"Kính gửi {assessment.unit.name},\n\n{text} Hội đồng thẩm định đề nghị đơn "
                "vị hoàn thành việc tự chấm điểm, tài liệu kiểm chứng và gửi hồ sơ đúng hạn "
                "(mục “Việc cần làm” trên parindex)."
            )
            mails.append((subject, body + SIGNATURE, None, emails))
    result = RemindResult(
        units=len(reminded),
        people=n_people,
        emails=sum(len(m[3]) for m in mails),
        unreachable=unreachable,
    )
    record(
        actor=actor,
        action=REMIND_ACTION,
        target=locked,
        summary=f"Nhắc các đơn vị chưa gửi hồ sơ ({locked.name}): {result.message}",
        after={
            "units": [a.unit.code for a in reminded],
            "unreachable": [a.unit.code for a in assessments if a not in reminded],
            "people": n_people,
            "emails": result.emails,
        },
    )
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails))
    return result
