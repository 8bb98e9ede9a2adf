"""Real-browser fixtures for testing a built map HTML file offline.

A map written by folium pulls Leaflet and its plugins from a CDN and its
background from tile servers.  Neither is reachable from the test machines,
and a test must not depend on the network anyway, so every page opened here
runs in Debian's headless Chromium with its network replaced:

* ``https://cdn.jsdelivr.net/npm/<pkg>@<version>/<file>`` is answered from
  ``node_modules/<pkg>/<file>``, installed at the exact versions pinned in
  ``package.json`` (``npm ci``), so the page runs the very code it would run
  online;
* ``file://`` URLs load normally (the map itself);
* everything else (tiles, other CDNs) is aborted and recorded.

Any JavaScript error on the page fails the test at teardown, because a map
whose script crashed still "loads" but shows nothing.  ``scripts/test.sh``
installs everything these fixtures need.
"""

from __future__ import annotations

import json
import mimetypes
import re
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
"""The repository root (holds ``package.json`` and ``node_modules``)."""

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

CDN_NPM = re.compile(
    r"^https://cdn\.jsdelivr\.net/npm/"
    r"(?P<pkg>(?:@[^/@]+/)?[^/@]+)@(?P<version>[^/]+)/(?P<file>[^?#]+)"
)
"""A jsDelivr npm URL; ``pkg`` may be scoped (``@scope/name``)."""

FAILED_RESOURCE = "Failed to load resource"
"""Start of the console error Chromium logs for every aborted request."""


def _fail_setup(message: str) -> NoReturn:
    """Fail (not skip) the test: a missing tool must not pass silently in CI."""
    pytest.fail(
        f"{message}\nRun scripts/test.sh to install everything the tests need.",
        pytrace=False,
    )


def require_node_modules() -> Path:
    """Return ``ROOT/node_modules`` after checking every pinned package is there.

    Checks each ``devDependencies`` entry of ``package.json`` against the
    installed version, so a stale ``node_modules`` is caught here, before a
    page silently runs different Leaflet code.
    """
    modules = ROOT / "node_modules"
    if not modules.is_dir():
        _fail_setup(f"{modules} is missing: run `npm ci` in {ROOT}.")
    wanted: dict[str, str] = json.loads((ROOT / "package.json").read_text())[
        "devDependencies"
    ]
    for pkg, version in wanted.items():
        installed = _installed_version(modules / pkg)
        if installed != version:
            _fail_setup(
                f"node_modules has {pkg} {installed or 'missing'}, "
                f"package.json pins {version}: run `npm ci` in {ROOT}."
            )
    return modules


def _installed_version(package_dir: Path) -> str | None:
    """Return the version in an installed package's package.json, if any."""
    manifest = package_dir / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text()).get("version"))


