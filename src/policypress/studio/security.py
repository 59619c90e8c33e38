"""What stands between the network and the studio's pages: one ASGI middleware, :class:`Guard`.

The studio writes a school's files, so every request is checked before a page sees it, in
this order (each refusal is a plain page or none, with the same security headers):

1. **Host**: the request must name the bound address (``serve``'s check,
   :func:`~policypress.commands.liveserver.addressed_here`): 421 otherwise. This stops DNS
   rebinding: a page the user visits pointing its own name at 127.0.0.1.
2. **Method and size**: GET, HEAD and POST only (405); a POST's body is at most
   :data:`MAX_BODY_BYTES` (413), refused before more is read.
3. **Who**: a session cookie this process issued, or the start-up token in the URL (as
   Jupyter does: the terminal prints it; the first visit swaps it for the cookie and a
   redirect drops it from the address bar and the history), or, on a remote address, the
   password (HTTP Basic). Anything else: 403 (401 asking for the password, remotely).
4. **Forms**: a POST is a URL-encoded form, or a multipart form where it uploads files
   (415 otherwise), carrying the session's CSRF token, from a page of this server as far as
   the browser says (``Origin``, ``Sec-Fetch-Site``): 403 otherwise. A multipart form is
   at most :data:`MAX_UPLOAD_BYTES`, with at most :data:`MAX_UPLOAD_FILES` files and
   :data:`MAX_UPLOAD_FIELDS` fields; what it uploads is then read by the same hardened
   readers as the command line's.
"""

from __future__ import annotations

import base64
import binascii
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, parse_qsl, quote, urlencode

from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from policypress.commands.liveserver import LOOPBACK_NAMES, addressed_here
from policypress.core.messages import gettext as _
from policypress.studio.templating import environment

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_BODY_BYTES = 1024 * 1024  # a form of text: far more than any school's details or note
# An upload: the importer's own limit on a document (20 MB) and a little for the form.
MAX_UPLOAD_BYTES = 21 * 1024 * 1024
MAX_UPLOAD_FILES = 20  # a few returned forms or images at once
MAX_UPLOAD_FIELDS = 1000  # a policy's clauses as fields, well over the longest policy's
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
TOKEN_PARAMETER = "token"
CSRF_FIELD = "csrf"
SESSION_KEY = "policypress.session"  # where a page finds its request's session in the scope

# No script or style from anywhere but this server, no framing, no referrer leaving it.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        b"frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'",
    ),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


@dataclass(frozen=True)
class Session:
    """One browser's session: the cookie's value names it; its CSRF token goes in forms."""

    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))


@dataclass(frozen=True)
class Access:
    """How this studio is reached and who may use it."""

    port: int
    token: str  # printed once in the URL
    host_names: tuple[str, ...] = LOOPBACK_NAMES  # the names a request's Host may give
    password: str | None = None  # set only on a remote address (--allow-remote)

    @property
    def cookie(self) -> str:
        # Cookies ignore the port: two studios on one machine must not share a session name.
        return f"policypress_studio_{self.port}"


