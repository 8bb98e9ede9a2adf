"""Gazetteers: from a place name to the places it may mean, ranked, each with a confidence.

A gazetteer finds *candidates*: places whose names truly match the name asked, by
the same spelling or a transliteration of it, never by a merely similar word (a
similar word is only a *suggestion*, shown when nothing matches). What happens
next is the same for every gazetteer and every command, and lives here:

- :func:`rank` orders the candidates: how well the spelling matches first; then the
  context (a country hint, places the list pins down, the other names of the same
  text, the kind of place the list says it is); importance (country, capital,
  population) only breaks ties between equally good spellings;
- it gives each a *confidence* from 0 to 1: the spelling, how far ahead of the next
  different place it is, and how well it agrees with the context. Below
  :data:`CONFIDENT` a placement is *unverified*, and every output says so;
- :func:`resolve_together` resolves the names of one text (an article, a place list)
  against each other, so that Paris beside Tyler and Longview is Paris, Texas.
"""

from __future__ import annotations

import csv
import heapq
import math
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from geo.gazetteer.normalize import spelling

if TYPE_CHECKING:  # shapely is loaded only by lookups that return a line or polygon: keeps `geo resolve` fast
    from shapely.geometry.base import BaseGeometry

BUILTIN_CSV = Path(__file__).parent.parent / "data" / "builtin.csv"
DEMONYMS_CSV = BUILTIN_CSV.parent / "demonyms.csv"
US_STATES_CSV = BUILTIN_CSV.parent / "us_states.csv"

LatLon = tuple[float, float]

CONFIDENT = 0.6
"""A placement whose confidence is below this is *unverified*: drawn apart, listed by `geo check`, refused by --strict."""

SPELLING_WEIGHT = 800.0
"""Ranking points per unit of spelling similarity: 0.1 of spelling outweighs any difference of importance."""
COUNTRY_HINT, NEAR, KIND_HINT = 40.0, 40.0, 60.0
PEER_COUNTRY, PEER_NEARNESS, PEER_KM = 40.0, 40.0, 200.0
"""Points for agreeing with the context: the country hint, closeness to the list's points (over 1,000 km),
the kind the list says, and the peers: on average over the text's other names, how likely each lies in the
same country, and over the NEAREST_PEERS closest of them, how close (over PEER_KM)."""
NEAREST_PEERS = 3
"""Closeness counts for the candidate's nearest few peers only: a local story's places lie together, and the
far places it also names (the capital, a war abroad) neither add to nor dilute that."""
DERIVED_PENALTY = 10.0
"""Ranking points a region named without its generic word is behind a place of exactly that name: alone,
"Douglas" is the town; beside its neighbours in a local story, Douglas County is what news means."""
SAME_PLACE_KM = 50.0
"""Candidates closer than this (beyond their extents) are one place named twice: a town and its district."""

DEMONYM_ENDINGS = ("ians", "ian", "ans", "an", "ers", "er", "ites", "ite", "ese", "is", "i")  # fmt: skip
"""Endings that make a place's people of its name (English and Arabic nisba): London-er, Paris-ian, Tikrit-i."""
SIZEABLE = 16.0
"""Importance of a town of 10,000 (see geo.gazetteer.index): a place whose people news names by a demonym."""
REGION_KINDS = frozenset({"admin1", "admin2", "state", "region", "district", "province", "county"})
TOWN_KINDS = frozenset({"city", "town", "village", "capital"})
REGION_WORDS = ("province", "governorate", "state", "county", "co", "region", "district", "oblast", "prefecture",
                "parish", "department", "municipality", "canton", "emirate")  # fmt: skip
"""Generic words after a name that say the region is meant, not its namesake town: "Idlib province",
"Platte Co." (news abbreviates County so)."""