class MapOpener:
    """Opens local HTML files in Chromium with an offline, recorded network.

    Call it with a path to get a loaded :class:`Page`.  It accumulates, over
    every page it opened in the test:

    * ``aborted``: URLs of requests that were blocked (tiles, other CDNs);
    * ``served``: CDN URLs answered from ``node_modules``;
    * ``errors``: JavaScript errors and harness problems (a CDN file or
      version that ``node_modules`` lacks).  The fixture fails the test at
      teardown if this is not empty; a test expecting an error should check
      :meth:`page_errors` and then ``errors.clear()``.
    """

    def __init__(self, browser: Browser, node_modules: Path) -> None:
        self._browser = browser
        self._node_modules = node_modules
        self._contexts: list[BrowserContext] = []
        self._pages: list[Page] = []
        self._aborted_images: set[str] = set()
        self._explained: set[str] = set()
        self.aborted: list[str] = []
        self.served: list[str] = []
        self.errors: list[str] = []

    def __call__(self, path: Path) -> Page:
        """Open ``path`` in a fresh 1280x800 context and wait for ``load``."""
        return self.open_url(Path(path).resolve().as_uri())

    def open_url(self, url: str) -> Page:
        """Open ``url`` in a fresh 1280x800 context and wait for ``load``."""
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
        """Return the errors collected so far, after draining pending events.

        A round trip to each open page lets Playwright deliver console and
        error events that were still in flight, so late errors are not missed.
        """
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
        """Serve CDN files locally, let ``file://`` through, abort the rest."""
        url = request.url
        if url.startswith("file://"):
            route.continue_()
            return
        match = CDN_NPM.match(url)
        if match:
            self._serve_from_node_modules(route, url, **match.groupdict())
            return
        self.aborted.append(url)
        if request.resource_type == "image":
            self._aborted_images.add(url)
        route.abort()

    def _serve_from_node_modules(
        self, route: Route, url: str, pkg: str, version: str, file: str
    ) -> None:
        """Answer a jsDelivr npm URL from the pinned package in node_modules.

        jsDelivr minifies any ``x.js``/``x.css`` on the fly as ``x.min.js``/
        ``x.min.css``; packages that ship no minified file (leaflet.fullscreen
        3.0.0, which folium requests as ``Control.FullScreen.min.js``) are
        answered with the unminified source, which behaves the same.
        """
        package_dir = (self._node_modules / pkg).resolve()
        installed = _installed_version(package_dir)
        if installed != version:
            self._harness_error(
                url,
                f"wants {pkg}@{version} but node_modules has "
                f"{installed or 'no such package'}; pin it in package.json and run npm ci",
            )
            route.abort()
            return
        target = (package_dir / file).resolve()
        if not target.is_file():
            unminified = re.sub(r"\.min\.(js|css)$", r".\1", file)
            target = (package_dir / unminified).resolve()
        if not target.is_relative_to(package_dir) or not target.is_file():
            self._harness_error(url, f"no {file} in node_modules/{pkg}")
            route.fulfill(status=404, body="not in node_modules")
            return
        self.served.append(url)
        content_type = (
            mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        )
        route.fulfill(
            path=target,
            content_type=content_type,
            headers={"Access-Control-Allow-Origin": "*"},
        )

    def _harness_error(self, url: str, problem: str) -> None:
        """Record why a CDN URL could not be served (its console error is then
        redundant and dropped)."""
        self._explained.add(url)
        self.errors.append(f"harness: {url} {problem}")

    def _on_page_error(self, error: PlaywrightError) -> None:
        """Keep an uncaught exception with the frame it was thrown from."""
        frames = (error.stack or "").splitlines()[1:2]
        where = f" ({frames[0].strip()})" if frames else ""
        self.errors.append(f"uncaught {error.name or 'Error'}: {error.message}{where}")

    def _on_console(self, message: ConsoleMessage) -> None:
        """Keep console errors, except the ones our own tile blocking causes.

        Chromium logs "Failed to load resource: net::ERR_FAILED" for every
        aborted request.  For tile images that is expected offline; for a
        script or stylesheet it means the map runs without code it needs, so
        that stays an error.
        """
        if message.type != "error":
            return
        text = message.text
        where = message.location.get("url") or "?"
        if text.startswith(FAILED_RESOURCE) and (
            where in self._aborted_images or where in self._explained
        ):
            return
        self.errors.append(f"console.error: {text} ({where})")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root, for tests that build or read files there."""
    return ROOT


@pytest.fixture(scope="session")
def node_modules() -> Path:
    """``ROOT/node_modules`` with every pinned package; fails if it's stale."""
    return require_node_modules()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Debian Chromium for the whole session (launching is slow)."""
    if not CHROMIUM.exists():
        _fail_setup(f"{CHROMIUM} is missing (Debian package `chromium`).")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_map(browser: Browser, node_modules: Path) -> Iterator[MapOpener]:
    """A :class:`MapOpener`; fails the test at teardown on any JS error."""
    yield from checked(MapOpener(browser, node_modules))


def checked(opener: MapOpener) -> Iterator[MapOpener]:
    """Yield ``opener`` to a test, then close it and fail the test on any JS error it saw."""
    try:
        yield opener
        errors = opener.page_errors()
    finally:
        opener.close()
    if errors:
        pytest.fail(
            f"{len(errors)} JavaScript error(s) on the page: " + "\n  ".join(errors),
            pytrace=False,
        )
