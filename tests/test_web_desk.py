"""The review desk from the cache (SPEC §11, #21): the desk's review is `docgen review`'s over
the submissions a reviewer sees, yet a request lays out only what changed since the last one."""

from __future__ import annotations

import json
import shutil
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from docgen.app import rescore_cache
from docgen.app.review import review_folder
from docgen.outputs.summary import review_json
from docgen.web import models, review_desk
from docgen.web.accounts import add_user
from docgen.web.api import json_response
from docgen.web.app import create_app
from docgen.web.settings import Settings
from docgen.web.workflow import rulings
from tests.web_helpers import EXAMPLES, PLATFORM_PASSWORD, complete_luzhou, platform_login

A = "9151050479184265X8"
PASSWORD = PLATFORM_PASSWORD
PROGRAM = "luzhou-etc-2023"
EVIDENCE = EXAMPLES / PROGRAM / "evidence"
DESK = f"/api/programs/{PROGRAM}/review"


@pytest.fixture
def app(tmp_path: Path):
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    add_user(ws, A, "enterprise", PASSWORD, region="泸州市龙马潭区")
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="泸州市", programs=(PROGRAM,))
    return app


@pytest.fixture
def laid_out(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the submissions the desk lays out as folders, in order."""
    seen: list[str] = []
    real = review_desk._lay_out

    def counting(ws, row, rejected, target):
        seen.append(row.id)
        real(ws, row, rejected, target)

    monkeypatch.setattr(review_desk, "_lay_out", counting)
    forget_desk()  # a fresh server process
    return seen


def forget_desk() -> None:
    """Empties what a server process keeps of the desk (another worker process starts so)."""
    review_desk._reviews.clear()
    review_desk._entries.clear()
    review_desk._answers.clear()
    review_desk._texts.clear()
    rescore_cache._rescored.clear()


def _submitted(a: TestClient, h: dict[str, str]) -> str:
    sid = complete_luzhou(a, h)
    assert a.post(f"/api/submissions/{sid}/commitment", headers=h).status_code == 200
    assert a.post(f"/api/submissions/{sid}/submit", headers=h).status_code == 200
    return sid


def _reference(app, folder: Path, threshold: Fraction | None = None, quota: int | None = None):
    """`docgen review` (no cache) of the folders the reviewer's submissions make, the files
    ruled 不予认可 removed, as the desk's JSON would carry it."""
    ws = app.state.workspace
    with ws.sessions() as s:
        reviewer = s.scalar(select(models.User).where(models.User.name == "reviewer"))
    folder.mkdir()
    for row in ws.submissions(reviewer):
        target = folder / row.id
        shutil.copytree(ws.layout.folder(row), target)
        for path, ruling in rulings(ws, row.id).items():
            if not ruling.accepted:
                (target / path).unlink()
    review = review_folder(folder, PROGRAM, jobs=1, threshold=threshold, quota=quota)
    return json.loads(json_response(review_json(review)).body)


def test_the_desk_lays_out_only_what_changed(app, laid_out: list[str], tmp_path: Path):
    """ensures the desk's JSON equals `docgen review` of the laid-out submissions at every step —
    first, unchanged, after a ruling 不予认可, after a return and a changed resubmission, with a
    threshold and quota — and that each request lays out only the submissions that changed."""
    a, h = platform_login(app, A)
    first, second = sorted([_submitted(a, h), _submitted(a, h)])
    r, rh = platform_login(app, "reviewer")

    desk = r.get(DESK).json()
    assert desk == _reference(app, tmp_path / "1")
    assert sorted(laid_out) == [first, second]
    assert r.get(DESK).json() == desk
    forget_desk()  # another worker process: the entries on disk serve it
    assert r.get(DESK).json() == desk
    assert len(laid_out) == 2

    ruling = {"file": "evidence/利润表.pdf", "accepted": False, "reason": "未盖章"}
    assert r.post(f"/api/submissions/{first}/rulings", json=ruling, headers=rh).status_code == 200
    ruled = r.get(DESK).json()
    assert ruled == _reference(app, tmp_path / "2")
    assert ruled != desk
    assert laid_out[2:] == [first]

    back = r.post(f"/api/submissions/{second}/return", json={"reason": "请补正。"}, headers=rh)
    assert back.status_code == 200
    assert [e["path"] for e in r.get(DESK).json()["submissions"]] == [first]
    assert laid_out[3:] == []
    other = a.post(
        f"/api/submissions/{second}/files",
        files={"file": ("资产负债表.pdf", (EVIDENCE / "承诺书.pdf").read_bytes())},
        data={"path": "evidence/资产负债表.pdf"},
        headers=h,
    )
    assert other.status_code == 201
    assert a.post(f"/api/submissions/{second}/submit", headers=h).status_code == 200
    again = r.get(DESK).json()
    assert again == _reference(app, tmp_path / "3")
    assert laid_out[3:] == [second]

    limited = r.get(f"{DESK}?threshold=60.5&quota=1").json()
    assert limited == _reference(app, tmp_path / "4", Fraction(121, 2), 1)
    assert limited != again
    assert laid_out[4:] == []


def test_an_accepting_ruling_keeps_the_review(app, laid_out: list[str], tmp_path: Path):
    """ensures a ruling that accepts a document changes nothing the review reads (its result the
    same, nothing laid out again), and one that reverses a 不予认可 gives the first review back."""
    a, h = platform_login(app, A)
    sid = _submitted(a, h)
    r, rh = platform_login(app, "reviewer")
    desk = r.get(DESK).json()
    keep = {"file": "evidence/利润表.pdf", "accepted": True, "reason": ""}
    assert r.post(f"/api/submissions/{sid}/rulings", json=keep, headers=rh).status_code == 200
    assert r.get(DESK).json() == desk
    assert laid_out == [sid]
    drop = {"file": "evidence/利润表.pdf", "accepted": False, "reason": "未盖章"}
    assert r.post(f"/api/submissions/{sid}/rulings", json=drop, headers=rh).status_code == 200
    assert r.get(DESK).json() == _reference(app, tmp_path / "1")
    assert r.post(f"/api/submissions/{sid}/rulings", json=keep, headers=rh).status_code == 200
    assert r.get(DESK).json() == desk
    assert laid_out == [sid, sid]
