"""Jurisdictions (địa bàn): the boundary between the provinces of one installation.

A national or multi-province installation holds several provinces; each runs its own
seasons, criteria sets, trust store and results. The rules every chokepoint asks:

* :func:`jurisdiction_of` a person is the nearest province or district at or above their
  unit (a Sở Nội vụ → its province, a Phòng Nội vụ → its district).
* :func:`province_of` a unit is the province at the top of its branch.
* :func:`in_province` is the queryset filter "this unit (by a relation path) lies in that
  province": the tree is at most four levels deep (province → district → commune, or
  province → sở), so four joins answer it without recursion.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from parindex.organizations.models import Level, Unit

MAX_DEPTH = 4
"""Levels below a province that :func:`in_province` follows (province itself included)."""


def jurisdiction_of(user: Any) -> Unit | None:
    """The province or district whose periods the user's office runs: the nearest
    province/district at or above the user's unit. None without a unit."""
    unit = getattr(user, "unit", None)
    while unit is not None and unit.level not in (Level.PROVINCE, Level.DISTRICT):
        unit = unit.parent
    return unit


def province_of(unit: Unit | None) -> Unit | None:
    """The province at the top of ``unit``'s branch (``unit`` itself if it is one); None
    for a unit outside any province."""
    top: Unit | None = None
    while unit is not None:
        if unit.level == Level.PROVINCE:
            top = unit
        unit = unit.parent
    return top


def user_province(user: Any) -> Unit | None:
    """The province the user works in (through their unit)."""
    return province_of(getattr(user, "unit", None))


def in_province(path: str, province: Unit | None) -> Q:
    """``Q`` matching rows whose unit at relation ``path`` (e.g. ``"jurisdiction"``; ``""``
    for units themselves) is ``province`` (or any unit) or lies below it. Matches nothing
    for ``province`` None."""
    if province is None:
        return Q(pk__in=[])
    match = Q(**{path or "pk": province.pk if not path else province})
    hop = f"{path}__parent" if path else "parent"
    for _ in range(MAX_DEPTH - 1):
        match |= Q(**{hop: province})
        hop = f"{hop}__parent"
    return match


def same_province(unit: Unit | None, user: Any) -> bool:
    """Whether ``unit`` lies in the province the user works in."""
    province = user_province(user)
    return province is not None and province_of(unit) == province
