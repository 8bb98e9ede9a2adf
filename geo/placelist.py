"""The place list: read ``places.yaml``, check it, and turn it into typed records.

The JSON Schema in ``geo/schema/places.schema.json`` is the one description of the
format: editors validate against it and so does this module. Whatever the schema
cannot say (one placement per place, references that exist, no cycles, unique
names) is checked here. Every problem is reported with the file, the line and a fix.
"""

from __future__ import annotations

import datetime as dt
import difflib
import graphlib
import json
import math
import re
import warnings
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MantissaNoDotYAML1_1Warning, MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.parser import Parser
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.scanner import Scanner

from geo.errors import PlaceListError

SCHEMA_PATH = Path(__file__).parent / "schema" / "places.schema.json"

MAX_BYTES = 8_000_000
"""10,000 places annotated as richly as places.yaml take 5.7 MB (and ruamel 40 s to read)."""
MAX_VALUES = 500_000
"""YAML nodes (keys, values, lists): those 10,000 places have 330,000; each costs ruamel ≈40 µs and 0.5 KB."""
MAX_DEPTH = 20
"""Nesting levels; a place list needs 6 (the file, places, a place, a polygon, a vertex, a number)."""
EARTH_AUTHALIC_RADIUS_KM = 6371.0072
"""The radius of the sphere with the WGS 84 ellipsoid's area."""

LatLon = tuple[float, float]
MeasureFrom = Literal["centre", "edge"]

COMPASS = {
    name: i * 22.5
    for i, names in enumerate(
        [
            ("n", "north"), ("nne", "north-north-east"), ("ne", "north-east"),
            ("ene", "east-north-east"), ("e", "east"), ("ese", "east-south-east"),
            ("se", "south-east"), ("sse", "south-south-east"), ("s", "south"),
            ("ssw", "south-south-west"), ("sw", "south-west"), ("wsw", "west-south-west"),
            ("w", "west"), ("wnw", "west-north-west"), ("nw", "north-west"),
            ("nnw", "north-north-west"),
        ]
    )
    for name in names
}  # fmt: skip


@dataclass(frozen=True)
class Event:
    date: dt.date
    text: str


@dataclass(frozen=True)
class Point:
    latlon: LatLon


@dataclass(frozen=True)
class Line:
    vertices: tuple[LatLon, ...]


@dataclass(frozen=True)
class Polygon:
    vertices: tuple[LatLon, ...]


@dataclass(frozen=True)
class Relative:
    """``distance_km`` toward ``bearing_deg`` from place ``of`` (its centre or edge; None: as the place has it)."""

    of: str
    distance_km: float
    bearing_deg: float
    measure_from: MeasureFrom | None


@dataclass(frozen=True)
class Zone:
    """A geodesic buffer of ``radius_km`` around place ``around``."""

    around: str
    radius_km: float
    clip: str | None = None


@dataclass(frozen=True)
class Area:
    """A disc of ``radius_km`` around ``center``, or around the looked-up name."""

    center: LatLon | None
    radius_km: float
    km2: float | None


@dataclass(frozen=True)
class Lookup:
    """No geometry given: the gazetteer finds the name."""


@dataclass(frozen=True)
class Ref:
    """A gazetteer record chosen by reference (``geonames:4717560``): the map draws exactly that place."""

    ref: str
    line: int


Placement = Point | Line | Polygon | Relative | Zone | Area | Lookup | Ref


@dataclass(frozen=True)
class Check:
    """A distance the article states, compared with the geometry by ``geo check``."""

    of: str
    distance_km: float
    measure_from: MeasureFrom | None
    """None: as the place measured from has it (see geo.resolve.Resolved.measured_from)."""
    says: str


