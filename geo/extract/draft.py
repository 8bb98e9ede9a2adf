"""An extraction as a draft place list (YAML) and as one JSON object per mention."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Sequence
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from geo import placelist
from geo.extract.core import LOW_CONFIDENCE, Extraction, Extractor, Place
from geo.extract.text import sentence_at
from geo.focus import focus_names
from geo.gazetteer import default_gazetteer
from geo.placelist import UNWRITABLE
from geo.resolve import Problem, Resolved, resolve

MAX_MENTIONS_SHOWN = 8
MAX_PLACES = 1000
"""Places a draft lists at most: a map of more is no story map, and the file stays one a person can review."""
MAX_EVENTS = 10
"""Dated sentences an entry lists at most."""
MAX_UNRESOLVED_SHOWN = 100

_NOT_IN_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a file, escaped or not (a comment cannot escape them)."""


def _one_line(text: str) -> str:
    """Text of the article as a value of the draft: its whitespace (line breaks, NEL) as single spaces, and
    each character a place list may not hold (a control character, a lone surrogate) as U+FFFD."""
    return UNWRITABLE.sub("\ufffd", " ".join(text.split()))


_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def _comment_line(text: str) -> str:
    """Text as one line of a YAML comment: no line break, and no character YAML refuses."""
    return _NOT_IN_YAML.sub("\ufffd", _LINE_BREAKS.sub(" ", text))


def _flow(items: list) -> CommentedSeq:
    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _title(text: str, fallback: str) -> str:
    """The article's first line, if short enough for a title; read from the start only."""
    first = next((_one_line(line) for line in text[:10_000].splitlines() if line.strip()), "")
    return first if 0 < len(first) <= 150 else fallback


def _entry(place: Place, country: str | None, taken: set[str], pick: Resolved | None) -> CommentedMap:
    """The entry of one place; ``pick`` is what the place list resolves it to, written as its ``ref:``."""
    item = CommentedMap()
    item["name"] = _one_line(place.name)
    match = place.match
    extra = [*getattr(place, "_names", ())[1:], *([match.name] if match else [])]
    aliases = []
    for alias in map(_one_line, [*place.aliases, *extra]):
        if alias.casefold() not in taken:
            taken.add(alias.casefold())
            aliases.append(alias)
    if aliases:
        item["aliases"] = _flow(aliases)
    item["kind"] = place.kind
    match = place.match
    if match and match.country and match.country != country and place.kind != "country":
        item["country"] = match.country
    if place.within:
        item["within"] = _one_line(place.within)
    if place.relative:
        rel = CommentedMap()
        rel["of"] = _one_line(place.relative["of"])
        rel["distance_km"] = place.relative["distance_km"]
        rel["bearing"] = place.relative["bearing"]
        item["relative"] = rel
        item["precision"] = "approximate"
        item["radius_km"] = round(max(0.5, place.relative["distance_km"] / 2), 2)
        item["notes"] = f"The article: \"{_one_line(place.relative['says'])}\"."
    elif place.zone:
        zone = CommentedMap()
        zone["around"] = _one_line(place.zone["around"])
        zone["radius_km"] = place.zone["radius_km"]
        item["zone"] = zone
        item["notes"] = f"The article: \"{_one_line(place.zone['says'])}\"."
    elif pick is not None and pick.match is not None:
        item["ref"] = pick.match.ref
    if place.events:
        events = CommentedSeq()
        for date, text in sorted(dict.fromkeys(place.events), key=lambda e: e[0])[:MAX_EVENTS]:
            event = CommentedMap()
            event["date"] = date.isoformat()
            text = _one_line(text[:400])  # a sentence may be the whole article
            event["text"] = text if len(text) <= 300 else text[:297] + "..."
            events.append(event)
        item["events"] = events
    if pick is not None and pick.match is not None:
        item["sources"] = [f"{pick.match.source} {pick.match.id} ({pick.match.name}), chosen by geo extract"]
    return item


