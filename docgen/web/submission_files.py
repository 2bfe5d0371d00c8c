"""EDGE: a submission as the canonical folder — the API's submission object, the folder zipped
for export, and a zipped folder (or a lone answers file) imported.

Import is as careful as evidence reading: every member's path is normalised and confined (no
absolute path, no ``..``, no link), sizes are counted as members are inflated, and nothing is
stored unless the whole archive is usable.
"""

from __future__ import annotations

import io
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath
from typing import Any

from docgen.app.submission import ANSWERS_NAMES
from docgen.outputs.answers_text import answers_yaml
from docgen.sources.yamlio import parse_json, parse_yaml
from docgen.sources.zipped import ZIP_ERRORS, read_member
from docgen.text.punctuation import ENUM_COMMA
from docgen.text.web import WORDS
from docgen.web import models
from docgen.web.bodies import count_yaml_values
from docgen.web.errors import WebError
from docgen.web.layout import ANSWERS_FILE
from docgen.web.uploads import check_sizes, content_kind, human_size, normalise_path
from docgen.web.workspace import Workspace

ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every member's time: the same folder zips to the same bytes
SKIPPED_NAMES = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")
MAX_MEMBERS = 5000


def answers_data(row: models.Submission) -> Any:
    """Returns the answers of ``row`` as data (None when its text does not parse)."""
    return parse_yaml(row.answers, ANSWERS_FILE).data


def submission_object(row: models.Submission, *, with_answers: bool = True) -> dict[str, Any]:
    """Returns the SPEC §10 submission object (with its version and files)."""
    out: dict[str, Any] = {
        "id": row.id,
        "program": row.program,
        "kind": row.kind,
        "status": row.status,
        "company": row.company,
        "updated": row.updated.isoformat() + "Z",
        "reason": row.reason,
        "version": row.version,
        "files": [{"path": f.path, "size": f.size, "sha256": f.sha256} for f in row.files],
    }
    if with_answers:
        out["answers"] = answers_data(row)
    return out


def zip_files(files: dict[str, bytes], top: str = "") -> bytes:
    """Returns ``files`` (path → bytes) as a zip, sorted, UTF-8 names, one fixed time: the same
    files always zip to the same bytes (``top``: a folder they all go in)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(f"{top}/{name}" if top else name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            info.flag_bits |= 0x800  # UTF-8 names
            archive.writestr(info, data)
    return buffer.getvalue()


def export_zip(ws: Workspace, row: models.Submission) -> bytes:
    """Returns the canonical folder of ``row`` (answers.yaml and its files) as a zip whose one
    top folder is the submission's id."""
    files = {ANSWERS_FILE: row.answers.encode("utf-8")}
    files.update({f.path: ws.store.read(f.sha256) for f in row.files})
    return zip_files(files, row.id)


def import_zip(ws: Workspace, user: models.User, name: str, data: bytes) -> models.Submission:
    """Creates a submission from a zipped submission folder, or from one answers file
    (.yaml/.yml/.json/.xlsx by its name); returns it."""
    suffix = PurePosixPath(name).suffix.lower()
    if suffix in (".yaml", ".yml", ".json", ".xlsx"):
        text = answers_text(f"answers{suffix}", data, WORDS["import.file"].format(name=name))
        return _create(ws, user, text, [])
    members = _members(data, ws.settings.max_submission_bytes)
    answers = [m for m in members if m in ANSWERS_NAMES]
    if not answers:
        raise WebError(400, "zip_no_answers")
    if len(answers) > 1:
        raise WebError(400, "zip_two_answers", names=ENUM_COMMA.join(sorted(answers)))
    text = answers_text(answers[0], members.pop(answers[0]), WORDS["import.in_zip"])
    files = []
    for path, content in sorted(members.items()):
        kind = content_kind(content)
        if not kind:
            raise WebError(415, "bad_type", name=path)
        files.append((path, content, kind))
    return _create(ws, user, text, files)


