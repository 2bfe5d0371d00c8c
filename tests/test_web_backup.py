"""Backup and restore of a server's data (docs/deploy.md, issue #21 point 5): the procedure the
deployment guide gives, run end to end — a restored server serves the same submissions, files,
scores, accounts and audit log."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli.main import cli
from tests.web_helpers import Client


def _pdf(text: str) -> bytes:
    return f"%PDF-1.4\n% {text}\n%%EOF\n".encode()


def state(client: Client) -> dict:
    """What a user of the server sees: each submission, its files' bytes, score and check."""
    out = {}
    for listed in client.http.get("/api/submissions").json():
        sid = listed["id"]
        one = client.http.get(f"/api/submissions/{sid}").json()
        files = {
            f["path"]: client.http.get(f"/api/submissions/{sid}/files/{f['path']}").content
            for f in one["files"]
        }
        out[sid] = {
            "submission": one,
            "files": files,
            "score": client.http.get(f"/api/submissions/{sid}/score").json(),
            "check": client.http.get(f"/api/submissions/{sid}/check").json(),
        }
    return out


def filled(data: Path) -> Client:
    client = Client(data)
    luzhou = client.import_example("luzhou-etc-2023")
    client.import_example("gansu-etc-2022")
    answer = client.http.post(
        f"/api/submissions/{luzhou}/files",
        files={"file": ("补充材料.pdf", _pdf("补充"), "application/pdf")},
        headers=client.headers(),
    )
    assert answer.status_code == 201
    return client


def test_a_backup_restores_the_same_server(tmp_path: Path):
    """ensures `docgen data backup` of a running server and `docgen data restore` into an empty
    folder give a server with the same submissions (ids, versions, answers), the same file bytes,
    scores and checks, and the same CSRF token (its secret restored)."""
    client = filled(tmp_path / "data")
    before = state(client)
    runner = CliRunner()
    backed = runner.invoke(
        cli, ["data", "backup", str(tmp_path / "backup"), "--data", str(tmp_path / "data")]
    )
    assert backed.exit_code == 0, backed.output
    assert "已备份 2 份申报" in backed.output
    restored = runner.invoke(
        cli, ["data", "restore", str(tmp_path / "backup"), "--data", str(tmp_path / "new")]
    )
    assert restored.exit_code == 0, restored.output
    assert "已恢复 2 份申报" in restored.output
    again = Client(tmp_path / "new")
    assert again.token == client.token
    assert state(again) == before
    assert not (tmp_path / "backup" / "work").exists()


def test_a_restored_server_keeps_working(tmp_path: Path):
    """ensures the restored server takes new edits and uploads on top of the restored versions."""
    client = filled(tmp_path / "data")
    runner = CliRunner()
    assert (
        runner.invoke(
            cli, ["data", "backup", str(tmp_path / "b"), "--data", str(tmp_path / "data")]
        ).exit_code
        == 0
    )
    assert (
        runner.invoke(cli, ["data", "restore", str(tmp_path / "b"), "--data", str(tmp_path / "n")]).exit_code
        == 0
    )
    again = Client(tmp_path / "n")
    sid = next(
        s["id"] for s in again.http.get("/api/submissions").json() if s["program"] == "luzhou-etc-2023"
    )
    version = again.http.get(f"/api/submissions/{sid}").json()["version"]
    answer = again.http.post(
        f"/api/submissions/{sid}/files",
        files={"file": ("新.pdf", _pdf("新"), "application/pdf")},
        headers=again.headers(),
    )
    assert answer.status_code == 201
    assert again.http.get(f"/api/submissions/{sid}").json()["version"] == version + 1
    assert (
        client.http.get(f"/api/submissions/{sid}").json()["version"] == version
    )  # the original is untouched


@pytest.mark.parametrize(
    "case", ["backup into a non-empty folder", "restore into a used folder", "not a backup", "a file lost"]
)
def test_backup_and_restore_refuse_what_would_lose_or_mix_data(tmp_path: Path, case: str):
    """ensures a backup never writes into a non-empty folder, a restore never into a used data
    folder, a folder without a manifest is no backup, and a restore missing a file the database
    names says so (exit 1, a Chinese message, no traceback)."""
    filled(tmp_path / "data")
    runner = CliRunner()
    target = tmp_path / "backup"
    if case == "backup into a non-empty folder":
        target.mkdir()
        (target / "keep.txt").write_text("x", encoding="utf-8")
        result = runner.invoke(cli, ["data", "backup", str(target), "--data", str(tmp_path / "data")])
        expected = "不是空文件夹"
        assert (target / "keep.txt").read_text(encoding="utf-8") == "x"
    else:
        assert (
            runner.invoke(cli, ["data", "backup", str(target), "--data", str(tmp_path / "data")]).exit_code
            == 0
        )
        into = tmp_path / "new"
        if case == "restore into a used folder":
            into = tmp_path / "data"
            expected = "不是空的"
        elif case == "not a backup":
            (target / "manifest.json").unlink()
            expected = "不是 docgen 的备份"
        else:
            blob = next(p for p in (target / "files").rglob("*") if p.is_file())
            blob.write_bytes(b"damaged")
            expected = "恢复未完成"
        result = runner.invoke(cli, ["data", "restore", str(target), "--data", str(into)])
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Traceback" not in result.output
