"""Reading answers.xlsx against answers.yaml for the Luzhou example (issue #19), in-process.

Run: python benchmarks/bench_xlsx.py [--runs N]
The example's answers.yaml is converted to answers.xlsx once; then both are read alternately in
one process, each read timed alone (parse into plain values + positions) and as a whole
``open_submission`` (parse + every answers check), and the medians printed side by side.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    from docgen.app.convert import convert_answers
    from docgen.app.submission import open_submission
    from docgen.definitions.load import load_catalog
    from docgen.sources.workbook import load_workbook_document
    from docgen.sources.yamlio import load_document

    catalog = load_catalog()
    example = ROOT / "examples" / "luzhou-etc-2023"
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp) / "luzhou"
        shutil.copytree(example, folder)
        convert_answers(catalog, folder / "answers.yaml", folder / "answers.xlsx")
        (folder / "answers.yaml").unlink()
        xlsx, yaml = folder / "answers.xlsx", example / "answers.yaml"
        load_workbook_document(xlsx), load_document(yaml)  # imports (openpyxl) out of the figures
        times: dict[str, list[float]] = {"yaml": [], "xlsx": [], "open yaml": [], "open xlsx": []}
        for _ in range(args.runs):
            times["yaml"].append(timed(lambda: load_document(yaml)))
            times["xlsx"].append(timed(lambda: load_workbook_document(xlsx)))
            times["open yaml"].append(timed(lambda: open_submission(example, catalog=catalog)))
            times["open xlsx"].append(timed(lambda: open_submission(folder, catalog=catalog)))
        sizes = (yaml.stat().st_size, xlsx.stat().st_size)
    medians = {name: statistics.median(values) for name, values in times.items()}
    print(f"files: answers.yaml {sizes[0]} bytes, answers.xlsx {sizes[1]} bytes; {args.runs} runs")
    print("| read | answers.yaml | answers.xlsx | xlsx / yaml |")
    print("|---|---|---|---|")
    for label, a, b in (("parse", "yaml", "xlsx"), ("open_submission", "open yaml", "open xlsx")):
        print(f"| {label} | {medians[a]:.1f} ms | {medians[b]:.1f} ms | {medians[b] / medians[a]:.1f} |")


if __name__ == "__main__":
    main()
