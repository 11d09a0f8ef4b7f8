"""What publishing a draft will do, shown on the publish confirmation page
(/ket-qua/<kỳ>/cong-bo/) before the chair confirms: the version number it creates, the
version it corrects, and what changes against that version unit by unit (rank, index,
class), plus the draft's own warnings.

Every number is computed here from the stored rows; the template only shows them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max

from parindex.results.models import ResultRow, ResultVersion

CHANGES_SHOWN = 20
"""Units listed by name among the changes; the others are counted."""

_Key = tuple[str, str]
"""(group code, unit code): one unit's line in a version."""


@dataclass(frozen=True)
class _Line:
    group: str
    name: str
    rank: int | None
    index: Decimal
    class_label: str


@dataclass(frozen=True)
class RowChange:
    """One unit whose line differs between the published version and the draft."""

    group: str
    name: str
    before_rank: int | None
    after_rank: int | None
    before_index: Decimal | None
    after_index: Decimal | None
    before_class: str
    after_class: str

    @property
    def index_change(self) -> Decimal | None:
        if self.before_index is None or self.after_index is None:
            return None
        return self.after_index - self.before_index


@dataclass(frozen=True)
class PublishReview:
    draft: ResultVersion
    current: ResultVersion | None
    number: int
    """The number the published draft gets."""
    units: int
    """Units (lines) of the draft."""
    changed: int
    """Units in both versions whose rank, index or class differ."""
    added: int
    """Units of the draft not in the current version."""
    removed: int
    """Units of the current version not in the draft."""
    changes: tuple[RowChange, ...]
    """The first :data:`CHANGES_SHOWN` changed, added or removed units."""

    @property
    def correcting(self) -> bool:
        return self.current is not None

    @property
    def unchanged(self) -> bool:
        """A correction identical to the published version (nothing would change)."""
        return self.correcting and not (self.changed or self.added or self.removed)

    @property
    def more_changes(self) -> int:
        return self.changed + self.added + self.removed - len(self.changes)

    @property
    def fingerprint(self) -> str:
        """The draft (and its computation) and the current version as the page showed them:
        a draft computed again, or another version published meanwhile, shows the page
        again instead of publishing."""
        computed = self.draft.computed_at.isoformat() if self.draft.computed_at else ""
        current = self.current.pk if self.current is not None else 0
        return f"{self.draft.pk}-{computed}-{current}"


def _lines(version: ResultVersion) -> dict[_Key, _Line]:
    return {
        (group_code, code): _Line(group, name, rank, index, class_label)
        for group_code, group, code, name, rank, index, class_label in ResultRow.objects.filter(
            version=version
        )
        .order_by("result_group__position", "position")
        .values_list(
            "result_group__code",
            "result_group__name",
            "code",
            "name",
            "rank",
            "index",
            "class_label",
        )
    }


def publish_review(draft: ResultVersion, current: ResultVersion | None) -> PublishReview:
    """What publishing ``draft`` does, against ``current`` (the published version, if any)."""
    after = _lines(draft)
    before = _lines(current) if current is not None else {}
    changes: list[RowChange] = []
    changed = added = removed = 0
    if current is not None:
        for key, new in after.items():
            old = before.get(key)
            if old is None:
                added += 1
            elif (old.rank, old.index, old.class_label) != (new.rank, new.index, new.class_label):
                changed += 1
            else:
                continue
            changes.append(
                RowChange(
                    group=new.group,
                    name=new.name,
                    before_rank=old.rank if old else None,
                    after_rank=new.rank,
                    before_index=old.index if old else None,
                    after_index=new.index,
                    before_class=old.class_label if old else "",
                    after_class=new.class_label,
                )
            )
        for key, old in before.items():
            if key not in after:
                removed += 1
                changes.append(
                    RowChange(
                        old.group, old.name, old.rank, None, old.index, None, old.class_label, ""
                    )
                )
    number = (
        ResultVersion.objects.filter(period_id=draft.period_id).aggregate(n=Max("number"))["n"] or 0
    ) + 1
    return PublishReview(
        draft=draft,
        current=current,
        number=number,
        units=len(after),
        changed=changed,
        added=added,
        removed=removed,
        changes=tuple(changes[:CHANGES_SHOWN]),
    )
