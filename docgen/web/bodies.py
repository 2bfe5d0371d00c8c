"""EDGE: request bodies read with their limits, and file downloads.

A body is counted as it arrives: one over its limit is refused (413) before it is all read,
whatever its Content-Length claims.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import yaml
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message

from docgen.diagnostics import Diagnostic
from docgen.numbers import MAX_NUMBER_TEXT, NotANumber, read_decimal
from docgen.sources.characters import XML_INVALID
from docgen.sources.yamlio import YAML_LOADER as _Loader
from docgen.sources.yamlio import LoadedDocument, parse_json, parse_yaml
from docgen.text.web import ERRORS
from docgen.web import models
from docgen.web.errors import WebError
from docgen.web.layout import ANSWERS_FILE
from docgen.web.security import CSRF_FIELD, CSRF_HEADER, check_csrf
from docgen.web.uploads import human_size

MAX_WEB_VALUES = 20_000
"""The most values (keys, figures, texts, rows) answers sent over the web hold: 40 times the
largest example (481), and reading them stays under a second where the CLI's 200 000 take ten."""
COUNT_FROM_BYTES = 256 * 1024  # a smaller YAML text cannot hold enough nodes to be slow
MAX_VERSION_DIGITS = 18  # an If-Match longer than this names no version docgen ever wrote
_ESCAPED_INVALID = re.compile(r"\\u(?:00[01][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}|[fF]{3}[eEfF])")
"""A JSON escape of a character XML cannot hold (or of tab and line breaks, harmlessly)."""
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")
MULTIPART_OVERHEAD = 64 * 1024  # boundaries and the small fields beside a file
MAX_FORM_FIELDS = 200
MAX_FORM_FILES = 20  # several files dropped on one checklist entry
UPLOAD_CHUNK = 1024 * 1024
_FILENAME_UNSAFE = re.compile(r'[\x00-\x1f\x7f"\\/]')


def _too_large(size: int, limit: int) -> WebError:
    return WebError(413, "too_large", size=human_size(size), limit=human_size(limit))


def _declared(request: Request, limit: int, shown: int | None = None) -> None:
    """Refuses (413) a body whose Content-Length is over ``limit`` (the message names ``shown``,
    the limit the user knows, when the body may carry some overhead beyond it)."""
    length = request.headers.get("content-length", "")
    if length.isascii() and length.isdigit() and len(length) < 20 and int(length) > limit:
        raise _too_large(int(length), shown or limit)


