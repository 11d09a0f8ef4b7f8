"""Where the numbers of the period documents come from: a result version's stored
evaluation files, scored again by the engine (``parindex evaluate`` on the same files gives
the same document), and the counts that are not points (survey forms)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count

from parindex import engine
from parindex.documents.errors import DocumentError
from parindex.engine.evalfile import parse, results_document
from parindex.periods.models import Period
from parindex.results.models import ResultGroup, ResultVersion, VersionStatus
from parindex.results.published import YearMean, group_means_over_years
from parindex.surveys.models import SurveyResponse


@dataclass
class GroupData:
    """One group of a result version: its stored row and the engine's results document."""

    group: ResultGroup
    output: dict[str, Any]
    """``parindex-results/1`` for the group (units, groups[0], warnings)."""
    criteria: engine.CriteriaSet
    means: list[YearMean]
    survey_forms: int

    @property
    def stats(self) -> dict[str, Any]:
        groups = self.output["groups"]
        return groups[0] if groups else {}


def document_version(period: Period) -> ResultVersion:
    """The version a period document is made from: the published one, else the newest
    computed draft; a period without results is not ready."""
    versions = ResultVersion.objects.filter(period=period)
    version = (
        versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()
        or versions.filter(status=VersionStatus.DRAFT, computed_at__isnull=False)
        .order_by("-number")
        .first()
    )
    if version is None:
        raise DocumentError(
            f"Kỳ “{period.name}” chưa có kết quả đã tính: hãy tính kết quả trước khi tạo văn bản."
        )
    return version


def version_groups(version: ResultVersion, group_code: str = "") -> list[ResultGroup]:
    groups = list(ResultGroup.objects.filter(version=version).order_by("position", "name"))
    if group_code:
        groups = [g for g in groups if g.code == group_code]
        if not groups:
            raise DocumentError(f"Kỳ đánh giá không có nhóm đơn vị “{group_code}”.")
    return groups


def group_data(group: ResultGroup) -> GroupData:
    """The engine's results for one stored group (its evaluation file scored again)."""
    if not group.document:
        raise DocumentError(f"Nhóm “{group.name}” không lưu tệp đánh giá: hãy tính lại kết quả.")
    data = parse(group.document)
    output = results_document(engine.evaluate(data))
    forms = (
        SurveyResponse.objects.filter(
            period_id=group.version.period_id, unit__code__in=[u["unit"] for u in output["units"]]
        )
        .aggregate(n=Count("pk"))
        .get("n")
        or 0
    )
    return GroupData(group, output, data.criteria, group_means_over_years(group), forms)
