"""Where outputs go (issue 18, classes 1 and 2): never over a device, a FIFO or a folder, never
into a submission, never over each other, answers files confined to their submission, and a run
that cannot write everything writes nothing new."""

from __future__ import annotations

import errno
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.cli.main import cli
from docgen.errors import OutputError
from tests.conftest import EXAMPLE

PROGRAM = "luzhou-etc-2023"
OUTPUT_NAMES = [
    "evidence-bundle.pdf",
    "missing-evidence.docx",
    "missing-evidence.md",
    "report.docx",
    "score.json",
]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def snapshot(folder: Path) -> dict[str, bytes]:
    """Returns every entry of ``folder`` by name (folders as b"<dir>"), temp files included."""
    return {p.name: (b"<dir>" if p.is_dir() else p.read_bytes()) for p in folder.iterdir()}


def copy_example(target: Path, rd_expense: int = 1980) -> Path:
    shutil.copytree(EXAMPLE, target)
    answers = target / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace("rd_expense: 1980", f"rd_expense: {rd_expense}"),
        encoding="utf-8",
    )
    return target


def change_answers(submission: Path) -> None:
    answers = submission / "answers.yaml"
    answers.write_text(
        answers.read_text(encoding="utf-8").replace("rd_expense: 1980", "rd_expense: 2980"), encoding="utf-8"
    )


# -- class 1: writing where docgen must not --


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe"
    os.mkfifo(path)
    return path


def test_bundle_into_a_fifo_is_refused(example: Path, fifo: Path):
    """ensures that `bundle -o <fifo>` exits 2 naming the path and leaves the FIFO (and its folder) as
    it was: nothing is renamed over anything but a regular file."""
    before = sorted(p.name for p in fifo.parent.iterdir())
    result = run("bundle", example, "-o", fifo)
    assert result.exit_code == 2, result.output
    assert f"{fifo} 不是普通文件" in result.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in fifo.parent.iterdir()) == before  # no temp file left


@pytest.mark.parametrize(
    "command",
    [
        ["build", "{sub}", "-o", "{out}"],
        ["forms", PROGRAM, "-o", "{out}"],
        ["forms", PROGRAM, "--fill", "{sub}", "-o", "{out}"],
        ["templates", "export", "{out}"],
        ["review", "{parent}", "--program", PROGRAM, "-o", "{out}"],
    ],
    ids=["build", "forms", "forms-fill", "templates-export", "review"],
)
@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_output_folder_that_is_a_device_or_fifo_is_refused(
    example: Path, fifo: Path, command: list[str], kind: str
):
    """ensures that an output folder naming a FIFO or a device node exits 2 with a Chinese message
    naming it, and leaves it as it was (/dev/null is only looked at)."""
    out = fifo if kind == "fifo" else Path("/dev/null")
    mode = os.lstat(out).st_mode
    args = [a.format(sub=example, out=out, parent=example.parent) for a in command]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert f"{out} 不是文件夹" in result.stderr
    assert os.lstat(out).st_mode == mode


def test_fifo_in_place_of_an_output_file_is_refused_before_anything_is_written(example: Path, tmp_path: Path):
    """ensures that a FIFO where score.json goes stops the build before any output is written."""
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "score.json")
    result = run("build", example, "-o", out)
    assert result.exit_code == 2, result.output
    assert f"{out / 'score.json'} 不是普通文件" in result.stderr
    assert [p.name for p in out.iterdir()] == ["score.json"]
    assert stat.S_ISFIFO(os.lstat(out / "score.json").st_mode)


