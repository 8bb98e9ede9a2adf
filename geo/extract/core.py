"""From article text to places: find mentions, resolve them with the whole article as context, merge them.

The gazetteer is used only through its ``lookup`` interface; when it also has a
``names()`` method (every name it knows), that set decides which capitalised phrases
are names without a look-up each.
"""

from __future__ import annotations

import bisect
import datetime as dt
import heapq
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from geo.extract import mentions as mention_rules
from geo.extract.dates import dates_in
from geo.extract.lexicon import CITY_PARTS, DEMONYMS
from geo.extract.relations import relatives, zones
from geo.extract.spans import SpanIndex
from geo.extract.text import Sentence, sentences
from geo.gazetteer import (
    Gazetteer,
    Match,
    Query,
    default_gazetteer,
    fold,
    resolve_together,
)
from geo.gazetteer.normalize import variant as _variant
from geo.gazetteer.within import AREA_KINDS, restrict, us_state_abbreviations
from geo.gazetteer.within import areas as qualifier_areas

T = TypeVar("T")
_fold_other = lru_cache(maxsize=1 << 16)(fold)


def _fold(name: str) -> str:
    """fold() for the article's words, which come by the million: plain ASCII has no accents to decompose
    (the same result, many times faster), and the rest often comes back, so it is cached."""
    if name.isascii():
        return " ".join(name.casefold().replace("-", " ").split())
    return _fold_other(name)


LOW_CONFIDENCE = 0.6
_LONGEST_NAME = 400
"""Characters: no gazetteer name is longer (GeoNames' longest is under 200), so a longer phrase is not looked up."""
KINDS = {"city", "town", "village", "district", "site", "base", "crossing", "river", "border", "zone", "country",
         "capital", "region", "other"}  # fmt: skip
_KIND_MAP = {"state": "region", "admin1": "region", "admin2": "region", "province": "region", "county": "region",
             "airport": "site", "mountain": "site", "lake": "other", "island": "region", "continent": "region",
             "sea": "other", "neighbourhood": "district", "neighborhood": "district", "camp": "site"}  # fmt: skip
_SUBJECT_KINDS = {"complex": "base", "base": "base", "garrison": "base", "camp": "site", "airbase": "base",
                  "airport": "site", "village": "village", "town": "town", "city": "city", "citadel": "site",
                  "checkpoint": "site", "crossing": "crossing", "dam": "site", "field": "site", "oilfield": "site",
                  "hill": "site", "hilltop": "site", "bridge": "site", "plant": "site", "prison": "site"}  # fmt: skip


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str
    sentence: int
    demonym: bool = False
    cue: str = ""
    article: bool = False
    """Written after "the" or "a" as a lone word ("the Arona")."""

    @property
    def sentence_number(self) -> int:
        """The sentence as every output numbers it: from 1, as a reader and a line number count (``sentence`` is
        the index, from 0)."""
        return self.sentence + 1


@dataclass
class Place:
    name: str
    mentions: list[Mention]
    kind: str = "other"
    match: Match | None = None
    via: str = ""
    """The name the gazetteer found, when not the place's own (e.g. "Al-Tanaf" for "Al-Tanaf garrison")."""
    confidence: float = 0.0
    reasons: list[str] = field(default_factory=list)
    relative: dict | None = None
    zone: dict | None = None
    events: list[tuple[dt.date, str]] = field(default_factory=list)
    countries: tuple[str, ...] = ()
    """For a border: the ISO codes or names of the two countries."""
    within: str = ""
    """The region, state or country the article places it in ("Paris, Illinois"): its ``within:``."""
    qualifier_only: bool = False
    """Named only as another place's qualifier ("Illinois" in "Paris, Illinois"): no entry of its own."""

    @property
    def aliases(self) -> list[str]:
        seen = {_fold(self.name)}
        out = []
        for text in dict.fromkeys(m.text for m in self.mentions if not m.demonym):  # each spelling once
            if _fold(text) not in seen:
                seen.add(_fold(text))
                out.append(text)
        return out

    @property
    def demonym_only(self) -> bool:
        return bool(self.mentions) and all(m.demonym for m in self.mentions)

    @property
    def placed(self) -> bool:
        return self.match is not None or self.relative is not None or self.zone is not None

    @property
    def score(self) -> float:
        return round(self.confidence, 3)


