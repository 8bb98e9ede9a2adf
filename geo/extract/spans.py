"""Which place a stretch of the article mentions, without a scan of every mention for each question."""

from __future__ import annotations

from typing import Generic, TypeVar

T = TypeVar("T")

_BLOCK = 256
"""Characters per bucket: few mentions share one, and a long mention is in few."""


class SpanIndex(Generic[T]):
    """Spans of text with a value each; where spans overlap, the one added first wins.

    Each span is filed under every block of ``_BLOCK`` characters it touches, so a
    question about a position reads one block, and the work stays linear in the text.
    """

    def __init__(self) -> None:
        self._blocks: dict[int, list[tuple[int, int, int, T]]] = {}
        self._added = 0

    def add(self, start: int, end: int, value: T) -> None:
        entry = (start, end, self._added, value)
        self._added += 1
        for block in range(start // _BLOCK, max(start, end - 1) // _BLOCK + 1):
            self._blocks.setdefault(block, []).append(entry)

    def at(self, offset: int) -> T | None:
        """The value of the first span added that contains ``offset``."""
        for start, end, _, value in self._blocks.get(offset // _BLOCK, ()):
            if start <= offset < end:
                return value
        return None

    def overlapping(self, start: int, end: int) -> T | None:
        """The value of the first span added that shares a character with ``start``–``end``."""
        best: tuple[int, T] | None = None
        for block in range(start // _BLOCK, max(start, end - 1) // _BLOCK + 1):
            for s, e, order, value in self._blocks.get(block, ()):
                if s < end and start < e and (best is None or order < best[0]):
                    best = (order, value)
                    break  # later entries of the block were added later
        return best[1] if best else None