@pytest.mark.parametrize(
    "command",
    [
        ["build", "{sub}", "-o", "{sub}/out"],
        ["build", "{sub}", "-o", "{link}"],
        ["build", "{sub}", "-o", "{other}/out"],
        ["bundle", "{sub}", "-o", "{sub}/evidence/bundle.pdf"],
        ["bundle", "{sub}", "-o", "{file_link}"],
        ["forms", PROGRAM, "--fill", "{sub}", "-o", "{sub}/forms"],
        ["forms", PROGRAM, "-o", "{sub}/forms"],
        ["forms", "--all", "-o", "{sub}/evidence"],
        ["templates", "export", "{sub}/templates"],
        ["templates", "export", "{link}/evidence"],
        ["review", "{parent}", "--program", PROGRAM, "-o", "{sub}/summary"],
    ],
    ids=[
        "build-inside",
        "build-symlinked-folder",
        "build-into-another-submission",
        "bundle-inside",
        "bundle-symlinked-file",
        "forms-fill-inside",
        "forms-blank-inside",
        "forms-all-inside",
        "templates-export-inside",
        "templates-export-symlinked",
        "review-inside-a-submission",
    ],
)
def test_output_inside_a_submission_is_refused(tmp_path: Path, command: list[str]):
    """ensures that no command writes into a submission folder (its own or another one; the path
    resolved, symbolic links followed): exit 2, a Chinese message naming the path, nothing written."""
    parent = tmp_path / "batch"
    sub = copy_example(parent / "sub")
    other = copy_example(tmp_path / "other")
    (tmp_path / "link").symlink_to(sub)
    (tmp_path / "bundle.pdf").symlink_to(sub / "evidence" / "107-1表.pdf")
    before = {p: p.read_bytes() for p in (*sub.rglob("*"), *other.rglob("*")) if p.is_file()}
    names = {"sub": sub, "other": other, "link": tmp_path / "link", "parent": parent}
    args = [a.format(**names, file_link=tmp_path / "bundle.pdf") for a in command]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "提交文件夹之内" in result.stderr
    target = next(a for a in args[1:] if a.startswith(str(tmp_path)) and a not in (str(sub), str(parent)))
    assert target in result.stderr
    after = {p: p.read_bytes() for p in (*sub.rglob("*"), *other.rglob("*")) if p.is_file()}
    assert after == before
    assert (tmp_path / "bundle.pdf").is_symlink()


@pytest.fixture
def outside_answers(tmp_path: Path) -> tuple[Path, Path]:
    """A submission whose answers.yaml links to a file outside it, with a YAML syntax error on a
    line holding a secret."""
    secret = tmp_path / "elsewhere" / "secret.yaml"
    secret.parent.mkdir()
    secret.write_text("program: luzhou-etc-2023\nroot:x:0:0:TOPSECRET-4711: [oops\n", encoding="utf-8")
    sub = tmp_path / "batch" / "sub"
    sub.mkdir(parents=True)
    (sub / "answers.yaml").symlink_to(secret)
    return sub, secret


@pytest.mark.parametrize(
    ("command", "code"),
    [
        (["check", "{sub}"], 1),
        (["check", "{sub}", "--json"], 1),
        (["score", "{sub}/answers.yaml"], 1),
        (["build", "{sub}", "-o", "{out}"], 1),
        (["review", "{parent}", "--program", PROGRAM, "--json"], 0),  # listed as broken
    ],
    ids=["check", "check-json", "score-file", "build", "review"],
)
def test_answers_linked_outside_the_submission_are_not_read(
    outside_answers: tuple[Path, Path], tmp_path: Path, command: list[str], code: int
):
    """ensures that an answers file whose real path lies outside the submission is refused like an
    evidence file outside it, and that no message quotes any of its content."""
    sub, _secret = outside_answers
    args = [a.format(sub=sub, parent=sub.parent, out=tmp_path / "out") for a in command]
    result = run(*args)
    assert result.exit_code == code, result.output
    assert "TOPSECRET" not in result.output
    assert "TOPSECRET" not in result.stderr
    assert "oops" not in result.output
    assert "提交文件夹之外" in result.output
    assert not (tmp_path / "out").exists()


def test_answers_in_a_symlinked_submission_folder_are_read(tmp_path: Path):
    """ensures that a submission folder reached through a symbolic link is read as usual (the
    answers file lies inside the folder's real path)."""
    sub = copy_example(tmp_path / "real")
    (tmp_path / "link").symlink_to(sub)
    result = run("score", tmp_path / "link", "--json")
    assert result.exit_code == 0, result.output


