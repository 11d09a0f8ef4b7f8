"""Forms of the season administration (quản lý kỳ đánh giá, /dieu-hanh/ky/): a new period
(blank or copied), its deadlines, a group's criteria set, an appraiser's assignment and the
6-month list of criteria not assessed. Each only parses input; the services decide."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone

from parindex.accounts.models import User
from parindex.core.forms import styled
from parindex.criteria.models import CriteriaSet, CriterionNode
from parindex.criteria.permissions import criteria_sets_visible_to
from parindex.organizations.models import Unit, UnitGroup
from parindex.periods.models import Period, PeriodGroup, PeriodKind
from parindex.periods.permissions import administered_jurisdictions, periods_administered_by
from parindex.periods.selectors import period_units
from parindex.season.setup import DEADLINE_LABELS, assignable_appraisers

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
"""What ``<input type="datetime-local">`` sends and shows (local time, Asia/Ho_Chi_Minh)."""


_styled = styled


class _PeriodChoice(forms.ModelChoiceField[Period]):
    def label_from_instance(self, obj: Period) -> str:
        return f"{obj.name} · {obj.jurisdiction.name}"


class _SetChoice(forms.ModelChoiceField[CriteriaSet]):
    def label_from_instance(self, obj: CriteriaSet) -> str:
        return f"{obj.name} ({obj.get_level_display()}, {obj.year}, phiên bản {obj.version})"


class _PersonChoice(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj} ({obj.unit.name})" if obj.unit else str(obj)


class PeriodCreateForm(forms.Form):
    """A new period: copied from an earlier one (the usual path), or blank for a
    jurisdiction."""

    source = _PeriodChoice(
        label="Sao chép từ kỳ đánh giá",
        queryset=Period.objects.none(),
        required=False,
        empty_label="— Không sao chép (tạo kỳ trống) —",
        help_text="Sao chép nhóm đơn vị, bộ tiêu chí, phân công thẩm định và thời hạn "
        "(dời theo số năm chênh lệch).",
    )
    jurisdiction = forms.ModelChoiceField(
        label="Địa bàn",
        queryset=Unit.objects.none(),
        required=False,
        empty_label="— Theo kỳ sao chép —",
        help_text="Chỉ cần khi tạo kỳ trống: tỉnh, hoặc huyện (cho các xã của huyện).",
    )
    year = forms.IntegerField(label="Năm", min_value=1990, max_value=2100)
    kind = forms.ChoiceField(label="Loại kỳ", choices=PeriodKind.choices)
    name = forms.CharField(
        label="Tên kỳ đánh giá",
        max_length=200,
        required=False,
        help_text="Để trống: “Năm 2026” hoặc “6 tháng đầu năm 2026”.",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = cast(forms.ModelChoiceField[Period], self.fields["source"])
        sources.queryset = periods_administered_by(user).select_related("jurisdiction")
        places = cast(forms.ModelChoiceField[Unit], self.fields["jurisdiction"])
        places.queryset = administered_jurisdictions(user).order_by("position", "name")
        _styled(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        source: Period | None = data.get("source")
        place: Unit | None = data.get("jurisdiction")
        if source is None and place is None and "source" in data:
            self.add_error("jurisdiction", "Chọn địa bàn cho kỳ trống, hoặc chọn kỳ để sao chép.")
        if source is not None and place is not None and place.pk != source.jurisdiction_id:
            self.add_error(
                "jurisdiction",
                f"Kỳ sao chép thuộc {source.jurisdiction.name}: kỳ mới cùng địa bàn với kỳ đó "
                "(để trống ô Địa bàn).",
            )
        return data


def _local_input(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT),
        help_text="Giờ Việt Nam; để trống nếu không đặt hạn.",
    )


class DeadlinesForm(forms.Form):
    """The period's four stage deadlines (each optional), shown as stored, in local time."""

    self_assessment_deadline = _local_input(DEADLINE_LABELS["self_assessment_deadline"])
    appraisal_1_deadline = _local_input(DEADLINE_LABELS["appraisal_1_deadline"])
    explanation_deadline = _local_input(DEADLINE_LABELS["explanation_deadline"])
    appraisal_2_deadline = _local_input(DEADLINE_LABELS["appraisal_2_deadline"])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _styled(self)

    @classmethod
    def for_period(cls, period: Period) -> DeadlinesForm:
        return cls(
            initial={
                field: timezone.localtime(value) if (value := getattr(period, field)) else None
                for field in DEADLINE_LABELS
            }
        )


