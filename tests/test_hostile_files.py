"""Hostile files: zip and PDF bombs, looping and damaged PDFs, active content, pathological
narratives and submission folders — a status or a diagnostic, quickly, never a hang or a crash.

Inputs that hung before are run in a subprocess with a timeout (a hang guard, not a timing
assertion); the fixtures are built at test time by ``tests/hostile_fixtures.py``.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen.app import review, review_cache
from docgen.evidence.inspect import inspect_file
from docgen.model.results import DocumentStatus, EvidenceReport
from docgen.narrative.company_names import CompanyName, find_company_names
from docgen.narrative.limits import MAX_MARKUP_CHARS, MAX_NESTING, MAX_SECTION_CHARS
from docgen.narrative.markdown import markdown_to_blocks
from docgen.outputs.bundle import render_bundle
from tests import hostile_fixtures as fixtures
from tests.conftest import DATA, ROOT

HANG_GUARD = 20  # seconds a subprocess may run before the test calls it a hang


def run_isolated(code: str) -> dict:
    """Returns the JSON a Python snippet prints, run in a fresh interpreter with a hang guard;
    the snippet sees ``peak_mb()``, its peak resident memory."""
    prelude = (
        "import json, resource, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "def peak_mb():\n"  # VmHWM: ru_maxrss keeps the forking test runner's peak across exec
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmHWM:'):\n"
        "            return int(line.split()[1]) // 1024\n"
        "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


# -- zip bombs --


def test_docx_bombs_are_refused_in_bounded_memory(tmp_path: Path):
    """ensures that a 1 MB .docx whose document.xml inflates to 1 GiB behind a header declaring
    4 KB, and a bzip2 member (inflated by zipfile in one call), are unreadable without being
    inflated: peak memory stays far below the payload (it was 2 GB)."""
    (tmp_path / "deflate.docx").write_bytes(fixtures.docx_deflate_bomb())
    (tmp_path / "bzip2.docx").write_bytes(fixtures.docx_bzip2_bomb())
    out = run_isolated(
        "from pathlib import Path\n"
        "from docgen.evidence.inspect import inspect_file\n"
        f"folder = Path({str(tmp_path)!r})\n"
        "facts = {n: inspect_file(folder, n) for n in ('deflate.docx', 'bzip2.docx')}\n"
        "print(json.dumps({'statuses': {n: [f.status, f.problem] for n, f in facts.items()},"
        " 'peak': peak_mb()}))\n"
    )
    assert out["statuses"] == {
        "deflate.docx": ["unreadable", "不是有效的 DOCX 文件"],
        "bzip2.docx": ["unreadable", "不是有效的 DOCX 文件"],
    }
    assert out["peak"] < 250, out  # MB: the interpreter and pypdf, not the payload


def test_docx_that_declares_too_much_is_too_large(tmp_path: Path):
    """ensures that a document.xml declaring more than the limit is refused before reading, and
    that an honest small .docx still gives its text."""
    (tmp_path / "big.docx").write_bytes(fixtures.docx_deflate_bomb(inflated=64 << 20, declared=60 << 20))
    (tmp_path / "good.docx").write_bytes(fixtures.docx_with_text("专利号 ZL202210000001.X"))
    big = inspect_file(tmp_path, "big.docx")
    assert (big.status, big.problem) == ("unreadable", "内容过大")
    good = inspect_file(tmp_path, "good.docx", {"ZL202210000001.X"})
    assert (good.status, good.found) == ("ok", frozenset({"ZL202210000001.X"}))


def test_docx_with_unclosed_tags_is_read_linearly(tmp_path: Path):
    """ensures that 8 MB of ``<w:t`` never closed (quadratic for a search that scans to the next
    ``>`` from each) is no-text."""
    (tmp_path / "tags.docx").write_bytes(fixtures.docx_unclosed_tags())
    out = run_isolated(
        "from pathlib import Path\n"
        "from docgen.evidence.inspect import inspect_file\n"
        f"f = inspect_file(Path({str(tmp_path)!r}), 'tags.docx')\n"
        "print(json.dumps([f.status, f.kind]))\n"
    )
    assert out == ["no-text", "docx"]


# -- PDF bombs and damaged PDFs --


def test_pdf_pages_sharing_a_huge_content_stream_are_read_within_budget(tmp_path: Path):
    """ensures that a small PDF whose 400 pages share one content stream inflating to 31 MB of
    text operators gets a status (it hung: every page joined, then scanned byte by byte)."""
    (tmp_path / "shared.pdf").write_bytes(fixtures.pdf_shared_content_bomb(inflated=31 << 20))
    out = run_isolated(
        "from pathlib import Path\n"
        "from docgen.evidence.inspect import inspect_file\n"
        f"f = inspect_file(Path({str(tmp_path)!r}), 'shared.pdf', {{'ZL202210000001.X'}})\n"
        "print(json.dumps([f.status, f.pages, sorted(f.found), peak_mb()]))\n"
    )
    status, pages, found, peak = out
    assert (status, pages, found) == ("ok", 400, [])
    assert peak < 400, out  # MB: one decoded stream and the budget, not 400 copies


HOSTILE_PDFS = {
    "parent-loop": (fixtures.pdf_parent_loop, "unreadable", "文件已损坏或不是有效的 PDF"),
    "self-reference": (fixtures.pdf_self_reference, "unreadable", "文件已损坏或不是有效的 PDF"),
    "jbig2": (lambda: fixtures.pdf_with_filter(b"JBIG2Decode"), "unreadable", "PDF 使用了无法解码的压缩方式"),
    "unknown-filter": (
        lambda: fixtures.pdf_with_filter(b"FooDecode"),
        "unreadable",
        "PDF 使用了无法解码的压缩方式",
    ),
    "page-tree-fan-out": (fixtures.pdf_page_tree_fan_out, "unreadable", "PDF 内容解压后过大，无法处理"),
    "broken-xref": (fixtures.pdf_broken_xref, "ok", ""),
}


@pytest.mark.parametrize("case", list(HOSTILE_PDFS), ids=list(HOSTILE_PDFS))
def test_damaged_pdfs_get_a_status(tmp_path: Path, case: str):
    """ensures that looping, self-referencing, undecodable and mis-indexed PDFs each get a status
    and a Chinese reason (JBIG2 and unknown filters raised out of the inspection)."""
    build, status, problem = HOSTILE_PDFS[case]
    (tmp_path / "f.pdf").write_bytes(build())
    facts = inspect_file(tmp_path, "f.pdf", {"ZL202210000001.X"})
    assert (facts.status, facts.problem) == (status, problem)


def test_unreadable_evidence_folder_is_a_status(tmp_path: Path, monkeypatch):
    """ensures that an evidence path whose folder cannot be read (chmod 000; simulated, as root
    reads anything) is unreadable, not an exception."""
    (tmp_path / "evidence").mkdir()
    real = Path.is_file

    def denied(self: Path) -> bool:
        if "evidence" in self.parts:
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "is_file", denied)
    facts = inspect_file(tmp_path, "evidence/a.pdf")
    assert (facts.status, facts.problem) == ("unreadable", "无法打开文件")


# -- the bundle --


def _bind(folder: Path, *names: str) -> bytes:
    documents = [
        DocumentStatus(f"doc{i}", f"材料{i}", "证明材料", n, "ok", 1, True) for i, n in enumerate(names)
    ]
    data, _ = render_bundle(folder, EvidenceReport(documents, None, []), "证明材料汇编")  # type: ignore[arg-type]
    return data


def test_bundle_binds_hostile_pdfs_as_placeholders(tmp_path: Path):
    """ensures that PDFs pypdf fails on while copying (an object referring to itself raised
    AttributeError out of the bundle) are listed «（缺）» in the contents without a page, and a
    good one is still bound."""
    (tmp_path / "self.pdf").write_bytes(fixtures.pdf_self_reference())
    (tmp_path / "loop.pdf").write_bytes(fixtures.pdf_parent_loop())
    (tmp_path / "good.pdf").write_bytes(fixtures.pdf_with_text())
    bundle = PdfReader(_bind_io(_bind(tmp_path, "self.pdf", "loop.pdf", "good.pdf")))
    assert len(bundle.pages) == 2 + 1  # cover, contents, the good page
    assert "ZL202210000001.X" in bundle.pages[2].extract_text()
    contents = bundle.pages[1].extract_text()
    assert "1. 材料0（缺）" in contents
    assert "2. 材料1（缺）" in contents
    assert "3. 材料2" in contents


def _bind_io(data: bytes):
    import io

    return io.BytesIO(data)


ACTIVE_KEYS = (b"/JavaScript", b"/JS", b"/Launch", b"/SubmitForm", b"/ImportData", b"/OpenAction", b"/AA")


def test_bundle_strips_active_content(tmp_path: Path):
    """ensures that an evidence PDF's JavaScript, launch, submit-form and import-data actions,
    document and page additional actions are not bound into the bundle a reviewer opens; its page
    and its web link stay."""
    (tmp_path / "active.pdf").write_bytes(fixtures.pdf_with_active_content())
    source = fixtures.pdf_with_active_content()
    assert all(key in source for key in ACTIVE_KEYS)
    data = _bind(tmp_path, "active.pdf")
    assert [key for key in ACTIVE_KEYS if key in data] == []
    assert b"cmd.exe" not in data
    page = PdfReader(_bind_io(data)).pages[2]
    actions = [a.get_object().get("/A") for a in page["/Annots"]]
    assert [a.get_object()["/S"] for a in actions if a is not None] == ["/URI"]
    assert "ZL202210000001.X" in page.extract_text()


# -- narrative --


def _reference_names(text: str, suffixes: tuple[str, ...]) -> list[CompanyName]:
    """The regular expression find_company_names replaces (quadratic on long runs)."""
    words = "|".join(sorted(map(re.escape, suffixes), key=len, reverse=True))
    out = []
    for match in re.finditer(f"([\u4e00-\u9fff（）()]{{2,}}?)((?:{words})+)", text):
        core = match.group(1).lstrip("（(")
        out.append(CompanyName(core + match.group(2), core, match.end(1) - len(core)))
    return out


def test_company_names_match_the_regular_expression_they_replace():
    """ensures that the linear search finds exactly what the regular expression found, on random
    texts of name characters, suffixes, brackets and punctuation."""
    rng = random.Random(18)
    pieces = [*"甲乙公司集团（）()，。a 、", "有限公司", "集团", "股份有限公司"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        suffixes = tuple(rng.sample(["股份有限公司", "有限公司", "集团", "a", "（集团）"], rng.randint(1, 4)))
        assert find_company_names(text, suffixes) == _reference_names(text, suffixes), (text, suffixes)


def test_company_names_in_a_million_character_run():
    """ensures that a 1M-character CJK run, with and without a suffix at its end, is searched in
    linear time (it took hours)."""
    out = run_isolated(
        "from docgen.narrative.company_names import find_company_names\n"
        "suffixes = ('股份有限公司', '有限责任公司', '有限公司', '集团')\n"
        "run = '甲' * 1_000_000\n"
        "names = find_company_names(run, suffixes) + find_company_names(run + '有限公司', suffixes)\n"
        "print(json.dumps([len(names), len(names[0].name)]))\n"
    )
    assert out == [1, 1_000_004]


# name → Python expression building the text (built in the subprocess: megabytes of arguments)
PATHOLOGICAL = {
    "backticks": "'`' * 50_000",
    "brackets": "'[' * 50_000",
    "links": "'[a](' * 12_000",
    "emphasis": "'*a' * 25_000",
    "nested-list": "''.join('    ' * i + '- 甲\\n' for i in range(1000))",
    "markers-on-one-line": "'- ' * 2000 + '甲'",
    "nested-quotes": "'> ' * 1000 + '甲'",
    "long-line": "'甲' * 3_000_000",
    "paragraphs": "'甲\\n\\n' * 20_000",
}


def test_pathological_markdown_is_laid_out_as_plain_text():
    """ensures that runs of backticks or brackets, lists and quotes nested 1,000 deep and a
    multi-megabyte line give blocks holding the text (they hung or raised RecursionError)."""
    cases = "{" + ", ".join(f"{name!r}: {expression}" for name, expression in PATHOLOGICAL.items()) + "}"
    out = run_isolated(
        "from docgen.narrative.markdown import markdown_to_blocks\n"
        f"cases = {cases}\n"
        "result = {}\n"
        "for name, text in cases.items():\n"
        "    blocks = markdown_to_blocks(text)\n"
        "    kept = sum(len(r.text) for b in blocks for r in b.runs)\n"
        "    result[name] = [len(blocks) > 0, kept >= len(text.replace(chr(10), '')) // 2]\n"
        "print(json.dumps(result))\n"
    )
    assert out == {name: [True, True] for name in PATHOLOGICAL}


def test_markdown_within_the_limits_is_still_markdown():
    """ensures that the limits leave ordinary Markdown alone: emphasis, lists, nesting."""
    text = "**甲**乙\n\n" + "".join("    " * i + "- 丙\n" for i in range(MAX_NESTING - 1))
    blocks = markdown_to_blocks(text)
    assert blocks[0].runs[0].bold
    assert [b.kind for b in blocks[1:]] == ["bullet"] * (MAX_NESTING - 1)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("甲" * (MAX_SECTION_CHARS + 1), f"字，超过 {MAX_SECTION_CHARS} 字的上限"),
        ("[" * (MAX_MARKUP_CHARS + 1), "超过 1000 个的上限"),
        ("> " * (MAX_NESTING + 1) + "甲", f"嵌套 {MAX_NESTING + 1} 层，超过 {MAX_NESTING} 层的上限"),
    ],
    ids=["length", "markup", "nesting"],
)
def test_a_section_past_a_limit_is_diagnosed(example: Path, text: str, reason: str):
    """ensures that a narrative section past a named limit gives a warning naming it and the
    section, and that the build lays it out as plain text."""
    from docgen.app.submission import open_submission

    path = example / "answers.yaml"
    answers = path.read_text(encoding="utf-8")
    answers = answers.replace('  "1.1": |\n', '  "1.1": |\n    ' + text + "\n\n", 1)
    path.write_text(answers, encoding="utf-8")
    found = [d for d in open_submission(example).diagnostics if d.code == "narrative.plain_layout"]
    assert len(found) == 1
    assert reason in found[0].message
    assert found[0].message.startswith("章节 1.1“")
    assert found[0].severity.value == "warning"


# -- review --


@pytest.fixture
def submission(tmp_path: Path) -> Path:
    folder = tmp_path / "batch" / "a"
    shutil.copytree(DATA / "luzhou-basic", folder)
    return folder


def test_submission_key_reads_nothing_outside(submission: Path, tmp_path: Path):
    """ensures that the review's cache key does not read through links out of the submission (a
    link to a 3 GB file elsewhere was read whole into memory) nor special files, and still changes
    with a file's content."""
    with (tmp_path / "outside.bin").open("wb") as handle:
        handle.truncate(3 << 30)  # sparse: nothing written
    (submission / "zero").symlink_to("/dev/zero")
    (submission / "outside").symlink_to(tmp_path / "outside.bin")
    (submission / "loop").symlink_to(submission)
    os.mkfifo(submission / "fifo")
    out = run_isolated(
        "from pathlib import Path\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))\n"  # reading 3 GB fails
        "from docgen.app.review_cache import submission_key as _submission_key\n"
        f"print(json.dumps(_submission_key(Path({str(submission)!r}), 'luzhou-etc-2023')))\n"
    )
    assert isinstance(out, str)
    assert review_cache.submission_key(submission, "luzhou-etc-2023") == out
    (submission / "answers.yaml").write_text("changed", encoding="utf-8")
    assert review_cache.submission_key(submission, "luzhou-etc-2023") != out


