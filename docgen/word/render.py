"""EDGE: render Word documents from docxtpl templates (sandboxed, strict, XML-escaped).

Templates are prepared once per process (``docgen.word.prepared``); every value is escaped by
Jinja's autoescape in a SandboxedEnvironment with StrictUndefined, and a template whose
variables are not in the documented context is refused before anything is rendered.
``render_plain`` is the straightforward docxtpl rendering, kept as the reference the fast path
is compared with (tests, benchmarks).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from jinja2 import TemplateError
from jinja2.exceptions import SecurityError

from docgen.errors import TemplateRenderError
from docgen.resources import folder
from docgen.text.commands import TEMPLATE_LIMITS
from docgen.text.punctuation import ENUM_COMMA
from docgen.text.word_text import WORD_TEXT
from docgen.word.environment import (
    MAX_LOOP_ITERATIONS,
    MAX_OUTPUT_CHARS,
    MAX_POWER_BITS,
    MAX_RENDER_SECONDS,
    MAX_VALUE_CHARS,
    RenderLimitExceeded,
    environment,
)
from docgen.word.package import CoreProperties, document_properties, normalise_zip

ContextBuilder = Callable[[dict[str, str]], dict[str, Any]]


def template_path(name: str) -> Path:
    """Returns the path of a default template in templates/."""
    return folder("templates") / name


def _properties(context: dict[str, Any]) -> CoreProperties:
    """Returns the document properties the context asks for (``_timestamp``, ``_title``, ``_author``)."""
    return document_properties(
        context.get("_timestamp"), str(context.get("_title", "")), str(context.get("_author", "docgen"))
    )


def render_docx(template: Path, build_context: ContextBuilder, names: set[str] | None) -> bytes:
    """Returns the rendered .docx bytes.

    Args:
        template: the docxtpl template.
        build_context: called with the template's style ids (name → id); returns the context.
        names: the documented context variables; a template using any other is refused before
            anything is rendered. None skips the check (the shipped templates, which the test
            suite checks against the documented context once).

    Raises:
        TemplateRenderError: the template is unusable or fails to render.
    """
    from docgen.word.prepared import prepared

    try:
        prep = prepared(template, environment)
    except TemplateError as exc:
        raise TemplateRenderError(
            WORD_TEXT["render.template_syntax_error"].format(name=template.name, exc=exc)
        ) from exc
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as exc:
        raise TemplateRenderError(
            WORD_TEXT["render.template_unusable"].format(name=template.name, exc=exc)
        ) from exc
    if names is not None:
        unknown = prep.variables - names
        if unknown:
            raise TemplateRenderError(
                WORD_TEXT["render.undefined_variables"].format(
                    name=template.name, names=ENUM_COMMA.join(sorted(unknown))
                ),
                hint=WORD_TEXT["render.variables_hint"],
            )
    context = build_context(prep.style_ids)
    try:
        try:
            return prep.render(context, _properties(context))
        except NotImplementedError:
            return render_plain(template, context)
    except SecurityError as exc:
        raise TemplateRenderError(
            WORD_TEXT["render.template_unsafe"].format(name=template.name, exc=exc)
        ) from exc
    except TemplateError as exc:
        raise TemplateRenderError(
            WORD_TEXT["render.template_failed"].format(name=template.name, exc=exc)
        ) from exc
    except RenderLimitExceeded as exc:
        raise _stopped(template, exc.limit) from exc
    except RecursionError as exc:
        raise _stopped(template, "recursion") from exc
    except MemoryError as exc:
        raise _stopped(template, "memory") from exc
    except Exception as exc:
        if names is None:
            raise  # docgen's own templates: a failure here is docgen's, not the template's
        # a user's template: whatever its code raises ({{ 1/0 }}, a wrong type) is its failure
        raise TemplateRenderError(
            TEMPLATE_LIMITS["failed"].format(name=template.name, kind=type(exc).__name__, detail=exc)
        ) from exc


def _stopped(template: Path, limit: str) -> TemplateRenderError:
    """Returns the error of a rendering stopped at a limit of the budget."""
    what = TEMPLATE_LIMITS[limit].format(
        count={
            "loop_iterations": MAX_LOOP_ITERATIONS,
            "output_chars": MAX_OUTPUT_CHARS,
            "value_chars": MAX_VALUE_CHARS,
            "power_bits": MAX_POWER_BITS,
        }.get(limit, 0),
        seconds=MAX_RENDER_SECONDS,
    )
    return TemplateRenderError(
        TEMPLATE_LIMITS["stopped"].format(name=template.name, what=what), hint=TEMPLATE_LIMITS["hint"]
    )


def render_plain(template: Path, context: dict[str, Any]) -> bytes:
    """Returns the document rendered by plain docxtpl (the reference the fast path must equal),
    its ``{_{`` escapes resolved in the source (``source.literal_escapes``) as in the fast path."""
    tpl = _literal_docx_template()(template)
    tpl.render(context, environment(), autoescape=True)
    from docgen.word.merge import merge_captioned_tables

    merge_captioned_tables(tpl.docx.element.body)
    buffer = io.BytesIO()
    tpl.docx.save(buffer)
    return normalise_zip(buffer.getvalue(), _properties(context))


def undeclared_variables(template: Path, names: set[str]) -> set[str]:
    """Returns the variables ``template`` uses that are not in ``names``."""
    from docgen.word.prepared import prepared

    return prepared(template, environment).variables - names


def _literal_docx_template() -> type[Any]:
    """Returns docxtpl's DocxTemplate with the ``{_{ }_} {_% %_}`` escapes resolved in each part's
    source instead of in its rendered XML, where they would alter values (body, headers, footers
    and footnotes all pass through ``patch_xml`` and ``render_xml_part``)."""
    import re

    from docxtpl import DocxTemplate

    from docgen.word.source import literal_escapes

    class LiteralDocxTemplate(DocxTemplate):  # type: ignore[misc]
        def patch_xml(self, src_xml: str) -> str:
            return literal_escapes(str(super().patch_xml(src_xml)))

        def render_xml_part(
            self, src_xml: str, part: Any, context: dict[str, Any], jinja_env: Any = None
        ) -> str:
            # DocxTemplate.render_xml_part without its replacement of the escapes in the output
            src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.current_rendering_part = part
            dst_xml = jinja_env.from_string(src_xml).render(context)
            dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
            return str(self.resolve_listing(dst_xml))

    return LiteralDocxTemplate
