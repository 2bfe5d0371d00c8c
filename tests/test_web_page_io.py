"""What a page asks of the file system (#21, point 7): under load each system call gives the
interpreter lock away and waits to get it back, so a page should make few — the canonical folder
laid out from its listing (no stat of each file), the templates not checked for changes on every
page, LibreOffice looked for once in a while — and still show and lay out exactly what it did."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from docgen.web import jobs
from docgen.web.settings import Settings
from docgen.web.workspace import Workspace
from tests.web_helpers import EXAMPLES, Client

PDF = EXAMPLES / "luzhou-etc-2023" / "evidence" / "承诺书.pdf"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return Workspace(Settings(data=tmp_path / "data"))


def _stats_under(monkeypatch: pytest.MonkeyPatch, folder: Path) -> list[str]:
    """Returns the list the ``stat``/``lstat`` calls on paths inside ``folder`` are noted in."""
    seen: list[str] = []
    for name in ("stat", "lstat"):
        original = getattr(os, name)

        def counted(path: object, *args: object, _original: object = original, **kw: object) -> object:
            if str(path).startswith(str(folder) + os.sep):
                seen.append(str(path))
            return _original(path, *args, **kw)  # type: ignore[operator]

        monkeypatch.setattr(os, name, counted)
    return seen


def test_the_folder_is_laid_out_from_its_listing(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    """ensures laying out a folder again stats none of its files one by one (a few stats in all), keeps the files
    already linked to their blobs (same inode), links again a changed, a copied-over and a
    symbolically linked one, removes what is not the submission's (another answers file, a stray
    file in a sub-folder) and writes the answers."""
    user = ws.local_user()
    sid = ws.create(user, "luzhou-etc-2023").id
    for name in ("a.pdf", "b.pdf", "c.pdf", "d.pdf"):
        ws.add_file(user, sid, name, PDF.read_bytes(), f"evidence/{name}")
    folder = ws.layout.folder(ws.get(user, sid))
    kept = os.stat(folder / "evidence" / "a.pdf").st_ino
    (folder / "evidence" / "c.pdf").unlink()
    (folder / "evidence" / "c.pdf").write_bytes(PDF.read_bytes())  # a copy, not the blob
    (folder / "evidence" / "d.pdf").unlink()
    (folder / "evidence" / "d.pdf").symlink_to(folder / "evidence" / "a.pdf")
    (folder / "answers.json").write_text("{}")
    (folder / "more").mkdir()
    (folder / "more" / "stray.txt").write_text("left by hand")
    ws.add_file(user, sid, "b.png", PNG, "evidence/b.pdf")  # another blob at b.pdf
    row = ws.get(user, sid)
    seen = _stats_under(monkeypatch, folder)
    assert ws.layout.folder(row) == folder
    assert [p for p in seen if p.endswith(".pdf")] == []  # the sub-folder and answers.yaml only
    assert len(seen) <= 3
    monkeypatch.undo()
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert files == ["answers.yaml", "evidence/a.pdf", "evidence/b.pdf", "evidence/c.pdf", "evidence/d.pdf"]
    assert os.stat(folder / "evidence" / "a.pdf").st_ino == kept
    for stored in row.files:
        place = folder / stored.path
        assert not stat.S_ISLNK(os.lstat(place).st_mode)
        assert os.stat(place).st_ino == os.stat(ws.store.path(stored.sha256)).st_ino
    assert (folder / "evidence" / "b.pdf").read_bytes() == PNG
    assert (folder / "answers.yaml").read_text("utf-8") == row.answers
    assert not [p for p in (folder / "evidence").iterdir() if p.name.startswith(".")]


def test_a_page_checks_no_template_and_looks_for_libreoffice_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """ensures a workspace page shown again looks at no template file and does not search for
    LibreOffice again, while another DOCGEN_SOFFICE is looked for afresh."""
    from docgen.app import pdf

    client = Client(tmp_path / "data")
    sid = client.import_example("luzhou-etc-2023")
    assert client.http.get(f"/submissions/{sid}").status_code == 200
    templates = Path(jobs.__file__).parent / "templates"
    seen = _stats_under(monkeypatch, templates)
    searched: list[str] = []
    original = pdf.find_soffice

    def find() -> str:
        searched.append("find")
        return original()

    monkeypatch.setattr(pdf, "find_soffice", find)
    again = client.http.get(f"/submissions/{sid}")
    assert again.status_code == 200
    assert seen == []
    assert searched == []
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(fake))
    assert jobs.pdf_available() is True
    assert jobs.pdf_available() is True
    assert searched == ["find"]
    monkeypatch.setenv(pdf.SOFFICE_ENV, str(tmp_path / "none"))
    assert jobs.pdf_available() is False
    assert searched == ["find", "find"]


def test_new_files_are_linked_in_place(ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    """ensures a file new to the folder is hard-linked straight to its place (no temporary name
    renamed over it), and that a file already there is still replaced whole through a rename."""
    user = ws.local_user()
    sid = ws.create(user, "luzhou-etc-2023").id
    ws.layout.folder(ws.get(user, sid))
    for name in ("a.pdf", "b.pdf"):
        ws.add_file(user, sid, name, PDF.read_bytes(), f"evidence/{name}")
    renamed: list[str] = []
    original = os.replace

    def counted(src: object, dst: object, *args: object, **kw: object) -> None:
        renamed.append(str(dst))
        original(src, dst, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "replace", counted)
    folder = ws.layout.folder(ws.get(user, sid))
    assert [r for r in renamed if r.endswith(".pdf")] == []
    row = ws.get(user, sid)
    for stored in row.files:
        assert os.stat(folder / stored.path).st_ino == os.stat(ws.store.path(stored.sha256)).st_ino
    ws.add_file(user, sid, "b.png", PNG, "evidence/b.pdf")
    ws.layout.folder(ws.get(user, sid))
    assert [r for r in renamed if r.endswith(".pdf")] == [str(folder / "evidence" / "b.pdf")]
    assert (folder / "evidence" / "b.pdf").read_bytes() == PNG
