"""What makes the inspection of a first review cheap (#18): inspections remembered by a process
while their cache entry is unchanged, evidence paths resolved without walking the whole path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.codec import decode, encode
from docgen.evidence import inspect as module
from docgen.evidence.inspect import InspectionCache, inspect_file
from docgen.files import resolve_inside
from tests.conftest import EXAMPLE

PATENT = "专利证书-ZL201710583264.8.pdf"
PATENT_NUMBER = "ZL201710583264.8"


def _counting_pdf_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Returns the list of the file names whose PDF is parsed from now on."""
    calls: list[str] = []
    real = module._inspect_pdf

    def counted(path: Path, name: str, wanted: set[str] | frozenset[str]) -> module.FileFacts:
        calls.append(name)
        return real(path, name, wanted)

    monkeypatch.setattr(module, "_inspect_pdf", counted)
    return calls


def _two_submissions(tmp_path: Path) -> tuple[Path, Path]:
    data = (EXAMPLE / "evidence" / PATENT).read_bytes()
    first, second = tmp_path / "s1" / "evidence", tmp_path / "s2" / "证明材料"
    for folder in (first, second):
        folder.mkdir(parents=True)
    (first / PATENT).write_bytes(data)
    (second / "专利.pdf").write_bytes(data)  # the same bytes under another name
    return first.parent, second.parent


def test_an_identical_blob_is_parsed_once_and_each_submission_gets_its_own_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ensures that the same bytes in two submissions are parsed once per batch, that the second
    gets the facts under its own file name, and that the identifiers sought still decide."""
    calls = _counting_pdf_reads(monkeypatch)
    reads: list[object] = []
    real_load = module.stored_results.load
    monkeypatch.setattr(module.stored_results, "load", lambda *a: reads.append(a) or real_load(*a))
    cache = InspectionCache(tmp_path / "cache")
    one, two = _two_submissions(tmp_path)
    first = inspect_file(one, f"evidence/{PATENT}", {PATENT_NUMBER}, cache)
    reads.clear()
    second = inspect_file(two, "证明材料/专利.pdf", {PATENT_NUMBER}, InspectionCache(tmp_path / "cache"))
    assert reads == []  # remembered by this process: the entry is not read and decoded again
    other = inspect_file(two, "证明材料/专利.pdf", {"ZL209999999999.9"}, cache)
    assert calls == [f"evidence/{PATENT}", "证明材料/专利.pdf"]  # the third sought other numbers
    assert first.file == f"evidence/{PATENT}"
    assert second.file == "证明材料/专利.pdf"
    assert (first.status, first.pages, first.found) == ("ok", 1, frozenset({PATENT_NUMBER}))
    assert (second.status, second.pages, second.found) == (first.status, first.pages, first.found)
    assert other.found == frozenset()
    assert second.text == ""


def test_a_remembered_entry_damaged_on_disk_is_rebuilt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ensures that an inspection entry this process remembers, then damaged or removed on disk,
    is not trusted from memory: the file is inspected again and the entry rewritten whole."""
    calls = _counting_pdf_reads(monkeypatch)
    cache = InspectionCache(tmp_path / "cache")
    one, two = _two_submissions(tmp_path)
    first = inspect_file(one, f"evidence/{PATENT}", {PATENT_NUMBER}, cache)
    [entry] = list((tmp_path / "cache").rglob("*.json"))
    entry.write_bytes(entry.read_bytes()[:-5])  # torn
    again = inspect_file(two, "证明材料/专利.pdf", {PATENT_NUMBER}, cache)
    assert len(calls) == 2
    assert again.found == first.found
    assert decode(entry.read_bytes(), [module.FileFacts]).found == first.found
    entry.unlink()
    inspect_file(one, f"evidence/{PATENT}", {PATENT_NUMBER}, cache)
    assert len(calls) == 3
    assert entry.is_file()


def test_a_remembered_entry_edited_on_disk_is_read_again(tmp_path: Path) -> None:
    """ensures that an entry replaced on disk after this process read it is read anew, not
    answered from memory (another process may have rewritten it)."""
    cache = InspectionCache(tmp_path / "cache")
    one, two = _two_submissions(tmp_path)
    inspect_file(one, f"evidence/{PATENT}", {PATENT_NUMBER}, cache)
    [entry] = list((tmp_path / "cache").rglob("*.json"))
    stored = decode(entry.read_bytes(), [module.FileFacts])
    replacement = entry.with_suffix(".new")
    replacement.write_bytes(encode(type(stored)(**{**stored.__dict__, "problem": "另写的"})))
    os.replace(replacement, entry)
    assert inspect_file(two, "证明材料/专利.pdf", {PATENT_NUMBER}, cache).problem == "另写的"


def test_the_memory_of_inspections_is_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """ensures that a process remembers at most KEPT_ENTRIES inspections."""
    monkeypatch.setattr(module, "KEPT_ENTRIES", 3)
    monkeypatch.setattr(module, "_READ", {})
    cache = InspectionCache(tmp_path / "cache")
    for index in range(7):
        (tmp_path / f"{index}.txt").write_bytes(f"not evidence {index}".encode())
        assert inspect_file(tmp_path, f"{index}.txt", cache=cache).status == "unreadable"
    assert 0 < len(module._READ) <= 3


def test_an_evidence_path_through_links_is_resolved_as_before(tmp_path: Path) -> None:
    """ensures that the quick path of resolve_inside gives the real path of plain names and
    leaves links, ``..`` and missing parts to realpath: a link inside stays inside, one leading
    out is refused."""
    folder = tmp_path / "sub"
    (folder / "evidence").mkdir(parents=True)
    (folder / "evidence" / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "secret.pdf").write_bytes(b"%PDF")
    (folder / "inner").symlink_to(folder / "evidence")
    (folder / "evidence" / "out.pdf").symlink_to(tmp_path / "secret.pdf")
    (folder / "away").symlink_to(tmp_path)
    real = Path(os.path.realpath(folder))
    assert resolve_inside(folder, "evidence/a.pdf") == real / "evidence" / "a.pdf"
    assert resolve_inside(folder, "inner/a.pdf") == real / "evidence" / "a.pdf"
    assert resolve_inside(folder, "evidence/../evidence/a.pdf") == real / "evidence" / "a.pdf"
    assert resolve_inside(folder, "evidence/none.pdf") == real / "evidence" / "none.pdf"
    assert resolve_inside(folder, "evidence/out.pdf") is None
    assert resolve_inside(folder, "away/secret.pdf") is None
    assert resolve_inside(folder, "evidence/../../secret.pdf") is None
