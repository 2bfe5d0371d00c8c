"""The pages (SPEC §10): server-rendered Chinese HTML, live through htmx.

Each edit posts one change (a field's value, a row added or removed, a file attached); the
answer is the parts of the page that change — the findings (placed beside their fields by
static/docgen.js), the score panel, and the list or section the change was made in.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from docgen.numbers import fmt_fixed
from docgen.resources import package_folder
from docgen.text.web import USERS, WORDS
from docgen.web import answers_history, bodies, jobs, models
from docgen.web.display import beijing_time
from docgen.web.errors import WebError
from docgen.web.field_html import FieldHtml
from docgen.web.form_edit import OPS, EditError, apply_edit, parse_path, typed
from docgen.web.lanes import run_upload
from docgen.web.memo import Kept
from docgen.web.page_context import page_parts
from docgen.web.security import csrf_token, current_user, reads_form
from docgen.web.submission_files import import_zip
from docgen.web.uploads import human_size
from docgen.web.workspace import Assessment, Workspace

VALS_KEPT = 16384  # buttons' hx-vals by change (a page has a few hundred, the same on every page)
FORM_BODIES_KEPT = 32  # versions whose form sections stay rendered (~150 kB each)

_env = Environment(
    loader=FileSystemLoader(package_folder("web/templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,  # the package's templates never change under a running server (#21: no
)  # stat of every template a page includes, on every page)
_env.globals["status_word"] = lambda s: WORDS.get(f"status.{s}", s)
_env.globals["action_word"] = lambda a: WORDS.get(f"action.{a}", a)
_env.globals["role_word"] = lambda r: USERS.get(f"role.{r}", r)
_env.globals["human_size"] = human_size
_env.filters["beijing"] = beijing_time


def _vals(op: str, path: list[Any], value: str | None = None) -> str:
    """Returns the hx-vals JSON of a button's change (escaped where it is written)."""
    return _vals_of(op, tuple(path), value)


@functools.lru_cache(maxsize=VALS_KEPT)
def _vals_of(op: str, path: tuple[Any, ...], value: str | None) -> str:
    out = {"op": op, "path": json.dumps(list(path), ensure_ascii=False)}
    if value is not None:
        out["value"] = value
    return json.dumps(out, ensure_ascii=False)


_env.globals["vals"] = _vals
_fields = FieldHtml(_env)
_bodies = Kept(FORM_BODIES_KEPT)
_env.globals["field_html"] = _fields
_env.globals["file_options"] = _fields.file_options


def warm_up() -> None:
    """Compiles every page template and loads the PDF reader, in a server's worker process
    before it serves: its first page would otherwise pay ~0.3 s of template compiling and its
    first assessment pypdf's import, while every request behind it waits (#21)."""
    from docgen.evidence.inspect import load_pdf_reader

    for name in _env.list_templates(extensions=["html"]):
        _env.get_template(name)
    load_pdf_reader()


def workspace_of(request: Request) -> Workspace:
    """Returns the app's Workspace."""
    ws: Workspace = request.app.state.workspace
    return ws


_ws = workspace_of


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Returns the page ``name`` rendered with the CSRF token, the signed-in user (platform) and
    the catalog at hand."""
    from docgen.web.security import signed_in

    platform = request.app.state.settings.platform
    signed = signed_in(request) if platform else None
    html = _env.get_template(name).render(
        csrf=csrf_token(request),
        programs=_ws(request).catalog.programs,
        platform=platform,
        account=signed[0] if signed else None,
        **context,
    )
    return HTMLResponse(html, status)


async def render_page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Returns ``render``'s page, rendered in the threadpool: a big page (the workspace's form,
    the desk's rows) is tens of ms of Python that would otherwise hold the worker's event loop,
    and every request it serves, for as long (#21)."""
    return await run_in_threadpool(render, request, name, status, **context)


def error_page(request: Request, error: WebError) -> Response:
    """Returns a Chinese page telling what went wrong."""
    return render(request, "error.html", error.status, error=error)


def error_fragment(request: Request, error: WebError) -> Response:
    """Returns the message of ``error`` for an htmx request (shown in the page's notice area)."""
    html = _env.get_template("_notice.html").render(error=error)
    # htmx swaps only 2xx answers by default; the notice is an out-of-band part of a 200
    return HTMLResponse(html, 200, headers={"HX-Reswap": "none"})


# -- 首页 -------------------------------------------------------------------------------------


async def home(request: Request) -> Response:
    """GET /: the programs and the user's submissions."""
    user = await current_user(request)
    return await run_in_threadpool(_home_page, request, user)


