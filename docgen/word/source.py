"""EDGE: a docxtpl template's body as Jinja source — patched by docxtpl, group cells merged by Jinja.

What ``PreparedTemplate`` compiles, and what a shipped template's sidecar stores.
"""

from __future__ import annotations

import re
from pathlib import Path


def prepare_source(path: Path) -> tuple[str, bool, bool]:
    """Returns the template body as Jinja source, patched by docxtpl; whether its tables' cell
    counts can change ({%tc}, hm, colspan — then docxtpl's fix_tables must run); and whether the
    group-cell merging of every ``docgen-merge`` table is done by the source itself."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(path)
    tpl.render_init()
    body = str(tpl.get_xml())
    cells_change = bool(re.search(r"\{%-?\s*(tc|hm)\b|colspan", body))
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", literal_escapes(str(tpl.patch_xml(body))))
    merged, premerged = inline_merges(source)
    return (merged if premerged else source), cells_change, premerged


# docxtpl's escapes for literal Jinja delimiters in a template's own text ({_{ prints {{, and so on)
_ESCAPES = {"{_{": "{{", "}_}": "}}", "{_%": "{%", "%_}": "%}"}
_ESCAPE = re.compile("|".join(re.escape(e) for e in _ESCAPES))
_JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def literal_escapes(source: str) -> str:
    """Returns the template source with docxtpl's escapes ``{_{ }_} {_% %_}``, in the template's
    own text, turned into Jinja expressions that print the delimiter (``{{ '{{' }}``).

    docxtpl replaces them in the *rendered* XML instead, where they can no longer be told from
    the same characters in a value: a narrative typed with ``{_{`` came out with ``{{``. Done in
    the source, the escape means what the template author meant, and values come out as typed.
    """
    if _ESCAPE.search(source) is None:
        return source
    parts: list[str] = []
    position = 0
    for tag in _JINJA_TAG.finditer(source):
        parts.append(_escaped(source[position : tag.start()]) + tag.group())
        position = tag.end()
    parts.append(_escaped(source[position:]))
    return "".join(parts)


def _escaped(text: str) -> str:
    return _ESCAPE.sub(lambda m: "{{ '" + _ESCAPES[m.group()] + "' }}", text)


_TABLE = re.compile(r"<w:tbl>(?:(?!<w:tbl>).)*?</w:tbl>", re.DOTALL)
_LOOP_ROW = re.compile(
    r"\{%-?\s*for\s+(\w+)\s+in\s+[^%]+%\}\s*(<w:tr[ >].*?</w:tr>)\s*\{%-?\s*endfor\s*-?%\}", re.DOTALL
)
_CELL = re.compile(r"<w:tc>.*?</w:tc>", re.DOTALL)


def inline_merges(source: str) -> tuple[str, bool]:
    """Returns the source with the vertical merging of ``docgen-merge:N`` tables done by Jinja.

    The merge rule is docgen.xmlmerge's: a group cell continues the one above when it and every
    cell to its left show the same non-empty text; it restarts a merged run when the row below
    continues it. Written with ``loop.previtem``/``loop.nextitem`` into each group cell's tcPr (a
    vMerge and vAlign, as the DOM merge appends them) and around its runs (a continued cell is
    empty), so rendering needs no parse of the body. Only loop rows whose group cells each hold a
    single ``{{ var.attr }}`` qualify; otherwise (False) the DOM merge runs after rendering.
    """
    out: list[str] = []
    position, ok = 0, True
    for table in _TABLE.finditer(source):
        caption = re.search(r'w:tblCaption w:val="docgen-merge:(\d)"', table.group())
        if caption is None:
            continue
        columns = int(caption.group(1))
        loop = _LOOP_ROW.search(table.group())
        if loop is None:
            return source, False
        var, row = loop.group(1), loop.group(2)
        cells = list(_CELL.finditer(row))
        attrs: list[str] = []
        for cell in cells[:columns]:
            text = re.sub(r"<[^>]+>", "", cell.group()).strip()
            match = re.fullmatch(r"\{\{\s*" + var + r"\.(\w+)\s*\}\}", text)
            if match is None or len(cells) < columns:
                return source, False
            attrs.append(match.group(1))
        new_row: list[str] = []
        last = 0
        for index, cell in enumerate(cells[:columns]):
            prev = " and ".join(f"{var}.{a} == loop.previtem.{a}" for a in attrs[: index + 1])
            nxt = " and ".join(f"{var}.{a} == loop.nextitem.{a}" for a in attrs[: index + 1])
            here = f"{var}.{attrs[index]} != ''"
            cont = f"(loop.previtem is defined and {prev} and {here})"
            start = f"(loop.nextitem is defined and {nxt} and {here})"
            marks = (
                f'{{% if {cont} %}}<w:vMerge/><w:vAlign w:val="center"/>'
                f'{{% elif {start} %}}<w:vMerge w:val="restart"/><w:vAlign w:val="center"/>{{% endif %}}'
            )
            text = cell.group().replace("</w:tcPr>", marks + "</w:tcPr>", 1)
            first_run = re.search(r"<w:r[ >]", text)
            last_run = text.rfind("</w:r>")
            if first_run is None or last_run < 0:
                return source, False
            end = last_run + len("</w:r>")
            text = (
                text[: first_run.start()]
                + f"{{% if not {cont} %}}"
                + text[first_run.start() : end]
                + "{% endif %}"
                + text[end:]
            )
            new_row.append(row[last : cell.start()] + text)
            last = cell.end()
        new_row.append(row[last:])
        new_table = table.group().replace(row, "".join(new_row), 1)
        out.append(source[position : table.start()] + new_table)
        position = table.end()
    out.append(source[position:])
    return "".join(out), ok
