"""Hostile answers (issue 18, classes 3, 4, 5 and 7): characters XML cannot hold, line breaks in
one-line fields, numbers beyond any sensible size, YAML tags, --threshold, sections given twice
and Windows path separators — each a finding on its key and line, never a hang or a traceback."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from docgen.app.submission import check_submission, open_submission
from docgen.cli.main import cli
from docgen.diagnostics import Diagnostic
from docgen.errors import AnswersError
from tests.conftest import DATA, EXAMPLE, ROOT, write_answers

BASIC = (DATA / "luzhou-basic" / "answers.yaml").read_text(encoding="utf-8")
# luzhou-basic: company_name on line 5, report_year 7, rd_expense 10, awards[0] on line 41; the
# sections below start on line 43
BASE = (
    BASIC
    + """evidence:
  commitment_letter: evidence/承诺书.pdf
narrative:
  "1.1": |
    第一段。
"""
)
GANSU_ITC = (ROOT / "examples" / "gansu-itc-2022" / "answers.yaml").read_text(encoding="utf-8")


def _findings(folder: Path, text: str, name: str = "answers.yaml") -> list[Diagnostic]:
    """Returns every answers-level finding, whether the answers open or are refused."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    try:
        return open_submission(folder / name).diagnostics
    except AnswersError as exc:
        return exc.diagnostics


def _one(found: list[Diagnostic], code: str) -> Diagnostic:
    matching = [d for d in found if d.code == code]
    assert len(matching) == 1, [(d.code, d.location.path, d.message) for d in found]
    return matching[0]


def _line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


# -- class 3: characters XML 1.0 cannot hold ---------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "path", "line", "shown"),
    [
        ("company_name: 测试公司", r'company_name: "测试\0公司"', "profile.company_name", 5, "U+0000"),
        (
            "company_name: 测试公司",
            r'company_name: "测\x07试\x1b公司"',
            "profile.company_name",
            5,
            "U+0007、U+001B",
        ),
        ("company_name: 测试公司", r'company_name: "测试公司\uFFFE"', "profile.company_name", 5, "U+FFFE"),
        (
            "name: 泸州市科学技术进步奖",
            r'name: "泸州市\x0b科学技术进步奖"',
            "items.awards[0].name",
            41,
            "U+000B",
        ),
        ("evidence/承诺书.pdf", r'"evidence/承诺书\x01.pdf"', "evidence.commitment_letter", 44, "U+0001"),
        ("    第一段。", "    第一\x0c段。", "narrative.1.1", 47, "U+000C"),
        ('"1.1": |\n    第一段。', r'"1.1": "第一\x1f段。\n"', "narrative.1.1", 46, "U+001F"),
        ("  commitment_letter:", r'  "commitment_letter\x08":', "evidence.commitment_letter", 44, "U+0008"),
    ],
    ids=[
        "nul-company",
        "two-controls",
        "fffe",
        "item-name",
        "evidence-path",
        "narrative-raw",
        "narrative-escaped",
        "key",
    ],
)
def test_characters_xml_cannot_hold_are_removed_with_a_warning(
    tmp_path: Path, old: str, new: str, path: str, line: int, shown: str
):
    """ensures that a character XML 1.0 cannot hold is reported at its key path and line, named
    as U+XXXX, and removed from the value read."""
    text = BASE.replace(old, new, 1)
    assert text != BASE
    found = _one(_findings(tmp_path, text), "yaml.invalid_character")
    assert (found.location.path, found.location.line, found.severity.value) == (path, line, "warning")
    assert found.message == f"文字中有 Word 文档无法容纳的字符 {shown}，已删除"
    sub = open_submission(tmp_path)
    assert sub.answers.company == "测试公司"
    assert sub.answers.items["awards"][0].values["name"] == "泸州市科学技术进步奖"
    assert sub.answers.evidence["commitment_letter"][0].file == "evidence/承诺书.pdf"
    assert sub.answers.narrative["1.1"].text == "第一段。\n"