@dataclass(frozen=True)
class Place:
    name: str
    placement: Placement
    line: int
    aliases: tuple[str, ...] = ()
    kind: str = "other"
    layer: str = ""
    label: bool | None = None
    country: str | None = None
    precision: Literal["exact", "approximate"] | None = None
    """As stated in the file; None lets the geometry's source decide."""
    radius_km: float | None = None
    notes: str = ""
    sources: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    checks: tuple[Check, ...] = ()
    checked: bool = False
    """A person has checked where the gazetteer puts it: not unverified, whatever its confidence."""
    within: str | None = None
    """The region, state, country or place of the list it lies in: "Paris" within "Texas"."""
    within_line: int = 0

    @property
    def references(self) -> tuple[str, ...]:
        """Names of the places this one's geometry is computed from."""
        if isinstance(self.placement, Relative):
            return (self.placement.of,)
        if isinstance(self.placement, Zone):
            return (self.placement.around,)
        return ()


@dataclass(frozen=True)
class Layer:
    id: str
    title: str
    show: bool = True


@dataclass(frozen=True)
class MapDefaults:
    center: LatLon | None = None
    zoom: int | None = None
    focus: tuple[str, ...] = ()
    basemap: str = "street"


@dataclass(frozen=True)
class Article:
    source: str = ""
    url: str = ""
    date: dt.date | None = None


@dataclass(frozen=True)
class PlaceList:
    path: Path
    title: str
    places: tuple[Place, ...]
    layers: tuple[Layer, ...]
    article: Article = field(default_factory=Article)
    map: MapDefaults = field(default_factory=MapDefaults)
    country: str | None = None

    def by_name(self) -> dict[str, Place]:
        """Every name and alias, folded to lower case, mapped to its place."""
        index: dict[str, Place] = {}
        for place in self.places:
            for name in (place.name, *place.aliases):
                index[name.casefold()] = place
        return index

    def layer(self, layer_id: str) -> Layer:
        return next(layer for layer in self.layers if layer.id == layer_id)

    def in_dependency_order(self) -> tuple[Place, ...]:
        """Every place after the places it refers to (graphlib: no recursion, however long the chain)."""
        index = self.by_name()
        graph = {place.name: [index[ref.casefold()].name for ref in place.references] for place in self.places}
        order = graphlib.TopologicalSorter(graph).static_order()
        by_name = {place.name: place for place in self.places}
        return tuple(by_name[name] for name in order)


DEFAULT_LAYER = Layer(id="places", title="Places")


def load(path: Path | str) -> PlaceList:
    """Read and check a place list; raise :class:`PlaceListError` on any problem."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)  # never more: the file may be huge, or endless (a pipe)
    except FileNotFoundError:
        raise PlaceListError(path, None, "no such file", "give the path of a place list, e.g. places.yaml") from None
    except OSError as exc:
        raise PlaceListError(path, None, f"cannot read the file ({exc.strerror})", "check that it is a readable text file") from None
    _check_size(len(data), path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PlaceListError(
            path, data.count(b"\n", 0, exc.start) + 1, f"byte 0x{data[exc.start]:02x} is not UTF-8 text",
            "save the file as UTF-8",
        ) from None  # fmt: skip
    return parse(text, path)


def parse(text: str, path: Path | str = "<text>") -> PlaceList:
    """Check the text of a place list and build its records."""
    path = Path(path)
    _check_size(len(text.encode("utf-8", "surrogatepass")), path)
    doc = _read_yaml(text, path)
    plain = _plain(doc)
    if not _quickly_valid(plain):
        errors = sorted(_validator().iter_errors(plain), key=lambda e: (len(e.path), list(map(str, e.path))))
        if errors:
            raise _schema_error(errors[0], doc, path)
    return _build(doc, path)


def _check_size(size: int, path: Path) -> None:
    if size > MAX_BYTES:
        raise PlaceListError(
            path, None, f"the file is larger than {MAX_BYTES / 1e6:g} MB, the most a place list may have",
            "split it into several place lists (10,000 annotated places take about 6 MB)",
        )  # fmt: skip


class _Refused(Exception):
    """Something the loader will not build, at a ruamel mark (0-based line)."""

    def __init__(self, mark: Any, problem: str, fix: str):
        super().__init__(problem)
        self.line = mark.line + 1 if mark is not None else None
        self.problem = problem
        self.fix = fix


class _Composer(Composer):
    """ruamel's composer, bounded: no aliases, at most :data:`MAX_VALUES` nodes.

    Ten nested lists of nine aliases stand for 9^10 values: anything that walks them
    (the schema check, ``_plain``) would take gigabytes. A place list has no use for them.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # an anchor alone is harmless; the warning would take several lines
        self.values = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            raise _Refused(
                event.start_mark, f"the alias *{event.anchor} repeats another value",
                "write the value out in full: geo reads no YAML aliases",
            )  # fmt: skip
        self.values += 1
        if self.values > MAX_VALUES:
            raise _Refused(
                event.start_mark, f"the file holds more than {MAX_VALUES:,} values",
                "split it into several place lists (10,000 annotated places have about 330,000)",
            )  # fmt: skip
        return super().compose_node(parent, index)


UNWRITABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
"""Control characters but tab and newline (in a name they would reach terminals and logs), and lone
surrogates (``"\\ud800"``), which no UTF-8 file can hold."""


class _Constructor(RoundTripConstructor):
    """ruamel's round-trip constructor, refusing what no check downstream should meet.

    Numbers are finite, strings hold no control characters or lone surrogates, and dates stay text so
    that an impossible one (2017-02-30) is reported with its line by :func:`_date`.
    Registered on this subclass only: geo.edit's YAML instances keep ruamel's classes.
    """

    def construct_scalar(self, node: Any) -> Any:
        value = super().construct_scalar(node)
        if type(value) is str and re.search("[\ud800-\udfff]", value):
            try:  # JSON writes 🗺 as "\ud83d\uddfa", which YAML reads as two halves: join them
                value = value.encode("utf-16", "surrogatepass").decode("utf-16")
            except UnicodeDecodeError:
                pass  # a lone half, refused below
        found = UNWRITABLE.search(value) if isinstance(value, str) else None
        if found:
            what = "lone surrogate" if "\ud800" <= found.group() <= "\udfff" else "control character"
            raise _Refused(
                node.start_mark, f"{what} U+{ord(found.group()):04X} in {_quoted(value)}",
                "remove it: a place list holds text, tabs and line breaks only",
            )  # fmt: skip
        return value

    def construct_yaml_float(self, node: Any) -> Any:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise _Refused(node.start_mark, f"{node.value} is not a finite number", "write a number such as 2.5")
        return value

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise _Refused(node.start_mark, f"a number of {len(node.value):,} digits", "write a number such as 2.5") from None

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        return self.construct_scalar(node)


for _tag in ("int", "float", "timestamp"):
    _Constructor.add_default_constructor(_tag)

# A `%YAML 1.1` file with 1e5 for 100000.0: ruamel reads it right and warns in twelve lines.
warnings.filterwarnings("ignore", category=MantissaNoDotYAML1_1Warning)