class BindForm(forms.Form):
    """A unit group of the period and the criteria set that scores it."""

    group = forms.ModelChoiceField(
        label="Nhóm đơn vị", queryset=UnitGroup.objects.all(), empty_label="— Chọn nhóm —"
    )
    criteria_set = _SetChoice(
        label="Bộ tiêu chí", queryset=CriteriaSet.objects.none(), empty_label="— Chọn bộ tiêu chí —"
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sets = cast(forms.ModelChoiceField[CriteriaSet], self.fields["criteria_set"])
        sets.queryset = (
            criteria_sets_visible_to(user).active().order_by("-year", "name", "-version")
        )
        _styled(self)


class AssignmentForm(forms.Form):
    """An appraiser's share: fields or criteria (none ticked: all) and unit groups or units."""

    appraiser = _PersonChoice(
        label="Thành viên thẩm định", queryset=User.objects.none(), empty_label="— Chọn người —"
    )
    node_codes = forms.MultipleChoiceField(
        label="Lĩnh vực / tiêu chí được giao",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Không chọn: thẩm định mọi lĩnh vực.",
    )
    groups = forms.ModelMultipleChoiceField(
        label="Cả nhóm đơn vị",
        queryset=UnitGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    units = forms.ModelMultipleChoiceField(
        label="Đơn vị được giao",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.period = period
        people = cast(forms.ModelChoiceField[User], self.fields["appraiser"])
        people.queryset = User.objects.filter(
            pk__in=[u.pk for u in assignable_appraisers(period)]
        ).order_by("full_name", "username")
        self.nodes = assignment_nodes(period)
        codes = cast(forms.MultipleChoiceField, self.fields["node_codes"])
        codes.choices = _choices(self.nodes)
        self.period_units = period_units(period)
        groups = cast(forms.ModelMultipleChoiceField[UnitGroup], self.fields["groups"])
        groups.queryset = UnitGroup.objects.filter(
            pk__in=PeriodGroup.objects.filter(period=period).values("group_id")
        )
        units = cast(forms.ModelMultipleChoiceField[Unit], self.fields["units"])
        units.queryset = Unit.objects.filter(pk__in=[u.pk for u in self.period_units])
        _styled(self)

    def chosen_units(self) -> list[Unit]:
        """The units ticked, with every unit of the groups ticked."""
        data = self.cleaned_data
        group_ids = {g.pk for g in data.get("groups") or []}
        picked = {u.pk for u in data.get("units") or []}
        return [u for u in self.period_units if u.pk in picked or u.group_id in group_ids]

    def unit_picker(self) -> list[tuple[UnitGroup, list[tuple[Unit, bool]], bool]]:
        """Per group of the period: its units (ticked or not) and whether the group is."""
        ticked_units = {str(v) for v in (self["units"].value() or [])}
        ticked_groups = {str(v) for v in (self["groups"].value() or [])}
        rows = []
        for binding in (
            PeriodGroup.objects.filter(period=self.period)
            .select_related("group")
            .order_by("group__position", "group__name")
        ):
            units = [
                (u, str(u.pk) in ticked_units)
                for u in self.period_units
                if u.group_id == binding.group_id
            ]
            rows.append((binding.group, units, str(binding.group_id) in ticked_groups))
        return rows

    def node_picker(self) -> list[tuple[CriteriaSet, list[tuple[CriterionNode, bool]]]]:
        ticked = {str(v) for v in (self["node_codes"].value() or [])}
        return [(s, [(n, n.code in ticked) for n in nodes]) for s, nodes in self.nodes]


def _choices(sets: list[tuple[CriteriaSet, list[CriterionNode]]]) -> list[tuple[str, str]]:
    return [(n.code, f"{n.code}. {n.name}") for _set, nodes in sets for n in nodes]


def assignment_nodes(period: Period) -> list[tuple[CriteriaSet, list[CriterionNode]]]:
    """Per criteria set of the period: its fields (lĩnh vực) and their criteria (the next
    level), in order; a code already listed under an earlier set is not repeated."""
    return _set_nodes(period, depth=2)


def excluded_nodes(period: Period) -> list[tuple[CriteriaSet, list[CriterionNode]]]:
    """Per criteria set of the period: every node, in order (each with ``depth``)."""
    return _set_nodes(period, depth=99)


def _set_nodes(period: Period, depth: int) -> list[tuple[CriteriaSet, list[CriterionNode]]]:
    seen: set[str] = set()
    result: list[tuple[CriteriaSet, list[CriterionNode]]] = []
    bindings = (
        PeriodGroup.objects.filter(period=period)
        .select_related("criteria_set")
        .order_by("group__position", "pk")
    )
    done: set[int] = set()
    for binding in bindings:
        criteria_set = binding.criteria_set
        if criteria_set.pk in done:
            continue
        done.add(criteria_set.pk)
        nodes = list(
            CriterionNode.objects.filter(criteria_set=criteria_set).order_by("position", "id")
        )
        by_id = {n.pk: n for n in nodes}
        shown: list[CriterionNode] = []
        for node in nodes:
            level, parent = 0, node.parent_id
            while parent is not None and parent in by_id:
                level, parent = level + 1, by_id[parent].parent_id
            node.depth = level  # type: ignore[attr-defined]
            if level < depth and node.code not in seen:
                seen.add(node.code)
                shown.append(node)
        if shown:
            result.append((criteria_set, shown))
    return result


class ExcludedNodesForm(forms.Form):
    """The criteria "chưa đánh giá ở kỳ 6 tháng" of a 6-month period."""

    node_codes = forms.MultipleChoiceField(
        label="Chưa đánh giá ở kỳ 6 tháng",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, period: Period, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.nodes = excluded_nodes(period)
        codes = cast(forms.MultipleChoiceField, self.fields["node_codes"])
        codes.choices = _choices(self.nodes)

    def node_picker(self) -> list[tuple[CriteriaSet, list[tuple[CriterionNode, bool]]]]:
        ticked = {str(v) for v in (self["node_codes"].value() or [])}
        return [(s, [(n, n.code in ticked) for n in nodes]) for s, nodes in self.nodes]
