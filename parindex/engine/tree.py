"""A criteria set compiled once for fast evaluation of many units.

Nodes are renumbered into *slots*: the leaves first (in display order), then every parent
after all of its children (post-order). One unit's points are then a list whose first part
is filled by scoring the leaves and whose rest is filled in one bottom-up pass, with no
recursion and no lookups by code. ``layout`` maps slots back to codes and display order.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from parindex.engine.model import MANUAL, CriteriaSet, NodeLayout, Rounding
from parindex.engine.rules import Scorer, make_scorer


@dataclass(frozen=True, slots=True)
class CompiledTree:
    layout: NodeLayout
    parent: tuple[int, ...]
    """Parent's slot, -1 for a field."""
    children: tuple[tuple[int, ...], ...]
    max: tuple[Decimal, ...]
    leaf_count: int
    """Slots ``0 .. leaf_count - 1`` are the leaves, in display order."""
    leaf_codes: tuple[str, ...]
    leaf_scorers: tuple[Scorer, ...]
    internal_plan: tuple[tuple[tuple[int, ...], Decimal], ...]
    """(children, max) of slots ``leaf_count ..`` in order: children always come first."""
    fields: tuple[int, ...]
    """Slots of the fields, in display order."""
    full_max: tuple[Decimal, ...]
    """Applicable max of every slot when nothing is not applicable."""
    subtree: tuple[tuple[int, ...], ...]
    """Each slot with all of its descendants."""

    @property
    def size(self) -> int:
        return len(self.max)

    @property
    def codes(self) -> tuple[str, ...]:
        return self.layout.codes

    @property
    def leaves(self) -> range:
        return range(self.leaf_count)


def compile_tree(criteria: CriteriaSet, rounding: Rounding | None = None) -> CompiledTree:
    """Compile a validated criteria set (codes unique, parents known, no cycles)."""
    nodes = criteria.nodes
    rounding = rounding or criteria.rounding
    position = {node.code: i for i, node in enumerate(nodes)}
    kids: list[list[int]] = [[] for _ in nodes]
    for i, node in enumerate(nodes):
        if node.parent is not None:
            kids[position[node.parent]].append(i)

    post: list[int] = []  # display positions, children before parents
    for root in (i for i, node in enumerate(nodes) if node.parent is None):
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            i, expanded = stack.pop()
            if expanded:
                post.append(i)
                continue
            stack.append((i, True))
            stack.extend((c, False) for c in reversed(kids[i]))
    if len(post) != len(nodes):
        raise ValueError("the criteria tree has a cycle")

    leaf_positions = [i for i in range(len(nodes)) if not kids[i]]
    order = leaf_positions + [i for i in post if kids[i]]  # slot -> display position
    slot = {p: s for s, p in enumerate(order)}

    parent = tuple(
        slot[position[nodes[p].parent]] if nodes[p].parent is not None else -1  # type: ignore[index]
        for p in order
    )
    children = tuple(tuple(slot[c] for c in kids[p]) for p in order)
    maxes = tuple(nodes[p].max for p in order)
    full_max = list(maxes)
    subtree: list[tuple[int, ...]] = [()] * len(order)
    for s in range(len(order)):  # children have lower slots than their parent
        if children[s]:
            full_max[s] = min(sum((full_max[c] for c in children[s]), Decimal(0)), maxes[s])
        subtree[s] = (s, *(d for c in children[s] for d in subtree[c]))

    leaf_count = len(leaf_positions)
    layout = NodeLayout(
        codes=tuple(nodes[p].code for p in order),
        display=tuple(slot[p] for p in range(len(nodes))),
        index={nodes[p].code: s for s, p in enumerate(order)},
    )
    return CompiledTree(
        layout=layout,
        parent=parent,
        children=children,
        max=maxes,
        leaf_count=leaf_count,
        leaf_codes=layout.codes[:leaf_count],
        leaf_scorers=tuple(
            make_scorer(nodes[p].rule or MANUAL, nodes[p].max, rounding) for p in leaf_positions
        ),
        internal_plan=tuple((children[s], maxes[s]) for s in range(leaf_count, len(order))),
        fields=tuple(slot[i] for i, node in enumerate(nodes) if node.parent is None),
        full_max=tuple(full_max),
        subtree=tuple(subtree),
    )