def _create(
    ws: Workspace, user: models.User, text: str, files: list[tuple[str, bytes, str]]
) -> models.Submission:
    data = parse_yaml(text, ANSWERS_FILE).data
    program = data.get("program") if isinstance(data, dict) else None
    if not isinstance(program, str) or program not in ws.catalog.programs:
        if isinstance(program, str) and program:
            raise WebError(
                400, "unknown_program", program=program, programs=ENUM_COMMA.join(ws.catalog.programs)
            )
        raise WebError(400, "import_no_program")
    check_sizes(ws.limits(program), [(path, len(content)) for path, content, _kind in files])
    chosen = ws.catalog.programs[program]
    return ws.insert(user, program, chosen.kinds[0], text, "import", files)


def answers_text(name: str, data: bytes, source: str) -> str:
    """Returns the answers file's content as the YAML text to keep (YAML verbatim); ``source``
    names it in a refusal (the answers in a zip, or the file uploaded)."""
    if name.endswith(".xlsx"):
        return _workbook_text(data, source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WebError(400, "not_utf8") from None
    count_yaml_values(text)  # JSON is YAML's flow syntax: one count bounds both
    doc = parse_json(text, name) if name.endswith(".json") else parse_yaml(text, name)
    errors = [d for d in doc.diagnostics if d.is_error]
    if errors or not isinstance(doc.data, dict):
        problem = errors[0].message if errors else name
        raise WebError(400, "import_unreadable", source=source, problem=problem)
    return text if not name.endswith(".json") else answers_yaml(doc.data).decode("utf-8")


def _workbook_text(data: bytes, source: str) -> str:
    from docgen.sources.workbook import load_answers_file

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "answers.xlsx"
        path.write_bytes(data)
        doc = load_answers_file(path, display="answers.xlsx")
    errors = [d for d in doc.diagnostics if d.is_error]
    if errors or not isinstance(doc.data, dict):
        problem = errors[0].message if errors else "answers.xlsx"
        raise WebError(400, "import_unreadable", source=source, problem=problem)
    return answers_yaml(doc.data).decode("utf-8")


def member_name(info: zipfile.ZipInfo) -> str:
    """Returns a member's name as its archiver meant it: zips made without the UTF-8 flag hold
    UTF-8 (Info-ZIP, macOS) or GBK (Windows in Chinese) bytes, which zipfile reads as CP437."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:
        return info.filename
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def _members(data: bytes, limit: int) -> dict[str, bytes]:
    """Returns the archive's regular files by their path in the submission folder (a single top
    folder, as a zipped folder has, is taken off)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except ZIP_ERRORS:
        raise WebError(400, "bad_zip") from None
    if len(infos) > MAX_MEMBERS:
        raise WebError(413, "zip_too_many", count=len(infos), limit=MAX_MEMBERS)
    kept: list[tuple[str, zipfile.ZipInfo]] = []
    for info in infos:
        mode = info.external_attr >> 16
        raw = member_name(info)
        if info.is_dir():
            continue
        parts = raw.replace("\\", "/").split("/")
        if any(p in SKIPPED_NAMES for p in parts) or parts[-1].startswith("._"):
            continue
        safe = normalise_path(raw)
        if safe is None or stat.S_ISLNK(mode) or raw.startswith(("/", "\\")) or ".." in parts:
            raise WebError(400, "zip_unsafe", name=raw)
        kept.append((safe, info))
    tops = {p.split("/", 1)[0] for p, _ in kept}
    strip = len(tops) == 1 and all("/" in p for p, _ in kept)
    out: dict[str, bytes] = {}
    total = 0
    for path, info in kept:
        rel = path.split("/", 1)[1] if strip else path
        try:
            content = read_member(archive, info.filename, limit - total)
        except ZIP_ERRORS:
            raise WebError(400, "bad_zip_member", name=member_name(info)) from None
        if content is None:
            raise WebError(413, "zip_too_large", limit=human_size(limit))
        total += len(content)
        if total > limit:
            raise WebError(413, "zip_too_large", limit=human_size(limit))
        if rel in out:
            raise WebError(400, "zip_duplicate", name=rel)
        out[rel] = content
    return out
