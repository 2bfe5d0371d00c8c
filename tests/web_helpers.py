"""Shared helpers of the web tests: a client over a fresh data folder, zipped examples."""

from __future__ import annotations

import io
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from starlette.testclient import TestClient

from docgen.web.app import create_app
from docgen.web.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PROGRAMS = sorted(p.name for p in EXAMPLES.iterdir() if (p / "answers.yaml").is_file())
BASE = "http://127.0.0.1:8000"


class Client:
    """A test client that knows its CSRF token."""

    def __init__(self, data: Path, **settings: object) -> None:
        self.http = TestClient(create_app(Settings(data=data, **settings)), base_url=BASE)  # type: ignore[arg-type]
        self.token = self.http.get("/api/session").json()["csrf_token"]

    def headers(self, **more: str) -> dict[str, str]:
        return {"X-CSRF-Token": self.token, **more}

    def import_example(self, program: str) -> str:
        response = self.http.post(
            "/api/submissions/import",
            files={"file": (f"{program}.zip", zip_folder(EXAMPLES / program), "application/zip")},
            headers=self.headers(),
        )
        assert response.status_code == 201, response.text
        return str(response.json()["id"])


def zip_folder(folder: Path, top: str | None = None) -> bytes:
    """Returns ``folder`` zipped with UTF-8 names under one top folder (as a user zips it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, f"{top or folder.name}/{path.relative_to(folder).as_posix()}")
    return buffer.getvalue()


POSTGRES_ADMIN_URL = os.environ.get("DOCGEN_TEST_POSTGRES_URL", "")  # CI starts a server
PLATFORM_PASSWORD = "correct horse battery"  # the test accounts' password


def platform_login(
    app: object, name: str, password: str = PLATFORM_PASSWORD
) -> tuple[TestClient, dict[str, str]]:
    """Returns a client signed in as ``name`` on a platform app (its own origin, so the Guard's
    Origin and Host checks hold) and the headers carrying its CSRF token."""
    client = TestClient(app, base_url="https://docgen.example.gov.cn")  # type: ignore[arg-type]
    answer = client.post("/api/login", json={"username": name, "password": password})
    assert answer.status_code == 200
    return client, {"X-CSRF-Token": answer.json()["csrf_token"]}


def complete_luzhou(client: TestClient, headers: dict[str, str]) -> str:
    """Returns the id of the Luzhou example imported by ``client`` and completed with the one
    document it lacks (a 现金流量表, the 利润表's PDF standing in): a submission that may be
    submitted once its 告知承诺书 is accepted."""
    evidence = EXAMPLES / "luzhou-etc-2023" / "evidence"
    sid = client.post(
        "/api/submissions/import",
        files={"file": ("a.zip", zip_folder(EXAMPLES / "luzhou-etc-2023"))},
        headers=headers,
    ).json()["id"]
    cash = client.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("现金流量表.pdf", (evidence / "利润表.pdf").read_bytes())},
        data={"path": "evidence/现金流量表.pdf"},
        headers=headers,
    )
    assert cash.status_code == 201
    return str(sid)


def other_enterprise_code() -> str:
    """Returns a second valid 统一社会信用代码 (check digits computed), another enterprise's."""
    from docgen.model.credit_code import check_character, organisation_check

    body = "MA62X4Q8"
    first17 = "91510504" + body + organisation_check(body)
    return first17 + check_character(first17)


def wait_until(condition: Callable[[], bool]) -> bool:
    """Waits (at most 30 s, looking every 10 ms) until ``condition`` holds; returns whether it
    did (for threads meeting at a point, never to time anything)."""
    for _ in range(3000):
        if condition():
            return True
        time.sleep(0.01)
    return condition()
