"""The pages' HTML for every shipped example, to compare two trees (issue #21, point 7: making
the pages cheaper must not change what they show).

Run with each tree's code first on the path, then compare the two folders:
    PYTHONPATH=/work/main python benchmarks/pages_html.py OUT_MAIN
    PYTHONPATH=$PWD python benchmarks/pages_html.py OUT_BRANCH
    diff -r OUT_MAIN OUT_BRANCH
For each example: an empty submission and the example imported, as the enterprise sees them (首页,
the workspace, its live parts), then — where it can be submitted — submitted, seen by the reviewer
(with a ruling 不予认可) with the review desk's page and API, returned and seen by the enterprise again; the local workspace's pages
too. The server's clock and submission ids are made deterministic (a clock that ticks a second a
call, ids counted), so the lists sort alike; ids, CSRF tokens and times are then replaced by
placeholders.
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from starlette.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # after PYTHONPATH: the tree under comparison is the one it names
from tests.web_helpers import EXAMPLES, PROGRAMS, zip_folder  # noqa: E402

PASSWORD = "correct horse battery"
ENTERPRISE = "9151050479184265X8"
TIME = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?(\.\d+)?Z?")
TOKEN = re.compile(r"[0-9a-f]{64}")


class Pages:
    """The pages written so far, normalised."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.sids: dict[str, str] = {}

    def write(self, name: str, html: str) -> None:
        for sid, label in self.sids.items():
            html = html.replace(sid, label)
        html = TIME.sub("TIME", TOKEN.sub("TOKEN", html))
        (self.out / f"{name}.html").write_text(html, "utf-8")

    def sid(self, sid: str) -> str:
        self.sids[sid] = f"SID{len(self.sids) + 1}"
        return sid


def login(app: object, name: str) -> tuple[TestClient, dict[str, str]]:
    client = TestClient(app, base_url="https://docgen.example.gov.cn")  # type: ignore[arg-type]
    answer = client.post("/api/login", json={"username": name, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return client, {"X-CSRF-Token": answer.json()["csrf_token"]}


def get(client: TestClient, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
    return answer.text


def platform(pages: Pages, data: Path) -> None:
    from docgen.web.accounts import add_user
    from docgen.web.app import create_app
    from docgen.web.settings import Settings

    app = create_app(Settings(data=data, platform=True))
    ws = app.state.workspace
    add_user(ws, ENTERPRISE, "enterprise", PASSWORD, region="泸州市龙马潭区")
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="")
    a, h = login(app, ENTERPRISE)
    r, rh = login(app, "reviewer")
    for program in PROGRAMS:
        empty = pages.sid(a.post("/api/submissions", json={"program": program}, headers=h).json()["id"])
        pages.write(f"platform-{program}-empty", get(a, f"/submissions/{empty}"))
        pages.write(f"platform-{program}-empty-live", get(a, f"/submissions/{empty}/live"))
        made = a.post(
            "/api/submissions/import", files={"file": ("a.zip", zip_folder(EXAMPLES / program))}, headers=h
        )
        sid = pages.sid(made.json()["id"])
        pages.write(f"platform-{program}-filled", get(a, f"/submissions/{sid}"))
        pages.write(f"platform-{program}-filled-live", get(a, f"/submissions/{sid}/live"))
        evidence = EXAMPLES / program / "evidence"
        if program == "luzhou-etc-2023":  # the one document the example lacks
            a.post(
                f"/api/submissions/{sid}/files",
                files={"file": ("现金流量表.pdf", (evidence / "利润表.pdf").read_bytes())},
                data={"path": "evidence/现金流量表.pdf"},
                headers=h,
            )
            pages.write(f"platform-{program}-completed", get(a, f"/submissions/{sid}"))
        a.post(f"/api/submissions/{sid}/commitment", headers=h)
        if a.post(f"/api/submissions/{sid}/submit", headers=h).status_code != 200:
            continue
        pages.write(f"platform-{program}-submitted", get(a, f"/submissions/{sid}"))
        pages.write(f"platform-{program}-reviewer", get(r, f"/submissions/{sid}"))
        files = a.get(f"/api/submissions/{sid}").json()["files"]
        if files:
            ruling = {"file": files[0]["path"], "accepted": False, "reason": "未加盖公章"}
            assert r.post(f"/api/submissions/{sid}/rulings", json=ruling, headers=rh).status_code == 200
            pages.write(f"platform-{program}-reviewer-ruled", get(r, f"/submissions/{sid}"))
        pages.write(f"platform-{program}-desk", get(r, f"/review/{program}"))
        pages.write(f"platform-{program}-desk-api", get(r, f"/api/programs/{program}/review"))
        returned = r.post(f"/api/submissions/{sid}/return", json={"reason": "请补充材料。"}, headers=rh)
        assert returned.status_code == 200, returned.text
        pages.write(f"platform-{program}-returned", get(a, f"/submissions/{sid}"))
    pages.write("platform-home-enterprise", get(a, "/"))
    pages.write("platform-home-reviewer", get(r, "/"))


def local(pages: Pages, data: Path) -> None:
    from docgen.web.app import create_app
    from docgen.web.settings import Settings

    client = TestClient(create_app(Settings(data=data)), base_url="http://127.0.0.1:8000")
    h = {"X-CSRF-Token": client.get("/api/session").json()["csrf_token"]}
    for program in PROGRAMS:
        empty = pages.sid(client.post("/api/submissions", json={"program": program}, headers=h).json()["id"])
        pages.write(f"local-{program}-empty", get(client, f"/submissions/{empty}"))
        made = client.post(
            "/api/submissions/import", files={"file": ("a.zip", zip_folder(EXAMPLES / program))}, headers=h
        )
        sid = pages.sid(made.json()["id"])
        pages.write(f"local-{program}-filled", get(client, f"/submissions/{sid}"))
        edited = client.post(
            f"/submissions/{sid}/edit",
            data={"op": "set", "path": '["profile", "company"]', "value": "某某公司"},
            headers=h,
        )
        pages.write(f"local-{program}-edited-parts", edited.text)
        pages.write(f"local-{program}-edited", get(client, f"/submissions/{sid}"))
    pages.write("local-home", get(client, "/"))


def deterministic() -> None:
    """Makes the server's clock and its submission ids the same in every run."""
    import datetime as dt
    import itertools
    import types

    from docgen.web import accounts, admin, workflow, workspace

    ticks = itertools.count()
    start = dt.datetime(2026, 12, 1, 8, 0, 0)

    def now() -> dt.datetime:
        return start + dt.timedelta(seconds=next(ticks))

    ids = itertools.count(1)
    for module in (workspace, accounts, admin, workflow):
        module.now = now  # type: ignore[attr-defined]
    workspace.secrets = types.SimpleNamespace(token_hex=lambda n: f"{next(ids):0{2 * n}x}")  # type: ignore[attr-defined]


def main() -> None:
    deterministic()
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    pages = Pages(out)
    with tempfile.TemporaryDirectory() as folder:
        platform(pages, Path(folder) / "platform")
        local(pages, Path(folder) / "local")
    import docgen

    print(f"{len(list(out.glob('*.html')))} pages of {Path(docgen.__file__).parent} written to {out}")


if __name__ == "__main__":
    main()
