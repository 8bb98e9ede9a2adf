"""Real-browser fixtures for testing a built map HTML file with no network.

A map page must work from ``file://`` with nothing else to load, so every page
opened here runs in Debian's headless Chromium with every request refused and
recorded, except:

* the page itself (its own ``file://`` URL, or the URL a test opened);
* with ``serve_cdn``, Leaflet's jsDelivr URLs (the ``--cdn`` page), answered from
  the files of the PyPI package xstatic-leaflet, the very files geo inlines;
* with ``serve_tiles``, tile images, answered with a plain PNG made here.

A file beside the page is refused like any other request: a page that needs one
is not self-contained. Any JavaScript error on the page fails the test at
teardown, because a map whose script crashed still "loads" but shows nothing.
``scripts/test.sh`` installs everything these fixtures need.
"""

from __future__ import annotations

import re
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Route,
    ViewportSize,
    sync_playwright,
)
from playwright.sync_api import (
    Error as PlaywrightError,
)

ROOT: Path = Path(__file__).resolve().parents[2]
"""The repository root."""

CHROMIUM = Path("/usr/bin/chromium")
"""Debian's Chromium: Playwright's own browser download can't be used here."""

CHROMIUM_ARGS = [
    "--no-sandbox",  # we run as root, where the sandbox refuses to start
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling home and logs refused connections.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

VIEWPORT: ViewportSize = {"width": 1280, "height": 800}

LEAFLET_CDN = re.compile(r"^https://cdn\.jsdelivr\.net/npm/leaflet@(?P<version>[^/]+)/dist/(?P<file>[\w.-]+)$")
TILE = re.compile(r"/\d+/\d+/\d+(\.png)?$")

FAILED_RESOURCE = "Failed to load resource"
"""Start of the console error Chromium logs for every refused request."""


def _fail_setup(message: str) -> NoReturn:
    """Fail (not skip) the test: a missing tool must not pass silently in CI."""
    pytest.fail(f"{message}\nRun scripts/test.sh to install everything the tests need.", pytrace=False)


def leaflet_files() -> tuple[Path, str]:
    """The folder of Leaflet's files in xstatic-leaflet, and their version."""
    try:
        from xstatic.pkg import leaflet
    except ImportError:
        _fail_setup("the package xstatic-leaflet is missing")
    return Path(leaflet.BASE_DIR), leaflet.VERSION


def plain_png(size: int = 256, rgb: tuple[int, int, int] = (200, 220, 200)) -> bytes:
    """A one-colour PNG image, as a tile server would answer."""
    row = b"\x00" + bytes(rgb) * size
    chunks = [(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)), (b"IDAT", zlib.compress(row * size)), (b"IEND", b"")]
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data)) for kind, data in chunks
    )


