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

import functools
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template
from lxml import etree

from docgen.word.package import CORE, CoreProperties, ZipMember, stamp_core_properties, write_zip, zip_member
from docgen.word.sidecar import Prepared, read_sidecar
from docgen.word.source import prepare_source
from docgen.word.xml import style_ids

DOCUMENT = "word/document.xml"
_BODY = re.compile(r"<w:body[ >].*</w:body>", re.DOTALL)


class PreparedTemplate:
    """A docxtpl template parsed, patched and compiled once."""

    def __init__(self, path: Path, environment: Environment) -> None:
        self.path = path
        raw = path.read_bytes()
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            self.names = [info.filename for info in archive.infolist()]
            self.parts = {name: archive.read(name) for name in self.names}
        self._tpl: Any = None
        self._environment = environment
        # a shipped template comes prepared (no docxtpl import needed); any other is prepared
        # from the .docx itself, whatever lies next to it
        shipped = read_sidecar(path, raw, environment)
        if shipped is not None:
            self.template = _from_code(environment, shipped.code, path)
            prep = shipped
        else:
            source, cells_change, premerged = prepare_source(path)
            prep = Prepared(source, cells_change, premerged, "", _style_ids(self.parts))
            self.template = environment.from_string(source)
        self.source = prep.source
        self._cells_change, self._premerged = prep.cells_change, prep.premerged
        self.style_ids = prep.style_ids
        document = self.parts[DOCUMENT].decode("utf-8")
        match = _BODY.search(document)
        if match is None:
            raise ValueError("word/document.xml has no body")
        self.prefix, self.suffix = document[: match.start()], document[match.end() :]
        self._fixed = {
            name: zip_member(name, data) for name, data in self.parts.items() if name not in (DOCUMENT, CORE)
        }
        self._jinja_parts = [
            name
            for name, data in self.parts.items()
            if name.startswith("word/") and name != DOCUMENT and (b"{{" in data or b"{%" in data)
        ]

    def _docxtpl(self) -> Any:
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
        # docxtpl's {_{ escapes were resolved in the source (source.literal_escapes): a value that
        # contains them is left as typed
        if any(ch in xml for ch in "\t\a\n\f"):  # resolve_listing changes nothing otherwise
            xml = str(self._docxtpl().resolve_listing(xml))
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
        return str(etree.tostring(tree, encoding="unicode"))

    def render(self, context: dict[str, Any], properties: CoreProperties) -> bytes:
        """Returns the .docx bytes of one document.

        Raises:
            NotImplementedError: the template has Jinja tags outside the body (render it plainly).
        """
        if self._jinja_parts:
            raise NotImplementedError("templates with fields in headers or footers use the plain path")
        document = (self.prefix + self.body_xml(context) + self.suffix).encode("utf-8")
        members: list[ZipMember] = []
        for name in self.names:
            if name == DOCUMENT:
                members.append(zip_member(name, document))
            elif name == CORE:
                members.append(zip_member(name, stamp_core_properties(self.parts[CORE], properties)))
            else:
                members.append(self._fixed[name])
        return write_zip(members)


def _from_code(environment: Environment, code: str, path: Path) -> Template:
    """Returns the template whose Jinja-generated Python ``code`` a shipped sidecar holds."""
    compiled = compile(code, str(path), "exec")
    return environment.template_class.from_code(environment, compiled, environment.make_globals(None), None)


def _style_ids(parts: dict[str, bytes]) -> dict[str, str]:
    """Returns the template's style ids (styles.xml is ~350 KB: parsed only when not prepared)."""
    styles = parts.get("word/styles.xml")
    return style_ids(styles) if styles is not None else {}


_CACHE: dict[tuple[str, float, int], PreparedTemplate] = {}


def prepared(path: Path, environment_factory: Callable[[], Environment]) -> PreparedTemplate:
    """Returns the template prepared once per process (keyed by path, mtime and size)."""
    stat = path.stat()
    key = (str(path.resolve()), stat.st_mtime, stat.st_size)
    if key not in _CACHE:
        _CACHE[key] = PreparedTemplate(path, environment_factory())
    return _CACHE[key]
