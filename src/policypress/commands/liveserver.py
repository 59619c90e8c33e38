"""``policypress serve``: build the preview, serve it on localhost, rebuild on change and
reload the browser.

It serves the staff/governor preview (``build/preview/``), so the draft being edited is what
you see, marked DRAFT. The live-reload snippet is injected into responses only; built files
never contain it. It listens on 127.0.0.1 only and answers only requests addressed to
127.0.0.1, localhost or [::1] at its port.
"""

from __future__ import annotations

import errno
import functools
import http.server
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote, unquote

from rich.console import Console

from policypress.build import build
from policypress.core.diagnostics import ContentError
from policypress.core.messages import gettext as _
from policypress.core.project import Project
from policypress.core.vocabulary import Engine
from policypress.environment import ResourceBusy
from policypress.outputs.site.pages import SiteBuildError

HOST = "127.0.0.1"  # never configurable: see bind()
_RELOAD_PATH = "/__policypress_build"
_RELOAD_SNIPPET = (
    b"<script>(function(){var v=null;setInterval(function(){fetch('"
    + _RELOAD_PATH.encode()
    + b"').then(function(r){return r.text()}).then(function(t){if(v!==null&&t!==v)"
    b"location.reload();v=t}).catch(function(){})},1000)})();</script>"
)


def _snapshot(project: Project) -> dict[Path, float]:
    watched = [project.content, project.quizzes, project.templates]
    files = {
        p: p.stat().st_mtime for d in watched if d.is_dir() for p in d.rglob("*") if p.is_file()
    }
    if project.mkdocs_config.is_file():
        files[project.mkdocs_config] = project.mkdocs_config.stat().st_mtime
    return files


class _State:
    def __init__(self) -> None:
        self.generation = 0


def clean_path(raw: str) -> str | None:
    """The request target as a path on this server: decoded once, ``\\`` read as ``/``, empty
    and ``.`` segments dropped, ``..`` taken back a segment (never above the root), then
    quoted again. So ``/\\evil.invalid/%2e%2e/policies`` is ``/policies`` and ``//host/x`` is
    ``/host/x``: no path this gives can start with ``//`` or ``/\\``, which a browser reads
    as another site. None for a target that is not a path (``http://…``, ``*``) or holds a
    control character once decoded."""
    target, _, query = raw.partition("?")
    target = target.partition("#")[0]
    if not target.startswith("/"):
        return None
    try:
        decoded = unquote(target, errors="strict")
    except UnicodeDecodeError:  # not UTF-8: no file here has such a name
        return None
    if any(ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 for char in decoded + query):
        return None
    segments: list[str] = []
    for segment in decoded.replace("\\", "/").split("/"):
        if segment == "..":
            segments = segments[:-1]
        elif segment not in ("", "."):
            segments.append(segment)
    folder = decoded.replace("\\", "/").rsplit("/", 1)[-1] in ("", ".", "..")
    path = "/" + "/".join(segments) + ("/" if folder and segments else "")
    return quote(path) + (f"?{query}" if query else "")


LOOPBACK_NAMES = (HOST, "localhost", "[::1]")


def addressed_here(hosts: Sequence[str], port: int, names: Sequence[str] = LOOPBACK_NAMES) -> bool:
    """Whether a request's Host headers (every one it sent) name this server: exactly one,
    one of ``names`` at ``port``. A web page the user visits can point its own name at
    127.0.0.1 (DNS rebinding) and then read what a local server holds as if it were its own
    site; its requests still carry its name in Host, so nothing else is answered."""
    answered = {f"{name}:{port}" for name in names}
    return len(hosts) == 1 and hosts[0].strip().lower() in answered


