"""The ASGI application: the API and the pages over one Workspace.

``create_app(settings)`` is all a server (uvicorn) or a test client needs. Every error a
handler raises on purpose is a WebError, answered as JSON under /api and as a Chinese page
elsewhere; anything else is logged and answered 500 with a message that names no internals.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Match, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from docgen.definitions.catalog import Catalog
from docgen.outputs.answers_text import answers_json
from docgen.resources import package_folder
from docgen.web import api, pages, platform_pages
from docgen.web.errors import WebError
from docgen.web.security import FORM_HANDLERS, FormRoute, Guard, server_secret
from docgen.web.settings import Settings
from docgen.web.workspace import Workspace

log = logging.getLogger("docgen.web")


def error_response(request: Request, error: WebError) -> Response:
    """Returns the answer to ``error``: JSON under /api (or when JSON is asked for), else a page."""
    if error.status == 401 and not request.url.path.startswith("/api/"):
        if request.headers.get("hx-request"):
            return Response(status_code=204, headers={"HX-Redirect": "/login"})
        return RedirectResponse("/login", 303)
    wants_json = request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )
    if wants_json or request.headers.get("hx-request"):
        if request.headers.get("hx-request") and not request.url.path.startswith("/api/"):
            return pages.error_fragment(request, error)
        return Response(answers_json(error.payload()), error.status, media_type="application/json")
    return pages.error_page(request, error)


async def _web_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, WebError)
    return error_response(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error_response(request, WebError(405, "method", method=request.method))
    return error_response(request, WebError(exc.status_code, "page_not_found", path=request.url.path[:200]))


async def _left(request: Request, _exc: Exception) -> Response:
    """The browser went away while its body arrived: nothing to answer, nothing saved (handled
    here, below the server-error layer, which would re-raise it to uvicorn as a traceback)."""
    log.info("client left during %s %s", request.method, request.url.path)
    return Response(status_code=400)


async def _internal(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(request, WebError(500, "internal", name=type(exc).__name__))


def _form_routes(routes: list[Route | Mount]) -> FormRoute:
    """Returns whether a request goes to a route marked ``reads_form`` (method included)."""
    marked = [r for r in routes if isinstance(r, Route) and r.endpoint in FORM_HANDLERS]

    def reads(scope: Scope) -> bool:
        return any(r.matches(scope)[0] is Match.FULL for r in marked)

    return reads


def create_app(settings: Settings, catalog: Catalog | None = None) -> Starlette:
    """Returns the application serving ``settings``' data (migrations are run here)."""
    workspace = Workspace(settings, catalog)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        workspace.engine.dispose()

    routes: list[Route | Mount] = [
        *api.routes(),
        *pages.routes(),
        *platform_pages.routes(),
        Mount("/static", StaticFiles(directory=package_folder("web/static")), name="static"),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            WebError: _web_error,
            HTTPException: _http_error,
            ClientDisconnect: _left,
            Exception: _internal,
        },
        lifespan=lifespan,
    )
    app.state.workspace = workspace
    app.state.settings = settings
    app.state.secret = server_secret(settings.data)
    app.state.local_user = None if settings.platform else workspace.local_user()
    app.add_middleware(
        Guard,
        respond=error_response,
        allowed_hosts=settings.allowed_hosts,
        platform=settings.platform,
        reads_form=_form_routes(routes),
    )
    return app


SETTINGS_ENV = "DOCGEN_SERVE_SETTINGS"  # how `docgen serve` hands its settings to each worker process


def worker_app() -> Starlette:
    """Returns the app of one uvicorn worker process, its settings read from SETTINGS_ENV."""
    import json
    from pathlib import Path

    given = json.loads(os.environ[SETTINGS_ENV])
    settings = Settings(
        data=Path(given["data"]),
        platform=bool(given["platform"]),
        allowed_hosts=tuple(given["allowed_hosts"]),
    )
    app = create_app(settings)
    pages.warm_up()  # before the worker serves: its first page is then as cheap as the next
    if settings.platform:
        from docgen.web import accounts

        accounts.warm_up(app.state.workspace)  # … and its first sign-in
    return app