def test_rating_word_with_a_control_character_is_read_without_it(tmp_path: Path):
    """ensures that a rating word carrying a control character is cleaned and then accepted."""
    text = GANSU_ITC.replace("organization: 很完善", 'organization: "很完善\\x07"')
    found = _one(_findings(tmp_path, text), "yaml.invalid_character")
    assert (found.location.path, found.location.line) == ("ratings.organization", 60)
    assert open_submission(tmp_path).answers.ratings["organization"] == "很完善"


@pytest.mark.parametrize(
    ("escape", "shown"),
    [("\\u0000", "U+0000"), ("\\ud800", "U+D800"), ("\\udfff\\u0001", "U+DFFF、U+0001")],
    ids=["nul", "lone-high-surrogate", "lone-low-surrogate-and-soh"],
)
def test_json_answers_are_cleaned_on_their_line(tmp_path: Path, escape: str, shown: str):
    """ensures that JSON escapes of characters XML cannot hold (a NUL, a lone surrogate) are
    reported on the key's line and removed."""
    data = json.loads(json.dumps({"program": "luzhou-etc-2023"}))
    text = json.dumps(data)[:-1] + ',\n"profile": {\n  "company_name": "测试' + escape + '公司",\n'
    text += '  "industry_code": "35", "report_year": 2022}\n}\n'
    found = _one(_findings(tmp_path, text, "answers.json"), "yaml.invalid_character")
    assert (found.location.path, found.location.line) == ("profile.company_name", 3)
    assert shown in found.message
    assert open_submission(tmp_path / "answers.json").answers.company == "测试公司"


@pytest.mark.parametrize(
    ("old", "new", "path", "line", "read"),
    [
        ("company_name: 测试公司", r'company_name: "测试\n公司"', "profile.company_name", 5, "测试 公司"),
        (
            "company_name: 测试公司",
            "company_name: |\n    测试\n    公司",
            "profile.company_name",
            5,
            "测试 公司",
        ),
        (
            "company_name: 测试公司",
            r'company_name: "测试\r\n\r\n公司"',
            "profile.company_name",
            5,
            "测试 公司",
        ),
        ("company_name: 测试公司", r'company_name: "测试\u2028公司"', "profile.company_name", 5, "测试 公司"),
        ("name: 泸州市科学技术进步奖", r'name: "泸州市\n科学技术进步奖"', "items.awards[0].name", 41, None),
    ],
    ids=["escaped-newline", "literal-block", "crlf-twice", "line-separator", "item-name"],
)
def test_line_break_in_a_one_line_field_becomes_a_space(
    tmp_path: Path, old: str, new: str, path: str, line: int, read: str | None
):
    """ensures that a line break in a one-line text field is a warning on its line and read as a
    space; the narrative keeps its lines."""
    found = _one(_findings(tmp_path, BASE.replace(old, new, 1)), "answers.line_break")
    assert (found.location.path, found.location.line, found.severity.value) == (path, line, "warning")
    assert "换行" in found.message
    sub = open_submission(tmp_path)
    if read is not None:
        assert sub.answers.company == read
    else:
        assert sub.answers.items["awards"][0].values["name"] == "泸州市 科学技术进步奖"


