"""EDGE: who is asking, and whether the request may change anything (SPEC §10–11).

* Host: a local workspace answers only requests naming a loopback host (a page on another site
  that rebinds its DNS name to 127.0.0.1 still names its own host and is refused).
* Origin: a state-changing request whose ``Origin`` (or ``Sec-Fetch-Site``) says it comes from
  another site is refused, whatever it carries.
* CSRF: every state-changing request carries the token — ``X-CSRF-Token`` (the API, htmx), or the
  ``csrf_token`` field of a form, checked where the form is read (bodies.form_fields) — only
  on the routes marked ``reads_form``; elsewhere a form type without the header is refused.
* Headers: CSP without inline script or style, no framing, no sniffing, no referrer abroad.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from docgen.web import models
from docgen.web.errors import WebError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SECRET_FILE = "secret.key"
SIGN_IN_PATHS = frozenset({"/api/login", "/login"})
MAX_TOKEN_CHARS = 128
_HOST = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*\.?"
    r"|\[[0-9a-f:.]{2,45}\])(?::[0-9]{1,5})?"
)
"""A Host header as RFC 9110 allows it: a DNS name, an IPv4 address or a bracketed IPv6 address,
and an optional port — nothing else (no user part, no spaces, no list)."""
FormRoute = Callable[[Scope], bool]
FORM_HANDLERS: set[object] = set()
"""The handlers that read a page's form through ``bodies`` (which checks its csrf_token field)."""

_Handler = TypeVar("_Handler")


def reads_form(handler: _Handler) -> _Handler:
    """Marks ``handler`` as reading a page's form: a form posted to it without the CSRF header is
    let through the Guard, its ``csrf_token`` field checked where the form is read. Any other
    route needs the header whatever the body's type says."""
    FORM_HANDLERS.add(handler)
    return handler


CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
FRAMED_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
"""The policy of a stored PDF or image shown inline: nothing of its own may load or run, and only
our own pages may frame it (the evidence page's <iframe>)."""
FRAMED_HEADERS = frozenset({b"content-security-policy", b"x-frame-options"})
"""The headers a response may set for itself (a framed file's), which the Guard then leaves."""


def server_secret(data: Path) -> bytes:
    """Returns the server's secret (made once, kept in the data folder readable by its owner only)."""
    path = data / SECRET_FILE
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    data.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()  # another worker made it first
    with os.fdopen(fd, "wb") as handle:
        handle.write(secret)
    return secret


def signed_in(request: Request) -> tuple[models.User, models.LoginSession] | None:
    """Returns the platform session of the request's cookie (looked up once per request)."""
    from docgen.web.accounts import COOKIE, session_of

    state = request.scope.setdefault("state", {})
    if "docgen_session" not in state:
        state["docgen_session"] = session_of(request.app.state.workspace, request.cookies.get(COOKIE))
    found: tuple[models.User, models.LoginSession] | None = state["docgen_session"]
    return found


def csrf_token(request: Request) -> str:
    """Returns the CSRF token of the caller: the local user's (an HMAC of the server's secret),
    a platform session's own, or the anonymous one of the sign-in page."""
    secret: bytes = request.app.state.secret
    if request.app.state.settings.platform:
        found = signed_in(request)
        if found is not None:
            return found[1].csrf
        return hmac.new(secret, b"csrf:anonymous", hashlib.sha256).hexdigest()
    return hmac.new(secret, b"csrf:local", hashlib.sha256).hexdigest()


def check_csrf(request: Request, given: str | None) -> None:
    """Refuses (403) a state-changing request whose token is not the caller's (compared as
    bytes: a header may carry any Latin-1 character, which ``compare_digest`` refuses as text)."""
    if not given or len(given) > MAX_TOKEN_CHARS:
        raise WebError(403, "csrf")
    expected = csrf_token(request).encode()
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected):
        raise WebError(403, "csrf")


async def current_user(request: Request) -> models.User:
    """Returns the user making the request: the local user, or the platform session's (401
    without one)."""
    if not request.app.state.settings.platform:
        user: models.User = request.app.state.local_user
        return user
    found = signed_in(request)
    if found is None:
        raise WebError(401, "login_required")
    return found[0]


def host_name(host: str) -> str | None:
    """Returns the name of a well-formed Host header (lower case, without its port), else None."""
    host = host.lower()
    if len(host) > 260 or not _HOST.fullmatch(host):
        return None
    if host.startswith("["):
        return host[: host.index("]") + 1]
    return host.rsplit(":", 1)[0]


class Guard:
    """ASGI middleware: the host, origin and CSRF checks, and the security headers."""

    def __init__(
        self,
        app: ASGIApp,
        respond: Callable[[Request, WebError], Response],
        allowed_hosts: tuple[str, ...] = (),
        platform: bool = False,
        reads_form: FormRoute = lambda _scope: False,
    ) -> None:
        self.app = app
        self.reads_form = reads_form  # whether a route reads a page's form (and checks its field)
        self.respond = respond  # how a refusal is answered (JSON or a page, as the app answers)
        self.allowed = LOOPBACK_HOSTS | {h.lower() for h in allowed_hosts}
        # a platform behind its reverse proxy answers the names it is given (none: any name)
        self.any_host = platform and not allowed_hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                given = list(message.get("headers", []))
                own = {name.lower() for name, _value in given} & FRAMED_HEADERS
                message["headers"] = [*given, *(h for h in HEADERS if h[0] not in own)]
            await send(message)

        request = Request(scope)
        problem = self._problem(request)
        if problem is not None:
            await self.respond(request, problem)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _problem(self, request: Request) -> WebError | None:
        host = request.headers.get("host", "")
        name = host_name(host)
        if name is None or (not self.any_host and name not in self.allowed):
            return WebError(400, "host", host=host[:80])
        if request.method in SAFE_METHODS:
            return None
        origin = request.headers.get("origin")
        if origin is not None and origin.lower().split("://", 1)[-1] != host.lower():
            return WebError(403, "origin", origin=origin[:80])
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            return WebError(403, "origin", origin=request.headers.get("sec-fetch-site", ""))
        if request.url.path in SIGN_IN_PATHS:
            return None  # no session yet: the origin checks above are what protects signing in
        token = request.headers.get(CSRF_HEADER)
        media = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if token is None and media in FORM_TYPES and self.reads_form(request.scope):
            return None  # a page's form: its csrf_token field is checked where the form is read
        try:
            check_csrf(request, token)
        except WebError as exc:
            return exc
        return None
