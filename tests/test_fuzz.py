"""A property-based fuzzer over the loader, the resolver, the GeoJSON export and the page builder.

Whatever the input, geo gives a clean one-line error naming the file and line, or valid
output: GeoJSON without NaN and inside the world, a page that shows the input's markup and
template syntax as text. Never another exception, a hang or a memory blow-up.

Inputs are place lists generated from scratch (every placement, numbers at and beyond
their bounds, names that do and do not resolve) and mutations of places.yaml and of
those lists with hostile fragments: template syntax, markup, NaN and huge numbers, deep
nesting, anchors and aliases, tags, control characters, impossible dates, unknown names.

CI runs the "ci" profile: a fixed set of examples, a few tens of seconds. ``scripts/fuzz.py``
runs the "long" profile: fresh random examples, as many as asked.
"""

from __future__ import annotations

import csv
import io
import json
import math
import os
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import fastkml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from geo import geojson, kml, placelist, table, webmap
from geo.errors import PlaceListError
from geo.gazetteer import builtin
from geo.resolve import measure, resolve

ROOT = Path(__file__).resolve().parents[1]
SEED = (ROOT / "places.yaml").read_text(encoding="utf-8")

# No example database: a failure prints its @reproduce_failure line (or rerun scripts/fuzz.py with its seed).
settings.register_profile(
    "ci", max_examples=300, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
settings.register_profile(
    "long", max_examples=int(os.environ.get("GEO_FUZZ_EXAMPLES", "5000")), deadline=None, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
settings.load_profile(os.environ.get("GEO_FUZZ_PROFILE", "ci"))

SECONDS_PER_EXAMPLE = 30
"""A hang: no example takes this long (the slowest legitimate ones take a second)."""

# Page text that would show that the input was read as markup or as a template.
MARKUP = ["<b id=fuzz>bold</b>", "</script><i id=fuzz>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']
TEMPLATE = ['{{ "tmpl" ~ "-ran" }}', "{% if true %}x{% endif %}", "{% endif %}", "a {{ b", "{{ cycler.__init__ }}", "${alert(1)}"]
RAN = ["<b id=fuzz", "<i id=fuzz", "<img src=x", "<svg onload", "tmpl-ran"]

HOSTILE_TEXT = [
    *MARKUP, *TEMPLATE,
    "__proto__", "constructor", "toString", "hasOwnProperty", "Raqqa", "Mosul", "Syria", "Nowhere", "Al-Tanaf",
    "", " ", "a\nb", "\u2028", "\u202eevil", "\ufeff", "é", "中文", "🗺️", "x" * 300, "'", '"', "\\", "#", "&", "*",
    "\ud800", "lone \udc80",
]  # fmt: skip
TAME_TEXT = [t for t in HOSTILE_TEXT if t.strip() and not any("\ud800" <= c <= "\udfff" for c in t)]
"""What a valid place list may hold: no empty names, control characters or lone surrogates."""
HOSTILE_YAML = [
    ".nan", ".NaN", ".inf", "-.inf", "1e308", "-1e308", "1e400", "1" * 5000, "0x1F", "0o17", "1_000", "-0.0", "1e-320",
    "&a [1, 2]", "*a", "&a x", "<<: *a", "!!binary aGVsbG8=", "!!set {a, b}", "!!python/object:os.system ls",
    "!foo bar", "!!str 12", "!!float 1", "!!timestamp 2017-02-30", "2017-02-30", "2017-13-01", "2017-06-07T25:00:00",
    "2017-06-07 10:00:00", "[" * 60 + "]" * 60, "{a: " * 30 + "b" + "}" * 30,
    "\x00", "\x07", "\x1b[31m", '"\\x1b[31m"', '"\\u0000"', '"\\ud800"', "\x85", "\ufffe",
    "~", "null", "yes", "on", "''", '""', "[]", "{}", "- a", ": b", "? x", "|", ">", "%YAML 1.1", "---", "...",
    "# comment", "\t", "[1, 2", "{a: 1", "'unterminated", '"unterminated', "@", "`",
]  # fmt: skip
NAMES = ["A", "B", "C", "Raqqa", "Mosul", "Syria", "Al-Tanaf", "Damascus", "Nowhere", "__proto__"]
EDGE_NUMBERS = [
    0, -0.0, 1e-9, 0.5, 1, 2, 55, 90, -90, 89.99999, 180, -180, 179.99999, 360, 361, 10000, 10000.1, 20004, 20004.5,
    2.5e8, 2.6e8, 1e12, 1e308, -1, math.nan, math.inf, -math.inf, 10**30,
]  # fmt: skip


def number(low: float, high: float, wild: bool, above: bool = False) -> st.SearchStrategy[str]:
    """A YAML number in [low, high] (above ``low`` when ``above``); when ``wild``, also past the bounds, NaN or infinite."""
    edges = [x for x in EDGE_NUMBERS if (low < x if above else low <= x) and x <= high]
    tame = st.one_of(st.floats(low, high, exclude_min=above).map(_token), st.sampled_from(edges).map(_token))
    return st.one_of(tame, st.sampled_from(EDGE_NUMBERS).map(_token)) if wild else tame


def _token(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


def text(wild: bool) -> st.SearchStrategy[str]:
    """Markup, template syntax and any printable text; when ``wild``, control characters too."""
    printable = st.text(st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"), min_size=1, max_size=30)
    if wild:
        return st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30))
    return st.one_of(st.sampled_from(TAME_TEXT), printable)


def scalar(value: st.SearchStrategy[str], wild: bool) -> st.SearchStrategy[str]:
    """A string as YAML: double-quoted (JSON escapes are YAML escapes), or when ``wild`` written plain."""
    quoted = st.one_of(value.map(json.dumps), value.map(lambda v: json.dumps(v, ensure_ascii=False)))
    return st.one_of(quoted, value) if wild else quoted


def latlon(wild: bool) -> st.SearchStrategy[str]:
    return st.builds(lambda lat, lon: f"[{lat}, {lon}]", number(-90, 90, wild), number(-180, 180, wild))


def placement(names: list[str], earlier: list[str], wild: bool) -> st.SearchStrategy[list[str]]:
    """The lines of one place's geometry, any of the ways the format has (or none).

    A tame place refers only to ``earlier`` places, so that tame lists have no reference cycle.
    """
    ref = st.sampled_from([*names, *NAMES] if wild else earlier or ["?"]).map(json.dumps)
    bearing = st.one_of(number(0, 360, wild), st.sampled_from(["N", "north-east", "SSW", *(["upward", "''"] if wild else [])]))
    measure_from = st.sampled_from(["", ", from: edge", ", from: centre", *([", from: middle"] if wild else [])])
    vertices = st.lists(latlon(wild), min_size=1 if wild else 3, max_size=8).map(lambda v: f"[{', '.join(v)}]")
    located = st.one_of(
        st.just([]),
        latlon(wild).map(lambda p: [f"    point: {p}"]),
        vertices.map(lambda v: [f"    line: {v}"]),
        vertices.map(lambda v: [f"    polygon: {v}"]),
        st.builds(
            lambda center, size: [f"    area: {{{center}{size}}}"],
            st.one_of(st.just(""), latlon(wild).map(lambda p: f"center: {p}, ")),
            st.one_of(
                number(0, 10000, wild, above=True).map(lambda r: f"radius_km: {r}"),
                number(0, 2.5e8, wild, above=True).map(lambda a: f"km2: {a}"),
            ),
        ),
    )
    if not (wild or earlier):
        return located
    return st.one_of(
        located,
        st.builds(
            lambda of, km, b, f: [f"    relative: {{of: {of}, distance_km: {km}, bearing: {b}{f}}}"],
            ref, number(0, 20004, wild), bearing, measure_from,
        ),
        st.builds(
            lambda around, km, clip: [f"    zone: {{around: {around}, radius_km: {km}{clip}}}"],
            ref, number(0, 10000, wild, above=True), st.sampled_from(["", ", clip: SY", ", clip: IQ", ", clip: XX"]),
        ),
    )  # fmt: skip


@st.composite
def place(draw: st.DrawFn, names: list[str], index: int, layers: list[str], wild: bool) -> list[str]:
    name = names[index]
    lines = [f"  - name: {json.dumps(name)}"]
    lines += draw(placement(names, names[:index], wild))
    if draw(st.booleans()):
        lines.append(f"    aliases: [{draw(scalar(text(wild).map(lambda alias: f'{alias} ({name})'), wild))}]")
    if draw(st.booleans()):
        kinds = ["city", "site", "river", "zone", "country", "capital", *(["citty"] if wild else [])]
        lines.append(f"    kind: {draw(st.sampled_from(kinds))}")
    if layers and draw(st.booleans()):
        lines.append(f"    layer: {json.dumps(draw(st.sampled_from([*layers, *(['nope'] if wild else [])])))}")
    if draw(st.booleans()):
        lines += ["    precision: approximate", f"    radius_km: {draw(number(0, 10000, wild, above=True))}"]
    if draw(st.booleans()):
        areas = st.sampled_from([*names, "Syria", "SY", "Iraq", "Ill.", "Nowhere", "XX"])
        lines.append(f"    within: {draw(scalar(st.one_of(areas, text(wild)), wild))}")
    if draw(st.booleans()):
        lines.append(f"    notes: {draw(scalar(text(wild), wild))}")
    if draw(st.booleans()):
        date = draw(st.sampled_from(["2017-06-06", "2016-02-29", *(["2017-02-30", "2017-13-01", "June"] if wild else [])]))
        lines.append(f"    events: [{{date: {date}, text: {draw(scalar(text(wild), wild))}}}]")
    if draw(st.booleans()):
        lines.append(f"    sources: [{draw(scalar(text(wild), wild))}]")
    if draw(st.booleans()):
        of = json.dumps(draw(st.sampled_from(names)))
        frm = draw(st.sampled_from(["centre", "edge"]))
        says = draw(scalar(text(wild), wild))
        lines.append(f"    checks: [{{of: {of}, distance_km: {draw(number(0, 20004, wild))}, from: {frm}, says: {says}}}]")
    return lines


@st.composite
def place_lists(draw: st.DrawFn) -> str:
    """A place list written from scratch: valid but for what a wild one (one in three) gets wrong."""
    wild = draw(st.sampled_from([False, False, True]))
    names = draw(st.lists(st.one_of(st.sampled_from(NAMES), text(wild)), min_size=1, max_size=5, unique_by=str.casefold))
    names = [name for name in names if name.strip()] or ["A"]
    lines = [f"title: {draw(scalar(text(wild), wild))}"]
    if draw(st.booleans()):
        date = draw(st.sampled_from(["2017-06-07", *(["2017-02-30"] if wild else [])]))
        lines.append(f"article: {{source: {draw(scalar(text(wild), wild))}, date: {date}}}")
    if draw(st.booleans()):
        lines.append(f"country: {draw(st.sampled_from(['SY', 'IQ', 'XX', *(['sy'] if wild else [])]))}")
    layers = draw(st.lists(st.sampled_from(["front", "__proto__", "constructor", "a b", "toString"]), max_size=3, unique=True))
    if layers:
        lines.append("layers:")
        for i, layer in enumerate(layers):
            title = draw(scalar(text(wild), wild)) if wild else json.dumps(f"{draw(text(wild))} {i}")
            lines.append(f"  {json.dumps(layer)}: {{title: {title}{draw(st.sampled_from(['', ', show: false']))}}}")
    lines.append("places:")
    for index in range(len(names)):
        lines += draw(place(names, index, layers, wild))
    return "\n".join(lines) + "\n"


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """places.yaml or a generated list, with lines replaced, inserted, deleted or cut."""
    lines = draw(st.one_of(st.just(SEED), place_lists())).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        fragment = draw(st.one_of(st.sampled_from(HOSTILE_YAML), scalar(text(wild=True), wild=True)))
        action = draw(st.sampled_from(["value", "value", "insert", "delete", "duplicate", "cut"]))
        if action == "value" and ": " in lines[i]:
            lines[i] = lines[i][: lines[i].index(": ") + 2] + fragment
        elif action == "insert":
            lines.insert(i, draw(st.sampled_from(["", "  ", "    ", "  - "])) + fragment)
        elif action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        else:
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines)


@contextmanager
def bounded(seconds: int = SECONDS_PER_EXAMPLE) -> Iterator[None]:
    """Fail an example that runs longer than ``seconds``: a hang, not a slow machine."""

    def hang(signum: int, frame: Any) -> None:
        raise AssertionError(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, hang)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def load_or_refuse(text: str) -> placelist.PlaceList | None:
    """The place list, or None after checking the error is one clean line with the file and line."""
    try:
        return placelist.parse(text, "fuzz.yaml")
    except PlaceListError as error:
        assert_one_line(error)
        return None


def assert_one_line(error: PlaceListError) -> None:
    message = str(error)
    assert message.startswith(f"fuzz.yaml:{error.line}: "), message
    assert "\n" not in message and "\r" not in message, message
    assert error.problem and error.fix, message


def assert_valid_geojson(text: str) -> None:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the exported JSON")

    collection = json.loads(text, parse_constant=refuse)
    for feature in collection["features"]:
        for lon, lat in _positions(feature["geometry"]["coordinates"]):
            assert -180 <= lon <= 180 and -90 <= lat <= 90, (lon, lat)


def _positions(coordinates: Any) -> Iterator[tuple[float, float]]:
    if coordinates and isinstance(coordinates[0], (int, float)):
        yield coordinates[0], coordinates[1]
    else:
        for part in coordinates:
            yield from _positions(part)


GAZETTEER = builtin()


def build_everything(text: str, article: str | None = None) -> None:
    """Load, resolve, measure, export and render: a clean error or valid output at each step.

    ``article`` is text as geo reads it from a UTF-8 file: any characters but lone surrogates.
    """
    with bounded():
        place_list = load_or_refuse(text)
        if place_list is None:
            event("refused")
            return
        try:
            resolution = resolve(place_list, GAZETTEER)
        except PlaceListError as error:  # a `within:` that names no area the gazetteer knows
            assert_one_line(error)
            event("refused by the resolver")
            return
        event(f"resolved {len(resolution.resolved)} of {len(place_list.places)}")
        for measured in measure(resolution):
            assert math.isfinite(measured.measured_km), measured
        exported = geojson.dumps(geojson.feature_collection(place_list, resolution))
        assert_valid_geojson(exported)
        page = webmap.render(place_list, resolution, article=article)
        for sign in RAN:
            assert sign not in page, sign
        kml_text, csv_text = kml.dumps(place_list, resolution), table.dumps(place_list, resolution)
        document = fastkml.KML.from_string(kml_text.encode("utf-8")).features[0]
        assert sum(len(folder.features) for folder in document.features) == len(resolution.resolved)
        assert len(list(csv.DictReader(io.StringIO(csv_text)))) == len(resolution.resolved)
        for output in (exported, page, kml_text, csv_text):
            output.encode("utf-8")  # as geo writes them


@given(st.one_of(mutated(), st.sampled_from(HOSTILE_YAML), st.text(max_size=200)))
def test_the_loader_gives_a_place_list_or_one_line_with_file_and_line(text: str) -> None:
    with bounded():
        load_or_refuse(text)


@given(place_lists(), st.one_of(st.none(), st.lists(text(wild=False), max_size=4).map(" Raqqa. A ".join)))
@settings(max_examples=max(1, settings().max_examples // 3))
def test_any_place_list_resolves_exports_and_renders_or_is_refused(text: str, article: str | None) -> None:
    build_everything(text, article)


@given(mutated())
@settings(max_examples=max(1, settings().max_examples // 6))
def test_any_mutated_place_list_resolves_exports_and_renders_or_is_refused(text: str) -> None:
    build_everything(text)


@given(st.binary(max_size=64), st.integers(0, 400), st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe"]))
@settings(max_examples=max(1, settings().max_examples // 6))
def test_any_bytes_in_the_file_give_a_place_list_or_one_line(noise: bytes, at: int, start: bytes) -> None:
    data = start + SEED.encode("utf-8")[:400]
    data = data[:at] + noise + data[at:]
    with tempfile.TemporaryDirectory() as folder, bounded():
        path = Path(folder) / "fuzz.yaml"
        path.write_bytes(data)
        try:
            placelist.load(path)
        except PlaceListError as error:
            assert str(error).startswith(f"{path}:{error.line}: ") and "\n" not in str(error), str(error)
