"""Ensures the 统一社会信用代码 check (GB 32100-2015 and the GB 11714 organisation code in it)."""

from __future__ import annotations

import pytest

from docgen.model.credit_code import check_character, credit_code_problem, organisation_check


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        ("91350100M000100Y43", None),  # published codes: both check characters hold
        ("91110000802100433B", None),
        ("9151050479184265X8", None),  # the Luzhou example (organisation code 79184265-X)
        ("91350100M000100Y44", "check"),  # last character changed
        ("91350100M000100Y53", "organisation"),  # the organisation code's check changed
        ("91350100M000100Y4", "length"),
        ("91350100M000100YO3", "character"),  # O is not in the alphabet (nor I, S, V, Z)
        ("9135010OM000100Y43", "character"),
    ],
    ids=[
        "published-1",
        "published-2",
        "luzhou-example",
        "check",
        "organisation",
        "short",
        "letter-O",
        "O-in-division",
    ],
)
def test_credit_code_problem(code: str, problem: str | None) -> None:
    """ensures each kind of wrong code is named and valid codes pass."""
    assert credit_code_problem(code) == problem


def test_check_characters_by_hand() -> None:
    """ensures the weighted sums as GB 32100 and GB 11714 define them, on 91110000802100433B:
    organisation code 80210043 → 8·3 + 0·7 + 2·9 + 1·10 + 0·5 + 0·8 + 4·4 + 3·2 = 74, 74 mod 11 =
    8, 11 − 8 = 3; the code's check character over the first 17 is B (value 11)."""
    assert organisation_check("80210043") == "3"
    assert check_character("91110000802100433") == "B"
    assert organisation_check("79184265") == "X"  # 11 − (… mod 11) = 10 is written X


@pytest.mark.parametrize(
    ("written", "code", "severity"),
    [
        ("91350100M000100Y44", "answers.credit_code_check", "error"),
        ("91350100M000100Y53", "answers.credit_code_organisation", "error"),
        ("9135010", "answers.credit_code_length", "error"),
        (None, "answers.expected", "warning"),
    ],
    ids=["check", "organisation", "length", "missing"],
)
def test_answers_check_the_credit_code(tmp_path, written: str | None, code: str, severity: str) -> None:
    """ensures that the answers' 统一社会信用代码 is checked where it is written, and that a
    submission without one is told (a warning: no score needs it, every cover does)."""
    from docgen.app.submission import open_submission
    from tests.conftest import DATA

    text = (DATA / "luzhou-basic" / "answers.yaml").read_text(encoding="utf-8")
    if written is not None:
        text = text.replace(
            "  company_name: 测试公司\n", f"  company_name: 测试公司\n  credit_code: {written}\n"
        )
    (tmp_path / "answers.yaml").write_text(text, encoding="utf-8")
    sub = open_submission(tmp_path)
    [found] = [d for d in sub.diagnostics if d.code.startswith(("answers.credit_code", "answers.expected"))]
    assert (found.code, found.severity.value, found.location.path) == (code, severity, "profile.credit_code")
    if written is None:
        assert found.message == "未填写“统一社会信用代码”（credit_code）：申报材料的封面和表格都要填写它"
    else:
        assert found.location.line == 6
        assert written in found.message


def test_a_valid_credit_code_is_kept_in_capitals(tmp_path) -> None:
    """ensures a valid code written in small letters with spaces is read in capitals, unflagged."""
    from docgen.app.submission import open_submission
    from tests.conftest import DATA

    text = (DATA / "luzhou-basic" / "answers.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "  company_name: 测试公司\n", "  company_name: 测试公司\n  credit_code: 91350100m000100y43\n"
    )
    (tmp_path / "answers.yaml").write_text(text, encoding="utf-8")
    sub = open_submission(tmp_path)
    assert sub.answers.profile["credit_code"] == "91350100M000100Y43"
    assert not [d for d in sub.diagnostics if "credit_code" in d.location.path]


def test_a_submission_without_credit_code_is_not_complete(tmp_path) -> None:
    """ensures that the credit code, though no score needs it, is required for a complete
    submission: the Luzhou example with its cash flow statement is complete only with its code."""
    import json
    import shutil

    from click.testing import CliRunner

    from docgen.cli.main import cli
    from tests.conftest import EXAMPLE

    folder = tmp_path / "luzhou"
    shutil.copytree(EXAMPLE, folder)
    shutil.copy(folder / "evidence" / "利润表.pdf", folder / "evidence" / "现金流量表.pdf")
    text = (folder / "answers.yaml").read_text(encoding="utf-8")
    kept = [line for line in text.splitlines() if not line.strip().startswith("credit_code:")]
    (folder / "answers.yaml").write_text("\n".join(kept) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", str(folder), "--json"])
    data = json.loads(result.output)
    assert (data["ok"], data["complete"], data["missing_facts"]) == (True, False, ["统一社会信用代码"])
    last = CliRunner().invoke(cli, ["check", str(folder)]).output.strip().splitlines()[-1]
    assert last.endswith("材料不完整：未填写统一社会信用代码")
