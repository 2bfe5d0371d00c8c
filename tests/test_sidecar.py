"""Tests of docgen.word.sidecar: prepared templates are read only for docgen's own templates."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import docgen.word.sidecar as sidecar
from docgen.cli.main import cli
from docgen.resources import folder
from docgen.word.environment import environment
from docgen.word.sidecar import read_sidecar, sidecar_key, sidecar_path, sidecar_record

SHIPPED = folder("templates") / "application-report.docx"


def _hostile_sidecar(template: Path, marker: Path) -> None:
    """Writes next to ``template`` a sidecar that matches it in every field but whose code writes
    ``marker`` and raises, and whose source prints something else."""
    record = sidecar_record(template, environment())
    record["code"] = f"open({str(marker)!r}, 'w').write('ran')\nraise RuntimeError('sidecar code ran')\n"
    record["source"] = record["source"].replace("{{ report.title }}", "被篡改的标题")
    sidecar_path(template).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def test_a_sidecar_beside_a_user_template_is_never_run(example: Path, tmp_path: Path):
    """ensures that building with --template runs no code from a .prepared.json next to it, and the
    report equals the one rendered from the same template without a sidecar."""
    marker = tmp_path / "marker"
    outputs = {}
    for case in ("hostile", "plain"):
        template = tmp_path / case / "my-report.docx"
        template.parent.mkdir()
        shutil.copyfile(SHIPPED, template)
        if case == "hostile":
            _hostile_sidecar(template, marker)
            assert read_sidecar(template, template.read_bytes(), environment()) is None
        out = tmp_path / f"out-{case}"
        result = CliRunner().invoke(cli, ["build", str(example), "-o", str(out), "--template", str(template)])
        assert result.exit_code == 0, result.output
        outputs[case] = {p.name: p.read_bytes() for p in sorted(out.rglob("*.docx"))}
    assert not marker.exists()
    assert outputs["hostile"] == outputs["plain"]
    assert outputs["plain"]  # the report and the missing-evidence report
    assert all("被篡改的标题".encode() not in data for data in outputs["hostile"].values())


@pytest.mark.parametrize(
    ("change", "used"),
    [
        (lambda record: None, True),
        (lambda record: record.update(key=record["key"].replace("jinja2 ", "jinja2 0.")), False),
        (lambda record: record.update(key=record["key"].replace("docxtpl ", "docxtpl 0.")), False),
        (lambda record: record.update(template_sha256="0" * 64), False),
        (lambda record: record.update(code=None), False),
        (lambda record: record.clear(), False),
    ],
    ids=["current", "other-jinja", "other-docxtpl", "edited-template", "no-code", "empty"],
)
def test_only_a_current_sidecar_of_a_shipped_template_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change, used: bool
):
    """ensures that a sidecar in docgen's templates folder is used only when its key matches the
    template's bytes, docxtpl, Jinja and docgen's code; a stale one is ignored (prepared afresh)."""
    shipped = tmp_path / "templates"
    shipped.mkdir()
    template = shipped / SHIPPED.name
    shutil.copyfile(SHIPPED, template)
    record = json.loads(sidecar_path(SHIPPED).read_text(encoding="utf-8"))
    change(record)
    sidecar_path(template).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(sidecar, "folder", lambda name: tmp_path / name)
    prepared = read_sidecar(template, template.read_bytes(), environment())
    assert (prepared is not None) is used
    if prepared is not None:
        assert prepared.code == record["code"]


def test_the_key_names_the_versions():
    """ensures that the sidecar key spells out the docxtpl and Jinja versions and the settings."""
    import jinja2

    key = sidecar_key(environment())
    assert f"jinja2 {jinja2.__version__} BudgetedEnvironment autoescape=True undefined=StrictUndefined" in key
    assert key.startswith("docxtpl 0.")
