"""Times the pipeline stages on the shipped example, a cold `docgen build`, and plain docxtpl.

Run: python benchmarks/bench.py [--runs N]   (figures recorded in benchmarks/README.md)
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"


def timed(fn, runs: int) -> tuple[float, object]:
    """Returns the median wall time in ms of ``runs`` calls and the last result."""
    times = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def cold_builds(runs: int) -> dict[str, float]:
    """Returns the median wall time of a cold ``docgen build`` in a new process, by variant.

    docgen's modules are byte-compiled first, as ``pip install`` does (this machine sets
    PYTHONDONTWRITEBYTECODE, so a checkout would otherwise be compiled on every run).
    """
    import compileall
    import os

    compileall.compile_dir(ROOT / "docgen", quiet=1)
    busy = [sys.executable, "-c", "while True: pass"]
    variants = {
        "default (bundle drawn in a forked child)": ({}, False),
        "DOCGEN_FORK=off (one process)": ({"DOCGEN_FORK": "off"}, False),
        "empty cache (first run after installing)": ({"DOCGEN_CACHE": "@fresh"}, False),
        "one core kept busy by another process": ({}, True),
    }
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as work:
        for name, (extra, load) in variants.items():
            spinner = subprocess.Popen(busy) if load else None
            try:
                times = []
                for run in range(runs):
                    env = {**os.environ, **extra}
                    if env.get("DOCGEN_CACHE") == "@fresh":
                        env["DOCGEN_CACHE"] = str(Path(work) / f"cache-{run}")
                    start = time.perf_counter()
                    subprocess.run(
                        [
                            sys.executable,
                            "-m",
                            "docgen",
                            "build",
                            str(EXAMPLE),
                            "-o",
                            str(Path(work) / "out"),
                        ],
                        check=True,
                        capture_output=True,
                        cwd=ROOT,
                        env=env,
                    )
                    times.append((time.perf_counter() - start) * 1000)
            finally:
                if spinner is not None:
                    spinner.kill()
                    spinner.wait()
            out[name] = statistics.median(times)
    return out


def bench_inspection(runs: int) -> tuple[list[tuple[str, float]], str]:
    """Times inspection and the bundle on 30 documents (the example's 24 PDFs, some twice, renamed)."""
    import shutil

    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.evidence.inspect import inspect_all
    from docgen.outputs.bundle import render_bundle

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "sub"
        shutil.copytree(EXAMPLE, folder)
        pdfs = sorted((folder / "evidence").glob("*.pdf"))
        extra = [pdfs[i % len(pdfs)] for i in range(30 - len(pdfs))]
        names = [f"evidence/{p.name}" for p in pdfs]
        for index, source in enumerate(extra):
            target = folder / "evidence" / f"extra-{index}.pdf"
            shutil.copy(source, target)
            names.append(f"evidence/{target.name}")
        ms_plain, facts = timed(lambda: inspect_all(folder, {n: set() for n in names}), runs)
        pages = sum(f.pages or 0 for f in facts.values())
        sub = open_submission(folder)
        evaluation = evaluate_submission(sub)
        ms_bundle, _ = timed(lambda: render_bundle(folder, evaluation.evidence, "bundle"), runs)
    rows = [
        (f"inspect 30 documents ({pages} pages)", ms_plain),
        ("bundle of the example (checklist documents)", ms_bundle),
    ]
    rate = f"inspection: {30 / ms_plain * 1000:.0f} files/s, {pages / ms_plain * 1000:.0f} pages/s"
    return rows, rate


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    runs = args.runs

    from docgen.answers import read_answers
    from docgen.app.build import render_outputs, report_inputs
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.definitions.load import load_catalog_from
    from docgen.outputs.bundle import render_bundle
    from docgen.resources import folder
    from docgen.sources.yamlio import load_document
    from docgen.word.render import render_docx, render_plain

    rows: list[tuple[str, float]] = []
    ms, catalog = timed(
        lambda: load_catalog_from(folder("programs"), folder("outlines"), folder("checklists")), runs
    )
    rows.append(("load definitions", ms))
    answers_path = EXAMPLE / "answers.yaml"
    ms, doc = timed(lambda: load_document(answers_path), runs)
    rows.append(("parse answers", ms))
    program = catalog.programs["luzhou-etc-2023"]
    ms, _ = timed(lambda: read_answers(doc, program, catalog), runs)
    rows.append(("validate answers", ms))
    sub = open_submission(EXAMPLE, catalog=catalog)
    from docgen.app.submission import score_submission

    ms, _ = timed(lambda: score_submission(sub), runs)
    rows.append(("score", ms))
    ms, evaluation = timed(lambda: evaluate_submission(sub), runs)
    rows.append(("score + inspect evidence + evidenced score", ms))
    template, context, build_context = report_inputs(sub, evaluation)  # the build's own inputs
    ms_docgen, _ = timed(lambda: render_docx(template, build_context, None), runs)
    rows.append(("render report.docx (docgen, template prepared once)", ms_docgen))
    ms, _ = timed(lambda: render_docx(template, build_context, {*context, "toc", "narrative"}), runs)
    rows.append(("render report.docx + user-template variable check", ms))
    from docgen.word.environment import environment
    from docgen.word.prepared import prepared

    full = build_context(prepared(template, environment).style_ids)
    ms_plain, _ = timed(lambda: render_plain(template, full), runs)
    rows.append(("render report.docx (plain docxtpl, same context)", ms_plain))
    ms, _ = timed(lambda: render_bundle(sub.folder, evaluation.evidence, "bundle"), runs)
    rows.append(("evidence bundle", ms))
    bundle_rows, throughput = bench_inspection(runs)
    rows += bundle_rows
    ms, _ = timed(lambda: render_outputs(sub), runs)
    rows.append(("all outputs in memory", ms))

    cold = cold_builds(max(5, runs // 2))
    rows += [(f"cold `python -m docgen build` (process), {name}", ms) for name, ms in cold.items()]

    width = max(len(name) for name, _ in rows)
    print(f"{'stage'.ljust(width)}  median ms  (runs={runs})")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value:9.1f}")
    print(f"docgen render / plain docxtpl = {ms_docgen / ms_plain:.2f}")
    print(throughput)
    worst = max(cold.values())
    print(
        f"cold build target < 1000 ms: {'met' if worst < 1000 else 'NOT met'} (slowest variant {worst:.0f} ms)"
    )


if __name__ == "__main__":
    main()
