"""The article's sentences that mention a place, with the mentions marked."""

from __future__ import annotations

import re
from collections.abc import Iterable

from geo.extract.text import sentences


def quotes_for(names: Iterable[str], article_text: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Each sentence of ``article_text`` naming one of ``names`` (a place's name and aliases).

    Returns ``(sentence, [(start, end), ...])`` with offsets into the sentence, in
    article order; a sentence repeated word for word (a photo caption) is given once.
    Matching ignores case and accepts a possessive ('s) after the name.
    """
    words = sorted({n.strip() for n in names if n and n.strip()}, key=len, reverse=True)
    if not words:
        return []
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(r"\s+".join(map(re.escape, w.split())) for w in words) + r")(?![\w-])",
        re.IGNORECASE,
    )
    out: list[tuple[str, list[tuple[int, int]]]] = []
    seen: set[str] = set()
    for sent in sentences(article_text):
        spans = [(m.start(), m.end()) for m in pattern.finditer(sent.text)]
        if spans and sent.text not in seen:
            seen.add(sent.text)
            out.append((sent.text, spans))
    return out
