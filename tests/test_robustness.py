"""Hostile input: random structures, damaged files, failures mid-build — diagnostics, never a traceback."""

from __future__ import annotations

import hashlib
import json
import random
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.app.submission import check_submission, open_submission, score_submission
from docgen.cli.main import cli
from docgen.errors import DocgenError
from tests.conftest import DATA

BASE = yaml.safe_load((DATA / "luzhou-basic" / "answers.yaml").read_text(encoding="utf-8"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.dates(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
sections = st.sampled_from(
    ["program", "profile", "data", "items", "ratings", "narrative", "evidence", "extra"]
)
keys = st.sampled_from(
    [
        "main_revenue",
        "rd_staff",
        "company_name",
        "industry_code",
        "report_year",
        "standards",
        "awards",
        "staff",
        "1.1",
        "commitment_letter",
        "主营业务收入",
        "organization",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(section=sections, key=keys, value=values)
def test_junk_values_give_diagnostics_only(tmp_path_factory, section, key, value):
    """ensures any value under any key yields diagnostics (or a DocgenError), never another exception."""
    folder = tmp_path_factory.mktemp("junk")
    data = json.loads(json.dumps(BASE, default=str))
    target = data.get(section)
    if isinstance(target, dict):
        target[key] = value
    else:
        data[section] = {key: value} if section != "program" else value
    (folder / "answers.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    try:
        sub = open_submission(folder)
        check_submission(sub)
        score_submission(sub, partial=True)
    except DocgenError:
        pass


@pytest.mark.parametrize("seed", range(60))
def test_damaged_files_exit_cleanly(tmp_path: Path, seed: int):
    """ensures answers cut at random bytes or with random bytes inserted give exit 0/1/2, no traceback,
    and leave the input unchanged."""
    rng = random.Random(seed)
    raw = (DATA / "luzhou-basic" / "answers.yaml").read_bytes()
    position = rng.randrange(len(raw))
    if seed % 2:
        damaged = raw[:position]
    else:
        damaged = (
            raw[:position] + bytes(rng.randrange(256) for _ in range(rng.randint(1, 8))) + raw[position:]
        )
    (tmp_path / "answers.yaml").write_bytes(damaged)
    before = hashlib.sha256(damaged).hexdigest()
    for command in (["score", str(tmp_path), "--json"], ["check", str(tmp_path)]):
        result = CliRunner().invoke(cli, command)
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert hashlib.sha256((tmp_path / "answers.yaml").read_bytes()).hexdigest() == before


def test_failure_mid_build_keeps_earlier_outputs(example: Path, tmp_path: Path, monkeypatch):
    """ensures an exception while rendering leaves the earlier outputs intact and no partial file."""
    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["build", str(example), "-o", str(out)]).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("docgen.app.build.render_bundle", broken)
    edit = example / "answers.yaml"
    edit.write_text(
        edit.read_text(encoding="utf-8").replace("rd_expense: 1980", "rd_expense: 2980"), encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["build", str(example), "-o", str(out)])
    assert result.exit_code == 1
    assert "--debug" in result.output
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before  # nothing half-written, nothing replaced


def test_debug_shows_the_traceback(example: Path, tmp_path: Path, monkeypatch):
    """ensures --debug re-raises unexpected errors for developers."""
    monkeypatch.setattr("docgen.app.build.render_bundle", lambda *a, **k: 1 / 0)
    result = CliRunner().invoke(cli, ["--debug", "build", str(example), "-o", str(tmp_path / "o")])
    assert isinstance(result.exception, ZeroDivisionError)
