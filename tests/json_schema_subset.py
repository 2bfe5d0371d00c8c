"""A small validator for the subset of JSON Schema (draft 2020-12) that docgen's schemas use.

The ``jsonschema`` package is not among docgen's dependencies, so the tests validate with this.
It knows ``type`` (one or a list), ``const``, ``enum``, ``properties``, ``required``,
``additionalProperties`` (a boolean), ``items``, ``$ref`` to ``#/$defs/…`` and the annotations
(``$schema``, ``$id``, ``title``, ``description``, ``$defs``). Any other keyword is refused, so a
schema cannot use one that this validator would silently skip. Booleans are not numbers, and an
integer is a number whose fractional part is zero (as JSON Schema says).
"""

from __future__ import annotations

from typing import Any

ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "$defs"})
KEYWORDS = frozenset(
    {"type", "const", "enum", "properties", "required", "additionalProperties", "items", "$ref"}
)


class SchemaError(Exception):
    """The schema uses a keyword outside the subset (a problem of the schema, not the data)."""


def _is_type(value: Any, name: str) -> bool:
    if name == "null":
        return value is None
    if name == "boolean":
        return isinstance(value, bool)
    if name == "string":
        return isinstance(value, str)
    if name == "array":
        return isinstance(value, list)
    if name == "object":
        return isinstance(value, dict)
    if name == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if name == "integer":
        return _is_type(value, "number") and float(value).is_integer()
    raise SchemaError(f"unknown type {name!r}")


def _same(a: Any, b: Any) -> bool:
    """JSON equality: true is not 1, 1 is 1.0."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def errors(
    value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, at: str = "$"
) -> list[str]:
    """Returns every place where ``value`` does not follow ``schema`` (empty when it does)."""
    root = schema if root is None else root
    unknown = set(schema) - KEYWORDS - ANNOTATIONS
    if unknown:
        raise SchemaError(f"{at}: keywords outside the subset: {sorted(unknown)}")
    if not isinstance(schema.get("additionalProperties", False), bool):
        raise SchemaError(f"{at}: additionalProperties must be true or false here")
    out: list[str] = []
    if "$ref" in schema:
        ref = schema["$ref"]
        if not ref.startswith("#/$defs/"):
            raise SchemaError(f"{at}: only local #/$defs references: {ref}")
        out += errors(value, root["$defs"][ref.removeprefix("#/$defs/")], root, at)
    if "type" in schema:
        types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        if not any(_is_type(value, t) for t in types):
            return [*out, f"{at}: {value!r} is not of type {types}"]
    if "const" in schema and not _same(value, schema["const"]):
        out.append(f"{at}: {value!r} is not {schema['const']!r}")
    if "enum" in schema and not any(_same(value, v) for v in schema["enum"]):
        out.append(f"{at}: {value!r} is not one of {schema['enum']}")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        for key in schema.get("required", []):
            if key not in value:
                out.append(f"{at}: missing required key {key!r}")
        for key, item in value.items():
            if key in properties:
                out += errors(item, properties[key], root, f"{at}.{key}")
            elif schema.get("additionalProperties", True) is False:
                out.append(f"{at}: key {key!r} is not in the schema")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            out += errors(item, schema["items"], root, f"{at}[{index}]")
    return out