def _quoted(value: Any, limit: int = 60) -> str:
    """A printable quote of ``value`` for a one-line message, shortened when long."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_yaml(text: str, path: Path) -> Any:
    """The document as ruamel's containers, which know each value's line; comments are not read (geo.edit keeps them)."""
    yaml = YAML(typ="rt")
    yaml.Scanner = Scanner  # the round-trip scanner and parser only add the comments, for a third more time
    yaml.Parser = Parser
    yaml.Composer = _Composer
    yaml.Constructor = _Constructor
    yaml.max_depth = MAX_DEPTH
    try:
        doc = yaml.load(text)
    except _Refused as exc:
        raise PlaceListError(path, exc.line, exc.problem, exc.fix) from None
    except ReaderError as exc:  # a character YAML forbids, found before any parsing (no mark)
        raise PlaceListError(
            path, text.count("\n", 0, exc.position) + 1, f"character U+{exc.character:04X} is not allowed in YAML",
            "remove it: a place list holds text, tabs and line breaks only",
        ) from None  # fmt: skip
    except MaxDepthExceededError as exc:
        raise PlaceListError(
            path, exc.problem_mark.line + 1, f"values nested more than {MAX_DEPTH} levels deep",
            "check the brackets and indentation near that line: a place list nests 6 levels at most",
        ) from None  # fmt: skip
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = " ".join((exc.problem or exc.context or "not valid YAML").split())
        if "found duplicate key" in str(exc) or "duplicate key" in problem:
            raise PlaceListError(path, line, "a key appears twice in one mapping", "keep one of them") from None
        raise PlaceListError(path, line, f"not valid YAML: {problem}", "check indentation, colons and quotes near that line") from None
    except YAMLError as exc:
        raise PlaceListError(path, None, f"not valid YAML: {' '.join(str(exc).split())}", "check the file's syntax") from None
    if not isinstance(doc, dict):
        raise PlaceListError(path, 1, "the file is not a mapping", "start it with `title:` and a `places:` list")
    return doc


def _quickly_valid(plain: Any) -> bool:
    """jsonschema-rs says whether a file is valid in a millisecond, 70 ms sooner than jsonschema imports."""
    try:
        return _fast_validator().is_valid(plain)
    except ValueError:  # a value JSON has no type for: jsonschema will say where
        return False


@cache
def _fast_validator() -> Any:
    import jsonschema_rs

    return jsonschema_rs.validator_for(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@cache
def _validator() -> Any:
    """jsonschema, for an invalid file: its errors carry what the one-line message needs (path, keyword, x-hint)."""
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _plain(node: Any) -> Any:
    """ruamel's commented containers as plain JSON values."""
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)  # ruamel's scalar strings are subclasses
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    return node


def line_of(doc: Any, path: list[str | int], key: bool = False) -> int | None:
    """The 1-based line of the node at ``path`` (of its key when ``key``)."""
    node, line = doc, None
    for i, step in enumerate(path):
        lc = getattr(node, "lc", None)
        try:
            if isinstance(node, dict):
                if lc is not None:
                    last = i == len(path) - 1
                    line = (lc.key(step) if key and last else lc.value(step))[0] + 1
                node = node[step]
            elif isinstance(node, list):
                if lc is not None:
                    line = lc.item(step)[0] + 1
                node = node[step]
            else:
                break
        except (KeyError, IndexError, TypeError):
            break
    if line is None and getattr(doc, "lc", None) is not None:
        line = doc.lc.line + 1
    return line


def _describe(path: list[str | int], doc: Any) -> str:
    """A readable name for the node at ``path``, e.g. ``place 'Raqqa', point``."""
    parts: list[str] = []
    node = doc
    for step in path:
        if isinstance(node, list) and isinstance(step, int):
            item = node[step] if step < len(node) else None
            if parts and parts[-1] == "places" and isinstance(item, dict) and isinstance(item.get("name"), str):
                parts[-1] = f"place {item['name']!r}"
            elif len(node) == 2 and all(isinstance(v, (int, float)) for v in node) and step in (0, 1):
                parts.append(("latitude", "longitude")[step])
            elif parts and parts[-1] in ("line", "polygon"):
                parts.append(f"vertex {step + 1}")
            else:
                parts.append(f"item {step + 1}")
        else:
            parts.append(str(step))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            node = None
    return ", ".join(parts) or "the file"


