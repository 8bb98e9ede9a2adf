"""Relative positions and zones stated in words.

"a military complex around two kilometers north of the city" becomes a position
2 km north of the city; "the 34-mile (55-kilometer) de-confliction zone" becomes a
55 km zone. Which place "the city" or the zone belongs to is decided by the caller.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from geo.extract.lexicon import DIRECTIONS, NUMBERS, UNITS_KM

# A figure is read from its first digit, without backtracking: a run of a million digits is one try.
_NUM = r"(?:(?<!\d)(?:\d{1,3}(?:,\d{3})+|\d++(?:\.\d++)?)|a few|a couple of|a dozen|half a|" + "|".join(
    sorted((k for k in NUMBERS if " " not in k), key=len, reverse=True)
) + r")"
_UNIT = r"(?:nautical miles?|kilomet(?:er|re)s?|kms?|miles?|mi|met(?:er|re)s?|m)"
_DIR = "|".join(sorted(DIRECTIONS, key=len, reverse=True))
_QUAL = r"(?:(?:some|about|around|roughly|approximately|nearly|almost|just|over|under|only|less than|more than|up to)\s+){0,3}"
_CAP = r"[A-Z][\w’'-]*(?:\s+(?:of\s+)?[A-Z][\w’'-]*){0,3}"
_REF = rf"(?:the\s+(?:city|town|village|capital|base|garrison|camp|border|river|airport|site|country)(?:\s+(?:limits|centre|center|outskirts))?|{_CAP})"
_RELATIVE = re.compile(
    rf"(?P<qual>{_QUAL})(?P<num>{_NUM})[\s-]*(?P<unit>{_UNIT})\b(?:\s*\([^)]{{0,100}}\))?\s+(?:to\s+the\s+)?"
    rf"(?P<dir>{_DIR})\s+(?:of|from)\s+(?P<ref>{_REF})",
    re.IGNORECASE,
)
_ZONE_WORDS = ("zone", "buffer", "perimeter", "cordon", "radius", "exclusion area", "no-go area")
_ZONE = re.compile(
    rf"(?P<num>{_NUM})[\s-]*(?P<unit>{_UNIT})\b(?:\s*\((?P<num2>{_NUM})[\s-]*(?P<unit2>{_UNIT})\))?\s+"
    rf"(?P<name>(?:[\w-]+\s+){{0,2}}?(?:{'|'.join(_ZONE_WORDS)}))\b"
    rf"(?:\s+(?:around|of|from|surrounding)\s+(?P<ref>{_REF}))?",
    re.IGNORECASE,
)
_SUBJECT = re.compile(r"\b(?:a|an|the|its|their)\s+((?:[\w’'-]+\s+){0,3}?[\w’'-]+)\s*,?\s*$", re.IGNORECASE)
_SUBJECT_CHARS = 300
"""How far before a distance its subject ("a military complex") is looked for."""


@dataclass(frozen=True, slots=True)
class RelativeFact:
    sentence: int
    start: int
    end: int
    subject: str
    """The thing placed, as written ("military complex"), or "" when none is found."""
    subject_start: int
    subject_end: int
    distance_km: float
    bearing: str
    ref: str
    """"the city" or a name as written."""
    ref_start: int
    says: str


@dataclass(frozen=True, slots=True)
class ZoneFact:
    sentence: int
    start: int
    end: int
    name: str
    name_start: int
    radius_km: float
    ref: str | None
    ref_start: int
    says: str


def number(text: str) -> float | None:
    low = text.casefold().strip()
    if low in NUMBERS:
        return float(NUMBERS[low])
    if low == "half a":
        return 0.5
    try:
        return float(low.replace(",", ""))
    except ValueError:
        return None


def km(num: str, unit: str) -> float | None:
    value = number(num)
    factor = UNITS_KM.get(unit.casefold()) or UNITS_KM.get(unit.casefold().rstrip("s"))
    if value is None or factor is None:
        return None
    return round(value * factor, 3)


def _may_hold(sentence: str, words: tuple[str, ...]) -> bool:
    """Whether one of ``words`` may be in the sentence, whatever the case: a cheap test before a slow pattern.

    Case-blind patterns also take the dotless ı for i; casefold() does the rest (ſ → s).
    """
    low = sentence.casefold().replace("ı", "i")
    return any(w in low for w in words)


def relatives(sentence: str, offset: int, index: int) -> Iterator[RelativeFact]:
    """Relative positions in one sentence, one at a time (a sentence may be the whole article); offsets into the text."""
    if not _may_hold(sentence, ("north", "south", "east", "west")):  # every direction has one of them
        return
    for m in _RELATIVE.finditer(sentence):
        distance = km(m.group("num"), m.group("unit"))
        if distance is None:
            continue
        subject, s_start, s_end = "", 0, 0
        found = _SUBJECT.search(sentence, max(0, m.start() - _SUBJECT_CHARS), m.start())
        if found:
            subject = found.group(1)
            s_start, s_end = offset + found.start(1), offset + found.end(1)
        yield RelativeFact(
            index, offset + m.start(), offset + m.end(), subject, s_start, s_end, distance,
            DIRECTIONS[m.group("dir").casefold()], m.group("ref"), offset + m.start("ref"), m.group().strip(),
        )  # fmt: skip


def zones(sentence: str, offset: int, index: int) -> Iterator[ZoneFact]:
    """Zones of a stated radius in one sentence, one at a time; a metric figure in brackets wins."""
    if not _may_hold(sentence, _ZONE_WORDS):
        return
    for m in _ZONE.finditer(sentence):
        first = km(m.group("num"), m.group("unit"))
        second = km(m.group("num2"), m.group("unit2")) if m.group("num2") else None
        metric = m.group("unit2") and m.group("unit2").casefold().startswith(("k", "m")) and not m.group(
            "unit2"
        ).casefold().startswith("mi")
        radius = second if second and metric else first
        if not radius:
            continue
        name = m.group("name").strip()
        yield ZoneFact(index, offset + m.start(), offset + m.end(), name, offset + m.start("name"), radius,
                       m.group("ref"), offset + m.start("ref"), m.group().strip())  # fmt: skip
