"""The kinds of document: what each is about (a unit, or a period's jurisdiction) and the
builder that writes its :class:`~parindex.documents.content.Document`."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from parindex.documents.content import Document
from parindex.documents.models import DocumentKind


@dataclass(frozen=True)
class KindSpec:
    kind: str
    label: str
    module: str
    per_unit: bool
    """About one unit (self-assessment, minutes) or the whole period (results, notice)."""
    needs_round: bool = False
    uses_results: bool = False
    """A unit document whose numbers come from the period's result version (stored with
    the file, like a period document's, so a later correction marks it out of date)."""

    def builder(self) -> Callable[..., Document]:
        build: Callable[..., Document] = importlib.import_module(self.module).build
        return build


KINDS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            DocumentKind.SELF_ASSESSMENT,
            DocumentKind.SELF_ASSESSMENT.label,
            "parindex.documents.kinds.self_assessment",
            per_unit=True,
        ),
        KindSpec(
            DocumentKind.MINUTES,
            DocumentKind.MINUTES.label,
            "parindex.documents.kinds.minutes",
            per_unit=True,
            needs_round=True,
        ),
        KindSpec(
            DocumentKind.RESULTS,
            DocumentKind.RESULTS.label,
            "parindex.documents.kinds.results_report",
            per_unit=False,
        ),
        KindSpec(
            DocumentKind.NOTICE,
            DocumentKind.NOTICE.label,
            "parindex.documents.kinds.notice",
            per_unit=False,
        ),
        KindSpec(
            DocumentKind.DEDUCTIONS,
            DocumentKind.DEDUCTIONS.label,
            "parindex.documents.kinds.deductions",
            per_unit=True,
        ),
        KindSpec(
            DocumentKind.IMPROVEMENT,
            DocumentKind.IMPROVEMENT.label,
            "parindex.documents.kinds.improvement",
            per_unit=True,
            uses_results=True,
        ),
        KindSpec(
            DocumentKind.DIRECTIVE,
            DocumentKind.DIRECTIVE.label,
            "parindex.documents.kinds.directive",
            per_unit=True,
            uses_results=True,
        ),
    )
}


def build(spec: KindSpec, **params: Any) -> Document:
    return spec.builder()(**params)
