"""Online look-ups against a real HTTP server on 127.0.0.1 that speaks Nominatim's
/search JSON and records every request it gets."""

from __future__ import annotations

import itertools
import json
import textwrap
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner

from geo import online
from geo.cli import main

ZZYZX = {
    "place_id": 1, "osm_type": "relation", "osm_id": 123, "lat": "36.2021", "lon": "37.1343",
    "display_name": "Qqxqvbnm, Qqxqvbnm Governorate, Syria", "name": "Qqxqvbnm", "type": "city",
    "addresstype": "city", "importance": 0.71, "boundingbox": ["36.1", "36.3", "37.0", "37.3"],
}  # fmt: skip


class Nominatim(ThreadingHTTPServer):
    """Answers /search like Nominatim; ``requests`` has (time, query, user agent)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[float, dict[str, list[str]], str]] = []
        self.answers: dict[str, list[dict[str, Any]]] = {"qqxqvbnm": [ZZYZX]}
        self.slow: set[str] = set()

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def queries(self) -> list[str]:
        return [q["q"][0] for _, q, _ in self.requests]


class Handler(BaseHTTPRequestHandler):
    server: Nominatim

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.server.requests.append((time.monotonic(), query, self.headers.get("User-Agent", "")))
        name = query.get("q", [""])[0].casefold()
        if url.path != "/search":
            self.send_error(404)
            return
        if name in self.server.slow:
            time.sleep(1.0)
        if name == "boom":
            self.send_error(500)
            return
        body = json.dumps(self.server.answers.get(name, [])).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Nominatim]:
    httpd = Nominatim()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh cache and no user config for every test."""
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(online, "config_paths", lambda places: [Path(places).parent / "geo.toml"] if places else [])
    # The offline side knows nothing, so what is found comes from the server.
    monkeypatch.setattr("geo.cli.options.default_gazetteer", online.Chain)
    return tmp_path / "cache"


def settings(server: Nominatim, **kwargs: Any) -> online.Settings:
    base: dict[str, Any] = {"enabled": True, "options": {"domain": server.domain, "scheme": "http"}}
    return online.Settings(**{**base, **kwargs})


def test_lookup_sends_a_nominatim_query_and_caches_the_answer(server: Nominatim, cache: Path) -> None:
    found = online.OnlineGazetteer(settings(server)).lookup("Qqxqvbnm", country="SY")
    assert [(m.name, m.lat, m.lon, m.source, m.id, m.kind) for m in found] == [
        ("Qqxqvbnm", 36.2021, 37.1343, "nominatim", "relation/123", "city")
    ]
    assert found[0].radius_km is None  # a city is a point, not an area
    ((_, query, agent),) = server.requests
    assert query["q"] == ["Qqxqvbnm"] and query["countrycodes"] == ["sy"] and query["format"] == ["json"]
    assert agent.startswith("geo/") and "geopy" in agent
    # Another run (a new gazetteer, same cache directory) asks nothing.
    again = online.OnlineGazetteer(settings(server)).lookup("Qqxqvbnm", country="SY")
    assert again == found and len(server.requests) == 1
    assert (cache / online.CACHE_NAME).is_file()
    # "Not found" is an answer too, and is cached.
    assert online.OnlineGazetteer(settings(server)).lookup("Nowhere") == []
    assert online.OnlineGazetteer(settings(server)).lookup("Nowhere") == []
    assert server.queries() == ["Qqxqvbnm", "Nowhere"]


def test_requests_are_one_second_apart_for_nominatim(server: Nominatim) -> None:
    gazetteer = online.OnlineGazetteer(settings(server))
    for name in ["a", "b", "c"]:
        gazetteer.lookup(name)
    times = [t for t, _, _ in server.requests]
    assert len(times) == 3
    assert all(later - earlier >= 0.95 for earlier, later in itertools.pairwise(times)), times


def test_timeout_is_retried_with_back_off_then_a_warning(server: Nominatim) -> None:
    server.slow.add("qqxqvbnm")
    warnings: list[str] = []
    config = settings(server, timeout=0.3, retries=1, backoff=0.2, min_delay=0.0)
    start = time.monotonic()
    assert online.OnlineGazetteer(config, warn=warnings.append).lookup("Qqxqvbnm") == []
    assert time.monotonic() - start < 3
    assert server.queries() == ["Qqxqvbnm", "Qqxqvbnm"]
    assert server.requests[1][0] - server.requests[0][0] >= 0.45  # timeout + back-off
    assert len(warnings) == 1 and "could not look up 'Qqxqvbnm'" in warnings[0] and "timed out" in warnings[0].lower()
    # A failure is not cached: the next run asks again.
    server.slow.clear()
    assert online.OnlineGazetteer(config).lookup("Qqxqvbnm")[0].name == "Qqxqvbnm"


def test_server_error_is_a_warning(server: Nominatim) -> None:
    warnings: list[str] = []
    config = settings(server, retries=0, min_delay=0.0)
    assert online.OnlineGazetteer(config, warn=warnings.append).lookup("boom") == []
    assert len(warnings) == 1 and "'boom'" in warnings[0]