def test_unreadable_sub_folder_gives_no_key(submission: Path, monkeypatch):
    """ensures that a sub-folder that cannot be listed (chmod 000, simulated) gives no cache key
    instead of an exception."""
    (submission / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert review_cache.submission_key(submission, "luzhou-etc-2023") is None


def test_a_submission_that_fails_is_a_broken_row(submission: Path, monkeypatch):
    """ensures that a submission whose preparation raises (a reader defeated by a file) is a broken
    row with a Chinese reason, and the other submissions of the batch are reviewed."""
    shutil.copytree(submission, submission.parent / "b")
    real = review._prepare

    def failing(folder: Path, program_id: str, cache_dir: str | None, *rest: str | None):
        if folder.name == "a":
            raise RecursionError("maximum recursion depth exceeded")
        return real(folder, program_id, cache_dir, *rest)

    monkeypatch.setattr(review, "_prepare", failing)
    result = review.review_folder(submission.parent, "luzhou-etc-2023", jobs=1)
    rows = {row.prepared.folder: row for row in result.rows}
    assert rows["a"].broken
    assert rows["a"].reason == "申报材料无法读取，未予评审"
    assert [d.message for d in rows["a"].prepared.errors] == [
        "申报材料无法处理（文件夹或其中的文件无法读取或已损坏）"
    ]
    assert not rows["b"].broken