def _comment(place: Place, pick: Resolved | None, problem: Problem | None) -> str:
    lines = []
    events = len(set(place.events))
    if events > MAX_EVENTS:
        lines.append(f"{events} dated sentences name this place; the {MAX_EVENTS} earliest are listed.")
    if pick is not None and pick.match is not None:
        sure = f"confidence {pick.confidence:.2f}"
        if pick.unverified:
            lines.append(f"UNVERIFIED ({sure}): the gazetteer's best guess; check it, then add `checked: true`.")
        else:
            lines.append(f"{pick.match.ref} ({pick.match.name}, {pick.match.country or pick.match.kind}), {sure}.")
        others = [m for m in pick.alternatives if m.confidence >= 0.01]  # not the long tail of namesakes
        if others:
            lines.append("Other places of this name (to choose one, replace `ref:` with its reference):")
            lines += [f"  - {m.ref}: {m.name}, {m.country or '-'}, {m.kind}, {m.lat:.4f}, {m.lon:.4f}, confidence "
                      f"{m.confidence:.2f}" for m in others]  # fmt: skip
    if place.confidence < LOW_CONFIDENCE and place.reasons:
        lines.append("CHECK this entry:")
    for reason in place.reasons:
        lines.append(f"  - {reason}")
    if problem is not None and place.kind != "border":
        lines.append(f"TODO: {problem.message}.")
    elif (pick is None or pick.match is None) and not (place.relative or place.zone) and place.kind == "border":
        lines.append("TODO: no geometry: give it a `line:` of [lat, lon] vertices.")
    shown = [m for m in place.mentions][:MAX_MENTIONS_SHOWN]
    more = len(place.mentions) - len(shown)
    spans = "; ".join(
        f"s{m.sentence_number} {m.start}-{m.end} {m.text!r}{' (demonym)' if m.demonym else ''}" for m in shown
    )
    lines.append(f"mentions: {spans}{f'; and {more} more' if more > 0 else ''}")
    return "\n".join(map(_comment_line, lines))


def render(
    ex: Extraction, *, source: str = "", title: str | None = None, extractor: Extractor | None = None
) -> str:
    """The extraction as a place list that ``geo.placelist.parse`` accepts, with review comments.

    The draft is resolved as the place list it is (``geo.resolve``, the resolver of every
    map), and each place the gazetteer places is written with the record it resolves to as
    ``ref:``: the map draws exactly the places the draft lists, with the same confidence,
    and a later change of ranking never moves a reviewed map.
    """
    gazetteer = extractor.gazetteer if extractor is not None else default_gazetteer()
    looked_up = placelist.parse(_render(ex, source, title, {}, {}))
    resolution = resolve(looked_up, gazetteer)
    mentions = {_one_line(place.name): len(place.mentions) for place in listed_places(ex)}
    focus = focus_names(looked_up, resolution.resolved, mentions)
    return _render(ex, source, title, resolution.by_name(), {p.place.name: p for p in resolution.problems}, focus)


def _render(ex: Extraction, source: str, title: str | None, picks: dict[str, Resolved],
            problems: dict[str, Problem], focus: Sequence[str] = ()) -> str:  # fmt: skip
    doc = CommentedMap()
    doc["title"] = title or _title(ex.text, Path(source).stem if source else "Draft place list")
    if ex.date:
        article = CommentedMap()
        article["date"] = ex.date.isoformat()
        doc["article"] = article
    if ex.country:
        doc["country"] = ex.country
    if focus:
        view = CommentedMap()
        view["focus"] = _flow(list(focus))
        doc["map"] = view
    listed = listed_places(ex)
    places = CommentedSeq()
    taken = {_one_line(p.name).casefold() for p in listed}
    names = [_one_line(place.name) for place in listed]
    for place, name in zip(listed, names, strict=True):
        places.append(_entry(place, ex.country, taken, picks.get(name)))
    doc["places"] = places
    for i, (place, name) in enumerate(zip(listed, names, strict=True)):
        comment = _comment(place, picks.get(name), problems.get(name))
        places.yaml_set_comment_before_after_key(i, before="\n" + comment, indent=2)

    header = [
        "yaml-language-server: $schema=geo/schema/places.schema.json",
        "",
        f"Draft place list written by `geo extract`{f' from {source}' if source else ''} on {dt.date.today().isoformat()}.",
        "Review it before you build: entries marked UNVERIFIED, CHECK or TODO need a person.",
        "Each place the gazetteer places has a `ref:`, the record the map draws; its comment lists the others.",
        "Each entry's comment lists its mentions: sentence number, character offsets in the article, text.",
        "map.focus names the places the map opens on, the one the article names most first.",
    ]
    if not ex.date:
        header.append("No article date was given (--date): weekday names were not turned into dates.")
    if not listed:
        header.append("No place was found in the article: the place list is empty.")
    elif len(listed) < len(ex.places):
        header.append(f"{len(ex.places)} places were found; the {len(listed)} with the most evidence are listed.")
    doc.yaml_set_start_comment("\n".join(map(_comment_line, header)))

    yaml = YAML()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 110
    buf = io.StringIO()
    yaml.dump(doc, buf)
    # ruamel ends a folded line of a long text with its space; YAML drops it when reading, a diff does not.
    text = "\n".join(line.rstrip() for line in buf.getvalue().split("\n"))
    return text + _unresolved_comment(ex)


