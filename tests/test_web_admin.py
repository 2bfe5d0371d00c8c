"""The admin's pages and API (SPEC §11): accounts listed and created, a program's deadline
extended past the notice's day — each tried by the wrong user, each in the audit log."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from docgen.definitions.load import load_catalog_from
from docgen.web.accounts import add_user
from docgen.web.app import create_app
from docgen.web.settings import Settings
from tests.test_web_workflow import PASSWORD, A
from tests.web_helpers import ROOT, complete_luzhou

BASE = "https://docgen.example.gov.cn"


def _app(tmp_path: Path, closes: str | None = None):
    catalog = None
    if closes:
        root = tmp_path / "definitions"
        for name in ("programs", "outlines", "checklists"):
            shutil.copytree(ROOT / name, root / name)
        path = root / "programs" / "luzhou-etc-2023.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("\nplatform:\n", f"\nplatform:\n  closes: {closes}\n", 1), encoding="utf-8"
        )
        catalog = load_catalog_from(root / "programs", root / "outlines", root / "checklists")
    app = create_app(Settings(data=tmp_path / "data", platform=True), catalog)
    ws = app.state.workspace
    add_user(ws, A, "enterprise", PASSWORD, region="泸州市龙马潭区")
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="泸州市")
    add_user(ws, "admin", "admin", PASSWORD)
    return app


def _login(app, name: str, password: str = PASSWORD) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(app, base_url=BASE)
    answer = client.post("/api/login", json={"username": name, "password": password})
    assert answer.status_code == 200, answer.text
    return client, {"X-CSRF-Token": answer.json()["csrf_token"]}


def test_the_admin_lists_and_creates_accounts(tmp_path: Path):
    """ensures the admin lists every account without any password hash, creates one that can
    sign in at once, and the creation is in the audit log with who made it."""
    app = _app(tmp_path)
    admin, h = _login(app, "admin")
    listed = admin.get("/api/admin/users")
    assert listed.status_code == 200
    assert [u["name"] for u in listed.json()] == [A, "reviewer", "admin"]
    assert "argon2" not in listed.text
    assert "password" not in listed.text
    made = admin.post(
        "/api/admin/users",
        json={
            "name": "审核员李四",
            "role": "reviewer",
            "password": "a long password",
            "region": "泸州市",
            "programs": ["luzhou-etc-2023"],
        },
        headers=h,
    )
    assert made.status_code == 201, made.text
    assert made.json() == {"name": "审核员李四", "role": "reviewer", "region": "泸州市"}
    _login(app, "审核员李四", "a long password")
    audit = admin.get("/api/audit").json()
    made_entry = next(e for e in audit if e["action"] == "account_add")
    assert (made_entry["user"], made_entry["detail"]) == ("admin", "审核员李四（评审人员）")


@pytest.mark.parametrize("who", [A, "reviewer"])
def test_no_one_but_the_admin_manages_accounts_or_deadlines(tmp_path: Path, who: str):
    """ensures an enterprise or a reviewer is refused (403) listing or creating accounts,
    extending a deadline and the admin page, and nothing is made."""
    app = _app(tmp_path)
    client, h = _login(app, who)
    assert client.get("/api/admin/users").status_code == 403
    body = {"name": "x-admin", "role": "admin", "password": "a long password"}
    assert client.post("/api/admin/users", json=body, headers=h).status_code == 403
    extend = {"until": "2099-01-01", "reason": "延期"}
    assert client.post("/api/programs/luzhou-etc-2023/deadline", json=extend, headers=h).status_code == 403
    assert client.get("/admin").status_code == 403
    page = client.post("/admin/users", data={"csrf_token": h["X-CSRF-Token"], **body})
    assert page.status_code == 403
    admin, _ = _login(app, "admin")
    assert "x-admin" not in [u["name"] for u in admin.get("/api/admin/users").json()]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "x", "role": "reviewer"}, "请求体应为 JSON 对象"),
        ({"name": "123", "role": "enterprise", "password": "a long password"}, "统一社会信用代码"),
        ({"name": "x", "role": "reviewer", "password": "short"}, "密码"),
        ({"name": "admin", "role": "admin", "password": "a long password"}, "已存在"),
    ],
)
def test_a_bad_account_is_a_clear_400(tmp_path: Path, body: dict, message: str):
    """ensures a missing password, an invalid credit code, a short password or a taken name is
    refused with a Chinese message naming the problem."""
    app = _app(tmp_path)
    admin, h = _login(app, "admin")
    answer = admin.post("/api/admin/users", json=body, headers=h)
    assert answer.status_code in (400, 409)
    assert message in answer.json()["error"]["message"]


def test_a_deadline_extension_reopens_submission(tmp_path: Path):
    """ensures a program closed on its notice's day (2020-01-01) refuses a submission (409
    closed), the admin's extension to a later day lets the same submission through, and the
    extension with its reason is in the audit log and on the admin page."""
    app = _app(tmp_path, closes="2020-01-01")
    a, h = _login(app, A)
    sid = complete_luzhou(a, h)
    assert a.post(f"/api/submissions/{sid}/commitment", headers=h).status_code == 200
    closed = a.post(f"/api/submissions/{sid}/submit", headers=h)
    assert closed.status_code == 409
    assert closed.json()["error"]["code"] == "closed"
    assert "2020-01-01" in closed.json()["error"]["message"]
    admin, ah = _login(app, "admin")
    extended = admin.post(
        "/api/programs/luzhou-etc-2023/deadline",
        json={"until": "2099-12-31", "reason": "系统故障顺延"},
        headers=ah,
    )
    assert extended.status_code == 200
    assert extended.json() == {"program": "luzhou-etc-2023", "deadline": "2099-12-31"}
    submitted = a.post(f"/api/submissions/{sid}/submit", headers=h)
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["status"] == "submitted"
    entry = next(e for e in admin.get("/api/audit").json() if e["action"] == "deadline_extend")
    assert entry["detail"] == "泸州市企业技术中心认定评价：2020-01-01 → 2099-12-31；系统故障顺延"
    page = admin.get("/admin").text
    assert "系统故障顺延" in page
    assert "2099-12-31" in page
    assert "延长截止日期" in page


@pytest.mark.parametrize(
    ("until", "reason", "message"),
    [
        ("2019-12-31", "提前", "早于今天"),
        ("0630-02-03", "延期", "早于今天"),
        ("明年", "延期", "应写作 YYYY-MM-DD"),
        ("2099-01-01", "  ", "理由"),
    ],
)
def test_a_bad_extension_is_refused(tmp_path: Path, until: str, reason: str, message: str):
    """ensures an extension before the notice's day, a day that is no date, or one without a
    reason is refused with its message and changes nothing."""
    app = _app(tmp_path, closes="2020-01-01")
    admin, h = _login(app, "admin")
    answer = admin.post(
        "/api/programs/luzhou-etc-2023/deadline", json={"until": until, "reason": reason}, headers=h
    )
    assert answer.status_code == 400
    assert message in answer.json()["error"]["message"]
    assert all(e["action"] != "deadline_extend" for e in admin.get("/api/audit").json())


def test_the_admin_page_creates_an_account_and_extends_by_form(tmp_path: Path):
    """ensures the admin page's forms (CSRF field, no header) create an account and extend a
    deadline, the page saying what was done, and a bad form shows its message on the page."""
    app = _app(tmp_path, closes="2020-01-01")
    admin, h = _login(app, "admin")
    token = h["X-CSRF-Token"]
    page = admin.get("/admin")
    assert page.status_code == 200
    assert re.search(r'<label for="new-name">账号</label>', page.text)
    made = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "role": "reviewer",
            "name": "王五",
            "password": "a long password",
            "region": "泸州市",
            "programs": "luzhou-etc-2023",
        },
    )
    assert made.status_code == 200  # after the redirect to /admin?added=王五 (a reload repeats nothing)
    assert made.url.path == "/admin"
    assert "已新建账号 王五。" in made.text
    assert "<td>王五</td><td>评审人员</td>" in made.text
    bad = admin.post(
        "/admin/deadline",
        data={"csrf_token": token, "program": "luzhou-etc-2023", "until": "2019-01-01", "reason": "x"},
    )
    assert bad.status_code == 400
    assert "早于今天" in bad.text
    done = admin.post(
        "/admin/deadline",
        data={"csrf_token": token, "program": "luzhou-etc-2023", "until": "2030-06-30", "reason": "顺延"},
    )
    assert done.status_code == 200
    assert done.url.path == "/admin"
    assert "截止日期已延长至 2030-06-30" in done.text
    assert (
        "截止日期已延长" not in admin.get("/admin?extended=national-etc-2021").text
    )  # says only what was done
    assert (
        admin.post(
            "/admin/deadline", data={"program": "luzhou-etc-2023", "until": "2031-01-01", "reason": "x"}
        ).status_code
        == 403
    )


def test_an_extension_cannot_move_the_notices_day_earlier(tmp_path: Path):
    """ensures an "extension" to a day before the notice's own (2099-06-01) is refused: the admin
    extends, never shortens, what the notice published."""
    app = _app(tmp_path, closes="2099-06-01")
    admin, h = _login(app, "admin")
    answer = admin.post(
        "/api/programs/luzhou-etc-2023/deadline", json={"until": "2099-01-01", "reason": "x"}, headers=h
    )
    assert answer.status_code == 400
    assert "早于通知规定的 2099-06-01：延长只能推后" in answer.json()["error"]["message"]
