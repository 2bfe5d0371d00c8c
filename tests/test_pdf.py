"""PDF output (issue 19 point 4, SPEC §9): report.pdf and missing-evidence.pdf through LibreOffice,
the contents with the page numbers the headings really have, fonts embedded; LibreOffice absent,
hanging or failing; the review's pool."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import time
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from docgen.app import pdf as pdf_module
from docgen.app.build import OUTPUT_NAMES
from docgen.cli.main import cli
from tests.conftest import EXAMPLE, ROOT


def _soffice() -> str | None:
    try:
        return pdf_module.find_soffice()
    except pdf_module.PdfError:
        return None


needs_libreoffice = pytest.mark.skipif(
    _soffice() is None,
    reason="LibreOffice not found (no soffice/libreoffice on PATH, or DOCGEN_SOFFICE names none): "
    "the PDF conversion is not tested here "
    "(apt-get install libreoffice-writer-nogui fonts-noto-cjk; CI installs it)",
)

FOOTER = re.compile(r"—\s*(\d+)\s*—\s*$")
CONTENTS_LINE = re.compile(r"^(?P<title>\S.*?)\s*\.{3,}\s*(?P<page>\d+)$")


def run(*args, **env):
    return CliRunner(env=env or None).invoke(cli, [str(a) for a in args])


def page_texts(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def fonts_without_file(path: Path) -> list[str]:
    """Returns the fonts of ``path`` that are not embedded (no FontFile/FontFile2/FontFile3)."""
    missing = []
    for page in pypdf.PdfReader(path).pages:
        fonts = page["/Resources"].get_object().get("/Font")
        for font in (fonts.get_object() if fonts else {}).values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                missing.append(str(font["/BaseFont"]))
    return missing


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The shipped Luzhou example built once with --pdf."""
    out = tmp_path_factory.mktemp("pdf") / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    return out


@needs_libreoffice
def test_report_pdf_contents_carry_the_pages_of_their_headings(built: Path):
    """ensures the contents page of report.pdf lists every section heading and 附表 with the page
    number printed on the page where that heading stands, and that cover and contents carry no
    page number while the body starts at «— 1 —»."""
    texts = page_texts(built / "report.pdf")
    assert "泸州市企业技术中心申请报告" in texts[0]
    assert FOOTER.search(texts[0].strip()) is None
    contents = texts[1]
    assert contents.startswith("目　　录")
    assert FOOTER.search(contents.strip()) is None
    entries = [m for line in contents.splitlines() if (m := CONTENTS_LINE.match(line.strip()))]
    titles = [m["title"] for m in entries]
    assert titles[:2] == ["一、企业的地位和作用", "（一）企业基本情况"]
    assert "（四）企业技术中心取得的主要创新成果" in titles
    assert [t.replace(" ", "") for t in titles[-4:]] == [
        "附表1\u3000评价数据表",
        "附表2\u3000自评得分表",
        "附表3\u3000限定性指标核查",
        "附表4\u3000证明材料情况",
    ]
    assert len(entries) == 16  # 3 chapters, 9 sections, 4 annexes, and nothing else
    numbers = {}
    for index, text in enumerate(texts[2:], start=1):
        found = FOOTER.search(text.strip())
        assert found, f"page {index + 2} has no page number"
        numbers[index + 1] = int(found[1])
    assert numbers[2] == 1  # the body starts at «— 1 —», numbered on
    assert list(numbers.values()) == list(range(1, len(texts) - 1))
    for entry in entries:
        page = int(entry["page"])
        title = entry["title"].replace(" ", "")
        index = next(i for i, n in numbers.items() if n == page)
        lines = [line.replace(" ", "") for line in texts[index].splitlines()]
        assert title in lines, f"{entry['title']} is not on page {page}"
        earlier = [i for i, n in numbers.items() if n < page]
        assert all(title not in [x.replace(" ", "") for x in texts[i].splitlines()] for i in earlier)
    assert [int(m["page"]) for m in entries] == sorted(int(m["page"]) for m in entries)
    assert int(entries[-1]["page"]) <= numbers[len(texts) - 1]  # plausible: within the document