@dataclass
class Extraction:
    text: str
    sentences: list[Sentence]
    places: list[Place]
    """Places with enough evidence for an entry in the place list, in order of first mention."""
    unresolved: list[Place]
    """Names found that no gazetteer knows and that have too little evidence for an entry."""
    date: dt.date | None
    country: str | None

    def mentions(self) -> Iterable[tuple[Mention, Place]]:
        for place in self.places + self.unresolved:
            for m in place.mentions:
                yield m, place


_ABBREVIATED = re.compile(r"\b(St|Mt|Ft)\.[ ]*")
_SPELLED_OUT = {"St": "Saint", "Mt": "Mount", "Ft": "Fort"}


def _spellings(name: str) -> tuple[str, ...]:
    """Other spellings of "St. Louis", "Mt. Pleasant", "Ft. Worth" as gazetteers write them: "St Louis",
    "Saint Louis"; none for a name without such an abbreviation."""
    if "." not in name or not _ABBREVIATED.search(name):
        return ()
    plain = _ABBREVIATED.sub(lambda m: m.group(1) + " ", name)
    full = _ABBREVIATED.sub(lambda m: _SPELLED_OUT[m.group(1)] + " ", name)
    return (plain, full)


def _variant_ok(name: str) -> bool:
    """Worth a look-up although not in the name set: a transliterated Arabic name (Al-X, ...)."""
    return bool(re.match(r"(?i)(?:al|el|a[dnrstz]|ash)[-\s]", name)) and len(name.split()) <= 2


def _exact(match: Match) -> bool:
    """A match on the name's own (folded) spelling, not a transliteration of it."""
    return match.score >= 100.0