def test_hostile_characters_build_a_well_formed_report(tmp_path: Path):
    """ensures that the Luzhou example with control characters and line breaks injected in the
    company name, a narrative section and an item name builds a report.docx that python-docx
    opens and whose every XML part lxml parses."""
    import docx

    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    answers = folder / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    text = text.replace(
        "company_name: 泸州川锐智能装备股份有限公司",
        'company_name: "泸州川锐\\0智能\\x1b装备\\n股份有限公司\\uFFFF"',
        1,
    )
    text = text.replace(
        '"1.1": |\n', '"1.1": "\\x07\\x0b开头。\\u0001\\n\\n正文\\x1f。\\n"\n  "1.1-old": |\n', 1
    )
    text = text.replace("{name: 李建国,", '{name: "李\\x02建国\\n",', 1)
    answers.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["build", str(folder), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    assert "内部错误" not in result.output
    report = out / "report.docx"
    docx.Document(str(report))
    with zipfile.ZipFile(report) as package:
        for member in package.namelist():
            if member.endswith((".xml", ".rels")):
                etree.fromstring(package.read(member))
        body = "".join(etree.fromstring(package.read("word/document.xml")).itertext())
    assert "泸州川锐智能装备 股份有限公司" in body
    assert "开头。" in body
    assert "正文。" in body


# -- class 4: numbers beyond any sensible size --------------------------------------------------

OUT_OF_RANGE = "超出可读取的范围"


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("1.0e+999999999", "answers.number_out_of_range"),
        ("-1.0e-999999999", "answers.number_out_of_range"),
        ("1e999999", "answers.number_out_of_range"),
        ("1" * 5000, "answers.number_out_of_range"),
        ('"' + "1" * 5000 + '"', "answers.number_out_of_range"),
        ('"1,800"', "answers.number_text"),
        (".inf", "answers.not_finite"),
        ("-.inf", "answers.not_finite"),
        (".nan", "answers.not_finite"),
        ("1.0e+30", "answers.too_large"),
    ],
    ids=[
        "huge-exponent",
        "tiny-exponent",
        "plain-exponent",
        "5000-digits",
        "5000-digit-text",
        "thousands",
        "inf",
        "minus-inf",
        "nan",
        "large",
    ],
)
def test_numbers_beyond_the_bounds_are_a_finding_on_their_key(tmp_path: Path, value: str, code: str):
    """ensures that a figure beyond the named bounds (text length, exponent) is refused with a
    Chinese message on data.rd_expense's line, quickly, without echoing 5,000 digits."""
    found = _one(_findings(tmp_path, BASE.replace("rd_expense: 1800", f"rd_expense: {value}")), code)
    assert (found.location.path, found.location.line) == ("data.rd_expense", 10)
    assert found.message.startswith("“研究与试验发展经费支出”")
    assert len(found.message) < 200
    if code == "answers.number_out_of_range":
        assert OUT_OF_RANGE in found.message


@pytest.mark.parametrize(
    "literal",
    ["1e999999999", "-1E-999999999", "1" * 5000, "1" * 4000 + ".5"],
    ids=["exp", "neg-exp", "int", "float"],
)
def test_json_numbers_beyond_the_bounds_are_a_finding_on_their_line(tmp_path: Path, literal: str):
    """ensures that a JSON number literal beyond the bounds is refused on its key and line."""
    text = (
        '{"program": "luzhou-etc-2023",\n"profile": {"company_name": "测试公司", "industry_code": "35",'
        ' "report_year": 2022},\n"data": {\n  "rd_expense": ' + literal + "\n}}\n"
    )
    found = _one(_findings(tmp_path, text, "answers.json"), "answers.number_out_of_range")
    assert (found.location.path, found.location.line) == ("data.rd_expense", 4)


@pytest.mark.parametrize(
    ("old", "new", "code", "path"),
    [
        ("report_year: 2022", "report_year: " + "2" * 5000, "answers.year", "profile.report_year"),
        ("report_year: 2022", 'report_year: "²⁰²²"', "answers.year", "profile.report_year"),
        ("company_name: 测试公司", "company_name: " + "9" * 5000, None, "profile.company_name"),
        (
            'industry_code: "35"',
            "industry_code: " + "3" * 5000,
            "answers.industry_code",
            "profile.industry_code",
        ),
        (
            "evidence/承诺书.pdf",
            "[{file: evidence/承诺书.pdf, count: 1.0e+999999999}]",
            "answers.evidence_count",
            "evidence.commitment_letter[0].count",
        ),
    ],
    ids=["year-digits", "year-superscript", "company-digits", "industry-digits", "evidence-count"],
)
def test_huge_numbers_elsewhere_are_findings_not_crashes(
    tmp_path: Path, old: str, new: str, code: str | None, path: str
):
    """ensures that a 5,000-digit number or a huge exponent outside the data table (a year, a
    company name, an industry code, an evidence count) gives a finding, never a traceback."""
    found = _findings(tmp_path, BASE.replace(old, new, 1))
    if code is None:  # read as the text written
        assert open_submission(tmp_path).answers.company == "9" * 5000
        return
    finding = _one(found, code)
    assert finding.location.path == path
    assert len(finding.message) < 300