def _home_page(request: Request, user: models.User) -> HTMLResponse:
    """Returns 首页, made in one go in the threadpool (see ``_workspace_page``)."""
    ws = _ws(request)
    rows = ws.submissions(user)
    assessed = {r.id: _summary(ws.assess(r)) for r in rows}
    return render(request, "home.html", submissions=rows, assessed=assessed)


def _summary(found: Assessment) -> dict[str, Any]:
    errors = sum(1 for d in found.findings if d.is_error)
    score = fmt_fixed(found.evaluation.claimed.total) if found.evaluation else None
    evidenced = fmt_fixed(found.evaluation.evidenced.total) if found.evaluation else None
    complete = found.completeness is not None and found.completeness.complete
    return {"errors": errors, "score": score, "evidenced": evidenced, "complete": complete}


@reads_form
async def new_submission(request: Request) -> Response:
    """POST /submissions (form: choice "program:kind", or program and kind) → the new
    submission's workspace."""
    user = await current_user(request)
    form = await bodies.form_fields(request)
    choice = form.get("choice") or form.get("program") or ""
    program, _, kind = choice.partition(":")
    row = await run_in_threadpool(_ws(request).create, user, program, kind or form.get("kind") or None)
    return RedirectResponse(f"/submissions/{row.id}", 303)


@reads_form
async def import_page(request: Request) -> Response:
    """POST /submissions/import (form: file) → the imported submission's workspace."""
    user = await current_user(request)
    ws = _ws(request)
    form = await bodies.multipart(request, ws.settings.max_submission_bytes)
    name, data = form.file()
    row = await run_in_threadpool(import_zip, ws, user, name, data)
    return RedirectResponse(f"/submissions/{row.id}", 303)


# -- the workspace ------------------------------------------------------------------------------


def _workspace_context(ws: Workspace, row: Any, found: Assessment) -> dict[str, Any]:
    program = ws.catalog.programs[row.program]
    parts = page_parts(ws, row, found)
    return {
        "row": row,
        "program": program,
        "form": parts.form,
        "found": found,
        "score": parts.score,
        "findings": parts.findings,
        "facts": parts.facts,
        "files": [f.path for f in row.files],
        "errors": sum(1 for d in found.findings if d.is_error),
        "warnings": sum(1 for d in found.findings if not d.is_error),
        "pdf_available": jobs.pdf_available(),
        "readonly": False,
        "is_reviewer": False,
        "commitment": program.platform.commitment,
        "committed": None,
        "rulings": {},
        "kept": [],
    }


async def workspace(request: Request) -> Response:
    """GET /submissions/SID: the workspace (read-only once submitted, and to a reviewer, who
    gets the review actions instead)."""
    user = await current_user(request)
    return await run_in_threadpool(_workspace_page, request, user)


def _workspace_page(request: Request, user: models.User) -> HTMLResponse:
    """Returns the workspace page, made in one go in the threadpool: under load every hop back
    to the event loop waits behind what the loop is doing (other requests' bodies being read),
    so one hop instead of seven (the row, its assessment, the context, the kept answers, the
    commitment, the rulings, the rendering) is what keeps a page's time near its work (#21)."""
    from docgen.web import workflow

    ws = _ws(request)
    row = ws.get(user, request.path_params["sid"])
    context = _workspace_context(ws, row, ws.assess(row))
    platform = request.app.state.settings.platform
    context["readonly"] = row.owner_id != user.id or (platform and row.status in ("submitted", "accepted"))
    context["is_reviewer"] = user.role == "reviewer"
    context["kept"] = answers_history.kept(ws, row.id)
    if platform:
        context["committed"] = workflow.accepted_commitment(ws, row)
        context["rulings"] = workflow.rulings(ws, row.id)
    context["form_body"] = _form_body(row, context)
    return render(request, "workspace.html", **context)


def _form_body(row: models.Submission, context: dict[str, Any]) -> Markup:
    """Returns the sections of the workspace page's form (_form_body.html), rendered once per
    version: they are made of the version's parts (form, files' status), its files and the
    submission's id only — the same whoever looks and whether the form around them is read-only
    — and are about half of a page's rendering (#21). Served only with the very parts they were
    made from."""
    key = (row.id, row.version, row.program, row.kind)
    made = (context["form"], context["facts"], context["files"])
    kept = _bodies.fetch(key)
    if kept is not None and kept[0] is made[0] and kept[1] is made[1] and kept[2] == made[2]:
        return kept[3]  # type: ignore[no-any-return]
    html = Markup(
        _env.get_template("_form_body.html").render(
            row=row, program=context["program"], form=made[0], facts=made[1], files=made[2]
        )
    )
    _bodies.keep(key, (*made, html))
    return html


