"""The JSON API (SPEC §10): what the pages use and what integrators and tests rely on.

Every handler reads what it needs from the request, hands the work to the Workspace in a
worker thread, and answers JSON; errors are ``{"error": {"code", "message"}}`` with the status.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from fractions import Fraction
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from docgen.app.build import OUTPUT_NAMES
from docgen.app.pdf import PDF_NAMES
from docgen.numbers import NotANumber, read_decimal
from docgen.outputs.answers_text import answers_json
from docgen.text.punctuation import ENUM_COMMA
from docgen.text.web_text import WEB_TEXT
from docgen.web import bodies, models
from docgen.web.errors import WebError
from docgen.web.lanes import run_upload
from docgen.web.review_desk import require_reviewer
from docgen.web.security import FRAMED_CSP, csrf_token, current_user, reads_form
from docgen.web.submission_files import export_zip, import_zip, submission_object
from docgen.web.workspace import Workspace

Handler = Callable[[Request], Awaitable[Response]]
PDF_OUTPUTS = tuple(PDF_NAMES.values())
MAX_QUOTA_DIGITS = 6


def json_response(data: Any, status: int = 200) -> Response:
    """Returns ``data`` as JSON (exact decimals as their digits)."""
    return Response(answers_json(data), status, media_type="application/json")


def _ws(request: Request) -> Workspace:
    ws: Workspace = request.app.state.workspace
    return ws


async def programs(request: Request) -> Response:
    """GET /api/programs: id, title, kinds, deadline (and issuer, quota, seed)."""
    catalog = _ws(request).catalog
    return json_response(
        [
            {
                "id": p.id,
                "title": p.title,
                "kinds": list(p.kinds),
                "deadline": p.deadline,
                "issuer": p.issuer,
                "quota": p.quota,
                "seed": p.seed,
            }
            for p in catalog.programs.values()
        ]
    )


async def session(request: Request) -> Response:
    """GET /api/session: the user, their role and the CSRF token to send back."""
    try:
        user = await current_user(request)
    except WebError:  # a platform visitor not signed in: the token of the sign-in page
        return json_response({"user": None, "role": None, "csrf_token": csrf_token(request)})
    return json_response({"user": user.name, "role": user.role, "csrf_token": csrf_token(request)})


async def login(request: Request) -> Response:
    """POST /api/login {"username", "password"} (platform mode): a session cookie."""
    from docgen.web.accounts import signed_in_user

    ws = _ws(request)
    body = await bodies.json_object(request, 64 * 1024)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise WebError(400, "bad_login")
    token, row, user = await run_in_threadpool(signed_in_user, ws, username, password)
    response = json_response({"user": user.name, "role": user.role, "csrf_token": row.csrf})
    set_session_cookie(request, response, token)
    return response


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Sets the session cookie: HttpOnly, SameSite=Strict, Secure behind HTTPS, expiring."""
    from docgen.web.accounts import COOKIE, SESSION_HOURS

    secure = request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
    response.set_cookie(
        COOKIE, token, max_age=SESSION_HOURS * 3600, httponly=True, samesite="strict", secure=secure, path="/"
    )


async def logout(request: Request) -> Response:
    """POST /api/logout: the session ends."""
    from docgen.web.accounts import COOKIE, sign_out

    await current_user(request)
    await run_in_threadpool(sign_out, _ws(request), request.cookies.get(COOKIE))
    response = Response(status_code=204)
    response.delete_cookie(COOKIE, path="/")
    return response


async def create(request: Request) -> Response:
    """POST /api/submissions {"program", "kind"?} → 201 with the submission object."""
    user = await current_user(request)
    body = await bodies.json_object(request, _ws(request).settings.max_answers_bytes)
    program, kind = body.get("program"), body.get("kind")
    if not isinstance(program, str) or (kind is not None and not isinstance(kind, str)):
        raise WebError(400, "bad_body")
    ws = _ws(request)
    row = await run_in_threadpool(ws.create, user, program, kind)
    return json_response(submission_object(row), 201)


async def listing(request: Request) -> Response:
    """GET /api/submissions: the caller's submissions."""
    user = await current_user(request)
    rows = await run_in_threadpool(_ws(request).submissions, user)
    return json_response([submission_object(r, with_answers=False) for r in rows])


async def one(request: Request) -> Response:
    """GET /api/submissions/SID."""
    user = await current_user(request)
    row = await run_in_threadpool(_ws(request).get, user, request.path_params["sid"])
    return json_response(submission_object(row))


