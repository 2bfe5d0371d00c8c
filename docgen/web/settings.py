"""EDGE: where the server keeps its data and the limits it enforces (SPEC §10–11)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
MAX_FILE_BYTES = 50 * MB  # one uploaded file (SPEC §11 default)
MAX_SUBMISSION_BYTES = 500 * MB  # all files of one submission
MAX_ANSWERS_BYTES = 4 * MB  # an answers body: far above any real one (the examples are < 30 KB)
MAX_IMPORT_BYTES = 600 * MB  # a zipped submission folder: its files and answers
MAX_REVIEW_ZIP_BYTES = 4096 * MB  # the files in the review desk's zip of the reviewed submissions


def default_data_folder() -> Path:
    """Returns ``$DOCGEN_DATA``, else the user's data folder (XDG: ~/.local/share/docgen)."""
    given = os.environ.get("DOCGEN_DATA")
    if given:
        return Path(given)
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "docgen"


@dataclass(frozen=True)
class Settings:
    """One server's configuration; the defaults are the local workspace's."""

    data: Path
    database_url: str = ""
    platform: bool = False
    max_file_bytes: int = MAX_FILE_BYTES
    max_submission_bytes: int = MAX_SUBMISSION_BYTES
    max_answers_bytes: int = MAX_ANSWERS_BYTES
    max_review_zip_bytes: int = MAX_REVIEW_ZIP_BYTES
    allowed_hosts: tuple[str, ...] = ()  # host[:port] values a request may name besides loopback

    @property
    def url(self) -> str:
        """Returns the database URL: ``database_url``, ``$DOCGEN_DATABASE_URL``, else SQLite in
        the data folder."""
        given = self.database_url or os.environ.get("DOCGEN_DATABASE_URL", "")
        return given or f"sqlite:///{self.data / 'docgen.db'}"

    @property
    def files(self) -> Path:
        """Returns the content-addressed file store (never served as a folder)."""
        return self.data / "files"

    @property
    def work(self) -> Path:
        """Returns the folder where each submission is laid out as the canonical folder that
        ``docgen build`` reads (rebuilt from the database whenever it is stale)."""
        return self.data / "work"

    @property
    def cache(self) -> Path:
        """Returns the folder of the inspection cache."""
        return self.data / "cache"
