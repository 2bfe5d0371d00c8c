"""Do the fast path's reports look exactly like plain docxtpl's? (issue #10, "open exactly as").

Run: python benchmarks/compare_render.py [--out DIR]
Needs LibreOffice (`soffice`) and poppler (`pdftoppm`); ../shared/tools/preview installs both.
For every shipped example (and the Luzhou example as a 评价 work summary) the report is rendered
by docgen's prepared-template path and by plain docxtpl, converted to PDF by LibreOffice and to
PNG pages at 60 dpi, and the pages are compared pixel by pixel. Exits 1 when any page differs.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _submissions(work: Path) -> list[Path]:
    """Returns a copy of every example, plus the Luzhou example turned into a work summary."""
    folders = []
    for example in sorted((ROOT / "examples").iterdir()):
        if (example / "answers.yaml").exists():
            folders.append(shutil.copytree(example, work / example.name))
    summary = shutil.copytree(ROOT / "examples" / "luzhou-etc-2023", work / "luzhou-etc-2023-summary")
    path = summary / "answers.yaml"
    text = re.sub(r"application_type: 认定", "application_type: 评价", path.read_text(encoding="utf-8"))
    text = text[: text.index("\nnarrative:")] + "\nnarrative:\n"
    text += "".join(
        f'  "{i}": |\n    第{i}项工作：**重点**完成。\n\n    - 要点一\n    - 要点二\n' for i in range(1, 6)
    )
    path.write_text(text, encoding="utf-8")
    folders.append(summary)
    return folders


def _pages(docx: Path) -> list[Path]:
    """Returns the PNG pages LibreOffice draws for a .docx."""
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
        check=True,
        capture_output=True,
    )
    pdf = docx.with_suffix(".pdf")
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(docx.with_suffix(""))], check=True)
    return sorted(docx.parent.glob(f"{docx.stem}-*.png"))


def _compare(work: Path, name: str, template: Path, context: dict) -> bool:
    """Renders one document both ways, prints the comparison and returns whether it is the same."""
    from PIL import Image, ImageChops

    from docgen.word.render import render_docx, render_plain

    pages = {}
    for path_name, data in (
        ("fast", render_docx(template, lambda _ids: context, None)),
        ("plain", render_plain(template, context)),
    ):
        target = work / path_name / name
        target.mkdir(parents=True, exist_ok=True)
        docx = target / template.name
        docx.write_bytes(data)
        pages[path_name] = _pages(docx)
    fast, plain = pages["fast"], pages["plain"]
    differing = [
        index + 1
        for index, (a, b) in enumerate(zip(fast, plain, strict=False))
        if ImageChops.difference(Image.open(a).convert("RGB"), Image.open(b).convert("RGB")).getbbox()
    ]
    same = len(fast) == len(plain) and not differing
    print(
        f"{name:28} {template.name:24} pages {len(fast):2} / {len(plain):2}  "
        + ("pixel-identical" if same else f"DIFFERENT (pages {differing})")
    )
    return same


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, help="keep the documents and pages here")
    args = parser.parse_args()
    if not (shutil.which("soffice") and shutil.which("pdftoppm")):
        print("needs soffice and pdftoppm (../shared/tools/preview installs them)")
        return 2

    from docgen.app.build import document_date, report_inputs
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.outputs.missing import missing_context
    from docgen.word.environment import environment
    from docgen.word.prepared import prepared
    from docgen.word.render import template_path

    failed = False
    with tempfile.TemporaryDirectory() as scratch:
        work = args.out or Path(scratch)
        work.mkdir(parents=True, exist_ok=True)
        for folder in _submissions(work / "submissions"):
            sub = open_submission(folder)
            evaluation = evaluate_submission(sub)
            template, _context, build_context = report_inputs(sub, evaluation)
            missing = missing_context(
                sub.program,
                sub.answers,
                evaluation.claimed,
                evaluation.evidenced,
                evaluation.evidence,
                document_date(sub),
            )
            documents = [
                (template, build_context(prepared(template, environment).style_ids)),
                (template_path("missing-evidence.docx"), missing),
            ]
            for document_template, full in documents:
                failed |= not _compare(work, folder.name, document_template, full)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
