"""EDGE: answers written as YAML or JSON text (``docgen convert``), values kept exactly.

Exact numbers (Decimal) are written as their digits, never through a float; dates as ISO dates;
text that YAML would read as something else (``"35"``, ``"1.1"``, ``"no"``) quoted; a text of
several lines as a ``|`` block, as a person writes a narrative.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from decimal import Decimal
from typing import Any

import yaml

from docgen.numbers import within_bounds


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    """SafeDumper with exact decimals and block text (libyaml's emitter where PyYAML has it: a
    tenth of the time of the pure-Python one, which a web edit pays on every change)."""


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    if not value.is_finite() or not within_bounds(value):  # what no reader keeps: its short form
        return dumper.represent_str(str(value))
    text = format(value, "f")
    if "." not in text:
        return dumper.represent_int(int(text))
    return dumper.represent_scalar("tag:yaml.org,2002:float", text)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_str(value)


_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(str, _text)


def answers_yaml(data: Any, header: str = "") -> bytes:
    """Returns ``data`` as YAML text (UTF-8), after ``header`` (comment lines)."""
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return (header + text).encode("utf-8")


def answers_json(data: Any) -> bytes:
    """Returns ``data`` as indented JSON (UTF-8), decimals as their exact digits."""
    token = secrets.token_hex(8)
    numbers: list[str] = []

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            numbers.append(format(value, "f"))
            return f"@{token}:{len(numbers) - 1}@"
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        raise TypeError(type(value).__name__)

    text = json.dumps(data, ensure_ascii=False, indent=2, default=default)
    for index, number in enumerate(numbers):
        text = text.replace(f'"@{token}:{index}@"', number, 1)
    return (text + "\n").encode("utf-8")