def _handler(site: Path, state: _State) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            """Keep the terminal for build messages."""

        def parse_request(self) -> bool:
            """Refuse requests for any other host name (see :func:`addressed_here`)."""
            if not super().parse_request():
                return False
            hosts = self.headers.get_all("Host") or []
            address = self.server.server_address
            port = address[1] if isinstance(address, tuple) else 0
            if addressed_here(hosts, port):
                path = clean_path(self.path)
                if path is not None:
                    self.path = path  # every method and redirect below sees only this
                    return True
                self.send_error(400, _("Not a path on this server"))
                return False
            self.send_response(421)  # Misdirected Request, with no content at all
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            return False

        def do_GET(self) -> None:
            if self.path == _RELOAD_PATH:
                body = str(state.generation).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
                return
            path = Path(self.translate_path(self.path))
            if path.is_dir() and not self.path.split("?", 1)[0].endswith("/"):
                # as the standard handler does: relative links need the folder's trailing /
                # (self.path is clean_path's: it starts with one / and a path segment)
                self.send_response(301)
                self.send_header("Location", self.path.split("?", 1)[0] + "/")
                self.end_headers()
                return
            if path.is_dir():
                path = path / "index.html"
            if path.suffix == ".html" and path.is_file():
                body = path.read_bytes().replace(b"</body>", _RELOAD_SNIPPET + b"</body>", 1)
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            super().do_GET()

    return functools.partial(Handler, directory=str(site))  # type: ignore[return-value]


def _rebuild(project: Project, engine: Engine, console: Console) -> bool:
    try:
        build(project, engine=engine, preview=True)
    except ContentError as exc:
        for item in exc.diagnostics.sorted():
            console.print(str(item), markup=False, highlight=False)
        console.print(_("Build failed; still serving the last good build."))
        return False
    except SiteBuildError as exc:
        console.print(str(exc), markup=False, highlight=False)
        return False
    console.print(_("Rebuilt at %(strftime)s") % {"strftime": time.strftime("%H:%M:%S")})
    return True


def bind(port: int, site: Path, state: _State) -> http.server.ThreadingHTTPServer:
    """Listen on 127.0.0.1 only: the preview holds drafts, so it is never offered to the
    network. A port that is taken (or not a port) is a machine problem, not a crash."""
    try:
        return http.server.ThreadingHTTPServer((HOST, port), _handler(site, state))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ResourceBusy(
                _(
                    "port %(port)s on %(host)s is already in use (is another 'policypress "
                    "serve' running?); stop it or choose another port with --port N"
                )
                % {"port": port, "host": HOST}
            ) from None
        reason = exc.strerror or str(exc)  # the operating system's words, not ours to catalogue
        raise ResourceBusy(
            _(
                "cannot listen on %(host)s port %(port)s (%(reason)s); choose another "
                "port with --port N"
            )
            % {"host": HOST, "port": port, "reason": reason}
        ) from None
    except OverflowError:
        raise ResourceBusy(
            _("port %(port)s is not a port number; expected --port between 1 and 65535")
            % {"port": port}
        ) from None


def serve(project: Project, *, port: int, engine: Engine, console: Console) -> int:
    state = _State()
    site = project.out / "preview" / "site"
    # Listen before the first build, so a taken port is reported at once, not after it.
    server = bind(port, site, state)
    port = server.server_address[1]
    # What the first build reads, seen before it starts: a file saved while it runs, or just
    # after its page appears, is a change the loop below rebuilds for (taken after the page
    # is served, the snapshot could already hold the saved file and miss the change).
    seen = _snapshot(project)
    try:
        _rebuild(project, engine, console)
        site.mkdir(parents=True, exist_ok=True)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    console.print(
        _("Serving http://%(host)s:%(port)s/ — edit content/ and the page reloads. Ctrl-C stops.")
        % {"host": HOST, "port": port}
    )
    try:
        while True:
            time.sleep(1)
            now = _snapshot(project)
            if now != seen:
                seen = now
                if _rebuild(project, engine, console):
                    state.generation += 1
    except KeyboardInterrupt:
        console.print(_("Stopped."))
        return 0
    finally:
        server.shutdown()
        server.server_close()