def test_unreachable_server_warns_once_and_stops_asking() -> None:
    warnings: list[str] = []
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as closed:
        domain = f"127.0.0.1:{closed.server_address[1]}"
    config = online.Settings(enabled=True, options={"domain": domain, "scheme": "http"}, retries=0, min_delay=0.0)
    gazetteer = online.OnlineGazetteer(config, warn=warnings.append)
    assert gazetteer.lookup("Qqxqvbnm") == [] and gazetteer.lookup("Wwqzkjv") == []
    assert len(warnings) == 1 and "unreachable" in warnings[0]


PLACES = textwrap.dedent("""\
    title: Test
    places:
      - name: Qqxqvbnm
        country: SY
      - name: Damascus
        point: [33.51, 36.29]
    """)


def geo(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_build_online_then_cached_then_offline(server: Nominatim, tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES)
    output = tmp_path / "map.html"
    opts = ["--geocoder-opt", f"domain={server.domain}", "--geocoder-opt", "scheme=http"]
    # Nothing goes online unless asked.
    result = geo("build", str(places), "-o", str(output))
    assert result.exit_code == 0 and "'Qqxqvbnm'" in result.output and server.requests == []
    result = geo("build", str(places), "-o", str(output), "--online", *opts)
    assert result.exit_code == 0, result.output
    assert "(2 places)" in result.output and server.queries() == ["Qqxqvbnm"]
    result = geo("check", str(places), "--online", *opts)
    assert result.exit_code == 0, result.output
    assert "nominatim relation/123 (Qqxqvbnm" in result.output
    assert len(server.requests) == 1  # the second run was answered by the cache


def test_config_file_turns_online_on(server: Nominatim, tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES)
    (tmp_path / "geo.toml").write_text(
        f'[online]\nenabled = true\ngeocoder = "nominatim"\n[online.options]\ndomain = "{server.domain}"\nscheme = "http"\n'
    )
    result = geo("check", str(places))
    assert result.exit_code == 0, result.output
    assert server.queries() == ["Qqxqvbnm"]
    # --offline wins over the file.
    places.write_text(PLACES.replace("Qqxqvbnm", "Wwqzkjv"))
    assert geo("check", str(places), "--offline").exit_code == 1 and server.queries() == ["Qqxqvbnm"]


def test_a_failing_build_goes_on_with_a_warning(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES)
    with ThreadingHTTPServer(("127.0.0.1", 0), Handler) as closed:
        domain = f"127.0.0.1:{closed.server_address[1]}"
    result = geo("build", str(places), "-o", str(tmp_path / "map.html"), "--online",
                 "--geocoder-opt", f"domain={domain}", "--geocoder-opt", "scheme=http")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "nominatim is unreachable" in result.output and "(1 places)" in result.output
    assert "left off the map" in result.output


def test_bad_geocoder_and_options_are_one_line_errors(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(PLACES)
    result = geo("check", str(places), "--online", "--geocoder", "nosuch")
    assert result.exit_code == 1 and "geopy has no such geocoder" in result.output
    result = geo("check", str(places), "--online", "--geocoder-opt", "colour=blue")
    assert result.exit_code == 1 and "Nominatim has no such option" in result.output
    result = geo("check", str(places), "--online", "--geocoder-opt", "domain")
    assert result.exit_code == 1 and "KEY=VALUE" in result.output


TISHREEN = {
    "place_id": 2, "osm_type": "way", "osm_id": 456, "lat": "36.3806", "lon": "38.1836",
    "display_name": "Tishrin Dam, Manbij, Aleppo Governorate, Syria", "name": "Tishrin Dam", "type": "dam",
    "addresstype": "man_made", "importance": 0.42,
}  # fmt: skip
ELSEWHERE = {**TISHREEN, "osm_id": 789, "name": "Tishomingo", "lat": "34.23", "lon": "-96.67"}


def test_a_name_the_offline_index_only_half_knows_goes_online(
    server: Nominatim, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gazetteer_fixture import use_test_index

    from geo.gazetteer.index import IndexGazetteer

    index = IndexGazetteer(use_test_index(), build_if_needed=False)
    monkeypatch.setenv("GEO_CACHE_DIR", str(tmp_path / "cache"))  # the answers' cache stays this test's
    assert index.lookup("Tishreen dam") == [] and index.suggest("Tishreen dam")  # near misses only: not an answer
    monkeypatch.setattr("geo.cli.options.default_gazetteer", lambda: index)
    server.answers["tishreen dam"] = [ELSEWHERE, TISHREEN]
    places = tmp_path / "places.yaml"
    places.write_text("title: T\ncountry: SY\nplaces:\n  - name: Tishreen dam\n  - name: Raqqa\n    point: [35.95, 39.01]\n")
    result = geo("check", str(places), "--online", "--geocoder-opt", f"domain={server.domain}",
                 "--geocoder-opt", "scheme=http")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert server.queries() == ["Tishreen dam"]
    line = next(line for line in result.stdout.splitlines() if line.startswith("Tishreen dam\t"))
    assert "36.38060, 38.18360" in line and "nominatim way/456 (Tishrin Dam)" in line
    assert "Tishomingo" not in result.output  # an answer spelled otherwise is the geocoder's guess at another place
