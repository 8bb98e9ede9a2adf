"""``geo serve`` over HTTP, without a browser: a real ``geo serve`` process on 127.0.0.1,
real saves of the file, raw requests on real sockets."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from gazetteer_fixture import use_test_index

from geo import webmap
from geo.cli.serve import CONNECTION_TIMEOUT_SECONDS, MapServer

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
GOOD = """\
title: Serve test
places:
  - name: Alpha town
    point: [35.95, 39.01]
"""
FIXED = GOOD + "  - name: Bravo village\n    point: [36.1, 39.2]\n"
BAD_SAVES = {
    "impossible date": GOOD.replace("places:", "article: {date: 2017-02-30}\nplaces:"),
    "nesting 5000 deep": GOOD + "    notes: " + "[" * 5000 + "]" * 5000 + "\n",
    "not YAML": GOOD + "  - name: Charlie\n    point: [36.1, 39.2\n",
    "unknown key": GOOD + "  - name: <b>Delta</b>\n    pont: [1, 2]\n",
}


@pytest.fixture(scope="module", autouse=True)
def gazetteer_index() -> None:
    use_test_index()  # exports GEO_CACHE_DIR, which the served process inherits


class Served:
    """A ``geo serve`` process on a free port; its stderr is collected line by line."""

    def __init__(self, places: Path, *args: str, env: dict[str, str] | None = None) -> None:
        env = dict(os.environ if env is None else env)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "geo", "serve", str(places), "--port", "0", *args],
            stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            serving = self.wait_for_line(r"geo: serving .* at http://127\.0\.0\.1:(\d+)/")
        except BaseException:
            self.stop()
            raise
        self.port = int(serving.group(1))

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)

    def wait_for_line(self, pattern: str, timeout: float = 60) -> re.Match[str]:
        found = wait_for(lambda: next(filter(None, (re.search(pattern, line) for line in self.lines)), None), timeout)
        if found is None:
            pytest.fail(f"geo serve never printed {pattern!r}; its stderr:\n{self.stderr}", pytrace=False)
        return found

    @property
    def stderr(self) -> str:
        return "".join(self.lines)

    def stop(self) -> str:
        """Ctrl-C, as a user stops it; the whole stderr."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._reader.join(timeout=5)
        return self.stderr