class MapOpener:
    """Opens pages in Chromium with every request but the page refused and recorded.

    Call it with a path to get a loaded :class:`Page`. It accumulates, over every
    page it opened in the test:

    * ``aborted``: URLs of refused requests (tiles, files, other sites);
    * ``served``: URLs answered locally (Leaflet with ``serve_cdn``, tiles with ``serve_tiles``);
    * ``errors``: JavaScript errors, and refused scripts or stylesheets. The fixture
      fails the test at teardown if this is not empty; a test expecting an error
      should check :meth:`page_errors` and then ``errors.clear()``.
    """

    def __init__(self, browser: Browser, *, serve_cdn: bool = False, serve_tiles: bool = False) -> None:
        self._browser = browser
        self._serve_cdn = serve_cdn
        self._serve_tiles = serve_tiles
        self._contexts: list[BrowserContext] = []
        self._pages: list[Page] = []
        self._allowed: set[str] = set()
        self._aborted_images: set[str] = set()
        self.aborted: list[str] = []
        self.served: list[str] = []
        self.errors: list[str] = []

    def __call__(self, path: Path) -> Page:
        """Open ``path`` in a fresh 1280x800 context and wait for ``load``."""
        return self.open_url(Path(path).resolve().as_uri())

    def open_url(self, url: str) -> Page:
        """Open ``url`` in a fresh 1280x800 context and wait for ``load``."""
        self._allowed.add(url)
        context = self._browser.new_context(viewport=VIEWPORT)
        self._contexts.append(context)
        context.route("**/*", self._handle)
        page = context.new_page()
        self._pages.append(page)
        page.on("pageerror", self._on_page_error)
        page.on("console", self._on_console)
        page.goto(url, wait_until="load")
        return page

    def page_errors(self) -> list[str]:
        """Return the errors collected so far, after draining pending events."""
        for page in self._pages:
            if not page.is_closed():
                try:
                    page.evaluate("0")
                except PlaywrightError:
                    pass  # page navigated or crashed; its events are in already
        return list(self.errors)

    def close(self) -> None:
        """Close every context this opener made."""
        for context in self._contexts:
            context.close()

    def _handle(self, route: Route, request: Request) -> None:
        url = request.url
        if url in self._allowed:
            route.continue_()
            return
        cdn = LEAFLET_CDN.match(url)
        if cdn and self._serve_cdn:
            self._serve_leaflet(route, url, cdn["version"], cdn["file"])
            return
        if self._serve_tiles and request.resource_type == "image" and TILE.search(url):
            self.served.append(url)
            route.fulfill(status=200, body=plain_png(), content_type="image/png", headers={"Access-Control-Allow-Origin": "*"})
            return
        self.aborted.append(url)
        if request.resource_type == "image":
            self._aborted_images.add(url)
        route.abort()

    def _serve_leaflet(self, route: Route, url: str, version: str, file: str) -> None:
        folder, packaged = leaflet_files()
        target = folder / file
        if version != packaged or not target.is_file():
            self.errors.append(f"harness: {url}: xstatic-leaflet has Leaflet {packaged} and no such file")
            route.abort()
            return
        self.served.append(url)
        kind = "text/css" if file.endswith(".css") else "application/javascript"
        route.fulfill(path=target, content_type=kind, headers={"Access-Control-Allow-Origin": "*"})

    def _on_page_error(self, error: PlaywrightError) -> None:
        """Keep an uncaught exception with the frame it was thrown from."""
        frames = (error.stack or "").splitlines()[1:2]
        where = f" ({frames[0].strip()})" if frames else ""
        self.errors.append(f"uncaught {error.name or 'Error'}: {error.message}{where}")

    def _on_console(self, message: ConsoleMessage) -> None:
        """Keep console errors, except the refused images (tiles) this harness caused.

        A refused tile is what offline means; a refused script or stylesheet means the
        page runs without code it needs, so that stays an error.
        """
        if message.type != "error":
            return
        where = message.location.get("url") or "?"
        if message.text.startswith(FAILED_RESOURCE) and where in self._aborted_images:
            return
        self.errors.append(f"console.error: {message.text} ({where})")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root, for tests that build or read files there."""
    return ROOT


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session (launching is slow)."""
    if not CHROMIUM.exists():
        _fail_setup(f"{CHROMIUM} is missing (Debian package `chromium`).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_map(browser: Browser) -> Iterator[MapOpener]:
    """A :class:`MapOpener` that refuses every request; fails the test at teardown on any JS error."""
    yield from checked(MapOpener(browser))


@pytest.fixture
def open_map_with_cdn(browser: Browser) -> Iterator[MapOpener]:
    """A :class:`MapOpener` that answers Leaflet's CDN URLs from xstatic-leaflet."""
    yield from checked(MapOpener(browser, serve_cdn=True))


@pytest.fixture
def open_map_with_tiles(browser: Browser) -> Iterator[MapOpener]:
    """A :class:`MapOpener` whose tile servers answer (with a plain image)."""
    yield from checked(MapOpener(browser, serve_tiles=True))


class ServedMapOpener(MapOpener):
    """A MapOpener that also lets requests to the local server through."""

    def _handle(self, route: Route, request: Request) -> None:
        if request.url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            super()._handle(route, request)


@pytest.fixture
def open_served(browser: Browser) -> Iterator[ServedMapOpener]:
    """A :class:`ServedMapOpener`: pages of a ``geo serve`` on 127.0.0.1."""
    yield from checked(ServedMapOpener(browser))


def checked(opener: MapOpener) -> Iterator[MapOpener]:
    """Yield ``opener`` to a test, then close it and fail the test on any JS error it saw."""
    try:
        yield opener
        errors = opener.page_errors()
    finally:
        opener.close()
    if errors:
        pytest.fail(f"{len(errors)} JavaScript error(s) on the page: " + "\n  ".join(errors), pytrace=False)
