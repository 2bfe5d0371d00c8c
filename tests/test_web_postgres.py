"""The workspace on a real PostgreSQL server (SPEC §10–11: ``DOCGEN_DATABASE_URL``): migrations,
the example scored as the CLI scores it, concurrent edits, a failed save, accounts.

`.ci/run` starts a PostgreSQL server on a loopback port and sets ``DOCGEN_TEST_POSTGRES_URL``
(an account that may create databases); each test gets a database of its own.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web_helpers import POSTGRES_ADMIN_URL

pytestmark = pytest.mark.skipif(
    not POSTGRES_ADMIN_URL, reason="DOCGEN_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against"
)


@pytest.fixture
def database() -> Iterator[str]:
    from sqlalchemy import create_engine, text

    name = f"docgen_test_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def test_example_scores_as_the_cli_on_postgres(database: str, tmp_path: Path):
    """ensures the migrations run on PostgreSQL and an imported example scores exactly as the CLI."""
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.outputs.objects import score_json
    from tests.web_helpers import EXAMPLES, Client

    client = Client(tmp_path / "data", database_url=database)
    sid = client.import_example("luzhou-etc-2023")
    score = client.http.get(f"/api/submissions/{sid}/score").json()
    ev = evaluate_submission(open_submission(EXAMPLES / "luzhou-etc-2023"))
    assert score == score_json(ev.claimed, ev.evidenced)
    assert client.http.get("/api/submissions").json()[0]["id"] == sid
    client.http.app.state.workspace.engine.dispose()


def test_concurrent_edits_are_all_kept_on_postgres(database: str, tmp_path: Path):
    """ensures 4 threads editing one submission at once lose no edit on PostgreSQL."""
    from docgen.web.settings import Settings
    from docgen.web.submission_files import answers_data
    from docgen.web.workspace import Workspace

    ws = Workspace(Settings(data=tmp_path / "data", database_url=database))
    user = ws.local_user()
    sid = ws.create(user, "luzhou-etc-2023").id

    def worker(n: int) -> None:
        for k in range(6):

            def change(data: dict, key: str = f"f{n}_{k}", value: int = n * 100 + k) -> None:
                data.setdefault("data", {})[key] = value

            ws.edit(user, sid, change)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    data = answers_data(ws.get(user, sid))["data"]
    assert {k: v for k, v in data.items() if k.startswith("f")} == {
        f"f{n}_{k}": n * 100 + k for n in range(4) for k in range(6)
    }
    ws.engine.dispose()


def test_accounts_and_visibility_on_postgres(database: str, tmp_path: Path):
    """ensures sign-in, the lock-out and another enterprise's 404 hold on PostgreSQL."""
    from starlette.testclient import TestClient

    from docgen.web.accounts import add_user
    from docgen.web.app import create_app
    from docgen.web.settings import Settings

    app = create_app(Settings(data=tmp_path / "data", platform=True, database_url=database))
    ws = app.state.workspace
    add_user(ws, "9151050479184265X8", "enterprise", "correct horse battery", region="泸州市")
    add_user(ws, "reviewer", "reviewer", "correct horse battery", region="泸州市")
    a = TestClient(app, base_url="https://docgen.example.gov.cn")
    signed = a.post(
        "/api/login", json={"username": "9151050479184265X8", "password": "correct horse battery"}
    )
    assert signed.status_code == 200
    token = signed.json()["csrf_token"]
    sid = a.post(
        "/api/submissions", json={"program": "luzhou-etc-2023"}, headers={"X-CSRF-Token": token}
    ).json()["id"]
    r = TestClient(app, base_url="https://docgen.example.gov.cn")
    for _ in range(5):
        assert (
            r.post("/api/login", json={"username": "reviewer", "password": "wrong one!!"}).status_code == 401
        )
    assert (
        r.post("/api/login", json={"username": "reviewer", "password": "correct horse battery"}).status_code
        == 429
    )
    assert r.get(f"/api/submissions/{sid}").status_code == 401
    ws.engine.dispose()