class Extractor:
    """Finds and resolves the places of articles; keeps a look-up cache across articles."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        names = getattr(self.gazetteer, "names", None)
        self._names: set[str] | None = {fold(n) for n in names()} if callable(names) else None
        self._cache: dict[str, list[Match]] = {}
        self._areas: dict[str, tuple[Match, ...]] = {}

    def lookup(self, name: str) -> list[Match]:
        if len(name) > _LONGEST_NAME:
            return []
        key = _fold(name)
        found = self._cache.get(key)
        if found is None:
            # With a name set, a name it lacks is not looked up: that would only reach fuzzy guesses.
            spelled = self._names is not None and key in self._names
            if not (key and (self._names is None or spelled or _variant_ok(name))):
                return []  # nothing to keep either: an article may hold millions of such names
            found = self.gazetteer.lookup(name, candidates=10)  # true matches only: the gazetteer's one rule
            if spelled:
                # A name the gazetteer has as spelled means that place, not a look-alike transliteration
                # (Brown is not Brunei, Sullivan not Slovenia).
                found = [m for m in found if _exact(m)]
            self._cache[key] = found
        return found

    def knows(self, name: str) -> bool:
        if len(name) > _LONGEST_NAME:
            return False
        if self._names is not None:
            return _fold(name) in self._names or any(_fold(n) in self._names for n in _spellings(name))
        return bool(self.lookup(name)) or any(self.lookup(n) for n in _spellings(name))

    def major(self, name: str) -> bool:
        """Whether the name's first match is a country, a state or a city (not a village or a town), by that
        name: "Act" and "Man" are other names of Waco and Amman, too slight to find a city in a phrase."""
        found = self.lookup(name)
        return bool(found) and found[0].kind in _MAJOR_KINDS and (len(name) > 4 or _fold(found[0].name) == _fold(name))

    def spelled(self, name: str) -> bool:
        """Whether a place bears ``name`` itself, not only as one of its other names ("Mat" of Matadi)."""
        key = _fold(name)
        return any(_fold(m.name) == key for m in self.lookup(name))

    def extract(self, text: str, date: dt.date | None = None) -> Extraction:
        sents = sentences(text)
        found = mention_rules.find(text, sents, self.knows, self.major, self.spelled)
        groups = self._group(c for c in _drain(found) if not self._alias_only(c))
        within = self._qualifiers(text, groups)
        country = self._resolve(groups, within)
        groups = _merge([p for p in groups if not _thing_named(p, country)])
        _city_parts(text, sents, groups)
        main = _main_city(groups)
        extra = _borders(text, sents, groups, country, self)
        groups.extend(extra)
        _relations(text, sents, groups, main)
        _events(text, sents, groups, date)
        for place in groups:
            _confidence(place, country)
        groups.sort(key=lambda p: (p.mentions[0].start if p.mentions else 10**9))
        referred = _referred(groups)
        keep = [_keep(p, referred) for p in groups]
        places = [p for p, kept in zip(groups, keep, strict=True) if kept]
        rest = [p for p, kept in zip(groups, keep, strict=True) if not kept]
        return Extraction(text, sents, places, rest, date, country)

    # -- steps -----------------------------------------------------------

    def _alias_only(self, c: mention_rules.Candidate) -> bool:
        """A lone word, with no cue, that is only another name of a town ("Farmers" of Milan, Michigan)."""
        if c.demonym or c.cue or " " in c.text or c.names != (c.text,):
            return False
        found = self.lookup(c.text)
        key = _fold(c.text)
        return bool(found) and found[0].kind not in _MAJOR_KINDS and all(_fold(m.name) != key for m in found)

    def _group(self, cands: Iterable[mention_rules.Candidate]) -> list[Place]:
        by_key: dict[str, Place] = {}
        demonyms_only: set[str] = set()  # the keys of places named so far only by demonyms
        for c in cands:
            key = _fold(c.demonym or c.names[0])
            if c.demonym and c.kind == "border":
                continue  # handled by _borders
            place = by_key.get(key)
            mention = Mention(c.start, c.end, c.text, c.sentence, demonym=bool(c.demonym), cue=c.cue, article=c.article)
            if place is None:
                place = by_key[key] = Place(name=c.demonym or c.text, mentions=[], kind=c.kind or "other")
                place._names = (*c.names, *(s for n in c.names for s in _spellings(n)))  # type: ignore[attr-defined]
                if c.demonym:
                    demonyms_only.add(key)
            elif key in demonyms_only and not c.demonym:
                place.name = c.text
                demonyms_only.discard(key)
            place.mentions.append(mention)
            if c.kind:
                place.kind = c.kind
        return list(by_key.values())

    def _qualifiers(self, text: str, groups: list[Place]) -> dict[int, tuple[Match, ...]]:
        """The areas of the places the article qualifies: "X, Y" or "X in Y", Y a region, state or country holding an X.

        Returns the areas by the place's index in ``groups``; sets its ``within`` and marks a Y
        named only so as ``qualifier_only``.
        """
        at = {m.start: (i, m) for i, g in enumerate(groups) for m in g.mentions if not m.demonym}
        within: dict[int, tuple[Match, ...]] = {}
        qualifying: dict[int, set[int]] = {}
        for i, place in enumerate(groups):
            for m in place.mentions:
                after = _QUALIFIER_LEAD.match(text, m.end) if not m.demonym else None
                j, written = at.get(after.end(), (None, None)) if after else (None, None)
                if j is None or j == i or written is None:
                    continue
                found = within.get(i) or self._within(place, groups[j], written.text)
                if found:
                    within[i] = found
                    place.within = place.within or groups[j]._names[0]  # type: ignore[attr-defined]
                    qualifying.setdefault(j, set()).add(written.start)
        for j, starts in qualifying.items():
            groups[j].qualifier_only = all(m.start in starts for m in groups[j].mentions if not m.demonym)
        return within

    def _within(self, place: Place, area: Place, written: str) -> tuple[Match, ...]:
        """The areas ``area`` names that hold a place of ``place``'s name; empty when it names none or none does.

        ``area`` must read as an area when named alone ("Dallas, Houston" is a list), or be written
        as a state's abbreviation ("N.Y." is the state, where "New York" alone is the city). A
        state is never qualified ("Kansas, Oklahoma" is a list, though Kansas, Oklahoma is a
        town), and a country only by a state or province: Palestine, Texas, but not Syria, Iraq.
        """
        name = next((n for n in place._names if self.lookup(n)), None)  # type: ignore[attr-defined]
        if name is None or self.lookup(name)[0].kind in _QUALIFIED_KINDS:
            return ()
        abbreviated = written.casefold() in us_state_abbreviations()
        qualifier = written if abbreviated else area._names[0]  # type: ignore[attr-defined]
        if not abbreviated:
            read = self.lookup(qualifier)
            if not read or read[0].kind not in AREA_KINDS:
                return ()
        key = _fold(qualifier)
        areas = self._areas.get(key)
        if areas is None:
            areas = self._areas[key] = tuple(qualifier_areas(self.gazetteer, qualifier))
        if not areas or (self.lookup(name)[0].kind == "country" and areas[0].kind != "admin1"):
            return ()
        found, _ = self.gazetteer.find(name)
        return areas if restrict(found, areas) else ()

    def _resolve(self, groups: list[Place], within: dict[int, tuple[Match, ...]] | None = None) -> str | None:
        """Pick each place's match with the one resolver maps use: the article's names resolved together.

        Each place is asked by the first of its names the gazetteer matches (the whole
        phrase, else a name inside it: "Syria" in "Syria's foreign ministry"). Returns
        the article's main country: the one its confidently placed names weigh most toward.
        """
        asked: dict[int, str] = {}
        for i, place in enumerate(groups):
            name = next((n for n in place._names if self.lookup(n)), None)  # type: ignore[attr-defined]
            if name is not None:
                asked[i] = name
        within = within or {}
        queries = {name: Query(name, kind=groups[i].kind if groups[i].kind in _HINT_KINDS else None,
                               within=within.get(i, ()))
                   for i, name in asked.items()}  # fmt: skip
        ranked = resolve_together(self.gazetteer, queries.values()) if queries else {}
        weight: Counter[str] = Counter()
        for i, name in asked.items():
            place, found = groups[i], ranked.get(name) or []
            if not found:
                continue
            best = found[0]
            place.match = best
            place.via = name if name != place._names[0] else ""  # type: ignore[attr-defined]
            if place.kind == "other" or (not place.via and best.kind == "country"):
                place.kind = _kind(best.kind)
            if best.country and best.confident:
                weight[best.country] += len(place.mentions) * (3 if best.kind == "country" else 1)
        return weight.most_common(1)[0][0] if weight else None


_QUALIFIER_LEAD = re.compile(r",[ \t]*|[ \t]+in[ \t]+")
"""What joins a place to its qualifier: "Paris, Illinois", "Paris in Illinois"."""
_QUALIFIED_KINDS = {"admin1", "state", "continent"}
"""A place of these kinds is itself an area a qualifier names: never qualified by the next name."""

_HINT_KINDS = {"city", "town", "village", "capital", "district", "region", "country", "river", "base", "site", "crossing"}
"""Kinds a cue in the text gives ("the village of X") that tell the gazetteer which place is meant."""


def _drain(items: list[T]) -> Iterator[T]:
    """The items in order, each let go of as it is taken: millions of candidates are not held twice."""
    items.reverse()
    while items:
        yield items.pop()


_MAJOR_KINDS = {"country", "capital", "city", "state", "admin1", "province", "continent"}
def _kind(kind: str) -> str:
    kind = kind.casefold()
    return kind if kind in KINDS else _KIND_MAP.get(kind, "other")


def _merge(groups: list[Place]) -> list[Place]:
    """One place per gazetteer entry, and unresolved spellings merged into a resolved one (Raqa, Raqqa)."""
    out: list[Place] = []
    by_id: dict[tuple[str, str], Place] = {}
    by_variant: dict[str, Place] = {}
    for place in groups:
        key = (place.match.source, place.match.id) if place.match else None
        target = by_id.get(key) if key else None
        if target is not None and not _one_place(target, place):
            target = None
        if target is None and place.match is None:
            target = by_variant.get(_variant(place.name))
        if target is not None:
            target.mentions.extend(place.mentions)  # named below, by its mentions
            target.qualifier_only = target.qualifier_only and place.qualifier_only
            if target.via and not place.via:  # "Idlib province", then "Idlib": the place itself was found
                target.via, target._names = "", place._names  # type: ignore[attr-defined]
            continue
        out.append(place)
        if key:
            by_id.setdefault(key, place)
        for name in dict.fromkeys((place.name, *(m.text for m in place.mentions))):
            by_variant.setdefault(_variant(name), place)
        if place.match:
            by_variant.setdefault(_variant(place.match.name), place)
    # unresolved groups found before their resolved spelling
    final: list[Place] = []
    for place in out:
        target = by_variant.get(_variant(place.name))
        if place.match is None and target is not None and target is not place and target.match is not None:
            target.mentions.extend(place.mentions)
            target.qualifier_only = target.qualifier_only and place.qualifier_only
            continue
        final.append(place)
    for place in final:
        place.mentions.sort(key=lambda m: m.start)
        # the name as the article writes it most often; ties go to the first
        counts = Counter(m.text for m in place.mentions if not m.demonym)
        first: dict[str, int] = {}
        for m in place.mentions:
            first.setdefault(m.text, m.start)
        if counts:  # ties: written in lower case ("Plymouth County", not "PLYMOUTH CO."), then the shorter, the first
            place.name = max(counts, key=lambda t: (counts[t], not t.isupper(), -len(t), -first[t]))
        if place.name.isupper() and any(m.cue == "dateline" for m in place.mentions):
            place.name = place._names[0]  # type: ignore[attr-defined]  # "QUORVILLE —": Quorville
    return final


_SETTLEMENTS = {"city", "town", "village", "capital"}


def _one_place(a: Place, b: Place) -> bool:
    """Whether two groups the gazetteer places on one record are one place to a reader: "Idlib" and "Idlib
    province", "Makurdi" and "Makurdi town", but not the town Al-Tanaf and the Al-Tanaf garrison."""
    if not a.via and not b.via:
        return True
    kinds = {a.kind, b.kind}
    return len(kinds) == 1 or not kinds & _SITES


