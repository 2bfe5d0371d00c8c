"""Screenshots of the web workspace as a clerk sees it: 首页, 表格下载 and every example's workspace.

Starts ``docgen serve`` on a fresh temporary data folder, imports each example folder under
examples/ (zipped, ``POST /api/submissions/import`` with the CSRF token of ``GET /api/session``),
creates one empty submission, and saves with the system Chromium, at a 1366×768 window (the
laptop screens of the offices that fill these forms in):

    NAME.png        what the window shows on opening the page
    NAME-full.png   the whole page, top to bottom

for NAME in home, forms, error (a submission that is not there), new-<program> (an empty
submission) and workspace-<program> (the example); with ``--focus`` also
NAME-focus.txt, the order in which the Tab key visits the workspace's controls. The server is
stopped at the end.

    python tools/screenshots.py OUT_FOLDER [--focus]
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx2 as httpx  # the test extra's client (Starlette's test client uses it too)
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser_helpers import browser, free_port, quit_browser, settled, start_server, stop_server  # noqa: E402
from tests.web_helpers import zip_folder  # noqa: E402

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "answers.yaml").is_file())


def shoot(driver: WebDriver, url: str, out: Path, name: str) -> None:
    """Saves the window's view of ``url`` as NAME.png and the whole page as NAME-full.png."""
    driver.get(url)
    settled(driver)
    driver.save_screenshot(str(out / f"{name}.png"))
    metrics: dict[str, Any] = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})  # type: ignore[attr-defined]
    size = metrics["cssContentSize"]
    shot = driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
        },
    )
    (out / f"{name}-full.png").write_bytes(base64.b64decode(shot["data"]))


_DESCRIBE = """
const e = document.activeElement;
if (!e || e === document.body) { return null; }
const label = (e.labels && e.labels[0] && e.labels[0].innerText) || e.getAttribute('aria-label')
  || (e.innerText || '').trim() || e.getAttribute('name') || '';
const style = getComputedStyle(e);
const box = e.getBoundingClientRect();
const section = e.closest('section[id], aside[id], header, nav');
return [e.tagName.toLowerCase() + (e.type ? '[' + e.type + ']' : ''), label.replace(/\\s+/g, ' ').slice(0, 60),
        style.outlineStyle !== 'none' && style.outlineWidth !== '0px',
        box.width > 0 && box.height > 0 && box.bottom > 0 && box.top < innerHeight,
        section ? (section.id || section.tagName.toLowerCase()) : ''];
"""


def focus_order(driver: WebDriver, url: str, limit: int = 600) -> list[str]:
    """Returns the controls the Tab key visits on ``url`` from the top: one line each with the
    element, its label, whether a focus outline shows and whether it is scrolled into view."""
    driver.get(url)
    settled(driver)
    lines: list[str] = []
    seen_first = None
    for step in range(1, limit + 1):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        found = driver.execute_script(_DESCRIBE)
        if found is None:
            lines.append(f"{step:4}  (focus left the page)")
            break
        tag, label, outline, visible, where = found
        key = (tag, label, where)
        if seen_first is None:
            seen_first = key
        elif key == seen_first:
            break
        flags = ("" if outline else " NO-OUTLINE") + ("" if visible else " OFF-SCREEN")
        lines.append(f"{step:4}  {where:<14} {tag:<16} {label}{flags}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder for the PNG files")
    parser.add_argument("--focus", action="store_true", help="also write the Tab order of each workspace")
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="docgen-shots-") as data:
        server = start_server(Path(data), port)
        driver = None
        try:
            http = httpx.Client(base_url=base, timeout=120)
            token = http.get("/api/session").json()["csrf_token"]
            imported: list[tuple[str, str]] = []
            for folder in EXAMPLES:
                answer = http.post(
                    "/api/submissions/import",
                    files={"file": (f"{folder.name}.zip", zip_folder(folder), "application/zip")},
                    headers={"X-CSRF-Token": token},
                )
                answer.raise_for_status()
                imported.append((folder.name, str(answer.json()["id"])))
            fresh = []
            for program, _sid in imported:
                made = http.post(
                    "/api/submissions", json={"program": program}, headers={"X-CSRF-Token": token}
                )
                made.raise_for_status()
                fresh.append((program, str(made.json()["id"])))
            driver = browser()
            shoot(driver, f"{base}/", out, "home")
            shoot(driver, f"{base}/forms", out, "forms")
            shoot(driver, f"{base}/submissions/0000000000000000", out, "error")
            for program, sid in fresh:
                shoot(driver, f"{base}/submissions/{sid}", out, f"new-{program}")
            for program, sid in imported:
                shoot(driver, f"{base}/submissions/{sid}", out, f"workspace-{program}")
                if args.focus:
                    lines = focus_order(driver, f"{base}/submissions/{sid}")
                    (out / f"workspace-{program}-focus.txt").write_text(
                        "\n".join(lines) + "\n", encoding="utf-8"
                    )
                print(f"{program}: {base}/submissions/{sid}")
        finally:
            if driver is not None:
                quit_browser(driver)
            stop_server(server)
    print(f"screenshots in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