def _parts(
    request: Request, ws: Workspace, row: Any, found: Assessment, *also: str, edited: Any = None
) -> Response:
    """Returns the live parts after a change (findings, score, status line) and ``also``;
    ``edited``: the key path the change was made at. Called in the threadpool: rendering the
    parts would otherwise hold the event loop, and every request of the worker, meanwhile."""
    context = _workspace_context(ws, row, found)
    context["edited"] = edited
    html = "".join(
        _env.get_template(f"_{name}.html").render(csrf=csrf_token(request), oob=True, **context)
        for name in ("live", *also)
    )
    return HTMLResponse(html)


@reads_form
async def edit(request: Request) -> Response:
    """POST /submissions/SID/edit (op, path as JSON, value, kind): one change, then the parts."""
    user = await current_user(request)
    ws = _ws(request)
    form = await bodies.form_fields(request, ws.settings.max_answers_bytes)
    op = str(form.get("op") or "set")
    try:
        path = parse_path(str(form.get("path") or ""))
    except EditError:
        raise WebError(400, "bad_field", path=str(form.get("path"))[:100]) from None
    if op not in OPS:
        raise WebError(400, "bad_field", path=str(form.get("path"))[:100])
    value: Any = typed(str(form.get("value") or ""), str(form.get("kind") or "text"))
    if op == "add-row":
        value = {}

    def change(data: dict[str, Any]) -> None:
        try:
            apply_edit(data, op, path, value)
        except EditError:
            raise WebError(400, "bad_field", path=".".join(map(str, path))) from None

    row, found = await run_in_threadpool(ws.edit, user, request.path_params["sid"], change)
    also = {
        "add-row": ("items",),
        "remove-row": ("items", "documents"),
        "attach": ("documents",),
        "detach": ("documents",),
    }
    extra = also.get(op, ())
    if op == "set" and path[:1] == ("narrative",):
        extra = ("points", "previews")
    if op == "set" and path[:1] == ("evidence",):
        extra = ("documents",)
    return await run_in_threadpool(_parts, request, ws, row, found, *extra, edited=tuple(path))


@reads_form
async def upload(request: Request) -> Response:
    """POST /submissions/SID/upload (document, file…): files stored and attached to the entry."""
    user = await current_user(request)
    ws = _ws(request)
    sid = request.path_params["sid"]
    row = await run_in_threadpool(ws.get, user, sid, False)  # 404 before reading the upload
    file_limit, total_limit = ws.limits(row.program)
    form = await bodies.multipart(request, total_limit, file_limit)
    document = form.get("document") or ""
    items = form.files.get("file") or []
    if not items:
        raise WebError(400, "no_file")
    stored = []
    for name, data in items:
        stored.append(await run_upload(ws.add_file, user, sid, name, data, None))
    if document:

        def change(data: dict[str, Any]) -> None:
            for f in stored:
                try:
                    apply_edit(data, "attach", ("evidence", document), f.path)
                except EditError:
                    raise WebError(400, "bad_field", path=document) from None

        row, found = await run_in_threadpool(ws.edit, user, sid, change)
    else:
        row = await run_in_threadpool(ws.get, user, sid)
        found = await run_in_threadpool(ws.assess, row)
    return await run_in_threadpool(_parts, request, ws, row, found, "documents", "items")


@reads_form
async def answers_upload(request: Request) -> Response:
    """POST /submissions/SID/answers-file: a Word draft of the narrative (stored, and the answers
    read their narrative from it) or an answers file (answers.xlsx/.yaml/.json replaces the answers);
    the answers as they were are kept (answers_history)."""
    user = await current_user(request)
    ws = _ws(request)
    sid = request.path_params["sid"]
    row = await run_in_threadpool(ws.get, user, sid)
    form = await bodies.multipart(request, ws.limits(row.program)[0])
    name, data = form.file()
    if name.lower().endswith(".docx"):
        stored = await run_upload(ws.add_file, user, sid, name, data, name.rsplit("/", 1)[-1])

        def change(answers: dict[str, Any]) -> None:
            answers["narrative"] = {"file": stored.path}

        row, _ = await run_in_threadpool(answers_history.replace_by_edit, ws, user, sid, change)
    else:
        from docgen.text.web import WORDS
        from docgen.web.submission_files import answers_text

        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in (".yaml", ".yml", ".json", ".xlsx"):
            raise WebError(415, "bad_type", name=name)
        source = WORDS["import.file"].format(name=name)
        text = await run_in_threadpool(answers_text, f"answers{suffix}", data, source)
        row = await run_in_threadpool(answers_history.replace_answers, ws, user, sid, text)
    return HTMLResponse("", headers={"HX-Redirect": f"/submissions/{row.id}"})


