"""Times `docgen review` on 100 and 300 varied copies of the Luzhou example (the targets of issues #7 and #18).

Run: python benchmarks/bench_review.py [--sizes 100 300] [--jobs N]
Reports submissions/s, the ratio of the review time to one cold `docgen score`, the re-review ratio
(inspection results cached by content hash) and the peak memory of the review process.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "luzhou-etc-2023"


def make_batch(target: Path, count: int) -> None:
    """Writes ``count`` copies of the example whose figures vary deterministically."""
    rng = random.Random(count)
    text = (EXAMPLE / "answers.yaml").read_text(encoding="utf-8")
    for index in range(count):
        folder = target / f"s{index:04d}"
        shutil.copytree(EXAMPLE / "evidence", folder / "evidence")
        varied = text
        for key in ("main_revenue", "rd_expense", "equipment_value", "new_product_revenue", "total_profit"):
            varied = re.sub(
                rf"(\n  {key}: )(\d+)",
                lambda m: f"{m.group(1)}{int(int(m.group(2)) * rng.uniform(0.7, 1.1))}",
                varied,
                count=1,
            )
        varied = varied.replace(
            "company_name: 泸州川锐智能装备股份有限公司", f"company_name: 泸州测试企业{index:04d}"
        )
        (folder / "answers.yaml").write_text(varied, encoding="utf-8")


def timed_run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Returns (seconds, peak RSS in MB of the child) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=env, cwd=ROOT)
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300])
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "DOCGEN_CACHE": str(Path(tmp) / "cache")}
        score_times = [
            timed_run([python, "-m", "docgen", "score", str(EXAMPLE), "--json"], env)[0] for _ in range(3)
        ]
        cold_score = sorted(score_times)[1]
        print(f"one cold `docgen score`: {cold_score * 1000:.0f} ms")
        for size in args.sizes:
            batch = Path(tmp) / f"batch{size}"
            make_batch(batch, size)
            shutil.rmtree(Path(tmp) / "cache", ignore_errors=True)
            command = [
                python,
                "-m",
                "docgen",
                "review",
                str(batch),
                "--program",
                "luzhou-etc-2023",
                "--json",
                "--jobs",
                str(args.jobs),
            ]
            first, peak = timed_run(command, env)
            second, _ = timed_run(command, env)
            written, _ = timed_run([*command, "-o", str(Path(tmp) / f"out{size}")], env)
            print(
                f"{size} submissions: {first:.1f} s ({size / first:.1f}/s), review/score ratio "
                f"{first / cold_score:.1f} (target ≤ 20 for 300, #18), re-review {second:.1f} s, "
                f"ratio {second / first:.2f} (target ≤ 0.4, #18), peak memory {peak:.0f} MB (target < 500); "
                f"re-review writing 汇总表.docx/.csv/.xlsx {written:.1f} s"
            )


if __name__ == "__main__":
    main()