_SITES = {"base", "site", "crossing", "border", "zone", "river", "district"}
_SMALL = {"town", "village"}


def _thing_named(place: Place, country: str | None) -> bool:
    """ "the Arona": a lone word always written after "the", with nothing else saying it is a place, whose
    place is at most a town outside the article's country: a thing or a team named after it, not the town
    ("the Bronx", "the Gambia" stay)."""
    return (
        place.match is not None and place.match.kind in _SMALL and not place.via and place.match.country != country
        and all(m.article and not m.cue for m in place.mentions)
    )  # fmt: skip


_POSSESSOR = re.compile(r"([A-Z][\w’'-]*+(?:[ ][A-Z][\w’'-]*+){0,3})['’]s\s+$")


def _city_parts(text: str, sents: list[Sentence], groups: list[Place]) -> None:
    """ "Mosul's Old City", or "the Old City" after Mosul: a district of that city, not Old City, Philadelphia.

    It becomes "Mosul Old City", placed at Mosul (a relative position of 0 km) until a person gives its point.
    """
    for place in groups:
        part = _fold(place.name)
        if part not in CITY_PARTS or place.relative or place.zone:
            continue
        first = place.mentions[0]
        owner = _possessor(text, first.start, groups) or _city_before(first, groups)
        if owner is None:
            continue
        says = next((s.text for s in sents if s.index == first.sentence), "")
        place.name = f"{owner.name} {place.name}"
        place.kind, place.match, place.via = "district", None, ""
        place.relative = {"of": owner.name, "distance_km": 0.0, "bearing": 0, "says": says, "inside": True}


