"""CORE: the skeleton answers file of a program (``docgen init``), as commented YAML text."""

from __future__ import annotations

from docgen.answers import rating_rules, used_keys
from docgen.answers.usage import item_uses
from docgen.definitions.catalog import Catalog
from docgen.model.definitions import ItemKind, Outline, Program
from docgen.model.field_types import field_type
from docgen.text.labels import TEXT
from docgen.text.outputs_text import OUTPUTS_TEXT
from docgen.text.punctuation import ENUM_COMMA


def _item_example(kind: ItemKind, report_year: int) -> str:
    """Returns one example item of ``kind`` with every field it has (a field that changes a count,
    such as staff ``expert``, is there to be seen), each with its type's placeholder."""
    values = []
    for name, spec in kind.fields.items():
        if spec.choices:
            value = next(iter(spec.choices))
        elif spec.type == "file":
            value = f"evidence/{kind.label}.pdf"
        else:
            value = field_type(spec.type).placeholder.format(year=report_year)
        values.append(f"{name}: {value}")
    return "{" + ", ".join(values) + "}"


def _comment_block(text: str, indent: str, width: int = 60) -> list[str]:
    lines: list[str] = []
    while text:
        lines.append(f"{indent}# {text[:width]}")
        text = text[width:]
    return lines


def skeleton(program: Program, catalog: Catalog, outline: Outline) -> str:
    """Returns a commented answers.yaml for ``program`` with every field, item kind and section."""
    out = [
        OUTPUTS_TEXT["skeleton.title"].format(title=program.title, id=program.id),
        OUTPUTS_TEXT["skeleton.basis"]
        .format(issuer=program.issuer, document_number=program.document_number)
        .rstrip(),
        OUTPUTS_TEXT["skeleton.data_hint"],
        f"program: {program.id}",
        "",
        "profile:",
    ]
    for key, spec in catalog.profile_fields.items():
        if key == "application_type":
            value = program.kinds[0] if program.kinds else OUTPUTS_TEXT["skeleton.default_kind"]
        elif key == "report_year":
            value = str(program.year - 1)
        else:
            value = field_type(spec.type).placeholder.format(year=program.year)
        required = OUTPUTS_TEXT["skeleton.required_mark"] if spec.required else ""
        out.append(f"  {key}: {value}   # {spec.label}{required}")
    out += ["", "data:"]
    explanations = {row.key: row.explanation for row in program.data_rows if row.key}
    labels = {row.key: row.label for row in program.data_rows if row.key}
    derived_kinds = item_uses(program, catalog)
    for key in used_keys(program, catalog):
        f = catalog.fields[key]
        label = labels.get(key, f.label)
        if f.derive:
            continue
        if explanations.get(key):
            out += _comment_block(explanations[key], "  ")
        out.append(OUTPUTS_TEXT["skeleton.data_line"].format(key=key, label=label, unit=f.unit))
    out += ["", OUTPUTS_TEXT["skeleton.items_heading"]]
    for kind, uses in derived_kinds.items():
        # written commented out: an empty list would be items given as none, and would contradict
        # a count the user gives as a number instead
        item = catalog.item_kinds[kind]
        out.append(
            OUTPUTS_TEXT["skeleton.item_kind_uses"].format(label=item.label)
            + ENUM_COMMA.join(dict.fromkeys(uses))
            + OUTPUTS_TEXT["skeleton.uncomment_hint"]
        )
        out.append(f"  # {kind}:")
        out.append(f"  #   - {_item_example(item, program.year - 1)}")
    ratings = rating_rules(program, catalog)
    if ratings:
        out += ["", OUTPUTS_TEXT["skeleton.ratings_heading"]]
        for key, (title, words) in ratings.items():
            out.append(
                OUTPUTS_TEXT["skeleton.rating_line"].format(
                    key=key, example=words[0], title=title, choices="/".join(words)
                )
            )
    out += [
        "",
        OUTPUTS_TEXT["skeleton.narrative_heading"],
    ]
    for section in outline.sections:
        # the guidance is a comment above the section: inside the | block it would be the answer
        # (a heading in the report, the points «covered»); the placeholder is an error until replaced
        if section.points:
            points = ENUM_COMMA.join(p.title for p in section.points)
            out += _comment_block(TEXT["narrative_guidance"].format(points=points), "  ")
        out.append(f'  "{section.id}": |   # {section.title}')
        out.append(
            "    " + TEXT["narrative_placeholder"].format(title=section.title, min_chars=section.min_chars)
        )
    out += ["", OUTPUTS_TEXT["skeleton.evidence_heading"]]
    checklist = catalog.checklists.get(program.checklist or "")
    if checklist:
        for doc in checklist.documents:
            if len(doc.proves) == 1:
                out.append(OUTPUTS_TEXT["skeleton.evidence_items_line"].format(key=doc.key, title=doc.title))
            else:
                out.append(
                    f'  {doc.key}: ""   # {doc.title}{OUTPUTS_TEXT["skeleton.evidence_required_mark"] if doc.required else ""}'
                )
    return "\n".join(out) + "\n"
