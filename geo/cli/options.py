"""Arguments and options shared by several commands, and the steps they share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo import online
from geo.gazetteer import Gazetteer, default_gazetteer

if TYPE_CHECKING:  # the place list and geometry are loaded only by commands that use them
    from geo.placelist import PlaceList
    from geo.resolve import Resolution, Resolved

places_argument = click.argument(
    "places", type=click.Path(dir_okay=False, path_type=Path), default="places.yaml", required=False
)
strict_option = click.option("--strict", is_flag=True, help="Fail when a place cannot be placed, instead of warning.")


def online_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--online``, ``--geocoder`` and ``--geocoder-opt``; read back by :func:`online_settings`."""

    def remember(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        ctx.meta[f"geo.{param.name}"] = value
        return value

    for decorator in reversed([
        click.option("--online/--offline", default=None, expose_value=False, callback=remember,
                     help="Also look names up with an online geocoder (default: offline only, or geo.toml's [online])."),
        click.option("--geocoder", metavar="NAME", expose_value=False, callback=remember,
                     help="geopy geocoder for --online (default nominatim), e.g. photon, arcgis."),
        click.option("--geocoder-opt", metavar="KEY=VALUE", multiple=True, expose_value=False, callback=remember,
                     help="Option of the geocoder class, repeatable, e.g. domain=127.0.0.1:8080 scheme=http."),
    ]):  # fmt: skip
        command = decorator(command)
    return command


def online_settings(path: Path) -> online.Settings:
    """The online look-up settings of the running command (and geo.toml)."""
    ctx = click.get_current_context(silent=True)
    meta = ctx.meta if ctx is not None else {}
    return online.settings(path, meta.get("geo.online"), meta.get("geo.geocoder"), meta.get("geo.geocoder_opt") or ())


def gazetteer(path: Path, settings: online.Settings | None = None) -> Gazetteer:
    """The gazetteer of the running command: the offline index, then the online geocoder if enabled."""
    return online.with_online(default_gazetteer(), settings or online_settings(path), warn)


def load_and_resolve(
    path: Path, strict: bool = False, settings: online.Settings | None = None
) -> tuple[PlaceList, Resolution]:
    """Read the place list and resolve it; warn on stderr about places left out or unverified.

    With ``strict``, a place that cannot be placed, or whose place is a guess, is an error
    (exit 1). Names the offline gazetteer does not match are looked up online when
    ``settings`` (default: the command's ``--online`` options) enable it.
    """
    from geo import placelist
    from geo.errors import ResolutionError
    from geo.resolve import resolve

    place_list = placelist.load(path)
    resolution = resolve(place_list, gazetteer(path, settings))
    for problem in resolution.problems:
        message = f"{path}:{problem.place.line}: place {problem.place.name!r} {problem.message}"
        if strict:
            raise ResolutionError(message)
        warn(f"{message}; it is left off the map")
    for item in resolution.unverified:
        message = f"{path}:{item.place.line}: place {item.place.name!r} is unverified: {unverified(item)}"
        if strict:
            raise ResolutionError(f"{message} (--strict)")
        warn(f"{message}; it is drawn as unverified")
    return place_list, resolution


def unverified(item: Resolved) -> str:
    """Why a placement is a guess, and how to settle it."""
    return (f"{item.origin}; check it, then add `checked: true` to its entry, or pick another with "
            f"`geo pin {item.place.name!r} --ref` (`geo resolve {item.place.name!r} --candidates 5` lists them)")


def warn(message: str) -> None:
    """One line on stderr, whatever the message holds (a place name may carry line breaks or escapes)."""
    from geo.cli import one_line

    click.echo(f"geo: warning: {one_line(message)}", err=True)
