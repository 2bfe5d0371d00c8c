"""`docgen build` against `docgen build --pdf` on the shipped Luzhou example (cold processes,
alternating, median of N runs), and the review's ways of converting many reports.

    python benchmarks/bench_pdf.py [RUNS]

Needs LibreOffice (soffice on PATH or DOCGEN_SOFFICE).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"


def _cold(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "docgen", *args], cwd=ROOT, check=True, capture_output=True)
    return time.perf_counter() - start


def _timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _median(fn, runs: int) -> tuple[float, list[float]]:
    times = [_timed(fn) for _ in range(runs)]
    return statistics.median(times), times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        plain, with_pdf = [], []
        for index in range(runs):  # alternating: both see the same machine load
            plain.append(_cold(["build", str(EXAMPLE), "-o", str(work / f"plain{index}")]))
            with_pdf.append(_cold(["build", str(EXAMPLE), "-o", str(work / f"pdf{index}"), "--pdf"]))
        print(f"build        median {statistics.median(plain):.2f} s  runs {[round(t, 2) for t in plain]}")
        print(
            f"build --pdf  median {statistics.median(with_pdf):.2f} s  runs {[round(t, 2) for t in with_pdf]}"
        )

        from docgen.app.pdf import write_pdfs

        folders = []
        for name in "abcdef":  # six built submissions: twelve documents
            folder = work / "cohort" / name
            shutil.copytree(work / "plain0", folder)
            folders.append(folder)
        one, _ = _median(lambda: write_pdfs(folders, workers=1), 3)
        two, _ = _median(lambda: write_pdfs(folders, workers=2), 3)

        def each() -> None:
            with ThreadPoolExecutor(2) as pool:
                list(pool.map(lambda folder: write_pdfs([folder]), folders))

        per, _ = _median(each, 3)
        print(f"12 documents: one soffice {one:.2f} s, two soffice (6 each) {two:.2f} s,")
        print(f"              one soffice per submission, two at a time {per:.2f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
