"""Airports from the PyPI package ``airportsdata`` (MIT), read as a file.

Only airports with an IATA code are kept: the code is what airlines sell tickets to, so
it is the nearest mark the data has of an airport with scheduled service; the 20,000 others are
airstrips, heliports and private fields whose names would steal towns' names.

News names an airport in the forms people say, which the data does not list: "Heathrow"
and "Heathrow airport" for London Heathrow Airport, "O'Hare" for Chicago O'Hare
International Airport, "JFK Airport" for its code. They are derived by two general rules,
never per airport: the generic tail ("International Airport", "Regional Airport") is
dropped, and so is the city's name in front ("London", "Chicago"). The bare short name is
kept only where it is one word, parted from the city by a space ("Wilkes-Barre/Scranton"
names two towns), that no sizeable town, region or curated feature is called ("Luton"
stays the town, "Yellowstone" the park) and that is no common surname ("Clark"); a
longer one only with "Airport" after it, since "John Lennon" alone is a person.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

_TAIL = re.compile(r"(?:\s+(?:international|intl|regional|municipal|domestic|national|ntl|airport|airfield|aerodrome|"
                   r"airstrip|air\s+field))+$", re.IGNORECASE)
"""The generic words ending an airport's name, all dropped: "Chicago O'Hare International Airport" → "Chicago O'Hare"."""
_AIRPORT_FIRST = re.compile(r"^(.+?) Airport (\S.*)$")
"""The European order, "Amsterdam Airport Schiphol": read as "Amsterdam Schiphol"."""
_SKIPPED = re.compile(r"heliport|seaplane|railway|\bstation\b", re.IGNORECASE)
"""Not airports news means: heliports, seaplane bases, railway stations and military air stations with IATA codes."""
_GENERIC = frozenset({"city", "downtown", "north", "south", "east", "west", "central", "international", "internationa",
                      "regional", "municipal", "county", "metropolitan", "executive", "airport", "field", "airfield",
                      "memorial", "air base", "afb", "island", "airpark", "intercontinental", "new", "old", "general",
                      "industrial", "junction", "harbour", "harbor", "glider", "seacoast", "ville", "gateway", "valley",
                      "lake", "river", "bay", "creek", "springs", "beach", "park", "station", "national", "town",
                      "village", "state", "hopital", "merkez", "lrrs"})  # fmt: skip
"""Words that say nothing by themselves ("London City" → "City", "Bandon State"): never a short name."""
_ONE_WORD = re.compile(r"[A-Z][a-z]*'?[A-Za-z]+")
"""A short name that is one capitalised word ("Heathrow", "O'Hare"), not an acronym ("LRRS") nor a phrase."""
SURNAME_SHARE = 0.003
"""Percent of people: a surname at least this common is a person's before an airport's (see _common_surnames)."""


@dataclass(frozen=True)
class Airport:
    """One airport's names as news writes them, its codes (exact only) and where it is."""

    names: list[str]
    codes: list[str]
    lat: float
    lon: float
    country: str | None
    icao: str
    iata: str


def data_file() -> Path:
    """airportsdata's CSV, found without importing the package (its import parses the whole file)."""
    import importlib.util

    spec = importlib.util.find_spec("airportsdata")
    if spec is None or not spec.submodule_search_locations:
        from geo.errors import ResolutionError

        raise ResolutionError("the gazetteer needs the package airportsdata; pip install it")
    return Path(next(iter(spec.submodule_search_locations))) / "airports.csv"


def airports(taken: Callable[[str], bool]) -> Iterator[Airport]:
    """Every airport with an IATA code; ``taken(name)`` says a short name already belongs to a sizeable place."""
    with data_file().open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if not row["iata"] or _SKIPPED.search(row["name"]):
                continue
            names = [*news_names(row["name"], row["city"], taken), f"{row['iata']} Airport"]
            yield Airport(names=names, codes=[row["iata"], row["icao"]],
                          lat=float(row["lat"]), lon=float(row["lon"]), country=row["country"] or None,
                          icao=row["icao"], iata=row["iata"])


def news_names(name: str, city: str, taken: Callable[[str], bool]) -> list[str]:
    """The airport's name, its core with "Airport", and the short name news uses when it is safe (see the module)."""
    core = _TAIL.sub("", _AIRPORT_FIRST.sub(r"\1 \2", name)).strip() or name
    names = [name, f"{core} Airport"]
    short, spaced = _without_city(core, city)
    if short and short.casefold() not in _GENERIC:
        names.append(f"{short} Airport")
        if "international" in name.casefold():
            names.append(f"{short} International Airport")
        if spaced and _one_word(short) and not taken(short) and _folded_word(short) not in _common_surnames():
            names.append(short)
    return list(dict.fromkeys(names))


def _without_city(core: str, city: str) -> tuple[str | None, bool]:
    """The core without the city's name in front ("London Heathrow" → "Heathrow"), and whether a space alone
    parted them: "Wilkes-Barre/Scranton" and "Hof-Plauen" join two towns, so what follows is a town's name."""
    for prefix in dict.fromkeys((city, city.split("/")[0].strip(), city.split("-")[0].strip())):  # longest first, every run
        if prefix and core.casefold().startswith(prefix.casefold()) and len(core) > len(prefix):
            rest = core[len(prefix):]
            if rest[0] in " -/":
                return rest.strip(" -/") or None, rest[0] == " " and rest.lstrip()[:1] not in ("-", "/")
    return None, False


def _one_word(short: str) -> bool:
    return len(short) >= 4 and bool(_ONE_WORD.fullmatch(short))


def _folded_word(word: str) -> str:
    return word.replace("'", "").casefold()


@cache
def _common_surnames() -> frozenset[str]:
    """US surnames borne by at least SURNAME_SHARE percent of people (the 1990 census list in the ``names`` package):
    "Clark" of Stephenville Clark Regional Airport is a person in news before it is an airport; O'Hare is rarer."""
    lines = (resources.files("names") / "dist.all.last").read_text(encoding="ascii").splitlines()
    return frozenset(line.split()[0].casefold() for line in lines if float(line.split()[1]) >= SURNAME_SHARE)
