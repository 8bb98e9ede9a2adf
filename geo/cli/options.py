"""Arguments and options shared by several commands, and the steps they share."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo import online
from geo.gazetteer import default_gazetteer

if TYPE_CHECKING:  # the place list and geometry are loaded only by commands that use them
    from geo.placelist import PlaceList
    from geo.resolve import Resolution

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


def load_and_resolve(
    path: Path, strict: bool = False, settings: online.Settings | None = None
) -> tuple[PlaceList, Resolution]:
    """Read the place list and resolve it; warn on stderr about places left out.

    With ``strict``, a place that cannot be placed is an error (exit 1). Names the offline
    gazetteer lacks are looked up online when ``settings`` (default: the command's
    ``--online`` options) enable it.
    """
    from geo import placelist
    from geo.resolve import resolve

    place_list = placelist.load(path)
    gazetteer = online.with_online(default_gazetteer(), settings or online_settings(path), warn)
    resolution = resolve(place_list, gazetteer)
    for problem in resolution.problems:
        message = f"{path}:{problem.place.line}: place {problem.place.name!r} {problem.message}"
        if strict:
            from geo.errors import ResolutionError

            raise ResolutionError(message)
        click.echo(f"geo: warning: {message}; it is left off the map", err=True)
    return place_list, resolution


def warn(message: str) -> None:
    click.echo(f"geo: warning: {message}", err=True)