def _possessor(text: str, start: int, groups: list[Place]) -> Place | None:
    m = _POSSESSOR.search(text, max(0, start - 60), start)
    if m is None:
        return None
    key = _fold(m.group(1))
    return next((p for p in groups if p.match and any(_fold(x.text) == key for x in p.mentions)), None)


def _city_before(mention: Mention, groups: list[Place]) -> Place | None:
    """The city named last before ``mention``, in its sentence or the one before."""
    best: tuple[int, Place] | None = None
    for p in groups:
        if p.kind not in _SETTLEMENTS or p.match is None:
            continue
        for m in p.mentions:
            if m.start < mention.start and mention.sentence - m.sentence <= 1 and (best is None or m.start > best[0]):
                best = (m.start, p)
    return best[1] if best else None


def _main_city(groups: list[Place]) -> Place | None:
    cities = [p for p in groups if p.kind in {"city", "town", "capital", "village"} and not p.demonym_only]
    return max(cities, key=lambda p: len(p.mentions), default=None)


# A country's name is short: a longer word is not tried from each of its capitals (A-A-A-A-…).
_BORDER_WITH = re.compile(r"\b([A-Z][\w-]{0,60}+)(?:['’]s)?\s+border\s+with\s+([A-Z][\w-]*)")
# "the Jordanian and Iraqi borders": up to nine names, so a long list of capitalised words is no quadratic search
_DEMONYM_BORDERS = re.compile(r"\b((?:[A-Z][a-z]+(?:\s*,\s*|\s+and\s+|\s+or\s+)){0,8}[A-Z][a-z]+)\s+(borders?)\b")