def listed_places(ex: Extraction) -> list[Place]:
    """The places the draft lists: all, or the :data:`MAX_PLACES` with the most evidence and those they are
    placed from (a relative position or a zone names another place), in the article's order. A place named
    only as another's qualifier ("Illinois" in "Paris, Illinois") is that place's `within:`, not an entry."""
    own = [p for p in ex.places if not p.qualifier_only]
    if len(own) <= MAX_PLACES:
        return own
    by_name = {p.name: p for p in reversed(ex.places)}  # the first of a name wins
    chosen: set[int] = set()
    for place in sorted(own, key=lambda p: (-p.confidence, -len(p.mentions)))[:MAX_PLACES]:
        while place is not None and id(place) not in chosen:
            chosen.add(id(place))
            base = (place.relative or {}).get("of") or (place.zone or {}).get("around")
            place = by_name.get(base) if base else None
    return [p for p in ex.places if id(p) in chosen]


def _unresolved_comment(ex: Extraction) -> str:
    lines = []
    unresolved = [p for p in ex.unresolved if not p.demonym_only]
    demonyms = [p for p in ex.unresolved if p.demonym_only]
    if unresolved:
        lines += ["", "Names found but not resolved (no gazetteer knows them, or too little evidence):",
                  "add an entry with a `point:` for each that is a place."]  # fmt: skip
        for p in unresolved[:MAX_UNRESOLVED_SHOWN]:
            m = p.mentions[0]
            sentence = sentence_at(ex.sentences, m.start).text
            lines.append(f"  - {p.name!r} (s{m.sentence_number} {m.start}-{m.end}): {_short(sentence)}")
        if len(unresolved) > MAX_UNRESOLVED_SHOWN:
            lines.append(f"  and {len(unresolved) - MAX_UNRESOLVED_SHOWN} more")
    if demonyms:
        lines += ["", "Named only as demonyms (flagged, not mapped): add the country if the map needs it."]
        for p in demonyms:
            words = sorted({m.text for m in p.mentions})
            lines.append(f"  - {p.name} ({', '.join(words)}; {len(p.mentions)} mention(s))")
    return "".join(f"# {_comment_line(line)}\n" if line else "\n" for line in lines)


def _short(text: str, width: int = 100) -> str:
    text = _one_line(text[: 4 * width])  # a sentence may be the whole article
    return text if len(text) <= width else text[: width - 3] + "..."


def mention_rows(ex: Extraction, file: str) -> list[dict]:
    """One dict per mention, in the article's order: file, start, end, text, name, lat, lon, kind, score (the
    extractor's), ref and confidence (the gazetteer's), demonym, sentence (numbered from 1, as the draft's comments
    number it), resolved. `geo extract --format jsonl` writes them, `geo corpus extract` stores them: the two agree
    mention for mention."""
    rows = []
    for m, place in sorted(ex.mentions(), key=lambda mp: mp[0].start):
        match = place.match
        row = {
            "file": file, "start": m.start, "end": m.end, "text": m.text, "name": place.name,
            "lat": round(match.lat, 5) if match else None, "lon": round(match.lon, 5) if match else None,
            "kind": "demonym" if m.demonym else place.kind, "score": place.score,
            "ref": match.ref if match else None, "confidence": match.confidence if match else None,
            "demonym": m.demonym, "sentence": m.sentence_number, "resolved": match is not None,
        }  # fmt: skip
        rows.append(row)
    return rows


def jsonl(ex: Extraction, file: str) -> str:
    """One JSON object per mention (see :func:`mention_rows`)."""
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in mention_rows(ex, file))