def wait_for(check: Callable[[], T], timeout: float = 30) -> T | None:
    """``check()`` once it is truthy, polling until ``timeout``; None if it never is."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.1)
    return None


def get(port: int, path: str = "/", host: str | None = "127.0.0.1") -> tuple[int, str]:
    """A raw HTTP request with exactly the ``Host`` header given (none if None): status and body."""
    header = "" if host is None else f"Host: {host}\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=20) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\n{header}Connection: close\r\n\r\n".encode())
        data = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body.decode("utf-8")


def banner(page: str) -> str | None:
    found = re.search(r'<div id="geo-error"[^>]*>(.*?)</div>', page, re.DOTALL)
    return found.group(1) if found else None


def version(port: int) -> dict[str, object]:
    status, body = get(port, "/version")
    assert status == 200
    return dict(json.loads(body))


@pytest.fixture
def places(tmp_path: Path) -> Path:
    path = tmp_path / "places.yaml"
    path.write_text(GOOD)
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    path = tmp_path_factory.mktemp("served") / "places.yaml"
    path.write_text(GOOD)
    server = Served(path)
    yield server
    server.stop()


def test_bad_saves_show_a_banner_over_the_last_good_map_and_a_good_save_rebuilds(places: Path) -> None:
    server = Served(places)
    banners: dict[str, str] = {}
    try:
        for name, text in BAD_SAVES.items():
            before = version(server.port)["version"]
            places.write_text(text)
            assert wait_for(lambda seen=before: version(server.port)["version"] != seen), f"{name}: not noticed"
            status, page = get(server.port)
            assert status == 200 and "Alpha town" in page, f"{name}: the last good map is gone"
            message = banner(page)
            assert message and "\n" not in message, f"{name}: banner {message!r}"
            banners[name] = message
        places.write_text(FIXED)
        rebuilt = wait_for(lambda: "Bravo village" in get(server.port)[1])
        assert rebuilt, "a good save after bad ones was ignored"
        assert banner(get(server.port)[1]) is None
    finally:
        stderr = server.stop()
    assert "Traceback" not in stderr
    lines = stderr.splitlines()
    assert all(line.startswith("geo: ") for line in lines), stderr
    assert sum("still serving the last good map" in line for line in lines) == len(BAD_SAVES)
    assert "&lt;b&gt;Delta&lt;/b&gt;" in banners["unknown key"]  # escaped


@pytest.mark.parametrize(
    ("failure", "shown"),
    [(RecursionError("maximum recursion depth exceeded"), "RecursionError: maximum recursion depth exceeded"),
     (ValueError("day is out of range\nfor month"), "ValueError: day is out of range\\nfor month")],
    ids=["RecursionError", "ValueError over two lines"],
)  # fmt: skip
def test_an_internal_error_while_rebuilding_is_one_line_and_the_watcher_goes_on(
    places: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str], failure: Exception, shown: str
) -> None:
    server = MapServer(places, port=0)
    server.start()
    try:
        render = webmap.render

        def broken(*args: object, **kwargs: object) -> str:
            raise failure

        monkeypatch.setattr(webmap, "render", broken)
        places.write_text(GOOD.replace("Alpha town", "Alpha city"))
        assert wait_for(lambda: server.error), "the failed rebuild was not reported"
        expected = (
            f"internal error: {shown} "
            "(a bug in geo: rerun `geo --debug serve` and report the traceback with your place list)"
        )
        assert server.error == expected
        assert "Alpha town" in server.page() and banner(server.page()) == expected

        monkeypatch.setattr(webmap, "render", render)
        places.write_text(FIXED)
        assert wait_for(lambda: "Bravo village" in server.page()), "the watcher stopped after an internal error"
        assert server.error is None
    finally:
        server.stop()
    stderr = capfd.readouterr().err
    assert "Traceback" not in stderr
    assert [line for line in stderr.splitlines() if "internal error" in line] == [
        f"geo: {expected}; still serving the last good map"
    ]


def test_with_debug_an_internal_error_also_prints_its_traceback(
    places: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(webmap, "render", broken)
    server = MapServer(places, port=0, debug=True)
    server.httpd.server_close()
    assert server.error and server.error.startswith("internal error: RecursionError")
    stderr = capfd.readouterr().err
    assert "Traceback" in stderr and "raise RecursionError" in stderr


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1.evil.example:{port}", "localhost.evil.example",
             "127.0.0.2:{port}", "", None],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/", "/version"])
def test_a_request_for_another_host_name_is_refused_without_data(served: Served, host: str | None, path: str) -> None:
    status, body = get(served.port, path, None if host is None else host.format(port=served.port))
    assert status == 403
    assert "Alpha town" not in body and "version" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "127.0.0.1", "localhost:{port}", "LocalHost", "[::1]:{port}"])
def test_loopback_host_names_are_answered(served: Served, host: str) -> None:
    status, body = get(served.port, "/", host.format(port=served.port))
    assert status == 200 and "Alpha town" in body


@pytest.mark.parametrize("sent", [b"", b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n"], ids=["idle", "half a request"])
def test_a_stalled_connection_is_closed_and_others_are_served_meanwhile(served: Served, sent: bytes) -> None:
    with socket.create_connection(("127.0.0.1", served.port)) as stalled:
        stalled.sendall(sent)
        started = time.monotonic()
        assert get(served.port)[0] == 200
        stalled.settimeout(CONNECTION_TIMEOUT_SECONDS + 15)
        try:
            rest = stalled.recv(65536)
        except TimeoutError:
            pytest.fail("the server still holds a stalled connection open", pytrace=False)
    assert rest == b""  # closed without an answer
    assert CONNECTION_TIMEOUT_SECONDS - 1 <= time.monotonic() - started <= CONNECTION_TIMEOUT_SECONDS + 10


def reset(sock: socket.socket) -> None:
    """Close abruptly, with a TCP reset, as a crashed or killed browser tab does."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def test_clients_that_leave_mid_request_or_mid_response_leave_no_traceback(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    # A 7 MB page (a place list may have 8 MB), more than loopback socket buffers hold (4 MB): the server is still
    # writing when the client leaves.
    notes = "x" * 350_000
    places.write_text(
        "title: Big\nplaces:\n"
        + "".join(f"  - name: Place {i}\n    point: [{i % 80}, {i % 170}]\n    notes: {notes}\n" for i in range(20))
    )
    server = Served(places)
    try:
        for _ in range(5):
            sock = socket.create_connection(("127.0.0.1", server.port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            time.sleep(0.2)
            reset(sock)

            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.connect(("127.0.0.1", server.port))
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert sock.recv(1024).startswith(b"HTTP/1.0 200")
            time.sleep(0.2)
            reset(sock)
        status, page = get(server.port)
        assert status == 200 and "Place 19" in page
    finally:
        stderr = server.stop()
    assert "Traceback" not in stderr and "Error" not in stderr, stderr
    assert all(line.startswith("geo: ") for line in stderr.splitlines()), stderr


def test_open_without_a_browser_says_where_the_page_is(places: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")}
    env["PATH"] = str(tmp_path)  # no browser, graphical or text, to be found
    server = Served(places, "--open", env=env)
    try:
        server.wait_for_line(rf"^geo: open http://127\.0\.0\.1:{server.port}/ in a browser$", timeout=20)
    finally:
        server.stop()


def test_serve_takes_builds_page_options_article_cdn_and_strict(tmp_path: Path) -> None:
    places = tmp_path / "places.yaml"
    places.write_text(GOOD, encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("Fighters advanced on Alpha town at dawn.\n", encoding="utf-8")
    served = Served(places, "--article", str(article), "--cdn", "--strict")
    try:
        status, body = get(served.port)
        assert status == 200
        assert "Fighters advanced on Alpha town at dawn." in body  # --article: the popup quotes the sentence
        assert "cdn.jsdelivr.net/npm/leaflet@1.9.3" in body  # --cdn
        places.write_text(GOOD + "  - name: Qwxzyvbnm\n", encoding="utf-8")
        served.wait_for_line(r"Qwxzyvbnm.*still serving the last good map")  # --strict: an error, not a warning
    finally:
        served.stop()