def _borders(text: str, sents: list[Sentence], groups: list[Place], country: str | None, ex: Extractor) -> list[Place]:
    """Borders named as "Syria's border with Jordan" or "the Jordanian and Iraqi borders"."""
    home = next((p for p in groups if p.match and p.match.kind == "country" and p.match.country == country), None)
    home_name = home.match.name if home and home.match else None
    found: dict[str, Place] = {}

    def add(a: str, b: str, start: int, end: int, sent: int) -> None:
        if not a or not b or a == b:
            return
        key = "|".join(sorted([a, b]))
        place = found.get(key)
        if place is None:
            place = found[key] = Place(name=f"{a}–{b} border", mentions=[], kind="border", countries=(a, b))
        place.mentions.append(Mention(start, end, text[start:end], sent, cue="feature"))

    for sent in sents:
        for m in _BORDER_WITH.finditer(sent.text):
            add(m.group(1), m.group(2), sent.start + m.start(), sent.start + m.end(), sent.index)
        for m in _DEMONYM_BORDERS.finditer(sent.text):
            words = re.findall(r"[A-Z][a-z]+", m.group(1))
            dems = [DEMONYMS.get(w.casefold()) for w in words]
            if not all(dems) or not home_name:
                continue
            pos = sent.start + m.start()
            for w, d in zip(words, dems, strict=True):
                s = sent.text.index(w, pos - sent.start) + sent.start
                add(home_name, d, s, s + len(w) + (len(m.group(2)) + 1 if w == words[-1] else 0), sent.index)
                pos = s + len(w)
    out = list(found.values())
    for place in out:
        hits = ex.lookup(place.name)
        if hits:
            place.match = hits[0]
        # "Jordanian border" written as text for the last word only: keep the phrase readable
        place.mentions = [
            Mention(mm.start, mm.end, mm.text if "border" in mm.text else f"{mm.text} border", mm.sentence, cue="feature")
            for mm in place.mentions
        ]
        for mm in place.mentions:
            mm.end = mm.start + len(mm.text.split(" border")[0]) if "border" not in text[mm.start : mm.end] else mm.end
    return out