def test_a_backup_restores_the_same_server_on_postgres(database: str, tmp_path: Path):
    """ensures the deployment guide's procedure on PostgreSQL — `docgen data backup` (pg_dump)
    and `docgen data restore` (pg_restore) into an empty database and data folder, each a
    process of its own as an operator runs them — gives a server with the same submissions,
    files, scores and checks."""
    import subprocess
    import sys

    from sqlalchemy import create_engine, text

    from tests.test_web_backup import state
    from tests.web_helpers import Client

    source = Client(tmp_path / "data", database_url=database)
    source.import_example("luzhou-etc-2023")
    before = state(source)
    source.http.app.state.workspace.engine.dispose()

    def docgen(url: str, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DOCGEN_DATABASE_URL": url}
        return subprocess.run(
            [sys.executable, "-m", "docgen", *args], env=env, capture_output=True, text=True
        )

    backed = docgen(database, "data", "backup", str(tmp_path / "b"), "--data", str(tmp_path / "data"))
    assert backed.returncode == 0, backed.stderr
    name = f"docgen_restored_{secrets.token_hex(4)}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    restored_url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    try:
        done = docgen(restored_url, "data", "restore", str(tmp_path / "b"), "--data", str(tmp_path / "n"))
        assert done.returncode == 0, done.stderr
        assert "已恢复 1 份申报" in done.stdout
        again = Client(tmp_path / "n", database_url=restored_url)
        assert state(again) == before
        again.http.app.state.workspace.engine.dispose()
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_desk_answer_and_sign_in_on_postgres(
    database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """ensures on PostgreSQL: the desk lists what the reviewer may see (column queries), its
    answer is served to another worker from the file without reviewing, a ruling makes a new
    one; a sign-in after wrong passwords forgets them (the failures counted in one query)."""
    from starlette.testclient import TestClient

    from docgen.app import rescore_cache
    from docgen.web import review_desk
    from docgen.web.accounts import add_user
    from docgen.web.app import create_app
    from docgen.web.settings import Settings
    from tests.web_helpers import PLATFORM_PASSWORD, complete_luzhou, platform_login

    settings = Settings(data=tmp_path / "data", platform=True, database_url=database)
    app = create_app(settings)
    ws = app.state.workspace
    add_user(ws, "9151050479184265X8", "enterprise", PLATFORM_PASSWORD, region="泸州市龙马潭区")
    add_user(ws, "reviewer", "reviewer", PLATFORM_PASSWORD, region="泸州市", programs=("luzhou-etc-2023",))
    add_user(ws, "elsewhere", "reviewer", PLATFORM_PASSWORD, region="成都市")
    a, h = platform_login(app, "9151050479184265X8")
    sid = complete_luzhou(a, h)
    assert a.post(f"/api/submissions/{sid}/commitment", headers=h).status_code == 200
    assert a.post(f"/api/submissions/{sid}/submit", headers=h).status_code == 200
    desk = "/api/programs/luzhou-etc-2023/review"
    r, rh = platform_login(app, "reviewer")
    body = r.get(desk).content
    assert [e["path"] for e in r.get(desk).json()["submissions"]] == [sid]
    assert platform_login(app, "elsewhere")[0].get(desk).json()["submissions"] == []
    assert 'class="status submitted"' in r.get("/review/luzhou-etc-2023").text

    for kept in (review_desk._reviews, review_desk._entries, review_desk._answers, rescore_cache._rescored):
        kept.clear()
    other = create_app(settings)

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the desk was reviewed again")

    with monkeypatch.context() as patch:
        patch.setattr(review_desk, "review_entries", refuse)
        again = TestClient(other, base_url="https://docgen.example.gov.cn", cookies=r.cookies)
        assert again.get(desk).content == body
    ruling = {"file": "evidence/利润表.pdf", "accepted": False, "reason": "未盖章"}
    assert r.post(f"/api/submissions/{sid}/rulings", json=ruling, headers=rh).status_code == 200
    assert r.get(desk).content != body

    client = TestClient(app, base_url="https://docgen.example.gov.cn")

    def status(password: str) -> int:
        return client.post("/api/login", json={"username": "reviewer", "password": password}).status_code

    assert [status("wrong one!!") for _ in range(4)] == [401] * 4
    assert status(PLATFORM_PASSWORD) == 200
    assert [status("wrong one!!") for _ in range(4)] == [401] * 4
    assert status(PLATFORM_PASSWORD) == 200
    other.state.workspace.engine.dispose()
    ws.engine.dispose()
