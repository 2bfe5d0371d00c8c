"""A narrative that introduces another company than the applicant (narrative.other_company)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.app.submission import open_submission
from docgen.cli.main import cli
from docgen.narrative.company_names import find_company_names
from tests.test_examples import PROGRAMS
from tests.test_narrative import edit, line_of

ROOT = Path(__file__).parent.parent
SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团")


def other_company(folder: Path) -> list:
    return [d for d in open_submission(folder).diagnostics if d.code == "narrative.other_company"]


def rename(folder: Path, name: str) -> None:
    path = folder / "answers.yaml"
    text = path.read_text(encoding="utf-8")
    text, count = re.subn(r"(?m)^(\s*company_name:\s*)\S+", lambda m: m.group(1) + name, text, count=1)
    assert count == 1
    # an alliance's 牵头单位 is a name of the applicant too: another applicant has another one
    text = re.sub(r"(?m)^(\s*lead_unit:\s*)\S+", lambda m: m.group(1) + name, text, count=1)
    path.write_text(text, encoding="utf-8")


def test_renamed_applicant_warns_on_the_line_of_the_other_name(example: Path):
    """ensures the Luzhou narrative under 泸州江阳酒业装备有限公司 warns at «泸州川锐…成立于2006年»."""
    rename(example, "泸州江阳酒业装备有限公司")
    (finding,) = other_company(example)
    assert finding.severity.value == "warning"
    assert finding.location.path == "narrative.1.1"
    assert finding.location.line == line_of(example, "泸州川锐智能装备股份有限公司成立于2006年")
    assert "“泸州川锐智能装备股份有限公司”" in finding.message
    assert "泸州江阳酒业装备有限公司" in finding.message
    result = CliRunner().invoke(cli, ["check", str(example), "--json"])
    rows = [d for d in json.loads(result.output)["diagnostics"] if d["code"] == "narrative.other_company"]
    assert [(r["path"], r["file"], r["line"]) for r in rows] == [
        ("narrative.1.1", "answers.yaml", finding.location.line)
    ]


@pytest.mark.parametrize("program", PROGRAMS)
def test_every_example_warns_once_renamed(program: str, tmp_path: Path):
    """ensures each shipped example is clean as shipped and warns in 1.1 when its company is renamed."""
    folder = tmp_path / program
    shutil.copytree(ROOT / "examples" / program, folder)
    assert not other_company(folder)
    rename(folder, "某某新材料有限公司")
    assert [d.location.path for d in other_company(folder)] == ["narrative.1.1"]


def test_subsidiaries_customers_short_forms_and_old_names_do_not_warn(example: Path):
    """ensures names after the applicant's own, «本公司<name>», a short form and the pre-股改 name pass."""
    edit(
        example,
        "公司主导产品为凿岩台车",
        "主要客户包括中国铁建重工集团股份有限公司等。公司主导产品为凿岩台车",
    )
    assert not other_company(example)
    edit(
        example, "泸州川锐智能装备股份有限公司成立于2006年", "本公司泸州川锐智能装备股份有限公司成立于2006年"
    )
    assert not other_company(example)
    edit(example, "本公司泸州川锐智能装备股份有限公司成立于2006年", "川锐集团成立于2006年")
    assert not other_company(example)
    edit(example, "川锐集团成立于2006年", "泸州川锐智能装备有限公司成立于2006年")
    assert not other_company(example)


def test_a_parent_named_first_warns(example: Path):
    """ensures the documented limit: a section opening with its parent company warns (name it after)."""
    edit(
        example,
        "泸州川锐智能装备股份有限公司成立于2006年",
        "四川蜀道装备集团有限公司控股的本公司成立于2006年",
    )
    (finding,) = other_company(example)
    assert "“四川蜀道装备集团有限公司”" in finding.message


def test_company_names_are_found_whole():
    """ensures «…集团有限公司» is one name, brackets inside a name are kept, a bare suffix is no name."""
    text = "甘肃陇药科技集团有限公司、华辰精密传动（西安）有限公司、（全资子公司）；集团。"
    assert [n.name for n in find_company_names(text, SUFFIXES)] == [
        "甘肃陇药科技集团有限公司",
        "华辰精密传动（西安）有限公司",
    ]