# -- class 2: data loss --


@pytest.mark.parametrize(
    ("first", "second", "names"),
    [
        ("A/x", "B/x", ["x", "x-2"]),
        ("A/a:b", "B/a_b", ["a_b", "a_b-2"]),
        ("A/Same", "B/same", ["Same", "same-2"]),
    ],
    ids=["same-name", "same-after-sanitising", "same-but-for-case"],
)
def test_build_of_colliding_folder_names_keeps_every_output(
    tmp_path: Path, first: str, second: str, names: list[str]
):
    """ensures that submissions whose output folders would collide each get their own folder
    (the later one suffixed -2, in argument order), detected before anything is written."""
    a = copy_example(tmp_path / first, 1980)
    b = copy_example(tmp_path / second, 2600)
    out = tmp_path / "out"
    result = run("build", a, b, "-o", out)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    totals = [json.loads((out / n / "score.json").read_text(encoding="utf-8"))["total"] for n in names]
    assert totals[0] != totals[1]
    assert str(out / names[1]) in result.output


def test_review_reports_of_colliding_folder_names_keep_every_output(tmp_path: Path):
    """ensures that `review --reports` gives submissions whose names are equal after sanitising
    their own report folders."""
    root = tmp_path / "batch"
    copy_example(root / "a:b", 1980)
    copy_example(root / "a_b", 2600)
    out = tmp_path / "out"
    result = run("review", root, "--program", PROGRAM, "-o", out, "--reports", "--jobs", "1")
    assert result.exit_code == 0, result.output
    folders = sorted(p.name for p in out.iterdir() if p.is_dir())
    assert folders == ["a_b", "a_b-2"]
    totals = {json.loads((out / n / "score.json").read_text(encoding="utf-8"))["total"] for n in folders}
    assert len(totals) == 2


def test_output_path_that_is_a_folder_stops_the_build_before_anything_is_written(
    example: Path, tmp_path: Path
):
    """ensures that a folder named score.json in the output folder is a clear error before any
    output is written: the earlier outputs stay byte-identical."""
    out = tmp_path / "out"
    assert run("build", example, "-o", out).exit_code == 0
    (out / "score.json").unlink()
    (out / "score.json").mkdir()
    before = snapshot(out)
    change_answers(example)
    result = run("build", example, "-o", out)
    assert result.exit_code == 2, result.output
    assert f"{out / 'score.json'} 不是普通文件" in result.stderr
    assert snapshot(out) == before


def test_summary_path_that_is_a_folder_stops_the_review_before_anything_is_written(tmp_path: Path):
    """ensures that a folder in place of 汇总表.csv stops the review before the 汇总表 .docx is written."""
    root = tmp_path / "batch"
    copy_example(root / "a")
    out = tmp_path / "out"
    (out / "汇总表.csv").mkdir(parents=True)
    result = run("review", root, "--program", PROGRAM, "-o", out, "--reports")
    assert result.exit_code == 2, result.output
    assert "汇总表.csv 不是普通文件" in result.stderr
    assert [p.name for p in out.iterdir()] == ["汇总表.csv"]


def test_failure_on_the_fourth_file_writes_nothing_new(example: Path, tmp_path: Path, monkeypatch):
    """ensures that a disk filling up while the 4th of the five outputs is written leaves every
    earlier output byte-identical and no temp file behind."""
    monkeypatch.setenv("DOCGEN_CACHE", "off")
    out = tmp_path / "out"
    assert run("build", example, "-o", out).exit_code == 0
    before = snapshot(out)
    assert sorted(before) == OUTPUT_NAMES
    change_answers(example)
    calls = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 4:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    result = run("build", example, "-o", out)
    assert result.exit_code == 1, result.output
    assert "无法写入" in result.stderr
    assert snapshot(out) == before


