"""The article's sentences that mention a place, with the mentions marked."""

from __future__ import annotations

import re
from array import array
from collections.abc import Iterable
from functools import lru_cache

from geo.extract.text import sentences

_WORD = re.compile(r"\w+")


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
    texts, index = _sentences_by_word(article_text)
    firsts = [_WORD.match(w) for w in words]
    if all(firsts):  # only the sentences holding a name's first word can hold the name
        which: Iterable[int] = sorted({i for m in firsts if m for i in index.get(_key(m.group()), ())})
    else:
        which = range(len(texts))
    out: list[tuple[str, list[tuple[int, int]]]] = []
    seen: set[str] = set()
    for i in which:
        text = texts[i]
        spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
        if spans and text not in seen:
            seen.add(text)
            out.append((text, spans))
    return out


def _key(word: str) -> str:
    """A word as the index files it: at least as case-blind as the pattern (which also takes ı and İ for i)."""
    return word.casefold().replace("ı", "i").replace("\u0307", "")


@lru_cache(maxsize=1)
def _sentences_by_word(article_text: str) -> tuple[list[str], dict[str, array]]:
    """The article's sentences, split once for all its places, and the sentences each word is in.

    A map quotes the article for every place: splitting it again each time, or reading
    every sentence for each place, grows with places times text.
    """
    texts = [s.text for s in sentences(article_text)]
    index: dict[str, array] = {}
    for i, text in enumerate(texts):
        for word in {_key(w) for w in _WORD.findall(text)}:
            index.setdefault(word, array("I")).append(i)
    return texts, index
