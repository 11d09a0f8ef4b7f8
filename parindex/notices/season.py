"""Notices of the season's events that a stage of :mod:`parindex.season.stages` calls
explicitly (no signals): items returned to a unit for explanation."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from parindex.accounts.models import Role, User
from parindex.assessments.models import Assessment
from parindex.core.formatting import fmt_datetime
from parindex.notices.models import Notice, NoticeKind
from parindex.notices.services import notify
from parindex.periods.models import DeadlineExtension, DeadlineStage, Period

UNIT_ROLES = (Role.UNIT_STAFF, Role.UNIT_LEADER)


def explanation_url(assessment_id: int) -> str:
    """The unit's explanation page of an assessment (/danh-gia/<id>/giai-trinh/)."""
    return reverse("assessments:explanation", args=[assessment_id])


def unit_people(unit_ids: list[int]) -> dict[int, list[User]]:
    """Unit → its active staff and leaders (one query)."""
    people: dict[int, list[User]] = {}
    for user in User.objects.filter(
        unit_id__in=unit_ids, role__in=UNIT_ROLES, is_active=True
    ).order_by("pk"):
        assert user.unit_id is not None
        people.setdefault(user.unit_id, []).append(user)
    return people


def notify_explanation_requested(period: Period, *, actor: User | None = None) -> list[Notice]:
    """Tell each unit with items returned for explanation in round 1 how many, by when and
    where to answer (a notice to its staff and leaders, and an e-mail). Call once, when the
    explanation stage opens (:func:`parindex.season.stages.period_open_explanation`)."""
    assessments = list(
        Assessment.objects.filter(period=period)
        .annotate(
            n_asked=Count(
                "answers",
                filter=Q(answers__needs_explanation=True, answers__appraisal_round=1),
            )
        )
        .filter(n_asked__gt=0)
        .select_related("unit")
        .order_by("unit__position", "unit__name")
    )
    extensions = dict(
        DeadlineExtension.objects.filter(
            period=period, stage=DeadlineStage.EXPLANATION
        ).values_list("unit_id", "until")
    )
    people = unit_people([a.unit_id for a in assessments])
    notices: list[Notice] = []
    for assessment in assessments:
        recipients = people.get(assessment.unit_id, [])
        if not recipients:
            continue
        n = assessment.n_asked  # type: ignore[attr-defined]
        deadline = extensions.get(assessment.unit_id, period.explanation_deadline)
        when = f", hạn giải trình {fmt_datetime(deadline)}" if deadline else ""
        text = f"{period.name}: tổ thẩm định yêu cầu giải trình {n} nội dung{when}."
        body = (
            f"Kính gửi {assessment.unit.name},\n\n"
            f"Tổ thẩm định đã yêu cầu đơn vị giải trình {n} nội dung của hồ sơ tự đánh giá "
            f"{period.name}{when}. Đề nghị đơn vị trả lời từng nội dung và lãnh đạo đơn vị "
            "gửi giải trình đúng hạn (mục “Việc cần làm” trên parindex)."
        )
        notices += notify(
            recipients=recipients,
            kind=NoticeKind.EXPLANATION_REQUESTED,
            text=text,
            link=explanation_url(assessment.pk),
            subject=f"[Chỉ số CCHC] Yêu cầu giải trình – {period.name}",
            body=body,
            target=assessment,
            actor=actor,
        )
    return notices