# -- class 5: YAML tags and --threshold -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "shown"),
    [
        ('!!int "x"', "yaml.tag_value", "!!int"),
        ('!!bool "x"', "yaml.tag_value", "!!bool"),
        ('!!timestamp "x"', "yaml.tag_value", "!!timestamp"),
        ('!!float "x"', "yaml.tag_value", "!!float"),
        ('!!null "x"', "yaml.tag_value", "!!null"),
        ('!!python/object/apply:os.system ["echo hi"]', "yaml.tag", "!!python/object/apply:os.system"),
        ("!!python/name:os.system", "yaml.tag", "!!python/name:os.system"),
        ("!!binary aGVsbG8=", "yaml.tag", "!!binary"),
        ("!!set {a: null}", "yaml.tag", "!!set"),
        ("!foo x", "yaml.tag", "!foo"),
    ],
    ids=[
        "int",
        "bool",
        "timestamp",
        "float",
        "null",
        "python-apply",
        "python-name",
        "binary",
        "set",
        "custom",
    ],
)
def test_yaml_tags_are_refused_on_their_line(tmp_path: Path, value: str, code: str, shown: str):
    """ensures that an unsupported tag, or a core tag on a value it cannot read, is an error on
    the tag's line naming the tag — nothing constructed, no internal error."""
    found = _one(_findings(tmp_path, BASE.replace("rd_expense: 1800", f"rd_expense: {value}")), code)
    assert (found.location.path, found.location.line, found.severity.value) == (
        "data.rd_expense",
        10,
        "error",
    )
    assert shown in found.message


@pytest.mark.parametrize(
    ("old", "new", "read"),
    [
        ("company_name: 测试公司", "company_name: !!str 123", "123"),
        ("rd_expense: 1800", 'rd_expense: !!int "1800"', None),
        ("rd_expense: 1800", "rd_expense: !!float 1800", None),
    ],
    ids=["str", "int", "float"],
)
def test_core_tags_on_values_they_fit_are_honoured(tmp_path: Path, old: str, new: str, read: str | None):
    """ensures that !!str, !!int and !!float on values they fit read as the tag says."""
    sub = open_submission(write_answers(tmp_path, BASE.replace(old, new, 1)))
    assert not [d for d in sub.diagnostics if d.code.startswith("yaml.")]
    if read is not None:
        assert sub.answers.company == read
    else:
        assert sub.answers.figures["rd_expense"] == 1800


@pytest.mark.parametrize(
    "value", ["nan", "inf", "-inf", "-1", "1e999"], ids=["nan", "inf", "-inf", "-1", "overflow"]
)
def test_review_threshold_must_be_a_finite_number_not_below_zero(tmp_path: Path, value: str):
    """ensures that docgen review --threshold nan/inf/-1 is a usage error (exit 2) in Chinese."""
    folder = tmp_path / "batch"
    shutil.copytree(DATA / "luzhou-basic", folder / "a")
    result = CliRunner().invoke(
        cli, ["review", str(folder), "--program", "luzhou-etc-2023", f"--threshold={value}"]
    )
    assert result.exit_code == 2, result.output
    assert "内部错误" not in result.output
    assert "--threshold 应为不小于 0 的有限数值" in result.output


# -- class 7: input given twice, Windows separators --------------------------------------------


@pytest.mark.parametrize(
    ("text", "code", "path", "line", "first_line"),
    [
        (BASE + "数据:\n  rd_staff: 5\n", "answers.section_twice", "data", 48, 8),
        (BASE.replace("data:", "数据:") + "data:\n  rd_staff: 5\n", "answers.section_twice", "data", 48, 8),
        (BASE + "企业信息:\n  company_name: 别的公司\n", "answers.section_twice", "profile", 48, 4),
        (
            BASE.replace("  industry_code:", "  企业名称: 别的公司\n  industry_code:"),
            "answers.field_twice",
            "profile.company_name",
            6,
            5,
        ),
    ],
    ids=["alias-after-key", "key-after-alias", "profile", "profile-field"],
)
def test_input_given_twice_is_an_error_naming_both_lines(
    tmp_path: Path, text: str, code: str, path: str, line: int, first_line: int
):
    """ensures that a section (or a profile field) written under its key and its Chinese name is
    an error on the second one naming both lines, not one silently dropped."""
    found = _one(_findings(tmp_path, text), code)
    assert (found.location.path, found.location.line, found.severity.value) == (path, line, "error")
    assert f"第 {first_line} 行" in found.message
    assert f"第 {line} 行" in found.message


