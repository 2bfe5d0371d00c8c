"""Ensures that the answers skeleton (`docgen init`) shows every item field that changes a count
and never writes an item list that would contradict a count given as a number."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.app.submission import open_submission
from docgen.cli.main import cli
from docgen.definitions.load import load_catalog

PROGRAMS = sorted(load_catalog().programs)


def _init(program: str, folder: Path) -> str:
    result = CliRunner().invoke(cli, ["init", program, str(folder)])
    assert result.exit_code == 0, result.output
    return (folder / "answers.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("program", PROGRAMS)
def test_item_lists_are_examples_not_empty_lists(program: str, tmp_path: Path) -> None:
    """ensures that no item kind is written as an empty list (``invention_patents: []`` made a
    number given under data an error) and that each example item lists every field of its kind."""
    text = _init(program, tmp_path / "s")
    assert ": []" not in text.split("\nitems:", 1)[1].split("\nratings:", 1)[0].split("\nnarrative:", 1)[0]
    catalog = load_catalog()
    for kind, spec in catalog.item_kinds.items():
        if f"  # {kind}:" in text:
            example = text.split(f"  # {kind}:\n", 1)[1].splitlines()[0]
            assert [f"{name}:" in example for name in spec.fields] == [True] * len(spec.fields), kind


def test_staff_example_shows_the_expert_flag_the_national_form_counts(tmp_path: Path) -> None:
    """ensures that the national skeleton's staff example carries ``expert``: 高级专家 are counted
    by that flag (input that followed the skeleton counted 3 of 6 people)."""
    text = _init("national-etc-2021", tmp_path / "s")
    assert '#   - {name: "", title: senior, expert: false, degree: phd' in text


def test_a_count_given_as_a_number_beside_the_skeleton_is_accepted(tmp_path: Path) -> None:
    """ensures that a number typed under data for a count the skeleton offers as items (no list
    written) is read as given, not refused as contradicting an empty list."""
    folder = tmp_path / "s"
    text = _init("national-etc-2021", folder)
    text = text.replace("data:\n", "data:\n  valid_invention_patents: 86\n", 1)
    (folder / "answers.yaml").write_text(text, encoding="utf-8")
    sub = open_submission(folder)
    assert sub.answers.figures["valid_invention_patents"] == 86
    assert not [d for d in sub.diagnostics if d.location.key_path[:2] == ("data", "valid_invention_patents")]