async def read_body(request: Request, limit: int) -> bytes:
    """Returns the body, refusing (413) one over ``limit`` bytes."""
    _declared(request, limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WebError(400, "not_utf8") from None


def _what(value: Any) -> str:
    from docgen.text.web import WORDS

    if isinstance(value, list):
        return WORDS["what.list"]
    if isinstance(value, str):
        return WORDS["what.text"]
    if isinstance(value, bool):
        return WORDS["what.bool"]
    if value is None:
        return WORDS["what.null"]
    return WORDS["what.number"]


def _parsed(doc: LoadedDocument, code: str) -> dict[str, Any]:
    errors = [d for d in doc.diagnostics if d.is_error]
    if errors:
        first = errors[0]
        where = ERRORS["at_line"].format(line=first.location.line) if first.location.line else ""
        err = WebError(400, code, problem=f"{first.message}{where}")
        err.body = {
            "error": {
                "code": code,
                "message": err.message,
                "diagnostics": [d.as_json() for d in errors],
            }
        }
        raise err
    if not isinstance(doc.data, dict):
        raise WebError(400, "not_object", what=_what(doc.data))
    return doc.data


async def json_object(request: Request, limit: int) -> dict[str, Any]:
    """Returns the body as a JSON object (400 when it is not one)."""
    text = _decode(await read_body(request, limit))
    return _parsed(parse_json(text, "request"), "not_json")


def is_yaml(request: Request) -> bool:
    """Returns whether the request says its body is YAML."""
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media in YAML_TYPES


async def answers_text(request: Request, limit: int) -> tuple[str, list[Diagnostic]]:
    """Returns the answers as the YAML text to keep — YAML bodies verbatim (their comments and
    lines stay), JSON bodies written as YAML — and the warnings of reading a JSON body (the
    characters XML cannot hold, removed before it is written as YAML, so that the check of the
    saved text cannot say it). 400 unless the body parses to an object."""
    from docgen.outputs.answers_text import answers_yaml

    text = _decode(await read_body(request, limit))
    if is_yaml(request):
        count_yaml_values(text)
        _parsed(parse_yaml(text, ANSWERS_FILE), "not_yaml")
        return text, []
    data = _fast_json(text)
    warnings: list[Diagnostic] = []
    if data is not None:
        _count_values(data)
    else:  # anything unusual: the careful reader, for its diagnostics
        count_yaml_values(text)
        doc = parse_json(text, "request.json")
        data = _parsed(doc, "not_json")
        warnings = [d for d in doc.diagnostics if not d.is_error]
    return answers_yaml(data).decode("utf-8"), warnings


def _too_many_values() -> WebError:
    return WebError(413, "too_many_values", limit=MAX_WEB_VALUES)


def _count_values(data: Any) -> None:
    """Refuses (413) answers of more than MAX_WEB_VALUES values, counted without recursion."""
    pending: list[Any] = [data]
    count = 0
    while pending:
        value = pending.pop()
        count += 1
        if count > MAX_WEB_VALUES:
            raise _too_many_values()
        if isinstance(value, dict):
            pending.extend(value.values())
            count += len(value)  # the keys
        elif isinstance(value, list):
            pending.extend(value)


def count_yaml_values(text: str) -> None:
    """Refuses (413) a large YAML text of more than MAX_WEB_VALUES nodes, counted on the C
    parser's events so the count stops at the limit (composing 200 000 nodes takes seconds)."""
    if len(text) < COUNT_FROM_BYTES:
        return
    count = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent):
                count += 1
                if count > MAX_WEB_VALUES:
                    raise _too_many_values()
    except yaml.YAMLError:
        return  # the careful reader says what is wrong, with its line


class _Unusual(ValueError):
    """A JSON body that the careful reader must read (a repeated key, a huge number)."""


def _pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(items)
    if len(out) != len(items):
        raise _Unusual
    return out


def _number(text: str) -> Decimal:
    try:
        return read_decimal(text)  # bounded: 1e999999999 or 1e-9999999 is left to the careful reader
    except NotANumber:
        raise _Unusual from None


def _fast_json(text: str) -> dict[str, Any] | None:
    """Returns the body read by the C JSON reader when it is a plain object (exact decimals within
    the bounds of ``numbers``, no repeated key, no NaN, no character XML cannot hold, raw or
    escaped); else None, and the careful reader reads it with its diagnostics."""
    if XML_INVALID.search(text) or ("\\u" in text and _ESCAPED_INVALID.search(text)):
        return None
    try:
        data = json.loads(
            text, parse_float=_number, parse_int=_integer, parse_constant=_constant, object_pairs_hook=_pairs
        )
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _constant(_text: str) -> Any:
    raise _Unusual  # NaN, Infinity: not JSON; the careful reader says so


def _integer(text: str) -> int:
    if len(text) > MAX_NUMBER_TEXT:
        raise _Unusual
    return int(text)


def if_match(request: Request) -> int | None:
    """Returns the version an ``If-Match`` header names (``"7"`` or ``7``), or None."""
    given = request.headers.get("if-match")
    if given is None or not given.strip():
        return None
    value = given.strip().removeprefix("W/").strip('"')
    if not value.isascii() or not value.isdigit() or len(value) > MAX_VERSION_DIGITS:
        raise WebError(400, "bad_if_match", given=given[:40])
    return int(value)