def test_rating_under_key_and_title_is_an_error(tmp_path: Path):
    """ensures that a rating given under its key and its line's title is reported like a figure
    given twice."""
    line = _line_of(GANSU_ITC, "organization: 很完善")
    sub = open_submission(write_answers(tmp_path / "plain", GANSU_ITC))
    title = next(
        i.title
        for i in sub.program.indicators
        if "organization" in [r.key for r in sub.catalog.rules.inputs(i.rule).ratings]
    )
    text = GANSU_ITC.replace("organization: 很完善", f"organization: 很完善\n  {title}: 比较完善")
    found = _one(_findings(tmp_path / "twice", text), "answers.field_twice")
    assert (found.location.path, found.location.line) == ("ratings.organization", line + 1)


def test_findings_in_a_section_under_its_chinese_name_are_on_their_lines(tmp_path: Path):
    """ensures that a finding inside a section written as 数据 / 企业信息 is placed on its own
    line, not on line 1."""
    text = (
        BASE.replace("data:", "数据:")
        .replace("profile:", "企业信息:")
        .replace("rd_expense: 1800", "rd_expense: -5")
    )
    found = _one(_findings(tmp_path, text), "answers.negative")
    assert (found.location.path, found.location.line) == ("data.rd_expense", 10)


@pytest.mark.parametrize(
    ("old", "new", "path", "read"),
    [
        ("evidence/承诺书.pdf", "evidence\\承诺书.pdf", "evidence.commitment_letter", "evidence/承诺书.pdf"),
        (
            "evidence/承诺书.pdf",
            '".\\\\evidence\\\\承诺书.pdf"',
            "evidence.commitment_letter",
            "./evidence/承诺书.pdf",
        ),
        (
            "evidence/承诺书.pdf",
            "[evidence\\承诺书.pdf]",
            "evidence.commitment_letter[0]",
            "evidence/承诺书.pdf",
        ),
    ],
    ids=["plain", "quoted-dot", "list"],
)
def test_windows_separators_are_read_as_slashes_with_a_warning(
    tmp_path: Path, old: str, new: str, path: str, read: str
):
    """ensures that evidence\\承诺书.pdf is read as evidence/承诺书.pdf, with a warning and a hint."""
    found = _one(_findings(tmp_path, BASE.replace(old, new, 1)), "answers.backslash_path")
    assert (found.location.path, found.location.line, found.severity.value) == (path, 44, "warning")
    assert read in found.message
    assert found.hint is not None
    assert "/" in found.hint
    assert open_submission(tmp_path).answers.evidence["commitment_letter"][0].file == read


def test_windows_separators_find_the_example_files(tmp_path: Path):
    """ensures that the example with backslashes in its evidence paths (section and items) finds
    the same files as with slashes: no more missing files than the one missing on purpose."""
    folder = tmp_path / "example"
    shutil.copytree(EXAMPLE, folder)
    answers = folder / "answers.yaml"
    text = answers.read_text(encoding="utf-8")
    before = {
        d.location.path
        for d in check_submission(open_submission(folder))
        if d.code == "evidence.missing_file"
    }
    answers.write_text(text.replace("evidence/", "evidence\\"), encoding="utf-8")
    found = check_submission(open_submission(folder))
    after = {d.location.path for d in found if d.code == "evidence.missing_file"}
    assert after == before
    paths = {d.location.path for d in found if d.code == "answers.backslash_path"}
    assert "evidence.commitment_letter" in paths
    assert "items.staff[0].evidence" in paths
