"""Sentences and words of plain text, with character offsets into the text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from geo.errors import ArticleError

_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "mt", "ft", "gen", "lt", "col", "sgt", "capt", "gov", "sen", "rep",
    "jr", "sr", "inc", "co", "corp", "ltd", "no", "vs", "jan", "feb", "mar", "apr", "aug", "sep", "sept",
    "oct", "nov", "dec", "ave", "rd", "blvd", "prof", "rev", "u.s", "a.m", "p.m", "e.g", "i.e", "etc",
}  # fmt: skip

# A sentence ends at . ! ? (and closing quotes/brackets) before space and a capital,
# a digit or a quote; a blank line or a single line break also ends one. Each run is
# tried once, from its start, without backtracking: a line of a million "!" is one try.
_END = re.compile(r"""(?<![.!?])[.!?]++["'”’)\]]*+(?=\s++["'“‘(\[]?[A-Z0-9])|\n\s*+""")
_LAST_WORD = re.compile(r"[\w.]+$")
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))


MAX_ARTICLE_BYTES = 64_000_000
"""Articles larger than this are refused: extraction holds the text and its mentions, 10 to 50 times its size."""


def read_article(path: Path) -> str:
    """The article's text; a file that is not one is a one-line error with the line of the first bad byte."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ARTICLE_BYTES + 1)  # never more: the file may be huge, or endless (a pipe)
    except FileNotFoundError:
        raise ArticleError(f"{path}: no such file; give the path of a plain-text article") from None
    except OSError as exc:
        raise ArticleError(f"{path}: cannot be read ({exc.strerror or exc}); give the path of a plain-text article") from None
    if len(data) > MAX_ARTICLE_BYTES:
        raise ArticleError(f"{path}: larger than {MAX_ARTICLE_BYTES / 1e6:g} MB, the most an article may have; split it")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        raise ArticleError(
            f"{path}:{line}: byte {column} of the line (0x{data[exc.start]:02x}) is not UTF-8; "
            "save the article as UTF-8 plain text"
        ) from None


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; offsets are into ``text``."""
    out: list[Sentence] = []
    start = 0
    for m in _END.finditer(text):
        if m.group() == ".":
            # the word before the full stop; read from a little before it only: a longer
            # word is cut there, and too long for an abbreviation either way
            word = _LAST_WORD.search(text, max(start, m.start() - _LONGEST_ABBREVIATION - 1), m.start())
            if word and (word.group().casefold() in _ABBREVIATIONS or len(word.group()) == 1):
                continue
        _add(out, text, start, m.end() if not m.group().startswith("\n") else m.start())
        start = m.end()
    _add(out, text, start, len(text))
    return out


def _add(out: list[Sentence], text: str, start: int, end: int) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    s = start + lead
    out.append(Sentence(len(out), s, s + len(stripped), stripped))


def sentence_at(sents: list[Sentence], offset: int) -> Sentence:
    """The sentence that contains ``offset`` (binary search)."""
    lo, hi = 0, len(sents) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if sents[mid].start <= offset:
            lo = mid
        else:
            hi = mid - 1
    return sents[lo]