class _PlacesSoFar:
    """The article's places while relations add more: by position, by name, and the latest named before a point.

    Each question reads an index, not every mention of every place: an article of a
    million mentions asks as many questions. The indexes are built at the first
    question that needs them: most articles state no distance and no zone.
    """

    _ZONE_OWNERS = {"base", "site", "crossing"}
    _NOT_ZONE_OWNERS = {"country", "border", "zone"}

    def __init__(self, groups: list[Place]) -> None:
        self.groups: list[Place] = []
        self._rank: dict[int, int] = {}
        """Each place's position in the list: where mentions overlap, the first place wins."""
        self._names: dict[str, Place] = {}
        self._spans: SpanIndex[Place] | None = None
        self._unread: list[tuple[int, int, int, Place]] | None = None
        """A heap of (start, rank, sentence, place) of the mentions of places a zone may belong to, not yet read."""
        self._latest: dict[bool, tuple[int, int, int, Place]] = {}
        """The last such mention read so far, among bases and among the rest."""
        for place in groups:
            self.add(place)

    def add(self, place: Place) -> None:
        self._rank[id(place)] = len(self.groups)
        self.groups.append(place)
        self._names.setdefault(_fold(place.name), place)
        for text in dict.fromkeys(m.text for m in place.mentions):
            self._names.setdefault(_fold(text), place)
        if self._spans is not None or self._unread is not None:
            owner = self._may_own_zone(place)
            for m in place.mentions:
                self._file(place, m, owner)

    def mention(self, place: Place, mention: Mention) -> None:
        """One more mention (a distance's subject, a zone's name) of a place already here."""
        bisect.insort(place.mentions, mention, key=lambda m: m.start)
        self._names.setdefault(_fold(mention.text), place)
        self._file(place, mention, place.kind not in self._NOT_ZONE_OWNERS)  # not a demonym: no longer only those

    def _file(self, place: Place, m: Mention, may_own_zone: bool) -> None:
        rank = self._rank[id(place)]
        if self._spans is not None:
            self._spans.add(m.start, m.end, rank, place)
        if self._unread is not None and may_own_zone:
            heapq.heappush(self._unread, (m.start, rank, m.sentence, place))

    def _may_own_zone(self, place: Place) -> bool:
        return not (place.kind in self._NOT_ZONE_OWNERS or place.demonym_only)

    def at(self, offset: int) -> Place | None:
        """The first place with a mention that contains ``offset``."""
        return self._span_index().at(offset)

    def overlapping(self, start: int, end: int) -> Place | None:
        """The first place with a mention that shares a character with ``start``–``end``."""
        return self._span_index().overlapping(start, end)

    def _span_index(self) -> SpanIndex[Place]:
        if self._spans is None:
            self._spans = SpanIndex()
            for rank, place in enumerate(self.groups):
                for m in place.mentions:
                    self._spans.add(m.start, m.end, rank, place)
        return self._spans

    def named(self, name: str) -> Place | None:
        """The first place called ``name`` or mentioned as ``name``."""
        return self._names.get(_fold(name))

    def nearest_before(self, offset: int, sentence: int) -> Place | None:
        """The place a zone belongs to: the last place named within three sentences, bases first.

        Zones are asked for in the order of the text, so the mentions before ``offset`` are
        read once, in order, whatever the number of zones.
        """
        if self._unread is None:
            self._unread = [
                (m.start, rank, m.sentence, place)
                for rank, place in enumerate(self.groups) if self._may_own_zone(place) for m in place.mentions
            ]  # fmt: skip
            heapq.heapify(self._unread)
        while self._unread and self._unread[0][0] < offset:
            start, rank, sent, place = heapq.heappop(self._unread)
            owner = place.kind in self._ZONE_OWNERS
            latest = self._latest.get(owner)
            if latest is None or (start, -rank) > (latest[0], -latest[1]):
                self._latest[owner] = (start, rank, sent, place)
        for owner in (True, False):
            latest = self._latest.get(owner)
            if latest is not None and sentence - latest[2] <= 3:
                return latest[3]
        return None


def _find_ref(ref: str, ref_start: int, places: _PlacesSoFar, main: Place | None) -> Place | None:
    if ref.casefold().startswith("the "):
        return main
    return places.at(ref_start) or places.named(ref)


def _relations(text: str, sents: list[Sentence], groups: list[Place], main: Place | None) -> None:
    places = _PlacesSoFar(groups)
    for sent in sents:
        for fact in relatives(sent.text, sent.start, sent.index):
            ref = _find_ref(fact.ref, fact.ref_start, places, main)
            if ref is None or not fact.subject:
                continue
            subject = places.overlapping(fact.subject_start, fact.subject_end)
            if subject is None:
                name = _capitalised(fact.subject)
                mention = Mention(fact.subject_start, fact.subject_end, fact.subject, sent.index, cue="relative")
                subject = places.named(name)  # "a base … a base": one place, whatever the number of mentions
                if subject is None:
                    subject = Place(name=name, kind=_SUBJECT_KINDS.get(name.split()[-1].casefold(), "other"), mentions=[mention])
                    places.add(subject)
                else:
                    places.mention(subject, mention)
            if subject is ref or subject.relative:
                continue
            if subject.match is None or subject.via:
                subject.relative = {"of": ref.name, "distance_km": fact.distance_km, "bearing": fact.bearing,
                                    "says": fact.says}  # fmt: skip
        for fact in zones(sent.text, sent.start, sent.index):
            around = _find_ref(fact.ref, fact.ref_start, places, main) if fact.ref else None
            if around is None:
                around = places.nearest_before(fact.start, sent.index)
            if around is None:
                continue
            name = _capitalised(fact.name)
            mention = Mention(fact.name_start, fact.name_start + len(fact.name), fact.name, sent.index, cue="zone")
            zone = places.named(name)  # the first zone of a name is the one drawn
            if zone is None:
                zone_of = {"around": around.name, "radius_km": fact.radius_km, "says": fact.says}
                places.add(Place(name=name, kind="zone", mentions=[mention], zone=zone_of))
            else:
                places.mention(zone, mention)
    groups[:] = places.groups