def contents_mismatches(path: Path) -> tuple[int, list[str]]:
    """Returns how many entries the contents of ``path`` list, and those whose heading is not on
    the page (by its printed number) the entry gives."""
    texts = page_texts(path)
    entries = [m for line in texts[1].splitlines() if (m := CONTENTS_LINE.match(line.strip()))]
    pages = {int(found[1]): text for text in texts if (found := FOOTER.search(text.strip()))}
    wrong = []
    for entry in entries:
        lines = [line.replace(" ", "") for line in pages.get(int(entry["page"]), "").splitlines()]
        if entry["title"].replace(" ", "") not in lines:
            wrong.append(entry["title"])
    return len(entries), wrong


@needs_libreoffice
def test_build_of_every_example_with_pdf_pages_every_contents(tmp_path: Path):
    """ensures `build A B … --pdf` (one LibreOffice run for all) writes both PDFs of every shipped
    example, each report's contents numbered with the pages its headings are on."""
    examples = sorted(p for p in (ROOT / "examples").iterdir() if p.is_dir())
    out = tmp_path / "all"
    result = run("build", *examples, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    for example in examples:
        count, wrong = contents_mismatches(out / example.name / "report.pdf")
        assert count >= 10, example.name
        assert wrong == [], example.name
        assert fonts_without_file(out / example.name / "missing-evidence.pdf") == []


@needs_libreoffice
def test_pdfs_embed_every_font_and_missing_evidence_pdf_reads_as_its_docx(built: Path):
    """ensures both PDFs embed every font they use and missing-evidence.pdf is the report on the
    missing documents, page-numbered, signed by the applicant."""
    assert fonts_without_file(built / "report.pdf") == []
    assert fonts_without_file(built / "missing-evidence.pdf") == []
    texts = page_texts(built / "missing-evidence.pdf")
    assert texts[0].startswith("证明材料缺失情况报告")
    assert "申报单位：泸州川锐智能装备股份有限公司" in texts[0]
    assert "企业现金流量表" in texts[0]
    assert texts[-1].strip().endswith(f"— {len(texts)} —")
    assert 2 <= len(texts) <= 8


@needs_libreoffice
def test_build_pdf_prints_the_pdfs_and_leaves_no_profile_behind(tmp_path: Path, monkeypatch):
    """ensures `build --pdf` names both PDFs among the files written and removes the private
    LibreOffice profile and work folder it used."""
    import tempfile

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where the profile goes, this test only
    out = tmp_path / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    assert f"已写入 {out / 'report.pdf'}" in result.output
    assert f"已写入 {out / 'missing-evidence.pdf'}" in result.output
    assert list(scratch.iterdir()) == []
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")


def _assert_other_outputs(out: Path) -> None:
    for name in OUTPUT_NAMES:
        assert (out / name).stat().st_size > 0, name
    assert json.loads((out / "score.json").read_text(encoding="utf-8"))["program"] == "luzhou-etc-2023"
    assert not (out / "report.pdf").exists()
    assert not (out / "missing-evidence.pdf").exists()


def test_no_libreoffice_named_says_how_to_install_and_writes_the_rest(tmp_path: Path):
    """ensures DOCGEN_SOFFICE naming no program gives exit 1, a Chinese message naming the
    variable and the Debian packages, and the five other outputs written."""
    out = tmp_path / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf", DOCGEN_SOFFICE=str(tmp_path / "nowhere" / "soffice"))
    assert result.exit_code == 1
    assert "环境变量 DOCGEN_SOFFICE 指向的" in result.output
    assert "无法生成 PDF；其他文件已写入" in result.output
    assert "apt-get install libreoffice-writer-nogui fonts-noto-cjk" in result.output
    assert "Traceback" not in result.output
    _assert_other_outputs(out)


def test_no_libreoffice_on_path_says_how_to_install_and_writes_the_rest(tmp_path: Path, monkeypatch):
    """ensures that without DOCGEN_SOFFICE and without soffice/libreoffice on PATH, `build --pdf`
    exits 1 with «未找到 LibreOffice» and how to install it, the other outputs written."""
    monkeypatch.delenv("DOCGEN_SOFFICE", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    monkeypatch.setattr(pdf_module, "SOFFICE_PLACES", ())
    out = tmp_path / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 1
    assert "错误：未找到 LibreOffice，无法生成 PDF；其他文件已写入" in result.output
    assert "提示：请安装 LibreOffice 和中文字体后重试" in result.output
    assert "apt-get install libreoffice-writer-nogui fonts-noto-cjk" in result.output
    _assert_other_outputs(out)


def _fake_soffice(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "fake-soffice"
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def _gone(pid: int) -> bool:
    """Returns whether process ``pid`` has ended (a zombie waiting for a reaper counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    status = Path(f"/proc/{pid}/status")
    return status.is_file() and "\nState:\tZ" in status.read_text()


def test_hanging_libreoffice_is_stopped_with_its_children_and_no_pdf_is_left(tmp_path: Path, monkeypatch):
    """ensures a LibreOffice that never ends is killed at the time limit with its process group
    (the child it started too), the message says so in Chinese, and no PDF, partial or not, is
    left, the other outputs written."""
    pids = tmp_path / "pids"
    script = _fake_soffice(tmp_path, f'sleep 600 &\necho $! > "{pids}"\nwait\n')
    monkeypatch.setattr(pdf_module, "SOFFICE_START_SECONDS", 1)
    monkeypatch.setattr(pdf_module, "SOFFICE_SECONDS_PER_DOCUMENT", 0.5)
    out = tmp_path / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf", DOCGEN_SOFFICE=str(script))
    assert result.exit_code == 1
    assert "错误：LibreOffice 在 2 秒内未完成 PDF 转换，已停止；未生成 PDF，其他文件已写入" in result.output
    _assert_other_outputs(out)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no temporary file
    child = int(pids.read_text())
    deadline = time.monotonic() + 10
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _gone(child)


def test_libreoffice_that_writes_nothing_is_an_error(tmp_path: Path):
    """ensures a LibreOffice that ends without producing the PDFs (no Basic, a broken install)
    is reported in Chinese with exit 1 and leaves no PDF; it was run headless with a private
    profile that is gone afterwards."""
    calls = tmp_path / "calls"
    script = _fake_soffice(tmp_path, f'printf "%s\\n" "$@" >> "{calls}"\nexit 0\n')
    out = tmp_path / "out"
    result = run("build", EXAMPLE, "-o", out, "--pdf", DOCGEN_SOFFICE=str(script))
    assert result.exit_code == 1
    assert "LibreOffice 未能把报告转换为 PDF" in result.output
    _assert_other_outputs(out)
    arguments = calls.read_text(encoding="utf-8").splitlines()
    assert "--headless" in arguments
    assert "--terminate_after_init" in arguments  # the first start creates the profile
    profiles = [a.split("=", 1)[1] for a in arguments if a.startswith("-env:UserInstallation=")]
    assert profiles
    assert profiles[0].startswith("file:///")
    assert not Path(profiles[0].removeprefix("file://")).exists()


def test_an_earlier_pdf_stays_whole_when_the_conversion_fails(tmp_path: Path):
    """ensures a failed conversion never truncates or half-writes the PDF of an earlier run."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.pdf").write_bytes(b"%PDF-1.7 earlier")
    script = _fake_soffice(tmp_path, "exit 0\n")
    result = run("build", EXAMPLE, "-o", out, "--pdf", DOCGEN_SOFFICE=str(script))
    assert result.exit_code == 1
    assert (out / "report.pdf").read_bytes() == b"%PDF-1.7 earlier"


def test_review_pdf_needs_reports(tmp_path: Path):
    """ensures `review --pdf` without --reports is a usage error (exit 2) in Chinese."""
    root = tmp_path / "cohort"
    shutil.copytree(EXAMPLE, root / "a")
    shutil.copytree(EXAMPLE, root / "b")
    result = run("review", root, "--program", "luzhou-etc-2023", "-o", tmp_path / "out", "--pdf")
    assert result.exit_code == 2
    assert "--pdf 需要与 --reports 一起使用" in result.output


@needs_libreoffice
def test_review_reports_pdf_converts_every_report_in_a_pool(tmp_path: Path):
    """ensures `review --reports --pdf --jobs 2` writes report.pdf and missing-evidence.pdf
    beside each submission's reports, each with its own company and contents page numbers."""
    root = tmp_path / "cohort"
    for name, company in (("a", "甲"), ("b", "乙"), ("c", "丙")):
        shutil.copytree(EXAMPLE, root / name)
        answers = root / name / "answers.yaml"
        text = answers.read_text(encoding="utf-8")
        answers.write_text(
            text.replace("泸州川锐智能装备股份有限公司", f"泸州{company}装备有限公司"), encoding="utf-8"
        )
    out = tmp_path / "out"
    result = run(
        "review", root, "--program", "luzhou-etc-2023", "-o", out, "--reports", "--pdf", "--jobs", "2"
    )
    assert result.exit_code == 0, result.output
    for name, company in (("a", "甲"), ("b", "乙"), ("c", "丙")):
        report = page_texts(out / name / "report.pdf")
        assert f"泸州{company}装备有限公司" in report[0]
        assert CONTENTS_LINE.match(report[1].splitlines()[1].strip())["page"] == "1"
        missing = page_texts(out / name / "missing-evidence.pdf")
        assert f"申报单位：泸州{company}装备有限公司" in missing[0]


def test_review_reports_pdf_without_libreoffice_still_writes_the_review(tmp_path: Path):
    """ensures `review --reports --pdf` without LibreOffice writes the 汇总表 and every report,
    prints the review, then exits 1 with the install hint."""
    root = tmp_path / "cohort"
    shutil.copytree(EXAMPLE, root / "a")
    shutil.copytree(EXAMPLE, root / "b")
    out = tmp_path / "out"
    result = run(
        "review", root, "--program", "luzhou-etc-2023", "-o", out, "--reports", "--pdf",
        DOCGEN_SOFFICE=str(tmp_path / "none"),
    )  # fmt: skip
    assert result.exit_code == 1
    assert "apt-get install libreoffice-writer-nogui fonts-noto-cjk" in result.output
    assert "已写入" in result.output  # the review's own files, listed before the error
    for name in ("a", "b"):
        assert (out / name / "report.docx").is_file()
        assert not (out / name / "report.pdf").exists()


def test_ci_installs_libreoffice_when_it_is_missing():
    """ensures the CI script installs what the tests use when it is missing — LibreOffice Writer
    and Calc, the CJK fonts, Chromium and its driver, PostgreSQL — in one non-interactive apt call
    before the tests."""
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    install = text.index('apt-get install -y "${need[@]}"')
    for package in (
        "libreoffice-writer-nogui",
        "libreoffice-calc-nogui",
        "fonts-noto-cjk",
        "chromium",
        "chromium-driver",
        "postgresql",
    ):
        assert f"need+=({package})" in text[:install], package
    assert "command -v soffice" in text
    assert "DEBIAN_FRONTEND=noninteractive" in text
    assert install < text.index("pytest")


def test_a_folder_where_a_pdf_goes_stops_the_run_before_anything_is_written(tmp_path: Path):
    """ensures `build --pdf` and `review --reports --pdf` check the PDFs' places with the other
    outputs': a folder named report.pdf stops the run (exit 2) before any file is written."""
    out = tmp_path / "out"
    (out / "report.pdf").mkdir(parents=True)
    result = run("build", EXAMPLE, "-o", out, "--pdf")
    assert result.exit_code == 2
    assert sorted(p.name for p in out.iterdir()) == ["report.pdf"]
    root = tmp_path / "cohort"
    shutil.copytree(EXAMPLE, root / "a")
    shutil.copytree(EXAMPLE, root / "b")
    reviewed = tmp_path / "reviewed"
    (reviewed / "b" / "missing-evidence.pdf").mkdir(parents=True)
    result = run("review", root, "--program", "luzhou-etc-2023", "-o", reviewed, "--reports", "--pdf")
    assert result.exit_code == 2
    assert sorted(p.name for p in reviewed.iterdir()) == ["b"]
    assert sorted(p.name for p in (reviewed / "b").iterdir()) == ["missing-evidence.pdf"]
