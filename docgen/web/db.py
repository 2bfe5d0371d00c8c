"""EDGE: the database — an engine per server, migrations run on start, one transaction per
request that changes anything."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from docgen.web.locks import file_lock

SQLITE_BUSY_MS = 15000  # a writer waits this long for another before giving up


def make_engine(url: str) -> Engine:
    """Returns an engine for ``url``; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_MS / 1000}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def upgrade(engine: Engine, lock: Path, revision: str = "head") -> None:
    """Brings the schema to ``revision`` (the migrations in docgen/web/migrations); ``lock``, a
    file in the data folder, keeps the server's worker processes from migrating at once."""
    config = Config()
    config.set_main_option("script_location", "docgen.web:migrations")
    with file_lock(lock), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def sessions(engine: Engine) -> sessionmaker[Session]:
    """Returns the session factory (objects stay readable after commit)."""
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """Yields a session whose changes are committed together, or none of them."""
    with factory() as session, session.begin():
        yield session
