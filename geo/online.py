"""Online geocoding, opt-in: a geopy geocoder behind the offline gazetteer.

Nothing here runs unless asked (``--online``, or ``enabled = true`` in the
``[online]`` section of a ``geo.toml``). Requests identify the tool by their user
agent, are spaced by geopy's RateLimiter (one a second for Nominatim, as its usage
policy asks), time out, and are retried with exponential back-off. Every answer,
"not found" included, is kept in an sqlite file in the user's cache directory
(``GEO_CACHE_DIR`` overrides it), so asking again sends nothing. A failure is a
warning: the place is left to the other gazetteers and the build goes on.
"""

from __future__ import annotations

import contextlib
import inspect
import json
import math
import os
import socket
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from geo import __version__
from geo.errors import GeoError
from geo.gazetteer import Candidate, Gazetteer, Match
from geo.gazetteer.normalize import similarity, spelling

USER_AGENT = f"geo/{__version__} (news-article place mapper; python-geopy)"
CONFIG_NAME = "geo.toml"
CACHE_NAME = "online.sqlite3"
# Nominatim's usage policy: at most one request a second.
MIN_DELAY = {"nominatim": 1.0}
# Result types whose extent is worth a circle of uncertainty (as for a country).
AREA_TYPES = {"country", "state", "region", "province", "county", "state_district"}
ANSWERS = 5
"""Answers asked for per name: ranking and context choose among them."""
ACCEPT_ONLINE = 0.75
"""An answer whose name is spelled less like the name asked is the geocoder's guess at another place."""
ONLINE_IMPORTANCE = 40.0
"""Ranking points for the geocoder's importance of 1: what breaks ties between its answers."""

Warn = Callable[[str], None]


class OnlineConfigError(GeoError):
    """A geocoder, an option or a config file that cannot be used."""


def _stderr_warning(message: str) -> None:
    print(f"geo: warning: {message}", file=sys.stderr)


