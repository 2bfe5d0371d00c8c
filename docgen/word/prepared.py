"""EDGE: render many documents from one docxtpl template, prepared once per process.

Plain docxtpl re-reads, re-patches and re-compiles the template, re-serialises every part and
re-compresses the whole package for each document. A ``PreparedTemplate`` does the template work
once: the body XML patched by docxtpl's own ``patch_xml`` and compiled by Jinja, the styles, and
the compressed bytes of every part that does not change. Rendering one document is then: Jinja,
docxtpl's own post-processing (``resolve_listing``, ``fix_tables``, ``fix_docpr_ids``), docgen's
group-cell merging, and a zip in which only ``word/document.xml`` and ``docProps/core.xml`` are
compressed anew. The content is that of ``DocxTemplate.render`` (tests compare the XML).
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from docgen.word.xml import style_ids

DOCUMENT = "word/document.xml"
CORE = "docProps/core.xml"
_DOS_TIME, _DOS_DATE = 0, (0 << 9) | (1 << 5) | 1  # 1980-01-01 00:00, fixed for reproducible output
_BODY = re.compile(r"<w:body[ >].*</w:body>", re.DOTALL)


@dataclass
class _Entry:
    name: str
    crc: int
    size: int
    data: bytes  # raw deflate stream


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _entry(name: str, data: bytes) -> _Entry:
    return _Entry(name, zlib.crc32(data), len(data), _deflate(data))


def write_zip(entries: list[_Entry]) -> bytes:
    """Returns a zip archive of already-deflated entries with fixed timestamps."""
    out = bytearray()
    central = bytearray()
    for entry in entries:
        name = entry.name.encode("utf-8")
        offset = len(out)
        out += struct.pack(
            "<IHHHHHIIIHH",
            0x04034B50,
            20,
            0x0800,
            8,
            _DOS_TIME,
            _DOS_DATE,
            entry.crc,
            len(entry.data),
            entry.size,
            len(name),
            0,
        )
        out += name + entry.data
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            0x02014B50,
            20,
            20,
            0x0800,
            8,
            _DOS_TIME,
            _DOS_DATE,
            entry.crc,
            len(entry.data),
            entry.size,
            len(name),
            0,
            0,
            0,
            0,
            0o600 << 16,
            offset,
        )
        central += name
    start = len(out)
    out += central
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0)
    return bytes(out)


class PreparedTemplate:
    """A docxtpl template parsed, patched and compiled once."""

    def __init__(self, path: Path, environment) -> None:
        self.path = path
        raw = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            self.names = [info.filename for info in archive.infolist()]
            self.parts = {name: archive.read(name) for name in self.names}
        self._tpl = None
        shipped = _read_sidecar(path, raw)
        code = None
        ids = None
        if shipped is not None:  # the shipped templates come prepared: no docxtpl import needed
            patched, self._cells_change, self._premerged, code, ids = shipped
        else:
            patched, self._cells_change, self._premerged = prepare_source(path)
        self.source = patched
        self._environment = environment
        if code is not None and code[0] == _environment_key(environment):
            compiled = compile(code[1], str(path), "exec")
            self.template = environment.template_class.from_code(
                environment, compiled, environment.make_globals(None), None
            )
        else:
            self.template = environment.from_string(patched)
        document = self.parts[DOCUMENT].decode("utf-8")
        match = _BODY.search(document)
        if match is None:
            raise ValueError("word/document.xml has no body")
        self.prefix, self.suffix = document[: match.start()], document[match.end() :]
        if ids is None:  # styles.xml is ~350 KB in Word's templates: parsed only when not prepared
            ids = style_ids(self.parts["word/styles.xml"]) if "word/styles.xml" in self.parts else {}
        self.style_ids = ids
        self._fixed = {
            name: _entry(name, data) for name, data in self.parts.items() if name not in (DOCUMENT, CORE)
        }
        self._jinja_parts = [
            name
            for name, data in self.parts.items()
            if name.startswith("word/") and name != DOCUMENT and (b"{{" in data or b"{%" in data)
        ]

    def _docxtpl(self):
        """Returns a docxtpl instance for its post-processing helpers (created on first need)."""
        if self._tpl is None:
            from docxtpl import DocxTemplate

            self._tpl = DocxTemplate(self.path)
        return self._tpl

    @functools.cached_property
    def variables(self) -> set[str]:
        """Returns the context variables the template uses (parsed on first use only)."""
        from jinja2 import meta

        return set(meta.find_undeclared_variables(self._environment.parse(self.source)))

    def body_xml(self, context: dict[str, Any]) -> str:
        """Returns the rendered body after docxtpl's post-processing and docgen's merging."""
        xml = self.template.render(context).replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(ch in xml for ch in "\t\a\n\f"):  # resolve_listing changes nothing otherwise
            xml = self._docxtpl().resolve_listing(xml)
        if self._premerged and not self._cells_change and "docPr" not in xml:
            return xml  # merging done by the source: no parse needed
        if self._cells_change:
            tree = self._docxtpl().fix_tables(xml)
        else:
            try:
                tree = etree.fromstring(xml)
            except etree.XMLSyntaxError:
                tree = self._docxtpl().fix_tables(xml)  # docxtpl parses leniently; so do we then
        if "docPr" in xml:
            self._docxtpl().docx_ids_index = 1000
            self._docxtpl().fix_docpr_ids(tree)
        if not self._premerged:
            from docgen.word.merge import merge_captioned_tables

            merge_captioned_tables(tree)
        return etree.tostring(tree, encoding="unicode")

    def render(self, context: dict[str, Any], properties: dict[str, Any]) -> bytes:
        """Returns the .docx bytes of one document."""
        if self._jinja_parts:
            raise NotImplementedError("templates with fields in headers or footers use the plain path")
        document = (self.prefix + self.body_xml(context) + self.suffix).encode("utf-8")
        entries = []
        for name in self.names:
            if name == DOCUMENT:
                entries.append(_entry(name, document))
            elif name == CORE:
                entries.append(_entry(name, core_properties(self.parts[CORE], properties)))
            else:
                entries.append(self._fixed[name])
        return write_zip(entries)


_NS = {
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def core_properties(xml: bytes, properties: dict[str, Any]) -> bytes:
    """Returns core.xml with title, author and dates set (the same fields docgen sets elsewhere)."""
    root = etree.fromstring(xml)

    def put(tag: str, value: str, w3cdtf: bool = False) -> None:
        prefix, local = tag.split(":")
        element = root.find(f"{{{_NS[prefix]}}}{local}")
        if element is None:
            element = etree.SubElement(root, f"{{{_NS[prefix]}}}{local}")
        element.text = value
        if w3cdtf:
            element.set(f"{{{_NS['xsi']}}}type", "dcterms:W3CDTF")

    stamp = properties.get("timestamp")
    if isinstance(stamp, dt.datetime):
        text = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
        put("dcterms:created", text, True)
        put("dcterms:modified", text, True)
        put("cp:lastPrinted", text)
    put("dc:title", str(properties.get("title", "")))
    put("dc:creator", str(properties.get("author", "docgen")))
    put("cp:lastModifiedBy", "docgen")
    put("cp:revision", "1")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def prepare_source(path: Path) -> tuple[str, bool, bool]:
    """Returns the template body as Jinja source, patched by docxtpl; whether its tables' cell
    counts can change ({%tc}, hm, colspan — then docxtpl's fix_tables must run); and whether the
    group-cell merging of every ``docgen-merge`` table is done by the source itself."""
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(path)
    tpl.render_init()
    body = tpl.get_xml()
    cells_change = bool(re.search(r"\{%-?\s*(tc|hm)\b|colspan", body))
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(body))
    merged, premerged = inline_merges(source)
    return (merged if premerged else source), cells_change, premerged


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
    out, position, ok = [], 0, True
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
        attrs = []
        for cell in cells[:columns]:
            text = re.sub(r"<[^>]+>", "", cell.group()).strip()
            match = re.fullmatch(r"\{\{\s*" + var + r"\.(\w+)\s*\}\}", text)
            if match is None or len(cells) < columns:
                return source, False
            attrs.append(match.group(1))
        new_row, last = [], 0
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


def sidecar_path(path: Path) -> Path:
    """Returns where a template's prepared source is kept (``name.prepared.json``)."""
    return path.with_name(path.stem + ".prepared.json")


def write_sidecar(path: Path) -> None:
    """Writes the prepared source next to a shipped template (tools/make_templates.py)."""
    import hashlib
    import json

    from docgen.word.environment import environment

    source, cells_change, premerged = prepare_source(path)
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("word/styles.xml") if "word/styles.xml" in archive.namelist() else None
    env = environment()
    record = {
        "template_sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "cells_change": cells_change,
        "premerged": premerged,
        "source": source,
        "environment": _environment_key(env),
        "code": env.compile(source, raw=True),
        "style_ids": style_ids(styles) if styles is not None else {},
    }
    sidecar_path(path).write_text(json.dumps(record, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")


def _environment_key(environment) -> str:
    """Returns what the generated template code depends on: Jinja's version and the settings."""
    import jinja2

    return (
        f"jinja2 {jinja2.__version__} {type(environment).__name__} autoescape={environment.autoescape} "
        f"undefined={environment.undefined.__name__}"
    )


def _read_sidecar(
    path: Path, raw: bytes
) -> tuple[str, bool, bool, tuple[str, str] | None, dict[str, str] | None] | None:
    import hashlib
    import json

    try:
        record = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("template_sha256") != hashlib.sha256(raw).hexdigest():
        return None  # the template was edited: prepare it afresh
    code = (str(record["environment"]), str(record["code"])) if "code" in record else None
    ids = record.get("style_ids")
    ids = {str(k): str(v) for k, v in ids.items()} if isinstance(ids, dict) else None
    return str(record["source"]), bool(record["cells_change"]), bool(record.get("premerged")), code, ids


_CACHE: dict[tuple[str, float, int], PreparedTemplate] = {}


def prepared(path: Path, environment_factory) -> PreparedTemplate:
    """Returns the template prepared once per process (keyed by path, mtime and size)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = PreparedTemplate(path, environment_factory())
    return _CACHE[key]
