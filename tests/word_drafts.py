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