def _schema_error(error: Any, doc: Any, path: Path) -> PlaceListError:
    where = list(error.absolute_path)
    what = _describe(where, doc)
    hint = error.schema.get("x-hint", "") if isinstance(error.schema, dict) else ""
    kind = error.validator
    if kind == "additionalProperties":
        node = doc
        for step in where:
            node = node[step]
        allowed = list(error.schema.get("properties", {}))
        unknown = [k for k in node if k not in allowed]
        key = unknown[0] if unknown else "?"
        close = difflib.get_close_matches(str(key), allowed, n=1)
        fix = f"did you mean {close[0]!r}?" if close else f"known keys here: {', '.join(allowed)}"
        return PlaceListError(path, line_of(doc, [*where, key], key=True), f"unknown key {key!r} in {what}", fix)
    line = line_of(doc, where)
    if kind == "required":
        missing = next((k for k in error.validator_value if k not in error.instance), "?")
        return PlaceListError(path, line, f"{what} has no {missing!r}", f"add `{missing}:`")
    if kind == "enum":
        options = ", ".join(map(str, error.validator_value))
        return PlaceListError(path, line, f"{what}: {_quoted(error.instance)} is not allowed", hint or f"use one of {options}")
    if kind == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        article = "an" if str(expected)[0] in "aeiou" else "a"
        fix = hint or TYPE_FIXES.get(str(expected), f"write {article} {expected} here")
        return PlaceListError(path, line, f"{what} must be {article} {expected}, not {_quoted(error.instance)}", fix)
    if kind in {"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"}:
        return PlaceListError(path, line, f"{what}: {_quoted(error.instance)} is out of range", hint)
    if kind in {"minItems", "maxItems"}:
        most = "least" if kind == "minItems" else "most"
        return PlaceListError(path, line, f"{what} has {len(error.instance)} items", hint or f"give at {most} {error.validator_value}")
    if kind == "minLength":
        return PlaceListError(path, line, f"{what} is empty", hint or "write some text, or remove the key")
    if kind == "pattern":
        return PlaceListError(path, line, f"{what}: {_quoted(error.instance)} is not written as expected", hint)
    return PlaceListError(path, line, f"{what}: {_quoted(error.instance)} is not valid here ({kind})", hint or SCHEMA_FIX)


TYPE_FIXES = {
    "string": "write text here, in quotes if it would read as a number, a date, yes or no",
    "number": "write a number such as 2.5",
    "integer": "write a whole number",
    "boolean": "write true or false",
    "array": "write a list such as [a, b]",
    "object": "write `key: value` pairs under it",
}
SCHEMA_FIX = "see geo/schema/places.schema.json for what goes here"


_PLACEMENT_KEYS = ("point", "line", "polygon", "relative", "zone", "area", "ref")


def _build(doc: Any, path: Path) -> PlaceList:
    layers = _build_layers(doc, path)
    layer_ids = [layer.id for layer in layers]
    places = tuple(_build_place(doc, i, path, layer_ids) for i in range(len(doc["places"])))
    article = doc.get("article") or {}
    place_list = PlaceList(
        path=path,
        title=doc["title"],
        places=places,
        layers=layers,
        article=Article(
            source=article.get("source", ""), url=article.get("url", ""),
            date=_date(doc, ["article", "date"], path) if article.get("date") else None,
        ),  # fmt: skip
        map=_build_map(doc.get("map") or {}),
        country=doc.get("country"),
    )
    _check_names(place_list, doc, path)
    _check_references(place_list, doc, path)
    return place_list


def _build_layers(doc: Any, path: Path) -> tuple[Layer, ...]:
    """The layers, whose titles differ: the layer control lists each by its title alone."""
    layers = tuple(
        Layer(id=str(k), title=v["title"], show=bool(v.get("show", True))) for k, v in (doc.get("layers") or {}).items()
    ) or (DEFAULT_LAYER,)
    seen: dict[str, Layer] = {}
    for layer in layers:
        other = seen.setdefault(" ".join(layer.title.casefold().split()), layer)
        if other is not layer:
            raise PlaceListError(
                path, line_of(doc, ["layers", layer.id, "title"]),
                f"layers {other.id!r} and {layer.id!r} have the same title {layer.title!r}",
                "give each layer its own title: the map's layer control shows only titles",
            )  # fmt: skip
    return layers


def _build_map(raw: Any) -> MapDefaults:
    center = raw.get("center")
    return MapDefaults(
        center=(float(center[0]), float(center[1])) if center else None,
        zoom=raw.get("zoom"),
        focus=tuple(raw.get("focus") or ()),
        basemap=raw.get("basemap", "street"),
    )


