"""The ``profile`` section: company facts, each converted by its field type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.answers.context import Context, label_index, mapping_section, resolve_key
from docgen.definitions.catalog import Catalog
from docgen.model.field_types import field_type


def read_profile(ctx: Context, data: Mapping[str, Any], catalog: Catalog) -> dict[str, Any]:
    """Returns the profile's canonical values by key; reports unknown, invalid and missing ones."""
    raw = mapping_section(ctx, data, "profile")
    fields = catalog.profile_fields
    index = label_index({k: [f.label, *f.label_aliases] for k, f in fields.items()})
    profile: dict[str, Any] = {}
    for raw_key, value in raw.items():
        path = ("profile", raw_key)
        key = resolve_key(ctx, raw_key, fields, index, path)
        if key is None:
            continue
        if not ctx.claim(("profile", key), path, "answers.field_twice", label=fields[key].label):
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        spec = fields[key]
        converted = field_type(spec.type).convert(value, spec)
        ctx.place(converted.diagnostics, path)
        if converted.accepted:
            profile[key] = converted.value
    for key, f in fields.items():
        if key in profile or ctx.reported("profile", key):
            continue
        if f.required:
            ctx.add("answers.required", ("profile", key), line_path=("profile",), label=f.label, key=key)
        elif f.expected:
            ctx.add("answers.expected", ("profile", key), line_path=("profile",), label=f.label, key=key)
    return profile
