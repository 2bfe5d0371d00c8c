"""CORE: one change a page makes to the answers — set a field, add or remove an item row,
attach or detach an evidence file — applied to the answers as data.

The value comes as the text of an input; it is stored as the answers format writes it: a number
as a number (exact), an empty input as no answer, anything else as text. A value that is not
what its field takes is kept as typed, so the check names it beside the field.
"""

from __future__ import annotations

import json
from typing import Any

from docgen.numbers import NotANumber, read_decimal
from docgen.text.punctuation import COMMA
from docgen.web.form_model import KeyPath

NUMBER_KINDS = ("number",)
OPS = ("set", "add-row", "remove-row", "attach", "detach")
MAX_PATH_TEXT = 1000  # the longest key path a page sends (as JSON); longer text is read no further
MAX_PATH_PARTS = 8  # the answers are never deeper (evidence, key, index, field)


class EditError(ValueError):
    """The change names no place in the answers (a bad path or row)."""


def parse_path(text: str) -> KeyPath:
    """Returns the key path a page sends as a JSON list (``["data", "main_revenue"]``).

    Raises:
        EditError: the text is too long, not a JSON list of keys and indexes, or too deep.
    """
    if len(text) > MAX_PATH_TEXT:
        raise EditError(text[:100])
    try:
        given = json.loads(text or "[]")
    except (ValueError, RecursionError):
        raise EditError(text[:100]) from None
    if (
        not isinstance(given, list)
        or len(given) > MAX_PATH_PARTS
        or not all(isinstance(p, str | int) and not isinstance(p, bool) for p in given)
    ):
        raise EditError(text[:100])
    return tuple(given)


def typed(text: str, kind: str) -> Any:
    """Returns an input's text as the answers hold it (None: no answer)."""
    value = text.strip() if kind != "textarea" else text.replace("\r\n", "\n")
    if value == "" or (kind == "textarea" and not value.strip()):
        return None
    if kind == "check":
        return value in ("true", "on", "1")
    if kind in NUMBER_KINDS:
        cleaned = value.replace(",", "").replace(COMMA, "")
        try:
            number = read_decimal(cleaned)  # bounded: 1e999999 stays text, and the check names it
        except NotANumber:
            return value
        return int(number) if number == number.to_integral_value() and "." not in cleaned else number
    return value


def _container(data: dict[str, Any], path: KeyPath, make: bool) -> Any:
    here: Any = data
    for part in path:
        if isinstance(here, dict) and isinstance(part, str):
            if part not in here or here[part] is None:
                if not make:
                    raise EditError(path)
                here[part] = {}
            here = here[part]
        elif isinstance(here, list) and isinstance(part, int) and 0 <= part < len(here):
            here = here[part]
        else:
            raise EditError(path)
    return here


def apply_edit(data: dict[str, Any], op: str, path: KeyPath, value: Any = None) -> None:
    """Applies one change to ``data`` in place.

    Raises:
        EditError: the path names no place this change can be made.
    """
    if (
        not path
        or not isinstance(path[0], str)
        or path[0]
        not in (
            "profile",
            "data",
            "items",
            "ratings",
            "narrative",
            "evidence",
        )
    ):
        raise EditError(path)
    if op == "set":
        parent = _container(data, path[:-1], make=len(path) == 2)
        last = path[-1]
        if isinstance(parent, dict) and isinstance(last, str):
            if value is None:
                parent.pop(last, None)
            else:
                parent[last] = value
        elif isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
            parent[last] = value
        else:
            raise EditError(path)
    elif op == "add-row":  # ("items", kind)
        if len(path) != 2:
            raise EditError(path)
        items = _container(data, ("items",), make=True)
        rows = items.get(path[1])
        if not isinstance(rows, list):
            rows = items[path[1]] = []
        rows.append(dict(value) if isinstance(value, dict) else {})
    elif op == "remove-row":  # ("items", kind, index) or ("evidence", key, index)
        rows = _container(data, path[:-1], make=False)
        if not isinstance(rows, list) or not isinstance(path[-1], int) or not 0 <= path[-1] < len(rows):
            raise EditError(path)
        del rows[path[-1]]
    elif op == "attach":  # ("evidence", key): value is the file path
        if len(path) != 2 or not isinstance(value, str):
            raise EditError(path)
        evidence = _container(data, ("evidence",), make=True)
        given = evidence.get(path[1])
        entries = [given] if isinstance(given, str) and given else given if isinstance(given, list) else []
        named = {e if isinstance(e, str) else e.get("file") for e in entries if isinstance(e, str | dict)}
        if value not in named:
            entries.append(value)
        evidence[path[1]] = entries
    elif op == "detach":  # ("evidence", key): value is the file path
        evidence = _container(data, ("evidence",), make=False)
        given = evidence.get(path[1]) if isinstance(evidence, dict) else None
        entries = [given] if isinstance(given, str) else given if isinstance(given, list) else []
        kept = [
            e
            for e in entries
            if (e if isinstance(e, str) else e.get("file") if isinstance(e, dict) else None) != value
        ]
        if kept:
            evidence[path[1]] = kept
        else:
            evidence.pop(path[1], None)
    else:
        raise EditError(op)