def test_write_all_is_all_or_nothing(tmp_path: Path, monkeypatch):
    """ensures that write_all writes every file or, when one fails, none (sub-folders included),
    and leaves no temp file."""
    from docgen.files import write_all

    (tmp_path / "a.txt").write_bytes(b"old a")
    real_fsync = os.fsync
    calls = []

    def fsync(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(OutputError, match="无法写入"):
        write_all(tmp_path, {"a.txt": b"new a", "sub/b.txt": b"new b"})
    assert snapshot(tmp_path) == {"a.txt": b"old a"}
    monkeypatch.setattr(os, "fsync", real_fsync)
    written = write_all(tmp_path, {"a.txt": b"new a", "sub/b.txt": b"new b"})
    assert written == [tmp_path / "a.txt", tmp_path / "sub" / "b.txt"]
    assert (tmp_path / "a.txt").read_bytes() == b"new a"
    assert (tmp_path / "sub" / "b.txt").read_bytes() == b"new b"


@pytest.mark.parametrize("name", ["../x", "/etc/x", "a/../../x", "", "a\x00b"], ids=repr)
def test_write_all_refuses_names_that_leave_the_folder(tmp_path: Path, name: str):
    """ensures that write_all writes only inside its folder."""
    from docgen.files import write_all

    with pytest.raises(OutputError):
        write_all(tmp_path / "out", {name: b"x"})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("kind", ["folder", "fifo", "socket"])
def test_write_atomic_never_renames_over_anything_but_a_regular_file(tmp_path: Path, kind: str):
    """ensures that write_atomic refuses a target that is a folder, a FIFO or a socket."""
    import socket

    from docgen.files import write_atomic

    target = tmp_path / "target"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
        server.close()
    mode = os.lstat(target).st_mode
    with pytest.raises(OutputError, match="不是普通文件"):
        write_atomic(target, b"new")
    assert os.lstat(target).st_mode == mode
    assert [p.name for p in tmp_path.iterdir()] == ["target"]


def test_symlinked_output_file_is_replaced_not_written_through(example: Path, tmp_path: Path):
    """ensures that an output file that is a symbolic link to a file elsewhere is replaced by the new
    file: the file it pointed to is never written (docs/decisions.md)."""
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_bytes(b"keep me")
    out = tmp_path / "out"
    out.mkdir()
    (out / "score.json").symlink_to(elsewhere)
    result = run("build", example, "-o", out)
    assert result.exit_code == 0, result.output
    assert elsewhere.read_bytes() == b"keep me"
    assert not (out / "score.json").is_symlink()
    assert json.loads((out / "score.json").read_text(encoding="utf-8"))["program"] == PROGRAM


def test_rename_failing_after_others_names_the_files_replaced(tmp_path: Path, monkeypatch):
    """ensures that the one window left (a rename failing after others succeeded) is reported with
    the files already replaced, and leaves no temp file."""
    from docgen.files import write_all

    (tmp_path / "a.txt").write_bytes(b"old a")
    (tmp_path / "b.txt").write_bytes(b"old b")
    real_replace = os.replace
    calls = []

    def replace(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OutputError, match=f"已替换：{tmp_path / 'a.txt'}"):
        write_all(tmp_path, {"a.txt": b"new a", "b.txt": b"new b"})
    assert snapshot(tmp_path) == {"a.txt": b"new a", "b.txt": b"old b"}


def test_write_all_refuses_two_names_for_one_place(tmp_path: Path):
    """ensures that two names of one file ("a" and "./a") are refused, not written one over the other."""
    from docgen.files import write_all

    with pytest.raises(OutputError):
        write_all(tmp_path, {"a": b"1", "./a": b"2"})
    assert list(tmp_path.iterdir()) == []


def test_blocked_place_in_a_later_submission_stops_build_before_anything_is_written(tmp_path: Path):
    """ensures that `build A B` checks every submission's output places before it writes the first."""
    a = copy_example(tmp_path / "A" / "a")
    b = copy_example(tmp_path / "B" / "b")
    out = tmp_path / "out"
    (out / "b" / "report.docx").mkdir(parents=True)
    result = run("build", a, b, "-o", out)
    assert result.exit_code == 2, result.output
    assert f"{out / 'b' / 'report.docx'} 不是普通文件" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == ["b"]
