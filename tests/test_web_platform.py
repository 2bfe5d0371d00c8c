"""Platform mode (SPEC §11), the accounts part: sign-in, lock-out, sessions, CSRF per session,
who sees what — each point tried by the wrong user."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from docgen.cli.main import cli
from docgen.web.accounts import add_user
from docgen.web.app import create_app
from docgen.web.settings import Settings
from tests.web_helpers import EXAMPLES, other_enterprise_code, zip_folder

A = "9151050479184265X8"  # the Luzhou example's 统一社会信用代码 (valid check digits)
PASSWORD = "correct horse battery"


@pytest.fixture
def platform(tmp_path: Path):
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    add_user(ws, A, "enterprise", PASSWORD, region="泸州市龙马潭区")
    add_user(ws, other_enterprise_code(), "enterprise", PASSWORD, region="泸州市江阳区")
    add_user(ws, "luzhou-reviewer", "reviewer", PASSWORD, region="泸州市", programs=("luzhou-etc-2023",))
    add_user(ws, "gansu-reviewer", "reviewer", PASSWORD, region="甘肃省")
    add_user(ws, "admin", "admin", PASSWORD)
    return app


def _client(app) -> TestClient:
    return TestClient(app, base_url="https://docgen.example.gov.cn")


def _login(app, name: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    client = _client(app)
    answer = client.post("/api/login", json={"username": name, "password": password})
    assert answer.status_code == 200, answer.text
    return client, answer.json()["csrf_token"]


def test_sign_in_sets_a_strict_httponly_cookie(platform):
    """ensures signing in answers the user, role and a token, and sets the session cookie
    HttpOnly, SameSite=Strict and Secure (HTTPS), never echoing the password."""
    client = _client(platform)
    answer = client.post("/api/login", json={"username": A, "password": PASSWORD})
    assert answer.status_code == 200
    assert answer.json()["user"] == A
    assert answer.json()["role"] == "enterprise"
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert "Secure" in cookie
    assert PASSWORD not in answer.text
    assert client.get("/api/session").json()["user"] == A


def test_without_a_session_nothing_is_shown(platform):
    """ensures the API answers 401 and the pages send to /login without a session; the program
    list stays public."""
    client = _client(platform)
    assert client.get("/api/submissions").status_code == 401
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login"
    assert client.get("/api/programs").status_code == 200
    assert "登录" in client.get("/login").text


def test_wrong_passwords_lock_that_account_only(platform):
    """ensures five wrong passwords within 15 minutes lock that account (429, even with the right
    password), while another account signs in as usual."""
    client = _client(platform)
    for _ in range(5):
        wrong = client.post("/api/login", json={"username": A, "password": "wrong password!"})
        assert wrong.status_code == 401
        assert wrong.json()["error"]["message"] == "账号或密码不正确。"
    locked = client.post("/api/login", json={"username": A, "password": PASSWORD})
    assert locked.status_code == 429
    assert "分钟后再试" in locked.json()["error"]["message"]
    _login(platform, "luzhou-reviewer")


def test_an_unknown_name_answers_as_a_wrong_password(platform):
    """ensures an account that does not exist is answered exactly as a wrong password."""
    answer = _client(platform).post("/api/login", json={"username": "nobody", "password": PASSWORD})
    assert answer.status_code == 401
    assert answer.json()["error"]["message"] == "账号或密码不正确。"


def test_the_session_token_is_the_sessions_own(platform):
    """ensures a state change needs the token of this session: the local or anonymous token, or
    another session's, is refused."""
    a, token_a = _login(platform, A)
    _b, token_b = _login(platform, other_enterprise_code())
    assert token_a != token_b
    refused = a.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers={"X-CSRF-Token": token_b}
    )
    assert refused.status_code == 403
    made = a.post("/api/submissions", json={"program": "luzhou-etc-2023"}, headers={"X-CSRF-Token": token_a})
    assert made.status_code == 201


def test_another_enterprise_sees_nothing_of_a_submission(platform):
    """ensures enterprise B gets 404 on every route of A's submission, and does not list it."""
    a, token = _login(platform, A)
    imported = a.post(
        "/api/submissions/import",
        files={"file": ("a.zip", zip_folder(EXAMPLES / "luzhou-etc-2023"))},
        headers={"X-CSRF-Token": token},
    )
    assert imported.status_code == 201
    sid = imported.json()["id"]
    b, token_b = _login(platform, other_enterprise_code())
    assert b.get("/api/submissions").json() == []
    for path in (
        "",
        "/check",
        "/score",
        "/evidence",
        "/outputs/report.docx",
        "/export.zip",
        "/files/evidence/承诺书.pdf",
    ):
        assert b.get(f"/api/submissions/{sid}{path}").status_code == 404, path
    put = b.put(
        f"/api/submissions/{sid}/answers",
        json={"program": "luzhou-etc-2023"},
        headers={"X-CSRF-Token": token_b},
    )
    assert put.status_code == 404
    assert b.get(f"/submissions/{sid}").status_code == 404
    assert a.get(f"/api/submissions/{sid}").status_code == 200