@dataclass(frozen=True)
class Match:
    """One place a name may mean, where it came from, and how sure the answer is."""

    name: str
    lat: float
    lon: float
    kind: str
    country: str | None
    source: str
    id: str
    score: float
    """How well the name's spelling matches this place's, 0-100 (100: the same spelling)."""
    radius_km: float | None = None
    """Extent of an area feature (e.g. a country), as the radius of a disc of its area."""
    geometry: BaseGeometry | None = None
    """A line or polygon in (lon, lat), when the source has one."""
    confidence: float = 1.0
    """0-1: the spelling, the lead over the next different place and the agreement with the context."""
    region: str | None = None
    """The GeoNames region the place is filed under (``US/Illinois/Sangamon County``), when the gazetteer knows."""

    @property
    def ref(self) -> str:
        """The record's reference, as a place list writes it: ``geonames:172955``."""
        return f"{self.source}:{self.id}"

    @property
    def confident(self) -> bool:
        return self.confidence >= CONFIDENT


@dataclass(frozen=True)
class Candidate:
    """A place whose name matches, before context ranks it."""

    match: Match
    importance: float
    """Country, capital, region or population, in ranking points: what breaks ties between equal spellings."""
    transliterated: bool = False
    """Found by a looser key only (a spelling no source gives): believed only where the context agrees."""
    derived: bool = False
    """Found by the region's name without its generic word, as written ("Douglas" for Douglas County):
    ranked :data:`DERIVED_PENALTY` behind that very name, not by its spelling score."""
    by_other_name: bool = False
    """Found by one of the place's other names, not its own (La Center, Kentucky, once called Maryville)."""


Peer = tuple[float, float, str | None, float]
"""(lat, lon, country, share) of a place another name of the same text may mean; its share is how likely it is."""
PeerName = tuple[Peer, ...]
"""The places one other name of the text may mean, likeliest first: its namesakes are all weighed, so that
a text naming Douglas County, Alexandria and Brandon finds the one corner where all three lie together."""


@dataclass(frozen=True)
class Context:
    """What ranks the candidates of one name: a list about Raqqa means the Mosul in Iraq."""

    country: str | None = None
    """The user's country hint (ISO alpha-2)."""
    near: tuple[LatLon, ...] = ()
    """Points the user gives (the list's own coordinates): firm."""
    peers: tuple[PeerName, ...] = ()
    """The places the text's other names may mean, one entry per name: soft, their countries count on
    average and the nearest few of them by closeness."""
    kind: str | None = None
    """The kind of place the list or the name says ("region" for "Idlib province")."""

    @cached_property
    def peer_countries(self) -> dict[str, float]:
        """How many of the text's other names lie in each country: their shares there, summed."""
        shares: dict[str, float] = {}
        for places in self.peers:
            for _, _, country, share in places:
                if country is not None:
                    shares[country] = shares.get(country, 0.0) + share
        return shares


