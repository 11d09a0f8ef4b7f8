"""What reading the history files collects: the groups of rows, every problem and warning,
and the checks shared by every format (the unit group, a unit code read twice)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from parindex.core.text import fold
from parindex.organizations.models import UnitGroup
from parindex.results.history.parsed import HistoryFile, HistoryGroup
from parindex.results.history.values import quoted


class Reader:
    """Collects the groups read from every file and every problem found."""

    def __init__(self, files: Sequence[HistoryFile], forced: UnitGroup | None) -> None:
        self.files = files
        self.forced = forced
        self.problems: list[str] = []
        self.warnings: list[str] = []
        self.groups: list[HistoryGroup] = []
        self.evaluated: dict[str, tuple[str, dict[str, Any]]] = {}
        """Unit code → (file, the engine's unit document) of the evaluation files."""
        self.seen: dict[str, str] = {}
        """Unit code → where it was first read (inside a sentence)."""
        known = list(UnitGroup.objects.all())
        self.by_code = {g.code: g for g in known}
        self.by_fold = {fold(g.code): g for g in known} | {fold(g.name): g for g in known}
        self.known_codes = ", ".join(g.code for g in known) or "chưa có nhóm nào"

    def err(self, message: str) -> None:
        self.problems.append(message)

    def prefix(self, name: str) -> str:
        return f"Tệp {name}: " if len(self.files) > 1 else ""

    def lookup(self, text: str) -> UnitGroup | None:
        """The system's unit group of code (or name, ignoring case and diacritics) ``text``."""
        return self.by_code.get(text) or self.by_fold.get(fold(text))

    def unknown_group(self, text: str) -> str:
        return (
            f"không có nhóm đơn vị {quoted(text)} trên hệ thống (các mã nhóm: {self.known_codes})"
        )

    def group_of(self, text: str, where: str) -> UnitGroup | None:
        if self.forced is not None:
            return self.forced
        text = (text or "").strip()
        if not text:
            self.err(f"{where}: thiếu nhóm đơn vị.")
            return None
        group = self.lookup(text)
        if group is None:
            self.err(f"{where}: {self.unknown_group(text)}.")
        return group

    def new_group(self, group: UnitGroup, source: str, kind: str) -> HistoryGroup:
        for existing in self.groups:
            if existing.group.pk == group.pk:
                if existing.source != source:
                    self.err(
                        f"Nhóm “{group.name}” có đơn vị ở nhiều tệp ({existing.source}, "
                        f"{source}): mỗi nhóm nhập từ một tệp để thứ hạng nhất quán."
                    )
                return existing
        created = HistoryGroup(group=group, source=source, kind=kind)
        self.groups.append(created)
        return created

    def unique(self, code: str, where: str, line: str) -> bool:
        if code in self.seen:
            self.err(f"{where}: mã đơn vị {code} trùng với {self.seen[code]}.")
            return False
        self.seen[code] = line
        return True
