"""The ``ratings`` section: the self-rating words of the qualitative lines a program scores."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from docgen.answers.context import Context, mapping_section, suggest
from docgen.answers.usage import rating_rules
from docgen.definitions.catalog import Catalog
from docgen.model.definitions import Program
from docgen.text.punctuation import ENUM_COMMA


def read_ratings(ctx: Context, data: Mapping[str, Any], program: Program, catalog: Catalog) -> dict[str, str]:
    """Returns the rating word under each key (given by key or by the line's title); reports
    unknown keys, words the line does not accept and ratings left out."""
    raw = mapping_section(ctx, data, "ratings")
    rules = rating_rules(program, catalog)
    titles = {title: key for key, (title, _) in rules.items()}
    out: dict[str, str] = {}
    for raw_key, value in raw.items():
        path = ("ratings", raw_key)
        key = raw_key if raw_key in rules else titles.get(raw_key)
        if key is None:
            ctx.add("answers.unknown_key", path, key=raw_key, suggestion=suggest(raw_key, list(rules)))
            continue
        if not ctx.claim(("ratings", key), path, "answers.field_twice", label=rules[key][0]):
            continue
        words = rules[key][1]
        if not isinstance(value, str) or value.strip() not in words:
            ctx.add("answers.choice", path, label=rules[key][0], value=value, allowed=ENUM_COMMA.join(words))
            continue
        out[key] = value.strip()
    for key, (title, words) in rules.items():
        if key not in out and not ctx.reported("ratings", key):
            ctx.add(
                "answers.missing_rating",
                ("ratings", key),
                line_path=("ratings",),
                label=title,
                key=key,
                allowed=ENUM_COMMA.join(words),
            )
    return out
