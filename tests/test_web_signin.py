"""Sign-in's password hashing (SPEC §11, #21): Argon2id at OWASP's minimum parameters, hashes
made with other parameters still verify and are made again at sign-in."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher
from argon2.low_level import Type
from sqlalchemy import select, update
from starlette.testclient import TestClient

from docgen.web import db, models
from docgen.web.accounts import add_user
from docgen.web.app import create_app
from docgen.web.settings import Settings

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