@dataclass
class Form:
    """A form as read: its text fields, and its files (name, bytes) by field name."""

    fields: dict[str, str]
    files: dict[str, list[tuple[str, bytes]]]

    def get(self, name: str) -> str | None:
        return self.fields.get(name)

    def file(self, name: str = "file") -> tuple[str, bytes]:
        """Returns the first file of field ``name`` (400 when there is none)."""
        given = self.files.get(name)
        if not given:
            raise WebError(400, "no_file")
        return given[0]


async def multipart(request: Request, limit: int, file_limit: int | None = None) -> Form:
    """Returns the form (its CSRF token checked), refusing (413) a body over ``limit`` plus its
    overhead, or a file over ``file_limit``. Uploads are read and their spooled files closed."""
    total = limit + MULTIPART_OVERHEAD
    _declared(request, total, limit)
    size = 0
    receive = request.receive

    async def counted() -> Message:
        nonlocal size
        message = await receive()
        if message["type"] == "http.request":
            size += len(message.get("body", b""))
            if size > total:
                raise _too_large(size, limit)
        return message

    limited = Request(request.scope, counted)
    try:
        form = await limited.form(max_files=MAX_FORM_FILES, max_fields=MAX_FORM_FIELDS)
    except WebError:
        raise
    except Exception:  # the multipart parser's own errors: a malformed body
        raise WebError(400, "bad_multipart") from None
    try:
        token = request.headers.get(CSRF_HEADER) or form.get(CSRF_FIELD)
        check_csrf(request, token if isinstance(token, str) else None)
        fields: dict[str, str] = {}
        files: dict[str, list[tuple[str, bytes]]] = {}
        for key, value in form.multi_items():
            if isinstance(value, UploadFile):
                if value.filename:
                    data = await read_upload(value, file_limit or limit)
                    files.setdefault(key, []).append((value.filename, data))
            else:
                fields.setdefault(key, value)
        return Form(fields, files)
    finally:
        await form.close()


async def form_fields(request: Request, limit: int = MULTIPART_OVERHEAD) -> Form:
    """Returns a page's form (its CSRF field checked), refusing (413) one over ``limit``."""
    return await multipart(request, limit)


async def read_upload(item: UploadFile, limit: int) -> bytes:
    """Returns an uploaded file's bytes (413 over ``limit``)."""
    chunks: list[bytes] = []
    size = 0
    while chunk := await item.read(UPLOAD_CHUNK):
        size += len(chunk)
        if size > limit:
            raise WebError(
                413,
                "file_too_large",
                name=item.filename or "",
                size=human_size(size),
                limit=human_size(limit),
            )
        chunks.append(chunk)
    return b"".join(chunks)


def download(data: bytes, name: str, *, inline: bool, kind: str | None = None) -> Response:
    """Returns ``data`` as a file download named ``name`` (RFC 6266 with a UTF-8 name); a stored
    upload is served as the type its content has (``kind``), never as its name suggests."""
    media = _media(f"x.{kind}" if kind else name)
    return Response(data, media_type=media, headers={"Content-Disposition": disposition(name, inline=inline)})


def disposition(name: str, *, inline: bool) -> str:
    """Returns the Content-Disposition of a file named ``name`` (RFC 6266, with a UTF-8 name)."""
    ascii_name = _FILENAME_UNSAFE.sub("_", name).encode("ascii", "replace").decode().replace("?", "_")
    how = "inline" if inline else "attachment"
    return f"{how}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def download_stem(row: models.Submission) -> str:
    """Returns a file name stem for a submission's downloads (company name, else program)."""
    name = _FILENAME_UNSAFE.sub("_", row.company).strip() or row.program
    return f"{name}-{row.id}"


_MEDIA = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".yaml": "application/yaml; charset=utf-8",
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".csv": "text/csv; charset=utf-8",
}


def _media(name: str) -> str:
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _MEDIA.get(suffix, "application/octet-stream")
