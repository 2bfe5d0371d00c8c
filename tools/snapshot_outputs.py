"""Guard for refactorings: write every output docgen makes and list their SHA-256 digests.

Runs, each in a cold ``docgen`` process: ``build`` of all six examples, ``forms --all`` blank,
``forms --fill`` with every example, ``review`` (files, ``--reports`` and ``--json``) of a folder
that mixes good, low and broken Luzhou submissions, and ``score``/``check``/``evidence --json`` of
every example. Dates are pinned with ``SOURCE_DATE_EPOCH`` and the cache is off, so two runs of
the same code give the same digests.

    python tools/snapshot_outputs.py --save before.txt      # before the change
    python tools/snapshot_outputs.py --compare before.txt   # after: exit 1 on any difference
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").is_file())


def _docgen(*args: str, stdout: Path | None = None) -> None:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", DOCGEN_CACHE="off", COLUMNS="120")
    command = [sys.executable, "-m", "docgen", *args]
    result = subprocess.run(command, env=env, capture_output=True, check=False)
    if stdout is not None:
        stdout.write_bytes(
            result.stdout + b"\n--stderr--\n" + result.stderr + f"\nexit {result.returncode}".encode()
        )


def _review_folder(work: Path) -> Path:
    folder = work / "batch"
    luzhou = ROOT / "examples" / "luzhou-etc-2023"
    shutil.copytree(luzhou, folder / "a-example")
    shutil.copytree(ROOT / "tests" / "data" / "luzhou-basic", folder / "b-basic")
    low = folder / "c-low"
    shutil.copytree(luzhou, low)
    text = (low / "answers.yaml").read_text(encoding="utf-8")
    (low / "answers.yaml").write_text(text.replace("rd_expense: ", "rd_expense: 1", 1), encoding="utf-8")
    broken = folder / "d-broken"
    broken.mkdir()
    (broken / "answers.yaml").write_text("program: luzhou-etc-2023\nprofile: [1\n", encoding="utf-8")
    return folder


def write_all(out: Path) -> None:
    """Writes every output under ``out``."""
    for example in EXAMPLES:
        _docgen("build", str(example), "-o", str(out / "build" / example.name))
        _docgen("forms", example.name, "--fill", str(example), "-o", str(out / "filled" / example.name))
        for command in ("score", "check", "evidence"):
            target = example / "answers.yaml" if command == "score" else example
            _docgen(command, str(target), "--json", stdout=out / "json" / f"{example.name}.{command}.txt")
            _docgen(command, str(target), stdout=out / "terminal" / f"{example.name}.{command}.txt")
    _docgen("forms", "--all", "-o", str(out / "blank"))
    with tempfile.TemporaryDirectory() as work:
        batch = _review_folder(Path(work))
        _docgen("review", str(batch), "--program", "luzhou-etc-2023", "-o", str(out / "review"), "--reports")
        _docgen(
            "review", str(batch), "--program", "luzhou-etc-2023", "--json", stdout=out / "json" / "review.txt"
        )
        _docgen("review", str(batch), "--program", "luzhou-etc-2023", stdout=out / "terminal" / "review.txt")


def _content(path: Path) -> bytes:
    """The bytes to compare: the file's; a workbook member by member without ``dcterms:modified``
    (openpyxl stamps its save time there)."""
    data = path.read_bytes()
    if path.suffix != ".xlsx":
        return data
    with zipfile.ZipFile(path) as archive:
        parts = []
        for name in sorted(archive.namelist()):
            member = archive.read(name)
            if name == "docProps/core.xml":
                member = re.sub(rb"<dcterms:modified.*?</dcterms:modified>", b"", member)
            parts.append(name.encode() + b"\0" + member)
        return b"\0".join(parts)


def digests(out: Path) -> list[str]:
    """Returns one «digest  path» line per file under ``out``, sorted by path."""
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        digest = hashlib.sha256(_content(path)).hexdigest()
        lines.append(f"{digest}  {path.relative_to(out).as_posix()}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--save", type=Path, help="write the digests to this file")
    parser.add_argument("--compare", type=Path, help="compare the digests with this file")
    parser.add_argument("--keep", type=Path, help="keep the outputs in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        for name in ("json", "terminal"):
            (out / name).mkdir(parents=True, exist_ok=True)
        write_all(out)
        lines = digests(out)
    print(f"{len(lines)} files")
    if args.save:
        args.save.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.compare:
        before = args.compare.read_text(encoding="utf-8").splitlines()
        if before == lines:
            print("identical to", args.compare)
            return 0
        old, new = dict(_split(x) for x in before), dict(_split(x) for x in lines)
        for path in sorted(set(old) | set(new)):
            if old.get(path) != new.get(path):
                print("differs:", path)
        return 1
    return 0


def _split(line: str) -> tuple[str, str]:
    digest, path = line.split("  ", 1)
    return path, digest


if __name__ == "__main__":
    sys.exit(main())
