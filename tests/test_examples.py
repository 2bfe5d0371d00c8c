"""The shipped examples: every program's example checks clean, scores, and its total adds up."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.api import open_submission, score_submission
from docgen.cli import cli

ROOT = Path(__file__).parent.parent
PROGRAMS = [
    "luzhou-etc-2023",
    "national-etc-2021",
    "gansu-etc-2022",
    "gansu-itc-2022",
    "gansu-alliance-2022",
    "gansu-demo-2022",
]


@pytest.mark.parametrize("program", PROGRAMS)
def test_example_checks_and_scores(program: str):
    """ensures each example has no error, one deliberately missing document, and a total = sum of its lines."""
    folder = ROOT / "examples" / program
    result = CliRunner().invoke(cli, ["check", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    findings = json.loads(result.output)["diagnostics"]
    assert [d["code"] for d in findings] == ["evidence.missing_file"]
    card = score_submission(open_submission(folder))
    assert card.program.id == program
    assert card.total == sum((r.score for r in (*card.indicators, *card.bonus)), Fraction(0))
    assert all(r.explanation for r in (*card.indicators, *card.bonus))
    assert card.eligible


def test_example_boundaries_land_right():
    """ensures the boundary cases built into the examples: 3.0% exactly, 1300万 exactly, 5 not > 5."""
    gansu = {
        r.id: r for r in score_submission(open_submission(ROOT / "examples" / "gansu-etc-2022")).indicators
    }
    assert gansu["rd_ratio"].value == 3  # 1080/36000 = 3.0% exactly
    assert gansu["rd_ratio"].score == 3  # 1 at 2% + two whole 0.5% steps
    itc = {
        r.id: r for r in score_submission(open_submission(ROOT / "examples" / "gansu-itc-2022")).indicators
    }
    assert itc["equipment"].score == 5  # exactly 1300万 → the top bracket
    demo = {
        r.id: r for r in score_submission(open_submission(ROOT / "examples" / "gansu-demo-2022")).indicators
    }
    assert demo["new_tech_projects"].met is False  # 5 is not > 5
