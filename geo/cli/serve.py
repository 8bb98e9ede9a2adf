"""``geo serve``: the map on a local server, rebuilt and reloaded when the file is saved.

The server is for the person editing the file on this machine: it listens on 127.0.0.1,
answers only requests addressed to a loopback name (so a web page that points its own
domain at 127.0.0.1 cannot read the map), drops connections that stall, and no save,
however broken, stops it from watching the file. With ``--edit`` the page can also change
the file, through the API of :mod:`geo.cli.edit_api`.
"""

from __future__ import annotations

import html
import json
import re
import sys
import threading
import traceback
import webbrowser
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from geo import online
from geo.cli import describe as describe_error
from geo.cli.edit_api import EditSession, Reply, read_body
from geo.cli.options import (
    article_option,
    cdn_option,
    load_story,
    online_options,
    online_settings,
    places_argument,
    strict_option,
)
from geo.errors import GeoError

if TYPE_CHECKING:
    from geo.api import Story

POLL_SECONDS = 0.3
CONNECTION_TIMEOUT_SECONDS = 5.0
"""A connection that sends or reads nothing for this long is closed, freeing its thread."""
LOOPBACK_HOST = re.compile(r"(127\.0\.0\.1|localhost|\[::1\])(:\d{1,5})?", re.IGNORECASE)
# Injected into the served page only (never into output/map.html): reload when the
# server's version changes, i.e. after a rebuild or a new error.
RELOAD_SCRIPT = """<script>
(function () {
  var version = %d;
  var timer = setInterval(function () {
    fetch("/version", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (v) {
        /* Once: a second reload while a slow first one loads would cancel it. */
        if (v.version !== version && timer !== null) { clearInterval(timer); timer = null; location.reload(); }
      })
      .catch(function () {});
  }, 500);
})();
</script>"""
BANNER = (
    '<div id="geo-error" role="alert" style="position:fixed;top:0;left:0;right:0;z-index:100000;'
    'background:#b00020;color:#fff;padding:8px 12px;font:14px/1.4 sans-serif;white-space:pre-wrap">'
    "{message}</div>"
)
ONLY_LOOPBACK = "geo serve answers only http://127.0.0.1 and http://localhost"
STATIC = Path(__file__).parents[1] / "static"
EMPTY = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>geo serve</title></head><body></body></html>"


def describe(exc: BaseException) -> str:
    """A failed rebuild in one line: what to fix, or that it is a bug in geo."""
    return describe_error(exc, rerun="rerun `geo --debug serve`")


@cache
def edit_assets() -> str:
    """The editing tools (static/edit.js and edit.css), injected into the page of ``--edit`` only."""
    css, js = ((STATIC / name).read_text(encoding="utf-8") for name in ("edit.css", "edit.js"))
    if "</s" in (css + js).lower():
        raise ValueError("static/edit.js or edit.css would close its element early")
    return f"<style>{css}</style><script>{js}</script>"


def is_loopback_host(host: str | None) -> bool:
    """Whether a ``Host`` header names this machine, with or without a port."""
    return host is not None and LOOPBACK_HOST.fullmatch(host.strip()) is not None


class QuietHTTPServer(ThreadingHTTPServer):
    """A threading server whose clients may leave at any moment without a traceback."""

    daemon_threads = True
    debug = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if exc is None or isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the browser left or stalled (a reload, a closed tab): nothing to fix
        if self.debug:
            super().handle_error(request, client_address)
        else:
            click.echo(f"geo: {describe(exc)}; the server goes on", err=True)


