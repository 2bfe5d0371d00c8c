"""EDGE: render Word documents with docxtpl (sandboxed, strict, XML-escaped).

``report_context`` and ``missing_context`` build plain dictionaries from the score cards and the
evidence report; ``render_docx`` fills a template. Every value is escaped by Jinja's autoescape,
the environment is a SandboxedEnvironment with StrictUndefined, and templates whose variables
are not in the documented context are refused before rendering.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from docgen.errors import TemplateRenderError
from docgen.resources import folder

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def template_path(name: str) -> Path:
    """Returns the path of a default template in templates/."""
    return folder("templates") / name


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


def render_docx(template: Path, build_context, names: set[str] | None, *, merge_tables: bool = True) -> bytes:
    """Returns the rendered .docx bytes.

    Args:
        template: the docxtpl template.
        build_context: called with the DocxTemplate; returns the context (so subdocuments can be
            made from the template itself).
        names: the documented context variables; a template using any other is refused before
            anything is rendered. None skips the check (the shipped templates, which the test
            suite checks against the documented context once).
        merge_tables: merge repeated group cells of tables captioned ``docgen-merge:N``.

    Raises:
        TemplateRenderError: the template is unusable or fails to render.
    """
    from docxtpl import DocxTemplate

    try:
        tpl = DocxTemplate(template)
        unknown = (
            tpl.get_undeclared_template_variables(_environment(), dict.fromkeys(names))
            if names is not None
            else set()
        )
        if unknown:
            raise TemplateRenderError(
                f"模板 {template.name} 使用了未定义的变量：{'、'.join(sorted(unknown))}",
                hint="可用变量见 docs/templates.md",
            )
        context = build_context(tpl)
        tpl.render(context, _environment(), autoescape=True)
    except SecurityError as exc:
        raise TemplateRenderError(f"模板 {template.name} 试图访问不安全的内容，已拒绝：{exc}") from exc
    except TemplateError as exc:
        raise TemplateRenderError(f"模板 {template.name} 渲染失败：{exc}") from exc
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise TemplateRenderError(f"无法使用模板 {template.name}：{exc}") from exc
    if merge_tables:
        _merge_tables(tpl.docx)
    _stamp_properties(tpl.docx, context)
    buffer = io.BytesIO()
    tpl.docx.save(buffer)
    return normalise_zip(buffer.getvalue())


def undeclared_variables(template: Path, names: set[str]) -> set[str]:
    """Returns the variables ``template`` uses that are not in ``names``."""
    from docxtpl import DocxTemplate

    return set(DocxTemplate(template).get_undeclared_template_variables(_environment(), dict.fromkeys(names)))


def style_or_default(document, name: str) -> str | None:
    """Returns ``name`` when the document defines that style, else None (the default style)."""
    try:
        document.styles[name]
    except KeyError:
        return None
    return name


def _merge_tables(document) -> None:
    from docx.oxml.ns import qn

    from docgen.wordxml import merge_repeated

    for table in document.tables:
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        if caption is None:
            continue
        match = re.match(r"docgen-merge:(\d)", caption.get(qn("w:val")) or "")
        if match:
            merge_repeated(table, int(match.group(1)))


def _stamp_properties(document, context: dict[str, Any]) -> None:
    props = document.core_properties
    stamp = context.get("_timestamp")
    if isinstance(stamp, dt.datetime):
        props.created = stamp
        props.modified = stamp
        props.last_printed = stamp
    props.title = str(context.get("_title", ""))
    props.author = str(context.get("_author", "docgen"))
    props.last_modified_by = "docgen"
    props.revision = 1


def normalise_zip(data: bytes) -> bytes:
    """Returns the zip with fixed entry timestamps and attributes (byte-identical rebuilds)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()