def _date(doc: Any, where: list[str | int], path: Path) -> dt.date:
    """The date at ``where``, which the schema has checked is written YYYY-MM-DD."""
    node: Any = doc
    for step in where:
        node = node[step]
    try:
        return dt.date.fromisoformat(str(node))
    except ValueError as exc:
        raise PlaceListError(
            path, line_of(doc, where), f"{_describe(where, doc)}: {node} is not a date of the calendar ({exc})",
            "write a real date as YYYY-MM-DD, e.g. 2017-06-07",
        ) from None  # fmt: skip


def _latlon(value: Any) -> LatLon:
    return (float(value[0]), float(value[1]))


def _build_place(doc: Any, index: int, path: Path, layer_ids: list[str]) -> Place:
    raw = doc["places"][index]
    here = ["places", index]
    name = raw["name"]
    line = line_of(doc, here) or 0
    given = [k for k in _PLACEMENT_KEYS if k in raw]
    if len(given) > 1:
        raise PlaceListError(
            path, line_of(doc, [*here, given[1]], key=True),
            f"place {name!r} has both {given[0]!r} and {given[1]!r}",
            "give its geometry one way only",
        )  # fmt: skip
    placement = _build_placement(raw, given[0] if given else None, doc, here, path)

    precision = raw.get("precision")
    radius = raw.get("radius_km")
    if precision == "approximate" and radius is None:
        raise PlaceListError(
            path, line_of(doc, [*here, "precision"]), f"place {name!r} is approximate but has no radius_km",
            "add `radius_km:` with the uncertainty radius in km",
        )  # fmt: skip
    if precision != "approximate" and radius is not None:
        raise PlaceListError(
            path, line_of(doc, [*here, "radius_km"], key=True), f"place {name!r} has radius_km but is not approximate",
            "add `precision: approximate`, or remove radius_km",
        )  # fmt: skip
    layer = raw.get("layer", layer_ids[0])
    if layer not in layer_ids:
        close = difflib.get_close_matches(layer, layer_ids, n=1)
        raise PlaceListError(
            path, line_of(doc, [*here, "layer"]), f"place {name!r} is in unknown layer {layer!r}",
            f"did you mean {close[0]!r}?" if close else f"define it under `layers:` or use one of {', '.join(layer_ids)}",
        )  # fmt: skip

    return Place(
        name=name,
        placement=placement,
        line=line,
        aliases=tuple(raw.get("aliases") or ()),
        kind=raw.get("kind", "other"),
        layer=layer,
        label=raw.get("label"),
        country=raw.get("country"),
        precision=precision,
        radius_km=float(radius) if radius is not None else None,
        notes=str(raw.get("notes", "")).strip(),
        sources=tuple(raw.get("sources") or ()),
        events=tuple(
            Event(date=_date(doc, [*here, "events", j, "date"], path), text=event["text"])
            for j, event in enumerate(raw.get("events") or ())
        ),
        checks=tuple(
            Check(of=c["of"], distance_km=float(c["distance_km"]), measure_from=c.get("from"), says=c["says"])
            for c in raw.get("checks") or ()
        ),
        checked=bool(raw.get("checked", False)),
        within=" ".join(str(raw["within"]).split()) if "within" in raw else None,
        within_line=line_of(doc, [*here, "within"]) or line,
    )


