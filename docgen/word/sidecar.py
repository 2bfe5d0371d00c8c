"""EDGE: the prepared form of a shipped template, kept next to it as ``name.prepared.json``.

A sidecar holds a template's Jinja source as docxtpl patches it, the Python code Jinja compiles
it to, and its style ids, so that a build neither imports docxtpl nor compiles the template.
Running stored code is trusting it: a sidecar is read only for a template of docgen's own
``templates/`` folder (``docgen.resources``), never for a user's ``--template`` file, and only when
its key matches the template's bytes and everything that shapes the stored source and code —
the docxtpl and Jinja versions, docxtpl's own code, the environment's settings and docgen's
preparing code. Anything else (a stale or foreign sidecar) is ignored and the template is
prepared from the .docx.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment

from docgen.resources import folder
from docgen.word.xml import style_ids

_PREPARING_CODE = ("source.py", "environment.py")  # docgen modules whose change alters a sidecar


@dataclass(frozen=True)
class Prepared:
    """A template's body as Jinja source, how it renders, and its style ids."""

    source: str
    cells_change: bool  # the tables' cell counts can change ({%tc}, hm, colspan): fix_tables runs
    premerged: bool  # the source merges the group cells itself
    code: str  # the Python code Jinja compiles ``source`` to ("" when not stored)
    style_ids: dict[str, str]


def sidecar_path(path: Path) -> Path:
    """Returns where a template's prepared form is kept (``name.prepared.json``)."""
    return path.with_name(path.stem + ".prepared.json")


def is_shipped(path: Path) -> bool:
    """Returns whether ``path`` is a template of docgen's own ``templates/`` folder."""
    return path.resolve().parent == folder("templates").resolve()


@cache
def _docxtpl_key() -> str:
    """Returns docxtpl's version and a hash of its code, read without importing docxtpl (which
    would cost what the sidecar saves)."""
    from importlib.util import find_spec

    spec = find_spec("docxtpl")
    if spec is None or not spec.submodule_search_locations:
        return "docxtpl missing"
    package = Path(next(iter(spec.submodule_search_locations)))
    digest = hashlib.sha256()
    for module in sorted(package.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    match = re.search(r"""__version__\s*=\s*["']([^"']+)""", (package / "__init__.py").read_text("utf-8"))
    return f"docxtpl {match.group(1) if match else '?'} {digest.hexdigest()[:16]}"


@cache
def _docgen_key() -> str:
    digest = hashlib.sha256()
    for name in _PREPARING_CODE:
        digest.update(name.encode() + b"\0" + (Path(__file__).parent / name).read_bytes())
    return f"docgen {digest.hexdigest()[:16]}"


def sidecar_key(environment: Environment) -> str:
    """Returns what a sidecar's source and code depend on besides the template itself."""
    import jinja2

    undefined = getattr(environment.undefined, "__name__", str(environment.undefined))
    return (
        f"{_docxtpl_key()}; jinja2 {jinja2.__version__} {type(environment).__name__} "
        f"autoescape={environment.autoescape} undefined={undefined}; {_docgen_key()}"
    )


def sidecar_record(path: Path, environment: Environment) -> dict[str, Any]:
    """Returns the sidecar of the template ``path`` as it must be now (prepared from the .docx)."""
    from docgen.word.source import prepare_source

    source, cells_change, premerged = prepare_source(path)
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml") if "word/styles.xml" in archive.namelist() else None
    return {
        "template_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "key": sidecar_key(environment),
        "cells_change": cells_change,
        "premerged": premerged,
        "source": source,
        "code": environment.compile(source, raw=True),
        "style_ids": style_ids(styles) if styles is not None else {},
    }


def write_sidecar(path: Path) -> None:
    """Writes the sidecar next to a shipped template (tools/make_templates.py)."""
    from docgen.word.environment import environment

    record = sidecar_record(path, environment())
    sidecar_path(path).write_text(json.dumps(record, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def read_sidecar(path: Path, raw: bytes, environment: Environment) -> Prepared | None:
    """Returns the prepared form of the shipped template ``path`` (its bytes ``raw``), or None
    when it has to be prepared from the .docx: not shipped, no sidecar, or a stale one."""
    if not is_shipped(path):
        return None  # a user's template: whatever lies next to it is not ours to run
    try:
        record = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict):
        return None
    if record.get("template_sha256") != hashlib.sha256(raw).hexdigest():
        return None  # the template was edited
    if record.get("key") != sidecar_key(environment):
        return None  # prepared by other code: docxtpl, Jinja or docgen changed since
    source, code, ids = record.get("source"), record.get("code"), record.get("style_ids")
    if not (isinstance(source, str) and isinstance(code, str) and isinstance(ids, dict)):
        return None
    return Prepared(
        source,
        bool(record.get("cells_change")),
        bool(record.get("premerged")),
        code,
        {str(k): str(v) for k, v in ids.items()},
    )
