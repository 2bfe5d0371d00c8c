"""Report rendering: plain docxtpl vs docgen's prepared-template path vs the floor (issue #10).

Run: python benchmarks/bench_render.py [--runs N] [--reports 300]
Same template, same context (the shipped example's report). The floor is the Jinja render of the
already-compiled template plus writing the zip with only word/document.xml compressed anew.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def per_call(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reports", type=int, default=300)
    args = parser.parse_args()

    from docgen.app.build import report_inputs
    from docgen.app.submission import evaluate_submission, open_submission
    from docgen.word.environment import environment
    from docgen.word.package import write_zip, zip_member
    from docgen.word.prepared import DOCUMENT, prepared
    from docgen.word.render import render_docx, render_plain

    sub = open_submission(ROOT / "examples" / "luzhou-etc-2023")
    template, _context, build_context = report_inputs(sub, evaluate_submission(sub))
    prep = prepared(template, environment)
    full = build_context(prep.style_ids)

    def floor() -> bytes:
        body = prep.template.render(full)
        document = (prep.prefix + body + prep.suffix).encode("utf-8")
        return write_zip(
            [
                zip_member(n, document)
                if n == DOCUMENT
                else prep._fixed.get(n) or zip_member(n, prep.parts[n])
                for n in prep.names
            ]
        )

    # the floor of the template as docxtpl patches it (without docgen's merge logic in the source)
    import re

    from docxtpl import DocxTemplate

    raw_tpl = DocxTemplate(template)
    raw_tpl.render_init()
    raw_source = re.sub(r"<w:p([ >])", r"\n<w:p\1", raw_tpl.patch_xml(raw_tpl.get_xml()))
    raw_template = environment().from_string(raw_source)

    def plain_floor() -> bytes:
        body = raw_template.render(full)
        document = (prep.prefix + body + prep.suffix).encode("utf-8")
        return write_zip(
            [
                zip_member(n, document)
                if n == DOCUMENT
                else prep._fixed.get(n) or zip_member(n, prep.parts[n])
                for n in prep.names
            ]
        )

    plain_ms = per_call(lambda: render_plain(template, full), args.runs)
    plain_floor_ms = per_call(plain_floor, args.runs)
    docgen_ms = per_call(lambda: render_docx(template, lambda _ids: full, None), args.runs)
    floor_ms = per_call(floor, args.runs)
    print(f"plain docxtpl   {plain_ms:7.1f} ms/report")
    print(f"docgen path     {docgen_ms:7.1f} ms/report")
    print(
        f"floor           {floor_ms:7.1f} ms/report  (Jinja render of docgen's prepared source + zip write)"
    )
    print(
        f"floor, plain    {plain_floor_ms:7.1f} ms/report  (Jinja render of docxtpl's source, no merging + zip)"
    )
    print(f"docgen / plain floor = {docgen_ms / plain_floor_ms:.2f}")
    print(
        f"docgen / floor = {docgen_ms / floor_ms:.2f} (target ≤ 2); plain / docgen = {plain_ms / docgen_ms:.2f} (target ≥ 3)"
    )

    rss = []
    start = time.perf_counter()
    for index in range(args.reports):
        render_docx(template, lambda _ids: full, None)
        if index in (9, args.reports // 2, args.reports - 1):
            rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    elapsed = time.perf_counter() - start
    print(
        f"{args.reports} reports: {elapsed:.1f} s; peak RSS after 10 / {args.reports // 2} / {args.reports}: "
        + " / ".join(f"{m:.0f} MB" for m in rss)
    )


if __name__ == "__main__":
    main()
