"""Writing notices: :func:`notify` tells people something in the app and by e-mail; the
recipient marks what they have read."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db import models, transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.notices.models import Notice, NoticeKind

SIGNATURE = "\n\nThư gửi tự động từ phần mềm parindex (Chỉ số cải cách hành chính)."
TEXT_MAX = 500


def _people(recipients: Iterable[User]) -> list[User]:
    """Active accounts, each once, in a stable order."""
    seen: dict[int, User] = {}
    for user in recipients:
        if user.is_active and user.pk not in seen:
            seen[user.pk] = user
    return sorted(seen.values(), key=lambda u: u.pk)


def notices_create(
    *, recipients: Iterable[User], kind: str, text: str, link: str = ""
) -> list[Notice]:
    """Store one unread notice per active recipient (no e-mail, no audit event): for a
    caller that records the send itself, as :func:`parindex.season.reminders.reminders_send`
    does. Everyone else calls :func:`notify`."""
    NoticeKind(kind)  # an unknown kind is a programming error
    return Notice.objects.bulk_create(
        Notice(recipient=user, kind=kind, text=text[:TEXT_MAX], link=link)
        for user in _people(recipients)
    )


@transaction.atomic
def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    text: str,
    target: models.Model,
    link: str = "",
    subject: str = "",
    body: str = "",
    actor: User | None = None,
) -> list[Notice]:
    """Tell ``recipients`` (the active ones): a notice in the app, and an e-mail to each
    one who has an address (``subject``/``body``, by default the notice's text), sent
    once the transaction commits. One audit event ``notice.sent`` on ``target``."""
    people = _people(recipients)
    notices = notices_create(recipients=people, kind=kind, text=text, link=link)
    emails = [u.email for u in people if u.email]
    record(
        actor=actor,
        action="notice.sent",
        target=target,
        summary=f"Thông báo “{text}” tới {len(people)} người",
        after={
            "kind": kind,
            "recipients": [u.get_username() for u in people],
            "emails": emails,
        },
    )
    if emails:
        messages = [
            (subject or f"[Chỉ số CCHC] {text}", (body or text) + SIGNATURE, None, [email])
            for email in emails
        ]
        transaction.on_commit(lambda: send_mass_mail(messages))
    return notices


@transaction.atomic
def notice_mark_read(*, notice: Notice, actor: User) -> Notice:
    """The recipient has read ``notice`` (nothing happens the second time)."""
    if notice.recipient_id != actor.pk:
        raise PermissionDenied("Chỉ người nhận mới đánh dấu được thông báo này.")
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
        record(
            actor=actor,
            action="notice.read",
            target=notice,
            summary=f"Đã đọc thông báo “{notice.text[:100]}”",
            after={"read_at": notice.read_at.isoformat()},
        )
    return notice


@transaction.atomic
def notices_mark_all_read(*, actor: User) -> int:
    """Every unread notice of ``actor`` is read now; how many there were."""
    now = timezone.now()
    count = Notice.objects.for_user(actor).unread().update(read_at=now)
    if count:
        record(
            actor=actor,
            action="notice.read_all",
            target=actor,
            summary=f"Đánh dấu đã đọc {count} thông báo",
            after={"count": count, "read_at": now.isoformat()},
        )
    return count