def test_a_reviewer_sees_no_draft_and_never_writes(platform):
    """ensures a reviewer sees no draft (404), and cannot create or change submissions."""
    a, token = _login(platform, A)
    sid = a.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers={"X-CSRF-Token": token}
    ).json()["id"]
    reviewer, rtoken = _login(platform, "luzhou-reviewer")
    assert reviewer.get(f"/api/submissions/{sid}").status_code == 404
    assert reviewer.get("/api/submissions").json() == []
    made = reviewer.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers={"X-CSRF-Token": rtoken}
    )
    assert made.status_code == 403


def test_reviewer_visibility_follows_region_and_programs(platform):
    """ensures a submitted submission is seen by the reviewer of its region prefix and program,
    not by one of another region, and the reviewer cannot change it."""
    a, token = _login(platform, A)
    sid = a.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers={"X-CSRF-Token": token}
    ).json()["id"]
    ws = platform.state.workspace
    with ws.sessions.begin() as s:  # the submit workflow is not built yet: mark it submitted
        from docgen.web import models

        s.get(models.Submission, sid).status = "submitted"
    luzhou, ltoken = _login(platform, "luzhou-reviewer")
    assert luzhou.get(f"/api/submissions/{sid}").status_code == 200
    assert [r["id"] for r in luzhou.get("/api/submissions").json()] == [sid]
    put = luzhou.put(
        f"/api/submissions/{sid}/answers",
        json={"program": "luzhou-etc-2023"},
        headers={"X-CSRF-Token": ltoken},
    )
    assert put.status_code == 404
    gansu, _ = _login(platform, "gansu-reviewer")
    assert gansu.get(f"/api/submissions/{sid}").status_code == 404
    edit = a.put(
        f"/api/submissions/{sid}/answers",
        json={"program": "luzhou-etc-2023"},
        headers={"X-CSRF-Token": token},
    )
    assert edit.status_code == 409
    assert "已提交" in edit.json()["error"]["message"]


def test_sign_out_ends_the_session(platform):
    """ensures after signing out the old cookie no longer works."""
    client, token = _login(platform, A)
    cookie = client.cookies.get("docgen_session")
    assert client.post("/api/logout", headers={"X-CSRF-Token": token}).status_code == 204
    again = _client(platform)
    again.cookies.set("docgen_session", cookie)
    assert again.get("/api/submissions").status_code == 401


def test_no_password_or_token_in_clear_on_disk(platform, tmp_path: Path):
    """ensures the database holds Argon2id hashes and token digests, never a password or a
    cookie token."""
    client, _ = _login(platform, A)
    cookie = client.cookies.get("docgen_session")
    raw = (tmp_path / "data" / "docgen.db").read_bytes()
    for wal in (tmp_path / "data").glob("docgen.db-wal"):
        raw += wal.read_bytes()
    assert PASSWORD.encode() not in raw
    assert cookie.encode() not in raw
    with sqlite3.connect(tmp_path / "data" / "docgen.db") as db:
        hashes = [h for (h,) in db.execute("select password_hash from users")]
    assert all(h.startswith("$argon2id$") for h in hashes)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("9151050479184265X9", "校验码（第 18 位）"),
        ("915105047918426", "18 位"),
        ("9151050479184265I8", "字符"),
    ],
)
def test_users_add_checks_the_credit_code(tmp_path: Path, name: str, problem: str):
    """ensures `docgen users add` refuses an enterprise name that is no valid 统一社会信用代码
    (exit 1, Chinese message naming what is wrong) and accepts a valid one."""
    secret = tmp_path / "pw"
    secret.write_text(PASSWORD + "\n", "utf-8")
    args = [
        "users",
        "add",
        name,
        "--role",
        "enterprise",
        "--data",
        str(tmp_path / "d"),
        "--password-file",
        str(secret),
    ]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert problem in result.output
    ok = CliRunner().invoke(cli, ["users", "add", A, *args[3:]])
    assert ok.exit_code == 0, ok.output
    assert A in ok.output
