"""Word drafts of a narrative for the tests, written with python-docx (Word-like styles).

``write_draft`` turns an example's YAML narrative into the 申请报告草稿.docx an enterprise would
write: the title, 一、 chapters in Heading 1, （一） sections in Heading 2, paragraphs with their
bold runs (``**…**`` in the YAML), its Markdown tables as Word tables, and a bulleted list. ``draft_example`` copies the Luzhou
example and makes its answers name the draft instead of the YAML narrative.

Run as a script to make such a copy for a look: ``python tests/word_drafts.py OUT_FOLDER``.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import docx
import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"
DRAFT = "申请报告草稿.docx"
NUMERALS = "一二三四五六七八九十"

BULLETS = ["建成智能施工装备研究院", "组建液压与电控两个专业研究所"]


def add_runs(paragraph, text: str) -> None:
    """Adds ``text`` to ``paragraph``, ``**…**`` as bold runs."""
    for index, part in enumerate(re.split(r"\*\*", text)):
        if part:
            paragraph.add_run(part).bold = index % 2 == 1


def add_table(document, lines: list[str]) -> None:
    """Adds a Markdown pipe table as a Word table (its separator row left out)."""
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in lines]
    rows = [r for r in rows if not all(set(c) <= set("-: ") for c in r)]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def write_draft(path: Path, narrative: dict[str, str], outline: dict, *, extras: bool = True) -> None:
    """Writes the draft of ``narrative`` (section id → Markdown) following ``outline`` (the YAML)."""
    document = docx.Document()
    document.add_paragraph("泸州市企业技术中心申请报告", style="Title")
    for c_index, chapter in enumerate(outline["chapters"]):
        document.add_heading(f"{NUMERALS[c_index]}、{chapter['title']}", 1)
        for s_index, section in enumerate(chapter["sections"]):
            document.add_heading(f"（{NUMERALS[s_index]}）{section['title']}", 2)
            text = narrative.get(section["id"], "")
            for block in re.split(r"\n\s*\n", text.strip()):
                lines = block.strip().splitlines()
                if lines and all(line.startswith("|") for line in lines):
                    add_table(document, lines)
                elif block.strip():
                    add_runs(document.add_paragraph(), block.strip())
            if extras and section["id"] == "2.2":
                for item in BULLETS:
                    document.add_paragraph(item, style="List Bullet")
    document.save(path)


def draft_example(target: Path) -> Path:
    """Copies the Luzhou example to ``target`` with its narrative as a Word draft; returns it."""
    shutil.copytree(EXAMPLE, target)
    answers = target / "answers.yaml"
    data = yaml.safe_load(answers.read_text(encoding="utf-8"))
    outline = yaml.safe_load((ROOT / "outlines" / "luzhou-application.yaml").read_text(encoding="utf-8"))
    write_draft(target / DRAFT, data["narrative"], outline)
    text = answers.read_text(encoding="utf-8")
    start = text.index("\nnarrative:")
    end = text.index("\nevidence:")
    answers.write_text(text[:start] + f"\nnarrative:\n  file: {DRAFT}\n" + text[end:], encoding="utf-8")
    return target


if __name__ == "__main__":
    print(draft_example(Path(sys.argv[1])))


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def add_numbering(document, levels: list[tuple[str, str]], abstract_id: int = 90, num_id: int = 90) -> int:
    """Adds a list whose levels are (numFmt, lvlText) — ``("chineseCounting", "%1、")`` — to the
    document's numbering.xml and returns its numId (Word draws the number, the text lacks it)."""
    from docx.oxml import parse_xml

    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>'
    )
    numbering.insert(0, abstract)  # abstractNum elements come before num elements
    numbering.append(
        parse_xml(
            f'<w:num xmlns:w="{W_NS}" w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
        )
    )
    return num_id


def number_paragraph(paragraph, num_id: int, level: int) -> None:
    """Makes ``paragraph`` an item of list ``num_id`` at ``level`` (w:numPr)."""
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(
        parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
    )


def soffice() -> str | None:
    """Returns LibreOffice's program (DOCGEN_SOFFICE or soffice on PATH), if installed."""
    import os

    return os.environ.get("DOCGEN_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_docx(source: Path, out: Path) -> Path:
    """Converts ``source`` (.fodt, .docx…) to .docx with LibreOffice (a private profile) into ``out``."""
    import subprocess

    program = soffice()
    assert program is not None
    out.mkdir(parents=True, exist_ok=True)
    profile = out / "profile"
    subprocess.run(
        [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out / (source.stem + ".docx")


FODT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
<office:styles>
 <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph"
  style:default-outline-level="1"/>
 <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph"
  style:default-outline-level="2"/>
 <text:outline-style style:name="Outline">
  <text:outline-level-style text:level="1" style:num-format="一, 二, 三, ..." style:num-suffix="、"/>
  <text:outline-level-style text:level="2" style:num-format="一, 二, 三, ..." style:num-prefix="（"
   style:num-suffix="）"/>
 </text:outline-style>
</office:styles>
<office:automatic-styles>
 <style:style style:name="T1" style:family="text">
  <style:text-properties fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="T2" style:family="text">
  <style:text-properties fo:font-style="italic" style:font-style-asian="italic"/></style:style>
</office:automatic-styles>
<office:body><office:text>
{body}
</office:text></office:body></office:document>
"""


def fodt_body(outline: dict, texts: dict[str, str]) -> str:
    """Returns a LibreOffice document body: each chapter and section a heading with outline
    numbering (the numbers are LibreOffice's, not in the text), each section's ``texts`` a
    paragraph (``**…**`` bold, ``*…*`` italic)."""
    import html

    def spans(text: str) -> str:
        out = html.escape(text)
        out = re.sub(r"\*\*(.+?)\*\*", r'<text:span text:style-name="T1">\1</text:span>', out)
        return re.sub(r"\*(.+?)\*", r'<text:span text:style-name="T2">\1</text:span>', out)

    lines = []
    for chapter in outline["chapters"]:
        lines.append(
            f'<text:h text:style-name="Heading_20_1" text:outline-level="1">{chapter["title"]}</text:h>'
        )
        for section in chapter["sections"]:
            lines.append(
                f'<text:h text:style-name="Heading_20_2" text:outline-level="2">{section["title"]}</text:h>'
            )
            for paragraph in texts.get(section["id"], "").split("\n\n"):
                lines.append(f"<text:p>{spans(paragraph)}</text:p>")
    return "\n".join(lines)