@reads_form
async def delete_file(request: Request) -> Response:
    """POST /submissions/SID/delete-file (path): the file removed and detached everywhere."""
    user = await current_user(request)
    ws = _ws(request)
    sid = request.path_params["sid"]
    form = await bodies.form_fields(request)
    path = str(form.get("value") or "")
    await run_in_threadpool(ws.remove_file, user, sid, path)

    def change(data: dict[str, Any]) -> None:
        evidence = data.get("evidence")
        for key in list(evidence) if isinstance(evidence, dict) else []:
            apply_edit(data, "detach", ("evidence", key), path)

    row, found = await run_in_threadpool(ws.edit, user, sid, change)
    return await run_in_threadpool(_parts, request, ws, row, found, "documents", "items")


async def live(request: Request) -> Response:
    """GET /submissions/SID/live: the live parts as they are now."""
    user = await current_user(request)
    ws = _ws(request)
    row = await run_in_threadpool(ws.get, user, request.path_params["sid"])
    found = await run_in_threadpool(ws.assess, row)
    return await run_in_threadpool(_parts, request, ws, row, found)


async def download(request: Request) -> Response:
    """GET /submissions/SID/download/NAME: answers.yaml, answers.xlsx or the filled forms (zip)."""
    user = await current_user(request)
    ws = _ws(request)
    row = await run_in_threadpool(ws.get, user, request.path_params["sid"])
    name = request.path_params["name"]
    data = await run_in_threadpool(jobs.extra_download, ws, row, name)
    return bodies.download(data, f"{bodies.download_stem(row)}-{name}", inline=False)


@reads_form
async def start_job(request: Request) -> Response:
    """POST /submissions/SID/jobs (what): long work started; its progress line answers."""
    user = await current_user(request)
    ws = _ws(request)
    form = await bodies.form_fields(request)
    row = await run_in_threadpool(ws.get, user, request.path_params["sid"])
    job = await run_in_threadpool(jobs.start, ws, row, str(form.get("what") or "all"))
    return HTMLResponse(_env.get_template("_job.html").render(job=job, row=row))


async def job_status(request: Request) -> Response:
    """GET /submissions/SID/jobs/JID: the job's progress (polled until it is done)."""
    user = await current_user(request)
    ws = _ws(request)
    row = await run_in_threadpool(ws.get, user, request.path_params["sid"])
    job = await run_in_threadpool(jobs.find, ws, row.id, request.path_params["jid"])
    return HTMLResponse(_env.get_template("_job.html").render(job=job, row=row))


# -- 表格下载 -----------------------------------------------------------------------------------


async def forms_page(request: Request) -> Response:
    """GET /forms: every program's blank attachments."""
    listing = await run_in_threadpool(jobs.blank_forms, _ws(request))
    return render(request, "forms.html", listing=listing)


async def blank_form(request: Request) -> Response:
    """GET /forms/PROGRAM/NAME: one blank attachment (.docx)."""
    p = request.path_params
    data = await run_in_threadpool(jobs.blank_form, _ws(request), p["program"], p["name"])
    return bodies.download(data, p["name"], inline=False)


def routes() -> list[Route]:
    """Returns the pages' routes."""
    sid = "/submissions/{sid}"
    return [
        Route("/", home, methods=["GET"]),
        Route("/submissions", new_submission, methods=["POST"]),
        Route("/submissions/import", import_page, methods=["POST"]),
        Route(sid, workspace, methods=["GET"]),
        Route(f"{sid}/edit", edit, methods=["POST"]),
        Route(f"{sid}/upload", upload, methods=["POST"]),
        Route(f"{sid}/answers-file", answers_upload, methods=["POST"]),
        Route(f"{sid}/delete-file", delete_file, methods=["POST"]),
        Route(f"{sid}/live", live, methods=["GET"]),
        Route(f"{sid}/download/{{name}}", download, methods=["GET"]),
        Route(f"{sid}/jobs", start_job, methods=["POST"]),
        Route(f"{sid}/jobs/{{jid}}", job_status, methods=["GET"]),
        Route(f"{sid}/kept/{{entry:int}}", answers_history.kept_download, methods=["GET"]),
        Route("/forms", forms_page, methods=["GET"]),
        Route("/forms/{program}/{name}", blank_form, methods=["GET"]),
    ]
