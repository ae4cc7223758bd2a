"""Reordering rows that carry an ``order`` field (goals, delmål, parties, …)."""

from typing import Any


def move_within(siblings: list[Any], *, pk: Any, direction: str) -> tuple[int, int]:
    """Swap row ``pk`` with its neighbour ``"up"`` or ``"down"`` and renumber ``order`` 0..n-1
    on every sibling, in memory (the caller locks the rows and saves them).

    Returns ``(old index, new index)``; at either end of the list nothing moves and both are
    equal.
    """
    index = next(i for i, s in enumerate(siblings) if s.pk == pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        target = index
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.order = position
    return index, target