class Guard:
    """The ASGI middleware in front of every page (see the module's description)."""

    def __init__(self, app: ASGIApp, access: Access) -> None:
        self.app = app
        self.access = access
        self.sessions: dict[str, Session] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":  # lifespan: nothing of the user's passes here
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self._guarded(scope, receive, send_with_headers)

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        if not addressed_here(headers.get("host", []), self.access.port, self.access.host_names):
            await _respond(send, 421, b"")
            return
        method = scope["method"]
        if method not in ("GET", "HEAD", "POST"):
            allow = [(b"allow", b"GET, HEAD, POST")]
            await _respond(send, 405, _plain(_("This method is not used here.")), allow)
            return
        body = b""
        if method == "POST":
            limit = _body_limit(headers)
            read = await _read_body(headers, receive, limit)
            if read is None:
                await _respond(
                    send,
                    413,
                    _plain(
                        _("The form sent is larger than %(limit)s MB; nothing was saved.")
                        % {"limit": limit // (1024 * 1024)}
                    ),
                )
                return
            body = read
        session = self._session(headers)
        if session is None:
            await self._let_in(scope, headers, send)
            return
        if method == "POST" and _content_type(headers) not in FORM_TYPES:
            await _respond(send, 415, _plain(_("Only forms are accepted here.")))
            return
        sent = await _csrf_sent(scope, headers, body) if method == "POST" else []
        if sent is None:
            await _respond(
                send,
                400,
                _plain(
                    _(
                        "The form could not be read (it is not a whole form, or it sends more "
                        "than %(files)s files or %(fields)s fields); nothing was saved."
                    )
                    % {"files": MAX_UPLOAD_FILES, "fields": MAX_UPLOAD_FIELDS}
                ),
            )
            return
        if method == "POST" and not self._form_is_ours(headers, sent, session):
            await _respond(
                send,
                403,
                _plain(
                    _(
                        "This form did not come from this studio's own page, so nothing was "
                        "saved. Reload the page and send it again."
                    )
                ),
            )
            return
        scope[SESSION_KEY] = session
        await self.app(scope, _replay(body, receive), send)

    def _session(self, headers: dict[str, list[str]]) -> Session | None:
        for cookie_header in headers.get("cookie", []):
            for part in cookie_header.split(";"):
                name, _sep, value = part.strip().partition("=")
                if name == self.access.cookie and value in self.sessions:
                    return self.sessions[value]
        return None

    async def _let_in(self, scope: Scope, headers: dict[str, list[str]], send: Send) -> None:
        """No session yet: the token (or, remotely, the password) opens one, then a redirect
        to the same page without the token; anything else is refused."""
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"))
        given = next((value for name, value in query if name == TOKEN_PARAMETER), None)
        token_ok = (
            self.access.password is None
            and scope["method"] == "GET"
            and given is not None
            and secrets.compare_digest(given.encode(), self.access.token.encode())
        )
        if not token_ok and not self._password_given(headers):
            if self.access.password is not None:
                await _respond(
                    send,
                    401,
                    _plain(_("This studio asks for its password.")),
                    [(b"www-authenticate", b'Basic realm="policypress studio", charset="UTF-8"')],
                )
                return
            await _respond(
                send,
                403,
                _plain(
                    _(
                        "This studio opens only from the address 'policypress studio' printed "
                        "when it started (it holds a secret token). Open that address again."
                    )
                ),
            )
            return
        session_id = secrets.token_urlsafe(32)
        self.sessions[session_id] = Session()
        kept = [(name, value) for name, value in query if name != TOKEN_PARAMETER]
        # One leading slash: "//name" in Location would send the browser to another site.
        path = "/" + quote(scope.get("path", "/")).lstrip("/")
        location = path + (f"?{urlencode(kept)}" if kept else "")
        cookie = f"{self.access.cookie}={session_id}; HttpOnly; SameSite=Strict; Path=/"
        await _respond(
            send,
            303,
            b"",
            [(b"location", location.encode("latin-1")), (b"set-cookie", cookie.encode())],
        )

    def _password_given(self, headers: dict[str, list[str]]) -> bool:
        password = self.access.password
        if password is None:
            return False
        for value in headers.get("authorization", []):
            scheme, _sep, encoded = value.partition(" ")
            if scheme.lower() != "basic":
                continue
            try:
                decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return False
            given = decoded.partition(":")[2]
            return secrets.compare_digest(given.encode(), password.encode())
        return False

    def _form_is_ours(
        self, headers: dict[str, list[str]], sent: list[str], session: Session
    ) -> bool:
        """The session's CSRF token is in the form, and the browser (if it says) sent it from
        a page of this server: a page elsewhere can make a browser post, but cannot read the
        token, and the SameSite cookie is not sent with its post anyway."""
        for origin in headers.get("origin", []):
            # "null": the no-referrer policy makes a browser hide even its own origin when
            # posting; Sec-Fetch-Site (below) and the token still say where the form came from.
            if origin != "null" and not addressed_here(
                [origin.removeprefix("http://").removeprefix("https://")],
                self.access.port,
                self.access.host_names,
            ):
                return False
        if headers.get("sec-fetch-site", ["same-origin"])[0] not in ("same-origin", "none"):
            return False
        return len(sent) == 1 and secrets.compare_digest(sent[0].encode(), session.csrf.encode())


async def _csrf_sent(scope: Scope, headers: dict[str, list[str]], body: bytes) -> list[str] | None:
    """The CSRF field's values as the form sent them; None if the form cannot be read."""
    if _content_type(headers) != "multipart/form-data":
        try:
            return parse_qs(body.decode("utf-8"), keep_blank_values=True).get(CSRF_FIELD, [])
        except UnicodeDecodeError:
            return []
    # Multipart: parsed here with the same bounds the page parses it with (the page's
    # parse of the replayed body then finds exactly what was checked).
    try:
        async with Request(scope, _replay(body, _no_more)).form(
            max_files=MAX_UPLOAD_FILES, max_fields=MAX_UPLOAD_FIELDS
        ) as form:
            return [value for value in form.getlist(CSRF_FIELD) if isinstance(value, str)]
    except (HTTPException, MultiPartException, ValueError):
        return None


def _body_limit(headers: dict[str, list[str]]) -> int:
    return MAX_UPLOAD_BYTES if _content_type(headers) == "multipart/form-data" else MAX_BODY_BYTES


def _headers(scope: Scope) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in scope.get("headers", []):
        found.setdefault(name.decode("latin-1").lower(), []).append(value.decode("latin-1"))
    return found


def _content_type(headers: dict[str, list[str]]) -> str:
    return headers.get("content-type", [""])[0].partition(";")[0].strip().lower()


async def _read_body(headers: dict[str, list[str]], receive: Receive, limit: int) -> bytes | None:
    """The request's body, or None once it is over the limit (said or found while reading:
    a client may send more than its Content-Length, or none)."""
    for length in headers.get("content-length", []):
        if not length.strip().isdigit() or int(length) > limit:
            return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the page the body already read, once, then the connection's
    own channel: a streamed or file response hears of a client gone when it goes, not at
    once (an early "disconnected" would end such a response before it began)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


async def _no_more() -> Message:
    """The channel of a body parsed twice (the CSRF token, then the page): nothing more."""
    return {"type": "http.disconnect"}


def _plain(sentence: str) -> bytes:
    """A refusal as a page of its own: one sentence, no script, no style, nothing of the
    school's (a refused request learns nothing)."""
    return environment().get_template("refused.html.j2").render(sentence=sentence).encode()


async def _respond(
    send: Send, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [(b"content-length", str(len(body)).encode()), *(extra or [])]
    if body:
        headers.append((b"content-type", b"text/html; charset=utf-8"))
    if status == 421:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