@dataclass(frozen=True)
class Query:
    """A place to resolve: its name, its other names, and what the list says of it."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    country: str | None = None
    within: tuple[Match, ...] = ()
    """The areas the place lies in, best first: only candidates inside the first that holds any count
    (see geo.gazetteer.within); none inside, none at all."""


class Gazetteer:
    """Anything that finds candidates for a name and records by reference.

    Subclasses implement :meth:`candidates` and :meth:`record`; ranking, confidence
    and look-ups with context are the same for all, here.
    """

    def candidates(self, name: str, country: str | None = None) -> list[Candidate]:
        """Places whose names truly match ``name`` (its spelling or a transliteration), in no particular order.

        ``country`` is a hint a gazetteer may narrow its search with (an online geocoder
        does); ranking weighs it anyway.
        """
        raise NotImplementedError

    def record(self, ref: str) -> Match | None:
        """The place of a reference such as ``geonames:172955``; None if this gazetteer has no such record."""
        raise NotImplementedError

    def suggest(self, name: str, limit: int = 3) -> list[Match]:
        """Places with similar names, for a name that matches none: never an answer, only a hint."""
        return []

    def complete(self, match: Match) -> Match:
        """The match with what only answers need (e.g. its geometry), read on demand."""
        return match

    def lookup(
        self,
        name: str,
        *,
        country: str | None = None,
        near: Sequence[LatLon] = (),
        peers: Sequence[PeerName] = (),
        kind: str | None = None,
        candidates: int = 1,
    ) -> list[Match]:
        """The best ``candidates`` places for ``name``, best first, each with its confidence; empty if none matches.

        ``country`` and ``near`` are firm hints (the user's); ``peers`` are the places the
        text's other names may mean, a softer hint; ``kind`` is the kind the list gives.
        """
        ranked = self.ranked(name, Context(country.upper() if country else None, tuple(near), tuple(peers), kind))
        return [self.complete(match) for match in ranked[:candidates]]

    def ranked(self, name: str, context: Context = Context()) -> list[Match]:
        """Every candidate for ``name``, ranked in ``context``, with confidences."""
        found, kind = self.find(name, country=context.country)
        return rank(found, replace(context, kind=kind) if kind and not context.kind else context)

    def find(self, *names: str, country: str | None = None,
             within: Sequence[Match] = ()) -> tuple[list[Candidate], str | None]:  # fmt: skip
        """The candidates of one place's names (the best spelling per place kept), and the kind they imply.

        "Idlib province" that matches no name as written is looked up as Idlib, among
        regions only, and implies the kind "region"; its letters are never read as a
        transliteration of another name ("Bay Co." is Bay County, never Baku, and "Boeing
        Co." nothing). Nor are a place's people ("Londoner"). ``within`` keeps only the
        candidates inside those areas (see geo.gazetteer.within). "Paris, Illinois", which
        no place is called as a whole, is Paris within Illinois.
        """
        best: dict[str, Candidate] = {}
        kind = None
        for name in names:
            found = self.candidates(name, country)
            bare, generic = _without_region_word(name)
            if generic or (any(c.transliterated for c in found) and self._people_of_a_place(name, country)):
                found = [c for c in found if not c.transliterated]
            if not found and generic:
                found = [c for c in self.candidates(_spelled_out(name), country) if c.match.kind in REGION_KINDS]
            if not found and generic:
                found = [c for c in self.candidates(bare, country) if c.match.kind in REGION_KINDS]
                kind = kind or ("region" if found else None)
            for cand in found:
                known = best.get(cand.match.ref)
                if known is None or cand.match.score > known.match.score:
                    best[cand.match.ref] = cand
        if within:
            from geo.gazetteer.within import restrict

            return restrict(list(best.values()), within), kind
        if names and "," in names[0] and not any(c.match.score >= 100 for c in best.values()):
            qualified = self._qualified(names[0], country)
            if qualified is not None:
                return qualified
        return list(best.values()), kind

    def _people_of_a_place(self, name: str, country: str | None) -> bool:
        """Whether ``name`` is a sizeable place's name with a demonym's ending: "Londoner", "Parisians", "Tikriti".

        Such a word names the place's people; a transliteration it resembles (Londinières,
        from the Russian "Londin'er") is not what it means.
        """
        for ending in DEMONYM_ENDINGS:
            stem = name[: -len(ending)]
            if name.casefold().endswith(ending) and len(stem) >= 3 and any(
                c.match.score >= 100 and not c.transliterated and c.importance >= SIZEABLE for c in self.candidates(stem, country)
            ):  # fmt: skip
                return True
        return False

    def _qualified(self, name: str, country: str | None) -> tuple[list[Candidate], str | None] | None:
        """The candidates of "X, Y" read as X within Y, when Y is a region, state or country holding an X."""
        from geo.gazetteer.within import areas, split

        parts = split(name)
        if parts is None:
            return None
        head, qualifier = parts
        within = areas(self, qualifier)
        found, kind = self.find(head, country=country, within=within) if within else ([], None)
        return (found, kind) if found else None


def rank(candidates: Sequence[Candidate], context: Context = Context()) -> list[Match]:
    """Candidates best first, each match carrying its confidence (see :func:`confidence`)."""
    return [match for match, _ in _ranked(candidates, context)]


def _ranked(candidates: Sequence[Candidate], context: Context) -> list[tuple[Match, float]]:
    """Candidates best first with their confidences, each with its share of the ranking (summing to 1)."""
    if not candidates:
        return []
    # Context adds at most this many points: a candidate further behind on spelling and
    # importance can never come first, so it is left out before the costlier context terms.
    base = [_spelling_points(c) + c.importance for c in candidates]
    floor = max(base) - (COUNTRY_HINT + KIND_HINT + NEAR + PEER_COUNTRY + PEER_NEARNESS)
    kept = [c for c, b in zip(candidates, base, strict=True) if b >= floor and _believed(c, context)]
    if not kept:
        return []
    totals = _town_before_region({id(c): _points(c, context) for c in kept}, kept, context)
    totals = _own_name_before_former(totals, kept)
    order = sorted(kept, key=lambda c: -totals[id(c)])
    points = [totals[id(c)] for c in order]
    chance = _chances(order, points)
    weight = [math.exp((p - points[0]) / TEMPERATURE) for p in points]
    whole = sum(weight)
    ranked = []
    for c, p, w in zip(order, chance, weight, strict=True):
        # The agreement counts only for a spelling that is not exact: it is worked out for those alone.
        agreement = _agreement(c.match, context) if c.match.score < 100 else None
        ranked.append((replace(c.match, confidence=round(confidence(c.match, p, agreement), 2)), w / whole))
    return ranked


def confidence(match: Match, chance: float, agreement: float | None) -> float:
    """How sure a placement is, 0-1.

    ``chance`` is the share of the ranking this place holds against the other places
    the name may mean (see :func:`_chances`). A name spelled as the gazetteer spells it
    keeps it: Russia is Russia in a story about Syria. A looser match is scaled down
    by its spelling (the more so the further it strays) and by its agreement with the
    context (none known: 1; far from all of it: 0.5), since a name the gazetteer lacks
    can match a look-alike far from everything the text is about.
    """
    spelling = match.score / 100.0
    if spelling >= 1.0:
        return chance
    agreeing = 1.0 if agreement is None else 0.5 + 0.5 * agreement
    return chance * max(0.0, spelling - 0.5) / 0.5 * agreeing


TEMPERATURE = 6.0
"""Ranking points per e-fold of odds between two places: a decade of population (4 points) is odds of 2 to 1."""


def _chances(order: Sequence[Candidate], totals: Sequence[float]) -> list[float]:
    """Each candidate's share of a softmax over its ranking points, one share per distinct place.

    Candidates that are one place for a reader (a town and the district named after it)
    share the best one's share: choosing between them is not a risk of a wrong place.
    """
    top = totals[0]
    heads: list[int] = []
    cluster = []
    for i, cand in enumerate(order):
        # Beyond this a candidate's share is below e^-10 of the best's: no need to ask which place it is.
        close = totals[i] >= top - 10.0 * TEMPERATURE
        head = next((h for h in heads if _same_place(order[h].match, cand.match)), None) if close else None
        if head is None:
            heads.append(i)
            head = i
        cluster.append(head)
    weight = {h: math.exp((totals[h] - top) / TEMPERATURE) for h in heads}
    whole = sum(weight.values())
    return [weight[h] / whole for h in cluster]


def _points(cand: Candidate, context: Context) -> float:
    """Ranking points: spelling far first, then context, then importance."""
    m = cand.match
    total = _spelling_points(cand) + cand.importance
    if context.country and m.country == context.country:
        total += COUNTRY_HINT
    if context.kind and _kind_class(m.kind) == _kind_class(context.kind):
        total += KIND_HINT
    if context.near:
        total += NEAR * max(0.0, 1.0 - min(_gap_km(m, lat, lon) for lat, lon in context.near) / 1000.0)
    if context.peers:
        same = context.peer_countries.get(m.country, 0.0) if m.country else 0.0
        closest = heapq.nlargest(NEAREST_PEERS, (_closeness(m, places, PEER_KM) for places in context.peers))
        total += PEER_COUNTRY * same / len(context.peers) + PEER_NEARNESS * sum(closest) / len(closest)
    return total


def _closeness(m: Match, places: PeerName, km: float) -> float:
    """0-1: how close the candidate lies to a likely place of another name, over ``km``.

    The nearest place counts, weighed by the square root of its share: a namesake that
    is one of several of its name still tells where a text is when the candidate lies
    beside it, which is the point of weighing them all.
    """
    best = 0.0
    reach = m.radius_km or 0.0
    scale = 111.2 * math.cos(math.radians(m.lat))
    for lat, lon, _, share in places:  # likeliest first: once the share alone cannot beat the best, none can
        weight = math.sqrt(share)
        if weight <= best:
            break
        # A flat map around the candidate: within the few hundred km that count, as good as a great circle.
        gap = math.hypot((m.lat - lat) * 111.2, ((m.lon - lon + 180.0) % 360.0 - 180.0) * scale) - reach
        near = weight * math.exp(-gap / km) if gap > 0.0 else weight
        if near > best:
            best = near
    return best


def _spelling_points(cand: Candidate) -> float:
    """Ranking points for the spelling: a derived name is its region as written, less :data:`DERIVED_PENALTY`."""
    if cand.derived:
        return SPELLING_WEIGHT - DERIVED_PENALTY
    return SPELLING_WEIGHT * cand.match.score / 100.0


def _believed(cand: Candidate, context: Context) -> bool:
    """A transliteration no source spells is a guess unless the context agrees with it.

    On news in English, GeoNames already lists the spellings in use; a name that matches
    only under a looser key is mostly another word (Karo is not Cairo, Guangxi not
    Gangxi) or a name the gazetteer lacks, so it must lie where the text is about.
    """
    if not cand.transliterated:
        return True
    agreement = _agreement(cand.match, context)
    return agreement is not None and agreement >= 0.5


def _agreement(m: Match, context: Context) -> float | None:
    """0-1: how well a place agrees with the context; None when there is none to agree with."""
    parts = []
    if context.country:
        parts.append(1.0 if m.country == context.country else 0.0)
    if context.near:
        parts.append(math.exp(-min(_gap_km(m, lat, lon) for lat, lon in context.near) / 500.0))
    if context.peers:
        same = (context.peer_countries.get(m.country, 0.0) if m.country else 0.0) / len(context.peers)
        close = max(_closeness(m, places, 2 * PEER_KM) for places in context.peers)
        parts.append(max(same, close))
    return sum(parts) / len(parts) if parts else None


def _town_before_region(totals: dict[int, float], candidates: Sequence[Candidate], context: Context) -> dict[int, float]:
    """A region never outranks its namesake town inside it, unless the name or the list says region.

    News means the city of Homs or Aleppo, not the governorate's centre 36 to 62 km
    away; "Homs province" or a list entry of kind region means the governorate.
    """
    wants_region = context.kind is not None and _kind_class(context.kind) == "region"
    for region in candidates:
        if region.match.kind not in REGION_KINDS:
            continue
        for town in candidates:
            if town.match.kind not in TOWN_KINDS or town.match.score < region.match.score:
                continue
            if town.match.country != region.match.country or not _same_place(region.match, town.match):
                continue
            if _spelling(town.match.name) != _spelling(region.match.name):
                continue  # a town merely also called so (Minneota, alias "Minnesota") is no namesake
            r, t = id(region), id(town)
            if wants_region:
                totals[t] = min(totals[t], totals[r] - 1.0)
            else:
                totals[r] = min(totals[r], totals[t] - 1.0)
    return totals


def _own_name_before_former(totals: dict[int, float], candidates: Sequence[Candidate]) -> dict[int, float]:
    """A town found by another of its names ranks :data:`FORMER_NAME_PENALTY` behind a town of its country that
    bears the name as its own: GeoNames lists towns' former names (La Center, Kentucky, was Maryville), and
    news means the town called so now (Maryville, Illinois)."""
    owners = {c.match.country for c in candidates if c.match.kind in TOWN_KINDS and not c.by_other_name}
    for cand in candidates:
        if cand.by_other_name and cand.match.kind in TOWN_KINDS and cand.match.country in owners:
            totals[id(cand)] -= FORMER_NAME_PENALTY
    return totals


FORMER_NAME_PENALTY = 15.0
"""Ranking points (odds of about 12 to 1): context can still choose the town of the former name."""
_spelling = lru_cache(maxsize=65536)(spelling)


def _kind_class(kind: str) -> str:
    if kind in REGION_KINDS:
        return "region"
    if kind in TOWN_KINDS:
        return "town"
    return kind


def _same_place(a: Match, b: Match) -> bool:
    """Two candidates that are one place for a reader: a town and its district, one point twice."""
    reach = SAME_PLACE_KM + (a.radius_km or 0.0) + (b.radius_km or 0.0)
    if abs(a.lat - b.lat) * 111.0 > reach:  # far apart in latitude alone: no need for the trigonometry
        return False
    return great_circle_km(a.lat, a.lon, b.lat, b.lon) <= reach


def _gap_km(m: Match, lat: float, lon: float) -> float:
    """Distance from a point to a candidate, to its edge when it has an extent: Atlanta is in Georgia."""
    return max(great_circle_km(m.lat, m.lon, lat, lon) - (m.radius_km or 0.0), 0.0)


def _spelled_out(name: str) -> str:
    """"Platte County" for "Platte Co.": the name the county has, before its bare name is tried (Bay, Somalia)."""
    bare, _, word = name.rpartition(" ")
    return f"{bare} County" if word.casefold().rstrip(".") == "co" else name


def _without_region_word(name: str) -> tuple[str, bool]:
    """("Idlib", True) for "Idlib province"; (name, False) when no generic region word ends it."""
    words = name.split()
    if len(words) > 1 and words[-1].casefold().rstrip(".") in REGION_WORDS:
        return " ".join(words[:-1]), True
    return name, False


def resolve_together(
    gazetteer: Gazetteer,
    queries: Iterable[str | Query],
    *,
    country: str | None = None,
    near: Sequence[LatLon] = (),
    rounds: int = 3,
) -> dict[str, list[Match]]:
    """Each place's ranked matches, by name, when the places of one text are resolved together.

    Places named in one text tend to lie in one country and near each other: each round
    ranks every name's candidates against the places the other names may mean (their
    *peers*, each weighed by its share of its name's ranking, see :data:`PEER_SPELLING`);
    rounds let a right answer pull its neighbours along. A name with no candidate maps
    to an empty list. A :class:`Query` adds the place's other names, its kind and its own
    country hint to a bare name.
    """
    wanted = {q.name: q for q in (Query(q) if isinstance(q, str) else q for q in queries)}
    hint = country.upper() if country else None
    found: dict[str, list[Candidate]] = {}
    contexts: dict[str, Context] = {}
    for name, query in wanted.items():
        place_hint = (query.country or "").upper() or hint
        found[name], implied = gazetteer.find(name, *query.aliases, country=place_hint, within=query.within)
        contexts[name] = Context(place_hint, tuple(near), (), query.kind or implied)
    # One name written twice (CAMBRIDGE, Cambridge) is one name: never its own peer.
    key = {name: fold(name) for name in wanted}
    result = {name: _ranked(found[name], contexts[name]) for name in wanted}
    for _ in range(rounds):
        likely: dict[str, PeerName] = {}
        for name, ranked in result.items():
            if ranked and ranked[0][0].score >= PEER_SPELLING:
                likely.setdefault(key[name], tuple((m.lat, m.lon, m.country, share) for m, share in ranked[:PEER_PLACES]))
        result = {name: _ranked(found[name], replace(contexts[name], peers=_peers(likely, key[name]))) for name in wanted}
    return {name: [match for match, _ in ranked] for name, ranked in result.items()}


PEER_SPELLING = 92.0
"""A name whose best place is spelled at least this well lends its places as a peer, sure or not: an article
about Tyler and Longview is about Texas even while each name alone is ambiguous."""
PEER_PLACES = 12
"""The likeliest places of a name that count as its peer: enough for the namesakes context may choose."""
MAX_PEERS = 64
"""Peers a name is ranked against: enough to know a text's region, few enough for a list of thousands."""


def _peers(likely: dict[str, PeerName], name: str) -> tuple[PeerName, ...]:
    """The likely places of the names other than ``name`` (folded; the first MAX_PEERS, in the text's order)."""
    peers = []
    for other, places in likely.items():
        if other != name:
            peers.append(places)
            if len(peers) == MAX_PEERS:
                break
    return tuple(peers)


def great_circle_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance on a sphere: plenty for ranking candidates (geo.geometry has the geodesic one)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


def fold(name: str) -> str:
    """Case and accents folded away: the key spellings are compared by."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).replace("-", " ").split())


class BuiltinGazetteer(Gazetteer):
    """A few dozen countries, capitals and cities, exact names only: a gazetteer with nothing to build."""

    def __init__(self) -> None:
        self._index: dict[str, list[Candidate]] = {}
        self._records: dict[str, Match] = {}

    def add(self, alias: str, match: Match, importance: float = 0.0) -> None:
        self._index.setdefault(fold(alias), []).append(Candidate(match, importance))
        self._records[match.ref] = match

    def candidates(self, name: str, country: str | None = None) -> list[Candidate]:
        return list(self._index.get(fold(name), []))

    def record(self, ref: str) -> Match | None:
        return self._records.get(ref)


def data_rows(path: Path) -> list[dict[str, str]]:
    """The rows of one of geo's own CSV files, whose ``#`` lines are comments saying where the data come from."""
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]
    return list(csv.DictReader(lines))