def _build_placement(raw: Any, key: str | None, doc: Any, here: list[Any], path: Path) -> Placement:
    value = raw.get(key) if key else None
    if key is None:
        return Lookup()
    if key == "point":
        return Point(_latlon(value))
    if key == "ref":
        return Ref(str(value), line_of(doc, [*here, "ref"]) or 0)
    if key == "line":
        return Line(tuple(map(_latlon, value)))
    if key == "polygon":
        return Polygon(tuple(map(_latlon, value)))
    if key == "relative":
        bearing = _bearing(value["bearing"])
        if bearing is None:
            raise PlaceListError(
                path, line_of(doc, [*here, "relative", "bearing"]), f"bearing {value['bearing']!r} is not understood",
                "give degrees from north (0-360) or a compass word such as north, NE or south-west",
            )  # fmt: skip
        return Relative(
            of=value["of"], distance_km=float(value["distance_km"]), bearing_deg=bearing,
            measure_from=value.get("from"),
        )  # fmt: skip
    if key == "zone":
        return Zone(around=value["around"], radius_km=float(value["radius_km"]), clip=value.get("clip"))
    # area
    radius, km2 = value.get("radius_km"), value.get("km2")
    if (radius is None) == (km2 is None):
        raise PlaceListError(
            path, line_of(doc, [*here, "area"]), f"the area of {raw['name']!r} needs radius_km or km2",
            "give exactly one of them",
        )  # fmt: skip
    center = value.get("center")
    return Area(
        center=_latlon(center) if center else None,
        radius_km=float(radius) if radius is not None else disc_radius_km(float(km2)),
        km2=float(km2) if km2 is not None else None,
    )


def disc_radius_km(km2: float) -> float:
    """The geodesic radius of a disc of ``km2`` on the Earth: a spherical cap, so that a continent's area comes out right.

    ``2R·asin(√(A/4πR²))`` is ``√(A/π)`` for a town and stays exact (unlike ``acos``) for the smallest areas.
    """
    return 2 * EARTH_AUTHALIC_RADIUS_KM * math.asin(math.sqrt(km2 / (4 * math.pi * EARTH_AUTHALIC_RADIUS_KM**2)))


def _bearing(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) % 360 if 0 <= value <= 360 else None
    word = str(value).strip().casefold().replace(" ", "-").replace("northeast", "north-east")
    word = word.replace("northwest", "north-west").replace("southeast", "south-east").replace("southwest", "south-west")
    return COMPASS.get(word)


def _check_names(place_list: PlaceList, doc: Any, path: Path) -> None:
    seen: dict[str, Place] = {}
    for i, place in enumerate(place_list.places):
        for name in (place.name, *place.aliases):
            other = seen.get(name.casefold())
            if other is not None and other is not place:
                raise PlaceListError(
                    path, line_of(doc, ["places", i, "name"]),
                    f"the name {name!r} is used twice (first by the place on line {other.line})",
                    "rename one of them, or merge the two entries",
                )  # fmt: skip
            seen[name.casefold()] = place


def _check_references(place_list: PlaceList, doc: Any, path: Path) -> None:
    index = place_list.by_name()
    known = [p.name for p in place_list.places]

    def unknown(name: str, line: int | None) -> PlaceListError:
        close = difflib.get_close_matches(name, [*index, *known], n=1, cutoff=0.6)
        fix = f"did you mean {close[0]!r}?" if close else "add a place of that name, or fix the spelling"
        return PlaceListError(path, line, f"unknown place {name!r}", fix)

    for i, place in enumerate(place_list.places):
        key = {Relative: ("relative", "of"), Zone: ("zone", "around")}.get(type(place.placement))
        for ref in place.references:
            if ref.casefold() not in index:
                raise unknown(ref, line_of(doc, ["places", i, *key]) if key else place.line)
        if place.within is not None and place.within.casefold() in _names(place):
            raise PlaceListError(
                path, place.within_line, f"place {place.name!r} is `within:` itself",
                "name the region, state or country it lies in, or remove `within:`",
            )  # fmt: skip
        for j, check in enumerate(place.checks):
            if check.of.casefold() not in index:
                raise unknown(check.of, line_of(doc, ["places", i, "checks", j, "of"]))

    try:
        place_list.in_dependency_order()
    except graphlib.CycleError as exc:
        loop = [place_list.by_name()[name.casefold()] for name in reversed(exc.args[1])]
        raise PlaceListError(
            path, loop[0].line, f"reference cycle: {' -> '.join(p.name for p in loop)}",
            "give one of these places a point or let the gazetteer find it",
        ) from None  # fmt: skip


def _names(place: Place) -> set[str]:
    return {n.casefold() for n in (place.name, *place.aliases)}
