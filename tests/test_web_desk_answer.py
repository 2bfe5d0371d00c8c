"""The review desk's answer kept (SPEC §11, #21): its JSON bytes are kept in the process and in
the cache folder (cache/review/desk/PROGRAM/) under the listed submissions' versions, statuses
and rulings, so another worker process answers an unchanged desk without reviewing anything; a
damaged file is ignored, only the newest answers are kept, and one review is made at a time."""

from __future__ import annotations

import json
import threading
from fractions import Fraction
from pathlib import Path

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from docgen.outputs.summary import review_json
from docgen.web import models, review_desk
from docgen.web.api import json_response
from docgen.web.app import create_app
from docgen.web.settings import Settings
from tests.test_web_desk import DESK, PROGRAM, A, _submitted, forget_desk
from tests.test_web_desk import app as app  # the fixture
from tests.web_helpers import platform_login, wait_until

PAGE = f"/review/{PROGRAM}"


@pytest.fixture
def reviews(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The programs the desk reviews (review_entries called), in order; nothing kept before."""
    seen: list[str] = []
    real = review_desk.review_entries

    def counting(program_id, *args, **kwargs):
        seen.append(program_id)
        return real(program_id, *args, **kwargs)

    monkeypatch.setattr(review_desk, "review_entries", counting)
    forget_desk()
    return seen


def _answers(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "data" / "cache" / "review" / "desk" / PROGRAM).glob("*.json"))


def test_another_worker_answers_from_the_file(app, reviews: list[str], tmp_path: Path, monkeypatch):
    """ensures a fresh app on the same data folder (another worker, its memory empty) serves the
    desk's API and page from the file the first wrote — the same bytes, the same page, with the
    statuses — without reviewing; and that a second request in one process reads no file."""
    a, h = platform_login(app, A)
    _submitted(a, h)
    r, _ = platform_login(app, "reviewer")
    body = r.get(DESK).content
    page = r.get(PAGE).text
    assert reviews == [PROGRAM]
    assert [p.read_bytes() for p in _answers(tmp_path)] == [body]
    assert 'class="status submitted"' in page

    forget_desk()
    other = TestClient(
        create_app(Settings(data=tmp_path / "data", platform=True)),
        base_url="https://docgen.example.gov.cn",
        cookies=r.cookies,
    )

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the desk was reviewed again")

    monkeypatch.setattr(review_desk, "review_entries", refuse)
    assert other.get(DESK).content == body
    for path in _answers(tmp_path):
        path.unlink()  # kept in this process now: no file is read
    assert other.get(PAGE).text == page


def test_a_damaged_answer_is_ignored(app, reviews: list[str], tmp_path: Path):
    """ensures a torn or foreign file in the desk's folder is not served: the desk is reviewed
    again, its answer the same as before, and the file written again."""
    a, h = platform_login(app, A)
    _submitted(a, h)
    r, _ = platform_login(app, "reviewer")
    body = r.get(DESK).content
    foreign = body.replace(b'"program": "luzhou-etc-2023"', b'"program": "national-etc-2021"')
    assert foreign != body
    for damage in (
        body[: len(body) // 2],
        b'["not", "a review"]',
        foreign,
        b'{"program": "luzhou-etc-2023", "submissions": [1]}',
    ):
        (path,) = _answers(tmp_path)
        path.write_bytes(damage)
        forget_desk()
        assert r.get(DESK).content == body
        assert path.read_bytes() == body
    assert reviews == [PROGRAM] * 5


def test_a_change_makes_a_new_answer_and_the_newest_are_kept(
    app, reviews: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """ensures a ruling (the submission's version moves) and another threshold are answered
    anew, and that the folder keeps only the DESK_FILES_KEPT newest answers."""
    monkeypatch.setattr(review_desk, "DESK_FILES_KEPT", 2)
    a, h = platform_login(app, A)
    sid = _submitted(a, h)
    r, rh = platform_login(app, "reviewer")
    first = r.get(DESK).json()
    ruling = {"file": "evidence/利润表.pdf", "accepted": False, "reason": "未盖章"}
    assert r.post(f"/api/submissions/{sid}/rulings", json=ruling, headers=rh).status_code == 200
    ruled = r.get(DESK).json()
    assert ruled["submissions"][0]["evidenced_total"] < first["submissions"][0]["evidenced_total"]
    assert r.get(f"{DESK}?threshold=61").json()["threshold"] == 61
    assert len(reviews) == 3
    kept = _answers(tmp_path)
    assert len(kept) == 2
    assert b'"threshold": 61' in b"".join(p.read_bytes() for p in kept)
    assert r.get(DESK).json() == ruled  # kept in memory, whatever the folder holds
    assert len(reviews) == 3


def test_two_reviewers_at_once_review_once(app, reviews: list[str], monkeypatch: pytest.MonkeyPatch):
    """ensures that when two requests miss the same answer at once (two workers after a change)
    only one reviews: the other waits for it and then reads its answer — the same bytes."""
    a, h = platform_login(app, A)
    _submitted(a, h)
    ws = app.state.workspace
    with ws.sessions() as s:
        reviewer = s.scalar(select(models.User).where(models.User.name == "reviewer"))
    held, looked = threading.Event(), [0]
    counting, stored = review_desk.review_entries, review_desk._stored

    def holding(*args, **kwargs):
        held.wait(30)
        return counting(*args, **kwargs)

    def looking(path: Path, program_id: str):
        looked[0] += 1
        return stored(path, program_id)

    monkeypatch.setattr(review_desk, "review_entries", holding)
    monkeypatch.setattr(review_desk, "_stored", looking)
    bodies: list[bytes] = []

    def ask() -> None:
        bodies.append(review_desk.desk_answer(ws, reviewer, PROGRAM).body)

    first = threading.Thread(target=ask)
    first.start()
    assert wait_until(lambda: looked[0] == 2)  # the first holds the lock, reviewing
    second = threading.Thread(target=ask)
    second.start()
    assert wait_until(lambda: looked[0] == 3)  # the second missed, and waits for the lock
    held.set()
    first.join(30)
    second.join(30)
    assert reviews == [PROGRAM]
    assert len(bodies) == 2
    assert bodies[0] == bodies[1]
    assert looked[0] == 4  # the second looked again once it had the lock, and found it


def test_the_answer_is_the_reviews_json_byte_for_byte(
    app, reviews: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """ensures the desk's answer, made of entries encoded once each, is byte for byte the JSON
    of its review (``json_response(review_json(…))``) — empty, with two submissions, after one
    is ruled 不予认可 (its entry made anew, the other's reused), after a third joins, with a
    threshold — and that the page's object is that JSON decoded."""
    ws = app.state.workspace
    with ws.sessions() as s:
        reviewer = s.scalar(select(models.User).where(models.User.name == "reviewer"))
    r, rh = platform_login(app, "reviewer")

    def same() -> None:
        for query, threshold in (("", None), ("?threshold=90", Fraction(90))):
            body = r.get(DESK + query).content
            review = review_desk.desk_review(ws, reviewer, PROGRAM, threshold)
            assert body == json_response(review_json(review)).body
            answer = review_desk.desk_answer(ws, reviewer, PROGRAM, threshold)
            assert answer.data == json.loads(body)

    same()
    a, h = platform_login(app, A)
    first = _submitted(a, h)
    _submitted(a, h)
    same()
    ruling = {"file": "evidence/利润表.pdf", "accepted": False, "reason": "未盖章"}
    assert r.post(f"/api/submissions/{first}/rulings", json=ruling, headers=rh).status_code == 200
    same()
    _submitted(a, h)
    same()
    made: list[str] = []
    real = review_desk.submission_json

    def counting(row):
        made.append(row.prepared.folder)
        return real(row)

    monkeypatch.setattr(review_desk, "submission_json", counting)
    review_desk._answers.clear()
    for path in _answers(tmp_path):
        path.unlink()
    review_desk._reviews.clear()  # reviewed again: the same entries, the same scores
    same()
    assert made == []  # every entry's text was reused


def test_the_desk_reads_what_the_workspace_inspected(app, reviews: list[str], monkeypatch):
    """ensures the desk's preparation of a submission inspects none of its files when the
    workspace already inspected them (its score asked before submitting): the same cache."""
    from docgen.evidence import inspect

    a, h = platform_login(app, A)
    _submitted(a, h)
    inspected: list[str] = []
    real = inspect.inspect_file

    def counting(folder, name, wanted=frozenset(), cache=None, root=None):
        if cache is None:  # a file read and inspected, not a cache's answer
            inspected.append(name)
        return real(folder, name, wanted, cache, root)

    monkeypatch.setattr(inspect, "inspect_file", counting)
    r, _ = platform_login(app, "reviewer")
    assert r.get(DESK).json()["submissions"][0]["evidenced_total"] > 0
    assert reviews == [PROGRAM]
    assert inspected == []
