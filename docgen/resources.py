"""EDGE: where the definition folders live.

The repository's top-level ``programs/``, ``outlines/``, ``checklists/`` and ``templates/`` are the
source of truth. A built wheel carries copies under ``docgen/_data/`` (pyproject force-include); a
source checkout or editable install uses the repository folders directly.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

__version__ = "0.1.0"  # the package version (pyproject reads it from here)

FOLDERS = ("programs", "outlines", "checklists", "templates")
SCHEMAS = ("check", "score", "evidence", "review")  # the JSON Schemas of docgen's objects (docs/json.md)


@cache
def data_root() -> Path:
    """Returns the folder that holds ``programs/``, ``outlines/``, ``checklists/``, ``templates/``.

    ``DOCGEN_DEFINITIONS`` overrides it (a bureau with definitions of its own; ``DOCGEN_DATA`` is
    the web server's data folder, SPEC §10).
    """
    override = os.environ.get("DOCGEN_DEFINITIONS")
    if override:
        return Path(override)
    packaged = Path(__file__).resolve().parent / "_data"
    if (packaged / "programs").is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent


def folder(name: str) -> Path:
    """Returns the path of one definition folder."""
    return data_root() / name


def package_folder(name: str) -> Path:
    """Returns a folder shipped inside the package (``web/static``, ``web/templates``)."""
    return Path(__file__).resolve().parent / name


def schema_path(name: str) -> Path:
    """Returns the path of the JSON Schema (draft 2020-12) of one of docgen's JSON objects, shipped
    inside the package (``docgen/schemas/``, package data of the wheel)."""
    if name not in SCHEMAS:
        raise KeyError(name)
    return Path(__file__).resolve().parent / "schemas" / f"{name}.json"


@cache
def code_fingerprint() -> str:
    """Returns a hash of docgen's version and its own source files.

    Part of every cache key: a result computed by other code (a changed rule, a new field on a
    pickled model) is never read back, even when the version number stayed the same.
    """
    import hashlib

    digest = hashlib.sha256(__version__.encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(str(path.relative_to(package)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@cache
def definitions_fingerprint() -> str:
    """Returns a hash of docgen's code and every file of the definition folders: the key of the
    checked catalog and of every prepared result computed from them."""
    import hashlib

    digest = hashlib.sha256(code_fingerprint().encode())
    for name in FOLDERS:
        root = folder(name)
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