@cache
def builtin() -> BuiltinGazetteer:
    """The gazetteer shipped in ``geo/data/builtin.csv``."""
    gazetteer = BuiltinGazetteer()
    for row in data_rows(BUILTIN_CSV):
        names = row["names"].split("|")
        area = float(row["area_km2"]) if row["area_km2"] else None
        match = Match(
            name=names[0],
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            kind=row["kind"],
            country=row["country"] or None,
            source=row["source"],
            id=row["id"],
            score=100.0,
            radius_km=math.sqrt(area / math.pi) if area else None,
        )
        for alias in names:
            gazetteer.add(alias, match, importance=45.0 if row["kind"] == "country" else 0.0)
    return gazetteer


@cache
def demonym_places() -> dict[str, tuple[str, str | None, str | None]]:
    """Demonym, lower case → the place it names and, for a region or a city, its country code and kind.

    "sudanese" → ("Sudan", None, None); "ontarian" → ("Ontario", "CA", "region"); "muscovite" →
    ("Moscow", "RU", "city"): country and kind are what make a region's or a city's name unambiguous.
    """
    return {row["demonym"]: (row["place"], row["country"] or None, row["kind"] or None) for row in data_rows(DEMONYMS_CSV)}


@cache
def demonyms() -> dict[str, str]:
    """Demonym, lower case ("sudanese", "sri lankan", "muscovite") → the place name it belongs to ("Sudan", "Moscow")."""
    return {demonym: place for demonym, (place, *_) in demonym_places().items()}


@cache
def us_states() -> tuple[dict[str, str], ...]:
    """The rows of geo/data/us_states.csv: a state's name, AP and postal abbreviations, demonyms, qualifier forms."""
    return tuple(data_rows(US_STATES_CSV))


@cache
def state_abbreviations() -> dict[str, str]:
    """Every US state abbreviation written with its periods ("Ill.", "N.Y.", "Tex."), as written → the state's name.

    One spelling each, capitals and periods included: "Ill." is Illinois where "ill" is a word.
    """
    return {form: row["name"] for row in us_states() for form in (row["ap"], *row["qualifier"].split("|"))
            if form.endswith(".")}  # fmt: skip


@cache
def default_gazetteer() -> Gazetteer:
    """The gazetteer the commands use: the offline index (built on first use, see geo.gazetteer.index)."""
    from geo.gazetteer.index import IndexGazetteer

    return IndexGazetteer()
