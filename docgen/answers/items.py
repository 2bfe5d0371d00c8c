"""The ``items`` section: itemised claims (standards, awards, patents …), one mapping per item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.answers.context import Context, mapping_section, suggest
from docgen.definitions.catalog import Catalog
from docgen.diagnostics import KeyPath
from docgen.model.answers import Item
from docgen.model.counting import identity
from docgen.model.definitions import ItemKind
from docgen.model.field_types import field_type


def read_items(ctx: Context, data: Mapping[str, Any], catalog: Catalog) -> dict[str, tuple[Item, ...]]:
    """Returns the valid items of each listed kind; an item with an invalid or missing required
    field is left out (with its findings)."""
    raw = mapping_section(ctx, data, "items")
    out: dict[str, tuple[Item, ...]] = {}
    for kind_key, entries in raw.items():
        kind = catalog.item_kinds.get(kind_key)
        if kind is None:
            ctx.add(
                "answers.unknown_key",
                ("items", kind_key),
                key=kind_key,
                suggestion=suggest(kind_key, list(catalog.item_kinds)),
            )
            continue
        if entries is None:
            entries = []
        if not isinstance(entries, list):
            ctx.add("answers.items_not_list", ("items", kind_key), kind=kind_key)
            continue
        items: list[Item] = []
        for index, entry in enumerate(entries):
            path: KeyPath = ("items", kind_key, index)
            if not isinstance(entry, Mapping):
                ctx.add("answers.item_not_mapping", path, kind=kind.label)
                continue
            item = _read_item(ctx, kind, entry, path, index)
            if item is not None:
                items.append(item)
        if not kind.repeats:
            _warn_repeats(ctx, kind, items)
        out[kind_key] = tuple(items)
    return out


def _read_item(
    ctx: Context, kind: ItemKind, entry: Mapping[str, Any], path: KeyPath, index: int
) -> Item | None:
    """Returns one item with its canonical field values, or None when a field is wrong or missing."""
    values: dict[str, Any] = {}
    ok = True
    for field_key, value in entry.items():
        spec = kind.fields.get(field_key)
        if spec is None:
            ctx.add(
                "answers.unknown_key",
                (*path, field_key),
                key=field_key,
                suggestion=suggest(field_key, list(kind.fields)),
            )
            continue
        if value is None:
            continue
        converted = field_type(spec.type).convert(value, spec)
        ctx.place(converted.diagnostics, (*path, field_key))
        ok &= converted.accepted
        if converted.accepted:
            values[field_key] = converted.value
    for field_key, spec in kind.fields.items():
        if spec.required and field_key not in entry:
            ctx.add("answers.required", (*path, field_key), line_path=path, label=spec.label, key=field_key)
            ok = False
    if not ok:
        return None
    own = None if kind.repeats else identity(values.get(kind.identifier))
    return Item(str(path[1]), index, values, ctx.line_at(path), own)


def _warn_repeats(ctx: Context, kind: ItemKind, items: list[Item]) -> None:
    """Warns about an identifier listed twice (counts and scores take it once: Item.identity)."""
    first: dict[str, Item] = {}
    for item in items:
        if item.identity is None:
            continue
        if item.identity in first:
            ctx.add(
                "answers.duplicate_item",
                ("items", kind.key, item.index),
                kind=kind.label,
                name=item.values.get(kind.identifier),
                first=first[item.identity].index + 1,
                second=item.index + 1,
            )
        else:
            first[item.identity] = item
