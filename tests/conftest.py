"""Shared fixtures: the Luzhou fixture submission and the catalog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen.definitions.load import load_catalog

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"

NARRATIVE_IDS = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2"]


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Keeps docgen's caches (catalog, inspection, prepared submissions) inside the test run."""
    import os

    previous = os.environ.get("DOCGEN_CACHE")
    os.environ["DOCGEN_CACHE"] = str(tmp_path_factory.mktemp("docgen-cache"))
    yield
    if previous is None:
        os.environ.pop("DOCGEN_CACHE", None)
    else:
        os.environ["DOCGEN_CACHE"] = previous


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture
def luzhou_basic(tmp_path: Path) -> Path:
    """A copy of tests/data/luzhou-basic (figures only, no narrative) in a temp folder."""
    target = tmp_path / "luzhou-basic"
    shutil.copytree(DATA / "luzhou-basic", target)
    return target


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the shipped Luzhou example submission."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target)
    return target


def write_answers(folder: Path, text: str) -> Path:
    """Writes answers.yaml into ``folder`` and returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "answers.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def blank_forms(tmp_path_factory) -> Path:
    """Every program's blank attachments (`docgen forms --all`), one sub-folder a program: made
    once for the tests of several files that read them."""
    from click.testing import CliRunner

    from docgen.cli.main import cli

    out = tmp_path_factory.mktemp("blank-forms")
    result = CliRunner().invoke(cli, ["forms", "--all", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def filled_forms(tmp_path_factory) -> Path:
    """Every example's attachments filled with its answers (`docgen forms P --fill examples/P`),
    in ``<out>/<program>``: made once for the tests of several files that read them."""
    from click.testing import CliRunner

    from docgen.cli.main import cli

    out = tmp_path_factory.mktemp("filled-forms")
    for example in sorted(p for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").exists()):
        args = ["forms", example.name, "--fill", str(example), "-o", str(out / example.name)]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    return out
