"""Sign-in's password hashing (SPEC §11, #21): Argon2id at OWASP's minimum parameters, hashes
made with other parameters still verify and are made again at sign-in; no more than
HASHES_AT_ONCE hashes at once in a process; earlier failures forgotten at a sign-in."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.low_level import Type
from sqlalchemy import func, select, update
from starlette.testclient import TestClient

from docgen.web import accounts, db, models
from docgen.web.accounts import add_user
from docgen.web.app import create_app
from docgen.web.errors import WebError
from docgen.web.settings import Settings
from tests.web_helpers import wait_until

PASSWORD = "correct horse battery"


def _stored_hash(ws, name: str) -> str:
    with ws.sessions() as s:
        return str(s.scalar(select(models.User.password_hash).where(models.User.name == name)))


def _parameters(encoded: str) -> dict[str, int]:
    fields = encoded.split("$")[3]
    return {k: int(v) for k, v in (part.split("=") for part in fields.split(","))}


def test_a_new_password_is_hashed_with_owasp_parameters(tmp_path: Path):
    """ensures a new account's password is an Argon2id hash of 19 MiB, two passes, one lane."""
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="泸州市")
    encoded = _stored_hash(ws, "reviewer")
    assert encoded.startswith("$argon2id$")
    assert _parameters(encoded) == {"m": 19 * 1024, "t": 2, "p": 1}


def test_an_older_hash_verifies_and_is_made_again(tmp_path: Path):
    """ensures a password hashed with other parameters (argon2-cffi's older default) still signs
    in, is then hashed again with today's, and still signs in after; a wrong one still fails."""
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="泸州市")
    older = PasswordHasher(time_cost=3, memory_cost=65536, parallelism=4, type=Type.ID).hash(PASSWORD)
    with db.transaction(ws.sessions) as s:
        s.execute(update(models.User).where(models.User.name == "reviewer").values(password_hash=older))
    client = TestClient(app, base_url="https://docgen.example.gov.cn")
    wrong = client.post("/api/login", json={"username": "reviewer", "password": "not the password"})
    assert wrong.status_code == 401
    assert _stored_hash(ws, "reviewer") == older
    first = client.post("/api/login", json={"username": "reviewer", "password": PASSWORD})
    assert first.status_code == 200
    renewed = _stored_hash(ws, "reviewer")
    assert renewed != older
    assert _parameters(renewed) == {"m": 19 * 1024, "t": 2, "p": 1}
    again = TestClient(app, base_url="https://docgen.example.gov.cn")
    assert again.post("/api/login", json={"username": "reviewer", "password": PASSWORD}).status_code == 200
    assert _stored_hash(ws, "reviewer") == renewed


class _CountingGate:
    """The sign-in's semaphore of HASHES_AT_ONCE, counting the threads that asked for it."""

    def __init__(self, size: int) -> None:
        self.inner = threading.BoundedSemaphore(size)
        self.asked = 0
        self.lock = threading.Lock()

    def __enter__(self) -> _CountingGate:
        with self.lock:
            self.asked += 1
        self.inner.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.inner.release()


class _HeldHasher:
    """A hasher whose every hash waits until released, counting how many run at once."""

    def __init__(self) -> None:
        self.running = 0
        self.peak = 0
        self.lock = threading.Lock()
        self.release = threading.Event()

    def _work(self) -> None:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        self.release.wait(30)
        with self.lock:
            self.running -= 1

    def verify(self, _encoded: str, password: str) -> bool:
        self._work()
        return password == PASSWORD

    def hash(self, _password: str) -> str:
        self._work()
        return "held"

    def check_needs_rehash(self, _encoded: str) -> bool:
        return False


def test_no_more_than_hashes_at_once_hash_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """ensures that of six sign-ins at once (right passwords, a wrong one, an unknown name) every
    hash goes through the process's semaphore — of HASHES_AT_ONCE, two here — so only that many
    run at a time, the others waiting their turn; all are then answered."""
    assert accounts._hashing._initial_value == accounts.HASHES_AT_ONCE >= 1  # type: ignore[attr-defined]
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    add_user(ws, "reviewer", "reviewer", PASSWORD, region="泸州市")
    hasher, gate = _HeldHasher(), _CountingGate(2)
    monkeypatch.setattr(accounts, "_hasher", hasher)
    monkeypatch.setattr(accounts, "_hashing", gate)
    answers: list[int] = []

    def attempt(name: str, password: str) -> None:
        try:
            accounts.sign_in(ws, name, password)
            answers.append(200)
        except WebError as exc:
            answers.append(exc.status)

    tries = [("reviewer", PASSWORD)] * 4 + [("reviewer", "wrong password!"), ("nobody", "x")]
    threads = [threading.Thread(target=attempt, args=given) for given in tries]
    for thread in threads:
        thread.start()
    assert wait_until(lambda: gate.asked == 6 and hasher.running == 2)
    assert hasher.peak == 2
    hasher.release.set()
    for thread in threads:
        thread.join(30)
    assert sorted(answers) == [200] * 4 + [401, 401]
    assert hasher.peak == 2


def test_a_sign_in_forgets_the_earlier_failures(tmp_path: Path):
    """ensures a right password after four wrong ones clears them: four more wrong ones do not
    lock the account, a fifth does."""
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    add_user(app.state.workspace, "reviewer", "reviewer", PASSWORD, region="泸州市")
    client = TestClient(app, base_url="https://docgen.example.gov.cn")

    def status(password: str) -> int:
        return client.post("/api/login", json={"username": "reviewer", "password": password}).status_code

    assert [status("wrong password!") for _ in range(4)] == [401] * 4
    assert status(PASSWORD) == 200
    assert [status("wrong password!") for _ in range(4)] == [401] * 4
    assert status(PASSWORD) == 200
    assert [status("wrong password!") for _ in range(5)] == [401] * 5
    assert status(PASSWORD) == 429


def test_the_warm_up_writes_nothing(tmp_path: Path):
    """ensures a worker's warm-up (a hash, the sign-in's reads) leaves no failure, session or
    audit entry behind."""
    app = create_app(Settings(data=tmp_path / "data", platform=True))
    ws = app.state.workspace
    tables = (models.LoginFailure, models.LoginSession, models.AuditEntry)

    def counts() -> list[int]:
        with ws.sessions() as s:
            return [int(s.scalar(select(func.count()).select_from(t)) or 0) for t in tables]

    before = counts()
    accounts.warm_up(ws)
    assert counts() == before