async def put_answers(request: Request) -> Response:
    """PUT /api/submissions/SID/answers: saved whatever its findings; 200 with the check object.
    ``If-Match: "<version>"`` makes it refuse (409) when the answers changed since that version."""
    user = await current_user(request)
    ws = _ws(request)
    text, read = await bodies.answers_text(request, ws.settings.max_answers_bytes)
    expected = bodies.if_match(request)
    row, found = await run_in_threadpool(ws.put_answers, user, request.path_params["sid"], text, expected)
    check = found.check()
    check["diagnostics"][:0] = [d.as_json() for d in read]  # what reading the body removed
    return json_response({**check, "version": row.version})


@reads_form
async def upload(request: Request) -> Response:
    """POST /api/submissions/SID/files (multipart ``file``, optional ``path``) → 201."""
    user = await current_user(request)
    ws = _ws(request)
    sid = request.path_params["sid"]
    row = await run_in_threadpool(ws.get, user, sid, False)  # 404 before reading a stranger's upload
    form = await bodies.multipart(request, ws.limits(row.program)[0])
    name, data = form.file()
    path = form.get("path")
    stored = await run_upload(ws.add_file, user, sid, name, data, path or None)
    return json_response({"path": stored.path, "size": stored.size, "sha256": stored.sha256}, 201)


async def remove_file(request: Request) -> Response:
    """DELETE /api/submissions/SID/files/PATH → 204."""
    user = await current_user(request)
    p = request.path_params
    await run_in_threadpool(_ws(request).remove_file, user, p["sid"], p["path"])
    return Response(status_code=204)


async def get_file(request: Request) -> Response:
    """GET /api/submissions/SID/files/PATH: the stored file (PDFs shown inline)."""
    user = await current_user(request)
    p = request.path_params
    stored, data = await run_in_threadpool(_ws(request).file_bytes, user, p["sid"], p["path"])
    inline = stored.kind in ("pdf", "png", "jpeg")
    answer = bodies.download(data, stored.path.rsplit("/", 1)[-1], inline=inline, kind=stored.kind)
    if inline:  # the evidence page frames it: our own pages may, no other site
        answer.headers["content-security-policy"] = FRAMED_CSP
        answer.headers["x-frame-options"] = "SAMEORIGIN"
    return answer


def _assessed(part: str) -> Handler:
    async def handler(request: Request) -> Response:
        user = await current_user(request)
        ws = _ws(request)
        row = await run_in_threadpool(ws.get, user, request.path_params["sid"])
        found = await run_in_threadpool(ws.assess, row)
        if part == "check":
            return json_response(found.check())
        body = found.score() if part == "score" else found.evidence()
        if body is None:
            return json_response(found.check(), 422)
        return json_response(body)

    return handler


async def output(request: Request) -> Response:
    """GET /api/submissions/SID/outputs/NAME: one §8 build output (or report.pdf /
    missing-evidence.pdf when LibreOffice is there)."""
    user = await current_user(request)
    ws = _ws(request)
    name = request.path_params["name"]
    if name not in OUTPUT_NAMES and name not in PDF_OUTPUTS:
        names = ENUM_COMMA.join((*OUTPUT_NAMES, *PDF_OUTPUTS))
        raise WebError(404, "unknown_output", name=name, names=names)
    row = await run_in_threadpool(ws.get, user, request.path_params["sid"])
    if name in PDF_OUTPUTS:
        files = await run_in_threadpool(ws.pdfs, row)
    else:
        files = await run_in_threadpool(ws.outputs, row)
    return bodies.download(files[name], name, inline=False)


async def export(request: Request) -> Response:
    """GET /api/submissions/SID/export.zip: the canonical folder as a zip."""
    user = await current_user(request)
    ws = _ws(request)
    row = await run_in_threadpool(ws.get, user, request.path_params["sid"])
    data = await run_in_threadpool(export_zip, ws, row)
    return bodies.download(data, f"{bodies.download_stem(row)}.zip", inline=False)


@reads_form
async def import_submission(request: Request) -> Response:
    """POST /api/submissions/import (multipart ``file``: a zip of a submission folder, or an
    answers file) → 201 {"id"}."""
    user = await current_user(request)
    ws = _ws(request)
    form = await bodies.multipart(request, ws.settings.max_submission_bytes)
    name, data = form.file()
    row = await run_in_threadpool(import_zip, ws, user, name, data)
    return json_response({"id": row.id, **submission_object(row, with_answers=False)}, 201)