def _capitalised(words: str) -> str:
    """A phrase of the text as a place's name: on one line, its first letter a capital."""
    name = " ".join(words.split())
    return name[:1].upper() + name[1:]


def _events(text: str, sents: list[Sentence], groups: list[Place], date: dt.date | None) -> None:
    per_sentence: dict[int, dict[int, Place]] = {}  # the places of each sentence, in order, each once
    for place in groups:
        for m in place.mentions:
            if not m.demonym:
                per_sentence.setdefault(m.sentence, {}).setdefault(id(place), place)
    seen: set[str] = set()
    for sent in sents:
        places = per_sentence.get(sent.index)
        if not places:
            continue
        found = dates_in(sent.text, date)
        if not found or sent.text in seen:
            continue
        seen.add(sent.text)
        when, said = found[0][2], " ".join(sent.text.split())
        for place in places.values():
            if place.kind == "country" and len(places) > 1:
                continue
            place.events.append((when, said))


def _confidence(place: Place, country: str | None) -> None:
    """How sure the entry is: the gazetteer's confidence in its place, less the extractor's own doubts.

    Those doubts (a name found only in part, a single mention with no cue, a demonym alone)
    are about whether the text means a place at all; the draft states them as reasons.
    """
    reasons = place.reasons
    strong = any(m.cue in {"feature", "dateline", "locative", "relative", "zone"} for m in place.mentions)
    if place.relative and place.relative.get("inside"):
        place.confidence = 0.7
        reasons.append(f"a part of {place.relative['of']}, drawn at its centre: give its own `point:` or `area:` if the map needs it")
        return
    if place.zone or place.relative:
        place.confidence = 0.7
        reasons.append("position computed from the article's words; check the reference and the figure")
        return
    if place.match is None:
        place.confidence = 0.3 if strong else 0.1
        if place.kind != "border":
            reasons.append("no gazetteer knows this name")
        return
    c = place.match.confidence
    if place.via and _kind(place.match.kind) != place.kind:
        c -= 0.3
        reasons.append(f"only {place.via!r} was found (as {place.match.name}, a {place.match.kind}); the place itself may lie elsewhere")
    if len(place.mentions) == 1 and not strong:
        c -= 0.15
        reasons.append("named once, with nothing around it that says it is a place")
    if place.demonym_only:
        c -= 0.4
        reasons.append("named only as a demonym")
    place.confidence = max(0.0, min(1.0, c))


def _referred(groups: list[Place]) -> set[str]:
    """The names that relative positions and zones are measured from."""
    return {p.relative["of"] for p in groups if p.relative} | {p.zone["around"] for p in groups if p.zone}


def _keep(place: Place, referred: set[str]) -> bool:
    """Enough evidence for an entry: resolved, placed in words, referred to, or named with a strong cue."""
    if place.placed and not place.demonym_only:
        return True
    if place.kind == "border" and place.countries:
        return True
    return place.name in referred or any(m.cue in {"feature", "dateline"} for m in place.mentions)


def extract(text: str, date: dt.date | None = None, gazetteer: Gazetteer | None = None) -> Extraction:
    """Find, resolve and merge the places of ``text`` (see :class:`Extractor` to reuse one)."""
    return Extractor(gazetteer).extract(text, date)
