"""The season load benchmark's database check: the last confirmed save of every item is
the stored one, no save lost or extra, one audit event per save."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ANSWER_TARGET = "assessments.answer"


@dataclass
class Verification:
    saves: int = 0
    """Saves the server confirmed (200), from the logs."""
    items: int = 0
    """Distinct items (unit × leaf) saved at least once."""
    matched: int = 0
    mismatches: list[str] = field(default_factory=list)
    """Items whose stored value, flags, explanation or version differ from the last save."""
    unexpected: int = 0
    """Items changed in the database that no confirmed save explains."""
    audit_events: int = 0
    conflicts: int = 0

    @property
    def ok(self) -> bool:
        return (
            not self.mismatches
            and not self.unexpected
            and not self.conflicts
            and self.audit_events == self.saves
        )


def verify(*, period_id: int, records: Iterable[Mapping[str, Any]]) -> Verification:
    """Compare the database with the save log: for every item, the value of the last
    confirmed save (highest version) is stored, and its version equals the number of
    confirmed saves (none lost, none extra); one audit event per confirmed save."""
    from parindex.assessments.models import Answer
    from parindex.audit.models import AuditEvent

    result = Verification()
    last: dict[tuple[int, str], Mapping[str, Any]] = {}
    count: Counter[tuple[int, str]] = Counter()
    for rec in records:
        if rec["kind"] == "conflict":
            result.conflicts += 1
            continue
        result.saves += 1
        key = (int(rec["assessment"]), str(rec["code"]))
        count[key] += 1
        if key not in last or rec["version"] > last[key]["version"]:
            last[key] = rec
    result.items = len(last)

    stored = {
        (a.assessment_id, a.node.code): a
        for a in Answer.objects.filter(assessment__period_id=period_id).select_related("node")
    }
    for key in sorted(last, key=lambda k: (k[0], k[1])):
        rec, answer = last[key], stored.get(key)
        where = f"{rec['unit']} {rec['code']}"
        if answer is None:
            result.mismatches.append(f"{where}: không có trong CSDL / not in the database")
            continue
        got = {
            "value": answer.self_value,
            "not_applicable": answer.self_not_applicable,
            "na_justification": answer.na_justification,
            "explanation": answer.explanation,
        }
        if got != rec["stored"]:
            result.mismatches.append(
                f"{where}: CSDL / database {got!r} ≠ lưu / saved {rec['stored']!r}"
            )
        elif answer.version != rec["version"] or answer.version != count[key]:
            result.mismatches.append(
                f"{where}: phiên bản / version {answer.version}, lần lưu cuối / last save "
                f"{rec['version']}, số lần lưu / saves {count[key]}"
            )
        else:
            result.matched += 1
    result.unexpected = sum(1 for key, a in stored.items() if key not in last and a.version > 0)
    answer_ids = [str(a.pk) for a in stored.values()]
    result.audit_events = sum(
        AuditEvent.objects.filter(
            action="answer.self_saved", target_type=ANSWER_TARGET, target_id__in=chunk
        ).count()
        for chunk in _chunks(answer_ids, 5000)
    )
    return result


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