def _transition(name: str) -> Handler:
    """Returns the handler of one workflow step (SPEC §11); 200 with the submission object."""
    from docgen.web import workflow

    async def handler(request: Request) -> Response:
        user = await current_user(request)
        ws = _ws(request)
        sid = request.path_params["sid"]
        if name == "commitment":
            row = await run_in_threadpool(workflow.accept_commitment, ws, user, sid)
        elif name == "submit":
            row = await run_in_threadpool(workflow.submit, ws, user, sid)
        elif name == "accept":
            row = await run_in_threadpool(workflow.accept_submission, ws, user, sid)
        else:
            body = await bodies.json_object(request, 64 * 1024)
            if name == "return":
                reason = body.get("reason")
                if not isinstance(reason, str):
                    raise WebError(400, "reason_missing")
                row = await run_in_threadpool(workflow.return_submission, ws, user, sid, reason)
            else:
                file, accepted, reason = body.get("file"), body.get("accepted"), body.get("reason", "")
                if not isinstance(file, str) or not isinstance(accepted, bool) or not isinstance(reason, str):
                    raise WebError(400, "bad_ruling")
                row = await run_in_threadpool(workflow.rule_file, ws, user, sid, file, accepted, reason)
        return json_response(submission_object(row))

    return handler


def review_args(request: Request, user: models.User) -> tuple[Fraction | None, int | None]:
    """Returns the desk's threshold and quota, their text bounded before it becomes a number;
    only a reviewer's are read (403 for anyone else, whatever the query holds)."""
    require_reviewer(user)
    query = request.query_params
    try:
        threshold = Fraction(read_decimal(query["threshold"])) if query.get("threshold") else None
        given = query.get("quota") or ""
        quota = int(given) if given and len(given) <= MAX_QUOTA_DIGITS else None
        if given and quota is None:
            raise NotANumber(given)
    except (NotANumber, ValueError):
        raise WebError(400, "bad_review_query") from None
    if (threshold is not None and threshold < 0) or (quota is not None and quota < 0):
        raise WebError(400, "bad_review_query")
    return threshold, quota


async def review(request: Request) -> Response:
    """GET /api/programs/ID/review[?threshold=&quota=]: the §8 review object of the desk."""
    from docgen.web.review_desk import desk_answer

    user = await current_user(request)
    threshold, quota = review_args(request, user)
    answer = await run_in_threadpool(
        desk_answer, _ws(request), user, request.path_params["program"], threshold, quota
    )
    return Response(answer.body, media_type="application/json")  # json_response's bytes, kept


async def review_summary(request: Request) -> Response:
    """GET /api/programs/ID/review/NAME: the 汇总表 (.docx, .xlsx, .csv) of the desk, or
    评审材料.zip: the reviewed submissions' folders with that 汇总表 (review_zip.py)."""
    from docgen.web.review_desk import desk_review, summary_download
    from docgen.web.review_zip import ZIP_NAME, chunks, review_zip

    user = await current_user(request)
    threshold, quota = review_args(request, user)
    program = request.path_params["program"]
    if request.path_params["name"] == ZIP_NAME:
        file = await run_in_threadpool(review_zip, _ws(request), user, program, threshold, quota)
        return StreamingResponse(
            iterate_in_threadpool(chunks(file)),
            media_type="application/zip",
            headers={"Content-Disposition": bodies.disposition(f"{program}-{ZIP_NAME}", inline=False)},
        )
    result = await run_in_threadpool(desk_review, _ws(request), user, program, threshold, quota)
    name = request.path_params["name"]
    data = await run_in_threadpool(summary_download, result, name)
    return bodies.download(data, name, inline=False)


async def correction(request: Request) -> Response:
    """GET /api/submissions/SID/correction-notice.docx: the 补正通知 of a returned submission."""
    from docgen.web import workflow

    user = await current_user(request)
    data = await run_in_threadpool(workflow.correction_notice, _ws(request), user, request.path_params["sid"])
    return bodies.download(data, WEB_TEXT["api.correction"], inline=False)


