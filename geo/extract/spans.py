"""Which place a stretch of the article mentions, without a scan of every mention for each question."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_BLOCK = 256
"""Characters per bucket: few mentions share one, and a long mention is in few."""


class SpanIndex(Generic[T]):
    """Spans of text, each with a rank and a value; where spans overlap, the lowest rank wins.

    Each span is filed under every block of ``_BLOCK`` characters it touches, so a
    question about a position reads one block, and the work stays linear in the text.
    """

    def __init__(self) -> None:
        self._blocks: dict[int, list[tuple[int, int, int, T]]] = {}

    def add(self, start: int, end: int, rank: int, value: T) -> None:
        entry = (start, end, rank, value)
        for block in range(start // _BLOCK, max(start, end - 1) // _BLOCK + 1):
            self._blocks.setdefault(block, []).append(entry)

    def at(self, offset: int) -> T | None:
        """The value of the lowest-ranked span that contains ``offset``."""
        return self._best(offset, offset + 1, lambda s, e: s <= offset < e)

    def overlapping(self, start: int, end: int) -> T | None:
        """The value of the lowest-ranked span that shares a character with ``start``–``end``."""
        return self._best(start, end, lambda s, e: s < end and start < e)

    def _best(self, start: int, end: int, fits: Callable[[int, int], bool]) -> T | None:
        best: tuple[int, T] | None = None
        for block in range(start // _BLOCK, max(start, end - 1) // _BLOCK + 1):
            for s, e, rank, value in self._blocks.get(block, ()):
                if fits(s, e) and (best is None or rank < best[0]):
                    best = (rank, value)
        return best[1] if best else None
