"""The pages of platform mode (SPEC §11): sign in and out, the workflow's steps, the review
desk and the admin's audit page. They render through pages.render, as the workspace does."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from docgen.text.punctuation import COMMA
from docgen.web import bodies
from docgen.web.errors import WebError
from docgen.web.pages import render, render_page, workspace_of
from docgen.web.security import current_user, reads_form


async def login_page(request: Request) -> Response:
    """GET /login: the sign-in form (platform mode)."""
    return render(request, "login.html", failed=None)


@reads_form
async def login_post(request: Request) -> Response:
    """POST /login (form: username, password): signed in, to 首页; else the form again."""
    from docgen.web.accounts import sign_in
    from docgen.web.api import set_session_cookie

    ws = workspace_of(request)
    form = await bodies.form_fields(request)
    try:
        token, _row = await run_in_threadpool(
            sign_in, ws, form.get("username") or "", form.get("password") or ""
        )
    except WebError as exc:
        return render(
            request, "login.html", exc.status, failed=exc.message, username=form.get("username") or ""
        )
    response = RedirectResponse("/", 303)
    set_session_cookie(request, response, token)
    return response


@reads_form
async def logout_post(request: Request) -> Response:
    """POST /logout: the session ends, back to the sign-in form."""
    from docgen.web.accounts import COOKIE, sign_out

    await bodies.form_fields(request)
    await run_in_threadpool(sign_out, workspace_of(request), request.cookies.get(COOKIE))
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE, path="/")
    return response


@reads_form
async def workflow_step(request: Request) -> Response:
    """POST /submissions/SID/workflow (step: commitment, submit, return, accept, ruling): one
    step of the platform's workflow, then back to the workspace (the message when refused)."""
    from docgen.web import workflow

    user = await current_user(request)
    ws = workspace_of(request)
    sid = request.path_params["sid"]
    form = await bodies.form_fields(request)
    step = form.get("step") or ""
    steps = {
        "commitment": lambda: workflow.accept_commitment(ws, user, sid),
        "submit": lambda: workflow.submit(ws, user, sid),
        "return": lambda: workflow.return_submission(ws, user, sid, form.get("reason") or ""),
        "accept": lambda: workflow.accept_submission(ws, user, sid),
        "ruling": lambda: workflow.rule_file(
            ws, user, sid, form.get("file") or "", form.get("accepted") == "true", form.get("reason") or ""
        ),
    }
    if step not in steps:
        raise WebError(400, "bad_field", path=step[:40])
    await run_in_threadpool(steps[step])
    target = "/" if step in ("return", "accept") else f"/submissions/{sid}"
    if step == "ruling" and form.get("back") == "file":  # ruled from the file's own page: back there
        target = f"/submissions/{sid}/files/{quote(form.get('file') or '')}"
    return RedirectResponse(target, 303)


async def evidence_page(request: Request) -> Response:
    """GET /submissions/SID/files/PATH: one stored file in the page — a PDF in a frame, an image
    as itself, a Word or Excel file as a download — with the reviewer's ruling on it (and its form
    while the submission awaits review). Seen by whoever may see the submission (404 otherwise)."""
    from docgen.web import workflow

    user = await current_user(request)
    ws = workspace_of(request)
    sid, path = request.path_params["sid"], request.path_params["path"]
    row = await run_in_threadpool(ws.get, user, sid)
    stored = next((f for f in row.files if f.path == path), None)
    if stored is None:
        raise WebError(404, "bad_path", path=path[:200])
    found = await run_in_threadpool(ws.assess, row)
    documents = found.evaluation.evidence.documents if found.evaluation else ()
    titles = list(dict.fromkeys(d.title for d in documents if d.file == path))
    ruling = (await run_in_threadpool(workflow.rulings, ws, sid)).get(path)
    reviewer = user.role == "reviewer"
    paths = [f.path for f in row.files]
    at = paths.index(path)
    return render(
        request,
        "evidence.html",
        row=row,
        file=stored,
        titles=titles,
        ruling=ruling if reviewer or row.status != "submitted" else None,
        may_rule=reviewer and row.status == "submitted",
        previous=paths[at - 1] if at > 0 else None,
        following=paths[at + 1] if at + 1 < len(paths) else None,
        position=(at + 1, len(paths)),
    )