async def audit(request: Request) -> Response:
    """GET /api/audit (admin): the audit log; ``?format=csv`` as CSV."""
    from docgen.outputs.summary_csv import csv_cell
    from docgen.web import workflow

    user = await current_user(request)
    entries = await run_in_threadpool(workflow.audit_entries, _ws(request), user)
    if request.query_params.get("format") == "csv":
        import csv
        import io

        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, ["at", "user", "action", "submission", "before", "after", "detail"])
        writer.writeheader()
        for entry in entries:
            writer.writerow({k: csv_cell(v) for k, v in entry.items()})
        return bodies.download(("\ufeff" + buffer.getvalue()).encode("utf-8"), "audit.csv", inline=False)
    return json_response(entries)


async def admin_users(request: Request) -> Response:
    """GET /api/admin/users: every account (admin only; no password hash)."""
    from docgen.web.admin import accounts

    user = await current_user(request)
    return json_response(await run_in_threadpool(accounts, _ws(request), user))


async def admin_add_user(request: Request) -> Response:
    """POST /api/admin/users {"name", "role", "password", "region"?, "programs"?} → 201."""
    from docgen.web.admin import create_account, require_admin

    user = await current_user(request)
    require_admin(user)
    body = await bodies.json_object(request, 64 * 1024)
    texts = [body.get(k, "" if k == "region" else None) for k in ("name", "role", "password", "region")]
    programs = body.get("programs", [])
    if not all(isinstance(t, str) for t in texts) or not isinstance(programs, list):
        raise WebError(400, "bad_account")
    if not all(isinstance(p, str) for p in programs):
        raise WebError(400, "bad_account")
    name, role, password, region = (str(t) for t in texts)
    made = await run_in_threadpool(
        create_account, _ws(request), user, name, role, password, region, tuple(programs)
    )
    return json_response({"name": made.name, "role": made.role, "region": made.region}, 201)


async def extend(request: Request) -> Response:
    """POST /api/programs/ID/deadline {"until": "YYYY-MM-DD", "reason"} (admin): the deadline
    extended; 200 {"program", "deadline"}."""
    from docgen.web.admin import extend_deadline, require_admin

    user = await current_user(request)
    require_admin(user)
    body = await bodies.json_object(request, 64 * 1024)
    until, reason = body.get("until"), body.get("reason", "")
    if not isinstance(until, str) or not isinstance(reason, str):
        raise WebError(400, "bad_deadline_body")
    program = request.path_params["program"]
    day = await run_in_threadpool(extend_deadline, _ws(request), user, program, until, reason)
    return json_response({"program": program, "deadline": day.isoformat()})


def routes() -> list[Route]:
    """Returns the API's routes."""
    sid = "/api/submissions/{sid}"
    return [
        Route("/api/programs", programs, methods=["GET"]),
        Route("/api/session", session, methods=["GET"]),
        Route("/api/login", login, methods=["POST"]),
        Route("/api/logout", logout, methods=["POST"]),
        Route("/api/submissions", listing, methods=["GET"]),
        Route("/api/submissions", create, methods=["POST"]),
        Route("/api/submissions/import", import_submission, methods=["POST"]),
        Route(sid, one, methods=["GET"]),
        Route(f"{sid}/answers", put_answers, methods=["PUT"]),
        Route(f"{sid}/files", upload, methods=["POST"]),
        Route(f"{sid}/files/{{path:path}}", get_file, methods=["GET"]),
        Route(f"{sid}/files/{{path:path}}", remove_file, methods=["DELETE"]),
        Route(f"{sid}/check", _assessed("check"), methods=["GET"]),
        Route(f"{sid}/score", _assessed("score"), methods=["GET"]),
        Route(f"{sid}/evidence", _assessed("evidence"), methods=["GET"]),
        Route(f"{sid}/outputs/{{name}}", output, methods=["GET"]),
        Route(f"{sid}/export.zip", export, methods=["GET"]),
        *(
            Route(f"{sid}/{step}", _transition(step), methods=["POST"])
            for step in ("commitment", "submit", "return", "accept", "rulings")
        ),
        Route(f"{sid}/correction-notice.docx", correction, methods=["GET"]),
        Route("/api/audit", audit, methods=["GET"]),
        Route("/api/admin/users", admin_users, methods=["GET"]),
        Route("/api/admin/users", admin_add_user, methods=["POST"]),
        Route("/api/programs/{program}/deadline", extend, methods=["POST"]),
        Route("/api/programs/{program}/review", review, methods=["GET"]),
        Route("/api/programs/{program}/review/{name}", review_summary, methods=["GET"]),
    ]
