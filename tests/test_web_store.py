"""The workspace's storage: concurrent edits of one submission never interleave or get lost, a
failed save changes nothing, and the canonical folder follows the database."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from docgen.web.errors import WebError
from docgen.web.settings import Settings
from docgen.web.workspace import Workspace
from tests.web_helpers import EXAMPLES

PDF = EXAMPLES / "luzhou-etc-2023" / "evidence" / "承诺书.pdf"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(Settings(data=tmp_path / "data"))


def test_concurrent_edits_of_one_submission_are_all_kept(ws: Workspace):
    """ensures 4 threads each setting 8 different figures of one submission at once leave all
    32 figures saved: every edit is applied to the latest answers, none overwrites another."""
    user = ws.local_user()
    sid = ws.create(user, "luzhou-etc-2023").id
    errors: list[Exception] = []

    def worker(n: int) -> None:
        for k in range(8):

            def change(data: dict, key: str = f"f{n}_{k}", value: int = n * 100 + k) -> None:
                data.setdefault("data", {})[key] = value

            try:
                ws.edit(user, sid, change)
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    from docgen.web.submission_files import answers_data

    data = answers_data(ws.get(user, sid))["data"]
    assert {k: data[k] for k in data if k.startswith("f")} == {
        f"f{n}_{k}": n * 100 + k for n in range(4) for k in range(8)
    }
    assert ws.get(user, sid).version == 33


def test_a_failed_upload_changes_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    """ensures an upload whose blob cannot be written (a full disk) leaves the submission, its
    files and its version as they were."""
    user = ws.local_user()
    sid = ws.create(user, "luzhou-etc-2023").id
    ws.add_file(user, sid, "a.pdf", PDF.read_bytes())

    def full(_data: bytes) -> str:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ws.store, "put", full)
    with pytest.raises(WebError) as refused:
        ws.add_file(user, sid, "b.pdf", PDF.read_bytes())
    assert refused.value.status == 507
    assert "No space left on device" in refused.value.message
    row = ws.get(user, sid)
    assert [f.path for f in row.files] == ["evidence/a.pdf"]
    assert row.version == 2


def test_a_failed_answers_save_keeps_the_old_answers(ws: Workspace):
    """ensures a save refused as stale (another change came first) keeps what was saved."""
    user = ws.local_user()
    sid = ws.create(user, "luzhou-etc-2023").id
    ws.put_answers(user, sid, "program: luzhou-etc-2023\nprofile:\n  company_name: 甲\n", expected=1)
    with pytest.raises(WebError) as refused:
        ws.put_answers(user, sid, "program: luzhou-etc-2023\nprofile:\n  company_name: 乙\n", expected=1)
    assert refused.value.status == 409
    assert ws.get(user, sid).company == "甲"


def test_the_canonical_folder_follows_the_database(ws: Workspace):
    """ensures the folder docgen.app reads holds exactly the submission's answers and files:
    a removed file disappears from it, a replaced one changes, nothing else stays."""
    user = ws.local_user()
    sid = ws.create(user, "luzhou-etc-2023").id
    ws.add_file(user, sid, "a.pdf", PDF.read_bytes())
    ws.add_file(user, sid, "b.pdf", PDF.read_bytes())
    folder = ws.layout.folder(ws.get(user, sid))
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "answers.yaml",
        "evidence/a.pdf",
        "evidence/b.pdf",
    ]
    (folder / "stray.txt").write_text("left by hand")
    ws.remove_file(user, sid, "evidence/a.pdf")
    folder = ws.layout.folder(ws.get(user, sid))
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "answers.yaml",
        "evidence/b.pdf",
    ]
    assert (folder / "answers.yaml").read_text("utf-8") == ws.get(user, sid).answers


def test_a_restarted_server_finds_everything(tmp_path: Path):
    """ensures submissions, files and scores survive a restart (a new Workspace on the same data
    folder; the migrations run again and change nothing)."""
    first = Workspace(Settings(data=tmp_path / "data"))
    user = first.local_user()
    sid = first.create(user, "luzhou-etc-2023").id
    first.add_file(user, sid, "承诺书.pdf", PDF.read_bytes())
    first.engine.dispose()
    again = Workspace(Settings(data=tmp_path / "data"))
    row = again.get(again.local_user(), sid)
    assert [f.path for f in row.files] == ["evidence/承诺书.pdf"]
    assert again.store.read(row.files[0].sha256) == PDF.read_bytes()
