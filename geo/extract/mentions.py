"""Candidate place mentions in plain text: capitalised phrases, gazetteer names, cues.

A mention is a span of the text that may name a place. Spans are found by rules
(capitalised phrases, "the village of X", "X district", demonyms) and checked
against a name test, usually the gazetteer (``knows(name)``). Nothing is resolved here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from geo.extract.lexicon import (
    DEMONYMS,
    FEATURES,
    FEATURES_BEFORE,
    LOCATIVE,
    MONTHS,
    ORG_WORDS,
    STOP,
    TITLES,
    WEEKDAYS,
)
from geo.extract.text import Sentence

# Words that may start a place name although STOP lists them alone ("New York", "West Bank").
_NAME_STARTERS = {
    "west", "east", "north", "south", "western", "eastern", "northern", "southern", "central", "new", "united",
    "great", "little", "big", "old", "saint", "st", "fort", "mount", "lake", "park", "high", "national",
    "republic", "kingdom", "state", "city", "county", "islamic", "arab", "upper", "lower", "greater",
}  # fmt: skip
_LEAD_STRIP = STOP - _NAME_STARTERS

_CAPWORD = r"(?:(?:[Aa]l|[Ee]l|[Aa][drstnz]|[Aa]sh|[Bb]ani|[Bb]eit|[Dd]eir|[Tt]el|[Aa]bu)[-‐](?=[A-Z]))?(?:(?:[A-Z]\.){2,}|St\.|[A-Z][\w’']*(?:-[\w’']+)*)"
_CONNECT = r"(?:(?:of|de|del|da|do|dos|la|le|les|du|on|upon|the|al|el|di|von|van|y|sur|en)[ ])"
_PHRASE = re.compile(rf"(?<![\w’'-]){_CAPWORD}(?:[ ]{_CONNECT}*{_CAPWORD})*")
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\W*$")
_TWO_BEFORE = re.compile(r"([A-Za-z]+)\s+([A-Za-z]+)\s+$")
_WORD_AFTER = re.compile(r"^\s*([a-z]+)")
_AGE_AFTER = re.compile(r"^,\s*\d{1,3},")
_SAID_AFTER = re.compile(r"^\s*(?:said|says|told|added|explained|wrote|asked|noted|testified|according)\b")
_CONNECTORS = {"of", "de", "del", "da", "do", "dos", "la", "le", "les", "du", "on", "upon", "the", "al", "el", "di",
               "von", "van", "y", "sur", "en"}  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    text: str
    """The span as written (possessive 's and -led/-based tails cut off)."""
    names: tuple[str, ...]
    """Names to look up, best first (e.g. "Al-Tanaf garrison", then "Al-Tanaf")."""
    sentence: int
    kind: str | None = None
    """Kind given by a feature word ("X district"), if any."""
    cue: str = ""
    """"feature", "locative" or "" : how strongly the context says it is a place."""
    demonym: str | None = None
    """For a demonym ("Syrian"), the country it names."""
    known: bool = False
    """The name test accepted it."""


@dataclass
class _Tok:
    text: str
    start: int
    end: int


def find(text: str, sents: list[Sentence], knows: Callable[[str], bool]) -> list[Candidate]:
    """All candidate mentions in ``text``, in order, not overlapping."""
    out: list[Candidate] = []
    for sent in sents:
        base = sent.start
        for m in _PHRASE.finditer(sent.text):
            for toks in _split(m.group(), base + m.start()):
                out.extend(_candidates(text, sent, toks, knows))
    out.sort(key=lambda c: (c.start, -c.end))
    kept: list[Candidate] = []
    for c in out:
        if kept and c.start < kept[-1].end:
            continue
        kept.append(c)
    return kept


def _split(phrase: str, offset: int) -> list[list[_Tok]]:
    """Tokens of a capitalised phrase, cut into runs at possessives, -led tails, months."""
    runs: list[list[_Tok]] = [[]]
    pos = 0
    for word in phrase.split(" "):
        start = offset + pos
        pos += len(word) + 1
        if not word:
            continue
        end_run = False
        if word.endswith(("'s", "’s")):
            word, end_run = word[:-2], True
        elif word.endswith(("'", "’")):
            word, end_run = word[:-1], True
        tail = re.search(r"-(?=[a-z])", word)
        if tail and word[: tail.start()].casefold() not in _CONNECTORS and not re.match(r"^[A-Za-z]{1,3}-[a-z]+-", word):
            word = word[: tail.start()]
            end_run = True
        if not word:
            runs.append([])
            continue
        low = word.casefold().rstrip(".")
        if low in WEEKDAYS or low in MONTHS:
            runs.append([])
            continue
        runs[-1].append(_Tok(word, start, start + len(word)))
        if end_run:
            runs.append([])
    # connector words cannot end or start a run
    cleaned = []
    for run in runs:
        while run and run[-1].text.casefold() in _CONNECTORS:
            run.pop()
        while run and run[0].text.casefold() in _CONNECTORS:
            run.pop(0)
        if run:
            cleaned.append(run)
    return cleaned


def _join(toks: list[_Tok]) -> str:
    return " ".join(t.text for t in toks)


def _candidates(text: str, sent: Sentence, toks: list[_Tok], knows: Callable[[str], bool]) -> list[Candidate]:
    out: list[Candidate] = []
    # leading sentence starters and titles
    sentence_initial = toks[0].start == sent.start or text[sent.start : toks[0].start].strip(" \"'“‘(") == ""
    person = False
    while toks and toks[0].text.casefold().rstrip(".") in _LEAD_STRIP:
        if toks[0].text.casefold().rstrip(".") in TITLES:
            person = True
        toks = toks[1:]
        sentence_initial = False
    if not toks:
        return out
    before = text[max(0, toks[0].start - 40) : toks[0].start]
    after = text[toks[-1].end : toks[-1].end + 40]
    prev = _WORD_BEFORE.search(before)
    prev_word = prev.group(1).casefold() if prev and before[prev.end(1) :].strip() == "" else ""
    if prev_word in TITLES or person:
        return out
    if _AGE_AFTER.match(after):
        return out

    # demonyms: "Syrian", "Iraqi" (possibly leading an organisation's name)
    first = toks[0].text.casefold()
    if first in DEMONYMS or first.rstrip("s") in DEMONYMS:
        country = DEMONYMS.get(first) or DEMONYMS[first.rstrip("s")]
        next_word = _WORD_AFTER.match(after) if len(toks) == 1 else None
        kind = None
        if next_word and next_word.group(1) in {"border", "borders"}:
            kind = "border"
        out.append(Candidate(toks[0].start, toks[0].end, toks[0].text, (country,), sent.index, kind=kind,
                             cue="feature" if kind else "", demonym=country, known=True))  # fmt: skip
        rest = toks[1:]
        if not rest or rest[-1].text.casefold() in ORG_WORDS or len(rest) > 1:
            return out
        toks = rest

    said = bool(_SAID_AFTER.match(after))
    if toks[0].text.casefold() in {"abu", "bin", "ibn", "umm", "bint"} or (said and not knows(_join(toks))):
        return out
    name = _join(toks)
    low = name.casefold()
    org = any(t.text.casefold() in ORG_WORDS for t in toks[1:])
    # cues around the span
    nxt = _WORD_AFTER.match(after)
    feature = nxt.group(1) if nxt and nxt.group(1) in FEATURES else None
    two = _TWO_BEFORE.search(before)
    feature_before = None
    if two and two.group(2).casefold() == "of" and two.group(1).casefold() in FEATURES_BEFORE:
        feature_before = two.group(1).casefold()
    locative = prev_word in LOCATIVE and prev_word != "of"

    if feature and not org:
        end = toks[-1].end + nxt.end(1)
        out.append(Candidate(toks[0].start, end, text[toks[0].start : end], (text[toks[0].start : end], name),
                             sent.index, kind=FEATURES[feature], cue="feature", known=knows(name)))  # fmt: skip
        return out
    if not org and (knows(name) and (len(toks) > 1 or low not in STOP)):
        if sentence_initial and len(toks) == 1 and not locative and _SAID_AFTER.match(after):
            return out
        cue = "feature" if feature_before else "locative" if locative else ""
        kind = {"capital": "capital", "port": "city"}.get(feature_before or "", feature_before and _kind_of(feature_before))
        out.append(Candidate(toks[0].start, toks[-1].end, name, (name,), sent.index, kind=kind, cue=cue, known=True))
        return out
    if feature_before and not org:
        out.append(Candidate(toks[0].start, toks[-1].end, name, (name,), sent.index,
                             kind=_kind_of(feature_before), cue="feature", known=False))  # fmt: skip
        return out
    # sub-spans the name test knows, longest first from the left ("Rapides Parish Fire District")
    found_sub = False
    if len(toks) > 1:
        i = 0
        while i < len(toks):
            for length in range(min(len(toks) - i, 5), 0, -1):
                if length == len(toks):
                    continue
                part = toks[i : i + length]
                pname = _join(part)
                if pname.casefold() in STOP or part[-1].text.casefold() in ORG_WORDS:
                    continue
                if part[0].text.casefold() in _CONNECTORS:
                    continue
                if knows(pname):
                    out.append(Candidate(part[0].start, part[-1].end, pname, (pname,), sent.index, known=True))
                    found_sub = True
                    i += length - 1
                    break
            i += 1
    if found_sub or org or sentence_initial:
        return out
    if locative and len(toks) <= 3 and low not in STOP and not _SAID_AFTER.match(after):
        out.append(Candidate(toks[0].start, toks[-1].end, name, (name,), sent.index, cue="locative", known=False))
    return out


def _kind_of(word: str) -> str:
    return FEATURES.get(word, "other") if word not in {"capital", "port"} else ("capital" if word == "capital" else "city")