class MapServer:
    """Serves the map of ``places`` on 127.0.0.1 and rebuilds it when the file changes.

    While the file is broken the last good map stays, under a banner with the error.
    """

    def __init__(
        self, places: Path, port: int = 8000, settings: online.Settings | None = None, debug: bool = False,
        edit: bool = False, strict: bool = False, article: Path | None = None, cdn: bool = False,
    ) -> None:
        self.places = Path(places)
        self.settings = settings or online.Settings()
        self.debug = debug
        self.strict, self.article, self.cdn = strict, article, cdn
        self.map_html = EMPTY
        self.story: Story | None = None
        self.error: str | None = None
        self.version = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._stamp: tuple[int, int] | None = None
        self.editor = EditSession(self.places, self.settings, lambda: self.story) if edit else None
        self.rebuild()
        try:
            self.httpd = QuietHTTPServer(("127.0.0.1", port), _handler(self))
        except OSError as exc:
            raise GeoError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); try --port 0 for any free port") from None
        self.httpd.debug = debug
        self._threads: list[threading.Thread] = []

    @property
    def url(self) -> str:
        """The page's address; with ``--edit``, its token in the fragment, which browsers never send."""
        token = f"#token={self.editor.token}" if self.editor else ""
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/{token}"

    def _file_stamp(self) -> tuple[int, int] | None:
        try:
            stat = self.places.stat()
        except OSError:
            return None
        return (stat.st_mtime_ns, stat.st_size)

    def rebuild(self) -> None:
        """Build the page again; on any error keep the last good map and show why."""
        self._stamp = self._file_stamp()
        try:
            story = load_story(self.places, self.strict, self.settings)
            if self.article:
                from geo.extract.text import read_article  # heavy, and only --article needs it

                story.article = read_article(self.article)  # read again on each rebuild: it may be edited too
            page = story.to_html(cdn=self.cdn)
        except Exception as exc:  # noqa: BLE001 - whatever a save does, the server keeps watching
            if self.debug:
                traceback.print_exc()
            self._show_error(describe(exc))
            return
        with self._lock:
            self.map_html, self.error, self.story = page, None, story
            self.version += 1
        click.echo(f"geo: rebuilt the map of {self.places} ({len(story.places)} places)", err=True)

    def _show_error(self, message: str) -> None:
        with self._lock:
            self.error = message
            self.version += 1
        click.echo(f"geo: {message}; still serving the last good map", err=True)

    def page(self) -> str:
        """The map with the reload script, and the error banner if any."""
        with self._lock:
            text, error, version = self.map_html, self.error, self.version
        extra = RELOAD_SCRIPT % version + (edit_assets() if self.editor else "")
        if error:
            extra = BANNER.format(message=html.escape(error)) + extra
        head, sep, tail = text.rpartition("</body>")
        return head + extra + sep + tail if sep else text + extra

    def watch(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            if self._file_stamp() != self._stamp:
                self.rebuild()

    def start(self) -> None:
        """Serve and watch in background threads."""
        for target in (self.httpd.serve_forever, self.watch):
            thread = threading.Thread(target=target, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        for thread in self._threads:
            thread.join(timeout=5)


def _handler(server: MapServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = CONNECTION_TIMEOUT_SECONDS

        def do_GET(self) -> None:
            if not self._loopback():
                return
            path = self.path.split("?")[0]
            if path.startswith("/api/"):
                self._api()
            elif path == "/":
                self._send(server.page().encode("utf-8"), "text/html; charset=utf-8")
            elif path == "/version":
                with server._lock:
                    body = {"version": server.version, "error": server.error}
                self._send(json.dumps(body).encode(), "application/json")
            else:
                self.send_error(404)

        def _loopback(self) -> bool:
            if is_loopback_host(self.headers.get("Host")):
                return True
            # A page on another site whose name now points at 127.0.0.1 (DNS rebinding).
            if self.path.startswith("/api/"):
                self._json(Reply(403, {"error": f"geo: error: {ONLY_LOOPBACK}; nothing was changed"}))
            else:
                self.send_error(403, ONLY_LOOPBACK)
            return False

        def do_POST(self) -> None:
            if self._loopback():
                self._api()

        do_PATCH = do_DELETE = do_POST

        def _api(self) -> None:
            """An editing request: refused (403) unless the page's own, answered in JSON."""
            editor = server.editor
            if editor is None:
                self._json(Reply(404, {"error": "geo: error: the map is not editable; start `geo serve --edit`"}))
                return
            refusal = editor.refusal(self.headers)
            if refusal is not None:
                self._json(Reply(403, {"error": refusal}))
                return
            try:
                body = read_body(self.headers, self.rfile.read)
                reply = editor.handle(self.command, self.path, body)
            except GeoError as exc:
                reply = Reply(400, {"error": f"geo: {describe(exc)}"})
            self._json(reply)

        def _json(self, reply: Reply) -> None:
            self._send(json.dumps(reply.body, ensure_ascii=False).encode("utf-8"), "application/json", reply.status)

        def _send(self, body: bytes, kind: str, status: int = 200) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


@click.command("serve")
@places_argument
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1; 0 picks a free one.")  # fmt: skip
@click.option("--open", "open_", is_flag=True, help="Open the page in the default browser.")
@click.option("--edit", "edit", is_flag=True,
              help="Edit on the map: drag, add, remove, check places; each change is written to PLACES.")  # fmt: skip
@strict_option
@article_option
@cdn_option
@online_options
@click.pass_context
def command(
    ctx: click.Context, places: Path, port: int, open_: bool, edit: bool, strict: bool, article: Path | None, cdn: bool
) -> None:
    """Serve the map of PLACES on http://127.0.0.1:PORT/, rebuilt on every save.

    The open page reloads itself after each rebuild. When the file is broken the
    page keeps the last good map and shows the error, with its line, on top.
    Only this machine is answered, at 127.0.0.1 or localhost. Nothing is
    written to output/. Stop with Ctrl-C.

    With --edit the map is also the editor: drag a marker, pick another
    gazetteer record, mark a place checked, remove it, or click the map to add
    one, and the change is written to PLACES as `geo add/pin/rm` write it
    (that entry's lines only), then the map reloads. Open the address printed
    with its #token: the page needs it to edit. Each change can be undone.

    \b
    Examples:
        geo serve --open
        geo serve places.yaml --port 0
        geo serve --edit --open
        geo serve --article article.txt --strict
    """
    server = MapServer(places, port, online_settings(places), debug=bool(ctx.meta.get("geo.debug")), edit=edit,
                       strict=strict, article=article, cdn=cdn)  # fmt: skip
    server.start()
    editing = " for editing" if edit else ""
    click.echo(f"geo: serving {places}{editing} at {server.url} (Ctrl-C to stop)", err=True)
    if open_ and not webbrowser.open(server.url):
        click.echo(f"geo: open {server.url} in a browser", err=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
