"""Archiving a criteria set created by mistake: kept (its history, its audit trail), hidden
from the lists and pickers (:meth:`CriteriaSetQuerySet.active`), and restorable."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from parindex.accounts.models import User
from parindex.audit.services import record
from parindex.criteria.models import CriteriaSet
from parindex.criteria.selectors import periods_using
from parindex.engine import InputError


@transaction.atomic
def criteria_set_archive(*, criteria_set: CriteriaSet, actor: User | None) -> CriteriaSet:
    """Archive a set no period uses (a set in use is part of a season: never hidden)."""
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    periods = periods_using(locked)
    if periods:
        raise InputError(
            [
                "bộ tiêu chí đang được dùng trong kỳ đánh giá "
                + ", ".join(f"«{name}»" for name in periods)
                + ": không lưu trữ được (hãy gắn bộ khác cho kỳ trước)"
            ]
        )
    if locked.archived_at is None:
        locked.archived_at = timezone.now()
        locked.save(update_fields=["archived_at", "updated_at"])
        record(
            actor=actor,
            action="criteria_set.archived",
            target=locked,
            summary=f"Lưu trữ bộ tiêu chí {locked.name} (năm {locked.year}, "
            f"phiên bản {locked.version})",
            before={"archived": False},
            after={"archived": True},
        )
    criteria_set.archived_at = locked.archived_at
    return locked


@transaction.atomic
def criteria_set_restore(*, criteria_set: CriteriaSet, actor: User | None) -> CriteriaSet:
    """Bring an archived set back to the lists."""
    locked = CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
    if locked.archived_at is not None:
        locked.archived_at = None
        locked.save(update_fields=["archived_at", "updated_at"])
        record(
            actor=actor,
            action="criteria_set.restored",
            target=locked,
            summary=f"Khôi phục bộ tiêu chí {locked.name} từ lưu trữ",
            before={"archived": True},
            after={"archived": False},
        )
    criteria_set.archived_at = None
    return locked
