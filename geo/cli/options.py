"""Arguments and options shared by several commands, and the steps they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo import online
from geo.gazetteer import Gazetteer, default_gazetteer

if TYPE_CHECKING:  # the place list and geometry are loaded only by commands that use them
    from geo.api import Story

places_argument = click.argument(
    "places", type=click.Path(dir_okay=False, path_type=Path), default="places.yaml", required=False
)
strict_option = click.option("--strict", is_flag=True, help="Fail when a place cannot be placed, instead of warning.")
article_option = click.option(
    "--article", type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The article's text: each popup quotes the sentences that mention the place.",
)  # fmt: skip
cdn_option = click.option(
    "--cdn", is_flag=True,
    help="Load Leaflet from jsDelivr instead of carrying it: a smaller page that needs the internet to draw.",
)  # fmt: skip


def iso_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """An option's YYYY-MM-DD value as a date (a callback)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2017-06-07") from None


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


def load_story(path: Path, strict: bool = False, settings: online.Settings | None = None) -> Story:
    """The place list read and resolved by :func:`geo.load`; each of its problems warned about on stderr.

    With ``strict``, a place that cannot be placed, or whose place is a guess, is an error
    (exit 1). Names the offline gazetteer does not match are looked up online when
    ``settings`` (default: the command's ``--online`` options) enable it.
    """
    from geo import api

    story = api.load(path, strict=strict, gazetteer=gazetteer(path, settings))
    for problem in story.problems:
        warn(f"{problem}; {problem.consequence}")
    return story


def warn(message: str) -> None:
    """One line on stderr, whatever the message holds (a place name may carry line breaks or escapes)."""
    from geo.cli import one_line

    click.echo(f"geo: warning: {one_line(message)}", err=True)