@dataclass(frozen=True)
class Settings:
    """How to look names up online, from the command line and ``geo.toml``."""

    enabled: bool = False
    geocoder: str = "nominatim"
    options: Mapping[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    retries: int = 2
    backoff: float = 1.0
    """Seconds before the first retry; doubled for each one after it."""
    min_delay: float | None = None
    """Seconds between requests; None: the geocoder's usage policy (1 s for Nominatim)."""


def config_paths(places: Path | None) -> list[Path]:
    """Where ``geo.toml`` is looked for, first found wins: beside the place list,
    then in the user's config directory."""
    import platformdirs

    paths = [Path(places).parent / CONFIG_NAME] if places is not None else []
    return [*paths, Path(platformdirs.user_config_dir("geo")) / CONFIG_NAME]


def settings(
    places: Path | None = None,
    online: bool | None = None,
    geocoder: str | None = None,
    options: Sequence[str] = (),
) -> Settings:
    """The settings of a command: its options over the ``[online]`` config section."""
    section: dict[str, Any] = {}
    for path in config_paths(places):
        if path.is_file():
            import tomllib  # only when there is a file to read: most builds have none

            try:
                section = tomllib.loads(path.read_text(encoding="utf-8")).get("online", {})
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                raise OnlineConfigError(f"{path}: cannot read the config file ({exc})") from None
            if not isinstance(section, dict):
                raise OnlineConfigError(f"{path}: [online] must be a table")
            break
    known = {"enabled", "geocoder", "options", "timeout", "retries", "backoff", "min_delay"}
    unknown = set(section) - known
    if unknown:
        raise OnlineConfigError(
            f"{path}: unknown key {min(unknown)!r} in [online]; known keys: {', '.join(sorted(known))}"
        )
    merged = {str(k): str(v) for k, v in (section.get("options") or {}).items()}
    for item in options:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise OnlineConfigError(f"--geocoder-opt {item!r}: write it as KEY=VALUE, e.g. domain=127.0.0.1:8080")
        merged[key.strip()] = value.strip()
    try:
        return Settings(
            enabled=bool(section.get("enabled", False)) if online is None else online,
            geocoder=(geocoder or section.get("geocoder") or "nominatim").lower(),
            options=merged,
            timeout=float(section.get("timeout", 10.0)),
            retries=int(section.get("retries", 2)),
            backoff=float(section.get("backoff", 1.0)),
            min_delay=float(section["min_delay"]) if "min_delay" in section else None,
        )
    except (TypeError, ValueError) as exc:
        raise OnlineConfigError(f"[online] in {path}: {exc}") from None


def cache_dir() -> Path:
    """``GEO_CACHE_DIR``, or the user's cache directory for geo."""
    import platformdirs

    return Path(os.environ.get("GEO_CACHE_DIR") or platformdirs.user_cache_dir("geo"))


class Cache:
    """Answers by query, in an sqlite file: kept across runs, safe to share."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=10)
        try:
            with connection:
                connection.execute("CREATE TABLE IF NOT EXISTS answers (key TEXT PRIMARY KEY, value TEXT, at REAL)")
                yield connection
        finally:
            connection.close()

    def get(self, key: str) -> list[dict[str, Any]] | None:
        try:
            with self._connect() as db:
                row = db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        except (OSError, sqlite3.Error):
            return None
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: list[dict[str, Any]]) -> None:
        try:
            with self._connect() as db:
                db.execute("INSERT OR REPLACE INTO answers VALUES (?, ?, ?)", (key, json.dumps(value), time.time()))
        except (OSError, sqlite3.Error) as exc:
            _stderr_warning(f"cannot write the geocoding cache {self.path} ({exc})")


def _coerce(value: str, default: Any) -> Any:
    """An option's text as the type of the parameter's default."""
    if isinstance(default, bool):
        if value.lower() in {"1", "true", "yes", "on"}:
            return True
        if value.lower() in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{value!r} is not true or false")
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return value


class OnlineGazetteer(Gazetteer):
    """A geopy geocoder as a :class:`geo.gazetteer.Gazetteer`, cached on disk."""

    def __init__(self, config: Settings, *, cache: Cache | None = None, warn: Warn = _stderr_warning) -> None:
        from geopy.exc import GeocoderNotFound
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import get_geocoder_for_service

        self.name = config.geocoder
        self.config = config
        self.warn = warn
        self.cache = cache or Cache(cache_dir() / CACHE_NAME)
        self._unreachable: str | None = None
        try:
            cls = get_geocoder_for_service(config.geocoder)
        except GeocoderNotFound:
            raise OnlineConfigError(
                f"--geocoder {config.geocoder!r}: geopy has no such geocoder; try nominatim, photon, arcgis, ..."
            ) from None
        parameters = inspect.signature(cls.__init__).parameters
        kwargs: dict[str, Any] = {}
        if "user_agent" in parameters:
            kwargs["user_agent"] = USER_AGENT
        if "timeout" in parameters:
            kwargs["timeout"] = config.timeout
        if "adapter_factory" in parameters:
            from geopy.adapters import URLLibAdapter

            kwargs["adapter_factory"] = URLLibAdapter  # retries are ours alone, spaced by the rate limiter
        for key, value in config.options.items():
            if key not in parameters or key == "self":
                options = ", ".join(p for p in parameters if p not in {"self", "args", "kwargs"})
                raise OnlineConfigError(f"--geocoder-opt {key}: {cls.__name__} has no such option; it has {options}")
            default = parameters[key].default
            try:
                kwargs[key] = _coerce(value, default if default is not inspect.Parameter.empty else "")
            except ValueError as exc:
                raise OnlineConfigError(f"--geocoder-opt {key}={value}: {exc}") from None
        try:
            self.geocoder = cls(**kwargs)
        except Exception as exc:  # noqa: BLE001 - geopy raises ConfigurationError, TypeError, ...
            raise OnlineConfigError(f"--geocoder {config.geocoder}: {exc}") from None
        self._geocode_parameters = inspect.signature(self.geocoder.geocode).parameters
        delay = config.min_delay if config.min_delay is not None else MIN_DELAY.get(self.name, 0.0)
        self._geocode = RateLimiter(self.geocoder.geocode, min_delay_seconds=delay, max_retries=0, swallow_exceptions=False)
        # The key of an answer in the cache: same service, same endpoint, same question.
        endpoint = {k: v for k, v in config.options.items() if k not in {"user_agent", "timeout"}}
        self._cache_scope = [self.name, dict(sorted(endpoint.items()))]

    def candidates(self, name: str, country: str | None = None) -> list[Candidate]:
        """The geocoder's answers whose names match ``name``: asked once, then read from the cache."""
        key = json.dumps([*self._cache_scope, name, country, ANSWERS], sort_keys=True, ensure_ascii=False)
        cached = self.cache.get(key)
        if cached is None:
            if self._unreachable:
                return []
            found = self._ask(name, country, ANSWERS)
            if found is None:
                return []
            cached = [self._record(location, country) for location in found]
            self.cache.put(key, cached)
            for record in cached:
                self.cache.put(self._ref_key(f"{record['source']}:{record['id']}"), [record])
        out = []
        asked = spelling(name)
        for record in cached:
            match = Match(**{**record, "score": 100.0})
            score = similarity(asked, spelling(match.name))
            if score < ACCEPT_ONLINE:
                continue
            importance = ONLINE_IMPORTANCE * record["score"] / 100.0  # the geocoder's own importance, 0-1
            out.append(Candidate(replace(match, score=round(100.0 * min(score, 1.0), 1)), importance, score < 0.98))
        return out

    def record(self, ref: str) -> Match | None:
        """A record this geocoder gave before, from the cache (no request: a reference must not need the network)."""
        cached = self.cache.get(self._ref_key(ref))
        return Match(**{**cached[0], "score": 100.0}) if cached else None

    def _ref_key(self, ref: str) -> str:
        return json.dumps([*self._cache_scope, "ref", ref], sort_keys=True, ensure_ascii=False)

    def _ask(self, name: str, country: str | None, candidates: int) -> list[Any] | None:
        """The geocoder's locations for ``name``; None (and a warning) on failure."""
        from geopy import exc as geopy_exc

        kwargs: dict[str, Any] = {"exactly_one": False}
        if "limit" in self._geocode_parameters:
            kwargs["limit"] = candidates
        if country and "country_codes" in self._geocode_parameters:
            kwargs["country_codes"] = country.lower()
        elif country and "country" in self._geocode_parameters:
            kwargs["country"] = country
        retryable = (geopy_exc.GeocoderTimedOut, geopy_exc.GeocoderUnavailable, geopy_exc.GeocoderRateLimited)
        for attempt in range(self.config.retries + 1):
            try:
                return list(self._geocode(name, **kwargs) or [])
            except retryable as exc:
                last: Exception = exc
                if attempt < self.config.retries:
                    wait = self.config.backoff * 2**attempt
                    if isinstance(exc, geopy_exc.GeocoderRateLimited) and exc.retry_after:
                        wait = max(wait, float(exc.retry_after))
                    time.sleep(wait)
            except geopy_exc.GeopyError as exc:
                last = exc
                break
        reason = str(last).strip() or type(last).__name__
        if _unreachable(last):
            self._unreachable = reason
            self.warn(
                f"{self.name} is unreachable ({reason}); the other names are looked up offline only"
            )
        else:
            self.warn(f"{self.name} could not look up {name!r} ({reason}); it is looked up offline only")
        return None

    def _record(self, location: Any, country: str | None) -> dict[str, Any]:
        """A location as the fields of a :class:`Match` (JSON, for the cache)."""
        raw = location.raw if isinstance(location.raw, dict) else {}
        if raw.get("osm_type") and raw.get("osm_id"):
            ident = f"{raw['osm_type']}/{raw['osm_id']}"
        else:
            ident = str(raw.get("place_id") or raw.get("id") or f"{location.latitude:.5f},{location.longitude:.5f}")
        kind = str(raw.get("addresstype") or raw.get("type") or "other")
        radius = None
        box = raw.get("boundingbox")
        if kind in AREA_TYPES and isinstance(box, list) and len(box) == 4:
            south, north, west, east = map(float, box)
            height = (north - south) * 111.32
            width = (east - west) * 111.32 * math.cos(math.radians((north + south) / 2))
            radius = math.sqrt(abs(height * width) / math.pi) or None
        importance = raw.get("importance")
        return {
            "name": str(raw.get("name") or location.address.split(",")[0]).strip(),
            "lat": float(location.latitude),
            "lon": float(location.longitude),
            "kind": kind,
            "country": country,
            "source": self.name,
            "id": ident,
            "score": float(importance) * 100 if isinstance(importance, (int, float)) else 50.0,
            "radius_km": radius,
        }


def _unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` means no connection at all (no network, nothing listening)."""
    from geopy import exc as geopy_exc

    if isinstance(exc, geopy_exc.GeocoderTimedOut):
        return False
    if isinstance(exc, geopy_exc.GeocoderUnavailable):
        return True
    seen: BaseException | None = exc
    while seen is not None:
        reason = getattr(seen, "reason", None)  # urllib's URLError wraps the socket error
        if isinstance(seen, (ConnectionError, socket.gaierror)) or isinstance(reason, (ConnectionError, socket.gaierror)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


class Chain(Gazetteer):
    """Gazetteers asked in turn: the next is asked for a name the ones before do not match as spelled."""

    def __init__(self, *gazetteers: Gazetteer) -> None:
        self.gazetteers = gazetteers

    def candidates(self, name: str, country: str | None = None) -> list[Candidate]:
        found: list[Candidate] = []
        for gazetteer in self.gazetteers:
            found += gazetteer.candidates(name, country)
            if any(not c.transliterated for c in found):
                break
        return found

    def record(self, ref: str) -> Match | None:
        return next((m for m in (g.record(ref) for g in self.gazetteers) if m is not None), None)

    def suggest(self, name: str, limit: int = 3) -> list[Match]:
        return next((found for found in (g.suggest(name, limit) for g in self.gazetteers) if found), [])

    def complete(self, match: Match) -> Match:
        for gazetteer in self.gazetteers:
            match = gazetteer.complete(match)
        return match


def with_online(offline: Gazetteer, config: Settings, warn: Warn = _stderr_warning) -> Gazetteer:
    """``offline``, followed by the online geocoder when ``config`` enables it."""
    if not config.enabled:
        return offline
    return Chain(offline, OnlineGazetteer(config, warn=warn))
