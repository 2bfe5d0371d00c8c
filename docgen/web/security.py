"""EDGE: who is asking, and whether the request may change anything (SPEC §10–11).

* Host: a local workspace answers only requests naming a loopback host (a page on another site
  that rebinds its DNS name to 127.0.0.1 still names its own host and is refused).
* Origin: a state-changing request whose ``Origin`` (or ``Sec-Fetch-Site``) says it comes from
  another site is refused, whatever it carries.
* CSRF: every state-changing request carries the token — ``X-CSRF-Token`` (the API, htmx), or the
  ``csrf_token`` field of a form, checked where the form is read (bodies.form_fields).
* Headers: CSP without inline script or style, no framing, no sniffing, no referrer abroad.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Callable
from pathlib import Path

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
    """Refuses (403) a state-changing request whose token is not the caller's."""
    if not given or not hmac.compare_digest(given, csrf_token(request)):
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


def _host_name(host: str) -> str:
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


class Guard:
    """ASGI middleware: the host, origin and CSRF checks, and the security headers."""

    def __init__(
        self,
        app: ASGIApp,
        respond: Callable[[Request, WebError], Response],
        allowed_hosts: tuple[str, ...] = (),
        platform: bool = False,
    ) -> None:
        self.app = app
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
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        request = Request(scope)
        problem = self._problem(request)
        if problem is not None:
            await self.respond(request, problem)(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)

    def _problem(self, request: Request) -> WebError | None:
        host = request.headers.get("host", "")
        if not self.any_host and _host_name(host.lower()) not in self.allowed:
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
        if token is None and media in FORM_TYPES:
            return None  # a page's form: its csrf_token field is checked where the form is read
        try:
            check_csrf(request, token)
        except WebError as exc:
            return exc
        return None