async def review_page(request: Request) -> Response:
    """GET /review/PROGRAM: the review desk — the 汇总表 live, each row opening its submission."""
    from docgen.web.api import review_args
    from docgen.web.review_desk import desk_answer

    user = await current_user(request)
    ws = workspace_of(request)
    threshold, quota = review_args(request, user)
    program = request.path_params["program"]
    answer = await run_in_threadpool(desk_answer, ws, user, program, threshold, quota)
    return await render_page(
        request,
        "review.html",
        program=ws.catalog.programs[program],
        review=answer.data,
        statuses=answer.statuses,
        query=request.url.query,
        threshold=request.query_params.get("threshold", ""),
        quota=request.query_params.get("quota", ""),
    )


async def admin_page(request: Request, problem: str = "", status: int = 200) -> Response:
    """GET /admin: the accounts, the programs' deadlines and the audit log (the admin's);
    ``?added=NAME`` / ``?extended=PROGRAM`` say what the last form did."""
    from docgen.text.web import WORDS
    from docgen.web import admin, workflow

    user = await current_user(request)
    ws = workspace_of(request)
    entries = await run_in_threadpool(workflow.audit_entries, ws, user)
    users = await run_in_threadpool(admin.accounts, ws, user)
    extended = await run_in_threadpool(admin.extensions, ws)
    notice = ""
    added, program = request.query_params.get("added"), request.query_params.get("extended")
    if added and any(u["name"] == added for u in users):
        notice = WORDS["admin.added"].format(name=added)
    elif program and program in extended:
        title = ws.catalog.programs[program].title if program in ws.catalog.programs else program
        notice = WORDS["admin.extended"].format(program=title, day=extended[program].until.isoformat())
    return render(
        request,
        "admin.html",
        status,
        entries=list(reversed(entries)),
        users=users,
        program_list=list(ws.catalog.programs.values()),
        extended=extended,
        notice=notice,
        problem=problem,
    )


@reads_form
async def admin_post(request: Request) -> Response:
    """POST /admin/users (name, role, password, region, programs) or /admin/deadline (program,
    until, reason): the change made, the page again with what happened (or what was wrong)."""
    from docgen.web import admin

    user = await current_user(request)
    admin.require_admin(user)
    if request.path_params["what"] not in ("users", "deadline"):
        raise WebError(404, "page_not_found", path=request.url.path[:200])
    ws = workspace_of(request)
    form = await bodies.form_fields(request)
    field = {
        k: str(form.get(k) or "")
        for k in ("name", "role", "password", "region", "programs", "program", "until", "reason")
    }
    try:
        if request.path_params["what"] == "users":
            programs = tuple(p.strip() for p in field["programs"].replace(COMMA, ",").split(",") if p.strip())
            made = await run_in_threadpool(
                admin.create_account,
                ws,
                user,
                field["name"],
                field["role"],
                field["password"],
                field["region"],
                programs,
            )
            done = urlencode({"added": made.name})
        else:
            await run_in_threadpool(
                admin.extend_deadline, ws, user, field["program"], field["until"], field["reason"]
            )
            done = urlencode({"extended": field["program"]})
    except WebError as exc:
        return await admin_page(request, problem=exc.message, status=exc.status)
    return RedirectResponse(f"/admin?{done}", 303)  # a reload of the page repeats nothing


def routes() -> list[Route]:
    """Returns the platform pages' routes."""
    return [
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login_post, methods=["POST"]),
        Route("/logout", logout_post, methods=["POST"]),
        Route("/submissions/{sid}/workflow", workflow_step, methods=["POST"]),
        Route("/submissions/{sid}/files/{path:path}", evidence_page, methods=["GET"]),
        Route("/review/{program}", review_page, methods=["GET"]),
        Route("/admin", admin_page, methods=["GET"]),
        Route("/admin/{what:str}", admin_post, methods=["POST"]),
    ]
